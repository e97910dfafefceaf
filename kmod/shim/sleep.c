// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping for the C++ side.
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
