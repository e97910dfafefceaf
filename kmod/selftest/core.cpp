// SPDX-License-Identifier: GPL-2.0
//
// Device-free suites: the harness checks its own reporting, and the view
// library runs on kernel memory with the kernel's code generation (the
// unit tests cover the same library in userspace; here it is the code the
// module really contains).
#include <ioview/ioview.h>

#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

/* ---- harness ---------------------------------------------------------- */

// The compiler would turn __builtin_strcmp()/strlen() into calls to the
// kernel's; C++ calls nothing of the kernel's but the shim.
bool same_text(const char *a, const char *b)
{
	for (; *a && *a == *b; ++a, ++b)
		;
	return *a == *b;
}

usize text_length(const char *s)
{
	usize n = 0;

	while (s[n])
		++n;
	return n;
}

verdict fail_keeps_the_first_diagnostic(context &t)
{
	context inner;

	if (inner.failed() || inner.diag()[0] != '\0')
		return t.fail("a fresh context is not clean: failed=%d diag='%s'", inner.failed(), inner.diag());
	if (inner.fail("first %d", 1) != verdict::fail || !inner.failed())
		return t.fail("fail() did not report a failure");
	inner.fail("second");
	if (!same_text(inner.diag(), "first 1"))
		return t.fail("diagnostic is '%s', want 'first 1'", inner.diag());
	return t.pass();
}

verdict diagnostic_is_one_bounded_line(context &t)
{
	context inner;
	char longer[diag_capacity * 2];

	for (usize i = 0; i + 1 < sizeof(longer); ++i)
		longer[i] = static_cast<char>('a' + i % 26);
	longer[sizeof(longer) - 1] = '\0';
	inner.fail("%s", longer);
	usize len = text_length(inner.diag());
	if (len != diag_capacity - 1)
		return t.fail("a long diagnostic kept %zu bytes, want %zu", len, diag_capacity - 1);

	context lines;
	lines.fail("one\ntwo\r");
	if (!same_text(lines.diag(), "one two "))
		return t.fail("newlines were not flattened: '%s'", lines.diag());
	return t.pass();
}

verdict skip_keeps_its_reason(context &t)
{
	context inner;

	if (inner.skip("needs %s", "hardware") != verdict::skip)
		return t.fail("skip() did not return verdict::skip");
	if (inner.failed())
		return t.fail("skip() counted as a failure");
	if (!same_text(inner.diag(), "needs hardware"))
		return t.fail("skip reason is '%s'", inner.diag());
	return t.pass();
}

constinit const test_case harness_cases[] = {
	{ "fail_keeps_the_first_diagnostic", fail_keeps_the_first_diagnostic },
	{ "diagnostic_is_one_bounded_line", diagnostic_is_one_bounded_line },
	{ "skip_keeps_its_reason", skip_keeps_its_reason },
};

/* ---- the view library on kernel memory -------------------------------- */

struct ring_regs {
	u32 head;
	u32 tail;
	u32 slots[4];
	u64 base;
};

} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::ring_regs> = true;

namespace ioview::kernel::selftest {

namespace {

verdict projection_reaches_the_field(context &t)
{
	ring_regs regs{};
	auto v = sysmem::view_of(regs);

	IOVIEW_PROJECT(v, tail).write_val(0x1234);
	IOVIEW_PROJECT(v, slots).at<3>().write_val(0xcafe);
	IOVIEW_PROJECT(v, base).write_val(0x1122334455667788ull);
	if (regs.tail != 0x1234 || regs.slots[3] != 0xcafe || regs.base != 0x1122334455667788ull)
		return t.fail("writes landed wrong: tail=%#x slots[3]=%#x base=%#llx", regs.tail, regs.slots[3],
			      static_cast<unsigned long long>(regs.base));
	regs.head = 7;
	if (IOVIEW_PROJECT(v, head).read_val() != 7)
		return t.fail("head read %#x, want 7", IOVIEW_PROJECT(v, head).read_val());
	return t.pass();
}

verdict try_at_refuses_out_of_range(context &t)
{
	ring_regs regs{};
	auto slots = IOVIEW_PROJECT(sysmem::view_of(regs), slots);

	auto bad = slots.try_at(4);
	if (bad.ok() || bad.error() != -erange)
		return t.fail("try_at(4) of 4 slots gave %d, want %d", bad.error(), -erange);
	auto good = slots.try_at(2);
	if (!good)
		return t.fail("try_at(2) of 4 slots failed with %d", good.error());
	good.value().write_val(9);
	if (regs.slots[2] != 9)
		return t.fail("slot 2 is %#x after writing 9", regs.slots[2]);
	return t.pass();
}

verdict try_accessors_refuse_bad_offsets(context &t)
{
	alignas(8) u32 words[4] = { 1, 2, 3, 4 };
	auto r = sysmem::try_view<region<16>>(words, sizeof(words));

	if (!r)
		return t.fail("try_view of 16 aligned bytes failed with %d", r.error());
	auto reg = r.value();
	auto misaligned = reg.try_read32(2);
	if (misaligned.ok() || misaligned.error() != -einval)
		return t.fail("try_read32(2) gave %d, want %d", misaligned.error(), -einval);
	auto past = reg.try_write32(16, 0xdead);
	if (past.ok() || past.error() != -erange)
		return t.fail("try_write32(16) gave %d, want %d", past.error(), -erange);
	if (words[0] != 1 || words[1] != 2 || words[2] != 3 || words[3] != 4)
		return t.fail("a refused access changed memory: %u %u %u %u", words[0], words[1], words[2], words[3]);
	return t.pass();
}

verdict copies_round_trip(context &t)
{
	ring_regs a{}, b{};
	auto va = sysmem::view_of(a);
	auto vb = sysmem::view_of(b);

	copy_write(va, ring_regs{ 1, 2, { 3, 4, 5, 6 }, 7 });
	ring_regs got = copy_read(va);
	if (got.head != 1 || got.slots[3] != 6 || got.base != 7)
		return t.fail("copy_read after copy_write: head=%u slots[3]=%u base=%llu", got.head, got.slots[3],
			      static_cast<unsigned long long>(got.base));
	status s = io_copy(vb, va.as_const());
	if (!s)
		return t.fail("io_copy failed with %d", s.error());
	if (__builtin_memcmp(&a, &b, sizeof(a)) != 0)
		return t.fail("io_copy left the copies different");
	return t.pass();
}

constinit const test_case sysmem_cases[] = {
	{ "projection_reaches_the_field", projection_reaches_the_field },
	{ "try_at_refuses_out_of_range", try_at_refuses_out_of_range },
	{ "try_accessors_refuse_bad_offsets", try_accessors_refuse_bad_offsets },
	{ "copies_round_trip", copies_round_trip },
};

} // namespace

constinit const suite harness_suite{ "ioview_selftest_harness", harness_cases };
constinit const suite sysmem_suite{ "ioview_sysmem", sysmem_cases };

} // namespace ioview::kernel::selftest
