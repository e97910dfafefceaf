// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/printk.h>
#include "plants.h"

int plant_value(void)
{
	pr_info("ioview_plants: %d\n", plant_ctor() + plant_guard() + plant_tls());
	return 1;
}

MODULE_DESCRIPTION("Planted violations of the kernel C++ subset (never loaded)");
MODULE_LICENSE("GPL");
