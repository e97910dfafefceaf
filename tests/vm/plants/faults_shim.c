// SPDX-License-Identifier: GPL-2.0
/*
 * One fault per load, chosen by a parameter, committed by the C++ side at
 * module init; the module then stays loaded until rmmod like any other, so
 * the case can unload it and the kmemleak scan sees nothing left behind.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "faults.h"

struct faults_lock {
	struct mutex m;	/* static, so each lock is a lockdep class of its own */
};

/* Two distinct static mutexes: two lockdep classes. */
static struct faults_lock lock_a = { .m = __MUTEX_INITIALIZER(lock_a.m) };
static struct faults_lock lock_b = { .m = __MUTEX_INITIALIZER(lock_b.m) };

void *faults_kmalloc(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}

void faults_kfree(void *p)
{
	kfree(p);
}

struct faults_lock *faults_lock_a(void)
{
	return &lock_a;
}

struct faults_lock *faults_lock_b(void)
{
	return &lock_b;
}

void faults_acquire(struct faults_lock *l)
{
	mutex_lock(&l->m);
}

void faults_release(struct faults_lock *l)
{
	mutex_unlock(&l->m);
}

static char *fault = "";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "oob, uaf or lock_inversion: the fault to commit at load");

/* A size the compiler cannot see, so it cannot prove the access wrong. */
static ulong size = 24;
module_param(size, ulong, 0444);

static int __init faults_init(void)
{
	if (!strcmp(fault, "oob"))
		return ioview_faults_oob(size) < 0 ? -ENOMEM : 0;
	if (!strcmp(fault, "uaf"))
		return ioview_faults_uaf(size) < 0 ? -ENOMEM : 0;
	if (!strcmp(fault, "lock_inversion")) {
		ioview_faults_lock_inversion();
		return 0;
	}
	pr_err("ioview_faults: unknown fault '%s'\n", fault);
	return -EINVAL;
}

static void __exit faults_exit(void)
{
}

module_init(faults_init);
module_exit(faults_exit);
MODULE_DESCRIPTION("Planted faults the debug kernel must report (test bed only)");
MODULE_LICENSE("GPL");
