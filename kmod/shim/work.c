// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred work for the C++ side: a delayed_work whose callback is the C++
 * ioview_driver_poll(ctx).  struct delayed_work's layout depends on the
 * kernel's configuration (lockdep, debug objects), so the shim allocates it
 * and C++ holds an opaque pointer, as with the mutex and event of sync.c.
 * The callback re-arms itself through ioview_shim_work_schedule(): a
 * periodic poll with a sleep between runs, never a busy loop.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "shim.h"

struct ioview_work {
	struct delayed_work work;
	void *ctx;
};

static void ioview_work_fn(struct work_struct *w)
{
	struct ioview_work *iw = container_of(to_delayed_work(w), struct ioview_work, work);

	ioview_driver_poll(iw->ctx);
}

/**
 * ioview_shim_work_create() - allocate a delayed work calling ioview_driver_poll(@ctx)
 * @ctx: handed to ioview_driver_poll() on each run
 * @out: receives the work; untouched on error
 *
 * The work is not scheduled.  Process context (GFP_KERNEL).
 *
 * Return: 0, or -ENOMEM.
 */
int ioview_shim_work_create(void *ctx, struct ioview_work **out)
{
	struct ioview_work *iw = kzalloc(sizeof(*iw), GFP_KERNEL);

	if (!iw)
		return -ENOMEM;
	INIT_DELAYED_WORK(&iw->work, ioview_work_fn);
	iw->ctx = ctx;
	*out = iw;
	return 0;
}

/**
 * ioview_shim_work_schedule() - run the work once, @delay_ms from now
 * @w: the work
 * @delay_ms: at least this many milliseconds (rounded up to jiffies)
 *
 * On the system workqueue.  Does nothing if the work is already pending;
 * may be called from the work itself to re-arm it, and is then refused
 * while ioview_shim_work_cancel_sync() runs (the kernel's canceling flag),
 * which is what makes cancelling a self-re-arming work safe.  Any context.
 */
void ioview_shim_work_schedule(struct ioview_work *w, unsigned int delay_ms)
{
	schedule_delayed_work(&w->work, msecs_to_jiffies(delay_ms));
}

/**
 * ioview_shim_work_cancel_sync() - cancel the work and wait for a running one
 * @w: the work
 *
 * cancel_delayed_work_sync(): on return the work is neither pending nor
 * running, even if it re-arms itself.  Must not be called from the work,
 * nor with a lock the work takes unconditionally.  Process context.
 */
void ioview_shim_work_cancel_sync(struct ioview_work *w)
{
	cancel_delayed_work_sync(&w->work);
}

/**
 * ioview_shim_work_destroy() - free a work made by ioview_shim_work_create()
 * @w: the work, cancelled (ioview_shim_work_cancel_sync()); NULL does nothing
 */
void ioview_shim_work_destroy(struct ioview_work *w)
{
	kfree(w);
}
