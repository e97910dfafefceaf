// SPDX-License-Identifier: GPL-2.0
/*
 * Memory for the C++ side: kmalloc/kfree with a named context, for buffers the
 * self-tests and the benchmark allocate without a new-expression.
 */
#include <linux/slab.h>

#include "shim.h"

static gfp_t ioview_gfp_flags(enum ioview_gfp gfp)
{
	return gfp == IOVIEW_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL;
}

/**
 * ioview_shim_kmalloc() - kmalloc() for the C++ side
 * @size: bytes wanted
 * @gfp: %IOVIEW_GFP_KERNEL (may sleep: process context) or
 *	%IOVIEW_GFP_ATOMIC (never sleeps: any context)
 *
 * Return: the uninitialised memory, or NULL if there is none.
 */
void *ioview_shim_kmalloc(ioview_size_t size, enum ioview_gfp gfp)
{
	return kmalloc(size, ioview_gfp_flags(gfp));
}

/**
 * ioview_shim_kfree() - kfree() for the C++ side
 * @ptr: what ioview_shim_kmalloc() returned, or NULL (nothing happens)
 *
 * Any context.
 */
void ioview_shim_kfree(const void *ptr)
{
	kfree(ptr);
}
