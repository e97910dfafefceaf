// SPDX-License-Identifier: GPL-2.0
#include "plants.h"

extern "C" int stripped_access(int *p, int shift)
{
	IOVIEW_SANITIZER_PLANT_BODY(p, shift);
}
