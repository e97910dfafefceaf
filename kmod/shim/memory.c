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

void *ioview_shim_kmalloc(ioview_size_t size, enum ioview_gfp gfp)
{
	return kmalloc(size, ioview_gfp_flags(gfp));
}

void ioview_shim_kfree(const void *ptr)
{
	kfree(ptr);
}
