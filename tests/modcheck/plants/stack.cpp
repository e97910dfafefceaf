// SPDX-License-Identifier: GPL-2.0
// A frame over the module check's budget (but under -Wframe-larger-than).
#include "plants.h"

int plant_stack(int i)
{
	volatile char buf[1500];

	buf[i] = 1;
	return buf[0];
}
