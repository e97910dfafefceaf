// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel threads for the C++ side: a second context for the self-tests
 * that must act while an operation is in flight (unbinding a device under
 * a running transfer).  The thread's body is the C++ ioview_driver_thread().
 * Joining first waits for the body to have returned (kthread_stop() alone
 * would skip a body that has not started yet), then kthread_stop(), which
 * needs the thread alive: a finished body leaves its thread waiting for the
 * stop, so the task never exits before the join looks at it.
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "shim.h"

struct ioview_thread {
	struct task_struct *task;
	struct completion finished;
	void *ctx;
};

static int ioview_thread_fn(void *data)
{
	struct ioview_thread *t = data;

	ioview_driver_thread(t->ctx);
	complete(&t->finished);
	/* kthread_stop() requires the thread to still be there: wait for it. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/**
 * ioview_shim_thread_start() - run ioview_driver_thread(@ctx) in a new kthread
 * @ctx: handed to ioview_driver_thread()
 * @name: the thread's name (a plain string, not a format)
 * @out: receives the thread, to be joined; untouched on error
 *
 * Return: 0, or the negative errno of kthread_run() (-ENOMEM, -EINTR).
 */
int ioview_shim_thread_start(void *ctx, const char *name, struct ioview_thread **out)
{
	struct ioview_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct task_struct *task;

	if (!t)
		return -ENOMEM;
	t->ctx = ctx;
	init_completion(&t->finished);
	task = kthread_run(ioview_thread_fn, t, "%s", name);
	if (IS_ERR(task)) {
		kfree(t);
		return PTR_ERR(task);
	}
	t->task = task;
	*out = t;
	return 0;
}

/**
 * ioview_shim_thread_join() - wait until the thread's body returned, then free it
 * @t: a thread from ioview_shim_thread_start()
 *
 * Process context; must not be called from the thread itself.
 */
void ioview_shim_thread_join(struct ioview_thread *t)
{
	wait_for_completion(&t->finished);
	kthread_stop(t->task);
	kfree(t);
}
