// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include "plants.h"

int ioview_sanitizer_plants_use(int *p, int s);
int ioview_sanitizer_plants_use(int *p, int s)
{
	return covered_access(p, s) + opted_out_access(p, s) + stripped_access(p, s) +
	       smuggled_access(p, s);
}
EXPORT_SYMBOL_GPL(ioview_sanitizer_plants_use);

MODULE_DESCRIPTION("C++ objects whose sanitizer instrumentation is wrong (never loaded)");
MODULE_LICENSE("GPL");
