// SPDX-License-Identifier: GPL-2.0
// dynamic_cast needs type_info objects for both classes.
#include "plants.h"

namespace {
struct base {
	virtual ~base() = default;
	virtual int f() { return 1; }
};
struct derived : base {
	int f() override { return 2; }
};
} // namespace

int plant_rtti(void *p)
{
	return dynamic_cast<derived *>(static_cast<base *>(p)) != nullptr;
}
