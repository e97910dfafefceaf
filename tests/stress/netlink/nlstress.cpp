// SPDX-License-Identifier: GPL-2.0
//
// nlstress: the netlink family under concurrent load, from one process.
//
//     nlstress [--seconds S] [--threads N] [--seed X] [--mix normal|storm] [--watchdog S]
//
// N client threads (8 by default), each with its own ioviewctl::session,
// issue a seeded random mix of requests on both bound functions for S
// seconds, and check every reply: the device list, configuration space (the
// IDs and class), registers (edu's identification), counters (never going
// back), factorials by polling and by interrupt (n! modulo 2^32), DMA writes,
// reads and round trips of small lengths in a window of edu's buffer each
// thread owns (so what a read returns is what that thread wrote last),
// interrupts raised on request, and a DMA window edu cannot reach (refused
// with ERANGE: the one error the mix expects).  Any other error fails the run.
//
// Mixes:
//   normal  every thread draws from the whole mix above;
//   storm   half the threads raise interrupts in a tight loop, with any
//           software bits and, one raise in four, edu's own completion bits
//           (factorial 0x1, DMA 0x100) as well, while the other half run
//           factorials by interrupt and by polling and DMA round trips, each
//           still checked; a raised completion bit must not make an
//           operation fail or return another's result.
//
// A listener thread in the events group checks that every event's sequence
// number is above the previous one and counts what a gap skipped: events lost
// after the socket's buffer overflowed (ENOBUFS, which session::listen()
// reports) and those lost without one (the kernel's 64-entry event ring was
// full: it keeps the number, so only the gap tells).  Loss is a figure, printed
// with its cause; what fails the run is a number going back, or an account that
// does not add up (below): then an event went missing without a gap, or a gap
// stands for no event.
//
// Before the clients start and after they stop, the main thread raises a
// marker interrupt (bit 31, which no client raises) and waits for its event:
// S0 and S1, the sequence numbers of the two, bound the run in the stream,
// and the counters (stats-get) are read right after each.  Everything in
// (S0, S1] is then the clients' doing, plus the final marker.  At the end:
//
//   - the counters' deltas against the clients' sums (see check_counters());
//   - the stream against the counters: S1 - S0 is exactly the number of
//     events the family recorded, one per completed factorial, one per
//     completed transfer, one per interrupt the handler took (nothing else
//     happens meanwhile: no mailbox traffic, no bind or unbind); the events
//     seen plus those in gaps are S1 - S0; no kind is seen more often than it
//     happened, and with no gap each kind exactly as often, with the values
//     (results, lengths) adding up to the clients' sums.
//
// Every wait is bounded: the markers' (10 s each), and a watchdog thread
// that ends the process with a message naming what each thread was doing if
// nothing completed for --watchdog seconds (30 by default).  Per-kind and
// total operations per second are printed; nothing is judged on timing.
//
// Output, one fact a line, for tests/vm/cases/75-concurrency.guest.sh:
//   nlstress: run mix=... seed=... threads=... seconds=... edu=... ivshmem=... irq=msi|intx
//   nlstress: op NAME ok=N expected=N unexpected=N ops/s=R
//   nlstress: total ops=N ops/s=R elapsed=S
//   nlstress: counters NAME=+N ...
//   nlstress: events seen=N lost=N lost_overrun=N lost_ring=N overruns=N span=N
//   nlstress: check ok|FAIL NAME: DETAIL
//   nlstress: result ok|failed
// Exit status: 0 every check held; 1 a check failed; 2 bad usage; 3 the
// watchdog fired or a marker never came.
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "ctl/errors.h"
#include "ctl/grammar.h"
#include "ctl/reply.h"
#include "ctl/request.h"
#include "ctl/session.h"
#include "uapi/ioview.h"

namespace {

using clk = std::chrono::steady_clock;
using ioviewctl::message;
using ioviewctl::session;
using std::uint32_t;
using std::uint64_t;
using std::uint8_t;

// ---- what the clients do ----------------------------------------------------------------

enum op : int {
	op_dev_get,
	op_dev_dump,
	op_config_read,
	op_reg_read,
	op_stats,
	op_stats_dump,
	op_fact_poll,
	op_fact_irq,
	op_dma_write,
	op_dma_read,
	op_dma_round_trip,
	op_irq_raise,
	op_dma_refused,
	op_count,
};

constexpr std::array<const char *, op_count> op_names = {
	"dev-get",   "dev-dump", "config-read",	  "reg-read",  "stats",	    "stats-dump",  "fact-poll",
	"fact-irq",  "dma-write", "dma-read",	  "dma-roundtrip", "irq-raise", "dma-refused",
};

// The normal mix's weights.  DMA holds edu's operation lock for ~100 ms of virtual time per
// transfer (edu's timer), during which every other edu request waits: a few percent of them
// keep the lock contended without making every thread wait behind it all the time.
constexpr std::array<unsigned, op_count> normal_weights = {
	6, 3, 10, 8, 4, 2, 8, 8, 1, 1, 1, 8, 1,
};
// The storm's computing threads (its raising threads only raise): mostly factorials by
// interrupt, the operation the raised bits can wake early, and a few round trips.
constexpr std::array<unsigned, op_count> storm_compute_weights = {
	0, 0, 0, 0, 0, 0, 2, 10, 0, 0, 1, 0, 0,
};

// The marker: bit 31 of edu's interrupt status, which no client raises (normal raises use bits
// 16..23, storm raises bits 0..23).  Bits 24..27 number the attempts of the final marker.
constexpr uint32_t marker_bit = 0x80000000u;
constexpr uint32_t baseline_marker = marker_bit | 0x40000000u;
constexpr uint32_t hello_marker = marker_bit | 0x10000000u;
constexpr uint32_t final_marker_base = marker_bit | 0x20000000u;
constexpr unsigned final_attempts = 4;

constexpr uint32_t edu_factorial_bit = 0x1;
constexpr uint32_t edu_dma_bit = 0x100;
constexpr uint32_t edu_identification = 0x010000ed;

// edu's DMA window (4095 bytes, devices/edu.h) split among the threads: thread i owns
// [i * share, (i + 1) * share).
constexpr uint32_t dma_window = 4095;
constexpr uint32_t dma_max_len = 64;

struct options {
	double seconds = 10;
	unsigned threads = 8;
	uint64_t seed = 0;
	bool seed_given = false;
	bool storm = false;
	double watchdog = 30;
};

// What one client did, kept by that client alone and read after it joined.
struct tally {
	std::array<uint64_t, op_count> ok{};
	std::array<uint64_t, op_count> expected{};	// refusals the mix asks for (dma-refused: ERANGE)
	std::array<uint64_t, op_count> unexpected{};
	std::array<uint64_t, op_count> wrong{};		// answered, but not what it should have been
	uint64_t factorial_results = 0;			// the sum of every factorial's result (mod 2^64)
	uint64_t dma_transfers = 0;
	uint64_t dma_bytes = 0;
	uint64_t raised_completion_bits = 0;		// storm raises that held 0x1 or 0x100
};

// A failed expectation or an unexpected error, the first few of them.
class findings {
public:
	__attribute__((format(printf, 2, 3))) void add(const char *fmt, ...)
	{
		char buf[512];
		va_list ap;
		va_start(ap, fmt);
		std::vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		std::lock_guard<std::mutex> g(lock_);
		if (list_.size() < 20)
			list_.emplace_back(buf);
		count_++;
	}
	std::vector<std::string> list()
	{
		std::lock_guard<std::mutex> g(lock_);
		return list_;
	}
	uint64_t count()
	{
		std::lock_guard<std::mutex> g(lock_);
		return count_;
	}

private:
	std::mutex lock_;
	std::vector<std::string> list_;
	uint64_t count_ = 0;
};

// ---- the watchdog --------------------------------------------------------------------------

// Progress is any completed request or phase; the watchdog ends the process if none came for
// its bound, saying what each thread was doing.
struct watch {
	std::atomic<uint64_t> progress{ 0 };
	std::vector<std::atomic<int>> doing;	// an op, or -1 idle, -2 for the main thread's phases
	std::atomic<const char *> phase{ "starting" };
	std::atomic<bool> done{ false };

	explicit watch(unsigned threads) : doing(threads)
	{
		for (auto &d : doing)
			d = -1;
	}
	void tick() { progress.fetch_add(1, std::memory_order_relaxed); }
};

void watchdog(watch &w, double bound)
{
	uint64_t last = w.progress.load();
	auto since = clk::now();
	while (!w.done.load()) {
		std::this_thread::sleep_for(std::chrono::milliseconds(200));
		uint64_t now = w.progress.load();
		if (now != last) {
			last = now;
			since = clk::now();
			continue;
		}
		if (std::chrono::duration<double>(clk::now() - since).count() < bound)
			continue;
		std::printf("nlstress: watchdog: no request completed for %.0f s (phase %s); threads:", bound,
			    w.phase.load());
		for (std::size_t i = 0; i < w.doing.size(); ++i) {
			int d = w.doing[i].load();
			std::printf(" %zu:%s", i, d >= 0 ? op_names[static_cast<std::size_t>(d)] : "idle");
		}
		std::printf("\nnlstress: result failed\n");
		std::fflush(nullptr);
		_exit(3);
	}
}

// ---- requests ------------------------------------------------------------------------------

// The one reply of a request.
message one(session &s, const ioviewctl::command &c)
{
	std::vector<message> r = s.transact(ioviewctl::build_request(c, s.family()));
	if (r.size() != 1)
		throw ioviewctl::failure(std::to_string(r.size()) + " replies, want 1");
	return std::move(r.front());
}

// A dump's replies (a dev-get or stats-get without a device).
std::vector<message> dump(session &s, ioviewctl::action a)
{
	ioviewctl::command c;
	c.what = a;
	return s.transact(ioviewctl::build_request(c, s.family()));
}

ioviewctl::command edu_command(ioviewctl::action a, const std::string &dev)
{
	ioviewctl::command c;
	c.what = a;
	c.dev = dev;
	return c;
}

void raise_irq(session &s, const std::string &edu, uint32_t bits)
{
	ioviewctl::command c = edu_command(ioviewctl::action::edu_irq_raise, edu);
	c.value = bits;
	s.transact(ioviewctl::build_request(c, s.family()));
}

std::map<std::string, uint64_t> stats_of(session &s, const std::string &dev)
{
	ioviewctl::device_stats st = ioviewctl::decode_stats(one(s, edu_command(ioviewctl::action::stats_show, dev)).get());
	return { st.counters.begin(), st.counters.end() };
}

uint32_t factorial_of(uint32_t n)
{
	uint32_t v = 1;
	for (uint32_t i = 2; i <= n; ++i)
		v *= i;
	return v;
}

// The devices under test, found by a dev-get dump.
struct devices {
	std::string edu, ivshmem;
	bool msi = false;
	std::array<uint8_t, 12> edu_head{}, ivshmem_head{};	// config bytes 0..11: IDs, command/status, class
};

// ---- one client ----------------------------------------------------------------------------

class client {
public:
	client(unsigned index, const options &o, const devices &d, watch &w, findings &f, clk::time_point until)
		: index_(index), o_(o), d_(d), w_(w), f_(f), until_(until), rng_(o.seed * 1000003u + index)
	{
		share_ = dma_window / o.threads;
		base_ = index * share_;
		shadow_.assign(share_, 0);
	}

	void run()
	{
		try {
			session s;
			// The thread's window starts known: one write of all of it.
			std::vector<uint8_t> init(share_);
			for (auto &b : init)
				b = static_cast<uint8_t>(rng_());
			dma(s, IOVIEW_DMA_OP_WRITE, base_, init, op_dma_write);
			while (clk::now() < until_)
				step(s, draw());
		} catch (const std::exception &e) {
			f_.add("thread %u: %s", index_, e.what());
		}
		w_.doing[index_] = -1;
	}

	const tally &counts() const { return t_; }

private:
	bool raiser() const { return o_.storm && index_ % 2 == 0; }

	op draw()
	{
		if (raiser())
			return op_irq_raise;
		const auto &w = o_.storm ? storm_compute_weights : normal_weights;
		unsigned total = 0;
		for (unsigned x : w)
			total += x;
		unsigned r = static_cast<unsigned>(rng_() % total);
		for (int i = 0; i < op_count; ++i) {
			if (r < w[static_cast<std::size_t>(i)])
				return static_cast<op>(i);
			r -= w[static_cast<std::size_t>(i)];
		}
		return op_dev_get;
	}

	const std::string &some_device() { return rng_() % 2 ? d_.edu : d_.ivshmem; }

	void step(session &s, op k)
	{
		w_.doing[index_] = k;
		try {
			run_op(s, k);
		} catch (const ioviewctl::failure &e) {
			if (k == op_dma_refused && e.errnum == ERANGE) {
				t_.expected[k]++;
				w_.tick();
				return;
			}
			t_.unexpected[k]++;
			f_.add("thread %u: %s: %s (errno %d)", index_, op_names[k], e.what(), e.errnum);
		}
		w_.tick();
	}

	void run_op(session &s, op k)
	{
		switch (k) {
		case op_dev_get: {
			const std::string &dev = some_device();
			ioviewctl::device_info i = ioviewctl::decode_device(one(s, edu_command(ioviewctl::action::dev_show, dev)).get());
			uint32_t want = dev == d_.edu ? IOVIEW_DEV_KIND_EDU : IOVIEW_DEV_KIND_IVSHMEM;
			if (i.name != dev || i.kind != want)
				fail(k, "dev-get %s answered %s, kind %u", dev.c_str(), i.name.c_str(), i.kind);
			break;
		}
		case op_dev_dump: {
			unsigned found = 0;
			for (const message &m : dump(s, ioviewctl::action::dev_show)) {
				std::string name = ioviewctl::decode_device(m.get()).name;
				found += name == d_.edu || name == d_.ivshmem;
			}
			if (found != 2)
				fail(k, "the device list named %u of the two devices", found);
			break;
		}
		case op_config_read:
			config_read(s, k);
			break;
		case op_reg_read: {
			ioviewctl::command c = edu_command(ioviewctl::action::reg_read, d_.edu);
			c.reg = "identification";
			ioviewctl::reg_value v = ioviewctl::decode_reg_value(one(s, c).get());
			if (v.value != edu_identification)
				fail(k, "edu identification read %#llx, want %#x", static_cast<unsigned long long>(v.value),
				     edu_identification);
			break;
		}
		case op_stats: {
			const std::string &dev = some_device();
			check_monotonic(k, dev, stats_of(s, dev));
			break;
		}
		case op_stats_dump: {
			for (const message &m : dump(s, ioviewctl::action::stats_show)) {
				ioviewctl::device_stats st = ioviewctl::decode_stats(m.get());
				check_monotonic(k, st.dev, { st.counters.begin(), st.counters.end() });
			}
			break;
		}
		case op_fact_poll:
		case op_fact_irq: {
			uint32_t n = static_cast<uint32_t>(rng_() % 31);
			ioviewctl::command c = edu_command(ioviewctl::action::edu_fact, d_.edu);
			c.value = n;
			c.completion = k == op_fact_irq ? IOVIEW_COMPLETION_INTERRUPT : IOVIEW_COMPLETION_POLL;
			ioviewctl::factorial_result r = ioviewctl::decode_factorial(one(s, c).get());
			if (r.value != factorial_of(n))
				fail(k, "%u! came back as %llu, want %u", n, static_cast<unsigned long long>(r.value),
				     factorial_of(n));
			t_.factorial_results += r.value;
			break;
		}
		case op_dma_write:
		case op_dma_read:
		case op_dma_round_trip: {
			uint32_t len = 1 + static_cast<uint32_t>(rng_() % std::min(dma_max_len, share_));
			uint32_t at = static_cast<uint32_t>(rng_() % (share_ - len + 1));
			std::vector<uint8_t> data(len);
			for (auto &b : data)
				b = static_cast<uint8_t>(rng_());
			uint32_t dma_op = k == op_dma_write ? IOVIEW_DMA_OP_WRITE
				       : k == op_dma_read  ? IOVIEW_DMA_OP_READ
							   : IOVIEW_DMA_OP_ROUND_TRIP;
			dma(s, dma_op, base_ + at, data, k);
			break;
		}
		case op_irq_raise:
			raise_irq(s, d_.edu, raise_bits());
			break;
		case op_dma_refused: {
			// Past the window: edu_logic's dma_validate() refuses it before the device is touched.
			ioviewctl::command c = edu_command(ioviewctl::action::edu_dma, d_.edu);
			c.dma_op = IOVIEW_DMA_OP_READ;
			c.offset = dma_window - 8;
			c.length = 16;
			one(s, c);
			fail(k, "a DMA read of 16 bytes at %u was not refused", dma_window - 8);
			return;
		}
		case op_count:
			break;
		}
		t_.ok[k]++;
	}

	uint32_t raise_bits()
	{
		if (!o_.storm)
			return 1u << (16 + rng_() % 8);
		// Any of the software bits 1..7, 9..23, and one raise in four edu's own completion bits.
		uint32_t bits = static_cast<uint32_t>(rng_()) & 0x00fffefeu;
		if (rng_() % 4 == 0) {
			bits |= rng_() % 2 ? edu_factorial_bit : edu_dma_bit;
			t_.raised_completion_bits++;
		}
		return bits ? bits : 0x2;
	}

	// A random span of the first 256 bytes; the bytes that never change (the IDs, the
	// revision and class) must be those read at the start.
	void config_read(session &s, op k)
	{
		bool edu = rng_() % 2;
		const std::string &dev = edu ? d_.edu : d_.ivshmem;
		const auto &head = edu ? d_.edu_head : d_.ivshmem_head;
		uint32_t off = static_cast<uint32_t>(rng_() % 256);
		uint32_t len = 1 + static_cast<uint32_t>(rng_() % (256 - off));
		std::vector<message> r = s.transact(ioviewctl::config_read_request(s.family(), dev, off, len));
		if (r.size() != 1)
			throw ioviewctl::failure(std::to_string(r.size()) + " replies, want 1");
		ioviewctl::config_bytes b = ioviewctl::decode_config(r.front().get());
		if (b.offset != off || b.data.size() != len) {
			fail(k, "%u bytes at %u of %s came back as %zu at %u", len, off, dev.c_str(), b.data.size(), b.offset);
			return;
		}
		for (uint32_t i = 0; i < len; ++i) {
			uint32_t at = off + i;
			if ((at < 4 || (at >= 8 && at < 12)) && b.data[i] != head[at]) {
				fail(k, "%s config byte %#x read %#x, was %#x", dev.c_str(), at, b.data[i], head[at]);
				return;
			}
		}
	}

	void dma(session &s, uint32_t dma_op, uint32_t at, const std::vector<uint8_t> &data, op k)
	{
		ioviewctl::command c = edu_command(ioviewctl::action::edu_dma, d_.edu);
		c.dma_op = dma_op;
		c.offset = at;
		if (dma_op == IOVIEW_DMA_OP_READ)
			c.length = static_cast<uint32_t>(data.size());
		else
			c.data = data;
		message m = one(s, c);
		uint32_t rel = at - base_;
		if (dma_op == IOVIEW_DMA_OP_WRITE) {
			std::copy(data.begin(), data.end(), shadow_.begin() + rel);
			t_.dma_transfers += 1;
			t_.dma_bytes += data.size();
			return;
		}
		ioviewctl::data_reply r = ioviewctl::decode_data(m.get());
		const uint8_t *want = dma_op == IOVIEW_DMA_OP_READ ? shadow_.data() + rel : data.data();
		if (r.data.size() != data.size() || !std::equal(r.data.begin(), r.data.end(), want))
			fail(k, "%zu bytes at %u came back different from what this thread wrote there", data.size(), at);
		if (dma_op == IOVIEW_DMA_OP_ROUND_TRIP) {
			std::copy(data.begin(), data.end(), shadow_.begin() + rel);
			t_.dma_transfers += 2;
			t_.dma_bytes += 2 * data.size();
		} else {
			t_.dma_transfers += 1;
			t_.dma_bytes += data.size();
		}
	}

	// A device's counters only ever grow, so no read may be behind this thread's previous one.
	void check_monotonic(op k, const std::string &dev, const std::map<std::string, uint64_t> &now)
	{
		auto &prev = seen_[dev];
		for (const auto &[name, v] : now) {
			auto it = prev.find(name);
			if (it != prev.end() && v < it->second)
				fail(k, "%s's %s went back from %llu to %llu", dev.c_str(), name.c_str(),
				     static_cast<unsigned long long>(it->second), static_cast<unsigned long long>(v));
		}
		prev = now;
	}

	__attribute__((format(printf, 3, 4))) void fail(op k, const char *fmt, ...)
	{
		t_.wrong[k]++;
		char buf[400];
		va_list ap;
		va_start(ap, fmt);
		std::vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		f_.add("thread %u: %s: %s", index_, op_names[k], buf);
	}

	unsigned index_;
	const options &o_;
	const devices &d_;
	watch &w_;
	findings &f_;
	clk::time_point until_;
	std::mt19937_64 rng_;
	uint32_t share_ = 0, base_ = 0;
	std::vector<uint8_t> shadow_;
	std::map<std::string, std::map<std::string, uint64_t>> seen_;
	tally t_;
};

// ---- the events group ------------------------------------------------------------------

// What the listener saw, under its lock.  Events up to the baseline marker only set `last`;
// from it on, everything is counted, until the final marker the main thread waits for.
struct stream {
	std::mutex lock;
	std::condition_variable cv;
	std::optional<uint64_t> last;
	bool hello = false;			// a hello marker came: the listener is in the group
	std::optional<uint64_t> s0, s1;		// the baseline and the final marker's numbers
	uint32_t stop_bit = 0;			// the final attempt's bit the main thread waits for
	std::string broken;			// listen() failed

	// In (S0, S1]:
	uint64_t seen = 0;
	uint64_t lost_overrun = 0;		// in gaps after an ENOBUFS report
	uint64_t lost_ring = 0;			// in gaps with no report before them
	uint64_t overruns = 0;			// ENOBUFS reports (any time)
	bool overrun_pending = false;		// reported, no gap given to it yet
	uint64_t backwards = 0;			// numbers not above the previous one
	std::string first_backwards;
	std::array<uint64_t, 8> by_kind{};	// ioview_event_kind, 0 for anything else
	uint64_t factorial_values = 0;		// the sum of factorial-done values (results)
	uint64_t dma_lengths = 0;		// the sum of dma-done values (lengths)
	uint64_t irq_factorial_bit = 0;		// interrupt events whose bits hold edu's factorial bit
	uint64_t irq_dma_bit = 0;		// ... its DMA bit
	uint64_t foreign_device = 0;		// events naming neither device
};

bool in_window(const stream &st, uint64_t seq)
{
	return st.s0 && seq > *st.s0 && !st.s1;
}

// One event; false ends listen() (the final marker came).
bool take(stream &st, const devices &d, nl_msg *m)
{
	ioviewctl::event e = ioviewctl::decode_event(m);
	std::lock_guard<std::mutex> g(st.lock);
	if (st.last && e.seq <= *st.last) {
		if (!st.backwards++)
			st.first_backwards = std::to_string(e.seq) + " after " + std::to_string(*st.last);
		return true;
	}
	uint64_t gap = st.last ? e.seq - *st.last - 1 : 0;
	st.last = e.seq;
	uint32_t bits = e.value ? static_cast<uint32_t>(*e.value) : 0;
	bool irq = e.kind == IOVIEW_EVENT_KIND_INTERRUPT && e.dev == d.edu;
	if (irq && (bits & hello_marker) == hello_marker)
		st.hello = true;
	if (!st.s0) {
		if (irq && (bits & baseline_marker) == baseline_marker) {
			st.s0 = e.seq;
			st.cv.notify_all();
		}
		return true;
	}
	if (!in_window(st, e.seq))
		return true;
	if (gap) {
		if (st.overrun_pending)
			st.lost_overrun += gap;
		else
			st.lost_ring += gap;
		st.overrun_pending = false;
	}
	st.seen++;
	st.by_kind[e.kind < st.by_kind.size() ? e.kind : 0]++;
	if (e.dev != d.edu && e.dev != d.ivshmem)
		st.foreign_device++;
	if (e.kind == IOVIEW_EVENT_KIND_FACTORIAL_DONE && e.value)
		st.factorial_values += *e.value;
	if (e.kind == IOVIEW_EVENT_KIND_DMA_DONE && e.value)
		st.dma_lengths += *e.value;
	if (irq && (bits & edu_factorial_bit))
		st.irq_factorial_bit++;
	if (irq && (bits & edu_dma_bit))
		st.irq_dma_bit++;
	if (irq && st.stop_bit && (bits & st.stop_bit) == st.stop_bit) {
		st.s1 = e.seq;
		st.cv.notify_all();
		return false;
	}
	return true;
}

void listener(stream &st, const devices &d, watch &w)
{
	try {
		session s;
		s.listen(
			[&](nl_msg *m) {
				w.tick();
				return take(st, d, m);
			},
			[&] {
				std::lock_guard<std::mutex> g(st.lock);
				st.overruns++;
				st.overrun_pending = true;
			});
	} catch (const std::exception &e) {
		std::lock_guard<std::mutex> g(st.lock);
		st.broken = e.what();
		st.cv.notify_all();
	}
}

// Waits up to @seconds for @ready() under the stream's lock.
template <typename F> bool wait_for(stream &st, double seconds, F ready)
{
	std::unique_lock<std::mutex> g(st.lock);
	return st.cv.wait_for(g, std::chrono::duration<double>(seconds), [&] { return ready() || !st.broken.empty(); }) &&
	       st.broken.empty();
}

// ---- the run --------------------------------------------------------------------------------

[[noreturn]] void give_up(const char *fmt, const std::string &why = "")
{
	std::printf("nlstress: ");
	std::printf(fmt, why.c_str());
	std::printf("\nnlstress: result failed\n");
	std::fflush(nullptr);
	_exit(3);
}

devices find_devices(session &s)
{
	devices d;
	for (const message &m : dump(s, ioviewctl::action::dev_show)) {
		ioviewctl::device_info i = ioviewctl::decode_device(m.get());
		if (i.kind == IOVIEW_DEV_KIND_EDU && d.edu.empty()) {
			d.edu = i.name;
			d.msi = i.irq_kind == IOVIEW_IRQ_KIND_MSI;
		} else if (i.kind == IOVIEW_DEV_KIND_IVSHMEM && d.ivshmem.empty()) {
			d.ivshmem = i.name;
		}
	}
	if (d.edu.empty() || d.ivshmem.empty())
		throw ioviewctl::failure("needs a bound edu and a bound ivshmem function");
	for (auto [name, head] : { std::pair{ &d.edu, &d.edu_head }, std::pair{ &d.ivshmem, &d.ivshmem_head } }) {
		std::vector<message> r = s.transact(ioviewctl::config_read_request(s.family(), *name, 0, 12));
		ioviewctl::config_bytes b = ioviewctl::decode_config(r.at(0).get());
		if (b.data.size() != head->size())
			throw ioviewctl::failure("the first 12 config bytes of " + *name + " came back as " +
						 std::to_string(b.data.size()));
		std::copy(b.data.begin(), b.data.end(), head->begin());
	}
	return d;
}

// The report: "check ok|FAIL|skip NAME: DETAIL" lines, counted.
struct report {
	unsigned checks = 0, failed = 0;

	__attribute__((format(printf, 4, 5))) void check(bool ok, const char *name, const char *fmt, ...)
	{
		char buf[600];
		va_list ap;
		va_start(ap, fmt);
		std::vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		checks++;
		failed += !ok;
		std::printf("nlstress: check %s %s: %s\n", ok ? "ok" : "FAIL", name, buf);
	}
	void skip(const char *name, const std::string &why)
	{
		std::printf("nlstress: check skip %s: %s\n", name, why.c_str());
	}
};

unsigned long long ull(uint64_t v)
{
	return v;
}

using counters = std::map<std::string, uint64_t>;

// Every check of a run.  How each edu counter moves (driver/edu.cpp, driver/control.cpp), and so
// what its delta over the run must be:
//
//   factorials     +1 per factorial completed, by polling or by interrupt, under the operation
//                  lock: exactly the clients' successful fact-poll and fact-irq requests.
//   dma-transfers  +1 per transfer completed (run_transfer()): a write or a read is one, a
//                  round trip two; exactly the clients' sum, each thread's first write included.
//   dma-bytes      +length per completed transfer: exactly the clients' sum (a round trip 2 x).
//   refused        +1 per operation refused before the device was touched (-EINVAL, -ERANGE):
//                  exactly the dma-refused requests, each refused with ERANGE.
//   busy, timeouts +1 per -EBUSY, -ETIMEDOUT: 0, since the operations serialise on the lock
//                  (a second factorial waits for the first, it is never refused) and nothing
//                  hangs.
//   interrupts     +1 per handler run that found bits pending.  An operation completed by
//                  interrupt waits, under the lock, for the run that takes its bit, so in the
//                  normal mix every fact-irq and every transfer is one run of its own; raises
//                  (clients' and the final markers') add at most one each, fewer when edu ORs
//                  several into one pending status: fact-irq + transfers + 1 <= delta <=
//                  fact-irq + transfers + raises + final markers.  In the storm, a raised
//                  completion bit can end such a wait and its own bit then merges with a later
//                  one: only 1 <= delta holds below the same upper bound.
//   foreign-interrupts +1 per handler run with nothing pending; with MSI every run is one
//                  message edu sent (one per raise and per completion), so interrupts +
//                  foreign-interrupts is at most the same upper bound.
//   mbox-*         nothing touches the mailbox: ivshmem's counters do not move.
void check_run(report &r, const options &o, const devices &d, findings &f, const tally &sum, unsigned final_raises,
	       counters &eb, counters &ea, counters &sb, counters &sa, stream &st)
{
	auto delta = [&](const char *name) { return ea[name] - eb[name]; };
	uint64_t unexpected = 0, wrong = 0;
	for (int k = 0; k < op_count; ++k) {
		unexpected += sum.unexpected[k];
		wrong += sum.wrong[k];
	}
	std::vector<std::string> why = f.list();
	std::string first = why.empty() ? "" : "; first: " + why.front();
	r.check(f.count() == 0, "no unexpected error and every reply right", "%llu unexpected errors, %llu wrong replies, %llu findings%s",
		ull(unexpected), ull(wrong), ull(f.count()), first.c_str());
	for (std::size_t i = 1; i < why.size(); ++i)
		std::printf("nlstress: finding %s\n", why[i].c_str());
	uint64_t facts = sum.ok[op_fact_poll] + sum.ok[op_fact_irq];
	r.check(sum.wrong[op_fact_poll] + sum.wrong[op_fact_irq] == 0 && facts > 0, "factorials right",
		"%llu factorials from %u clients at once (%llu by interrupt), %llu wrong", ull(facts), o.threads,
		ull(sum.ok[op_fact_irq]), ull(sum.wrong[op_fact_poll] + sum.wrong[op_fact_irq]));

	r.check(delta("factorials") == facts, "counter factorials", "+%llu, the clients completed %llu",
		ull(delta("factorials")), ull(facts));
	r.check(delta("dma-transfers") == sum.dma_transfers, "counter dma-transfers", "+%llu, the clients completed %llu",
		ull(delta("dma-transfers")), ull(sum.dma_transfers));
	r.check(delta("dma-bytes") == sum.dma_bytes, "counter dma-bytes", "+%llu, the clients moved %llu",
		ull(delta("dma-bytes")), ull(sum.dma_bytes));
	r.check(delta("refused") == sum.expected[op_dma_refused], "counter refused", "+%llu, the clients were refused %llu",
		ull(delta("refused")), ull(sum.expected[op_dma_refused]));
	r.check(delta("busy") == 0 && delta("timeouts") == 0, "counters busy and timeouts", "+%llu and +%llu, want 0",
		ull(delta("busy")), ull(delta("timeouts")));
	uint64_t raises = sum.ok[op_irq_raise];
	uint64_t own = sum.ok[op_fact_irq] + sum.dma_transfers;
	uint64_t lo = o.storm ? 1 : own + 1, hi = own + raises + final_raises;
	r.check(delta("interrupts") >= lo && delta("interrupts") <= hi, "counter interrupts",
		"+%llu, want %llu..%llu (%llu completions by interrupt, %llu raises, %u final markers)",
		ull(delta("interrupts")), ull(lo), ull(hi), ull(own), ull(raises), final_raises);
	if (d.msi)
		r.check(delta("interrupts") + delta("foreign-interrupts") <= hi, "counters interrupts and foreign-interrupts",
			"+%llu and +%llu, at most %llu messages sent", ull(delta("interrupts")),
			ull(delta("foreign-interrupts")), ull(hi));
	std::string moved;
	for (const auto &[name, v] : sa)
		if (name.rfind("mbox-", 0) == 0 && v != sb[name])
			moved += " " + name;
	r.check(moved.empty(), "ivshmem counters unmoved", "%s", moved.empty() ? "no mailbox counter moved" : moved.c_str());

	// The stream.
	std::lock_guard<std::mutex> g(st.lock);
	uint64_t span = *st.s1 - *st.s0;
	uint64_t lost = st.lost_overrun + st.lost_ring;
	uint64_t fact_ev = st.by_kind[IOVIEW_EVENT_KIND_FACTORIAL_DONE], dma_ev = st.by_kind[IOVIEW_EVENT_KIND_DMA_DONE],
		 irq_ev = st.by_kind[IOVIEW_EVENT_KIND_INTERRUPT];
	r.check(st.backwards == 0, "event numbers only go up", "%llu went back or repeated%s", ull(st.backwards),
		st.first_backwards.empty() ? "" : (" (first " + st.first_backwards + ")").c_str());
	uint64_t recorded = delta("factorials") + delta("dma-transfers") + delta("interrupts");
	r.check(span == recorded, "events numbered as the counters say",
		"S1 - S0 = %llu, the counters' factorials + dma-transfers + interrupts = %llu", ull(span), ull(recorded));
	r.check(st.seen + lost == span, "every number seen or in a gap", "%llu seen + %llu lost, span %llu", ull(st.seen),
		ull(lost), ull(span));
	uint64_t other = st.seen - fact_ev - dma_ev - irq_ev;
	r.check(other == 0 && st.foreign_device == 0, "no other event", "%llu of another kind, %llu of another device",
		ull(other), ull(st.foreign_device));
	r.check(fact_ev <= delta("factorials") && dma_ev <= delta("dma-transfers") && irq_ev <= delta("interrupts"),
		"no kind seen more often than counted", "factorial-done %llu of %llu, dma-done %llu of %llu, interrupt %llu of %llu",
		ull(fact_ev), ull(delta("factorials")), ull(dma_ev), ull(delta("dma-transfers")), ull(irq_ev),
		ull(delta("interrupts")));
	if (lost) {
		r.skip("each kind exactly as counted", std::to_string(lost) + " events lost");
		return;
	}
	r.check(fact_ev == facts && st.factorial_values == sum.factorial_results, "a factorial-done event per factorial",
		"%llu events adding up to %llu, %llu factorials adding up to %llu", ull(fact_ev), ull(st.factorial_values),
		ull(facts), ull(sum.factorial_results));
	r.check(dma_ev == sum.dma_transfers && st.dma_lengths == sum.dma_bytes, "a dma-done event per transfer",
		"%llu events of %llu bytes, %llu transfers of %llu", ull(dma_ev), ull(st.dma_lengths), ull(sum.dma_transfers),
		ull(sum.dma_bytes));
	r.check(irq_ev == delta("interrupts"), "an interrupt event per interrupt", "%llu events, +%llu counted", ull(irq_ev),
		ull(delta("interrupts")));
	if (!o.storm)
		r.check(st.irq_factorial_bit == sum.ok[op_fact_irq] && st.irq_dma_bit == sum.dma_transfers,
			"interrupt events carry each completion's bit once",
			"factorial bit in %llu (%llu fact-irq), DMA bit in %llu (%llu transfers)", ull(st.irq_factorial_bit),
			ull(sum.ok[op_fact_irq]), ull(st.irq_dma_bit), ull(sum.dma_transfers));
}

int run(const options &o)
{
	watch w(o.threads);
	std::thread dog(watchdog, std::ref(w), o.watchdog);
	dog.detach();
	session control;
	devices d = find_devices(control);
	std::printf("nlstress: run mix=%s seed=%llu threads=%u seconds=%g edu=%s ivshmem=%s irq=%s\n",
		    o.storm ? "storm" : "normal", ull(o.seed), o.threads, o.seconds, d.edu.c_str(), d.ivshmem.c_str(),
		    d.msi ? "msi" : "intx");

	// The listener joins the group inside listen(): hello markers until one is seen, then the baseline.
	stream st;
	std::thread lt(listener, std::ref(st), std::cref(d), std::ref(w));
	w.phase = "joining the events group";
	bool joined = false;
	for (int i = 0; i < 20 && !joined; ++i) {
		raise_irq(control, d.edu, hello_marker);
		w.tick();
		joined = wait_for(st, 0.5, [&] { return st.hello; });
	}
	if (!joined)
		give_up("no event came in 10 s of hello markers%s", st.broken.empty() ? "" : (": " + st.broken).c_str());
	// Any hello still pending is handled long before this: the baseline's interrupt is the last.
	std::this_thread::sleep_for(std::chrono::milliseconds(200));
	w.phase = "baseline marker";
	raise_irq(control, d.edu, baseline_marker);
	if (!wait_for(st, 10, [&] { return st.s0.has_value(); }))
		give_up("the baseline marker's event did not come within 10 s%s", st.broken);
	auto edu_before = stats_of(control, d.edu);
	auto shm_before = stats_of(control, d.ivshmem);

	// The clients.
	w.phase = "clients running";
	findings f;
	std::vector<std::unique_ptr<client>> clients;
	auto t0 = clk::now();
	auto until = t0 + std::chrono::duration_cast<clk::duration>(std::chrono::duration<double>(o.seconds));
	for (unsigned i = 0; i < o.threads; ++i)
		clients.push_back(std::make_unique<client>(i, o, d, w, f, until));
	std::vector<std::thread> threads;
	for (auto &c : clients)
		threads.emplace_back(&client::run, c.get());
	for (auto &t : threads)
		t.join();
	double elapsed = std::chrono::duration<double>(clk::now() - t0).count();

	// The final marker, numbered per attempt: one whose event was lost is raised again.
	w.phase = "final marker";
	unsigned final_raises = 0;
	bool closed = false;
	for (unsigned j = 0; j < final_attempts && !closed; ++j) {
		uint32_t bit = 1u << (24 + j);
		{
			std::lock_guard<std::mutex> g(st.lock);
			st.stop_bit = final_marker_base | bit;
		}
		raise_irq(control, d.edu, final_marker_base | bit);
		final_raises++;
		w.tick();
		closed = wait_for(st, 10, [&] { return st.s1.has_value(); });
	}
	if (!closed)
		give_up("no final marker's event came in %s", std::to_string(final_attempts) + " attempts of 10 s");
	auto edu_after = stats_of(control, d.edu);
	auto shm_after = stats_of(control, d.ivshmem);
	lt.join();
	w.done = true;

	// Figures.
	tally sum;
	for (auto &c : clients) {
		const tally &t = c->counts();
		for (int k = 0; k < op_count; ++k) {
			sum.ok[k] += t.ok[k];
			sum.expected[k] += t.expected[k];
			sum.unexpected[k] += t.unexpected[k];
			sum.wrong[k] += t.wrong[k];
		}
		sum.factorial_results += t.factorial_results;
		sum.dma_transfers += t.dma_transfers;
		sum.dma_bytes += t.dma_bytes;
		sum.raised_completion_bits += t.raised_completion_bits;
	}
	uint64_t total = 0;
	for (int k = 0; k < op_count; ++k) {
		uint64_t n = sum.ok[k] + sum.expected[k] + sum.unexpected[k];
		total += n;
		if (n)
			std::printf("nlstress: op %s ok=%llu expected=%llu unexpected=%llu ops/s=%.1f\n", op_names[k],
				    ull(sum.ok[k]), ull(sum.expected[k]), ull(sum.unexpected[k]), static_cast<double>(n) / elapsed);
	}
	std::printf("nlstress: total ops=%llu ops/s=%.1f elapsed=%.2f\n", ull(total), static_cast<double>(total) / elapsed,
		    elapsed);
	auto delta = [&](const char *name) { return edu_after[name] - edu_before[name]; };
	std::printf("nlstress: counters factorials=+%llu dma-transfers=+%llu dma-bytes=+%llu interrupts=+%llu "
		    "foreign-interrupts=+%llu refused=+%llu busy=+%llu timeouts=+%llu\n",
		    ull(delta("factorials")), ull(delta("dma-transfers")), ull(delta("dma-bytes")), ull(delta("interrupts")),
		    ull(delta("foreign-interrupts")), ull(delta("refused")), ull(delta("busy")), ull(delta("timeouts")));
	uint64_t span = *st.s1 - *st.s0;
	uint64_t lost = st.lost_overrun + st.lost_ring;
	std::printf("nlstress: events seen=%llu lost=%llu lost_overrun=%llu lost_ring=%llu overruns=%llu span=%llu\n",
		    ull(st.seen), ull(lost), ull(st.lost_overrun), ull(st.lost_ring), ull(st.overruns), ull(span));

	report r;
	check_run(r, o, d, f, sum, final_raises, edu_before, edu_after, shm_before, shm_after, st);
	std::printf("nlstress: result %s\n", r.failed ? "failed" : "ok");
	std::fflush(nullptr);
	return r.failed ? 1 : 0;
}

int usage()
{
	std::fprintf(stderr, "usage: nlstress [--seconds S] [--threads N] [--seed X] [--mix normal|storm] [--watchdog S]\n");
	return ioviewctl::exit_usage;
}

bool number(const char *s, double lo, double hi, double &out)
{
	char *end = nullptr;
	double v = std::strtod(s, &end);
	if (!*s || *end || !(v >= lo && v <= hi))
		return false;
	out = v;
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	options o;
	for (int i = 1; i < argc; ++i) {
		std::string a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
		double x = 0;
		if (!v)
			return usage();
		if (a == "--seconds" && number(v, 0.1, 3600, x)) {
			o.seconds = x;
		} else if (a == "--threads" && number(v, 1, 64, x) && x == static_cast<unsigned>(x)) {
			o.threads = static_cast<unsigned>(x);
		} else if (a == "--seed" && number(v, 0, 1e15, x) && x == static_cast<uint64_t>(x)) {
			o.seed = static_cast<uint64_t>(x);
			o.seed_given = true;
		} else if (a == "--mix" && (std::strcmp(v, "normal") == 0 || std::strcmp(v, "storm") == 0)) {
			o.storm = std::strcmp(v, "storm") == 0;
		} else if (a == "--watchdog" && number(v, 1, 3600, x)) {
			o.watchdog = x;
		} else {
			return usage();
		}
		++i;
	}
	if (!o.seed_given)
		o.seed = static_cast<uint64_t>(clk::now().time_since_epoch().count()) % 1000000007u;
	try {
		return run(o);
	} catch (const std::exception &e) {
		std::printf("nlstress: error: %s\nnlstress: result failed\n", e.what());
		std::fflush(nullptr);
		_exit(1);
	}
}
