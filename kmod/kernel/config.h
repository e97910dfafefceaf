// SPDX-License-Identifier: GPL-2.0
//
// The kernel's PCI configuration space accessors for ioview::config_space<>,
// the backend built on them (ioview::kernel::kconfig), and the views of a
// function's configuration space.
//
//     int show_msi(pci_dev *pdev)
//     {
//             auto cfg = ioview::kernel::config_view(pdev);        // the 256 bytes
//             if (!cfg)
//                     return cfg.error();                           // -EFAULT: no device
//             auto vendor = IOVIEW_PROJECT(ioview::pci::header(cfg.value()), vendor_id).read_val();
//             auto msi = ioview::pci::find_capability(cfg.value(), ioview::pci::cap_msi);
//             if (!vendor || !msi)
//                     return !vendor ? vendor.error() : msi.error(); // e.g. -ENODEV, -ENOENT
//             ...
//     }
//
// Every access is one call of pci_{read,write}_config_{byte,word,dword}(),
// called directly as a C driver calls them; their PCIBIOS_* codes become
// negative errnos inline (pcibios_err_to_errno() below, the kernel's
// mapping), so a function that was surprise-removed reads as -ENODEV
// (PCIBIOS_DEVICE_NOT_FOUND).  Which lock, if any, serializes an access is
// the platform's business: see include/ioview/doc/memory-order.md.
#ifndef IOVIEW_KMOD_KERNEL_CONFIG_H
#define IOVIEW_KMOD_KERNEL_CONFIG_H

#include <ioview/config_space.h>

#include "kernel/errno.h"
#include "shim/shim.h"

namespace ioview::kernel {

namespace detail {
/* The errno of a positive PCIBIOS code, as the kernel's switch has it. */
constexpr int pcibios_errno_of_code(int code) noexcept
{
	switch (code) {
	case IOVIEW_PCIBIOS_FUNC_NOT_SUPPORTED:
		return -enoent;
	case IOVIEW_PCIBIOS_BAD_VENDOR_ID:
		return -enotty;
	case IOVIEW_PCIBIOS_DEVICE_NOT_FOUND:
		return -enodev;
	case IOVIEW_PCIBIOS_BAD_REGISTER_NUMBER:
		return -efault;
	case IOVIEW_PCIBIOS_SET_FAILED:
		return -eio;
	case IOVIEW_PCIBIOS_BUFFER_TOO_SMALL:
		return -enospc;
	default:
		return -erange;
	}
}
} // namespace detail

/**
 * pcibios_err_to_errno() - what a result of pci_{read,write}_config_*() means as an errno
 * @err: 0, a PCIBIOS_* code (enum ioview_pcibios), or a negative errno
 *
 * The kernel's inline function of the same name, written out so that C++ pays what C pays:
 * no call on the error path. The config self-test holds it to the kernel's own for every code
 * from -200 to 300.
 *
 * Context: any; pure.
 * Return: @err if it is 0 or negative (already an errno), else the errno of the code: always
 * negative; -ERANGE for a code the kernel does not know either.
 *
 *     static_assert(ioview::kernel::pcibios_err_to_errno(IOVIEW_PCIBIOS_DEVICE_NOT_FOUND) == -ioview::enodev);
 */
constexpr int pcibios_err_to_errno(int err) noexcept
{
	if (err <= IOVIEW_PCIBIOS_SUCCESSFUL)
		return err;
	int e = detail::pcibios_errno_of_code(err);
	// GCC turns the switch into a table whose values it does not look into: told that a code
	// never maps to 0 or above, a caller's "if (err)" after this one needs no second test.
	// Constant evaluation would stop at the unreachable if it were not true.
	if (e >= 0)
		__builtin_unreachable();
	return e;
}

namespace detail {
consteval bool pcibios_codes_map_below_zero()
{
	for (int code = 1; code <= 0x100; ++code)
		if (pcibios_err_to_errno(code) >= 0)
			return false;
	return true;
}
} // namespace detail
static_assert(detail::pcibios_codes_map_below_zero());
static_assert(pcibios_err_to_errno(0) == 0 && pcibios_err_to_errno(-enodev) == -enodev &&
	      pcibios_err_to_errno(IOVIEW_PCIBIOS_SET_FAILED) == -eio && pcibios_err_to_errno(0x80) == -erange);

/**
 * The kernel's configuration space accessors, in the shape
 * config_space<> expects: pci_{read,write}_config_*() called directly, as
 * a C driver calls them.
 *
 *     u32 id;
 *     int err = kernel_config_accessors::read32(pdev, 0, &id);   // pci_read_config_dword()
 */
struct kernel_config_accessors {
	using device = pci_dev;
	static int read8(pci_dev *d, unsigned off, u8 *v) noexcept { return errno_of(pci_read_config_byte(d, where(off), v)); }
	static int read16(pci_dev *d, unsigned off, u16 *v) noexcept
	{
		return errno_of(pci_read_config_word(d, where(off), v));
	}
	static int read32(pci_dev *d, unsigned off, u32 *v) noexcept
	{
		return errno_of(pci_read_config_dword(d, where(off), v));
	}
	static int write8(pci_dev *d, unsigned off, u8 v) noexcept { return errno_of(pci_write_config_byte(d, where(off), v)); }
	static int write16(pci_dev *d, unsigned off, u16 v) noexcept
	{
		return errno_of(pci_write_config_word(d, where(off), v));
	}
	static int write32(pci_dev *d, unsigned off, u32 v) noexcept
	{
		return errno_of(pci_write_config_dword(d, where(off), v));
	}

private:
	/* The view's offsets are below 4096, so they fit the kernel's int. */
	static int where(unsigned off) noexcept { return static_cast<int>(off); }
	/*
	 * Success tested first, as C does (if (err) return pcibios_err_to_errno(err);), so that
	 * GCC folds config_space's own err != 0 test into this one.
	 */
	static int errno_of(int err) noexcept { return err == 0 ? 0 : pcibios_err_to_errno(err); }
};

/**
 * The kernel configuration space backend.
 *
 *     ioview::view<kconfig, ioview::pci::normal_config> cfg = config_view(pdev).value();
 */
using kconfig = ioview::config_space<kernel_config_accessors>;

/**
 * The 256-byte configuration space every PCI function has.
 *
 * Errors: -EFAULT for a null @p pdev; nothing else (nothing is accessed).
 * The view is valid while the caller holds @p pdev (bound to its driver, or
 * referenced).
 *
 *     auto cfg = config_view(pdev);
 *     if (cfg)
 *             IOVIEW_PROJECT(ioview::pci::header(cfg.value()), interrupt_line).write_val(11);
 */
inline result<view<kconfig, pci::normal_config>> config_view(pci_dev *pdev) noexcept
{
	return kconfig::try_view<pci::normal_config>(pdev, pci::normal_config_size);
}

/**
 * The 4096-byte extended configuration space, for the extended capability
 * walk and registers at 0x100 and up.
 *
 * Errors (nothing is accessed):
 * -EFAULT: @p pdev is null;
 * -EOPNOTSUPP: the function has no extended space as the PCI core found it
 *  (pdev->cfg_size is 256: conventional PCI, or a platform without
 *  extended configuration access such as QEMU's `pc` machine, which has no
 *  ECAM/MMCONFIG).
 *
 *     auto ext = extended_config_view(pdev);
 *     if (!ext)
 *             return ext.error();     // -EOPNOTSUPP on a 256-byte function
 *     auto aer = ioview::pci::find_ext_capability(ext.value(), ioview::pci::ext_cap_aer);
 */
inline result<view<kconfig, pci::extended_config>> extended_config_view(pci_dev *pdev) noexcept
{
	if (pdev == nullptr)
		return fail(efault);
	if (ioview_shim_pci_cfg_size(pdev) < static_cast<int>(pci::extended_config_size))
		return fail(eopnotsupp);
	return kconfig::try_view<pci::extended_config>(pdev, pci::extended_config_size);
}

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_KERNEL_CONFIG_H
