// SPDX-License-Identifier: GPL-2.0
//
// A stand-in for the kernel's side of the family: a second netlink socket
// (NETLINK_USERSOCK, where one user socket may answer another, root or
// not) that takes the tool's requests and plays back scripted replies, so
// the whole libnl path (sequence numbers, ACKs, dumps, extended ACKs,
// multicast membership) runs without the module.
#ifndef IOVIEWCTL_TEST_FAKE_KERNEL_H
#define IOVIEWCTL_TEST_FAKE_KERNEL_H

#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/message.h"
#include "helpers.h"

namespace test {

/// An NLMSG_ERROR answering request: an ACK for error 0, else a refusal
/// with the extended-ACK TLVs given, capped (NETLINK_CAP_ACK) or echoing
/// all of the request.
inline ioviewctl::message error_reply(const nlmsghdr *request, int error, const char *text = nullptr,
				      std::optional<std::uint32_t> offset = std::nullopt, bool capped = true,
				      std::optional<std::uint32_t> missing = std::nullopt)
{
	int flags = (capped ? NLM_F_CAPPED : 0) | ((text || offset || missing) ? NLM_F_ACK_TLVS : 0);
	ioviewctl::message m(nlmsg_alloc_simple(NLMSG_ERROR, flags));
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

/// A dump's NLMSG_DONE: 0, or the error that ended it, with a message.
inline ioviewctl::message done_reply(int error, const char *text = nullptr)
{
	ioviewctl::message m(nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0)));
	int code = -error;
	nlmsg_append(m.get(), &code, sizeof(code), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(m.get(), NLMSGERR_ATTR_MSG, text);
	return m;
}

/// One part of a dump.
inline ioviewctl::message multi(ioviewctl::message m)
{
	nlmsg_hdr(m.get())->nlmsg_flags |= NLM_F_MULTI;
	return m;
}

/// The generic netlink controller's answer about the family: its id and its events group.
inline ioviewctl::message family_reply(int id, int events_group)
{
	ioviewctl::message m(nlmsg_alloc_size(4096));
	genlmsg_put(m.get(), 0, 0, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2);
	nla_put_u16(m.get(), CTRL_ATTR_FAMILY_ID, static_cast<std::uint16_t>(id));
	nla_put_string(m.get(), CTRL_ATTR_FAMILY_NAME, IOVIEW_GENL_NAME);
	nla_put_u32(m.get(), CTRL_ATTR_VERSION, IOVIEW_GENL_VERSION);
	nla_put_u32(m.get(), CTRL_ATTR_HDRSIZE, 0);
	nla_put_u32(m.get(), CTRL_ATTR_MAXATTR, IOVIEW_A_MAX);
	nlattr *groups = nla_nest_start(m.get(), CTRL_ATTR_MCAST_GROUPS);
	nlattr *g = nla_nest_start(m.get(), 1);
	nla_put_string(m.get(), CTRL_ATTR_MCAST_GRP_NAME, IOVIEW_MCGRP_EVENTS);
	nla_put_u32(m.get(), CTRL_ATTR_MCAST_GRP_ID, static_cast<std::uint32_t>(events_group));
	nla_nest_end(m.get(), g);
	nla_nest_end(m.get(), groups);
	return m;
}

class fake_kernel {
public:
	/// What to answer to the i-th request (from 0).
	using script = std::function<std::vector<ioviewctl::message>(const nlmsghdr *request, int i)>;

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
	fake_kernel(const fake_kernel &) = delete;
	fake_kernel &operator=(const fake_kernel &) = delete;

	/// A socket talking to this stand-in, for a session to take over.
	nl_sock *client()
	{
		nl_sock *sk = nl_socket_alloc();
		REQUIRE(nl_connect(sk, NETLINK_USERSOCK) == 0);
		nl_socket_set_peer_port(sk, port_);
		client_port_ = nl_socket_get_local_port(sk);
		return sk;
	}

	/// Serves `count` requests in the background, each answered by s(request, i),
	/// every reply carrying the request's sequence number.
	void serve(int count, script s)
	{
		thread_ = std::thread([this, count, s] {
			for (int i = 0; i < count; ++i) {
				std::vector<char> buf(65536);
				sockaddr_nl from{};
				socklen_t fromlen = sizeof(from);
				ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr *>(&from),
						     &fromlen);
				if (n <= 0)
					return;
				requests_.emplace_back(buf.data(), buf.data() + n);
				const auto *req = reinterpret_cast<const nlmsghdr *>(requests_.back().data());
				for (ioviewctl::message &m : s(req, i))
					send(m.get(), req->nlmsg_seq, from.nl_pid);
			}
		});
	}

	/// Sends one message to the client, as the kernel sends an event (sequence number 0).
	void send_event(nl_msg *m) { send(m, 0, client_port_); }

	void join() { thread_.join(); }
	std::size_t request_count() const { return requests_.size(); }
	const nlmsghdr *request(std::size_t i) const { return reinterpret_cast<const nlmsghdr *>(requests_[i].data()); }
	/// The generic netlink command of request i.
	std::uint8_t command_of(std::size_t i) const
	{
		return static_cast<const genlmsghdr *>(nlmsg_data(const_cast<nlmsghdr *>(request(i))))->cmd;
	}

private:
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

	int fd_ = -1;
	std::uint32_t port_ = 0;
	std::uint32_t client_port_ = 0;
	std::thread thread_;
	std::vector<std::vector<char>> requests_;
};

} // namespace test

#endif // IOVIEWCTL_TEST_FAKE_KERNEL_H
