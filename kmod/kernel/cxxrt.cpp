// SPDX-License-Identifier: GPL-2.0
//
// Definitions for cxxrt.h, plus the replaceable deallocation functions a
// delete-expression calls.  Every function forwards to the C shim.
#include "kernel/cxxrt.h"

void *operator new(ioview_size_t size, ioview::kernel::gfp gfp) noexcept
{
	return ioview_shim_kmalloc(size, static_cast<ioview_gfp>(gfp));
}

void *operator new[](ioview_size_t size, ioview::kernel::gfp gfp) noexcept
{
	return ioview_shim_kmalloc(size, static_cast<ioview_gfp>(gfp));
}

void operator delete(void *ptr, ioview::kernel::gfp) noexcept
{
	ioview_shim_kfree(ptr);
}

void operator delete[](void *ptr, ioview::kernel::gfp) noexcept
{
	ioview_shim_kfree(ptr);
}

void operator delete(void *ptr) noexcept
{
	ioview_shim_kfree(ptr);
}

void operator delete[](void *ptr) noexcept
{
	ioview_shim_kfree(ptr);
}

void operator delete(void *ptr, ioview_size_t) noexcept
{
	ioview_shim_kfree(ptr);
}

void operator delete[](void *ptr, ioview_size_t) noexcept
{
	ioview_shim_kfree(ptr);
}

extern "C" void __cxa_pure_virtual();

extern "C" void __cxa_pure_virtual()
{
	ioview_shim_pure_virtual_called();
}
