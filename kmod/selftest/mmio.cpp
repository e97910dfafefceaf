// SPDX-License-Identifier: GPL-2.0
//
// The kernel MMIO backend on kernel memory.  On x86 an MMIO accessor is a
// plain mov, valid on RAM too, so the inline accessors and the shim's
// (the kernel's own readl() family) can be checked against each other and
// against what is in memory, without a device.  Device registers are the
// edu suite's business.
#include <ioview/ioview.h>

#include "kernel/mmio.h"
#include "selftest/counting.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

usize counting_mmio_accessors::accesses;

namespace {

using shim_mmio = ioview::mmio<shim_mmio_accessors>;


struct alignas(8) scratch {
	u8 bytes[8];
	u16 halves[4];
	u32 words[2];
	u64 quad;
};

} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::scratch> = true;

namespace ioview::kernel::selftest {

namespace {

template <typename Writer, typename Reader> verdict widths_agree(context &t, const char *how)
{
	scratch mem{};
	auto w = Writer::template try_view<scratch>(&mem, sizeof(mem));
	auto r = Reader::template try_view<scratch>(&mem, sizeof(mem));
	if (!w || !r)
		return t.fail("%s: try_view of a kernel buffer failed: %d/%d", how, w.error(), r.error());

	IOVIEW_PROJECT(w.value(), bytes[3]).write_val(0xa5);
	IOVIEW_PROJECT(w.value(), halves[1]).write_val_relaxed(0xbeef);
	IOVIEW_PROJECT(w.value(), words[1]).write_val(0x01234567);
	IOVIEW_PROJECT(w.value(), quad).write_val_relaxed(0x89abcdef00112233ull);
	if (mem.bytes[3] != 0xa5 || mem.halves[1] != 0xbeef || mem.words[1] != 0x01234567 ||
	    mem.quad != 0x89abcdef00112233ull)
		return t.fail("%s: memory after writes: %#x %#x %#x %#llx", how, mem.bytes[3], mem.halves[1],
			      mem.words[1], static_cast<unsigned long long>(mem.quad));
	u8 b = IOVIEW_PROJECT(r.value(), bytes[3]).read_val_relaxed();
	u16 h = IOVIEW_PROJECT(r.value(), halves[1]).read_val();
	u32 l = IOVIEW_PROJECT(r.value(), words[1]).read_val_relaxed();
	u64 q = IOVIEW_PROJECT(r.value(), quad).read_val();
	if (b != 0xa5 || h != 0xbeef || l != 0x01234567 || q != 0x89abcdef00112233ull)
		return t.fail("%s: read back %#x %#x %#x %#llx", how, b, h, l, static_cast<unsigned long long>(q));
	return t.pass();
}

verdict inline_writes_shim_reads(context &t)
{
	return widths_agree<kmmio, shim_mmio>(t, "inline write, shim read");
}

verdict shim_writes_inline_reads(context &t)
{
	return widths_agree<shim_mmio, kmmio>(t, "shim write, inline read");
}

verdict block_copies_round_trip(context &t)
{
	scratch mem{};
	auto v = kmmio::try_view<scratch>(&mem, sizeof(mem));
	if (!v)
		return t.fail("try_view failed: %d", v.error());
	copy_write(v.value(), scratch{ { 1, 2, 3, 4, 5, 6, 7, 8 }, { 9, 10, 11, 12 }, { 13, 14 }, 15 });
	if (mem.bytes[7] != 8 || mem.halves[3] != 12 || mem.words[1] != 14 || mem.quad != 15)
		return t.fail("memcpy_toio left %u %u %u %llu", mem.bytes[7], mem.halves[3], mem.words[1],
			      static_cast<unsigned long long>(mem.quad));
	mem.words[0] = 0xfeedface;
	scratch out = copy_read(v.value());
	if (__builtin_memcmp(&out, &mem, sizeof(mem)) != 0)
		return t.fail("memcpy_fromio copy differs from memory (words[0] %#x)", out.words[0]);
	return t.pass();
}

verdict refused_accesses_never_reach_the_bus(context &t)
{
	alignas(8) u32 words[4] = { 1, 2, 3, 4 };
	auto v = counting_mmio::try_view<region<16>>(words, sizeof(words));
	if (!v)
		return t.fail("try_view failed: %d", v.error());
	counting_mmio_accessors::accesses = 0;
	auto past = v.value().try_read32(16);
	auto misaligned = v.value().try_write32(6, 0xdead);
	auto odd = v.value().try_read16(3);
	if (past.error() != -erange || misaligned.error() != -einval || odd.error() != -einval)
		return t.fail("errors %d/%d/%d, want %d/%d/%d", past.error(), misaligned.error(), odd.error(), -erange,
			      -einval, -einval);
	if (counting_mmio_accessors::accesses != 0)
		return t.fail("%zu accesses reached the accessors", counting_mmio_accessors::accesses);
	if (v.value().try_read32(12).value_or(0) != 4 || counting_mmio_accessors::accesses != 1)
		return t.fail("an accepted access did not go through exactly once (%zu)", counting_mmio_accessors::accesses);
	return t.pass();
}

constinit const test_case mmio_cases[] = {
	{ "inline_writes_shim_reads", inline_writes_shim_reads },
	{ "shim_writes_inline_reads", shim_writes_inline_reads },
	{ "block_copies_round_trip", block_copies_round_trip },
	{ "refused_accesses_never_reach_the_bus", refused_accesses_never_reach_the_bus },
};

} // namespace

constinit const suite mmio_suite{ "ioview_kernel_mmio", mmio_cases };

} // namespace ioview::kernel::selftest
