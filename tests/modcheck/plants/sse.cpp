// SPDX-License-Identifier: GPL-2.0
// Floating point compiled with SSE enabled: xmm registers in kernel code.
#include "plants.h"

int plant_sse(int a, int b)
{
	return static_cast<int>(static_cast<double>(a) / b);
}
