// SPDX-License-Identifier: GPL-2.0
// The throwing operator new(size_t), which the kernel does not provide.
#include "plants.h"

int *plant_plain_new(void)
{
	return new int(plant_value());
}
