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

void *ioview_cxxrt_kmalloc(ioview_cxxrt_size_t size, enum ioview_cxxrt_gfp gfp)
{
	return kmalloc(size, ioview_cxxrt_gfp_flags(gfp));
}

void ioview_cxxrt_kfree(const void *ptr)
{
	kfree(ptr);
}

void ioview_cxxrt_pure_virtual_called(void)
{
	pr_emerg("%s: pure virtual function called\n", KBUILD_MODNAME);
	BUG();
}

void ioview_cxxrt_contract_violation(const char *what, int err)
{
	WARN(1, "%s (error %d)\n", what, err);
}
