// SPDX-License-Identifier: GPL-2.0
//
// The whole C++ runtime of a module built with ioview.mk, which links it in
// (ioview_cxxrt.cpp over its C half, ioview_cxxrt_shim.c).
//
// Allocation names its context and can fail, like kmalloc():
//
//     auto *state = new (ioview::kernel::gfp::kernel) device_state{};
//     if (!state)
//             return -ENOMEM;
//     ...
//     delete state;
//
// There is no throwing operator new: a plain `new T` leaves an undefined
// reference to operator new(size_t) that the module check refuses.  The
// only other runtime symbol is __cxa_pure_virtual, which reports through
// its C half.  Nothing else (no exceptions, RTTI, static guards, atexit) is
// provided, and the module check proves nothing else is needed.
#ifndef IOVIEW_CXXRT_H
#define IOVIEW_CXXRT_H

#include "ioview_cxxrt_abi.h"

namespace ioview::kernel {

/// Allocation context of a `new (gfp) T` expression.
enum class gfp {
	kernel = IOVIEW_CXXRT_GFP_KERNEL,	///< may sleep
	atomic = IOVIEW_CXXRT_GFP_ATOMIC,	///< never sleeps; use in atomic context
};

} // namespace ioview::kernel

/// Allocates with kmalloc(); returns nullptr on failure (then no
/// constructor runs and the new-expression yields nullptr).
void *operator new(ioview_cxxrt_size_t size, ioview::kernel::gfp gfp) noexcept;
void *operator new[](ioview_cxxrt_size_t size, ioview::kernel::gfp gfp) noexcept;

/// Placement forms matching the above; only a constructor that throws
/// would call them, which cannot happen without exceptions.
void operator delete(void *ptr, ioview::kernel::gfp gfp) noexcept;
void operator delete[](void *ptr, ioview::kernel::gfp gfp) noexcept;

#endif // IOVIEW_CXXRT_H
