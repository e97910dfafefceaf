// SPDX-License-Identifier: GPL-2.0
//
// bar_mapping on real BARs.  The driver holds edu's BAR0 (it is the edu
// driver's mapping), so the cases that need a BAR nobody holds use
// ivshmem's BAR0, 256 bytes of registers that only the netlink family's
// register accesses map, for one access under the device lock these cases
// hold, and that these cases never access: a BAR
// below the declared minimum is refused and left free, a mapping is
// exclusive, and moving or destroying it hands over or gives back the
// request.  On edu they check that a BAR the driver holds cannot be mapped
// again, that the refusal leaves the driver's mapping working, and that bad
// BAR numbers are refused before anything is requested.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/edu_logic.h"
#include "kernel/bar_mapping.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;

// ivshmem-plain's BAR0 (QEMU hw/misc/ivshmem.c: IVSHMEM_REG_BAR_SIZE): its
// registers, as an untyped region only these cases map.
struct ivshmem_bar0_tag;
constexpr usize ivshmem_bar0_len = 0x100;
using ivshmem_bar0 = region<ivshmem_bar0_len, ivshmem_bar0_tag, 4>;
using larger_than_ivshmem_bar0 = region<2 * ivshmem_bar0_len, ivshmem_bar0_tag, 4>;
using larger_than_edu_bar0 = region<2 * hw::bar_bytes, ivshmem_bar0_tag, 8>;

constexpr int ivshmem_registers_bar = 0;
constexpr const char *no_edu = "no edu function bound to ioview";
constexpr const char *no_ivshmem = "no ivshmem function bound to ioview";

verdict too_small_bar_fails_and_stays_free(context &t)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);

	auto big = bar_mapping<larger_than_ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (big.ok())
		return t.fail("mapping 256-byte BAR0 as 512 succeeded (%zu bytes)", big.value().size());
	if (big.error() != -enxio)
		return t.fail("mapping 256-byte BAR0 as 512 failed with %d, want %d", big.error(), -enxio);
	// The failed map must have released its request: this one would get -EBUSY otherwise.
	auto right = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (!right)
		return t.fail("mapping BAR0 right after the refused one failed with %d", right.error());
	if (right.value().size() != ivshmem_bar0_len || right.value().bar() != ivshmem_registers_bar)
		return t.fail("mapped %zu bytes of BAR%d, want %zu of BAR0", right.value().size(), right.value().bar(),
			      ivshmem_bar0_len);
	return t.pass();
}

verdict mapping_is_exclusive(context &t)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);

	auto first = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (!first)
		return t.fail("first map failed with %d", first.error());
	auto second = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (second.ok() || second.error() != -ebusy)
		return t.fail("second map of a held BAR gave %d, want %d", second.error(), -ebusy);
	first.value().reset();
	if (first.value().mapped())
		return t.fail("reset() left the mapping in place");
	auto third = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (!third)
		return t.fail("map after reset() failed with %d", third.error());
	return t.pass();
}

// The driver's mapping of edu's BAR0 is a request like any other: a second one is refused
// (before and regardless of the length check's verdict on a fitting type), and the refusal
// takes nothing from the driver, whose view still reaches the device.
verdict driver_held_bar_is_busy(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);
	edu::device *dev = edu::of(edu.get());
	if (!dev)
		return t.fail("edu is bound but has no driver state");

	auto again = bar_mapping<hw::bar0>::map(edu.get(), hw::bar_number);
	if (again.ok() || again.error() != -ebusy)
		return t.fail("mapping the driver's BAR0 gave %d, want %d", again.error(), -ebusy);
	// Too long a type is refused by length before any request is made, held BAR or not.
	auto big = bar_mapping<larger_than_edu_bar0>::map(edu.get(), hw::bar_number);
	if (big.error() != -enxio)
		return t.fail("mapping 1 MiB BAR0 as 2 MiB gave %d, want %d", big.error(), -enxio);
	auto bar = edu::bar(dev);
	u32 id = hw::identification::read(bar).raw();
	if (id != hw::identification_value)
		return t.fail("after the refusals the driver's view reads identification %#010x, want %#010x", id,
			      hw::identification_value);
	if (!drivers::edu::check_liveness(bar))
		return t.fail("after the refusals liveness no longer answers through the driver's view");
	return t.pass();
}

verdict move_hands_over_ownership(context &t)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);

	auto m = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (!m)
		return t.fail("map failed with %d", m.error());
	bar_mapping<ivshmem_bar0> owner = m.take();
	if (m.value().mapped() || !owner.mapped())
		return t.fail("take() did not move: source mapped=%d, target mapped=%d", m.value().mapped(),
			      owner.mapped());
	{
		bar_mapping<ivshmem_bar0> inner = static_cast<bar_mapping<ivshmem_bar0> &&>(owner);
		if (owner.mapped() || owner.size() != 0 || inner.size() != ivshmem_bar0_len)
			return t.fail("move construction left source size %zu, target size %zu", owner.size(),
				      inner.size());
		auto busy = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
		if (busy.error() != -ebusy)
			return t.fail("the moved-to mapping does not hold the request (map gave %d)", busy.error());
	}
	// inner is gone: the request went with it.
	auto again = bar_mapping<ivshmem_bar0>::map(shm.get(), ivshmem_registers_bar);
	if (!again)
		return t.fail("map after the owner's destruction failed with %d", again.error());
	return t.pass();
}

verdict bad_bar_numbers_are_refused(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);

	// Refused before any request: so the driver holding BAR0 does not matter.
	auto neg = bar_mapping<hw::bar0>::map(edu.get(), -1);
	auto six = bar_mapping<hw::bar0>::map(edu.get(), 6);
	auto unused = bar_mapping<region<4>>::map(edu.get(), 1);	// edu has BAR0 only
	if (neg.error() != -einval || six.error() != -einval || unused.error() != -enodev)
		return t.fail("BAR -1/6/1 gave %d/%d/%d, want %d/%d/%d", neg.error(), six.error(), unused.error(),
			      -einval, -einval, -enodev);
	return t.pass();
}

constinit const test_case bar_cases[] = {
	{ "too_small_bar_fails_and_stays_free", too_small_bar_fails_and_stays_free },
	{ "mapping_is_exclusive", mapping_is_exclusive },
	{ "driver_held_bar_is_busy", driver_held_bar_is_busy },
	{ "move_hands_over_ownership", move_hands_over_ownership },
	{ "bad_bar_numbers_are_refused", bad_bar_numbers_are_refused },
};

} // namespace

constinit const suite bar_suite{ "ioview_bar_mapping", bar_cases };

} // namespace ioview::kernel::selftest
