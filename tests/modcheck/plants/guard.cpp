// SPDX-License-Identifier: GPL-2.0
// A function-local static with a dynamic initializer needs a guard variable.
#include "plants.h"

int plant_guard(void)
{
	static int value = plant_value();
	return value;
}
