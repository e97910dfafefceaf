// SPDX-License-Identifier: GPL-2.0
/*
 * Memory for the C++ side (kmalloc/kfree with a named context) and the ends of
 * broken C++ contracts (a pure virtual call, a library precondition).
 */
#include <linux/bug.h>
#include <linux/printk.h>
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

void ioview_shim_pure_virtual_called(void)
{
	pr_emerg("ioview: pure virtual function called\n");
	BUG();
}

void ioview_shim_contract_violation(const char *what, int err)
{
	WARN(1, "%s (error %d)\n", what, err);
}
