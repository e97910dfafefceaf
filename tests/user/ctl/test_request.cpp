// SPDX-License-Identifier: GPL-2.0
// The requests: for each command, the operation, the dump flag, and exactly the attributes it carries.
#include <catch2/catch.hpp>

#include <cstring>
#include <set>

#include "ctl/errors.h"
#include "ctl/grammar.h"
#include "ctl/request.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

command parse(std::initializer_list<std::string_view> words)
{
	std::vector<std::string_view> v(words);
	command c = parse_command(v);
	if (c.dev && is_complete_address(*c.dev))
		c.dev = canonical_name(*parse_pci_address(*c.dev));
	return c;
}

std::set<int> types_of(nl_msg *m)
{
	std::set<int> out;
	for (const auto &[type, attr] : test::attrs_of(m))
		out.insert(type);
	return out;
}

// Every attribute appears once (a repeated one would be a multi-attr by mistake).
std::size_t attribute_count(nl_msg *m)
{
	std::size_t n = 0;
	nlmsghdr *h = nlmsg_hdr(m);
	nlattr *a;
	int rem;
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(h), 0), genlmsg_attrlen(genlmsg_hdr(h), 0), rem)
	{
		++n;
	}
	return n;
}

struct sent {
	message m;
	std::map<int, nlattr *> a;
	std::uint8_t cmd;
	std::uint16_t flags;
};

sent build(std::initializer_list<std::string_view> words)
{
	command c = parse(words);
	sent s{ build_request(c, test::family), {}, 0, 0 };
	s.a = test::attrs_of(s.m.get());
	s.cmd = test::genl_of(s.m.get())->cmd;
	s.flags = nlmsg_hdr(s.m.get())->nlmsg_flags;
	REQUIRE(attribute_count(s.m.get()) == s.a.size());
	return s;
}

const std::string edu = "0000:00:02.0";
const std::string shm = "0000:00:03.0";

} // namespace

TEST_CASE("request: the header is the family's, version 1, with no reserved bits")
{
	message m = new_request(test::family, IOVIEW_CMD_DEV_GET);
	nlmsghdr *h = nlmsg_hdr(m.get());
	CHECK(h->nlmsg_type == test::family);
	CHECK(h->nlmsg_flags == 0);	// nl_send_auto() adds NLM_F_REQUEST | NLM_F_ACK
	CHECK(test::genl_of(m.get())->version == IOVIEW_GENL_VERSION);
	CHECK(test::genl_of(m.get())->reserved == 0);
	CHECK(nlmsg_hdr(new_request(test::family, IOVIEW_CMD_DEV_GET, true).get())->nlmsg_flags == NLM_F_DUMP);
}

TEST_CASE("request: dev show dumps without a device and gets one with it")
{
	sent all = build({ "dev", "show" });
	CHECK(all.cmd == IOVIEW_CMD_DEV_GET);
	CHECK(all.flags == NLM_F_DUMP);
	CHECK(all.a.empty());
	sent one = build({ "dev", "show", edu });
	CHECK(one.cmd == IOVIEW_CMD_DEV_GET);
	CHECK(one.flags == 0);
	CHECK(types_of(one.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
	CHECK(test::str(one.a[IOVIEW_A_DEV_NAME]) == edu);
	// The string is NUL-terminated, as the policy's NLA_NUL_STRING wants.
	CHECK(nla_len(one.a[IOVIEW_A_DEV_NAME]) == static_cast<int>(edu.size() + 1));
}

TEST_CASE("request: stats dumps without a device and gets one with it")
{
	sent all = build({ "stats" });
	CHECK(all.cmd == IOVIEW_CMD_STATS_GET);
	CHECK(all.flags == NLM_F_DUMP);
	CHECK(all.a.empty());
	sent one = build({ "stats", shm });
	CHECK(one.flags == 0);
	CHECK(types_of(one.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
}

TEST_CASE("request: config show asks for 64, 256 or all bytes from offset 0")
{
	sent x = build({ "config", "show", "-x", edu });
	CHECK(x.cmd == IOVIEW_CMD_CONFIG_READ);
	CHECK(types_of(x.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_LENGTH });
	CHECK(nla_get_u32(x.a[IOVIEW_A_LENGTH]) == 64);
	sent xxx = build({ "config", "show", "-xxx", edu });
	CHECK(nla_get_u32(xxx.a[IOVIEW_A_LENGTH]) == 256);
	sent all = build({ "config", "show", "-xxxx", edu });
	CHECK(types_of(all.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
	sent decoded = build({ "config", "show", edu });
	CHECK(types_of(decoded.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
}

TEST_CASE("request: config read asks for width bytes at offset; config write sends width and value")
{
	sent r = build({ "config", "read", edu, "0x3c", "16" });
	CHECK(r.cmd == IOVIEW_CMD_CONFIG_READ);
	CHECK(types_of(r.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_LENGTH });
	CHECK(nla_get_u32(r.a[IOVIEW_A_OFFSET]) == 0x3c);
	CHECK(nla_get_u32(r.a[IOVIEW_A_LENGTH]) == 2);
	sent w = build({ "config", "write", edu, "0x3c", "8", "0xb" });
	CHECK(w.cmd == IOVIEW_CMD_CONFIG_WRITE);
	CHECK(types_of(w.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE });
	CHECK(nla_len(w.a[IOVIEW_A_WIDTH]) == 1);	// u8
	CHECK(nla_get_u8(w.a[IOVIEW_A_WIDTH]) == 1);
	CHECK(nla_len(w.a[IOVIEW_A_VALUE]) == 8);	// u64
	CHECK(nla_get_u64(w.a[IOVIEW_A_VALUE]) == 0xb);
}

TEST_CASE("request: reg show, read and write, by name and by offset")
{
	sent show = build({ "reg", "show", edu });
	CHECK(show.cmd == IOVIEW_CMD_REG_GET);
	CHECK(types_of(show.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
	sent show1 = build({ "reg", "show", edu, "status" });
	CHECK(types_of(show1.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER });
	CHECK(test::str(show1.a[IOVIEW_A_REGISTER]) == "status");

	sent byname = build({ "reg", "read", edu, "identification" });
	CHECK(byname.cmd == IOVIEW_CMD_REG_READ);
	CHECK(types_of(byname.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER });
	sent byoffset = build({ "reg", "read", edu, "0x20" });
	CHECK(types_of(byoffset.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH });
	CHECK(nla_get_u32(byoffset.a[IOVIEW_A_OFFSET]) == 0x20);
	CHECK(nla_get_u8(byoffset.a[IOVIEW_A_WIDTH]) == 4);
	sent narrow = build({ "reg", "read", edu, "identification", "16" });
	CHECK(types_of(narrow.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER, IOVIEW_A_WIDTH });

	sent w = build({ "reg", "write", edu, "liveness", "0x12345678" });
	CHECK(w.cmd == IOVIEW_CMD_REG_WRITE);
	CHECK(types_of(w.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER, IOVIEW_A_VALUE });
	CHECK(nla_get_u64(w.a[IOVIEW_A_VALUE]) == 0x12345678);
	sent wo = build({ "reg", "write", edu, "0x4", "7", "64" });
	CHECK(types_of(wo.m.get()) ==
	      std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE });
	CHECK(nla_get_u8(wo.a[IOVIEW_A_WIDTH]) == 8);

	message one = reg_read_request(test::family, edu, "status");
	auto a = test::attrs_of(one.get());
	CHECK(test::genl_of(one.get())->cmd == IOVIEW_CMD_REG_READ);
	CHECK(test::str(a[IOVIEW_A_REGISTER]) == "status");
}

TEST_CASE("request: edu fact, dma and irq raise")
{
	sent f = build({ "edu", "fact", edu, "12", "--irq" });
	CHECK(f.cmd == IOVIEW_CMD_EDU_FACTORIAL);
	CHECK(types_of(f.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_VALUE, IOVIEW_A_COMPLETION });
	CHECK(nla_get_u64(f.a[IOVIEW_A_VALUE]) == 12);
	CHECK(nla_get_u32(f.a[IOVIEW_A_COMPLETION]) == IOVIEW_COMPLETION_INTERRUPT);
	CHECK(nla_get_u32(build({ "edu", "fact", edu, "12" }).a[IOVIEW_A_COMPLETION]) == IOVIEW_COMPLETION_POLL);

	sent w = build({ "edu", "dma", edu, "write", "0x10", "abc" });
	CHECK(w.cmd == IOVIEW_CMD_EDU_DMA);
	CHECK(types_of(w.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_DMA_OP, IOVIEW_A_OFFSET, IOVIEW_A_DATA });
	CHECK(nla_get_u32(w.a[IOVIEW_A_DMA_OP]) == IOVIEW_DMA_OP_WRITE);
	REQUIRE(nla_len(w.a[IOVIEW_A_DATA]) == 3);
	CHECK(std::memcmp(nla_data(w.a[IOVIEW_A_DATA]), "abc", 3) == 0);	// no NUL: binary
	sent r = build({ "edu", "dma", edu, "read", "0", "4096" });
	CHECK(types_of(r.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_DMA_OP, IOVIEW_A_OFFSET, IOVIEW_A_LENGTH });
	CHECK(nla_get_u32(r.a[IOVIEW_A_DMA_OP]) == IOVIEW_DMA_OP_READ);
	CHECK(nla_get_u32(r.a[IOVIEW_A_LENGTH]) == 4096);
	sent rt = build({ "edu", "dma", edu, "roundtrip", "0", "0102", "--hex" });
	CHECK(nla_get_u32(rt.a[IOVIEW_A_DMA_OP]) == IOVIEW_DMA_OP_ROUND_TRIP);
	CHECK(nla_len(rt.a[IOVIEW_A_DATA]) == 2);
	// A whole DMA window fits in the request.
	std::string big(4096, 'z');
	sent full = build({ "edu", "dma", edu, "write", "0", big });
	CHECK(nla_len(full.a[IOVIEW_A_DATA]) == 4096);

	sent irq = build({ "edu", "irq", "raise", edu, "0x100" });
	CHECK(irq.cmd == IOVIEW_CMD_EDU_IRQ_RAISE);
	CHECK(types_of(irq.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_VALUE });
	CHECK(nla_get_u64(irq.a[IOVIEW_A_VALUE]) == 0x100);
}

TEST_CASE("request: shm send and recv")
{
	sent s = build({ "shm", "send", shm, "hello" });
	CHECK(s.cmd == IOVIEW_CMD_MBOX_SEND);
	CHECK(types_of(s.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_DATA });
	CHECK(nla_len(s.a[IOVIEW_A_DATA]) == 5);
	sent empty = build({ "shm", "send", shm, "" });
	CHECK(nla_len(empty.a[IOVIEW_A_DATA]) == 0);	// an empty message is a message
	sent r = build({ "shm", "recv", shm });
	CHECK(r.cmd == IOVIEW_CMD_MBOX_RECV);
	CHECK(types_of(r.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
	sent rt = build({ "shm", "recv", shm, "--timeout", "1000" });
	CHECK(types_of(rt.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME, IOVIEW_A_TIMEOUT_MS });
	CHECK(nla_get_u32(rt.a[IOVIEW_A_TIMEOUT_MS]) == 1000);
}

TEST_CASE("request: shm close carries the device only")
{
	sent c = build({ "shm", "close", shm });
	CHECK(c.cmd == IOVIEW_CMD_MBOX_CLOSE);
	CHECK(c.flags == 0);
	CHECK(types_of(c.m.get()) == std::set<int>{ IOVIEW_A_DEV_NAME });
	CHECK(test::str(c.a[IOVIEW_A_DEV_NAME]) == shm);
}

TEST_CASE("request: operation numbers are the UAPI's; a new operation comes after the last")
{
	// A module and a tool built apart must agree: adding mbox-close renumbered nothing.
	STATIC_REQUIRE(IOVIEW_CMD_MBOX_SEND == 10);
	STATIC_REQUIRE(IOVIEW_CMD_MBOX_RECV == 11);
	STATIC_REQUIRE(IOVIEW_CMD_SELFTEST_RUN == 12);
	STATIC_REQUIRE(IOVIEW_CMD_STATS_GET == 13);
	STATIC_REQUIRE(IOVIEW_CMD_EVENT == 14);
	STATIC_REQUIRE(IOVIEW_CMD_MBOX_CLOSE == 15);
	STATIC_REQUIRE(IOVIEW_CMD_MAX == IOVIEW_CMD_MBOX_CLOSE);
}

TEST_CASE("request: selftest run, all default suites or one")
{
	sent all = build({ "selftest", "run" });
	CHECK(all.cmd == IOVIEW_CMD_SELFTEST_RUN);
	CHECK(all.a.empty());
	sent one = build({ "selftest", "run", "ioview_edu" });
	CHECK(types_of(one.m.get()) == std::set<int>{ IOVIEW_A_SUITE });
	CHECK(test::str(one.a[IOVIEW_A_SUITE]) == "ioview_edu");
}

TEST_CASE("request: help and monitor send nothing")
{
	CHECK_THROWS_AS(build_request(parse({ "help" }), test::family), failure);
	CHECK_THROWS_AS(build_request(parse({ "monitor" }), test::family), failure);
}
