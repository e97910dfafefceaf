// SPDX-License-Identifier: GPL-2.0
//
// The errno values the module's C++ code returns beyond those of
// <ioview/support.h>, equal to include/uapi/asm-generic/errno-base.h (C++
// cannot include it).  Negate them, as the kernel does:
//
//     if (!base)
//             return ioview::fail(ioview::kernel::enomem);   // -ENOMEM
#ifndef IOVIEW_KMOD_KERNEL_ERRNO_H
#define IOVIEW_KMOD_KERNEL_ERRNO_H

namespace ioview::kernel {

inline constexpr int eperm = 1;		///< operation not permitted
inline constexpr int eintr = 4;		///< interrupted system call
inline constexpr int enxio = 6;		///< no such device or address
inline constexpr int eagain = 11;	///< try again
inline constexpr int enomem = 12;	///< out of memory
inline constexpr int ebusy = 16;	///< device or resource busy
inline constexpr int enotty = 25;	///< not a typewriter (a bad PCI vendor id, to pcibios_err_to_errno())
inline constexpr int enospc = 28;	///< no space left (a buffer too small, to pcibios_err_to_errno())

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_KERNEL_ERRNO_H
