// SPDX-License-Identifier: GPL-2.0
// long double compiled with the x87 enabled: FPU instructions in kernel code.
#include "plants.h"

int plant_x87(int a)
{
	long double x = a;
	return static_cast<int>(x * 3.5L);
}
