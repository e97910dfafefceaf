// SPDX-License-Identifier: GPL-2.0
// The netlink exchange: extended ACKs and a dump's closing error code, read
// from constructed messages, and the whole libnl receive path run against a
// stand-in kernel, a second netlink socket (NETLINK_USERSOCK lets one user
// socket answer another) that plays back scripted replies.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/errors.h"
#include "ctl/reply.h"
#include "ctl/request.h"
#include "ctl/session.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

// An NLMSG_ERROR answering `request`, as the kernel sends it with NETLINK_CAP_ACK
// (capped: only the request's header is echoed) or without (all of it).
message error_reply(const nlmsghdr *request, int error, const char *text, std::optional<std::uint32_t> offset,
		    bool capped = true, std::optional<std::uint32_t> missing = std::nullopt)
{
	int flags = (capped ? NLM_F_CAPPED : 0) | ((text || offset || missing) ? NLM_F_ACK_TLVS : 0);
	message m(nlmsg_alloc_simple(NLMSG_ERROR, flags));
	nlmsgerr e{};
	e.error = -error;
	std::memcpy(&e.msg, request, sizeof(nlmsghdr));
	nlmsg_append(m.get(), &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(m.get(), const_cast<char *>(reinterpret_cast<const char *>(request) + NLMSG_HDRLEN),
			     request->nlmsg_len - NLMSG_HDRLEN, NLMSG_ALIGNTO);
	if (text)
		nla_put_string(m.get(), NLMSGERR_ATTR_MSG, text);
	if (offset)
		nla_put_u32(m.get(), NLMSGERR_ATTR_OFFS, *offset);
	if (missing)
		nla_put_u32(m.get(), NLMSGERR_ATTR_MISS_TYPE, *missing);
	return m;
}

message done_reply(int error, const char *text)
{
	message m(nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0)));
	int code = -error;
	nlmsg_append(m.get(), &code, sizeof(code), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(m.get(), NLMSGERR_ATTR_MSG, text);
	return m;
}

// The offset of an attribute in a message, as NLMSGERR_ATTR_OFFS gives it.
std::uint32_t offset_of(nl_msg *m, int type)
{
	nlattr *a = test::attrs_of(m)[type];
	return static_cast<std::uint32_t>(reinterpret_cast<char *>(a) - reinterpret_cast<char *>(nlmsg_hdr(m)));
}

// The stand-in kernel: takes one request, answers with what script() makes of it.
class fake_kernel {
public:
	fake_kernel()
	{
		fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
		REQUIRE(fd_ >= 0);
		sockaddr_nl me{};
		me.nl_family = AF_NETLINK;
		REQUIRE(bind(fd_, reinterpret_cast<sockaddr *>(&me), sizeof(me)) == 0);
		socklen_t len = sizeof(me);
		REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr *>(&me), &len) == 0);
		port_ = me.nl_pid;
	}
	~fake_kernel()
	{
		if (thread_.joinable())
			thread_.join();
		close(fd_);
	}

	/// A session whose socket talks to this stand-in.
	nl_sock *client()
	{
		nl_sock *sk = nl_socket_alloc();
		REQUIRE(nl_connect(sk, NETLINK_USERSOCK) == 0);
		nl_socket_set_peer_port(sk, port_);
		return sk;
	}

	/// Serves one request in the background: the replies are script(request), sent in order,
	/// each with the request's sequence number.
	void serve(std::function<std::vector<message>(const nlmsghdr *)> script)
	{
		thread_ = std::thread([this, script] {
			std::vector<char> buf(65536);
			sockaddr_nl from{};
			socklen_t fromlen = sizeof(from);
			ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr *>(&from), &fromlen);
			if (n <= 0)
				return;
			request_.assign(buf.data(), buf.data() + n);
			const auto *req = reinterpret_cast<const nlmsghdr *>(request_.data());
			for (message &m : script(req))
				send(m.get(), req->nlmsg_seq, from.nl_pid);
		});
	}

	/// Sends one message now (an event: sequence number 0) to port.
	void send(nl_msg *m, std::uint32_t seq, std::uint32_t to)
	{
		nlmsghdr *h = nlmsg_hdr(m);
		h->nlmsg_seq = seq;
		h->nlmsg_pid = port_;
		sockaddr_nl dst{};
		dst.nl_family = AF_NETLINK;
		dst.nl_pid = to;
		sendto(fd_, h, h->nlmsg_len, 0, reinterpret_cast<sockaddr *>(&dst), sizeof(dst));
	}

	void join() { thread_.join(); }
	const nlmsghdr *request() const { return reinterpret_cast<const nlmsghdr *>(request_.data()); }

private:
	int fd_ = -1;
	std::uint32_t port_ = 0;
	std::thread thread_;
	std::vector<char> request_;
};

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
	return error_reply(request, 0, nullptr, std::nullopt);
}

message multi(message m)
{
	nlmsg_hdr(m.get())->nlmsg_flags |= NLM_F_MULTI;
	return m;
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
	fake_kernel k;
	session s(k.client(), test::family);
	k.serve([](const nlmsghdr *req) {
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
	CHECK(k.request()->nlmsg_type == test::family);
	CHECK((k.request()->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK));
}

TEST_CASE("session: a refusal throws the kernel's message and errno")
{
	fake_kernel k;
	session s(k.client(), test::family);
	k.serve([](const nlmsghdr *req) {
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
		fake_kernel k;
		session s(k.client(), test::family);
		k.serve([](const nlmsghdr *) {
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
		CHECK((k.request()->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	}
	{
		fake_kernel k;
		session s(k.client(), test::family);
		k.serve([](const nlmsghdr *) {
			std::vector<message> out;
			out.push_back(multi(device_reply("0000:00:02.0")));
			out.push_back(done_reply(EIO, "reading 0000:00:03.0 failed"));
			return out;
		});
		CHECK_THROWS_WITH(s.transact(dev_get_request(test::family, std::nullopt)), "reading 0000:00:03.0 failed");
		k.join();
	}
}
