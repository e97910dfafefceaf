// SPDX-License-Identifier: GPL-2.0
// C++ calling a kernel function directly instead of through the shim.
#include "plants.h"

extern "C" int _printk(const char *fmt, ...);

void plant_kernel_call(void)
{
	_printk("planted\n");
}
