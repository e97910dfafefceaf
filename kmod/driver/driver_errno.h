/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file driver/driver_errno.h
 * @brief The errno values the device-independent driver logic returns beyond those of
 * <ioview/support.h> (enodev, einval, erange...). Equal to the kernel's
 * include/uapi/asm-generic/errno-base.h and errno.h, which C++ cannot include; returned
 * negated, as the kernel does.
 *
 * Kept apart from kmod/kernel/errno.h on purpose: that one belongs to the module's kernel glue,
 * this one to code that also builds in userspace.
 *
 * ```cpp
 * ioview::status refuse_while_busy(bool busy)
 * {
 *         return busy ? ioview::fail(ioview::drivers::ebusy) : ioview::status::success();   // -EBUSY
 * }
 * ```
 */
#ifndef IOVIEW_KMOD_DRIVER_DRIVER_ERRNO_H
#define IOVIEW_KMOD_DRIVER_DRIVER_ERRNO_H

namespace ioview::drivers {

inline constexpr int ebusy = 16;      ///< EBUSY: device or resource busy
inline constexpr int etimedout = 110; ///< ETIMEDOUT: the device did not finish in time

} // namespace ioview::drivers

#endif /* IOVIEW_KMOD_DRIVER_DRIVER_ERRNO_H */
