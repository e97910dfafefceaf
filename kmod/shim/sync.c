// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronisation for the C++ side: objects whose size and layout only the
 * kernel's headers know (struct mutex and struct completion vary with the
 * configuration: lockdep, debug checks), so the shim allocates them and C++
 * holds opaque pointers; and 64-bit atomic counters, whose layout is fixed
 * and checked here, for what an interrupt handler counts.
 */
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "shim.h"

struct ioview_mutex {
	struct mutex lock;	/* the kernel's mutex; opaque to C++ */
};

struct ioview_event {
	struct completion done;
};

static_assert(sizeof(struct ioview_counter) == sizeof(atomic64_t) &&
	      __alignof__(struct ioview_counter) >= __alignof__(atomic64_t) &&
	      offsetof(struct ioview_counter, value) == offsetof(atomic64_t, counter),
	      "struct ioview_counter must be laid out as atomic64_t");

/**
 * ioview_shim_mutex_create() - allocate and initialise a mutex
 * @out: receives the mutex; untouched on error
 *
 * Process context (allocates with GFP_KERNEL).
 *
 * Return: 0, or -ENOMEM.
 */
int ioview_shim_mutex_create(struct ioview_mutex **out)
{
	struct ioview_mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	mutex_init(&m->lock);
	*out = m;
	return 0;
}

/**
 * ioview_shim_mutex_destroy() - free a mutex made by ioview_shim_mutex_create()
 * @m: the mutex, unlocked; NULL does nothing
 */
void ioview_shim_mutex_destroy(struct ioview_mutex *m)
{
	if (!m)
		return;
	mutex_destroy(&m->lock);
	kfree(m);
}

/**
 * ioview_shim_mutex_lock() - take @m, sleeping as long as it takes
 * @m: the mutex
 *
 * For paths that must not give up, such as remove().  Process context.
 */
void ioview_shim_mutex_lock(struct ioview_mutex *m)
{
	mutex_lock(&m->lock);
}

/**
 * ioview_shim_mutex_lock_interruptible() - take @m unless a signal comes first
 * @m: the mutex
 *
 * For operations a caller started: one may wait behind a transfer for a
 * while, and a signal should be able to end that wait.  Process context.
 *
 * Return: 0 with @m held, or -EINTR without it.
 */
int ioview_shim_mutex_lock_interruptible(struct ioview_mutex *m)
{
	return mutex_lock_interruptible(&m->lock);
}

/**
 * ioview_shim_mutex_trylock() - take @m only if it is free now
 * @m: the mutex
 *
 * For a periodic worker that must not wait behind the lock: whoever holds
 * it may be cancelling that very worker synchronously.  Process context.
 *
 * Return: non-zero with @m held, 0 without it.
 */
int ioview_shim_mutex_trylock(struct ioview_mutex *m)
{
	return mutex_trylock(&m->lock);
}

/**
 * ioview_shim_mutex_unlock() - release @m, taken by the caller
 * @m: the mutex
 */
void ioview_shim_mutex_unlock(struct ioview_mutex *m)
{
	mutex_unlock(&m->lock);
}

/**
 * ioview_shim_event_create() - allocate a one-shot event (a struct completion)
 * @out: receives the event, not signalled; untouched on error
 *
 * Process context (allocates with GFP_KERNEL).
 *
 * Return: 0, or -ENOMEM.
 */
int ioview_shim_event_create(struct ioview_event **out)
{
	struct ioview_event *e = kmalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return -ENOMEM;
	init_completion(&e->done);
	*out = e;
	return 0;
}

/**
 * ioview_shim_event_destroy() - free an event
 * @e: the event, nobody waiting on or signalling it; NULL does nothing
 */
void ioview_shim_event_destroy(struct ioview_event *e)
{
	kfree(e);
}

/**
 * ioview_shim_event_reset() - forget earlier signals (reinit_completion())
 * @e: the event, nobody waiting on it
 *
 * Call before starting what will signal it, so that a signal left over from
 * an earlier operation is not taken for this one's.
 */
void ioview_shim_event_reset(struct ioview_event *e)
{
	reinit_completion(&e->done);
}

/**
 * ioview_shim_event_signal() - signal @e (complete()), waking one waiter
 * @e: the event
 *
 * Any context, hard interrupt included: never sleeps.
 */
void ioview_shim_event_signal(struct ioview_event *e)
{
	complete(&e->done);
}

/**
 * ioview_shim_event_wait() - wait until @e is signalled, at most @timeout_ms
 * @e: the event
 * @timeout_ms: the bound, in milliseconds
 *
 * wait_for_completion_timeout(), uninterruptible: the bound keeps it short.
 * Consumes one signal.  What the signaller wrote before signalling is
 * visible after a 0 return.  Process context.
 *
 * Return: 0 once signalled; -ETIMEDOUT if the bound passed first.
 */
int ioview_shim_event_wait(struct ioview_event *e, unsigned int timeout_ms)
{
	unsigned long left = wait_for_completion_timeout(&e->done, msecs_to_jiffies(timeout_ms));

	return left ? 0 : -ETIMEDOUT;
}

/**
 * ioview_shim_counter_inc() - atomic64_inc() on a counter
 * @c: the counter
 *
 * Any context.  Unordered: a counter orders nothing around it.
 */
void ioview_shim_counter_inc(struct ioview_counter *c)
{
	atomic64_inc((atomic64_t *)c);
}

/**
 * ioview_shim_counter_set() - atomic64_set(): store @v, e.g. a timestamp from a handler
 * @c: the counter
 * @v: the new value
 */
void ioview_shim_counter_set(struct ioview_counter *c, unsigned long long v)
{
	atomic64_set((atomic64_t *)c, v);
}

/**
 * ioview_shim_counter_read() - atomic64_read() of a counter
 * @c: the counter
 *
 * Return: its value, as some moment between the call and the return saw it.
 */
unsigned long long ioview_shim_counter_read(const struct ioview_counter *c)
{
	return atomic64_read((const atomic64_t *)c);
}

static_assert(sizeof(struct ioview_refcount) == sizeof(refcount_t) &&
	      __alignof__(struct ioview_refcount) >= __alignof__(refcount_t),
	      "struct ioview_refcount must be laid out as refcount_t");

/**
 * ioview_shim_refcount_set() - refcount_set(): the first count
 * @r: the count, not yet seen by anyone else
 * @n: its value
 */
void ioview_shim_refcount_set(struct ioview_refcount *r, unsigned int n)
{
	refcount_set((refcount_t *)r, n);
}

/**
 * ioview_shim_refcount_get() - refcount_inc(): one more reference
 * @r: the count; the caller holds a reference already
 *
 * Any context.  An increment from zero WARNs and leaves the count saturated.
 */
void ioview_shim_refcount_get(struct ioview_refcount *r)
{
	refcount_inc((refcount_t *)r);
}

/**
 * ioview_shim_refcount_put() - refcount_dec_and_test(): drop one reference
 * @r: the count
 *
 * Return: non-zero when that was the last one: the caller frees the object.
 */
int ioview_shim_refcount_put(struct ioview_refcount *r)
{
	return refcount_dec_and_test((refcount_t *)r);
}

/**
 * ioview_shim_flag_raise() - raise @f for good, then a full barrier
 * @f: the flag
 *
 * The barrier orders the raise before whatever the caller does next (a
 * wake-up), pairing with the one in ioview_shim_flag_test(): a waiter that
 * reset its event, then tested, either sees the flag or is woken later.
 */
void ioview_shim_flag_raise(struct ioview_flag *f)
{
	WRITE_ONCE(f->value, 1);
	/* Pairs with ioview_shim_flag_test(): the raise before the wake-up. */
	smp_mb();
}

/**
 * ioview_shim_flag_test() - a full barrier, then whether a flag was raised
 * @f: the flag
 *
 * The barrier pairs with the one in ioview_shim_flag_raise().  Any context.
 *
 * Return: non-zero once @f was raised.
 */
int ioview_shim_flag_test(const struct ioview_flag *f)
{
	/* Pairs with ioview_shim_flag_raise(): the event's reset before the test. */
	smp_mb();
	return READ_ONCE(f->value);
}
