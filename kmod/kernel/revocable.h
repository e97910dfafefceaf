// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::revocable: the part of a driver's per-device state that
// outlives the binding, shared by the edu and mailbox drivers.  It holds
// the counted references (kernel/counted_ref.h), the pinned pci_dev and
// the revoked flag that remove() raises before it releases any hardware;
// revocable_lock is the operation lock that refuses a revoked device.
//
//     struct device { revocable life; ioview_mutex *lock; ... };
//     dev->life.start(pdev);                  // probe: pinned, the driver's reference
//     ...
//     dev->life.revoke();                     // remove: from here on every operation is -ENODEV
//     if (dev->life.put())                    // the last reference
//             release(dev);                   // which calls dev->life.finish()
//
//     revocable_lock l(dev->lock, dev->life);
//     if (int err = l.error())
//             return err;                     // -EINTR, or -ENODEV once revoked (lock held)
#ifndef IOVIEW_KMOD_REVOCABLE_H
#define IOVIEW_KMOD_REVOCABLE_H

#include <ioview/support.h>

#include "kernel/mutex.h"
#include "shim/shim.h"

namespace ioview::kernel {

class revocable {
public:
	/// Pins @pdev and sets the driver's reference; before anyone else sees the state.
	void start(pci_dev *pdev) noexcept
	{
		ioview_shim_pci_dev_get(pdev);
		pdev_ = pdev;
		ioview_shim_refcount_set(&refs_, 1);
	}
	/// The function, pinned until finish().
	pci_dev *pdev() const noexcept { return pdev_; }

	/// Raises the flag for good, with a full barrier: what the caller does next (a wake-up)
	/// is never missed by an operation that tests after resetting its event.
	void revoke() noexcept { ioview_shim_flag_raise(&revoked_); }
	/// Whether revoke() was called (a full barrier first).
	bool revoked() const noexcept { return ioview_shim_flag_test(&revoked_); }

	/// One more reference; the caller holds one (or the lock that keeps the state alive).
	void get() noexcept { ioview_shim_refcount_get(&refs_); }
	/// Drops a reference: true when it was the last, and the owner frees the state.
	[[nodiscard]] bool put() noexcept { return ioview_shim_refcount_put(&refs_); }
	/// Unpins the function; with the last reference, as the state is freed.
	void finish() noexcept { ioview_shim_pci_dev_put(pdev_); }

private:
	pci_dev *pdev_ = nullptr;
	ioview_refcount refs_{};
	ioview_flag revoked_{};
};

/// An operation's lock for a scope: interruptible, and refusing a revoked device.
class revocable_lock {
public:
	revocable_lock(ioview_mutex *m, const revocable &r) noexcept : lock_(m), r_(r) {}

	/// 0 with the lock held; -EINTR; -ENODEV (lock held) once the device is revoked.
	int error() const noexcept
	{
		if (lock_.error())
			return lock_.error();
		return r_.revoked() ? -enodev : 0;
	}

private:
	interruptible_lock lock_;
	const revocable &r_;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_REVOCABLE_H
