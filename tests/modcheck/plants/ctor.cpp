// SPDX-License-Identifier: GPL-2.0
// A global whose constructor must run at load time: .init_array.
#include "plants.h"

namespace {
struct counter {
	int n;
	counter() : n(plant_value()) {}
};
counter global_counter;
} // namespace

int plant_ctor(void)
{
	return global_counter.n;
}
