// SPDX-License-Identifier: GPL-2.0
// Whole commands against the stand-in kernel (fake_kernel.h), which
// answers like the family would for edu at 0000:00:02.0 and ivshmem-plain
// at 0000:00:03.0, with the recorded configuration spaces: which requests
// each command sends, in which order, what it prints, its exit status.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ctl/commands.h"
#include "ctl/errors.h"
#include "ctl/grammar.h"
#include "ctl/reply.h"
#include "fake_kernel.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

const char *const edu = "0000:00:02.0";
const char *const shm = "0000:00:03.0";

std::string dev_of(const nlmsghdr *req)
{
	nlattr *tb[IOVIEW_A_MAX + 1] = {};
	genlmsg_parse(const_cast<nlmsghdr *>(req), 0, tb, IOVIEW_A_MAX, nullptr);
	return tb[IOVIEW_A_DEV_NAME] ? nla_get_string(tb[IOVIEW_A_DEV_NAME]) : "";
}

nlattr *attr_of(const nlmsghdr *req, int type)
{
	static nlattr *tb[IOVIEW_A_MAX + 1];
	std::memset(tb, 0, sizeof(tb));
	genlmsg_parse(const_cast<nlmsghdr *>(req), 0, tb, IOVIEW_A_MAX, nullptr);
	return tb[type];
}

message device(const std::string &name)
{
	bool is_edu = name == edu;
	message m = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, name.c_str());
	nla_put_u32(m.get(), IOVIEW_A_DEV_KIND, is_edu ? IOVIEW_DEV_KIND_EDU : IOVIEW_DEV_KIND_IVSHMEM);
	nla_put_u16(m.get(), IOVIEW_A_VENDOR, is_edu ? 0x1234 : 0x1af4);
	nla_put_u16(m.get(), IOVIEW_A_DEVICE, is_edu ? 0x11e8 : 0x1110);
	nla_put_u32(m.get(), IOVIEW_A_IRQ_KIND, is_edu ? IOVIEW_IRQ_KIND_MSI : IOVIEW_IRQ_KIND_NONE);
	if (is_edu)
		nla_put_u32(m.get(), IOVIEW_A_IRQ, 24);
	nlattr *bar = nla_nest_start(m.get(), IOVIEW_A_BAR);
	nla_put_u8(m.get(), IOVIEW_A_BAR_INDEX, 0);
	nla_put_u64(m.get(), IOVIEW_A_BAR_SIZE, is_edu ? 1 << 20 : 256);
	nla_put_flag(m.get(), IOVIEW_A_BAR_MEM);
	nla_nest_end(m.get(), bar);
	return m;
}

void put_reg(nl_msg *m, const char *name, std::uint32_t offset, std::uint32_t access)
{
	nlattr *r = nla_nest_start(m, IOVIEW_A_REG);
	nla_put_string(m, IOVIEW_A_REG_NAME, name);
	nla_put_u32(m, IOVIEW_A_REG_OFFSET, offset);
	nla_put_u8(m, IOVIEW_A_REG_WIDTH, 4);
	nla_put_u32(m, IOVIEW_A_REG_ACCESS, access);
	nlattr *f = nla_nest_start(m, IOVIEW_A_REG_FIELD);
	nla_put_string(m, IOVIEW_A_FIELD_NAME, "low");
	nla_put_u8(m, IOVIEW_A_FIELD_HI, 7);
	nla_put_u8(m, IOVIEW_A_FIELD_LO, 0);
	nla_put_u32(m, IOVIEW_A_FIELD_ACCESS, access);
	nla_nest_end(m, f);
	nla_nest_end(m, r);
}

struct model {
	std::vector<std::uint8_t> edu_config = test::fixture("edu-bound.config.hex");
	bool corrupt_dma = false;
	bool fail_case = false;
	bool unprivileged = false;	// the kernel then returns configuration space up to byte 64 only
	bool mbox_open = false;		// a send opens it, a close closes it, as the driver does

	// The replies the family would send to one request, ending with its ACK or DONE.
	std::vector<message> answer(const nlmsghdr *req)
	{
		std::vector<message> out;
		auto cmd = static_cast<const genlmsghdr *>(nlmsg_data(const_cast<nlmsghdr *>(req)))->cmd;
		std::string dev = dev_of(req);
		if (!dev.empty() && dev != edu && dev != shm) {
			out.push_back(test::error_reply(req, ENODEV, "no such device"));
			return out;
		}
		switch (cmd) {
		case IOVIEW_CMD_DEV_GET:
			if (req->nlmsg_flags & NLM_F_DUMP) {
				out.push_back(test::multi(device(edu)));
				out.push_back(test::multi(device(shm)));
				out.push_back(test::done_reply(0));
				return out;
			}
			out.push_back(device(dev));
			break;
		case IOVIEW_CMD_CONFIG_READ: {
			std::uint32_t offset = attr_of(req, IOVIEW_A_OFFSET) ? nla_get_u32(attr_of(req, IOVIEW_A_OFFSET)) : 0;
			std::uint32_t length = attr_of(req, IOVIEW_A_LENGTH) ? nla_get_u32(attr_of(req, IOVIEW_A_LENGTH)) : 256;
			std::uint32_t end = unprivileged ? IOVIEW_CONFIG_UNPRIVILEGED_BYTES : 256;
			length = offset >= end ? 0 : std::min<std::uint32_t>(length, end - offset);
			message m = test::reply(cmd);
			nla_put_string(m.get(), IOVIEW_A_DEV_NAME, dev.c_str());
			nla_put_u32(m.get(), IOVIEW_A_OFFSET, offset);
			nla_put(m.get(), IOVIEW_A_DATA, static_cast<int>(length), edu_config.data() + offset);
			out.push_back(std::move(m));
			break;
		}
		case IOVIEW_CMD_REG_GET: {
			message m = test::reply(cmd);
			nla_put_string(m.get(), IOVIEW_A_DEV_NAME, dev.c_str());
			put_reg(m.get(), "identification", 0, IOVIEW_ACCESS_RO);
			put_reg(m.get(), "irq_status", 0x24, IOVIEW_ACCESS_RC);
			put_reg(m.get(), "status", 0x20, IOVIEW_ACCESS_RW);
			out.push_back(std::move(m));
			break;
		}
		case IOVIEW_CMD_REG_READ: {
			std::string name = nla_get_string(attr_of(req, IOVIEW_A_REGISTER));
			message m = test::reply(cmd);
			nla_put_string(m.get(), IOVIEW_A_DEV_NAME, dev.c_str());
			nla_put_string(m.get(), IOVIEW_A_REGISTER, name.c_str());
			nla_put_u32(m.get(), IOVIEW_A_OFFSET, name == "status" ? 0x20 : 0);
			nla_put_u8(m.get(), IOVIEW_A_WIDTH, 4);
			nla_put_u64(m.get(), IOVIEW_A_VALUE, name == "status" ? 0x80 : 0x010000ed);
			out.push_back(std::move(m));
			break;
		}
		case IOVIEW_CMD_EDU_DMA: {
			nlattr *data = attr_of(req, IOVIEW_A_DATA);
			std::vector<std::uint8_t> back(static_cast<std::uint8_t *>(nla_data(data)),
						       static_cast<std::uint8_t *>(nla_data(data)) + nla_len(data));
			if (corrupt_dma)
				back.back() ^= 1;
			message m = test::reply(cmd);
			nla_put_string(m.get(), IOVIEW_A_DEV_NAME, dev.c_str());
			nla_put_u32(m.get(), IOVIEW_A_OFFSET, nla_get_u32(attr_of(req, IOVIEW_A_OFFSET)));
			nla_put(m.get(), IOVIEW_A_DATA, static_cast<int>(back.size()), back.data());
			out.push_back(std::move(m));
			break;
		}
		case IOVIEW_CMD_SELFTEST_RUN: {
			message m = test::reply(cmd);
			nlattr *c = nla_nest_start(m.get(), IOVIEW_A_CASE);
			nla_put_string(m.get(), IOVIEW_A_CASE_SUITE, "ioview_edu");
			nla_put_string(m.get(), IOVIEW_A_CASE_NAME, "identification");
			nla_put_u8(m.get(), IOVIEW_A_CASE_VERDICT, fail_case ? IOVIEW_VERDICT_FAIL : IOVIEW_VERDICT_PASS);
			nla_put_string(m.get(), IOVIEW_A_CASE_DIAG, fail_case ? "wrong magic" : "");
			nla_nest_end(m.get(), c);
			nla_put_u32(m.get(), IOVIEW_A_PASSED, fail_case ? 0 : 1);
			nla_put_u32(m.get(), IOVIEW_A_FAILED, fail_case ? 1 : 0);
			nla_put_u32(m.get(), IOVIEW_A_SKIPPED, 0);
			out.push_back(std::move(m));
			break;
		}
		case IOVIEW_CMD_MBOX_SEND:
			mbox_open = true;
			break;
		case IOVIEW_CMD_MBOX_CLOSE:
			if (dev != shm) {
				out.push_back(test::error_reply(req, EOPNOTSUPP, "the operation needs an ivshmem function"));
				return out;
			}
			if (!mbox_open) {
				out.push_back(test::error_reply(req, ENOTCONN, "the mailbox is not open"));
				return out;
			}
			mbox_open = false;
			break;
		case IOVIEW_CMD_CONFIG_WRITE:
			if (!(attr_of(req, IOVIEW_A_WIDTH) && nla_get_u8(attr_of(req, IOVIEW_A_WIDTH)) <= 4)) {
				out.push_back(test::error_reply(req, EINVAL, "configuration space has no 8-byte access"));
				return out;
			}
			break;
		default:
			break;
		}
		out.push_back(test::error_reply(req, 0));
		return out;
	}
};

struct outcome {
	int status = -1;
	std::string out;
	std::string error;	// a failure's message
	std::vector<std::uint8_t> commands;
};

// Runs the command line against the model, which expects `requests` requests.
outcome run(std::initializer_list<std::string_view> words, int requests, model m = {}, output_format f = {})
{
	test::fake_kernel k;
	session s(k.client(), test::family);
	k.serve(requests, [&m](const nlmsghdr *req, int) { return m.answer(req); });
	outcome o;
	char *buf = nullptr;
	std::size_t len = 0;
	std::FILE *out = open_memstream(&buf, &len);
	try {
		std::vector<std::string_view> v(words);
		o.status = run_command(parse_command(v), f, s, out);
	} catch (const failure &e) {
		o.error = e.what();
		o.status = exit_failure;
	}
	std::fclose(out);
	o.out.assign(buf, len);
	std::free(buf);
	k.join();
	for (std::size_t i = 0; i < k.request_count(); ++i)
		o.commands.push_back(k.command_of(i));
	return o;
}

} // namespace

TEST_CASE("commands: a short device name is looked up in a dump first; a whole one is not")
{
	outcome o = run({ "dev", "show", "03.0" }, 2);
	CHECK(o.status == 0);
	CHECK(o.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_DEV_GET, IOVIEW_CMD_DEV_GET });
	CHECK(o.out.rfind("0000:00:03.0: kind ivshmem", 0) == 0);
	outcome whole = run({ "dev", "show", "0000:00:03.0" }, 1);
	CHECK(whole.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_DEV_GET });
	outcome none = run({ "dev", "show", "09.0" }, 1);
	CHECK(none.status == exit_failure);
	CHECK(none.error == "no bound device matches \"09.0\" (bound: 0000:00:02.0, 0000:00:03.0)");
}

TEST_CASE("commands: dev show dumps every device, as text and as JSON")
{
	outcome o = run({ "dev", "show" }, 1);
	CHECK(o.out ==
	      "0000:00:02.0: kind edu vendor 0x1234 device 0x11e8 revision 0x00 class 0x000000 irq msi 24\n"
	      "  bar 0 mem size 1M\n"
	      "0000:00:03.0: kind ivshmem vendor 0x1af4 device 0x1110 revision 0x00 class 0x000000 irq none\n"
	      "  bar 0 mem size 256\n");
	outcome j = run({ "dev", "show" }, 1, {}, { true, false });
	nlohmann::json doc = nlohmann::json::parse(j.out);
	CHECK(doc["dev"].size() == 2);
	CHECK(doc["dev"]["0000:00:02.0"]["irq"] == 24);
}

TEST_CASE("commands: config show -xxx prints what lspci -xxx prints for the same bytes")
{
	outcome o = run({ "config", "show", "-xxx", "02.0" }, 2);
	CHECK(o.status == 0);
	CHECK(o.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_DEV_GET, IOVIEW_CMD_CONFIG_READ });
	// lspci on the same bytes, from a dump file in its own format.
	std::string dump = "00:02.0 recorded\n";
	std::vector<std::uint8_t> b = test::fixture("edu-bound.config.hex");
	char hex[32];
	for (std::size_t i = 0; i < b.size(); ++i) {
		if (i % 16 == 0) {
			std::snprintf(hex, sizeof(hex), "%02zx:", i);
			dump += hex;
		}
		std::snprintf(hex, sizeof(hex), " %02x", b[i]);
		dump += hex;
		if (i % 16 == 15)
			dump += "\n";
	}
	std::string path = test::write_temp("commands-edu.dump", dump);
	CHECK(o.out == test::output_of("lspci -F " + path + " -xxx 2>/dev/null"));
	outcome x = run({ "config", "show", "-x", "02.0" }, 2);
	CHECK(x.out == test::output_of("lspci -F " + path + " -x 2>/dev/null"));
}

TEST_CASE("commands: config show decodes with the kernel's BAR sizes, interrupt and driver")
{
	outcome o = run({ "config", "show", edu }, 2);
	CHECK(o.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_CONFIG_READ, IOVIEW_CMD_DEV_GET });
	CHECK(o.out ==
	      "00:02.0 " + o.out.substr(8, o.out.find('\n') - 8) + "\n"
	      "\tSubsystem: " + o.out.substr(o.out.find("Subsystem: ") + 11, o.out.find("\n\tFlags") - o.out.find("Subsystem: ") - 11) + "\n"
	      "\tFlags: bus master, fast devsel, latency 0, IRQ 24\n"
	      "\tMemory at fe900000 (32-bit, non-prefetchable) [size=1M]\n"
	      "\tCapabilities: [40] MSI: Enable+ Count=1/1 Maskable- 64bit+\n"
	      "\tKernel driver in use: ioview\n"
	      "\n");
	outcome j = run({ "config", "show", edu }, 2, {}, { true, true });
	nlohmann::json doc = nlohmann::json::parse(j.out);
	CHECK(doc["dev"] == edu);
	CHECK(doc["irq"] == 24);
	CHECK(doc["bars"][0]["size"] == 1 << 20);
}

TEST_CASE("commands: an unprivileged caller's configuration space ends at byte 64")
{
	model m;
	m.unprivileged = true;
	outcome x = run({ "config", "show", "-xxx", edu }, 1, m);
	CHECK(x.status == 0);
	CHECK(x.out.find("\n30: ") != std::string::npos);
	CHECK(x.out.find("\n40: ") == std::string::npos);
	outcome v = run({ "config", "show", edu }, 2, m);
	CHECK(v.out.find("\tCapabilities: <access denied>\n") != std::string::npos);
	outcome r = run({ "config", "read", edu, "0x40", "32" }, 1, m);
	CHECK(r.status == exit_failure);
	CHECK(r.error == "the kernel returned 0 of 4 bytes (without CAP_SYS_ADMIN only the first 64 bytes can be read)");
}

TEST_CASE("commands: config read and write; a refusal is the kernel's message")
{
	outcome r = run({ "config", "read", edu, "0x4", "16" }, 1);
	CHECK(r.out == "0x0507\n");
	outcome w = run({ "config", "write", edu, "0x3c", "8", "11" }, 1);
	CHECK(w.status == 0);
	CHECK(w.out.empty());
	outcome wj = run({ "config", "write", edu, "0x3c", "8", "11" }, 1, {}, { true, false });
	CHECK(wj.out == "{}\n");
	outcome bad = run({ "config", "write", edu, "0", "64", "0" }, 1);
	CHECK(bad.status == exit_failure);
	CHECK(bad.error == "configuration space has no 8-byte access");
}

TEST_CASE("commands: reg show reads each readable register by name, never a read-to-clear one")
{
	outcome o = run({ "reg", "show", edu }, 3);
	CHECK(o.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_REG_GET, IOVIEW_CMD_REG_READ, IOVIEW_CMD_REG_READ });
	CHECK(o.out ==
	      "0000:00:02.0:\n"
	      "  identification 0x00 32 ro = 0x010000ed\n"
	      "    low 7:0 ro = 0xed\n"
	      "  irq_status 0x24 32 rc (not read: a read clears it)\n"
	      "    low 7:0 rc\n"
	      "  status 0x20 32 rw = 0x00000080\n"
	      "    low 7:0 rw = 0x80\n");
}

TEST_CASE("commands: shm close prints nothing ({} with -j); a refusal is the kernel's message")
{
	model open;
	open.mbox_open = true;
	outcome c = run({ "shm", "close", shm }, 1, open);
	CHECK(c.status == 0);
	CHECK(c.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_MBOX_CLOSE });
	CHECK(c.out.empty());
	CHECK(c.error.empty());
	outcome j = run({ "shm", "close", shm }, 1, open, { true, false });
	CHECK(j.status == 0);
	CHECK(j.out == "{}\n");
	outcome p = run({ "shm", "close", shm }, 1, open, { true, true });
	CHECK(p.out == "{}\n");
	// The short form is looked up first, as for every command naming a device.
	outcome s = run({ "shm", "close", "03.0" }, 2, open);
	CHECK(s.commands == std::vector<std::uint8_t>{ IOVIEW_CMD_DEV_GET, IOVIEW_CMD_MBOX_CLOSE });
	CHECK(s.status == 0);

	outcome closed = run({ "shm", "close", shm }, 1);
	CHECK(closed.status == exit_failure);
	CHECK(closed.error == "the mailbox is not open");
	CHECK(closed.out.empty());
	CHECK(error_text(closed.error) == "the mailbox is not open.");
	outcome closed_json = run({ "shm", "close", shm }, 1, {}, { true, false });
	CHECK(closed_json.status == exit_failure);
	CHECK(closed_json.out.empty());	// a refusal prints no document, only the error
	outcome not_shm = run({ "shm", "close", edu }, 1);
	CHECK(not_shm.status == exit_failure);
	CHECK(not_shm.error == "the operation needs an ivshmem function");
}

TEST_CASE("commands: shm send then close, on one session as a script would")
{
	test::fake_kernel k;
	session s(k.client(), test::family);
	model m;
	k.serve(3, [&m](const nlmsghdr *req, int) { return m.answer(req); });
	char *buf = nullptr;
	std::size_t len = 0;
	std::FILE *out = open_memstream(&buf, &len);
	auto run_words = [&](std::initializer_list<std::string_view> words) {
		std::vector<std::string_view> v(words);
		return run_command(parse_command(v), {}, s, out);
	};
	CHECK(run_words({ "shm", "send", shm, "ping" }) == exit_ok);
	CHECK(run_words({ "shm", "close", shm }) == exit_ok);
	CHECK_THROWS_WITH(run_words({ "shm", "close", shm }), "the mailbox is not open");
	std::fclose(out);
	std::free(buf);
	k.join();
	CHECK(k.request_count() == 3);
	CHECK(len == 0);
}

TEST_CASE("commands: a round trip that comes back different fails")
{
	outcome same = run({ "edu", "dma", edu, "roundtrip", "0", "abc" }, 1);
	CHECK(same.status == 0);
	CHECK(same.out == "0000: 61 62 63\nround trip: 3 bytes came back as written\n");
	model m;
	m.corrupt_dma = true;
	outcome differs = run({ "edu", "dma", edu, "roundtrip", "0", "abc" }, 1, m);
	CHECK(differs.status == exit_failure);
	CHECK(differs.out.find("differ") != std::string::npos);
}

TEST_CASE("commands: selftest run prints KTAP and fails when a case failed")
{
	outcome pass = run({ "selftest", "run" }, 1);
	CHECK(pass.status == 0);
	CHECK(pass.out.rfind("KTAP version 1\n1..1\n", 0) == 0);
	model m;
	m.fail_case = true;
	outcome fail = run({ "selftest", "run", "ioview_edu" }, 1, m);
	CHECK(fail.status == exit_failure);
	CHECK(fail.out.find("    # identification: wrong magic\n    not ok 1 identification\n") != std::string::npos);
}

TEST_CASE("commands: the kernel's refusal of a device reaches the caller")
{
	outcome o = run({ "reg", "read", "0000:00:09.0", "status" }, 1);
	CHECK(o.status == exit_failure);
	CHECK(o.error == "no such device");
}

TEST_CASE("commands: monitor prints each event as it comes, and the events a gap says were lost")
{
	test::fake_kernel k;
	session s(k.client(), test::family);
	// The controller's answer about the events group, then three events: 1, 4 and a malformed one, which ends it.
	k.serve(1, [](const nlmsghdr *req, int) {
		std::vector<message> out;
		out.push_back(test::family_reply(test::family, 3));
		out.push_back(test::error_reply(req, 0));
		return out;
	});
	std::thread events([&k] {
		k.join();
		for (std::uint64_t seq : { 1, 4, 0 }) {
			message e = test::reply(IOVIEW_CMD_EVENT);
			if (seq) {
				nla_put_u32(e.get(), IOVIEW_A_EVENT_KIND, IOVIEW_EVENT_KIND_INTERRUPT);
				nla_put_u64(e.get(), IOVIEW_A_EVENT_SEQ, seq);
				nla_put_string(e.get(), IOVIEW_A_DEV_NAME, edu);
				nla_put_u64(e.get(), IOVIEW_A_VALUE, 1);
			}
			k.send_event(e.get());
		}
	});
	char *buf = nullptr;
	std::size_t len = 0;
	std::FILE *out = open_memstream(&buf, &len);
	std::vector<std::string_view> words = { "monitor" };
	CHECK_THROWS_WITH(run_command(parse_command(words), {}, s, out), "the kernel's reply is malformed: no event-kind");
	events.join();
	std::fclose(out);
	std::string printed(buf, len);
	std::free(buf);
	CHECK(printed ==
	      "[1] interrupt 0000:00:02.0 value 0x1\n"
	      "[4] (2 events lost before this one)\n"
	      "[4] interrupt 0000:00:02.0 value 0x1\n");
	CHECK(k.request_count() == 1);
}
