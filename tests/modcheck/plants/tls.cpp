// SPDX-License-Identifier: GPL-2.0
// thread_local has no meaning in the kernel: .tbss.
#include "plants.h"

namespace {
thread_local int calls;
} // namespace

int plant_tls(void)
{
	return ++calls;
}
