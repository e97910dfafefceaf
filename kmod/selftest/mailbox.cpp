// SPDX-License-Identifier: GPL-2.0
//
// ioview_mailbox: the guest side of the ivshmem mailbox (driver/mailbox.h)
// against the real host peer, user/mailbox-peer.cpp, which tests/vm's
// 60-mailbox case runs on the backing file as three instances in a row,
// each playing a --script and checking every message it gets (--numbered).
// On demand only (selftest_suite=ioview_mailbox, see suites.h); the cases
// that need the peer skip unless mailbox_peer=1.
//
// The cases are one session with the mailbox open throughout, each the
// guest's half of one step of the host's life, in the order the host plays
// them (the numbers are those of the messages, message k being length(k)
// bytes of pattern(k, j)):
//
//   case                        host                                   messages
//   echo_round_trip             #1 attaches, echoes                    0..199
//   peer_stall                  #1 pauses 3.5 s (no heartbeat), echoes 200..219, sent during the pause
//   peer_departure_and_arrival  #1 leaves; 1.5 s later #2 attaches     220..239
//   peer_restart                #2 dies (state left ready); #3         240..249, sent before #3 came
//                               attaches at once
//   peer_reinit                 #3 leaves, re-initialises the mailbox  250 (sent across it) and 20 more
//                               under us, echoes; a receive() waits
//   peer_reinit_idle            #3 does it again, no call of ours      10 more
//                               under way
//   peer_garbage                #3 writes garbage where we read, item  11 more, 3 of them
//                               by item (mailbox-peer's garbage step)  echoed twice or
//                                                                      three times
//   peer_leaves                 #3 leaves                              none: -ENOTCONN
//
// Each case waits, bounded, for the transition through the driver's
// counters (which the worker keeps whatever the test thread is doing) and
// wait_peer(), and checks every echo byte for byte and in order.  The peer
// events counted since the session began must then be exactly those of the
// steps so far, give or take those of the next step (which the host may
// already have begun: host #1 leaves microseconds after its last echo),
// and no others.  peer_garbage is the host writing what no peer may: a
// head past the ring or behind our tail, a slot longer than its payload
// (by one, and 0xffffffff), a slot of another sequence, a tail past our
// head, a state that is no side_status; each one must be refused (-EPROTO,
// -EBADMSG, -ENOTCONN), counted, and leave the ring where it was, so that
// the echoes after the host repaired it arrive in order (the debug
// kernel's KASAN would see a copy outside the buffers).  Message 250 is
// sent right as the host re-initialises: either it went into the old rings
// (then the host discards it unread and counts it, and we never get its
// echo) or it is refused and sent again; both sides log which, and the
// host case (60-mailbox.host.sh) checks that they agree and that every
// count adds up.  The rate of the first 200 is logged as a KTAP diagnostic
// ("# mailbox: ..."): under TCG only a rough figure.
//
// send_without_peer then opens again: init() leaves the host's state
// absent, and as the last host peer has exited, nothing can attach, so a
// send is -ENOTCONN deterministically.  unbind_wakes_a_waiting_receive,
// last, unbinds the function under a receive() that waits for a message no
// one will send, and binds it again.
#include <ioview/ioview.h>

#include "devices/ivshmem_mailbox.h"
#include "driver/driver_errno.h"
#include "driver/mailbox.h"
#include "driver/mailbox_errno.h"
#include "kernel/counted_ref.h"
#include "kernel/errno.h"
#include "kernel/thread.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace wire = ioview::devices::mailbox;
namespace mbx = ioview::driver::mailbox;

constexpr const char *no_ivshmem = "no ivshmem-plain function bound to ioview";
constexpr const char *no_peer = "no host peer expected (load with mailbox_peer=1)";
constexpr int enotconn = -mbx::enotconn;
constexpr int econnreset = -mbx::econnreset;

// What the VM case's host peers are told (--script, --numbered): both sides count the same messages.
constexpr u32 messages_each_way = 200;	// host #1: echo:200
constexpr u32 stall_messages = 20;	// host #1: pause:3500,echo:20
constexpr u32 arrival_messages = 20;	// host #2: echo:20,crash
constexpr u32 restart_messages = 10;	// host #3: echo:10, ...
constexpr u32 reinit_messages = 20;	// host #3: ..., init,echo:20, ...
constexpr u32 reinit_idle_messages = 10;	// host #3: ..., init,echo:10
// Fewer than the ring's 64 slots, so a send never finds the ring full in the steady state.
constexpr u32 in_flight = 32;
// The host peer has been waiting since before boot: it attaches within microseconds of init().
constexpr unsigned int peer_arrival_ms = 5000;
constexpr unsigned int echo_timeout_ms = 5000;
// The worker's periods are a few ms; a second is far beyond any schedule delay.
constexpr unsigned int worker_notice_ms = 1000;
// Host #1 pauses 3.5 s; the worker calls that a stall after 2 s, then sees it resume.
constexpr unsigned int stall_notice_ms = 6000;
// Host #2 comes 1.5 s after #1 left; #3 right after #2 died; #3's re-initialisation takes ms.
constexpr unsigned int next_host_ms = 5000;

// The peer events and resets counted since the session began.
struct events {
	u64 arrivals, restarts, departures, stalls, resumes, resyncs, resets;
};

// The session's steps, in order, and the events counted once each is over.
enum step : u32 {
	step_echo,
	step_stall,
	step_departure,
	step_restart,
	step_reinit,
	step_reinit_idle,
	step_garbage,
	step_leaves,
	step_count,
};
constexpr events after_step[step_count] = {
	//  arrivals restarts departures stalls resumes resyncs resets
	{ 1, 0, 0, 0, 0, 0, 0 },	// host #1 arrived
	{ 1, 0, 0, 1, 1, 0, 0 },	// it stalled and resumed
	{ 2, 0, 1, 1, 1, 0, 0 },	// it left, #2 arrived
	{ 2, 1, 1, 1, 1, 0, 0 },	// #2 died, #3 took its place
	{ 3, 1, 2, 1, 1, 1, 1 },	// #3 left, re-initialised the mailbox under us, is back
	{ 4, 1, 3, 1, 1, 2, 2 },	// and again
	{ 5, 1, 4, 1, 1, 2, 2 },	// its garbage state looked like a departure, ready again an arrival
	{ 5, 1, 5, 1, 1, 2, 2 },	// #3 left for good
};

// The session: the mailbox open from echo_round_trip to peer_leaves, the host in its script.
struct session_state {
	bool open;	// echo_round_trip opened the mailbox
	bool broken;	// a session case failed: the host's script and ours no longer line up
	u32 next;	// the number of the next message to send
	u32 lost;	// messages the host's re-initialisation wiped before it reached them
	u32 extra;	// echoes beyond one per message (peer_garbage's repeats)
	u64 errors;	// refusals of the host's data the session's cases provoked (peer_garbage)
	mailbox::counter_set base;	// the counters before the session's open()
};
session_state session;

// Set by peer_leaves once it saw the last host peer leave: then no peer can attach any more.
bool peer_gone;

unsigned long long ull(u64 v)
{
	return static_cast<unsigned long long>(v);
}

// 0 .. 248 bytes: i * 5 mod 249 reaches 0 (i = 0) and max_payload (i = 199).
usize length(u32 i)
{
	return (i * 5u) % (wire::max_payload + 1);
}

u8 pattern(u32 i, usize j)
{
	return static_cast<u8>(i * 31 + j * 7 + 0x5a);
}

template <typename Body> verdict on_mailbox(context &t, Body body)
{
	selftest_device held(IOVIEW_DEVICE_IVSHMEM);
	if (!held)
		return t.skip("%s", no_ivshmem);
	mailbox::device *dev = mailbox::of(held.get());
	if (!dev)
		return t.fail("ivshmem is bound but has no mailbox state");
	return body(dev);
}

// Needs no peer: nothing is mapped or sent while the mailbox is closed.
verdict closed_mailbox_refuses(context &t)
{
	return on_mailbox(t, [&](mailbox::device *dev) {
		if (mailbox::is_open(dev))
			return t.fail("the mailbox is open before any case opened it");
		u8 buf[wire::max_payload] = {};
		usize len = 0;
		int sent = mailbox::send(dev, buf, 1);
		int got = mailbox::receive(dev, buf, sizeof(buf), 10, &len);
		int waited = mailbox::wait_peer(dev, true, 10);
		int closed = mailbox::close(dev);
		if (sent != enotconn || got != enotconn || waited != enotconn || closed != enotconn)
			return t.fail("closed mailbox: send %d, receive %d, wait_peer %d, close %d; want %d each", sent, got,
				      waited, closed, enotconn);
		return t.pass();
	});
}

// Sends message @i.  Not inlined, like receive_echo() and refused_receive(): each holds a
// payload buffer, and a case calling them all (peer_garbage) would add their frames, with the
// debug kernel's KASAN redzones, past the module check's 1024-byte budget.
[[gnu::noinline]] int send_one(mailbox::device *dev, u32 i)
{
	u8 buf[wire::max_payload];
	usize len = length(i);

	for (usize j = 0; j < len; ++j)
		buf[j] = pattern(i, j);
	return mailbox::send(dev, buf, len);
}

// Receives the echo of message @i within @timeout_ms and checks it byte for byte.
[[gnu::noinline]] verdict receive_echo(context &t, mailbox::device *dev, u32 i, unsigned int timeout_ms,
				       u64 *refusals = nullptr)
{
	u8 buf[wire::max_payload];
	usize len = 0;
	u64 give_up = ioview_shim_ktime_ns() + u64{ timeout_ms } * 1000000;
	int err = mailbox::receive(dev, buf, sizeof(buf), timeout_ms, &len);
	// With @refusals: the host may not have put its head back yet (peer_garbage); -EPROTO
	// reads nothing but the head, so try again, counting each refusal.
	while (refusals && err == -mbx::eproto && ioview_shim_ktime_ns() < give_up) {
		++*refusals;
		ioview_shim_msleep(1);
		err = mailbox::receive(dev, buf, sizeof(buf), timeout_ms, &len);
	}
	if (err)
		return t.fail("the echo of message %u: receive gave %d", i, err);
	if (len != length(i))
		return t.fail("the echo of message %u is %zu bytes, want %zu (the echo of another message?)", i, len,
			      length(i));
	for (usize j = 0; j < len; ++j)
		if (buf[j] != pattern(i, j))
			return t.fail("the echo of message %u: byte %zu is %#x, want %#x", i, j, buf[j], pattern(i, j));
	return t.pass();
}

// Nothing more to receive now.
verdict nothing_more(context &t, mailbox::device *dev, const char *after)
{
	u8 extra[wire::max_payload];
	usize len = 0;
	int none = mailbox::receive(dev, extra, sizeof(extra), 0, &len);
	if (none != -mbx::eagain)
		return t.fail("after %s receive gave %d (%zu bytes), want %d (nothing more)", after, none, len, -mbx::eagain);
	return t.pass();
}

// Messages @first .. @first + @count - 1 and their echoes, at most in_flight unanswered.
verdict echo_range(context &t, mailbox::device *dev, u32 first, u32 count)
{
	u32 sent = 0, received = 0;
	while (received < count) {
		while (sent < count && sent - received < in_flight) {
			int err = send_one(dev, first + sent);
			if (err)
				return t.fail("send of message %u (%zu bytes) gave %d", first + sent, length(first + sent), err);
			++sent;
		}
		if (receive_echo(t, dev, first + received, echo_timeout_ms) == verdict::fail)
			return verdict::fail;
		++received;
	}
	return nothing_more(t, dev, "the last echo");
}

u64 bytes_of(u32 first, u32 count)
{
	u64 bytes = 0;
	for (u32 i = first; i < first + count; ++i)
		bytes += length(i);
	return bytes;
}

// Waits up to @timeout_ms for @ready(counters) to hold, looking every 2 ms.
template <typename F> bool wait_for(mailbox::device *dev, unsigned int timeout_ms, F ready)
{
	for (unsigned int waited = 0; waited < timeout_ms; waited += 2) {
		if (ready(mailbox::counters(dev)))
			return true;
		ioview_shim_msleep(2);
	}
	return ready(mailbox::counters(dev));
}

// The counters a step moved, after minus before.
mailbox::counter_set delta(const mailbox::counter_set &a, const mailbox::counter_set &b)
{
	return mailbox::counter_set{
		a.opens - b.opens,		a.sent - b.sent,
		a.sent_bytes - b.sent_bytes,	a.received - b.received,
		a.received_bytes - b.received_bytes, a.not_connected - b.not_connected,
		a.full - b.full,		a.errors - b.errors,
		a.polls - b.polls,		a.arrivals - b.arrivals,
		a.restarts - b.restarts,	a.departures - b.departures,
		a.stalls - b.stalls,		a.resumes - b.resumes,
		a.resyncs - b.resyncs,		a.resets - b.resets,
	};
}

// The events counted since the session began.
events session_events(mailbox::device *dev)
{
	mailbox::counter_set d = delta(mailbox::counters(dev), session.base);
	return events{ d.arrivals, d.restarts, d.departures, d.stalls, d.resumes, d.resyncs, d.resets };
}

// At the end of step @k: every event of the steps so far was counted, and nothing else but
// what the next step may already have moved; no error, no full ring in the whole session.
verdict expect_events(context &t, mailbox::device *dev, step k)
{
	mailbox::counter_set d = delta(mailbox::counters(dev), session.base);
	events got = session_events(dev);
	const events &lo = after_step[k];
	const events &hi = after_step[k + 1 < step_count ? k + 1 : k];
	auto within = [](u64 v, u64 a, u64 b) { return v >= a && v <= b; };
	if (!within(got.arrivals, lo.arrivals, hi.arrivals) || !within(got.restarts, lo.restarts, hi.restarts) ||
	    !within(got.departures, lo.departures, hi.departures) || !within(got.stalls, lo.stalls, hi.stalls) ||
	    !within(got.resumes, lo.resumes, hi.resumes) || !within(got.resyncs, lo.resyncs, hi.resyncs) ||
	    !within(got.resets, lo.resets, hi.resets))
		return t.fail("since the session began: arrivals %llu restarts %llu departures %llu stalls %llu resumes %llu "
			      "resyncs %llu resets %llu; want %llu %llu %llu %llu %llu %llu %llu",
			      ull(got.arrivals), ull(got.restarts), ull(got.departures), ull(got.stalls), ull(got.resumes),
			      ull(got.resyncs), ull(got.resets), ull(lo.arrivals), ull(lo.restarts), ull(lo.departures),
			      ull(lo.stalls), ull(lo.resumes), ull(lo.resyncs), ull(lo.resets));
	if (d.errors != session.errors || d.full)
		return t.fail("counted %llu errors and %llu full rings in the session, want %llu and 0", ull(d.errors),
			      ull(d.full), ull(session.errors));
	return t.pass();
}

// Waits up to @timeout_ms until @field of the session's events reached its count after step @k.
template <typename F> bool wait_event(mailbox::device *dev, unsigned int timeout_ms, step k, F field)
{
	u64 want = field(after_step[k]);
	return wait_for(dev, timeout_ms, [&](const mailbox::counter_set &c) {
		mailbox::counter_set d = delta(c, session.base);
		return field(events{ d.arrivals, d.restarts, d.departures, d.stalls, d.resumes, d.resyncs, d.resets }) >= want;
	});
}

// The traffic a step moved: @count messages each way, @first on, and @refused refused sends.
verdict expect_traffic(context &t, const mailbox::counter_set &d, u32 first, u32 count, u64 refused)
{
	u64 bytes = bytes_of(first, count);
	if (d.sent != count || d.received != count || d.sent_bytes != bytes || d.received_bytes != bytes ||
	    d.not_connected != refused)
		return t.fail("counted %llu sent (%llu bytes), %llu received (%llu bytes), %llu refused; want %u and %llu "
			      "each way, %llu refused",
			      ull(d.sent), ull(d.sent_bytes), ull(d.received), ull(d.received_bytes), ull(d.not_connected),
			      count, ull(bytes), ull(refused));
	return t.pass();
}

constexpr auto arrivals = [](const events &e) { return e.arrivals; };
constexpr auto restarts = [](const events &e) { return e.restarts; };
constexpr auto departures = [](const events &e) { return e.departures; };
constexpr auto stalls = [](const events &e) { return e.stalls; };
constexpr auto resumes = [](const events &e) { return e.resumes; };
constexpr auto resyncs = [](const events &e) { return e.resyncs; };

// The first 200 messages, timed.
verdict echo_all(context &t, mailbox::device *dev)
{
	mailbox::counter_set before = mailbox::counters(dev);
	u64 t0 = ioview_shim_ktime_ns();
	if (echo_range(t, dev, 0, messages_each_way) == verdict::fail)
		return verdict::fail;
	u64 ns = ioview_shim_ktime_ns() - t0;
	mailbox::counter_set d = delta(mailbox::counters(dev), before);
	if (expect_traffic(t, d, 0, messages_each_way, 0) == verdict::fail)
		return verdict::fail;
	if (d.errors || d.full)
		return t.fail("counted %llu errors and %llu full rings during the run, want 0", ull(d.errors), ull(d.full));
	u64 us = ns / 1000 ? ns / 1000 : 1;
	ioview_shim_log(IOVIEW_LOG_INFO,
			"  # mailbox: %u messages (%llu bytes) each way in %llu us: %llu messages/s each way, %u in flight, %llu polls\n",
			messages_each_way, ull(bytes_of(0, messages_each_way)), ull(us),
			ull(u64{ messages_each_way } * 1000000 / us), in_flight, ull(d.polls));
	return t.pass();
}

// A session case: runs @body with the mailbox the session keeps open; a failure breaks the session.
template <typename Body> verdict in_session(context &t, Body body)
{
	if (!ioview_shim_mailbox_peer_expected())
		return t.skip("%s", no_peer);
	if (!session.open || session.broken)
		return t.skip("the session is not running: an earlier case failed");
	return on_mailbox(t, [&](mailbox::device *dev) {
		verdict v = body(dev);
		if (v == verdict::fail)
			session.broken = true;
		return v;
	});
}

verdict echo_round_trip(context &t)
{
	if (!ioview_shim_mailbox_peer_expected())
		return t.skip("%s", no_peer);
	return on_mailbox(t, [&](mailbox::device *dev) {
		// Before open(): closed, no worker runs, so nothing of the session is counted yet.
		session = session_state{ false, false, messages_each_way, 0, 0, 0, mailbox::counters(dev) };
		int err = mailbox::open(dev);
		if (err)
			return t.fail("open gave %d", err);
		verdict v = [&] {
			int again = mailbox::open(dev);
			if (again != -ebusy)
				return t.fail("a second open gave %d, want %d", again, -ebusy);
			int big = mailbox::send(dev, nullptr, wire::max_payload + 1);
			if (big != -mbx::emsgsize)
				return t.fail("a %zu-byte send gave %d, want %d", wire::max_payload + 1, big, -mbx::emsgsize);
			int early = mailbox::wait_peer(dev, true, peer_arrival_ms);
			if (early)
				return t.fail("the host peer was not ready within %u ms: %d", peer_arrival_ms, early);
			// The worker must notice the arrival on its own. Waiting for it here keeps
			// the check deterministic: the exchange below can be over before the
			// worker's first period.
			if (!wait_event(dev, worker_notice_ms, step_echo, arrivals))
				return t.fail("the worker did not see the host arrive within %u ms (%llu polls)",
					      worker_notice_ms, ull(mailbox::counters(dev).polls));
			// Open is listening: the worker beats with no call in progress.
			u64 polls = mailbox::counters(dev).polls;
			ioview_shim_msleep(10 * mailbox::poll_ms);
			if (mailbox::counters(dev).polls == polls)
				return t.fail("no worker run in %u ms of an open mailbox with no call made", 10 * mailbox::poll_ms);
			if (echo_all(t, dev) == verdict::fail)
				return verdict::fail;
			return expect_events(t, dev, step_echo);
		}();
		if (v == verdict::fail) {
			mailbox::close(dev);
			return v;
		}
		// The mailbox stays open for the rest of the session.
		session.open = true;
		return t.pass();
	});
}

// Host #1 stops for 3.5 s right after its 200th echo: no heartbeat, no serving.  The
// messages sent meanwhile wait in the ring and are echoed once it resumes.
verdict peer_stall(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		u32 first = session.next;
		for (u32 i = 0; i < stall_messages; ++i) {
			int err = send_one(dev, first + i);
			if (err)
				return t.fail("send of message %u to the pausing host gave %d", first + i, err);
		}
		if (!wait_event(dev, stall_notice_ms, step_stall, stalls))
			return t.fail("the worker did not see the host stall within %u ms", stall_notice_ms);
		for (u32 i = 0; i < stall_messages; ++i)
			if (receive_echo(t, dev, first + i, stall_notice_ms) == verdict::fail)
				return verdict::fail;
		if (nothing_more(t, dev, "the last echo") == verdict::fail)
			return verdict::fail;
		if (!wait_event(dev, worker_notice_ms, step_stall, resumes))
			return t.fail("the host answered, but the worker did not see it resume within %u ms", worker_notice_ms);
		session.next = first + stall_messages;
		if (expect_traffic(t, delta(mailbox::counters(dev), before), first, stall_messages, 0) == verdict::fail)
			return verdict::fail;
		return expect_events(t, dev, step_stall);
	});
}

// Host #1 leaves after those 20 (closed); #2 attaches 1.5 s later: a departure, a refused
// send while nobody is there, an arrival, and 20 messages with the new host.
verdict peer_departure_and_arrival(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		if (!wait_event(dev, next_host_ms, step_departure, departures))
			return t.fail("the worker did not see host #1 leave within %u ms", next_host_ms);
		u32 first = session.next;
		int absent = send_one(dev, first);
		if (absent != enotconn)
			return t.fail("a send with no host attached gave %d, want %d", absent, enotconn);
		int back = mailbox::wait_peer(dev, true, next_host_ms);
		if (back)
			return t.fail("host #2 was not ready within %u ms: %d", next_host_ms, back);
		if (!wait_event(dev, worker_notice_ms, step_departure, arrivals))
			return t.fail("the worker did not see host #2 arrive within %u ms", worker_notice_ms);
		if (echo_range(t, dev, first, arrival_messages) == verdict::fail)
			return verdict::fail;
		session.next = first + arrival_messages;
		if (expect_traffic(t, delta(mailbox::counters(dev), before), first, arrival_messages, 1) == verdict::fail)
			return verdict::fail;
		return expect_events(t, dev, step_departure);
	});
}

// Host #2 dies right after its 20th echo, its state left ready; #3 attaches at once.  The
// 10 messages sent meanwhile stay in the ring, and #3 echoes them: a restart, no departure.
verdict peer_restart(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		u32 first = session.next;
		for (u32 i = 0; i < restart_messages; ++i) {
			int err = send_one(dev, first + i);
			if (err)
				return t.fail("send of message %u across the restart gave %d", first + i, err);
		}
		if (!wait_event(dev, next_host_ms, step_restart, restarts))
			return t.fail("the worker did not see host #3 take #2's place within %u ms", next_host_ms);
		for (u32 i = 0; i < restart_messages; ++i)
			if (receive_echo(t, dev, first + i, echo_timeout_ms) == verdict::fail)
				return verdict::fail;
		if (nothing_more(t, dev, "the last echo") == verdict::fail)
			return verdict::fail;
		session.next = first + restart_messages;
		if (expect_traffic(t, delta(mailbox::counters(dev), before), first, restart_messages, 0) == verdict::fail)
			return verdict::fail;
		return expect_events(t, dev, step_restart);
	});
}

// Host #3 re-initialises the mailbox after its 10th echo (mailbox-peer's init step: it
// waits for us to take its echoes, leaves, waits for our heartbeat, counts what our ring
// holds, then init()s): a departure, our state wiped and resynced, one -ECONNRESET, an
// arrival.  Message 250 is sent at once, across that: published into the old rings (the
// host discards it; its echo must never come) or refused and sent again.  Unless that
// send was already told of the reset, a receive() waits across it: no echo can come
// before, so it must end with -ECONNRESET, whether its own try finds our state wiped
// (and resyncs) or the worker resyncs first.
verdict peer_reinit(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		u32 across = session.next;
		int first_try = send_one(dev, across);
		if (first_try && first_try != enotconn && first_try != econnreset)
			return t.fail("the send across the re-initialisation gave %d, want 0, %d or %d", first_try, enotconn,
				      econnreset);
		if (first_try != econnreset) {
			u8 buf[wire::max_payload];
			usize len = 0;
			int told = mailbox::receive(dev, buf, sizeof(buf), next_host_ms, &len);
			if (told != econnreset)
				return t.fail("a receive waiting across the re-initialisation gave %d (%zu bytes), want %d "
					      "(the send before it gave %d)", told, len, econnreset, first_try);
		}
		if (!wait_event(dev, next_host_ms, step_reinit, resyncs))
			return t.fail("the mailbox was not resynced within %u ms of the send across the re-initialisation (%d)",
				      next_host_ms, first_try);
		int ready = mailbox::wait_peer(dev, true, next_host_ms);
		if (ready)
			return t.fail("host #3 was not ready again within %u ms: %d", next_host_ms, ready);
		if (!wait_event(dev, worker_notice_ms, step_reinit, arrivals))
			return t.fail("the worker did not see host #3 ready again within %u ms", worker_notice_ms);
		// Told once: the calls after it work on the new rings (nothing_more() below, the sends).
		// Accepted before the host left: in the rings it wiped, lost.  Refused: sent again now.
		session.lost = first_try == 0 ? 1 : 0;
		u32 first = across + session.lost;
		if (session.lost)
			ioview_shim_log(IOVIEW_LOG_INFO,
					"  # mailbox: reinit: message %u was published before the host re-initialised the "
					"mailbox, lost=1\n", across);
		else
			ioview_shim_log(IOVIEW_LOG_INFO,
					"  # mailbox: reinit: message %u was refused (%d) across the re-initialisation and sent "
					"again, lost=0\n", across, first_try);
		if (nothing_more(t, dev, "the re-initialisation") == verdict::fail)
			return verdict::fail;
		if (echo_range(t, dev, first, reinit_messages) == verdict::fail)
			return verdict::fail;
		mailbox::counter_set d = delta(mailbox::counters(dev), before);
		session.next = first + reinit_messages;
		// The lost message counts as sent (it was published); a refused one as refused or reset.
		u64 bytes = bytes_of(first, reinit_messages) + (session.lost ? length(across) : 0);
		u64 refused = first_try == enotconn ? 1 : 0;
		if (d.sent != reinit_messages + session.lost || d.sent_bytes != bytes || d.received != reinit_messages ||
		    d.received_bytes != bytes_of(first, reinit_messages) || d.not_connected != refused)
			return t.fail("counted %llu sent (%llu bytes), %llu received (%llu bytes), %llu refused; want %u, "
				      "%llu, %u, %llu, %llu",
				      ull(d.sent), ull(d.sent_bytes), ull(d.received), ull(d.received_bytes),
				      ull(d.not_connected), reinit_messages + session.lost, ull(bytes), reinit_messages,
				      ull(bytes_of(first, reinit_messages)), ull(refused));
		return expect_events(t, dev, step_reinit);
	});
}

// Host #3 re-initialises the mailbox again after those 20, while we make no call: only the
// worker can notice and resync, so the first call after it is the one told (-ECONNRESET,
// nothing sent), and the ones after work.
verdict peer_reinit_idle(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		if (!wait_event(dev, next_host_ms, step_reinit_idle, resyncs))
			return t.fail("the worker did not resync after the second re-initialisation within %u ms", next_host_ms);
		int ready = mailbox::wait_peer(dev, true, next_host_ms);
		if (ready)
			return t.fail("host #3 was not ready again within %u ms: %d", next_host_ms, ready);
		if (!wait_event(dev, worker_notice_ms, step_reinit_idle, arrivals))
			return t.fail("the worker did not see host #3 ready again within %u ms", worker_notice_ms);
		u32 first = session.next;
		int told = send_one(dev, first);
		if (told != econnreset)
			return t.fail("the first send after a re-initialisation the worker took over gave %d, want %d", told,
				      econnreset);
		if (echo_range(t, dev, first, reinit_idle_messages) == verdict::fail)
			return verdict::fail;
		session.next = first + reinit_idle_messages;
		if (expect_traffic(t, delta(mailbox::counters(dev), before), first, reinit_idle_messages, 0) == verdict::fail)
			return verdict::fail;
		return expect_events(t, dev, step_reinit_idle);
	});
}

// A receive that must be refused with @want (and is counted as an error of the host's data).
[[gnu::noinline]] verdict refused_receive(context &t, mailbox::device *dev, int want, const char *what)
{
	u8 buf[wire::max_payload];
	usize len = 0;
	int err = mailbox::receive(dev, buf, sizeof(buf), echo_timeout_ms, &len);
	if (err != want)
		return t.fail("%s: receive gave %d (%zu bytes), want %d", what, err, len, want);
	return t.pass();
}

// Host #3 writes garbage where we read, one item after each of our messages (mailbox-peer's
// garbage step, runner::garbage(), has both halves of the protocol): each item is refused,
// counted in errors (-EPROTO, -EBADMSG) or not_connected (-ENOTCONN), and leaves the ring where
// it was: the echoes after the repair come in order and intact.
verdict peer_garbage(context &t)
{
	return in_session(t, [&](mailbox::device *dev) {
		mailbox::counter_set before = mailbox::counters(dev);
		u32 k = session.next;
		u64 refusals = 0, received_bytes = 0;
		u32 received = 0;
		auto send = [&](u32 i, int want, const char *what) {
			int err = send_one(dev, i);
			if (err != want)
				return t.fail("%s: the send of message %u gave %d, want %d", what, i, err, want);
			return t.pass();
		};
		auto echo = [&](u32 i, u64 *tolerate = nullptr) {
			verdict v = receive_echo(t, dev, i, echo_timeout_ms, tolerate);
			received += v == verdict::pass;
			received_bytes += v == verdict::pass ? length(i) : 0;
			return v;
		};
		constexpr verdict bad = verdict::fail;

		// A head past the ring, then one behind our tail: -EPROTO, nothing read but the head;
		// our next message tells the host, which puts its head back and echoes both.
		static const char *const heads[] = { "a head past the ring", "a head behind our tail" };
		for (const char *what : heads) {
			if (send(k, 0, what) == bad || refused_receive(t, dev, -mbx::eproto, what) == bad)
				return bad;
			++refusals;
			if (send(k + 1, 0, what) == bad || echo(k, &refusals) == bad || echo(k + 1) == bad)
				return bad;
			k += 2;
		}
		// Three bad slots (longer than a payload by one, 0xffffffff, another sequence): each
		// -EBADMSG and skipped, the echo in the slot after it.
		static const char *const slots[] = { "a slot longer than its payload", "a slot of length 0xffffffff",
						     "a slot of another sequence" };
		for (const char *what : slots) {
			if (send(k, 0, what) == bad || refused_receive(t, dev, -mbx::ebadmsg, what) == bad)
				return bad;
			++refusals;
			if (echo(k) == bad)
				return bad;
			k += 1;
		}
		// A tail past our head: the send after the echo is -EPROTO, nothing written; the host
		// puts the tail back once we took a second echo, and says so with a third.
		const char *tail = "a tail past our head";
		if (send(k, 0, tail) == bad || echo(k) == bad || send(k + 1, -mbx::eproto, tail) == bad)
			return bad;
		++refusals;
		if (echo(k) == bad || echo(k) == bad || send(k + 1, 0, tail) == bad || echo(k + 1) == bad)
			return bad;
		k += 2;
		// A state that is no side_status: not ready, a departure, a send refused; ready again
		// (the same generation) once we took the second echo: an arrival, and sends work.
		const char *state = "a state that is no side_status";
		if (send(k, 0, state) == bad || echo(k) == bad)
			return bad;
		if (int gone = mailbox::wait_peer(dev, false, next_host_ms))
			return t.fail("%s: the host did not look gone within %u ms: %d", state, next_host_ms, gone);
		if (!wait_event(dev, worker_notice_ms, step_garbage, departures))
			return t.fail("%s: the worker did not count a departure within %u ms", state, worker_notice_ms);
		if (send(k + 1, enotconn, state) == bad || echo(k) == bad)
			return bad;
		if (int back = mailbox::wait_peer(dev, true, next_host_ms))
			return t.fail("%s: the host was not ready again within %u ms: %d", state, next_host_ms, back);
		if (!wait_event(dev, worker_notice_ms, step_garbage, arrivals))
			return t.fail("%s: the worker did not count an arrival within %u ms", state, worker_notice_ms);
		if (send(k + 1, 0, state) == bad || echo(k + 1) == bad)
			return bad;
		k += 2;
		if (nothing_more(t, dev, "the garbage") == bad)
			return bad;

		mailbox::counter_set d = delta(mailbox::counters(dev), before);
		u32 sent = k - session.next;
		if (d.errors != refusals || d.not_connected != 1 || d.sent != sent || d.sent_bytes != bytes_of(session.next, sent) ||
		    d.received != received || d.received_bytes != received_bytes)
			return t.fail("counted %llu errors, %llu refused, %llu sent (%llu bytes), %llu received (%llu bytes); "
				      "want %llu, 1, %u (%llu), %u (%llu)",
				      ull(d.errors), ull(d.not_connected), ull(d.sent), ull(d.sent_bytes), ull(d.received),
				      ull(d.received_bytes), ull(refusals), sent, ull(bytes_of(session.next, sent)), received,
				      ull(received_bytes));
		ioview_shim_log(IOVIEW_LOG_INFO, "  # mailbox: garbage: items=7 messages=%u echoes=%u errors=%llu refused=1\n",
				sent, received, ull(refusals));
		session.extra += received - sent;
		session.errors += refusals;
		session.next = k;
		return expect_events(t, dev, step_garbage);
	});
}

// Host #3 leaves after its 10 echoes, the last of the session: wait_peer() sees it go, a
// send is refused; the session's totals are logged for the host case; close, after
// which no worker runs.
verdict peer_leaves(context &t)
{
	if (!ioview_shim_mailbox_peer_expected())
		return t.skip("%s", no_peer);
	if (!session.open)
		return t.skip("the session is not running: echo_round_trip failed");
	return on_mailbox(t, [&](mailbox::device *dev) {
		verdict v = [&] {
			if (session.broken)
				return t.skip("the session is broken: an earlier case failed");
			int gone = mailbox::wait_peer(dev, false, next_host_ms);
			if (gone)
				return t.fail("the last host peer did not leave within %u ms: %d", next_host_ms, gone);
			peer_gone = true;
			if (!wait_event(dev, worker_notice_ms, step_leaves, departures))
				return t.fail("the worker did not see the last host leave within %u ms", worker_notice_ms);
			if (expect_events(t, dev, step_leaves) == verdict::fail)
				return verdict::fail;
			mailbox::counter_set before = mailbox::counters(dev);
			int late = send_one(dev, session.next);
			mailbox::counter_set after = mailbox::counters(dev);
			if (late != enotconn || after.not_connected != before.not_connected + 1)
				return t.fail("a send after the host left gave %d (counted %llu), want %d (1)", late,
					      ull(after.not_connected - before.not_connected), enotconn);
			mailbox::counter_set d = delta(after, session.base);
			events e = session_events(dev);
			ioview_shim_log(IOVIEW_LOG_INFO,
					"  # mailbox: session: sent=%llu received=%llu lost=%u refused=%llu resets=%llu "
					"arrivals=%llu restarts=%llu departures=%llu stalls=%llu resumes=%llu resyncs=%llu "
					"errors=%llu\n",
					ull(d.sent), ull(d.received), session.lost, ull(d.not_connected), ull(e.resets),
					ull(e.arrivals), ull(e.restarts), ull(e.departures), ull(e.stalls), ull(e.resumes),
					ull(e.resyncs), ull(d.errors));
			// Every message numbered so far was echoed once, but the one lost, and the
			// garbage step's repeats.
			u32 want = session.next - session.lost;
			if (d.received != want + session.extra || d.sent != want + session.lost)
				return t.fail("the session counted %llu sent and %llu received, want %u and %u", ull(d.sent),
					      ull(d.received), want + session.lost, want + session.extra);
			return t.pass();
		}();
		session.open = false;
		int closed = mailbox::close(dev);
		if (closed || mailbox::is_open(dev))
			return t.fail("close gave %d, open afterwards: %d", closed, mailbox::is_open(dev));
		// Closed, nothing listens: the worker is not scheduled any more.
		u64 polls = mailbox::counters(dev).polls;
		ioview_shim_msleep(10 * mailbox::poll_ms);
		u64 after_close = mailbox::counters(dev).polls - polls;
		if (after_close)
			return t.fail("%llu worker runs in %u ms after close", ull(after_close), 10 * mailbox::poll_ms);
		return v;
	});
}

verdict send_without_peer(context &t)
{
	if (ioview_shim_mailbox_peer_expected() && !peer_gone)
		return t.skip("the host peer was not seen leaving: it could still attach");
	return on_mailbox(t, [&](mailbox::device *dev) {
		int err = mailbox::open(dev);
		if (err)
			return t.fail("open gave %d", err);
		mailbox::counter_set before = mailbox::counters(dev);
		int sent = send_one(dev, 1);
		mailbox::counter_set after = mailbox::counters(dev);
		int closed = mailbox::close(dev);
		if (sent != enotconn || after.not_connected != before.not_connected + 1 || after.sent != before.sent)
			return t.fail("a send with no host gave %d (counted %llu refused, %llu sent), want %d (1, 0)", sent,
				      ull(after.not_connected - before.not_connected), ull(after.sent - before.sent),
				      enotconn);
		if (closed)
			return t.fail("close gave %d", closed);
		return t.pass();
	});
}

// A receive() waiting for a message that never comes (the last host is gone), in a kernel thread
// of its own, while the function is unbound: it must come back with -ENODEV long before its 20 s
// bound (an -ETIMEDOUT would be the bound run out), through a counted reference that stays
// valid, and the function must bind again.
struct waiting_receive : thread_job {
	mailbox::device *dev;
	ioview_flag started{};
	int result = 1;
	u64 returned_ns = 0;

	explicit waiting_receive(mailbox::device *d) noexcept : thread_job{ run_receive }, dev(d) {}

	static void run_receive(thread_job *self)
	{
		auto *w = static_cast<waiting_receive *>(self);
		static u8 buf[wire::max_payload];
		usize n = 0;

		ioview_shim_flag_raise(&w->started);
		w->result = mailbox::receive(w->dev, buf, sizeof(buf), 20000, &n);
		w->returned_ns = ioview_shim_ktime_ns();
	}
};

verdict unbind_wakes_a_waiting_receive(context &t)
{
	if (ioview_shim_mailbox_peer_expected() && !peer_gone)
		return t.skip("the host peer was not seen leaving: a message could still come");
	counted_ref<mailbox::device> ref = mailbox::acquire(nullptr);
	if (!ref)
		return t.skip("no ivshmem function bound to ioview");
	pci_dev *pdev = mailbox::pci_device(ref.get());
	ioview_shim_pci_dev_get(pdev);
	verdict v = verdict::pass;
	int opened = mailbox::open(ref.get());
	waiting_receive job(ref.get());
	thread receiver;
	int err = opened ? opened : receiver.start(&job, "ioview-st-recv");
	if (err)
		v = t.fail("open, then starting the receiving thread, gave %d", err);
	for (unsigned int waited = 0; !err && waited < 2000 && !ioview_shim_flag_test(&job.started); ++waited)
		ioview_shim_msleep(1);
	ioview_shim_msleep(50);		// well into its wait
	u64 t0 = ioview_shim_ktime_ns();
	ioview_shim_pci_unbind(pdev);
	receiver.join();
	if (v == verdict::pass && job.result != -enodev)
		v = t.fail("a receive() waiting at the unbind gave %d, want %d", job.result, -enodev);
	if (v == verdict::pass && !mailbox::gone(ref.get()))
		v = t.fail("the held reference does not report the device gone");
	if (v == verdict::pass)
		ioview_shim_log(IOVIEW_LOG_INFO, "  # mailbox: a waiting receive() came back %llu us after the unbind began\n",
				ull((job.returned_ns - t0) / 1000));
	int bound = ioview_shim_pci_rebind(pdev);
	ioview_shim_pci_dev_put(pdev);
	if (v == verdict::pass && bound != 1)
		v = t.fail("binding ivshmem again gave %d, want 1", bound);
	return v;
}

constinit const test_case mailbox_cases[] = {
	{ "closed_mailbox_refuses", closed_mailbox_refuses },
	{ "echo_round_trip", echo_round_trip },
	{ "peer_stall", peer_stall },
	{ "peer_departure_and_arrival", peer_departure_and_arrival },
	{ "peer_restart", peer_restart },
	{ "peer_reinit", peer_reinit },
	{ "peer_reinit_idle", peer_reinit_idle },
	{ "peer_garbage", peer_garbage },
	{ "peer_leaves", peer_leaves },
	{ "send_without_peer", send_without_peer },
	{ "unbind_wakes_a_waiting_receive", unbind_wakes_a_waiting_receive },
};

} // namespace

constinit const suite mailbox_suite{ "ioview_mailbox", mailbox_cases };

} // namespace ioview::kernel::selftest
