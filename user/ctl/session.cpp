// SPDX-License-Identifier: GPL-2.0
#include "ctl/session.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>

#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "ctl/errors.h"
#include "ctl/reply.h"
#include "uapi/ioview.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace ioviewctl {

namespace {

// The extended-ACK TLVs start after the payload's fixed part.
void parse_ack_tlvs(const nlmsghdr *h, std::size_t tlv_start, ack_info &a)
{
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len <= tlv_start)
		return;
	nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	auto *first = reinterpret_cast<nlattr *>(const_cast<char *>(reinterpret_cast<const char *>(h) + tlv_start));
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, first, static_cast<int>(h->nlmsg_len - tlv_start), nullptr) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = static_cast<const char *>(nla_data(tb[NLMSGERR_ATTR_MSG]));
		a.message.assign(s, strnlen(s, static_cast<std::size_t>(nla_len(tb[NLMSGERR_ATTR_MSG]))));
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		a.offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4)
		a.missing = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

// One request's exchange with the kernel, filled by the callbacks.
struct exchange {
	std::vector<message> replies;
	std::optional<ack_info> refusal;
	std::string broken;	// a reply the tool could not take
	bool done = false;
};

int on_valid(nl_msg *m, void *arg)
{
	auto *x = static_cast<exchange *>(arg);
	// libnl reuses its receive buffer: keep a copy.
	message copy(nlmsg_convert(nlmsg_hdr(m)));
	if (!copy) {
		x->broken = "out of memory";
		x->done = true;
		return NL_STOP;
	}
	try {
		x->replies.push_back(std::move(copy));
	} catch (const std::bad_alloc &) {	// nothing may unwind through libnl
		x->broken = "out of memory";
		x->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
	static_cast<exchange *>(arg)->done = true;
	return NL_STOP;
}

int on_finish(nl_msg *m, void *arg)
{
	auto *x = static_cast<exchange *>(arg);
	std::optional<ack_info> a = parse_ack(nlmsg_hdr(m));
	if (a && a->error)
		x->refusal = a;
	x->done = true;
	return NL_STOP;
}

int on_error(sockaddr_nl *, nlmsgerr *e, void *arg)
{
	auto *x = static_cast<exchange *>(arg);
	// libnl passes the payload; the header is just before it.
	const auto *h = reinterpret_cast<const nlmsghdr *>(reinterpret_cast<const char *>(e) - NLMSG_HDRLEN);
	std::optional<ack_info> a = parse_ack(h);
	x->refusal = a ? *a : ack_info{ -e->error, {}, {}, {} };
	x->done = true;
	return NL_STOP;
}

struct cb_free {
	void operator()(nl_cb *cb) const { nl_cb_put(cb); }
};

} // namespace

std::optional<ack_info> parse_ack(const nlmsghdr *h)
{
	ack_info a;
	if (h->nlmsg_type == NLMSG_ERROR) {
		if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr))
			return std::nullopt;
		const auto *e = reinterpret_cast<const nlmsgerr *>(reinterpret_cast<const char *>(h) + NLMSG_HDRLEN);
		a.error = -e->error;
		// The request follows: its header only when capped, else all of it.
		std::size_t echoed = (h->nlmsg_flags & NLM_F_CAPPED) ? 0 : e->msg.nlmsg_len - sizeof(nlmsghdr);
		std::size_t tlvs = NLMSG_HDRLEN + sizeof(nlmsgerr) + NLMSG_ALIGN(echoed);
		parse_ack_tlvs(h, tlvs, a);
		return a;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		// A dump's end: an int, 0 or the negative errno that stopped it.
		if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
			return a;	// an old kernel's empty done: success
		int err;
		std::memcpy(&err, reinterpret_cast<const char *>(h) + NLMSG_HDRLEN, sizeof(err));
		a.error = -err;
		parse_ack_tlvs(h, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)), a);
		return a;
	}
	return std::nullopt;
}

std::optional<int> attribute_at(const nlmsghdr *request, std::uint32_t offset)
{
	std::uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	if (request->nlmsg_len < start)
		return std::nullopt;
	auto *first = reinterpret_cast<nlattr *>(const_cast<char *>(reinterpret_cast<const char *>(request) + start));
	nlattr *a;
	int rem;
	nla_for_each_attr(a, first, static_cast<int>(request->nlmsg_len - start), rem)
	{
		auto at = static_cast<std::uint32_t>(reinterpret_cast<const char *>(a) - reinterpret_cast<const char *>(request));
		if (offset >= at && offset < at + NLA_ALIGN(a->nla_len))
			return nla_type(a);
	}
	return std::nullopt;
}

std::string describe_refusal(const ack_info &a, const nlmsghdr *request)
{
	std::string text = !a.message.empty() ? a.message : std::strerror(a.error);
	std::optional<int> attr;
	if (a.offset && request)
		attr = attribute_at(request, *a.offset);
	if (a.missing)
		text += " (missing attribute " + attribute_name(static_cast<int>(*a.missing)) + ")";
	else if (attr && a.message.empty())
		text += " (attribute " + attribute_name(*attr) + ")";
	return text;
}

session::session()
{
	sock_ = nl_socket_alloc();
	if (!sock_)
		throw failure("out of memory", ENOMEM);
	int ret = genl_connect(sock_);
	if (ret < 0) {
		nl_socket_free(sock_);
		throw failure(std::string("cannot open a generic netlink socket: ") + nl_geterror(ret));
	}
	// Both are best effort: a kernel without them still answers, only with less to say.
	int one = 1;
	setsockopt(nl_socket_get_fd(sock_), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sock_), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	family_ = genl_ctrl_resolve(sock_, IOVIEW_GENL_NAME);
	if (family_ < 0) {
		int err = family_;
		nl_socket_free(sock_);
		if (err == -NLE_OBJ_NOTFOUND)
			throw failure("the generic netlink family \"" IOVIEW_GENL_NAME
				      "\" is not registered: the ioview module is probably not loaded (modprobe ioview)",
				      ENOENT);
		throw failure(std::string("cannot resolve the \"" IOVIEW_GENL_NAME "\" family: ") + nl_geterror(err));
	}
}

session::session(nl_sock *connected, int family) : sock_(connected), family_(family) {}

session::~session()
{
	nl_socket_free(sock_);
}

std::vector<message> session::transact(message request)
{
	std::unique_ptr<nl_cb, cb_free> cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		throw failure("out of memory", ENOMEM);
	exchange x;
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &x);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &x);
	int ret = nl_send_auto(sock_, request.get());
	if (ret < 0)
		throw failure(std::string("cannot send the request: ") + nl_geterror(ret));
	while (!x.done) {
		ret = nl_recvmsgs(sock_, cb.get());
		if (ret < 0 && !x.done)
			throw failure(std::string("cannot receive the reply: ") + nl_geterror(ret));
	}
	if (!x.broken.empty())
		throw failure(x.broken);
	if (x.refusal && x.refusal->error)
		throw failure(describe_refusal(*x.refusal, nlmsg_hdr(request.get())), x.refusal->error);
	return std::move(x.replies);
}

namespace {

struct listener {
	const std::function<bool(nl_msg *)> *on_event;
	bool stop = false;
	// An exception must not unwind through libnl's C frames: kept, and rethrown after them.
	std::exception_ptr thrown;
};

int any_sequence(nl_msg *, void *)
{
	return NL_OK;
}

int on_event_msg(nl_msg *m, void *arg)
{
	auto *l = static_cast<listener *>(arg);
	try {
		if (!(*l->on_event)(m)) {
			l->stop = true;
			return NL_STOP;
		}
	} catch (...) {
		l->thrown = std::current_exception();
		l->stop = true;
		return NL_STOP;
	}
	return NL_OK;
}

} // namespace

void session::listen(const std::function<bool(nl_msg *)> &on_event, const std::function<void()> &on_overrun)
{
	int group = genl_ctrl_resolve_grp(sock_, IOVIEW_GENL_NAME, IOVIEW_MCGRP_EVENTS);
	if (group < 0)
		throw failure(std::string("cannot resolve the \"" IOVIEW_MCGRP_EVENTS "\" group: ") + nl_geterror(group));
	int ret = nl_socket_add_membership(sock_, group);
	if (ret < 0)
		throw failure(std::string("cannot join the \"" IOVIEW_MCGRP_EVENTS "\" group: ") + nl_geterror(ret));
	std::unique_ptr<nl_cb, cb_free> cb(nl_cb_alloc(NL_CB_DEFAULT));
	if (!cb)
		throw failure("out of memory", ENOMEM);
	listener l{ &on_event, false, nullptr };
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_event_msg, &l);
	// Events are not answers to a request: they carry sequence number 0.
	// (nl_socket_disable_seq_check() would change only the socket's own callbacks, not these.)
	nl_cb_set(cb.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_sequence, nullptr);
	while (!l.stop) {
		ret = nl_recvmsgs(sock_, cb.get());
		// ENOBUFS: the socket's buffer overflowed and the kernel dropped events.
		if (ret == -NLE_NOMEM) {
			on_overrun();
			continue;
		}
		if (l.thrown)
			std::rethrow_exception(l.thrown);
		if (ret < 0 && !l.stop)
			throw failure(std::string("cannot receive events: ") + nl_geterror(ret));
	}
}

} // namespace ioviewctl
