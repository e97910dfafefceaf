// SPDX-License-Identifier: GPL-2.0
//
// mailbox-peer: the host side of the ivshmem mailbox.
//
//     mailbox-peer build/vm/<release>/ivshmem.bin --count 100 --timeout 30
//
// Maps the backing file of ivshmem-plain's BAR2 (MAP_SHARED, so what the
// guest writes into BAR2 is what this program reads) and attaches to the
// mailbox through the same headers the guest driver uses:
// kmod/devices/ivshmem_mailbox.h for the layout, kmod/driver/mailbox_ring.h
// for the logic, here over ioview::sysmem instead of the kernel's MMIO
// backend.  Then it serves: every guest -> host message is answered on
// host -> guest (echoed, reversed or upper-cased), until --count messages
// were answered or --timeout seconds passed, whichever comes first; both
// are bounded, so a test cannot hang on it.  It prints what it counted at
// the end.
//
// --script plays a host's lifetime instead of one plain serve, step by
// step, for tests of how the other side copes:
//
//     mailbox-peer FILE --script echo:200,pause:3500,echo:20,idle:500   # a stall
//     mailbox-peer FILE --script echo:20,crash                    # dies, state left ready
//     mailbox-peer FILE --script echo:10,init,echo:20             # re-initialises under the guest
//     mailbox-peer FILE --script echo:10,garbage --numbered 0       # writes garbage the guest must refuse
//
// --numbered FIRST checks that what the guest sends is the numbered
// messages of the kernel's mailbox self-test (kmod/selftest/mailbox.cpp),
// from FIRST on, each intact and in order; a message the mailbox lost shows
// as a gap, never as a mismatch.
//
// Everything the guest wrote is untrusted: mailbox_ring.h checks every
// index, length, sequence and state before use, and this program only ever
// sees the checked results (errors are counted by kind).
//
// --side guest plays the guest instead, and --ping N sends messages and
// checks the replies until N were right instead of serving: two of these
// processes on one file exercise the whole protocol without a VM.
//
// Exit status: 0 the run did what was asked (--count reached or every
// --script step done, --ping all verified or reported lost, or the timeout
// ended an unbounded serve without protocol errors); 1 it did not (attach
// failed, count not reached, a protocol error, a wrong reply or message);
// 2 bad usage.
#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <getopt.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ioview/sysmem.h>

#include "driver/mailbox_ring.h"

namespace {

namespace mbx = ioview::driver::mailbox;
namespace wire = ioview::devices::mailbox;
using ioview::u8;
using ioview::u32;
using ioview::u64;
using ioview::usize;
using host_endpoint = mbx::endpoint<ioview::sysmem, mbx::shared_memory_fences>;

constexpr const char usage[] =
	"usage: mailbox-peer FILE [options]\n"
	"\n"
	"Serve the ivshmem mailbox in FILE (the backing file of ivshmem-plain's BAR2):\n"
	"answer every guest->host message on host->guest.\n"
	"\n"
	"options:\n"
	"  --offset N           the mailbox's offset in FILE (default %#zx, where the guest puts it)\n"
	"  --init               initialise the mailbox (this side comes up first)\n"
	"  --mode MODE          echo (default), reverse or upper\n"
	"  --count N            exit after answering N messages (--script echo:N)\n"
	"  --script STEPS       do STEPS in order, comma-separated, then exit:\n"
	"                         echo:N   answer N messages\n"
	"                         idle:MS  beat and watch the peer for MS milliseconds, answering nothing\n"
	"                         pause:MS stop for MS milliseconds: no heartbeat, no serving\n"
	"                         init     re-initialise the mailbox under the attached peer: wait\n"
	"                                  for it to take our replies, leave, wait for two heartbeats,\n"
	"                                  count what its ring holds, then init (all of it discarded)\n"
	"                         crash    exit at once without leaving, as if killed\n"
	"                         garbage  write garbage where the peer reads, item by item, each after\n"
	"                                  one of its messages (runner::garbage() has the protocol;\n"
	"                                  the guest's half is the ioview_mailbox self-test peer_garbage)\n"
	"  --numbered FIRST     check each message received is the self-test's message number FIRST,\n"
	"                       FIRST + 1, ... ((k * 5) %% 249 bytes, byte j = k * 31 + j * 7 + 0x5a),\n"
	"                       or a later one after lost messages (a gap); with --ping, send those\n"
	"  --timeout SECONDS    exit after SECONDS whatever happens (default 10, at most 3600)\n"
	"  --attach-timeout S   give up attaching after S seconds (default: the timeout)\n"
	"  --stall-ms MS        report the peer stalled after MS without a heartbeat (default 2000)\n"
	"  --side SIDE          host (default) or guest: play the guest, to test without a VM\n"
	"  --ping N             send messages until N replies were checked to be MODE of them\n"
	"                       (messages the peer's re-initialisation wiped are counted lost)\n"
	"  --quiet              print only the summary\n"
	"  -h, --help           show this help\n";

void print_usage(std::FILE *to)
{
	std::fprintf(to, usage, wire::bar2_offset);
}

enum class mode { echo, reverse, upper };

// One step of --script.
struct step {
	enum kind_t { echo, idle, pause, init, crash, garbage } kind;
	u64 n;	// echo: messages to answer; idle, pause: milliseconds
};
constexpr usize max_steps = 16;

struct options {
	const char *path = nullptr;
	usize offset = wire::bar2_offset;
	bool init = false;
	mode transform = mode::echo;
	step script[max_steps] = {};	// none: serve unbounded (the timeout ends the run)
	usize steps = 0;
	bool numbered = false;
	u64 numbered_first = 0;
	double timeout = 10;
	double attach_timeout = -1;	// < 0: the timeout
	u32 stall_ms = 2000;
	wire::side self = wire::side::host;
	u64 ping = 0;			// 0: serve
	bool quiet = false;
};

// What the run counted; printed at the end.
struct stats {
	u64 rx_messages = 0, rx_bytes = 0;
	u64 tx_messages = 0, tx_bytes = 0;
	u64 full = 0;		// messages that found the outgoing ring full at least once
	u64 notconn = 0;	// sends refused because the peer was not attached (after it had been)
	u64 badmsg = 0;		// slots dropped for a bad length or sequence
	u64 proto = 0;		// episodes of an inconsistent index or header
	u64 nobufs = 0;
	u64 other = 0;
	u64 mismatch = 0;	// --ping replies that were not MODE of what was sent; --numbered messages not the next
	u64 reset = 0;		// replies dropped because the peer re-initialised the rings they were for
	u64 gaps = 0;		// --numbered: messages that never came (the mailbox lost them)
	u64 lost = 0;		// --ping: messages outstanding when the peer re-initialised the mailbox
	u64 ev[7] = {};		// peer events, indexed by peer_event
	u64 steps_done = 0;
	u64 pauses = 0;
	u64 inits = 0;
	u64 discarded_unread = 0;	// init steps: the peer's messages in the ring we wiped
	u64 discarded_unconsumed = 0;	// init steps: our replies the peer had not taken
	u64 quiet_timeouts = 0;		// init steps whose wait for the peer (replies taken, heartbeat) ran out
	u64 garbage_items = 0;		// garbage steps: items written and repaired
	u64 garbage_slots = 0;		// ... of which bad slots published (not counted as sent)
	bool crashed = false;
};

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int)
{
	stop_requested = 1;
}

double now()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void pause_briefly()
{
	timespec ts{ 0, 50 * 1000 };	// 50 us: short next to a guest polling worker's period
	nanosleep(&ts, nullptr);
}

const char *side_name(wire::side s)
{
	return s == wire::side::guest ? "guest" : "host";
}

const char *mode_name(mode m)
{
	return m == mode::echo ? "echo" : m == mode::reverse ? "reverse" : "upper";
}

const char *event_name(mbx::peer_event e)
{
	switch (e) {
	case mbx::peer_event::none: return "none";
	case mbx::peer_event::arrived: return "arrived";
	case mbx::peer_event::left: return "left";
	case mbx::peer_event::restarted: return "restarted";
	case mbx::peer_event::stalled: return "stalled";
	case mbx::peer_event::resumed: return "resumed";
	case mbx::peer_event::reinitialised: return "reinitialised";
	}
	return "?";
}

const char *errno_name(int err)
{
	switch (-err) {
	case mbx::eagain: return "EAGAIN";
	case mbx::eproto: return "EPROTO";
	case mbx::ebadmsg: return "EBADMSG";
	case mbx::emsgsize: return "EMSGSIZE";
	case mbx::eprotonosupport: return "EPROTONOSUPPORT";
	case mbx::enobufs: return "ENOBUFS";
	case mbx::enotconn: return "ENOTCONN";
	case mbx::econnreset: return "ECONNRESET";
	case ioview::einval: return "EINVAL";
	case ioview::erange: return "ERANGE";
	case ioview::efault: return "EFAULT";
	}
	return "unknown error";
}

// MODE applied to in[0, len) into out.
void apply(mode m, const u8 *in, usize len, u8 *out)
{
	for (usize i = 0; i < len; ++i) {
		u8 c = m == mode::reverse ? in[len - 1 - i] : in[i];
		if (m == mode::upper && c >= 'a' && c <= 'z')
			c = static_cast<u8>(c - 'a' + 'A');
		out[i] = c;
	}
}

// --ping's message number k: lower-case letters, every length from 0 to max_payload in turn.
usize ping_message(u64 k, u8 *out)
{
	usize len = static_cast<usize>((k * 37 + 5) % (wire::max_payload + 1));
	for (usize i = 0; i < len; ++i)
		out[i] = static_cast<u8>('a' + (k + i * 3) % 26);
	return len;
}

// --numbered: the kernel self-test's message k (kmod/selftest/mailbox.cpp, length() and
// pattern()): (k * 5) % 249 bytes, so every length from 0 to max_payload, byte j = k * 31 + j * 7
// + 0x5a.  Within 249 consecutive numbers no two have the same length.
usize numbered_length(u64 k)
{
	return static_cast<usize>((k * 5) % (wire::max_payload + 1));
}

u8 numbered_byte(u64 k, usize j)
{
	return static_cast<u8>(k * 31 + j * 7 + 0x5a);
}

bool is_numbered(u64 k, const u8 *m, usize len)
{
	if (len != numbered_length(k))
		return false;
	for (usize j = 0; j < len; ++j)
		if (m[j] != numbered_byte(k, j))
			return false;
	return true;
}

// The self-test's message k into out; its length.
usize numbered_message(u64 k, u8 *out)
{
	usize len = numbered_length(k);
	for (usize j = 0; j < len; ++j)
		out[j] = numbered_byte(k, j);
	return len;
}

// "echo:200,pause:3500,init,crash" into o.script; false on a bad step.
bool parse_script(const char *text, options &o)
{
	o.steps = 0;
	const char *p = text;
	while (*p) {
		const char *end = std::strchr(p, ',');
		usize len = end ? static_cast<usize>(end - p) : std::strlen(p);
		char word[32];
		if (len == 0 || len >= sizeof(word) || o.steps == max_steps)
			return false;
		std::memcpy(word, p, len);
		word[len] = 0;
		step st{};
		char *colon = std::strchr(word, ':');
		if (colon)
			*colon = 0;
		u64 n = 0;
		if (colon) {
			char *num_end = nullptr;
			errno = 0;
			n = std::strtoull(colon + 1, &num_end, 10);
			if (errno || num_end == colon + 1 || *num_end || colon[1] == '-')
				return false;
		}
		if (!std::strcmp(word, "echo") && colon && n > 0)
			st = { step::echo, n };
		else if (!std::strcmp(word, "idle") && colon && n <= 3600 * 1000)
			st = { step::idle, n };
		else if (!std::strcmp(word, "pause") && colon && n <= 3600 * 1000)
			st = { step::pause, n };
		else if (!std::strcmp(word, "init") && !colon)
			st = { step::init, 0 };
		else if (!std::strcmp(word, "crash") && !colon)
			st = { step::crash, 0 };
		else if (!std::strcmp(word, "garbage") && !colon)
			st = { step::garbage, 0 };
		else
			return false;
		o.script[o.steps++] = st;
		p += len;
		if (*p == ',' && !*++p)
			return false;
	}
	return o.steps > 0;
}

bool parse_number(const char *s, double max, double &out)
{
	char *end = nullptr;
	errno = 0;
	double v = std::strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0) || v > max)
		return false;
	out = v;
	return true;
}

bool parse_count(const char *s, u64 &out)
{
	char *end = nullptr;
	errno = 0;
	unsigned long long v = std::strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	out = v;
	return true;
}

// 0 on success, 2 on bad usage (after printing why).
int parse(int argc, char **argv, options &o)
{
	enum { opt_offset = 256, opt_init, opt_mode, opt_count, opt_timeout, opt_attach_timeout, opt_stall,
	       opt_side, opt_ping, opt_quiet, opt_script, opt_numbered };
	static const option longs[] = {
		{ "offset", required_argument, nullptr, opt_offset },
		{ "init", no_argument, nullptr, opt_init },
		{ "mode", required_argument, nullptr, opt_mode },
		{ "count", required_argument, nullptr, opt_count },
		{ "timeout", required_argument, nullptr, opt_timeout },
		{ "attach-timeout", required_argument, nullptr, opt_attach_timeout },
		{ "stall-ms", required_argument, nullptr, opt_stall },
		{ "side", required_argument, nullptr, opt_side },
		{ "ping", required_argument, nullptr, opt_ping },
		{ "quiet", no_argument, nullptr, opt_quiet },
		{ "script", required_argument, nullptr, opt_script },
		{ "numbered", required_argument, nullptr, opt_numbered },
		{ "help", no_argument, nullptr, 'h' },
		{ nullptr, 0, nullptr, 0 },
	};
	int c;
	u64 n;
	bool scripted = false;
	while ((c = getopt_long(argc, argv, "h", longs, nullptr)) != -1) {
		switch (c) {
		case 'h':
			print_usage(stdout);
			std::exit(0);
		case opt_offset:
			if (!parse_count(optarg, n) || n % 8 != 0) {
				std::fprintf(stderr, "mailbox-peer: --offset wants a multiple of 8, not '%s'\n", optarg);
				return 2;
			}
			o.offset = static_cast<usize>(n);
			break;
		case opt_init:
			o.init = true;
			break;
		case opt_mode:
			if (!std::strcmp(optarg, "echo"))
				o.transform = mode::echo;
			else if (!std::strcmp(optarg, "reverse"))
				o.transform = mode::reverse;
			else if (!std::strcmp(optarg, "upper"))
				o.transform = mode::upper;
			else {
				std::fprintf(stderr, "mailbox-peer: unknown mode '%s'\n", optarg);
				return 2;
			}
			break;
		case opt_count:
			if (scripted || !parse_count(optarg, n) || n == 0) {
				std::fprintf(stderr, "mailbox-peer: --count wants a positive number, once, without --script, not '%s'\n", optarg);
				return 2;
			}
			o.script[0] = { step::echo, n };
			o.steps = 1;
			scripted = true;
			break;
		case opt_script:
			if (scripted || !parse_script(optarg, o)) {
				std::fprintf(stderr, "mailbox-peer: --script wants STEP[,STEP...] of echo:N, idle:MS, pause:MS, init, crash, garbage "
					     "(at most %zu), once, without --count, not '%s'\n", max_steps, optarg);
				return 2;
			}
			scripted = true;
			break;
		case opt_numbered:
			if (!parse_count(optarg, o.numbered_first)) {
				std::fprintf(stderr, "mailbox-peer: --numbered wants a message number, not '%s'\n", optarg);
				return 2;
			}
			o.numbered = true;
			break;
		case opt_timeout:
			if (!parse_number(optarg, 3600, o.timeout) || o.timeout <= 0) {
				std::fprintf(stderr, "mailbox-peer: --timeout wants 0 < seconds <= 3600, not '%s'\n", optarg);
				return 2;
			}
			break;
		case opt_attach_timeout:
			if (!parse_number(optarg, 3600, o.attach_timeout)) {
				std::fprintf(stderr, "mailbox-peer: --attach-timeout wants 0 <= seconds <= 3600, not '%s'\n", optarg);
				return 2;
			}
			break;
		case opt_stall:
			if (!parse_count(optarg, n) || n > 3600 * 1000) {
				std::fprintf(stderr, "mailbox-peer: --stall-ms wants 0..3600000, not '%s'\n", optarg);
				return 2;
			}
			o.stall_ms = static_cast<u32>(n);
			break;
		case opt_side:
			if (!std::strcmp(optarg, "host"))
				o.self = wire::side::host;
			else if (!std::strcmp(optarg, "guest"))
				o.self = wire::side::guest;
			else {
				std::fprintf(stderr, "mailbox-peer: --side is host or guest, not '%s'\n", optarg);
				return 2;
			}
			break;
		case opt_ping:
			if (!parse_count(optarg, o.ping) || o.ping == 0) {
				std::fprintf(stderr, "mailbox-peer: --ping wants a positive number, not '%s'\n", optarg);
				return 2;
			}
			break;
		case opt_quiet:
			o.quiet = true;
			break;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		print_usage(stderr);
		return 2;
	}
	o.path = argv[optind];
	if (o.ping && o.steps) {
		std::fprintf(stderr, "mailbox-peer: --ping sends, --count and --script serve: not both\n");
		return 2;
	}
	if (o.attach_timeout < 0 || o.attach_timeout > o.timeout)
		o.attach_timeout = o.timeout;
	return 0;
}

// The backing file, mapped shared for the life of the program.
struct mapping {
	void *base = MAP_FAILED;
	usize size = 0;
	~mapping()
	{
		if (base != MAP_FAILED)
			munmap(base, size);
	}
};

// 0, or 1 after printing why the file cannot hold the mailbox.
int map_file(const options &o, mapping &m)
{
	int fd = open(o.path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		std::fprintf(stderr, "mailbox-peer: cannot open %s: %s\n", o.path, std::strerror(errno));
		return 1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		std::fprintf(stderr, "mailbox-peer: cannot stat %s: %s\n", o.path, std::strerror(errno));
		close(fd);
		return 1;
	}
	usize size = static_cast<usize>(st.st_size);
	if (size < o.offset || size - o.offset < sizeof(wire::layout)) {
		std::fprintf(stderr, "mailbox-peer: %s has %zu bytes, the mailbox needs %zu at offset %#zx\n", o.path,
			     size, sizeof(wire::layout), o.offset);
		close(fd);
		return 1;
	}
	m.base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int err = errno;
	close(fd);
	if (m.base == MAP_FAILED) {
		std::fprintf(stderr, "mailbox-peer: cannot map %s: %s\n", o.path, std::strerror(err));
		return 1;
	}
	m.size = size;
	return 0;
}

// The endpoint, initialised or attached within the attach timeout; nullptr-like (ok() false) on failure.
ioview::result<host_endpoint> connect(const options &o, ioview::view<ioview::sysmem, wire::layout> mem)
{
	if (o.init)
		return host_endpoint::init(mem, o.self);
	double give_up = now() + o.attach_timeout;
	for (;;) {
		auto r = host_endpoint::attach(mem, o.self);
		// -EAGAIN: not initialised yet; anything else may be an init half-way: retry both.
		if (r || now() >= give_up || stop_requested) {
			if (!r)
				std::fprintf(stderr, "mailbox-peer: no mailbox to attach to after %.1f s: %s (%d)\n",
					     o.attach_timeout, errno_name(r.error()), r.error());
			return r;
		}
		timespec ts{ 0, 1000 * 1000 };
		nanosleep(&ts, nullptr);
	}
}

// Counts an error of send/receive by kind; true if it means the mailbox is inconsistent.
// -ECONNRESET is not counted here: the runner resyncs (runner::on_reset()).
bool count_error(stats &s, int err, bool peer_seen)
{
	switch (-err) {
	case mbx::eagain:
		return false;
	case mbx::enotconn:
		if (peer_seen)
			s.notconn++;
		return false;
	case mbx::ebadmsg:
		s.badmsg++;
		return false;
	case mbx::enobufs:
		s.nobufs++;
		return false;
	case mbx::eproto:
		return true;
	default:
		s.other++;
		return false;
	}
}

class runner {
public:
	runner(const options &o, ioview::view<ioview::sysmem, wire::layout> mem, host_endpoint ep)
		: o_(o), mem_(mem), ep_(ep), start_(now()), deadline_(start_ + o.timeout)
	{
	}

	// Serve, play the script or ping until done or out of time; the exit status.
	int run()
	{
		int status;
		if (o_.ping) {
			status = ping();
		} else if (o_.steps) {
			status = play();
		} else {
			serve(0);	// until the timeout: fine without protocol errors
			status = s_.proto == 0 && s_.mismatch == 0 ? 0 : 1;
		}
		ep_.detach();
		report(status);
		return status;
	}

private:
	// Heartbeat, peer watching and repair, at most once a millisecond; false when the run must end.
	bool housekeeping()
	{
		double t = now();
		if (t >= deadline_ || stop_requested)
			return false;
		if (t < next_tick_)
			return true;
		next_tick_ = t + 1e-3;
		ep_.heartbeat();
		// The beat before the look at the peer (see endpoint::heartbeat()).
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		mbx::peer_event e = ep_.watch_peer(static_cast<u64>((t - start_) * 1e3), o_.stall_ms);
		if (e != mbx::peer_event::none) {
			if (e != mbx::peer_event::reinitialised || !reinit_reported_) {
				s_.ev[static_cast<int>(e)]++;
				say("peer %s", event_name(e));
			}
			if (e == mbx::peer_event::arrived)
				peer_seen_ = true;
			reinit_reported_ = e == mbx::peer_event::reinitialised;
			if (e == mbx::peer_event::reinitialised)
				broken_ = true;
		}
		if (broken_) {
			ioview::status r = ep_.resync();
			if (r) {
				broken_ = false;
				reinit_reported_ = false;
				epoch_++;
				say("resynchronised with the mailbox");
			}
		}
		return true;
	}

	void note_proto()
	{
		if (!broken_) {
			s_.proto++;
			say("the mailbox is inconsistent (EPROTO); waiting for it to be repaired");
		}
		broken_ = true;
	}

	// An operation found our state wiped (-ECONNRESET): the peer re-initialised the
	// mailbox.  Nothing more until housekeeping() resyncs, which starts a new epoch.
	void on_reset() { broken_ = true; }

	// The script, step by step; 0 when every step was done.
	int play()
	{
		for (usize i = 0; i < o_.steps; ++i) {
			const step &st = o_.script[i];
			bool done = false;
			switch (st.kind) {
			case step::echo:
				done = serve(answered_ + st.n);
				break;
			case step::idle:
				done = idle(st.n);
				break;
			case step::pause:
				done = pause(st.n);
				break;
			case step::init:
				done = reinit();
				break;
			case step::crash:
				crash();
			case step::garbage:
				done = garbage();
				break;
			}
			if (!done)
				break;
			s_.steps_done++;
		}
		return s_.steps_done == o_.steps && s_.proto == 0 && s_.mismatch == 0 ? 0 : 1;
	}

	// Answers messages until `limit` were answered in all (0: until the run ends); true if it got there.
	bool serve(u64 limit)
	{
		u8 in[wire::max_payload];
		u8 out[wire::max_payload];
		usize out_len = 0;
		bool reply_pending = false;
		bool reply_waited = false;
		u64 reply_epoch = 0;
		while (!(limit && answered_ >= limit)) {
			if (!housekeeping())
				return false;
			bool busy = false;
			if (broken_) {
				pause_briefly();
				continue;
			}
			if (reply_pending && reply_epoch != epoch_) {
				// The rings the message came in were re-initialised since: its reply
				// would reach a guest that never sent it.
				s_.reset++;
				reply_pending = false;
			}
			if (reply_pending) {
				ioview::status r = ep_.send(out, out_len);
				if (r) {
					reply_pending = false;
					s_.tx_messages++;
					s_.tx_bytes += out_len;
					answered_++;
					busy = true;
				} else if (r.error() == -mbx::eagain) {
					if (!reply_waited)
						s_.full++;
					reply_waited = true;
				} else if (r.error() == -mbx::enotconn) {
					s_.notconn++;	// the guest left: drop the reply
					reply_pending = false;
				} else if (r.error() == -mbx::econnreset) {
					on_reset();
				} else if (count_error(s_, r.error(), peer_seen_)) {
					note_proto();
				}
			} else {
				auto n = ep_.receive(in, sizeof(in));
				if (n) {
					s_.rx_messages++;
					s_.rx_bytes += n.value();
					if (o_.numbered)
						check_numbered(in, n.value());
					out_len = n.value();
					apply(o_.transform, in, out_len, out);
					reply_pending = true;
					reply_waited = false;
					reply_epoch = epoch_;
					busy = true;
				} else if (n.error() == -mbx::econnreset) {
					on_reset();
				} else if (count_error(s_, n.error(), peer_seen_)) {
					note_proto();
				}
			}
			if (!busy)
				pause_briefly();
		}
		return true;
	}

	// --numbered: the message just received must be the next expected one or, after
	// messages the mailbox lost, one at most a ring further.  Within that window its
	// length names it (no two of 249 consecutive numbers have the same), the bytes must
	// then match.
	void check_numbered(const u8 *m, usize len)
	{
		for (u64 k = next_numbered_; k <= next_numbered_ + wire::slot_count; ++k) {
			if (numbered_length(k) != len)
				continue;
			if (!is_numbered(k, m, len))
				break;
			if (k != next_numbered_) {
				s_.gaps += k - next_numbered_;
				say("messages %llu to %llu never came; %llu did", ull(next_numbered_), ull(k - 1), ull(k));
			}
			next_numbered_ = k + 1;
			return;
		}
		if (s_.mismatch++ == 0)
			say("a message of %zu bytes is not message %llu nor one of the %u after it", len, ull(next_numbered_),
			    wire::slot_count);
	}

	// The idle step: alive and attached, with nothing to do; a peer that watches
	// us sees our heartbeat move (a step that ends the run right after its last
	// answer may leave before the peer's next look).
	bool idle(u64 ms)
	{
		double until = now() + static_cast<double>(ms) * 1e-3;
		while (now() < until) {
			if (!housekeeping())
				return false;
			pause_briefly();
		}
		return true;
	}

	// The pause step: the process is there but does nothing, as a hung one would.
	bool pause(u64 ms)
	{
		s_.pauses++;
		say("pausing for %llu ms: no heartbeat, no serving", ull(ms));
		double until = now() + static_cast<double>(ms) * 1e-3;
		while (now() < until) {
			if (stop_requested || now() >= deadline_)
				return false;
			timespec ts{ 0, 1000 * 1000 };
			nanosleep(&ts, nullptr);
		}
		say("resuming");
		return true;
	}

	// Polls @p ready every 50 us for at most a second; whether it became true.
	template <typename F> bool wait_briefly(F ready)
	{
		double give_up = now() + 1.0;
		while (!ready()) {
			if (now() >= give_up || stop_requested)
				return false;
			pause_briefly();
		}
		return true;
	}

	// The init step: re-initialise the mailbox under the attached peer in the order
	// mailbox_ring.h's init() gives, so that what is wiped is known exactly.
	bool reinit()
	{
		// Our replies taken first: then none of them is lost, and none is being read
		// while the rings are reset.
		bool taken = wait_briefly([&] { return ep_.tx().free_slots().value_or(0) == wire::slot_count; });
		ep_.detach();
		// Our closed state before the heartbeat we read: if the peer's next look
		// does not see us closed, we do not see the beat before it (store, full
		// fence, load on both sides), and its sends are serialised with its
		// beats.  Two beats, not one: a guest's full barrier may not reach the
		// host (QEMU 7.2's round-robin TCG, tests/vm's thread=single, emits no
		// host barrier for a guest one: tcg_gen_mb() only does with
		// CF_PARALLEL), and then the look after a beat can still read what
		// was there before it; the look after the next beat comes a whole
		// poll period later, when the first beat has long reached memory.
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		u32 beat = ep_.peer().heartbeat;
		int moves = 0;
		bool beaten = wait_briefly([&] {
			u32 now_beat = ep_.peer().heartbeat;
			if (now_beat != beat) {
				beat = now_beat;
				moves++;
			}
			return moves >= 2;
		});
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		u32 unread = ep_.rx().pending().value_or(0);
		u32 unconsumed = wire::slot_count - ep_.tx().free_slots().value_or(wire::slot_count);
		auto r = host_endpoint::init(mem_, o_.self);
		if (!r) {
			say("init failed: %s (%d)", errno_name(r.error()), r.error());
			return false;
		}
		ep_ = r.value();
		broken_ = false;
		reinit_reported_ = false;
		epoch_++;
		s_.inits++;
		s_.discarded_unread += unread;
		s_.discarded_unconsumed += unconsumed;
		if (!taken || !beaten)
			s_.quiet_timeouts++;
		say("re-initialised the mailbox (generation %u): discarded %u unread, %u unconsumed%s%s", ep_.generation(),
		    unread, unconsumed, taken ? "" : "; the peer did not take our replies within 1 s",
		    beaten ? "" : "; the peer's heartbeat did not move twice within 1 s");
		return true;
	}

	// ---- the garbage step ----
	//
	// A host that writes garbage where the peer reads: indices past the ring or behind it,
	// slots whose length or sequence is wrong, a tail past the peer's head, a state that is
	// no side_status.  Each item starts when the peer's next message comes (message k), is
	// written, and is repaired when the peer has shown it saw it, so every refusal the peer
	// gets is deterministic:
	//
	//   item              we                                        the peer (self-test peer_garbage)
	//   head_past_ring    take k; our head = H + slot_count + 1;    send k; receive: -EPROTO;
	//                     take k+1; head = H; echo k, k+1           send k+1; echoes of k, k+1
	//   head_behind       the same with head = H - 1                the same
	//   length_past_slot  take k; slot H: length max_payload + 1,   send k; receive: -EBADMSG
	//                     sequence H; head H + 1; echo k            (slot skipped); echo of k
	//   length_huge       the same, length 0xffffffff               the same
	//   bad_sequence      the same, a right length, sequence        the same
	//                     H + slot_count
	//   tail_past_head    take k; its ring's tail = its head + 1;   send k; echo of k; send k+1:
	//                     echo k twice; when both are taken,        -EPROTO; the two echoes of k;
	//                     tail restored; echo k again; take k+1,    send k+1; its echo
	//                     echo it
	//   bad_state         take k; echo k twice; our state =         send k; echo of k; sees us
	//                     0x5a5a5a5a; when both are taken,          not ready (a departure); send
	//                     ready again; take k+1, echo it            k+1: -ENOTCONN; the second
	//                                                               echo; sees us ready (an
	//                                                               arrival); send k+1; its echo
	//
	// H is our head (we never re-read it: a scribbled copy in shared memory moves nothing of
	// ours).  Bad slots are published by hand and our producer takes the new head over
	// (resync()), so the echo that follows lands in the next slot.  While our state is
	// garbage the housekeeping is not run (it would take the wiped state for a peer's init and
	// resync at once): only the heartbeat goes on.  Each item has a few seconds (item_s).
	static constexpr double item_s = 5;

	bool garbage()
	{
		return garbage_head(wire::slot_count + 1) && garbage_head(static_cast<u32>(-1)) &&
		       garbage_slot(static_cast<u32>(wire::max_payload + 1), false) && garbage_slot(0xffffffffu, false) &&
		       garbage_slot(0, true) && garbage_tail() && garbage_state();
	}

	// The views of what we write: our ring, the peer's ring, our state.
	ioview::view<ioview::sysmem, wire::ring> own_ring() const
	{
		return IOVIEW_PROJECT(mem_, rings).try_at(static_cast<usize>(o_.self)).value();
	}
	ioview::view<ioview::sysmem, wire::ring> peer_ring() const
	{
		return IOVIEW_PROJECT(mem_, rings).try_at(static_cast<usize>(wire::peer_of(o_.self))).value();
	}
	ioview::view<ioview::sysmem, ioview::le32> own_state() const
	{
		return IOVIEW_PROJECT(IOVIEW_PROJECT(mem_, hdr.sides).try_at(static_cast<usize>(o_.self)).value(), state);
	}
	static void poke(ioview::view<ioview::sysmem, ioview::le32> at, u32 v) { at.write_val(ioview::le32::from_cpu(v)); }

	// Polls @p ready, keeping house (@p housekeeping) or only beating, for at most item_s.
	template <typename F> bool within_item(bool housekeeping_on, F ready)
	{
		double give_up = now() + item_s;
		while (!ready()) {
			if (now() >= give_up || now() >= deadline_ || stop_requested)
				return false;
			if (housekeeping_on) {
				if (!housekeeping())
					return false;
			} else {
				ep_.heartbeat();
			}
			pause_briefly();
		}
		return true;
	}

	// The peer's next message, checked (--numbered), into msg_.
	bool take()
	{
		return within_item(true, [&] {
			if (broken_)
				return false;
			auto n = ep_.receive(msg_, sizeof(msg_));
			if (!n) {
				if (n.error() == -mbx::econnreset)
					on_reset();
				else if (count_error(s_, n.error(), peer_seen_))
					note_proto();
				return false;
			}
			s_.rx_messages++;
			s_.rx_bytes += n.value();
			msg_len_ = n.value();
			if (o_.numbered)
				check_numbered(msg_, msg_len_);
			return true;
		});
	}

	// Sends the message taken last back (the echo; markers are the same bytes again).
	bool echo()
	{
		return within_item(true, [&] {
			ioview::status r = ep_.send(msg_, msg_len_);
			if (r) {
				s_.tx_messages++;
				s_.tx_bytes += msg_len_;
				answered_++;
				return true;
			}
			if (r.error() != -mbx::eagain && count_error(s_, r.error(), peer_seen_))
				note_proto();
			return false;
		});
	}

	bool item_done(const char *what)
	{
		s_.garbage_items++;
		say("garbage: %s written, refused and repaired", what);
		return true;
	}

	bool item_failed(const char *what)
	{
		say("garbage: %s: the peer did not go through it within %.0f s", what, item_s);
		return false;
	}

	// head_past_ring, head_behind: our head moved by @p by, then put back.
	bool garbage_head(u32 by)
	{
		const char *what = by == static_cast<u32>(-1) ? "a head behind the peer's tail" : "a head past the ring";
		if (!take())
			return item_failed(what);
		u32 head = ep_.tx().head();
		poke(IOVIEW_PROJECT(own_ring(), indices.head), head + by);
		u8 first[wire::max_payload];
		usize first_len = msg_len_;
		std::memcpy(first, msg_, msg_len_);
		bool seen = take();	// the peer's signal: it got -EPROTO
		__atomic_thread_fence(__ATOMIC_RELEASE);
		poke(IOVIEW_PROJECT(own_ring(), indices.head), head);
		if (!seen)
			return item_failed(what);
		u8 second[wire::max_payload];
		usize second_len = msg_len_;
		std::memcpy(second, msg_, msg_len_);
		std::memcpy(msg_, first, first_len);
		msg_len_ = first_len;
		if (!echo())
			return item_failed(what);
		std::memcpy(msg_, second, second_len);
		msg_len_ = second_len;
		return echo() ? item_done(what) : item_failed(what);
	}

	// length_past_slot, length_huge (@p length), bad_sequence (@p bad_sequence): one bad slot
	// published by hand, then the echo in the next one.
	bool garbage_slot(u32 length, bool bad_sequence)
	{
		const char *what = bad_sequence ? "a slot of another sequence"
				   : length == 0xffffffffu ? "a slot of length 0xffffffff"
							   : "a slot longer than its payload";
		if (!take())
			return item_failed(what);
		u32 head = ep_.tx().head();
		auto slot = IOVIEW_PROJECT(own_ring(), slots).try_at(head % wire::slot_count).value();
		poke(IOVIEW_PROJECT(slot, length), bad_sequence ? static_cast<u32>(msg_len_) : length);
		poke(IOVIEW_PROJECT(slot, sequence), bad_sequence ? head + wire::slot_count : head);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		poke(IOVIEW_PROJECT(own_ring(), indices.head), head + 1);
		// Our producer takes the head over from shared memory: the echo goes into slot H + 1.
		if (!ep_.resync()) {
			say("garbage: %s: taking our own head over failed", what);
			return false;
		}
		s_.garbage_slots++;
		return echo() ? item_done(what) : item_failed(what);
	}

	// tail_past_head: the tail we keep in the peer's ring one past its head, until it took two
	// echoes after trying a send; restored before a third.
	bool garbage_tail()
	{
		const char *what = "a tail past the peer's head";
		if (!take())
			return item_failed(what);
		u32 tail = ep_.rx().tail();
		poke(IOVIEW_PROJECT(peer_ring(), indices.tail), tail + 1);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		bool ok = echo() && echo() &&
			  within_item(true, [&] { return ep_.tx().free_slots().value_or(0) == wire::slot_count; });
		poke(IOVIEW_PROJECT(peer_ring(), indices.tail), tail);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		if (!ok || !echo() || !take() || !echo())
			return item_failed(what);
		return item_done(what);
	}

	// bad_state: our state garbage until the peer took both echoes, then ready again.
	bool garbage_state()
	{
		const char *what = "a state that is no side_status";
		if (!take() || !echo() || !echo())
			return item_failed(what);
		poke(own_state(), 0x5a5a5a5a);
		bool taken = within_item(false, [&] { return ep_.tx().free_slots().value_or(0) == wire::slot_count; });
		__atomic_thread_fence(__ATOMIC_RELEASE);
		poke(own_state(), static_cast<u32>(wire::side_status::ready));
		if (!taken || !take() || !echo())
			return item_failed(what);
		return item_done(what);
	}

	// The crash step: gone without a word, our state left ready, as a killed process
	// (the exit status still says whether what came before was right).
	[[noreturn]] void crash()
	{
		s_.crashed = true;
		s_.steps_done++;
		say("crashing on purpose: exit without leaving; our state stays ready");
		int status = s_.proto == 0 && s_.mismatch == 0 ? 0 : 1;
		report(status);
		std::fflush(stdout);
		std::fflush(stderr);
		std::_Exit(status);
	}

	// Sends numbered messages until --ping replies were checked.  Replies come in
	// order, so the next one is for message `checked`; messages the peer's
	// re-initialisation wiped are counted lost and never wait for a reply.  At
	// most as many are outstanding as replies are still wanted, so the peer
	// receives exactly --ping messages.
	int ping()
	{
		u8 msg[wire::max_payload];
		u8 want[wire::max_payload];
		u8 got[wire::max_payload];
		u64 sent = 0, checked = 0, verified = 0;
		u64 seen_epoch = epoch_;
		bool waited = false;	// message `sent` found the ring full already
		while (housekeeping() && verified < o_.ping) {
			bool busy = false;
			if (broken_) {
				pause_briefly();
				continue;
			}
			if (seen_epoch != epoch_) {
				// The peer re-initialised the mailbox: no reply to what is still
				// outstanding can come any more.
				if (sent != checked)
					say("the peer re-initialised the mailbox: messages %llu to %llu lost", ull(checked),
					    ull(sent - 1));
				s_.lost += sent - checked;
				checked = sent;
				seen_epoch = epoch_;
			}
			if (verified + (sent - checked) < o_.ping) {
				usize len = message(sent, msg);
				ioview::status r = ep_.send(msg, len);
				if (r) {
					sent++;
					s_.tx_messages++;
					s_.tx_bytes += len;
					waited = false;
					busy = true;
				} else if (r.error() == -mbx::eagain) {
					if (!waited)
						s_.full++;
					waited = true;
				} else if (r.error() == -mbx::econnreset) {
					on_reset();
					continue;
				} else if (count_error(s_, r.error(), peer_seen_)) {
					note_proto();
				}
			}
			auto n = ep_.receive(got, sizeof(got));
			if (n) {
				s_.rx_messages++;
				s_.rx_bytes += n.value();
				usize len = message(checked, msg);
				apply(o_.transform, msg, len, want);
				if (n.value() != len || std::memcmp(got, want, len) != 0) {
					if (s_.mismatch++ == 0)
						say("reply %llu is wrong: %zu bytes, want %zu", ull(checked), n.value(), len);
				}
				checked++;
				verified++;
				busy = true;
			} else if (n.error() == -mbx::econnreset) {
				on_reset();
			} else if (count_error(s_, n.error(), peer_seen_)) {
				note_proto();
			}
			if (!busy)
				pause_briefly();
		}
		answered_ = verified;
		return verified == o_.ping && s_.mismatch == 0 && s_.proto == 0 ? 0 : 1;
	}

	// --ping's message number k: the self-test's with --numbered, else ping_message()'s.
	usize message(u64 k, u8 *out) const
	{
		return o_.numbered ? numbered_message(o_.numbered_first + k, out) : ping_message(k, out);
	}

	__attribute__((format(printf, 2, 3))) void say(const char *fmt, ...)
	{
		if (o_.quiet)
			return;
		std::fprintf(stderr, "mailbox-peer: %.3f s: ", now() - start_);
		va_list ap;
		va_start(ap, fmt);
		std::vfprintf(stderr, fmt, ap);
		va_end(ap);
		std::fputc('\n', stderr);
	}

	void report(int status)
	{
		double t = now() - start_;
		std::printf("mailbox-peer: side %s, mode %s, offset %#zx\n", side_name(o_.self), mode_name(o_.transform),
			    o_.offset);
		std::printf("mailbox-peer: received messages=%llu bytes=%llu\n", ull(s_.rx_messages), ull(s_.rx_bytes));
		std::printf("mailbox-peer: sent messages=%llu bytes=%llu\n", ull(s_.tx_messages), ull(s_.tx_bytes));
		std::printf("mailbox-peer: errors full=%llu notconn=%llu badmsg=%llu proto=%llu nobufs=%llu other=%llu "
			    "mismatch=%llu reset=%llu gaps=%llu lost=%llu\n",
			    ull(s_.full), ull(s_.notconn), ull(s_.badmsg), ull(s_.proto), ull(s_.nobufs), ull(s_.other),
			    ull(s_.mismatch), ull(s_.reset), ull(s_.gaps), ull(s_.lost));
		std::printf("mailbox-peer: peer arrived=%llu left=%llu restarted=%llu stalled=%llu resumed=%llu "
			    "reinitialised=%llu\n",
			    ull(s_.ev[1]), ull(s_.ev[2]), ull(s_.ev[3]), ull(s_.ev[4]), ull(s_.ev[5]), ull(s_.ev[6]));
		if (o_.steps)
			std::printf("mailbox-peer: script steps=%zu done=%llu pauses=%llu inits=%llu discarded_unread=%llu "
				    "discarded_unconsumed=%llu quiet_timeouts=%llu crashed=%d garbage_items=%llu garbage_slots=%llu\n",
				    o_.steps, ull(s_.steps_done), ull(s_.pauses), ull(s_.inits), ull(s_.discarded_unread),
				    ull(s_.discarded_unconsumed), ull(s_.quiet_timeouts), s_.crashed ? 1 : 0,
				    ull(s_.garbage_items), ull(s_.garbage_slots));
		if (o_.numbered && !o_.ping)
			std::printf("mailbox-peer: numbered first=%llu next=%llu\n", ull(o_.numbered_first), ull(next_numbered_));
		const char *what = o_.ping ? "replies checked" : "messages answered";
		std::printf("mailbox-peer: result %s: %llu %s in %.2f s%s%s\n", status == 0 ? "ok" : "failed",
			    ull(answered_), what, t, stop_requested ? " (interrupted)" : "",
			    s_.crashed ? " (crashed on purpose: state left ready)" : "");
	}

	static unsigned long long ull(u64 v) { return v; }

	const options &o_;
	ioview::view<ioview::sysmem, wire::layout> mem_;
	host_endpoint ep_;
	stats s_;
	double start_;
	double deadline_;
	double next_tick_ = 0;
	u64 answered_ = 0;
	u64 epoch_ = 0;		// +1 at each resync or init: the rings our counters belong to
	u64 next_numbered_ = o_.numbered_first;
	bool peer_seen_ = false;
	bool broken_ = false;
	u8 msg_[wire::max_payload] = {};	// the garbage step's message taken last
	usize msg_len_ = 0;
	bool reinit_reported_ = false;
};

} // namespace

int main(int argc, char **argv)
{
	options o;
	if (int r = parse(argc, argv, o))
		return r;
	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);

	mapping m;
	if (map_file(o, m))
		return 1;
	auto mem = ioview::sysmem::try_view<wire::layout>(static_cast<unsigned char *>(m.base) + o.offset,
							  m.size - o.offset);
	if (!mem) {
		std::fprintf(stderr, "mailbox-peer: no view of the mailbox at %#zx: %s\n", o.offset, errno_name(mem.error()));
		return 1;
	}
	auto ep = connect(o, mem.value());
	if (!ep) {
		if (o.init)
			std::fprintf(stderr, "mailbox-peer: init failed: %s (%d)\n", errno_name(ep.error()), ep.error());
		return 1;
	}
	if (!o.quiet)
		std::fprintf(stderr, "mailbox-peer: %s %s as the %s (generation %u), %s\n", o.init ? "initialised" : "attached to",
			     o.path, side_name(o.self), ep.value().generation(),
			     o.ping ? "pinging" : o.steps > 1 ? "playing the script" : "serving");
	runner r(o, mem.value(), ep.value());
	return r.run();
}
