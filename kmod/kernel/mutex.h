// SPDX-License-Identifier: GPL-2.0
//
// A shim mutex held for the length of a scope, the way drivers here take
// their per-device operation lock:
//
//     interruptible_lock l(dev.lock);
//     if (int err = l.error())
//             return err;                 // -EINTR: a signal came first
//     ...                                 // the lock is held until l goes
#ifndef IOVIEW_KMOD_KERNEL_MUTEX_H
#define IOVIEW_KMOD_KERNEL_MUTEX_H

#include "shim/shim.h"

namespace ioview::kernel {

/**
 * mutex_lock_interruptible() on construction, mutex_unlock() on
 * destruction if the lock was taken.  Not copyable: one scope, one hold.
 */
class interruptible_lock {
public:
	explicit interruptible_lock(ioview_mutex *m) noexcept : m_(m), err_(ioview_shim_mutex_lock_interruptible(m)) {}
	~interruptible_lock()
	{
		if (!err_)
			ioview_shim_mutex_unlock(m_);
	}
	interruptible_lock(const interruptible_lock &) = delete;
	interruptible_lock &operator=(const interruptible_lock &) = delete;

	/// 0 with the lock held, else -EINTR.
	int error() const noexcept { return err_; }

private:
	ioview_mutex *m_;
	int err_;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_KERNEL_MUTEX_H
