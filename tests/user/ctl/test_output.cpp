// SPDX-License-Identifier: GPL-2.0
// Every output format: text, JSON on one line, JSON indented (-p).
#include <catch2/catch.hpp>

#include "ctl/output.h"
#include "uapi/ioview.h"

using namespace ioviewctl;

namespace {

const output_format json{ true, false };
const output_format pretty{ true, true };

device_info edu()
{
	device_info d;
	d.name = "0000:00:02.0";
	d.kind = IOVIEW_DEV_KIND_EDU;
	d.vendor = 0x1234;
	d.device = 0x11e8;
	d.revision = 0x10;
	d.class_code = 0x00ff00;
	d.irq_kind = IOVIEW_IRQ_KIND_MSI;
	d.irq = 24;
	d.bars = { { 0, 1 << 20, true } };
	return d;
}

device_info ivshmem()
{
	device_info d;
	d.name = "0000:00:03.0";
	d.kind = IOVIEW_DEV_KIND_IVSHMEM;
	d.vendor = 0x1af4;
	d.device = 0x1110;
	d.revision = 1;
	d.class_code = 0x050000;
	d.irq_kind = IOVIEW_IRQ_KIND_NONE;
	d.bars = { { 0, 256, true }, { 2, 1 << 20, true } };
	return d;
}

reg_desc identification()
{
	reg_desc r;
	r.name = "identification";
	r.offset = 0;
	r.width = 4;
	r.access = IOVIEW_ACCESS_RO;
	r.fields = { { "major", 31, 24, IOVIEW_ACCESS_RO },
		     { "minor", 23, 16, IOVIEW_ACCESS_RO },
		     { "reserved", 15, 8, IOVIEW_ACCESS_RSVD_ZERO },
		     { "magic", 7, 0, IOVIEW_ACCESS_RO } };
	return r;
}

reg_desc status()
{
	reg_desc r;
	r.name = "status";
	r.offset = 0x20;
	r.width = 4;
	r.access = IOVIEW_ACCESS_RW;
	r.fields = { { "reserved", 31, 8, IOVIEW_ACCESS_RSVD_KEEP },
		     { "irq_enable", 7, 7, IOVIEW_ACCESS_RW },
		     { "reserved_low", 6, 1, IOVIEW_ACCESS_RSVD_KEEP },
		     { "busy", 0, 0, IOVIEW_ACCESS_RO } };
	return r;
}

reg_desc irq_status()
{
	reg_desc r;
	r.name = "irq_status";
	r.offset = 0x24;
	r.width = 4;
	r.access = IOVIEW_ACCESS_RC;
	return r;
}

} // namespace

TEST_CASE("output: dev show, text and JSON")
{
	std::vector<device_info> both = { edu(), ivshmem() };
	CHECK(devices_text(both) ==
	      "0000:00:02.0: kind edu vendor 0x1234 device 0x11e8 revision 0x10 class 0x00ff00 irq msi 24\n"
	      "  bar 0 mem size 1M\n"
	      "0000:00:03.0: kind ivshmem vendor 0x1af4 device 0x1110 revision 0x01 class 0x050000 irq none\n"
	      "  bar 0 mem size 256\n"
	      "  bar 2 mem size 1M\n");
	CHECK(json_document(devices_json({ edu() }), json) ==
	      "{\"dev\":{\"0000:00:02.0\":{\"bars\":[{\"index\":0,\"size\":1048576,\"type\":\"mem\"}],\"class\":65280,"
	      "\"device\":4584,\"irq\":24,\"irq_kind\":\"msi\",\"kind\":\"edu\",\"revision\":16,\"vendor\":4660}}}\n");
	CHECK(json_document(devices_json({}), json) == "{\"dev\":{}}\n");
	std::string p = json_document(devices_json({ ivshmem() }), pretty);
	CHECK(p.rfind("{\n    \"dev\": {\n        \"0000:00:03.0\": {\n", 0) == 0);
	CHECK(p.find("\"irq\"") == std::string::npos);	// no interrupt: no irq at all
	CHECK(nlohmann::json::parse(p) == devices_json({ ivshmem() }));
	CHECK(size_text(0) == "0");
	CHECK(size_text(4096) == "4K");
	CHECK(size_text(1ull << 32) == "4G");
	CHECK(size_text(1536) == "1536");
}

TEST_CASE("output: config read, little-endian, as wide as asked")
{
	config_bytes c{ "0000:00:02.0", 4, { 0x07, 0x05 } };
	CHECK(config_value(c) == 0x0507);
	CHECK(config_value_text(c) == "0x0507\n");
	CHECK(json_document(config_value_json(c), json) ==
	      "{\"dev\":\"0000:00:02.0\",\"offset\":4,\"value\":1287,\"width\":16}\n");
	config_bytes q{ "0000:00:02.0", 0, { 0x34, 0x12, 0xe8, 0x11, 0x07, 0x05, 0x10, 0x00 } };
	CHECK(config_value_text(q) == "0x00100507" "11e81234\n");
	config_bytes dump{ "0000:00:02.0", 0, { 0x34, 0x12, 0xe8, 0x11 } };
	CHECK(json_document(config_dump_json(dump), json) ==
	      "{\"data\":\"3412e811\",\"dev\":\"0000:00:02.0\",\"length\":4,\"offset\":0}\n");
}

TEST_CASE("output: reg show decodes each field of the values read, and reads no read-to-clear register")
{
	CHECK(reg_show_reads(identification()));
	CHECK(!reg_show_reads(irq_status()));
	reg_desc wo;
	wo.access = IOVIEW_ACCESS_WO;
	CHECK(!reg_show_reads(wo));
	std::vector<reg_shown> regs = { { identification(), 0x010000ed }, { status(), 0x81 }, { irq_status(), std::nullopt } };
	CHECK(reg_show_text("0000:00:02.0", regs) ==
	      "0000:00:02.0:\n"
	      "  identification 0x00 32 ro = 0x010000ed\n"
	      "    major 31:24 ro = 0x01\n"
	      "    minor 23:16 ro = 0x00\n"
	      "    reserved 15:8 rsvd-zero = 0x00\n"
	      "    magic 7:0 ro = 0xed\n"
	      "  status 0x20 32 rw = 0x00000081\n"
	      "    reserved 31:8 rsvd-keep = 0x000000\n"
	      "    irq_enable 7 rw = 0x1\n"
	      "    reserved_low 6:1 rsvd-keep = 0x00\n"
	      "    busy 0 ro = 0x1\n"
	      "  irq_status 0x24 32 rc (not read: a read clears it)\n");
	nlohmann::json j = reg_show_json("0000:00:02.0", regs);
	CHECK(j["dev"] == "0000:00:02.0");
	REQUIRE(j["registers"].size() == 3);
	CHECK(j["registers"][0]["width"] == 32);
	CHECK(j["registers"][0]["value"] == 0x010000ed);
	CHECK(j["registers"][0]["fields"][0] ==
	      nlohmann::json({ { "name", "major" }, { "hi", 31 }, { "lo", 24 }, { "access", "ro" }, { "value", 1 } }));
	CHECK(j["registers"][1]["fields"][1]["value"] == 1);
	CHECK(!j["registers"][2].contains("value"));
	CHECK(j["registers"][2]["access"] == "rc");
	field_desc all{ "all", 63, 0, IOVIEW_ACCESS_RW };
	CHECK(field_value(all, ~0ull) == ~0ull);
}

TEST_CASE("output: reg read, by name and by offset")
{
	reg_value named{ "0000:00:02.0", std::string("identification"), 0, 4, 0x010000ed };
	CHECK(reg_value_text(named) == "identification 0x00 = 0x010000ed\n");
	CHECK(json_document(reg_value_json(named), json) ==
	      "{\"dev\":\"0000:00:02.0\",\"offset\":0,\"register\":\"identification\",\"value\":16777453,\"width\":32}\n");
	reg_value raw{ "0000:00:02.0", std::nullopt, 0x80, 8, 0x1234 };
	CHECK(reg_value_text(raw) == "0x80 = 0x0000000000001234\n");
	CHECK(!reg_value_json(raw).contains("register"));
}

TEST_CASE("output: edu fact")
{
	factorial_result r{ "0000:00:02.0", 3628800 };
	CHECK(factorial_text(10, r) == "10! = 3628800\n");
	CHECK(json_document(factorial_json(10, r), json) == "{\"dev\":\"0000:00:02.0\",\"n\":10,\"value\":3628800}\n");
}

TEST_CASE("output: DMA data as hex lines, with the round trip's verdict")
{
	std::vector<std::uint8_t> bytes;
	for (int i = 0; i < 18; ++i)
		bytes.push_back(static_cast<std::uint8_t>(i * 17));
	data_reply r{ "0000:00:02.0", 0x40, bytes };
	CHECK(dma_text(r, std::nullopt) ==
	      "0040: 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n"
	      "0050: 10 21\n");
	CHECK(dma_text(r, true).find("round trip: 18 bytes came back as written\n") != std::string::npos);
	CHECK(dma_text(r, false).find("differ") != std::string::npos);
	nlohmann::json j = dma_json(r, true);
	CHECK(j["offset"] == 0x40);
	CHECK(j["length"] == 18);
	CHECK(j["data"] == "00112233445566778899aabbccddeeff1021");
	CHECK(j["match"] == true);
	CHECK(!dma_json(r, std::nullopt).contains("match"));
	CHECK(hex_lines({}, 0).empty());
}

TEST_CASE("output: a mailbox message as text when it is text, else as hex")
{
	data_reply text{ "0000:00:03.0", std::nullopt, { 'p', 'o', 'n', 'g' } };
	CHECK(mbox_text(text) == "pong\n");
	CHECK(json_document(mbox_json(text), json) ==
	      "{\"data\":\"706f6e67\",\"dev\":\"0000:00:03.0\",\"length\":4,\"text\":\"pong\"}\n");
	data_reply binary{ "0000:00:03.0", std::nullopt, { 0x00, 0xff } };
	CHECK(mbox_text(binary) == "0000: 00 ff\n");
	CHECK(!mbox_json(binary).contains("text"));
	data_reply empty{ "0000:00:03.0", std::nullopt, {} };
	CHECK(mbox_text(empty) == "\n");
	CHECK(mbox_json(empty)["length"] == 0);
}

TEST_CASE("output: selftest run as JSON")
{
	selftest_result r;
	r.cases = { { "ioview_edu", "identification", IOVIEW_VERDICT_PASS, "" },
		    { "ioview_edu", "dma", IOVIEW_VERDICT_FAIL, "timed out" } };
	r.passed = 1;
	r.failed = 1;
	CHECK(json_document(selftest_json(r), json) ==
	      "{\"cases\":[{\"name\":\"identification\",\"suite\":\"ioview_edu\",\"verdict\":\"pass\"},"
	      "{\"diag\":\"timed out\",\"name\":\"dma\",\"suite\":\"ioview_edu\",\"verdict\":\"fail\"}],"
	      "\"failed\":1,\"passed\":1,\"skipped\":0}\n");
}

TEST_CASE("output: stats, text and JSON")
{
	std::vector<device_stats> s = { { "0000:00:02.0", IOVIEW_DEV_KIND_EDU, { { "interrupts", 5 }, { "factorials", 2 } } },
					{ "0000:00:03.0", IOVIEW_DEV_KIND_IVSHMEM, { { "mbox-sent", 7 } } } };
	CHECK(stats_text(s) ==
	      "0000:00:02.0: kind edu\n"
	      "  interrupts 5 factorials 2\n"
	      "0000:00:03.0: kind ivshmem\n"
	      "  mbox-sent 7\n");
	CHECK(json_document(stats_json(s), json) ==
	      "{\"stats\":{\"0000:00:02.0\":{\"factorials\":2,\"interrupts\":5,\"kind\":\"edu\"},"
	      "\"0000:00:03.0\":{\"kind\":\"ivshmem\",\"mbox-sent\":7}}}\n");
	CHECK(json_document(stats_json(s), pretty).find("\n            \"interrupts\": 5,\n") != std::string::npos);
}

TEST_CASE("output: monitor lines, and the events a gap in the sequence says were lost")
{
	event e{ IOVIEW_EVENT_KIND_INTERRUPT, 42, std::string("0000:00:02.0"), 1 };
	CHECK(event_text(e, 0) == "[42] interrupt 0000:00:02.0 value 0x1\n");
	CHECK(event_text(e, 3) == "[42] (3 events lost before this one)\n[42] interrupt 0000:00:02.0 value 0x1\n");
	CHECK(event_json(e, 0).dump() == "{\"dev\":\"0000:00:02.0\",\"event\":\"interrupt\",\"seq\":42,\"value\":1}");
	CHECK(event_json(e, 2)["lost"] == 2);
	event bare{ IOVIEW_EVENT_KIND_DEV_ADD, 7, std::nullopt, std::nullopt };
	CHECK(event_text(bare, 0) == "[7] dev-add\n");
}
