// SPDX-License-Identifier: GPL-2.0
//
// bar_mapping on a real BAR (QEMU edu's BAR0, 1 MiB of MMIO): a BAR below
// the declared minimum is refused and left free, a mapping is exclusive,
// and moving or destroying it hands over or gives back the request.
#include <ioview/ioview.h>

#include "kernel/bar_mapping.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

struct edu_tag;
constexpr usize edu_bar0_len = 0x100000;
using edu_bar0 = region<edu_bar0_len, edu_tag, 8>;
using larger_than_edu_bar0 = region<2 * edu_bar0_len, edu_tag, 8>;

constexpr const char *no_edu = "no edu function bound to ioview";

verdict too_small_bar_fails_and_stays_free(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);

	auto big = bar_mapping<larger_than_edu_bar0>::map(edu.get(), 0);
	if (big.ok())
		return t.fail("mapping 1 MiB BAR0 as 2 MiB succeeded (%zu bytes)", big.value().size());
	if (big.error() != -enxio)
		return t.fail("mapping 1 MiB BAR0 as 2 MiB failed with %d, want %d", big.error(), -enxio);
	// The failed map must have released its request: this one would get -EBUSY otherwise.
	auto right = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (!right)
		return t.fail("mapping BAR0 right after the refused one failed with %d", right.error());
	if (right.value().size() != edu_bar0_len || right.value().bar() != 0)
		return t.fail("mapped %zu bytes of BAR%d, want %zu of BAR0", right.value().size(), right.value().bar(),
			      edu_bar0_len);
	return t.pass();
}

verdict mapping_is_exclusive(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);

	auto first = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (!first)
		return t.fail("first map failed with %d", first.error());
	auto second = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (second.ok() || second.error() != -ebusy)
		return t.fail("second map of a held BAR gave %d, want %d", second.error(), -ebusy);
	first.value().reset();
	if (first.value().mapped())
		return t.fail("reset() left the mapping in place");
	auto third = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (!third)
		return t.fail("map after reset() failed with %d", third.error());
	return t.pass();
}

verdict move_hands_over_ownership(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);

	auto m = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (!m)
		return t.fail("map failed with %d", m.error());
	bar_mapping<edu_bar0> owner = m.take();
	if (m.value().mapped() || !owner.mapped())
		return t.fail("take() did not move: source mapped=%d, target mapped=%d", m.value().mapped(),
			      owner.mapped());
	{
		bar_mapping<edu_bar0> inner = static_cast<bar_mapping<edu_bar0> &&>(owner);
		if (owner.mapped() || owner.size() != 0 || inner.size() != edu_bar0_len)
			return t.fail("move construction left source size %zu, target size %zu", owner.size(),
				      inner.size());
		auto busy = bar_mapping<edu_bar0>::map(edu.get(), 0);
		if (busy.error() != -ebusy)
			return t.fail("the moved-to mapping does not hold the request (map gave %d)", busy.error());
	}
	// inner is gone: the request went with it.
	auto again = bar_mapping<edu_bar0>::map(edu.get(), 0);
	if (!again)
		return t.fail("map after the owner's destruction failed with %d", again.error());
	return t.pass();
}

verdict bad_bar_numbers_are_refused(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);

	auto neg = bar_mapping<edu_bar0>::map(edu.get(), -1);
	auto six = bar_mapping<edu_bar0>::map(edu.get(), 6);
	auto unused = bar_mapping<region<4>>::map(edu.get(), 1);	// edu has BAR0 only
	if (neg.error() != -einval || six.error() != -einval || unused.error() != -enodev)
		return t.fail("BAR -1/6/1 gave %d/%d/%d, want %d/%d/%d", neg.error(), six.error(), unused.error(),
			      -einval, -einval, -enodev);
	return t.pass();
}

constinit const test_case bar_cases[] = {
	{ "too_small_bar_fails_and_stays_free", too_small_bar_fails_and_stays_free },
	{ "mapping_is_exclusive", mapping_is_exclusive },
	{ "move_hands_over_ownership", move_hands_over_ownership },
	{ "bad_bar_numbers_are_refused", bad_bar_numbers_are_refused },
};

} // namespace

constinit const suite bar_suite{ "ioview_bar_mapping", bar_cases };

} // namespace ioview::kernel::selftest
