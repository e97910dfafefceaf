// SPDX-License-Identifier: GPL-2.0
// The replies: messages built as the kernel builds them, decoded; and malformed ones refused.
#include <catch2/catch.hpp>

#include "ctl/errors.h"
#include "ctl/reply.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

void put_bar(nl_msg *m, std::uint8_t index, std::uint64_t size, bool mem)
{
	nlattr *nest = nla_nest_start(m, IOVIEW_A_BAR);
	nla_put_u8(m, IOVIEW_A_BAR_INDEX, index);
	nla_put_u64(m, IOVIEW_A_BAR_SIZE, size);
	if (mem)
		nla_put_flag(m, IOVIEW_A_BAR_MEM);
	nla_nest_end(m, nest);
}

message edu_device()
{
	message m = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_u32(m.get(), IOVIEW_A_DEV_KIND, IOVIEW_DEV_KIND_EDU);
	nla_put_u16(m.get(), IOVIEW_A_VENDOR, 0x1234);
	nla_put_u16(m.get(), IOVIEW_A_DEVICE, 0x11e8);
	nla_put_u8(m.get(), IOVIEW_A_REVISION, 0x10);
	nla_put_u32(m.get(), IOVIEW_A_CLASS, 0x00ff00);
	nla_put_u32(m.get(), IOVIEW_A_IRQ_KIND, IOVIEW_IRQ_KIND_MSI);
	nla_put_u32(m.get(), IOVIEW_A_IRQ, 24);
	put_bar(m.get(), 0, 1 << 20, true);
	return m;
}

void put_case(nl_msg *m, const char *suite, const char *name, std::uint8_t verdict, const char *diag)
{
	nlattr *nest = nla_nest_start(m, IOVIEW_A_CASE);
	nla_put_string(m, IOVIEW_A_CASE_SUITE, suite);
	nla_put_string(m, IOVIEW_A_CASE_NAME, name);
	nla_put_u8(m, IOVIEW_A_CASE_VERDICT, verdict);
	if (diag)
		nla_put_string(m, IOVIEW_A_CASE_DIAG, diag);
	nla_nest_end(m, nest);
}

} // namespace

TEST_CASE("reply: a device with its BARs")
{
	message m = edu_device();
	put_bar(m.get(), 2, 1 << 20, true);
	put_bar(m.get(), 4, 256, false);
	device_info d = decode_device(m.get());
	CHECK(d.name == "0000:00:02.0");
	CHECK(d.kind == IOVIEW_DEV_KIND_EDU);
	CHECK(d.vendor == 0x1234);
	CHECK(d.device == 0x11e8);
	CHECK(d.revision == 0x10);
	CHECK(d.class_code == 0x00ff00);
	CHECK(d.irq_kind == IOVIEW_IRQ_KIND_MSI);
	CHECK(d.irq == 24u);
	REQUIRE(d.bars.size() == 3);
	CHECK(d.bars[0].index == 0);
	CHECK(d.bars[0].size == 1u << 20);
	CHECK(d.bars[0].mem);
	CHECK(d.bars[1].index == 2);
	CHECK(d.bars[2].index == 4);
	CHECK(!d.bars[2].mem);
}

TEST_CASE("reply: a device without an interrupt has no irq")
{
	message m = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:03.0");
	nla_put_u32(m.get(), IOVIEW_A_DEV_KIND, IOVIEW_DEV_KIND_IVSHMEM);
	nla_put_u16(m.get(), IOVIEW_A_VENDOR, 0x1af4);
	nla_put_u16(m.get(), IOVIEW_A_DEVICE, 0x1110);
	nla_put_u32(m.get(), IOVIEW_A_IRQ_KIND, IOVIEW_IRQ_KIND_NONE);
	device_info d = decode_device(m.get());
	CHECK(!d.irq);
	CHECK(d.bars.empty());
	CHECK(dev_kind_name(d.kind) == "ivshmem");
}

TEST_CASE("reply: malformed replies are refused, not guessed at")
{
	message wrong_size = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_string(wrong_size.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_u16(wrong_size.get(), IOVIEW_A_DEV_KIND, 1);	// a u32 in the spec
	CHECK_THROWS_WITH(decode_device(wrong_size.get()),
			  "the kernel's reply is malformed: an attribute has the wrong type or size");
	message missing = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_u32(missing.get(), IOVIEW_A_DEV_KIND, 1);
	CHECK_THROWS_WITH(decode_device(missing.get()), "the kernel's reply is malformed: no dev-name");
	message unterminated = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put(unterminated.get(), IOVIEW_A_DEV_NAME, 4, "abcd");
	CHECK_THROWS_AS(decode_device(unterminated.get()), failure);
	message bad_bar = edu_device();
	nlattr *nest = nla_nest_start(bad_bar.get(), IOVIEW_A_BAR);
	nla_put_u8(bad_bar.get(), IOVIEW_A_BAR_INDEX, 1);
	nla_nest_end(bad_bar.get(), nest);
	CHECK_THROWS_WITH(decode_device(bad_bar.get()), "the kernel's reply is malformed: a bar without index or size");
	message no_value = test::reply(IOVIEW_CMD_EDU_FACTORIAL);
	CHECK_THROWS_WITH(decode_factorial(no_value.get()), "the kernel's reply is malformed: no value");
}

TEST_CASE("reply: configuration bytes, bounded by 4096")
{
	message m = test::reply(IOVIEW_CMD_CONFIG_READ);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_u32(m.get(), IOVIEW_A_OFFSET, 4);
	std::uint8_t two[] = { 0x07, 0x05 };
	nla_put(m.get(), IOVIEW_A_DATA, 2, two);
	config_bytes c = decode_config(m.get());
	CHECK(c.dev == "0000:00:02.0");
	CHECK(c.offset == 4);
	CHECK(c.data == std::vector<std::uint8_t>{ 0x07, 0x05 });
	message past = test::reply(IOVIEW_CMD_CONFIG_READ);
	nla_put_u32(past.get(), IOVIEW_A_OFFSET, 4095);
	nla_put(past.get(), IOVIEW_A_DATA, 2, two);
	CHECK_THROWS_WITH(decode_config(past.get()), "the kernel's reply is malformed: configuration space past 4096 bytes");
}

TEST_CASE("reply: a register map with fields in datasheet order")
{
	message m = test::reply(IOVIEW_CMD_REG_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nlattr *reg = nla_nest_start(m.get(), IOVIEW_A_REG);
	nla_put_string(m.get(), IOVIEW_A_REG_NAME, "identification");
	nla_put_u32(m.get(), IOVIEW_A_REG_OFFSET, 0);
	nla_put_u8(m.get(), IOVIEW_A_REG_WIDTH, 4);
	nla_put_u32(m.get(), IOVIEW_A_REG_ACCESS, IOVIEW_ACCESS_RO);
	const struct {
		const char *name;
		std::uint8_t hi, lo;
	} fields[] = { { "major", 31, 24 }, { "minor", 23, 16 }, { "reserved", 15, 8 }, { "magic", 7, 0 } };
	for (const auto &f : fields) {
		nlattr *fn = nla_nest_start(m.get(), IOVIEW_A_REG_FIELD);
		nla_put_string(m.get(), IOVIEW_A_FIELD_NAME, f.name);
		nla_put_u8(m.get(), IOVIEW_A_FIELD_HI, f.hi);
		nla_put_u8(m.get(), IOVIEW_A_FIELD_LO, f.lo);
		nla_put_u32(m.get(), IOVIEW_A_FIELD_ACCESS, IOVIEW_ACCESS_RO);
		nla_nest_end(m.get(), fn);
	}
	nla_nest_end(m.get(), reg);
	nlattr *reg2 = nla_nest_start(m.get(), IOVIEW_A_REG);
	nla_put_string(m.get(), IOVIEW_A_REG_NAME, "irq_status");
	nla_put_u32(m.get(), IOVIEW_A_REG_OFFSET, 0x24);
	nla_put_u8(m.get(), IOVIEW_A_REG_WIDTH, 4);
	nla_put_u32(m.get(), IOVIEW_A_REG_ACCESS, IOVIEW_ACCESS_RC);
	nla_nest_end(m.get(), reg2);
	reg_map r = decode_reg_map(m.get());
	CHECK(r.dev == "0000:00:02.0");
	REQUIRE(r.regs.size() == 2);
	CHECK(r.regs[0].name == "identification");
	CHECK(r.regs[0].access == IOVIEW_ACCESS_RO);
	REQUIRE(r.regs[0].fields.size() == 4);
	CHECK(r.regs[0].fields[0].name == "major");
	CHECK(r.regs[0].fields[0].hi == 31);
	CHECK(r.regs[0].fields[3].lo == 0);
	CHECK(r.regs[1].name == "irq_status");
	CHECK(r.regs[1].offset == 0x24);
	CHECK(r.regs[1].access == IOVIEW_ACCESS_RC);
	CHECK(r.regs[1].fields.empty());

	message bad = test::reply(IOVIEW_CMD_REG_GET);
	nlattr *b = nla_nest_start(bad.get(), IOVIEW_A_REG);
	nla_put_string(bad.get(), IOVIEW_A_REG_NAME, "x");
	nla_put_u32(bad.get(), IOVIEW_A_REG_OFFSET, 0);
	nla_put_u8(bad.get(), IOVIEW_A_REG_WIDTH, 4);
	nlattr *bf = nla_nest_start(bad.get(), IOVIEW_A_REG_FIELD);
	nla_put_string(bad.get(), IOVIEW_A_FIELD_NAME, "upside_down");
	nla_put_u8(bad.get(), IOVIEW_A_FIELD_HI, 3);
	nla_put_u8(bad.get(), IOVIEW_A_FIELD_LO, 7);
	nla_nest_end(bad.get(), bf);
	nla_nest_end(bad.get(), b);
	CHECK_THROWS_WITH(decode_reg_map(bad.get()), "the kernel's reply is malformed: field upside_down has bits 3:7");
}

TEST_CASE("reply: a register's value, by name or by offset")
{
	message m = test::reply(IOVIEW_CMD_REG_READ);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_string(m.get(), IOVIEW_A_REGISTER, "identification");
	nla_put_u32(m.get(), IOVIEW_A_OFFSET, 0);
	nla_put_u8(m.get(), IOVIEW_A_WIDTH, 4);
	nla_put_u64(m.get(), IOVIEW_A_VALUE, 0x010000ed);
	reg_value v = decode_reg_value(m.get());
	CHECK(v.name == "identification");
	CHECK(v.width == 4);
	CHECK(v.value == 0x010000ed);
	message o = test::reply(IOVIEW_CMD_REG_READ);
	nla_put_u32(o.get(), IOVIEW_A_OFFSET, 0x80);
	nla_put_u8(o.get(), IOVIEW_A_WIDTH, 8);
	nla_put_u64(o.get(), IOVIEW_A_VALUE, 0x1234);
	reg_value ov = decode_reg_value(o.get());
	CHECK(!ov.name);
	CHECK(ov.offset == 0x80);
}

TEST_CASE("reply: factorial, DMA and mailbox data")
{
	message f = test::reply(IOVIEW_CMD_EDU_FACTORIAL);
	nla_put_string(f.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_u64(f.get(), IOVIEW_A_VALUE, 3628800);
	CHECK(decode_factorial(f.get()).value == 3628800);

	message d = test::reply(IOVIEW_CMD_EDU_DMA);
	nla_put_u32(d.get(), IOVIEW_A_OFFSET, 0x10);
	nla_put(d.get(), IOVIEW_A_DATA, 3, "abc");
	data_reply r = decode_data(d.get());
	CHECK(r.offset == 0x10u);
	CHECK(r.data == std::vector<std::uint8_t>{ 'a', 'b', 'c' });

	message e = test::reply(IOVIEW_CMD_MBOX_RECV);
	nla_put(e.get(), IOVIEW_A_DATA, 0, nullptr);
	data_reply empty = decode_data(e.get());
	CHECK(empty.data.empty());
	CHECK(!empty.offset);
}

TEST_CASE("reply: self-test cases and totals")
{
	message m = test::reply(IOVIEW_CMD_SELFTEST_RUN);
	put_case(m.get(), "ioview_edu", "identification", IOVIEW_VERDICT_PASS, "");
	put_case(m.get(), "ioview_edu", "dma", IOVIEW_VERDICT_FAIL, "expected 0x1, got 0x0");
	put_case(m.get(), "ioview_mailbox", "echo", IOVIEW_VERDICT_SKIP, nullptr);
	nla_put_u32(m.get(), IOVIEW_A_PASSED, 1);
	nla_put_u32(m.get(), IOVIEW_A_FAILED, 1);
	nla_put_u32(m.get(), IOVIEW_A_SKIPPED, 1);
	selftest_result r = decode_selftest(m.get());
	REQUIRE(r.cases.size() == 3);
	CHECK(r.cases[1].suite == "ioview_edu");
	CHECK(r.cases[1].verdict == IOVIEW_VERDICT_FAIL);
	CHECK(r.cases[1].diag == "expected 0x1, got 0x0");
	CHECK(r.cases[2].diag.empty());
	CHECK(r.passed == 1);
	CHECK(r.failed == 1);
	CHECK(r.skipped == 1);

	message bad = test::reply(IOVIEW_CMD_SELFTEST_RUN);
	put_case(bad.get(), "s", "c", 7, nullptr);
	CHECK_THROWS_WITH(decode_selftest(bad.get()), "the kernel's reply is malformed: case c has verdict 7");
}

TEST_CASE("reply: the counters present, in the spec's order")
{
	message m = test::reply(IOVIEW_CMD_STATS_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:03.0");
	nla_put_u32(m.get(), IOVIEW_A_DEV_KIND, IOVIEW_DEV_KIND_IVSHMEM);
	nlattr *s = nla_nest_start(m.get(), IOVIEW_A_STATS);
	nla_put_u64(m.get(), IOVIEW_A_STATS_MBOX_RECEIVED, 3);
	nla_put_u64(m.get(), IOVIEW_A_STATS_MBOX_SENT, 5);
	nla_put_u64(m.get(), IOVIEW_A_STATS_MBOX_ERRORS, 0);
	nla_nest_end(m.get(), s);
	device_stats st = decode_stats(m.get());
	CHECK(st.dev == "0000:00:03.0");
	CHECK(st.kind == IOVIEW_DEV_KIND_IVSHMEM);
	REQUIRE(st.counters.size() == 3);
	CHECK(st.counters[0] == std::pair<std::string, std::uint64_t>{ "mbox-sent", 5 });
	CHECK(st.counters[1] == std::pair<std::string, std::uint64_t>{ "mbox-received", 3 });
	CHECK(st.counters[2].first == "mbox-errors");
}

TEST_CASE("reply: an event")
{
	message m = test::reply(IOVIEW_CMD_EVENT);
	nla_put_u32(m.get(), IOVIEW_A_EVENT_KIND, IOVIEW_EVENT_KIND_INTERRUPT);
	nla_put_u64(m.get(), IOVIEW_A_EVENT_SEQ, 42);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, "0000:00:02.0");
	nla_put_u64(m.get(), IOVIEW_A_VALUE, 1);
	event e = decode_event(m.get());
	CHECK(e.kind == IOVIEW_EVENT_KIND_INTERRUPT);
	CHECK(e.seq == 42);
	CHECK(e.dev == "0000:00:02.0");
	CHECK(e.value == 1u);
	message bare = test::reply(IOVIEW_CMD_EVENT);
	nla_put_u32(bare.get(), IOVIEW_A_EVENT_KIND, IOVIEW_EVENT_KIND_DEV_REMOVE);
	nla_put_u64(bare.get(), IOVIEW_A_EVENT_SEQ, 43);
	CHECK(!decode_event(bare.get()).value);
}

TEST_CASE("reply: names of the spec's enums, and a number for an unknown one")
{
	CHECK(access_name(IOVIEW_ACCESS_W1C) == "w1c");
	CHECK(access_name(IOVIEW_ACCESS_RSVD_KEEP) == "rsvd-keep");
	CHECK(access_name(99) == "?99");
	CHECK(irq_kind_name(IOVIEW_IRQ_KIND_INTX) == "intx");
	CHECK(verdict_name(IOVIEW_VERDICT_SKIP) == "skip");
	CHECK(event_kind_name(IOVIEW_EVENT_KIND_MBOX_MESSAGE) == "mbox-message");
	CHECK(dev_kind_name(0) == "?0");
	CHECK(attribute_name(IOVIEW_A_OFFSET) == "offset");
	CHECK(attribute_name(IOVIEW_A_EVENT_SEQ) == "event-seq");
	CHECK(attribute_name(IOVIEW_A_MAX + 1) == "attribute " + std::to_string(IOVIEW_A_MAX + 1));
}
