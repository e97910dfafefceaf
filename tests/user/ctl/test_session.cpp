// SPDX-License-Identifier: GPL-2.0
// The netlink exchange: extended ACKs and a dump's closing error code, read
// from constructed messages, and the whole libnl receive path run against
// the stand-in kernel (fake_kernel.h).
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "ctl/errors.h"
#include "ctl/reply.h"
#include "ctl/request.h"
#include "ctl/session.h"
#include "fake_kernel.h"
#include "helpers.h"

using namespace ioviewctl;
using test::done_reply;
using test::error_reply;
using test::multi;

namespace {

// The offset of an attribute in a message, as NLMSGERR_ATTR_OFFS gives it.
std::uint32_t offset_of(nl_msg *m, int type)
{
	nlattr *a = test::attrs_of(m)[type];
	return static_cast<std::uint32_t>(reinterpret_cast<char *>(a) - reinterpret_cast<char *>(nlmsg_hdr(m)));
}

message device_reply(const char *name)
{
	message m = test::reply(IOVIEW_CMD_DEV_GET);
	nla_put_string(m.get(), IOVIEW_A_DEV_NAME, name);
	nla_put_u32(m.get(), IOVIEW_A_DEV_KIND, IOVIEW_DEV_KIND_EDU);
	nla_put_u16(m.get(), IOVIEW_A_VENDOR, 0x1234);
	nla_put_u16(m.get(), IOVIEW_A_DEVICE, 0x11e8);
	return m;
}

message ack_reply(const nlmsghdr *request)
{
	return error_reply(request, 0);
}

} // namespace

TEST_CASE("session: an extended ACK's message and offset, capped and not")
{
	message req = config_read_request(test::family, "0000:00:02.0", 3, 4);
	std::uint32_t at = offset_of(req.get(), IOVIEW_A_OFFSET);
	for (bool capped : { true, false }) {
		message err = error_reply(nlmsg_hdr(req.get()), EINVAL, "offset is not aligned to the width", at, capped);
		std::optional<ack_info> a = parse_ack(nlmsg_hdr(err.get()));
		REQUIRE(a);
		CHECK(a->error == EINVAL);
		CHECK(a->message == "offset is not aligned to the width");
		CHECK(a->offset == at);
		CHECK(attribute_at(nlmsg_hdr(req.get()), *a->offset) == IOVIEW_A_OFFSET);
		CHECK(describe_refusal(*a, nlmsg_hdr(req.get())) == "offset is not aligned to the width");
	}
}

TEST_CASE("session: without a message, strerror names the attribute pointed at or missing")
{
	message req = config_read_request(test::family, "0000:00:02.0", 3, 4);
	message err = error_reply(nlmsg_hdr(req.get()), ERANGE, nullptr, offset_of(req.get(), IOVIEW_A_LENGTH));
	std::optional<ack_info> a = parse_ack(nlmsg_hdr(err.get()));
	REQUIRE(a);
	CHECK(a->message.empty());
	CHECK(describe_refusal(*a, nlmsg_hdr(req.get())) == std::string(std::strerror(ERANGE)) + " (attribute length)");
	message miss = error_reply(nlmsg_hdr(req.get()), EINVAL, nullptr, std::nullopt, true, IOVIEW_A_DEV_NAME);
	a = parse_ack(nlmsg_hdr(miss.get()));
	REQUIRE(a);
	CHECK(describe_refusal(*a, nlmsg_hdr(req.get())) ==
	      std::string(std::strerror(EINVAL)) + " (missing attribute dev-name)");
	message plain = error_reply(nlmsg_hdr(req.get()), EPERM, nullptr, std::nullopt);
	a = parse_ack(nlmsg_hdr(plain.get()));
	REQUIRE(a);
	CHECK(describe_refusal(*a, nlmsg_hdr(req.get())) == std::strerror(EPERM));
	// An offset into the header, or past the end, points at no attribute.
	CHECK(!attribute_at(nlmsg_hdr(req.get()), 4));
	CHECK(!attribute_at(nlmsg_hdr(req.get()), nlmsg_hdr(req.get())->nlmsg_len + 4));
}

TEST_CASE("session: a dump's NLMSG_DONE carries its error code and message")
{
	message ok = done_reply(0, nullptr);
	std::optional<ack_info> a = parse_ack(nlmsg_hdr(ok.get()));
	REQUIRE(a);
	CHECK(a->error == 0);
	message failed = done_reply(EMSGSIZE, "a device's reply does not fit");
	a = parse_ack(nlmsg_hdr(failed.get()));
	REQUIRE(a);
	CHECK(a->error == EMSGSIZE);
	CHECK(a->message == "a device's reply does not fit");
	// Neither an error nor a done message.
	message other = test::reply(IOVIEW_CMD_DEV_GET);
	CHECK(!parse_ack(nlmsg_hdr(other.get())));
}

TEST_CASE("session: a do request gets its reply, then the ACK ends it")
{
	test::fake_kernel k;
	session s(k.client(), test::family);
	k.serve(1, [](const nlmsghdr *req, int) {
		std::vector<message> out;
		out.push_back(device_reply("0000:00:02.0"));
		out.push_back(ack_reply(req));
		return out;
	});
	std::vector<message> replies = s.transact(dev_get_request(test::family, std::string("0000:00:02.0")));
	k.join();
	REQUIRE(replies.size() == 1);
	CHECK(decode_device(replies[0].get()).name == "0000:00:02.0");
	// What arrived: the request, asking for an ACK.
	CHECK(k.request(0)->nlmsg_type == test::family);
	CHECK((k.request(0)->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK));
}

TEST_CASE("session: a refusal throws the kernel's message and errno")
{
	test::fake_kernel k;
	session s(k.client(), test::family);
	k.serve(1, [](const nlmsghdr *req, int) {
		std::vector<message> out;
		out.push_back(error_reply(req, ENODEV, "no bound device is 0000:00:09.0", std::nullopt));
		return out;
	});
	try {
		s.transact(dev_get_request(test::family, std::string("0000:00:09.0")));
		FAIL("no failure");
	} catch (const failure &e) {
		CHECK(std::string(e.what()) == "no bound device is 0000:00:09.0");
		CHECK(e.errnum == ENODEV);
	}
	k.join();
}

TEST_CASE("session: a dump collects every part; one that failed at NLMSG_DONE fails")
{
	{
		test::fake_kernel k;
		session s(k.client(), test::family);
		k.serve(1, [](const nlmsghdr *, int) {
			std::vector<message> out;
			out.push_back(multi(device_reply("0000:00:02.0")));
			out.push_back(multi(device_reply("0000:00:03.0")));
			out.push_back(done_reply(0, nullptr));
			return out;
		});
		std::vector<message> replies = s.transact(dev_get_request(test::family, std::nullopt));
		k.join();
		REQUIRE(replies.size() == 2);
		CHECK(decode_device(replies[1].get()).name == "0000:00:03.0");
		CHECK((k.request(0)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	}
	{
		test::fake_kernel k;
		session s(k.client(), test::family);
		k.serve(1, [](const nlmsghdr *, int) {
			std::vector<message> out;
			out.push_back(multi(device_reply("0000:00:02.0")));
			out.push_back(done_reply(EIO, "reading 0000:00:03.0 failed"));
			return out;
		});
		CHECK_THROWS_WITH(s.transact(dev_get_request(test::family, std::nullopt)), "reading 0000:00:03.0 failed");
		k.join();
	}
}

TEST_CASE("session: a missing family says the module is probably not loaded")
{
	// Only meaningful where the module is not loaded: the machine running the tests.
	if (access("/sys/module/ioview", F_OK) == 0) {
		WARN("ioview is loaded here: the missing-family message cannot be seen");
		return;
	}
	try {
		session s;
		FAIL("the family resolved");
	} catch (const failure &e) {
		CHECK(std::string(e.what()) ==
		      "the generic netlink family \"ioview\" is not registered: the ioview module is probably not loaded "
		      "(modprobe ioview)");
		CHECK(e.errnum == ENOENT);
	}
}
