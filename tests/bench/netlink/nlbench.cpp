// SPDX-License-Identifier: GPL-2.0
//
// The netlink family's figures, from one process (ioviewctl opens a session
// per run, so a loop of it would time process start-up, not the family):
//
//   nlbench config DEV N     N config-read requests of 4 and 64 bytes and of the
//                            whole space against as many pread()s of
//                            /sys/bus/pci/devices/DEV/config, interleaved in
//                            rounds so all see the same machine, on three
//                            clients (bench_config() says which)
//   nlbench reg DEV NAME N   N reg-read requests of register NAME
//   nlbench event DEV N      N edu-irq-raise requests, each timed until its
//                            interrupt event reaches a second session that
//                            joined the events group
//   nlbench dump-named DEV   a dev-get dump request naming DEV, which the
//                            family's dump callback refuses: shows how the
//                            refusal arrives (NLMSG_DONE carrying the errno
//                            and the extended ACK) and what session makes of it
//
// DEV is a full PCI address (0000:00:02.0). Figures go to stdout as
// "key: value" lines; nothing is judged against a threshold.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "ctl/errors.h"
#include "ctl/reply.h"
#include "ctl/request.h"
#include "ctl/session.h"
#include "uapi/ioview.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace {

using clk = std::chrono::steady_clock;
using ioviewctl::message;
using ioviewctl::session;

double seconds(clk::duration d)
{
	return std::chrono::duration<double>(d).count();
}

unsigned long count_arg(const char *s)
{
	char *end = nullptr;
	unsigned long n = std::strtoul(s, &end, 0);
	if (!*s || *end || n == 0)
		throw ioviewctl::usage_error(std::string("N \"") + s + "\" is not a positive number");
	return n;
}

// The config benchmark reads LEN bytes at offset 0 for LEN = 4, 64 and the whole
// configuration space, N times each way, on four clients:
//
//   session   ioviewctl's own (ctl/session.cpp): libnl's defaults, so an ACK
//             after the reply, and each message peeked at before it is read:
//             sendmsg + 4 recvmsg per request
//   no-ack    the same without the ACK: sendmsg + 2 recvmsg
//   lean      no ACK and no peek, into a buffer that fits any reply of the
//             family: sendmsg + 1 recvmsg, the fewest a request can cost
//   pread     pread() of /sys/bus/pci/devices/DEV/config: 1 system call
//
// and once a request the generic netlink core refuses itself (a command the
// family does not have, on the lean client): the round trip with none of
// this family's code in it, the floor of any request.
clk::duration session_config_reads(session &s, const std::string &dev, unsigned len, unsigned long n)
{
	clk::duration spent{};
	for (unsigned long i = 0; i < n; i++) {
		message m = ioviewctl::config_read_request(s.family(), dev, 0, len);
		auto t0 = clk::now();
		std::vector<message> r = s.transact(std::move(m));
		spent += clk::now() - t0;
		if (r.size() != 1)
			throw ioviewctl::failure("config-read: " + std::to_string(r.size()) + " replies");
	}
	return spent;
}

// A get's reply is its answer: a client that needs nothing else takes one message per request.
struct one_reply {
	int replies = 0;
	int error = 0;
};

int on_reply(nl_msg *, void *arg)
{
	static_cast<one_reply *>(arg)->replies++;
	return NL_STOP;
}

int on_reply_error(sockaddr_nl *, nlmsgerr *e, void *arg)
{
	static_cast<one_reply *>(arg)->error = e->error ? e->error : -EPROTO;
	return NL_STOP;
}

// A socket that asks for no ACK; @lean also reads each message straight into a
// buffer of 64 KiB (the family's largest reply, a self-test run, stays far below it).
struct raw_client {
	nl_sock *sk = nullptr;
	nl_cb *cb = nullptr;
	int family = 0;

	explicit raw_client(bool lean)
	{
		sk = nl_socket_alloc();
		if (!sk || genl_connect(sk) < 0)
			throw ioviewctl::failure("cannot open a generic netlink socket");
		nl_socket_disable_auto_ack(sk);
		if (lean) {
			nl_socket_disable_msg_peek(sk);
			nl_socket_set_msg_buf_size(sk, 64 * 1024);
		}
		family = genl_ctrl_resolve(sk, IOVIEW_GENL_NAME);
		if (family < 0)
			throw ioviewctl::failure("the ioview family is not registered");
		cb = nl_cb_alloc(NL_CB_DEFAULT);
		if (!cb)
			throw ioviewctl::failure("cannot allocate a callback set");
	}
	~raw_client()
	{
		nl_cb_put(cb);
		nl_socket_free(sk);
	}
	raw_client(const raw_client &) = delete;
	raw_client &operator=(const raw_client &) = delete;

	// Sends @make()'s request @n times, each answered by exactly one message:
	// a reply, or with @refused_with the error it must be refused with.
	template <typename Make>
	clk::duration run(const char *what, unsigned long n, Make make, int refused_with = 0)
	{
		clk::duration spent{};
		for (unsigned long i = 0; i < n; i++) {
			message m = make();
			one_reply r;
			nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &r);
			nl_cb_err(cb, NL_CB_CUSTOM, on_reply_error, &r);
			auto t0 = clk::now();
			int sent = nl_send_auto(sk, m.get()), received = sent < 0 ? sent : nl_recvmsgs(sk, cb);
			spent += clk::now() - t0;
			bool answered = refused_with ? r.error == refused_with && r.replies == 0 : !r.error && r.replies == 1;
			// libnl's nl_recvmsgs() returns the refusal's error itself once the callback stops it.
			if (sent < 0 || (received < 0 && !refused_with) || !answered)
				throw ioviewctl::failure(std::string(what) + ": " + std::to_string(r.replies) +
							 " replies, error " + std::to_string(r.error));
		}
		return spent;
	}

	clk::duration config_reads(const std::string &dev, unsigned len, unsigned long n)
	{
		return run("config-read", n, [&] { return ioviewctl::config_read_request(family, dev, 0, len); });
	}
};

// A command the family does not have: the generic netlink core refuses it
// (-EOPNOTSUPP) before any handler of the family runs.
message unknown_command_request(int family)
{
	message m(nlmsg_alloc());
	if (!m || !genlmsg_put(m.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, IOVIEW_CMD_MAX + 1, IOVIEW_GENL_VERSION))
		throw ioviewctl::failure("cannot build the unknown-command request");
	return m;
}

clk::duration sysfs_config_reads(int fd, unsigned len, unsigned long n)
{
	unsigned char buf[4096];
	auto t0 = clk::now();
	for (unsigned long i = 0; i < n; i++)
		if (pread(fd, buf, len, 0) != static_cast<ssize_t>(len))
			throw ioviewctl::failure(std::string("pread of config: ") + std::strerror(errno), errno);
	return clk::now() - t0;
}

double per_second(unsigned long n, clk::duration d)
{
	return static_cast<double>(n) / seconds(d);
}

int bench_config(const std::string &dev, unsigned long n)
{
	session s;
	std::string path = "/sys/bus/pci/devices/" + dev + "/config";
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw ioviewctl::failure(path + ": " + std::strerror(errno), errno);
	off_t space = lseek(fd, 0, SEEK_END);
	if (space != 256 && space != 4096)
		throw ioviewctl::failure(path + " is " + std::to_string(space) + " bytes, neither 256 nor 4096");
	raw_client no_ack(false), lean(true);
	// Ten rounds of n/10 each way, alternating, so a slow spell of the
	// (emulated) machine falls on every client rather than on one.
	constexpr unsigned long rounds = 10;
	unsigned long per = n / rounds ? n / rounds : 1;
	unsigned long total = per * rounds;
	std::printf("config reads: %lu per client and length, at offset 0 of %s (%ld bytes of config space)\n", total,
		    dev.c_str(), static_cast<long>(space));
	for (unsigned len : { 4u, 64u, static_cast<unsigned>(space) }) {
		clk::duration by_session{}, by_no_ack{}, by_lean{}, by_pread{};
		for (unsigned long r = 0; r < rounds; r++) {
			by_session += session_config_reads(s, dev, len, per);
			by_no_ack += no_ack.config_reads(dev, len, per);
			by_lean += lean.config_reads(dev, len, per);
			by_pread += sysfs_config_reads(fd, len, per);
		}
		double fs = per_second(total, by_pread);
		const std::pair<const char *, clk::duration> clients[] = { { "session", by_session },
									   { "no-ack", by_no_ack },
									   { "lean", by_lean } };
		std::printf("config %u bytes: sysfs pread %.0f ops/s (%.1f us/op)\n", len, fs, 1e6 / fs);
		for (const auto &[name, spent] : clients) {
			double ops = per_second(total, spent);
			std::printf("config %u bytes: netlink %s %.0f ops/s (%.1f us/op), ratio %.2f\n", len, name, ops,
				    1e6 / ops, ops / fs);
		}
	}
	close(fd);
	double floor = per_second(total, lean.run("unknown command", total,
						  [&] { return unknown_command_request(lean.family); }, -EOPNOTSUPP));
	std::printf("unknown command refused by the genl core, lean: %.0f ops/s (%.1f us/op)\n", floor, 1e6 / floor);
	return 0;
}

int bench_reg(const std::string &dev, const std::string &reg, unsigned long n)
{
	session s;
	clk::duration spent{};
	for (unsigned long i = 0; i < n; i++) {
		message m = ioviewctl::reg_read_request(s.family(), dev, reg);
		auto t0 = clk::now();
		std::vector<message> r = s.transact(std::move(m));
		spent += clk::now() - t0;
		if (r.size() != 1)
			throw ioviewctl::failure("reg-read: " + std::to_string(r.size()) + " replies");
	}
	double ops = static_cast<double>(n) / seconds(spent);
	std::printf("netlink reg-read %s of %s: %.0f ops/s (%.1f us/op)\n", reg.c_str(), dev.c_str(), ops, 1e6 / ops);
	return 0;
}

// The listener's side of the event benchmark: the arrival time of each interrupt event for dev.
struct arrivals {
	std::mutex lock;
	std::condition_variable cv;
	std::vector<clk::time_point> at;
	bool ready = false;
};

int bench_event(const std::string &dev, unsigned long n)
{
	session listener, sender;
	arrivals a;
	// The listener joins the group before the first raise; nothing raised
	// before it has joined could be counted.
	std::atomic<bool> failed{ false };
	std::string why;
	std::thread t([&] {
		try {
			listener.listen(
				[&](nl_msg *m) {
					auto now = clk::now();
					ioviewctl::event e = ioviewctl::decode_event(m);
					if (e.kind != IOVIEW_EVENT_KIND_INTERRUPT || e.dev != dev)
						return true;
					std::lock_guard<std::mutex> g(a.lock);
					a.at.push_back(now);
					a.cv.notify_all();
					return a.at.size() < n;
				},
				[&] { failed = true; });
		} catch (const std::exception &e) {
			std::lock_guard<std::mutex> g(a.lock);
			why = e.what();
			failed = true;
			a.cv.notify_all();
		}
	});
	// listen() joins the group on entry: give it a moment before the first raise.
	std::this_thread::sleep_for(std::chrono::milliseconds(200));
	std::vector<clk::duration> lat;
	for (unsigned long i = 0; i < n && !failed; i++) {
		ioviewctl::command c;
		c.what = ioviewctl::action::edu_irq_raise;
		c.dev = dev;
		c.value = 0x100;
		message m = ioviewctl::build_request(c, sender.family());
		auto t0 = clk::now();
		sender.transact(std::move(m));
		std::unique_lock<std::mutex> g(a.lock);
		if (!a.cv.wait_for(g, std::chrono::seconds(5), [&] { return a.at.size() > i || failed; })) {
			why = "no interrupt event within 5 s of raise " + std::to_string(i + 1);
			failed = true;
			break;
		}
		if (a.at.size() > i)
			lat.push_back(a.at[i] - t0);
	}
	if (failed) {
		// The listener may still be blocked in recv: the process ends here.
		std::fprintf(stderr, "Error: %s\n", why.empty() ? "events were lost" : why.c_str());
		std::fflush(nullptr);
		_exit(1);
	}
	t.join();
	std::sort(lat.begin(), lat.end());
	auto us = [](clk::duration d) { return seconds(d) * 1e6; };
	std::printf("event latency, edu irq raise to the interrupt event, %zu raises: median %.0f us, min %.0f us, max %.0f us\n",
		    lat.size(), us(lat[lat.size() / 2]), us(lat.front()), us(lat.back()));
	return 0;
}

// dump-named: the reply's kind and code, read by hand, then session's verdict.
struct dump_outcome {
	bool done = false, error = false;
	ioviewctl::ack_info ack;
	int messages = 0;
};

int on_done(nl_msg *m, void *arg)
{
	auto *o = static_cast<dump_outcome *>(arg);
	if (auto a = ioviewctl::parse_ack(nlmsg_hdr(m)))
		o->ack = *a;
	o->done = true;
	return NL_STOP;
}

int on_err(sockaddr_nl *, nlmsgerr *e, void *arg)
{
	auto *o = static_cast<dump_outcome *>(arg);
	const auto *h = reinterpret_cast<const nlmsghdr *>(reinterpret_cast<const char *>(e) - NLMSG_HDRLEN);
	if (auto a = ioviewctl::parse_ack(h))
		o->ack = *a;
	o->error = true;
	return NL_STOP;
}

int on_msg(nl_msg *, void *arg)
{
	static_cast<dump_outcome *>(arg)->messages++;
	return NL_OK;
}

message named_dump(int family, const std::string &dev)
{
	message m = ioviewctl::new_request(family, IOVIEW_CMD_DEV_GET, true);
	if (nla_put_string(m.get(), IOVIEW_A_DEV_NAME, dev.c_str()) < 0)
		throw ioviewctl::failure("cannot build the request");
	return m;
}

int probe_dump_named(const std::string &dev)
{
	// A raw socket for the first look: session would hide which message ended it.
	nl_sock *sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0)
		throw ioviewctl::failure("cannot open a generic netlink socket");
	int one = 1;
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	int family = genl_ctrl_resolve(sk, IOVIEW_GENL_NAME);
	if (family < 0)
		throw ioviewctl::failure("the ioview family is not registered");
	dump_outcome o;
	nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &o);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_msg, &o);
	nl_cb_err(cb, NL_CB_CUSTOM, on_err, &o);
	message m = named_dump(family, dev);
	if (nl_send_auto(sk, m.get()) < 0)
		throw ioviewctl::failure("cannot send the request");
	while (!o.done && !o.error)
		if (nl_recvmsgs(sk, cb) < 0 && !o.done && !o.error)
			throw ioviewctl::failure("cannot receive the reply");
	nl_cb_put(cb);
	nl_socket_free(sk);
	std::printf("dump-named: ended by %s, errno %d (%s), %d messages before it, extack \"%s\"\n",
		    o.done ? "NLMSG_DONE" : "NLMSG_ERROR", o.ack.error, std::strerror(o.ack.error), o.messages,
		    o.ack.message.c_str());
	// What the tool's session does with the same request.
	session s;
	try {
		std::vector<message> r = s.transact(named_dump(s.family(), dev));
		std::printf("dump-named: session took it for success, %zu messages\n", r.size());
	} catch (const ioviewctl::failure &f) {
		std::printf("dump-named: session failed it, errno %d: %s\n", f.errnum, f.what());
	}
	return 0;
}

int usage()
{
	std::fprintf(stderr, "usage: nlbench config DEV N | reg DEV NAME N | event DEV N | dump-named DEV\n");
	return ioviewctl::exit_usage;
}

} // namespace

int main(int argc, char **argv)
{
	std::vector<std::string> a(argv + 1, argv + argc);
	try {
		if (a.size() == 3 && a[0] == "config")
			return bench_config(a[1], count_arg(a[2].c_str()));
		if (a.size() == 4 && a[0] == "reg")
			return bench_reg(a[1], a[2], count_arg(a[3].c_str()));
		if (a.size() == 3 && a[0] == "event")
			return bench_event(a[1], count_arg(a[2].c_str()));
		if (a.size() == 2 && a[0] == "dump-named")
			return probe_dump_named(a[1]);
		return usage();
	} catch (const ioviewctl::usage_error &e) {
		std::fprintf(stderr, "Error: %s.\n", e.what());
		return usage();
	} catch (const std::exception &e) {
		std::fprintf(stderr, "Error: %s.\n", e.what());
		return ioviewctl::exit_failure;
	}
}
