// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of the C++ runtime: the kernel calls behind operator new and
 * delete, and the ends of broken C++ contracts (a pure virtual call, a
 * precondition of the view library).
 */
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "ioview_cxxrt_abi.h"

static gfp_t ioview_cxxrt_gfp_flags(enum ioview_cxxrt_gfp gfp)
{
	return gfp == IOVIEW_CXXRT_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL;
}

/**
 * ioview_cxxrt_kmalloc() - kmalloc() behind operator new
 * @size: bytes wanted
 * @gfp: %IOVIEW_CXXRT_GFP_KERNEL (may sleep: process context) or
 *	%IOVIEW_CXXRT_GFP_ATOMIC (never sleeps: any context)
 *
 * Return: the uninitialised memory, or NULL if there is none.
 */
void *ioview_cxxrt_kmalloc(ioview_cxxrt_size_t size, enum ioview_cxxrt_gfp gfp)
{
	return kmalloc(size, ioview_cxxrt_gfp_flags(gfp));
}

/**
 * ioview_cxxrt_kfree() - kfree() behind operator delete
 * @ptr: what ioview_cxxrt_kmalloc() returned, or NULL (nothing happens)
 *
 * Any context.
 */
void ioview_cxxrt_kfree(const void *ptr)
{
	kfree(ptr);
}

/**
 * ioview_cxxrt_pure_virtual_called() - the end of a call through a pure
 * virtual slot
 *
 * The runtime's __cxa_pure_virtual() calls it.  Such a call means an
 * object was used while half constructed or destroyed; nothing can be
 * returned to the caller, so it logs and BUG()s.  Does not return.
 */
void ioview_cxxrt_pure_virtual_called(void)
{
	pr_emerg("%s: pure virtual function called\n", KBUILD_MODNAME);
	BUG();
}

/**
 * ioview_cxxrt_contract_violation() - report a broken view library
 * precondition
 * @what: which contract, e.g. value() of a result that holds an error
 * @err: the errno the broken call carried
 *
 * WARNs with both and returns: the library then hands out an all-zero
 * value, never what the broken call would have used.  Any context.
 */
void ioview_cxxrt_contract_violation(const char *what, int err)
{
	WARN(1, "%s (error %d)\n", what, err);
}
