// SPDX-License-Identifier: GPL-2.0
//
// QEMU edu's BAR0 through ioview views: the identification and liveness
// registers, a 64-bit register, a block copy, and the try_ accessors
// refusing bad offsets without touching the device.  edu accepts only
// 4-byte accesses below 0x80 (a wrong width reads all ones, a wrong-width
// write is dropped), so every access here below 0x80 is 32 bits wide.
//
// BAR0 is the edu driver's (driver/edu.cpp maps it at probe): the cases use
// the driver's view of it, with the function's device lock held, so no
// driver operation runs meanwhile (its only callers are self-tests).  The
// registers touched (liveness, dma_source) are ones the driver's
// operations reprogram before each use.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "selftest/counting.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;

// The first registers of BAR0, as a typed block.
struct edu_head {
	u32 identification;	// 0x00, read-only: 0x010000ed
	u32 liveness;		// 0x04: reads back ~(last value written)
	u32 factorial;		// 0x08
};

constexpr u32 edu_identification = hw::identification_value;
constexpr usize edu_liveness = hw::liveness::offset;
constexpr usize edu_dma_source = hw::dma_source::offset;	// 64-bit, harmless while no command is written

constexpr const char *no_edu = "no edu function bound to ioview";


} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::edu_head> = true;

namespace ioview::kernel::selftest {

namespace {

static_assert(__builtin_offsetof(edu_head, liveness) == hw::liveness::offset &&
	      __builtin_offsetof(edu_head, factorial) == hw::factorial::offset);

using edu_bar = view<kmmio, hw::bar0>;

// Runs body(view) with the edu driver's view of BAR0, the function held for the length of the
// call; skips when no edu function is bound.
template <typename Body> verdict on_edu_bar0(context &t, Body body)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);
	edu::device *dev = edu::of(edu.get());
	if (!dev)
		return t.fail("edu is bound but has no driver state");
	return body(edu::bar(dev));
}

// The typed head block at offset 0 of BAR0.
auto head_of(edu_bar bar)
{
	return bar.at_offset<edu_head, 0>();
}

verdict identification_register(context &t)
{
	return on_edu_bar0(t, [&](edu_bar bar) {
		u32 id = IOVIEW_PROJECT(head_of(bar), identification).read_val();
		if (id != edu_identification)
			return t.fail("identification read %#010x, want %#010x", id, edu_identification);
		id = bar.read32<0>();
		if (id != edu_identification)
			return t.fail("read32<0> of the region gave %#010x, want %#010x", id, edu_identification);
		auto reg = hw::identification::read(bar);
		if (reg.raw() != edu_identification || reg.get(hw::identification::magic) != hw::magic ||
		    reg.get(hw::identification::major) != hw::major)
			return t.fail("the identification register read %#010x", reg.raw());
		return t.pass();
	});
}

verdict liveness_returns_the_complement(context &t)
{
	static constexpr u32 patterns[] = { 0, 0xffffffff, 0x12345678, 0xa5a5a5a5, 0x010000ed };
	return on_edu_bar0(t, [&](edu_bar bar) {
		auto live = IOVIEW_PROJECT(head_of(bar), liveness);

		for (u32 p : patterns) {
			live.write_val(p);
			u32 got = live.read_val();
			if (got != ~p)
				return t.fail("wrote %#010x, read %#010x, want %#010x", p, got, ~p);
			live.write_val_relaxed(p ^ 0x0f0f0f0f);
			got = live.read_val_relaxed();
			if (got != ~(p ^ 0x0f0f0f0f))
				return t.fail("relaxed: wrote %#010x, read %#010x", p ^ 0x0f0f0f0f, got);
		}
		return t.pass();
	});
}

// Runs the refused accesses through counting accessors over edu's BAR0 and
// checks that none reached the device, by count and by the liveness value.
template <typename Refusals> verdict refused_without_access(context &t, Refusals refusals)
{
	return on_edu_bar0(t, [&](edu_bar driver_bar) {
		auto bar = counting_mmio::try_view<hw::bar0>(driver_bar.handle(), driver_bar.size()).value();

		if (!bar.try_write32(edu_liveness, 0x600dcafe))
			return t.fail("an in-range, aligned try_write32 was refused");
		counting_mmio_accessors::accesses = 0;
		verdict v = refusals(t, bar);
		if (v != verdict::pass)
			return v;
		if (counting_mmio_accessors::accesses != 0)
			return t.fail("%zu accesses reached the device", counting_mmio_accessors::accesses);
		auto live = bar.try_read32(edu_liveness);
		if (!live || live.value() != ~0x600dcafeu)
			return t.fail("liveness changed: %#010x, want %#010x", live.value_or(0), ~0x600dcafeu);
		return t.pass();
	});
}

verdict try_refuses_out_of_range(context &t)
{
	return refused_without_access(t, [](context &c, view<counting_mmio, hw::bar0> bar) {
		usize len = bar.size();
		auto past_end = bar.try_read32(len);
		auto straddling = bar.try_write32(len - 2, 0xdeadbeef);
		auto far = bar.try_write32(static_cast<usize>(-4), 0xdeadbeef);
		if (past_end.error() != -erange || straddling.error() != -erange || far.error() != -erange)
			return c.fail("errors %d/%d/%d, want %d", past_end.error(), straddling.error(), far.error(),
				      -erange);
		return c.pass();
	});
}

verdict try_refuses_misaligned(context &t)
{
	return refused_without_access(t, [](context &c, view<counting_mmio, hw::bar0> bar) {
		// Offset 6 overlaps the liveness register: had it been written, liveness would change.
		auto write6 = bar.try_write32(edu_liveness + 2, 0xdeadbeef);
		auto read2 = bar.try_read32(2);
		auto write5 = bar.try_write32(edu_liveness + 1, 0xdeadbeef);
		if (write6.error() != -einval || read2.error() != -einval || write5.error() != -einval)
			return c.fail("errors %d/%d/%d, want %d", write6.error(), read2.error(), write5.error(),
				      -einval);
		return c.pass();
	});
}

verdict dma_source_register_is_64_bit(context &t)
{
	if constexpr (!capable<kmmio, 8>) {
		return t.skip("no 64-bit MMIO access on this architecture");
	} else {
		return on_edu_bar0(t, [&](edu_bar bar) {
			constexpr u64 pattern = 0x0000000123456780ull;

			bar.write64<edu_dma_source>(pattern);
			u64 got = bar.read64<edu_dma_source>();
			bar.write64<edu_dma_source>(0);
			if (got != pattern)
				return t.fail("DMA source read %#llx after writing %#llx",
					      static_cast<unsigned long long>(got),
					      static_cast<unsigned long long>(pattern));
			return t.pass();
		});
	}
}

verdict block_copy_reads_the_head(context &t)
{
	return on_edu_bar0(t, [&](edu_bar bar) {
		auto head = head_of(bar);

		IOVIEW_PROJECT(head, liveness).write_val(0x0badf00d);
		edu_head copy = copy_read(head);	// memcpy_fromio(): 4-byte accesses on this aligned block
		if (copy.identification != edu_identification || copy.liveness != ~0x0badf00du)
			return t.fail("copy read identification %#010x liveness %#010x", copy.identification,
				      copy.liveness);
		return t.pass();
	});
}

constinit const test_case edu_cases[] = {
	{ "identification_register", identification_register },
	{ "liveness_returns_the_complement", liveness_returns_the_complement },
	{ "try_refuses_out_of_range", try_refuses_out_of_range },
	{ "try_refuses_misaligned", try_refuses_misaligned },
	{ "dma_source_register_is_64_bit", dma_source_register_is_64_bit },
	{ "block_copy_reads_the_head", block_copy_reads_the_head },
};

} // namespace

constinit const suite edu_suite{ "ioview_edu_bar0", edu_cases };

} // namespace ioview::kernel::selftest
