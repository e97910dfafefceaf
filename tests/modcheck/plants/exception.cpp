// SPDX-License-Identifier: GPL-2.0
// throw and catch: exception tables and the C++ EH runtime.
#include "plants.h"

namespace {
int thrower(int x)
{
	if (x)
		throw x;
	return 0;
}
} // namespace

int plant_exception(int x)
{
	try {
		return thrower(x);
	} catch (int e) {
		return e + 1;
	}
}
