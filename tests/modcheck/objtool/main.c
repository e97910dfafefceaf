// SPDX-License-Identifier: GPL-2.0
#include <linux/bug.h>
#include <linux/module.h>

void plant_stop(void);

void plant_stop(void)
{
	BUG();
}

MODULE_DESCRIPTION("A C++ object objtool warns about (never loaded)");
MODULE_LICENSE("GPL");
