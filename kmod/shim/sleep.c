// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping for the C++ side: msleep() for waits of a tick or more,
 * usleep_range() for the short waits between two looks at shared memory.
 */
#include <linux/delay.h>

#include "shim.h"

/**
 * ioview_shim_msleep() - msleep() for the C++ side
 * @ms: at least this many milliseconds; process context
 */
void ioview_shim_msleep(unsigned int ms)
{
	msleep(ms);
}

/**
 * ioview_shim_usleep_range() - usleep_range() for the C++ side
 * @min_us: at least this many microseconds
 * @max_us: at most about this many; the slack lets the kernel end the sleep
 *	with another timer's interrupt instead of programming one of its own
 *
 * An hrtimer sleep, uninterruptible, process context.  Unlike msleep(),
 * which is a timer-wheel timeout of msecs_to_jiffies() + 1 jiffies (4 to
 * 8 ms for msleep(1) at HZ=250), it is not rounded to the tick where the
 * kernel has high-resolution timers.  Without them (CONFIG_HIGH_RES_TIMERS
 * unset) hrtimers expire from the tick, so the sleep lasts until the next
 * tick: still at most one jiffy, where msleep(1) takes two.
 */
void ioview_shim_usleep_range(unsigned int min_us, unsigned int max_us)
{
	usleep_range(min_us, max_us);
}
