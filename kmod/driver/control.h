// SPDX-License-Identifier: GPL-2.0
//
// The driver side of the generic netlink family: what driver/control.cpp
// (the ioview_driver_ctl_*() functions of shim/shim.h) needs from
// driver/probe.cpp, which keeps the list of bound functions.
//
//     bound_ref dev = acquire_named("0000:00:03.0");
//     if (!dev || dev.gone())
//             return -ENODEV;
//     if (dev.kind == IOVIEW_DEVICE_EDU)
//             err = edu::irq_raise(dev.edu.get(), 1);   // -ENODEV if unbound meanwhile
//
// A bound_ref keeps the function's state and its pinned pci_dev, never its
// binding, exactly as the counted references inside it do (kernel/
// counted_ref.h): after an unbind every operation through it is -ENODEV.
#ifndef IOVIEW_KMOD_DRIVER_CONTROL_H
#define IOVIEW_KMOD_DRIVER_CONTROL_H

#include <ioview/support.h>

#include "driver/edu.h"
#include "driver/mailbox.h"
#include "kernel/counted_ref.h"
#include "shim/shim.h"

namespace ioview::kernel::control {

/// A counted reference to a bound function's state, of whichever kind it is.
struct bound_ref {
	ioview_device_kind kind{};
	counted_ref<edu::device> edu;		///< set for an edu function
	counted_ref<mailbox::device> mbox;	///< set for an ivshmem function

	explicit operator bool() const noexcept { return edu || mbox; }

	/// The function, pinned while this is held; precondition: a reference is held.
	pci_dev *pdev() const noexcept { return edu ? edu::pci_device(edu.get()) : mailbox::pci_device(mbox.get()); }

	/// Whether the function was unbound (its state revoked) since the reference was taken.
	bool gone() const noexcept { return edu ? edu::gone(edu.get()) : mailbox::gone(mbox.get()); }
};

/**
 * acquire_named() - a reference to the function bound as @pci_name
 *
 * Defined in driver/probe.cpp.  Return: empty if none is.  Process context.
 */
bound_ref acquire_named(const char *pci_name) noexcept;

/**
 * acquire_at() - a reference to the @index-th bound function, oldest first
 * @generation: set to the list's generation (see ioview_driver_ctl_dev_at())
 *
 * Defined in driver/probe.cpp.  Return: empty past the last.  Process context.
 */
bound_ref acquire_at(usize index, unsigned int *generation) noexcept;

/// Copies the PCI name @from into @to (IOVIEW_CTL_NAME_LEN bytes), cut and NUL-terminated.
inline void copy_name(char (&to)[IOVIEW_CTL_NAME_LEN], const char *from) noexcept
{
	usize i = 0;

	for (; i + 1 < IOVIEW_CTL_NAME_LEN && from[i]; ++i)
		to[i] = from[i];
	to[i] = '\0';
}

} // namespace ioview::kernel::control

#endif // IOVIEW_KMOD_DRIVER_CONTROL_H
