// SPDX-License-Identifier: GPL-2.0
//
// Definitions for ioview_cxxrt.h, plus the replaceable deallocation functions a
// delete-expression calls.  Every function forwards to the C half
// (ioview_cxxrt_shim.c).
#include "ioview_cxxrt.h"

void *operator new(ioview_cxxrt_size_t size, ioview::kernel::gfp gfp) noexcept
{
	return ioview_cxxrt_kmalloc(size, static_cast<ioview_cxxrt_gfp>(gfp));
}

void *operator new[](ioview_cxxrt_size_t size, ioview::kernel::gfp gfp) noexcept
{
	return ioview_cxxrt_kmalloc(size, static_cast<ioview_cxxrt_gfp>(gfp));
}

void operator delete(void *ptr, ioview::kernel::gfp) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

void operator delete[](void *ptr, ioview::kernel::gfp) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

void operator delete(void *ptr) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

void operator delete[](void *ptr) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

void operator delete(void *ptr, ioview_cxxrt_size_t) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

void operator delete[](void *ptr, ioview_cxxrt_size_t) noexcept
{
	ioview_cxxrt_kfree(ptr);
}

extern "C" void __cxa_pure_virtual();

extern "C" void __cxa_pure_virtual()
{
	ioview_cxxrt_pure_virtual_called();
}
