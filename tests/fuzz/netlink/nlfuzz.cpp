// SPDX-License-Identifier: GPL-2.0
//
// nlfuzz: malformed and mutated requests to the ioview generic netlink family,
// each one checked against what the kernel must answer.
//
//   nlfuzz [--seed S] [--count N] [--start I] [--timeout-ms T] [--dry-run] [--verbose]
//          [--max-report K] [--slow-one-in N] [--seconds T]
//   nlfuzz --offline [--seed S] [--count N]    generate only, on a machine without the
//                                              module (the VM's machine as root, assumed)
//   nlfuzz --send HEX [--repeat N]             one datagram as a FAIL line prints it, sent N
//                                              times, and how often each answer came back
//   nlfuzz --stale-irq N                       the regression probe of edu's stale completion
//                                              interrupts (see stale_irq())
//
// The count is of datagrams; a batch holds several messages, so more messages
// than datagrams are sent (both are printed).  A progress line comes after each
// tenth of the count; with --seconds the run stops sending after T seconds
// (the prefix of the same sequence: a budget for slow kernels, not a failure),
// says so, and its figures are those of what it sent.
//
// Message i of a run is generated from (S, i) alone, so the same seed gives the
// same sequence and `--start I --count 1 --verbose` replays message I by itself.
// The sequence also depends on what the family and the machine are (the family
// id, the bound functions' names, the caller's capabilities), which it finds
// first; the digest it prints covers every byte it generated, and --dry-run
// generates and prints the same digest without sending anything.
//
// Messages are written raw on an AF_NETLINK/NETLINK_GENERIC socket (libnl only
// resolves the family), with NLM_F_ACK unless a mutation drops it, and with
// NETLINK_EXT_ACK and NETLINK_CAP_ACK on.  The mix (weights in generate()):
//   valid   a well-formed request of one operation, with the values its
//           checks accept (the harmless ones, see "What may execute");
//   attrs   a request with 1-3 attribute mutations: missing, duplicated,
//           retyped, resized, flagged, values at and around every limit,
//           huge and negative, strings without NUL or too long, wrong device
//           and register names, unknown attributes, nested garbage, bad
//           nla_len, trailing bytes;
//   header  a request with a bad netlink or genetlink header: unknown or
//           borrowed command, version, reserved byte, unknown or ambiguous
//           flags, NLM_F_DUMP on a do-only operation, no NLM_F_REQUEST or
//           NLM_F_ACK, control types, an absent family, truncated messages
//           and nlmsg_len past or short of the datagram;
//   dump    dumps of dev-get and stats-get: plain, naming a device, with junk
//           attributes or flags;
//   batch   2-4 requests of the kinds above in one datagram.
//
// Every message is judged by a model of the kernel: the netlink core
// (netlink_rcv_skb), the genetlink core (genl_family_rcv_msg: header, flags,
// command, GENL_ADMIN_PERM) with the strict attribute validation of the
// family's per-op policies (lib/nlattr.c, as include/uapi/ioview.yaml makes
// them), then the handlers of kmod/shim/netlink.c and the checks of
// kmod/driver/control.cpp.  The model says which answers are right: no
// answer at all (a message the core drops), NLMSG_ERROR with one of a few
// errnos, an ACK, one reply then the ACK, or a dump's replies then
// NLMSG_DONE.  Anything else fails, printed with the seed and the message's
// index: no answer within the timeout, an answer to a message the kernel
// should have dropped, a second final answer, a reply that does not parse
// as the spec's attributes (nested ones included), a reply's value that is
// wrong (the device's ids, n!, the bytes of a DMA round trip, edu's
// liveness register reading back the complement of what was last written,
// the 64-byte limit of an unprivileged config-read...), an errno the model
// does not allow, a malformed extended ACK.
//
// What may execute.  The fuzzer must not break the machine it runs on, so the
// model also says what a message would do if the kernel accepted it, and a
// message that could do something not listed here is generated again (the
// next candidate from the same message's stream, so runs stay reproducible):
//   - config-write: only bytes whose writes change nothing or nothing that
//     matters: the read-only ids, revision, class, header type, subsystem,
//     interrupt pin, min_gnt and max_lat, and the interrupt line (a scratch
//     byte for the OS; the fuzzer restores it at the end).  Writes to the
//     command register or a BAR would take the device away.
//   - reg-write: edu's liveness, irq_raise and irq_ack (an interrupt the
//     handler acknowledges), factorial with operands up to 0xffff; ivshmem's
//     interrupt mask and status and its doorbell (no peers on ivshmem-plain).
//     Never edu's DMA registers (a bus address and a start bit reach memory)
//     nor its status (the driver's factorial relies on it).
//   - edu-factorial: operands up to 0xffff: edu's thread multiplies n times,
//     so 0xffffffff would keep a host CPU busy for seconds.
//   - edu-dma: about one message in --slow-one-in (3000) is a valid
//     transfer: each takes edu's 100 ms timer; every other DMA request is
//     one the checks refuse before the device is touched.
//   - edu-irq-raise: any bits; the handler acknowledges them.
//   - mbox-send, mbox-recv: never past the device lookup (edu's name, an
//     unknown one, a payload over 248 bytes): the first accepted one opens
//     the mailbox, which writes a new generation into the shared memory
//     that 60-mailbox.host.sh checks, and starts its 4 ms worker.
//   - selftest-run: only unknown suite names: a run takes up to a minute and
//     binds and unbinds the functions.
// Without CAP_NET_ADMIN every one of those is refused before its handler runs,
// so an unprivileged run sends their valid forms too, and each must come back
// EPERM.
//
// Output: the seed, the counts of messages per kind and per operation, the
// answers by class and by errno, the digest, the failures (the first
// --max-report printed in full).  Exit status 0 when nothing failed, 1 when
// something did, 2 on a usage error or when the run could not start.
#include <algorithm>
#include <bitset>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/cache.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "uapi/ioview.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using bytes = std::vector<u8>;

constexpr u16 nla_f_nested = 1u << 15;
constexpr u16 nla_f_byteorder = 1u << 14;
constexpr u16 nla_type_mask = static_cast<u16>(~(nla_f_nested | nla_f_byteorder));
constexpr u32 nl_hdr = 16;	// NLMSG_HDRLEN
constexpr u32 genl_hdr = 4;	// GENL_HDRLEN
constexpr u32 ping_seq_bit = 0x80000000u;

u32 align4(u32 n)
{
	return (n + 3) & ~3u;
}

u16 get16(const u8 *p)
{
	u16 v;
	std::memcpy(&v, p, 2);
	return v;
}
u32 get32(const u8 *p)
{
	u32 v;
	std::memcpy(&v, p, 4);
	return v;
}
u64 get64(const u8 *p)
{
	u64 v;
	std::memcpy(&v, p, 8);
	return v;
}
template <typename T> bytes le(T v)
{
	bytes b(sizeof(T));
	std::memcpy(b.data(), &v, sizeof(T));
	return b;
}
bytes str_bytes(std::string_view s, bool nul = true)
{
	bytes b(s.begin(), s.end());
	if (nul)
		b.push_back(0);
	return b;
}

std::string hex(const u8 *p, size_t n, size_t limit = 512)
{
	std::string out;
	char buf[4];
	for (size_t i = 0; i < n && i < limit; i++) {
		std::snprintf(buf, sizeof(buf), "%02x", p[i]);
		out += buf;
	}
	if (n > limit)
		out += "...(" + std::to_string(n) + " bytes)";
	return out;
}

std::string errname(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E" + std::to_string(e);
}

// ---- the seeded generator -------------------------------------------------------------------

// splitmix64: small, fast and good enough to pick among mutations; one stream per message.
struct rng {
	u64 state;

	u64 next()
	{
		u64 z = (state += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		return z ^ (z >> 31);
	}
	u32 below(u64 n) { return n ? static_cast<u32>(next() % n) : 0; }
	bool one_in(u64 n) { return below(n) == 0; }
	template <typename T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }
};

rng message_rng(u64 seed, u64 index)
{
	rng r{ seed * 0x2545f4914f6cdd1dull ^ (index + 1) * 0xd1b54a32d192ed03ull };
	r.next();
	return r;
}

// ---- the family, as include/uapi/ioview.yaml specifies it ----------------------------------

enum class kind : u8 { none, u8_, u16_, u32_, u64_, str, bin, flag, nest, pad };

u32 fixed_size(kind k)
{
	switch (k) {
	case kind::u8_:
		return 1;
	case kind::u16_:
		return 2;
	case kind::u32_:
		return 4;
	case kind::u64_:
		return 8;
	default:
		return 0;
	}
}

// A request attribute's policy: the spec has one attribute set for every
// request, so an attribute's checks are the same in each op's policy
// (kmod/shim/ioview-nl.c); an op's policy lists only its own attributes.
struct policy {
	kind k = kind::none;
	u32 max_len = 0;	// strings: characters, the NUL not counted (NLA_NUL_STRING's .len)
	u64 min = 0;
	u64 max = UINT64_MAX;
};

policy request_policy(int type)
{
	switch (type) {
	case IOVIEW_A_DEV_NAME:
		return { kind::str, IOVIEW_DEV_NAME_LEN };
	case IOVIEW_A_OFFSET:
		return { kind::u32_ };
	case IOVIEW_A_WIDTH:
		return { kind::u8_, 0, 1, 8 };
	case IOVIEW_A_LENGTH:
		return { kind::u32_, 0, 1, IOVIEW_CONFIG_MAX_BYTES };
	case IOVIEW_A_VALUE:
		return { kind::u64_ };
	case IOVIEW_A_DATA:
		return { kind::bin };
	case IOVIEW_A_REGISTER:
		return { kind::str, IOVIEW_REG_NAME_LEN };
	case IOVIEW_A_COMPLETION:
		return { kind::u32_, 0, 0, 1 };
	case IOVIEW_A_DMA_OP:
		return { kind::u32_, 0, 0, 2 };
	case IOVIEW_A_TIMEOUT_MS:
		return { kind::u32_, 0, 0, IOVIEW_TIMEOUT_MAX_MS };
	case IOVIEW_A_SUITE:
		return { kind::str, IOVIEW_SUITE_NAME_LEN };
	}
	return {};
}

struct op_info {
	u8 cmd;
	const char *name;
	bool admin;		// admin-perm: GENL_ADMIN_PERM
	bool dumps;		// has a dump
	std::vector<int> request;
	std::vector<int> reply;	// the top-level attributes of its reply; empty: it sends none
	int maxattr() const { return *std::max_element(request.begin(), request.end()); }
	bool takes(int type) const { return std::find(request.begin(), request.end(), type) != request.end(); }
	bool replies_with(int type) const { return std::find(reply.begin(), reply.end(), type) != reply.end(); }
};

const std::vector<op_info> &ops()
{
	static const std::vector<op_info> list = {
		{ IOVIEW_CMD_DEV_GET, "dev-get", false, true, { IOVIEW_A_DEV_NAME },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_DEV_KIND, IOVIEW_A_VENDOR, IOVIEW_A_DEVICE, IOVIEW_A_REVISION,
		    IOVIEW_A_CLASS, IOVIEW_A_IRQ_KIND, IOVIEW_A_IRQ, IOVIEW_A_BAR } },
		{ IOVIEW_CMD_CONFIG_READ, "config-read", false, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_LENGTH },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_DATA } },
		{ IOVIEW_CMD_CONFIG_WRITE, "config-write", true, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE }, {} },
		{ IOVIEW_CMD_REG_GET, "reg-get", false, false, { IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_REG } },
		{ IOVIEW_CMD_REG_READ, "reg-read", false, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE } },
		{ IOVIEW_CMD_REG_WRITE, "reg-write", true, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_REGISTER, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE }, {} },
		{ IOVIEW_CMD_EDU_FACTORIAL, "edu-factorial", true, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_VALUE, IOVIEW_A_COMPLETION }, { IOVIEW_A_DEV_NAME, IOVIEW_A_VALUE } },
		{ IOVIEW_CMD_EDU_DMA, "edu-dma", true, false,
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_DMA_OP, IOVIEW_A_OFFSET, IOVIEW_A_LENGTH, IOVIEW_A_DATA },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_DATA } },
		{ IOVIEW_CMD_EDU_IRQ_RAISE, "edu-irq-raise", true, false, { IOVIEW_A_DEV_NAME, IOVIEW_A_VALUE }, {} },
		{ IOVIEW_CMD_MBOX_SEND, "mbox-send", true, false, { IOVIEW_A_DEV_NAME, IOVIEW_A_DATA }, {} },
		{ IOVIEW_CMD_MBOX_RECV, "mbox-recv", true, false, { IOVIEW_A_DEV_NAME, IOVIEW_A_TIMEOUT_MS },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_DATA } },
		{ IOVIEW_CMD_SELFTEST_RUN, "selftest-run", true, false, { IOVIEW_A_SUITE },
		  { IOVIEW_A_CASE, IOVIEW_A_PASSED, IOVIEW_A_FAILED, IOVIEW_A_SKIPPED } },
		{ IOVIEW_CMD_STATS_GET, "stats-get", false, true, { IOVIEW_A_DEV_NAME },
		  { IOVIEW_A_DEV_NAME, IOVIEW_A_DEV_KIND, IOVIEW_A_STATS } },
	};
	return list;
}

const op_info *op_of(u8 cmd)
{
	for (const op_info &o : ops())
		if (o.cmd == cmd)
			return &o;
	return nullptr;
}

// The reply attribute sets, to check that every reply parses as the spec's attributes.
struct set_spec;
struct field_spec {
	kind k = kind::none;
	const set_spec *nest = nullptr;
	bool multi = false;	// multi-attr: may repeat
};
struct set_spec {
	const char *name;
	std::vector<field_spec> f;	// indexed by type
	const field_spec *at(u16 type) const { return type < f.size() && f[type].k != kind::none ? &f[type] : nullptr; }
};

struct reply_sets {
	set_spec bar{ "bar", {} }, field{ "field", {} }, reg{ "reg", {} }, kase{ "case", {} }, stats{ "stats", {} },
		top{ "ioview", {} };

	reply_sets()
	{
		bar.f.resize(IOVIEW_A_BAR_MAX + 1);
		bar.f[IOVIEW_A_BAR_PAD] = { kind::pad };
		bar.f[IOVIEW_A_BAR_INDEX] = { kind::u8_ };
		bar.f[IOVIEW_A_BAR_SIZE] = { kind::u64_ };
		bar.f[IOVIEW_A_BAR_MEM] = { kind::flag };
		field.f.resize(IOVIEW_A_FIELD_MAX + 1);
		field.f[IOVIEW_A_FIELD_NAME] = { kind::str };
		field.f[IOVIEW_A_FIELD_HI] = { kind::u8_ };
		field.f[IOVIEW_A_FIELD_LO] = { kind::u8_ };
		field.f[IOVIEW_A_FIELD_ACCESS] = { kind::u32_ };
		reg.f.resize(IOVIEW_A_REG_MAX + 1);
		reg.f[IOVIEW_A_REG_NAME] = { kind::str };
		reg.f[IOVIEW_A_REG_OFFSET] = { kind::u32_ };
		reg.f[IOVIEW_A_REG_WIDTH] = { kind::u8_ };
		reg.f[IOVIEW_A_REG_ACCESS] = { kind::u32_ };
		reg.f[IOVIEW_A_REG_FIELD] = { kind::nest, &field, true };
		kase.f.resize(IOVIEW_A_CASE_MAX + 1);
		kase.f[IOVIEW_A_CASE_SUITE] = { kind::str };
		kase.f[IOVIEW_A_CASE_NAME] = { kind::str };
		kase.f[IOVIEW_A_CASE_VERDICT] = { kind::u8_ };
		kase.f[IOVIEW_A_CASE_DIAG] = { kind::str };
		stats.f.resize(IOVIEW_A_STATS_MAX + 1);
		stats.f[IOVIEW_A_STATS_PAD] = { kind::pad };
		for (int t = IOVIEW_A_STATS_INTERRUPTS; t <= IOVIEW_A_STATS_MAX; t++)
			stats.f[t] = { kind::u64_ };
		top.f.resize(IOVIEW_A_MAX + 1);
		top.f[IOVIEW_A_PAD] = { kind::pad };
		top.f[IOVIEW_A_DEV_NAME] = { kind::str };
		top.f[IOVIEW_A_DEV_KIND] = { kind::u32_ };
		top.f[IOVIEW_A_VENDOR] = { kind::u16_ };
		top.f[IOVIEW_A_DEVICE] = { kind::u16_ };
		top.f[IOVIEW_A_REVISION] = { kind::u8_ };
		top.f[IOVIEW_A_CLASS] = { kind::u32_ };
		top.f[IOVIEW_A_IRQ_KIND] = { kind::u32_ };
		top.f[IOVIEW_A_IRQ] = { kind::u32_ };
		top.f[IOVIEW_A_BAR] = { kind::nest, &bar, true };
		top.f[IOVIEW_A_OFFSET] = { kind::u32_ };
		top.f[IOVIEW_A_WIDTH] = { kind::u8_ };
		top.f[IOVIEW_A_LENGTH] = { kind::u32_ };
		top.f[IOVIEW_A_VALUE] = { kind::u64_ };
		top.f[IOVIEW_A_DATA] = { kind::bin };
		top.f[IOVIEW_A_REGISTER] = { kind::str };
		top.f[IOVIEW_A_REG] = { kind::nest, &reg, true };
		top.f[IOVIEW_A_COMPLETION] = { kind::u32_ };
		top.f[IOVIEW_A_DMA_OP] = { kind::u32_ };
		top.f[IOVIEW_A_TIMEOUT_MS] = { kind::u32_ };
		top.f[IOVIEW_A_SUITE] = { kind::str };
		top.f[IOVIEW_A_CASE] = { kind::nest, &kase, true };
		top.f[IOVIEW_A_PASSED] = { kind::u32_ };
		top.f[IOVIEW_A_FAILED] = { kind::u32_ };
		top.f[IOVIEW_A_SKIPPED] = { kind::u32_ };
		top.f[IOVIEW_A_STATS] = { kind::nest, &stats };
		top.f[IOVIEW_A_EVENT_KIND] = { kind::u32_ };
		top.f[IOVIEW_A_EVENT_SEQ] = { kind::u64_ };
	}
};

const reply_sets &sets()
{
	static const reply_sets s;
	return s;
}

// One attribute of a reply, once its set said it is well-formed.
struct rattr {
	u16 type;
	const u8 *data;
	u32 len;
	u32 as_u32() const { return len == 4 ? get32(data) : len == 2 ? get16(data) : len == 1 ? data[0] : 0; }
	u64 as_u64() const { return len == 8 ? get64(data) : as_u32(); }
	std::string as_str() const { return len ? std::string(reinterpret_cast<const char *>(data), len - 1) : ""; }
};

// Parses [p, p + len) as attributes of @set, recursively; "" when well-formed, else why not.
// Well-formed is what the kernel's nla_put*() produce: every header sane and inside, each
// attribute padded to 4 and the area used exactly, known types only, the exact sizes of fixed
// types, strings NUL-terminated with no NUL inside, NLA_F_NESTED on nests and only there, no
// repeat of an attribute that is not multi-attr.
std::string parse_set(const u8 *p, u32 len, const set_spec &set, std::vector<rattr> *out, int depth = 0)
{
	std::vector<bool> seen(set.f.size(), false);
	u32 at = 0;
	if (depth > 4)
		return std::string("nested too deep in ") + set.name;
	while (at < len) {
		if (len - at < 4)
			return std::string(set.name) + ": " + std::to_string(len - at) + " bytes left over";
		u16 nla_len = get16(p + at), raw_type = get16(p + at + 2);
		if (nla_len < 4 || nla_len > len - at)
			return std::string(set.name) + ": nla_len " + std::to_string(nla_len) + " at " + std::to_string(at) +
			       " with " + std::to_string(len - at) + " bytes left";
		u16 type = raw_type & nla_type_mask;
		const field_spec *f = set.at(type);
		const u8 *d = p + at + 4;
		u32 dlen = nla_len - 4u;
		std::string where = std::string(set.name) + " attribute " + std::to_string(type);
		if (!f)
			return where + ": not in the spec";
		if (raw_type & nla_f_byteorder)
			return where + ": NLA_F_NET_BYTEORDER set";
		if (f->k == kind::nest) {
			if (!(raw_type & nla_f_nested))
				return where + ": a nest without NLA_F_NESTED";
			std::string inner = parse_set(d, dlen, *f->nest, nullptr, depth + 1);
			if (!inner.empty())
				return where + " > " + inner;
		} else if (raw_type & nla_f_nested) {
			return where + ": NLA_F_NESTED on a " + "non-nest";
		}
		if (u32 want = fixed_size(f->k); want && dlen != want)
			return where + ": " + std::to_string(dlen) + " bytes, want " + std::to_string(want);
		if (f->k == kind::flag && dlen)
			return where + ": a flag with " + std::to_string(dlen) + " bytes";
		if (f->k == kind::pad && dlen)
			return where + ": padding of " + std::to_string(dlen) + " bytes";
		if (f->k == kind::str) {
			if (!dlen || d[dlen - 1] != 0)
				return where + ": a string without its NUL";
			if (std::memchr(d, 0, dlen - 1))
				return where + ": a string with a NUL inside";
		}
		if (seen[type] && !f->multi)
			return where + ": repeated";
		seen[type] = true;
		if (out && f->k != kind::pad)
			out->push_back({ type, d, dlen });
		u32 next = at + align4(nla_len);
		if (next > len)
			return where + ": its padding runs past the end";
		at = next;
	}
	return "";
}

// ---- the machine under test --------------------------------------------------------------

struct reg_desc {
	const char *name;
	u32 offset;
	u8 width;	// bytes
	u32 access;	// enum ioview_access, as a whole
};

// The register maps of kmod/devices/edu.h and ivshmem.h.  Which register a by-offset request
// reaches decides whether the fuzzer may send it, so the map is not taken on trust from the
// module: reg-get must describe exactly this at start, or the run stops.
const std::vector<reg_desc> edu_map = {
	{ "identification", 0x00, 4, IOVIEW_ACCESS_RO }, { "liveness", 0x04, 4, IOVIEW_ACCESS_RW },
	{ "factorial", 0x08, 4, IOVIEW_ACCESS_RW },	  { "status", 0x20, 4, IOVIEW_ACCESS_RW },
	{ "irq_status", 0x24, 4, IOVIEW_ACCESS_RO },	  { "irq_raise", 0x60, 4, IOVIEW_ACCESS_WO },
	{ "irq_ack", 0x64, 4, IOVIEW_ACCESS_WO },	  { "dma_source", 0x80, 8, IOVIEW_ACCESS_RW },
	{ "dma_destination", 0x88, 8, IOVIEW_ACCESS_RW }, { "dma_count", 0x90, 8, IOVIEW_ACCESS_RW },
	{ "dma_command", 0x98, 8, IOVIEW_ACCESS_RW },
};
const std::vector<reg_desc> ivshmem_map = {
	{ "interrupt_mask", 0x00, 4, IOVIEW_ACCESS_RW },
	{ "interrupt_status", 0x04, 4, IOVIEW_ACCESS_RC },
	{ "iv_position", 0x08, 4, IOVIEW_ACCESS_RO },
	{ "doorbell", 0x0c, 4, IOVIEW_ACCESS_WO },
};
constexpr u32 edu_bar0_bytes = 0x100000;
constexpr u32 ivshmem_bar0_bytes = 0x100;
constexpr u32 edu_identification = 0x010000ed;
constexpr u32 edu_dma_window = 4095;	// edu's buffer less its last byte (kmod/devices/edu.h)
// Factorial operands the fuzzer lets edu compute (see the top).
constexpr u64 factorial_max = 0xffff;

struct device {
	std::string name;
	u32 kind = 0;	// IOVIEW_DEV_KIND_*
	u32 cfg_size = 256;
	u16 vendor = 0, dev_id = 0;
	const std::vector<reg_desc> &map() const { return kind == IOVIEW_DEV_KIND_EDU ? edu_map : ivshmem_map; }
	u32 bar0() const { return kind == IOVIEW_DEV_KIND_EDU ? edu_bar0_bytes : ivshmem_bar0_bytes; }
};

// Configuration bytes a write may reach (see the top): RO in QEMU's masks, or the interrupt line.
bool harmless_config_byte(u32 off)
{
	return off <= 0x03 || (off >= 0x08 && off <= 0x0b) || off == 0x0e || (off >= 0x2c && off <= 0x2f) ||
	       (off >= 0x3c && off <= 0x3f);
}
constexpr u32 interrupt_line = 0x3c;

// Every name the kernel has for a self-test suite (kmod/selftest/*.cpp); as root the fuzzer
// sends none of them, nor anything starting with "ioview", in case the list grew.
bool may_be_suite(std::string_view s)
{
	return s.substr(0, 6) == "ioview";
}

struct env {
	u16 family = 0;
	std::vector<device> devs;
	std::vector<u16> absent_families;	// message types no family has
	bool net_admin = false, sys_admin = false;
	// What edu's liveness register reads back now (the complement of the last value written),
	// once known: followed through the run's own successful writes.
	std::optional<u32> liveness;

	const device *named(std::string_view n) const
	{
		for (const device &d : devs)
			if (d.name == n)
				return &d;
		return nullptr;
	}
	const device *of_kind(u32 k) const
	{
		for (const device &d : devs)
			if (d.kind == k)
				return &d;
		return nullptr;
	}
};

// ---- the kernel, as a model -----------------------------------------------------------------

struct errset {
	std::bitset<160> b;
	errset &add(std::initializer_list<int> es)
	{
		for (int e : es)
			b.set(static_cast<size_t>(e));
		return *this;
	}
	bool has(int e) const { return e > 0 && e < 160 && b.test(static_cast<size_t>(e)); }
	std::string names() const
	{
		std::string s;
		for (size_t e = 1; e < b.size(); e++)
			if (b.test(e))
				s += (s.empty() ? "" : "|") + errname(static_cast<int>(e));
		return s.empty() ? "none" : s;
	}
};

// What a message would do if the kernel carried it out.
enum class effect { none, harmless, slow, forbidden };

// Everything a reply of a message is held to beyond the spec's attributes; "" when it holds.
using reply_check = std::function<std::string(const std::vector<rattr> &)>;

// The answers the kernel may give to one message it reads.
struct expect {
	u32 seq = 0;
	u16 nl_flags = 0;
	u32 nl_len = 0;
	u16 nl_type = 0;
	u8 cmd = 0;
	const op_info *op = nullptr;
	bool dump = false;	// read as a dump request
	bool silent = false;	// dropped without an answer
	bool ok_ack = false;	// done, nothing to reply
	bool ok_reply = false;	// done, one reply
	bool ok_dump = false;	// a dump: replies, then NLMSG_DONE 0
	int dump_replies = -1;	// how many replies a complete dump has
	errset errors;		// NLMSG_ERROR codes
	errset done_errors;	// NLMSG_DONE codes
	effect eff = effect::none;
	std::string why;	// the model's reason, shown with a failure
	reply_check check;
	std::function<void()> on_done;	// state the run follows, once the message succeeded
};

// One attribute of a request, as the kernel's strict validation leaves it.
struct kattr {
	const u8 *data = nullptr;
	u32 len = 0;
	u32 u32v() const { return get32(data); }
	u64 u64v() const { return get64(data); }
	u8 u8v() const { return data[0]; }
	std::string str() const { return std::string(reinterpret_cast<const char *>(data), strnlen(reinterpret_cast<const char *>(data), len)); }
};

// __nla_validate_parse() with NL_VALIDATE_STRICT over the op's policy: the first failing
// attribute's errno (EINVAL or ERANGE), else 0 and tb filled, the last of a repeated type winning.
int kernel_parse(const u8 *p, int len, const op_info &op, std::map<int, kattr> &tb, std::string &why)
{
	int rem = len;
	const u8 *a = p;
	int maxattr = op.maxattr();
	while (rem >= 4) {
		u16 nla_len = get16(a);
		if (nla_len < 4 || nla_len > rem)
			break;
		u16 raw = get16(a + 2), type = raw & nla_type_mask;
		int attrlen = nla_len - 4;
		const u8 *d = a + 4;
		if (type == 0 || type > maxattr) {
			why = "attribute type " + std::to_string(type) + " is unknown to " + op.name;
			return EINVAL;
		}
		if (!op.takes(type)) {
			why = "attribute type " + std::to_string(type) + " is NLA_UNSPEC in " + op.name + "'s policy";
			return EINVAL;
		}
		policy pol = request_policy(type);
		if (u32 want = fixed_size(pol.k); want && static_cast<u32>(attrlen) != want) {
			why = "attribute " + std::to_string(type) + " has " + std::to_string(attrlen) + " bytes";
			return EINVAL;
		}
		if (raw & nla_f_nested) {
			why = "NLA_F_NESTED on attribute " + std::to_string(type);
			return EINVAL;
		}
		if (pol.k == kind::str) {
			int minlen = std::min<int>(attrlen, static_cast<int>(pol.max_len) + 1);
			if (!minlen || !std::memchr(d, 0, static_cast<size_t>(minlen))) {
				why = "string attribute " + std::to_string(type) + " without a NUL in reach";
				return EINVAL;
			}
			int n = attrlen;
			if (d[n - 1] == 0)
				n--;
			if (static_cast<u32>(n) > pol.max_len) {
				why = "string attribute " + std::to_string(type) + " too long";
				return ERANGE;
			}
		}
		if (u32 want = fixed_size(pol.k)) {
			u64 v = want == 1 ? d[0] : want == 4 ? get32(d) : want == 8 ? get64(d) : get16(d);
			if (v < pol.min || v > pol.max) {
				why = "attribute " + std::to_string(type) + " value " + std::to_string(v) + " out of range";
				return ERANGE;
			}
		}
		tb[type] = { d, static_cast<u32>(attrlen) };
		int step = static_cast<int>(align4(nla_len));
		rem -= step;
		a += step;
	}
	if (rem > 0) {
		why = std::to_string(rem) + " bytes left over after the attributes";
		return EINVAL;
	}
	return 0;
}

std::string check_name(const std::vector<rattr> &r, const std::string &name)
{
	for (const rattr &a : r)
		if (a.type == IOVIEW_A_DEV_NAME)
			return a.as_str() == name ? "" : "dev-name \"" + a.as_str() + "\", want \"" + name + "\"";
	return "no dev-name";
}

const rattr *find_attr(const std::vector<rattr> &r, u16 type)
{
	for (const rattr &a : r)
		if (a.type == type)
			return &a;
	return nullptr;
}

// A dev-get or stats-get reply's facts about device @d.
std::string check_dev_reply(const std::vector<rattr> &r, const device &d, bool stats)
{
	std::string e = check_name(r, d.name);
	if (!e.empty())
		return e;
	const rattr *k = find_attr(r, IOVIEW_A_DEV_KIND);
	if (!k || k->as_u32() != d.kind)
		return "dev-kind wrong or missing";
	if (stats) {
		const rattr *s = find_attr(r, IOVIEW_A_STATS);
		if (!s)
			return "no stats";
		std::vector<rattr> inner;
		parse_set(s->data, s->len, sets().stats, &inner);
		u16 lo = d.kind == IOVIEW_DEV_KIND_EDU ? IOVIEW_A_STATS_INTERRUPTS : IOVIEW_A_STATS_MBOX_SENT;
		u16 hi = d.kind == IOVIEW_DEV_KIND_EDU ? IOVIEW_A_STATS_TIMEOUTS : IOVIEW_A_STATS_MBOX_ERRORS;
		if (inner.size() != static_cast<size_t>(hi - lo + 1))
			return "stats has " + std::to_string(inner.size()) + " counters, want " + std::to_string(hi - lo + 1);
		for (const rattr &c : inner)
			if (c.type < lo || c.type > hi)
				return "stats counter " + std::to_string(c.type) + " is not its kind's";
		return "";
	}
	const rattr *v = find_attr(r, IOVIEW_A_VENDOR), *dv = find_attr(r, IOVIEW_A_DEVICE);
	if (!v || !dv || v->as_u32() != d.vendor || dv->as_u32() != d.dev_id)
		return "vendor:device wrong or missing";
	for (const rattr &a : r)
		if (a.type == IOVIEW_A_BAR) {
			std::vector<rattr> bar;
			parse_set(a.data, a.len, sets().bar, &bar);
			const rattr *i = find_attr(bar, IOVIEW_A_BAR_INDEX), *s = find_attr(bar, IOVIEW_A_BAR_SIZE);
			if (!i || !s || i->as_u32() > 5 || !s->as_u64())
				return "a bar without index 0-5 or size";
		}
	return "";
}

u32 factorial_mod32(u64 n)
{
	u32 r = 1;
	for (u64 i = 2; i <= n; i++)
		r *= static_cast<u32>(i);
	return r;
}

// The handler's answer to a do request the core let through (kmod/shim/netlink.c, then
// kmod/driver/control.cpp), with what it would do.  @e has errors, ok_* and eff to fill.
void model_handler(const op_info &op, std::map<int, kattr> &tb, env &en, expect &e)
{
	auto has = [&](int t) { return tb.count(t) > 0; };
	auto fail = [&](std::initializer_list<int> errs, std::string why) {
		e.errors.add(errs);
		e.why = std::move(why);
	};
	std::string name = has(IOVIEW_A_DEV_NAME) ? tb[IOVIEW_A_DEV_NAME].str() : "";
	const device *dev = has(IOVIEW_A_DEV_NAME) ? en.named(name) : nullptr;
	const bool is_edu = dev && dev->kind == IOVIEW_DEV_KIND_EDU;
	const bool is_ivshmem = dev && dev->kind == IOVIEW_DEV_KIND_IVSHMEM;

	switch (op.cmd) {
	case IOVIEW_CMD_DEV_GET:
	case IOVIEW_CMD_STATS_GET: {
		if (!has(IOVIEW_A_DEV_NAME))
			return fail({ EINVAL }, "dev-name missing");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		e.ok_reply = true;
		e.why = "answered";
		device d = *dev;
		bool stats = op.cmd == IOVIEW_CMD_STATS_GET;
		e.check = [d, stats](const std::vector<rattr> &r) { return check_dev_reply(r, d, stats); };
		return;
	}
	case IOVIEW_CMD_CONFIG_READ: {
		if (!has(IOVIEW_A_DEV_NAME))
			return fail({ EINVAL }, "dev-name missing");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		u32 off = has(IOVIEW_A_OFFSET) ? tb[IOVIEW_A_OFFSET].u32v() : 0;
		u32 len = has(IOVIEW_A_LENGTH) ? tb[IOVIEW_A_LENGTH].u32v() : 0;
		u32 size = dev->cfg_size;
		if (off >= size)
			return fail({ ERANGE }, "offset past the configuration space");
		u32 n = len ? len : size - off;
		if (n > size - off)
			return fail({ ERANGE }, "offset + length past the configuration space");
		if (!en.sys_admin) {
			if (off >= IOVIEW_CONFIG_UNPRIVILEGED_BYTES)
				return fail({ EPERM }, "past 64 bytes without CAP_SYS_ADMIN");
			n = std::min(n, IOVIEW_CONFIG_UNPRIVILEGED_BYTES - off);
		}
		e.ok_reply = true;
		e.why = "answered";
		device d = *dev;
		e.check = [d, off, n](const std::vector<rattr> &r) -> std::string {
			std::string err = check_name(r, d.name);
			if (!err.empty())
				return err;
			const rattr *o = find_attr(r, IOVIEW_A_OFFSET), *data = find_attr(r, IOVIEW_A_DATA);
			if (!o || o->as_u32() != off)
				return "offset wrong or missing";
			if (!data || data->len != n)
				return "data of " + std::to_string(data ? data->len : 0) + " bytes, want " + std::to_string(n);
			if (off == 0 && n >= 4 && (get16(data->data) != d.vendor || get16(data->data + 2) != d.dev_id))
				return "the ids read are not the device's";
			return "";
		};
		return;
	}
	case IOVIEW_CMD_CONFIG_WRITE: {
		if (!en.sys_admin)
			return fail({ EPERM }, "config-write without CAP_SYS_ADMIN");
		for (int t : { IOVIEW_A_DEV_NAME, IOVIEW_A_OFFSET, IOVIEW_A_WIDTH, IOVIEW_A_VALUE })
			if (!has(t))
				return fail({ EINVAL }, "a required attribute missing");
		u32 w = tb[IOVIEW_A_WIDTH].u8v();
		u64 v = tb[IOVIEW_A_VALUE].u64v();
		u32 off = tb[IOVIEW_A_OFFSET].u32v();
		if (w != 1 && w != 2 && w != 4)
			return fail({ EINVAL }, "width not 1, 2 or 4");
		if (v >> (8 * w))
			return fail({ ERANGE }, "value too wide");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		if (static_cast<u64>(off) + w > dev->cfg_size)
			return fail({ ERANGE }, "offset past the configuration space");
		if (off % w)
			return fail({ EINVAL }, "misaligned");
		e.ok_ack = true;
		e.why = "written";
		e.eff = effect::harmless;
		for (u32 b = off; b < off + w; b++)
			if (!harmless_config_byte(b))
				e.eff = effect::forbidden;
		return;
	}
	case IOVIEW_CMD_REG_GET: {
		if (!has(IOVIEW_A_DEV_NAME))
			return fail({ EINVAL }, "dev-name missing");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		std::optional<std::string> only;
		if (has(IOVIEW_A_REGISTER))
			only = tb[IOVIEW_A_REGISTER].str();
		const std::vector<reg_desc> &map = dev->map();
		if (only && std::none_of(map.begin(), map.end(), [&](const reg_desc &r) { return *only == r.name; }))
			return fail({ ENOENT }, "no register of that name");
		e.ok_reply = true;
		e.why = "described";
		device d = *dev;
		e.check = [d, only](const std::vector<rattr> &r) -> std::string {
			std::string err = check_name(r, d.name);
			if (!err.empty())
				return err;
			size_t k = 0;
			for (const rattr &a : r) {
				if (a.type != IOVIEW_A_REG)
					continue;
				std::vector<rattr> reg;
				parse_set(a.data, a.len, sets().reg, &reg);
				const reg_desc *want = nullptr;
				if (only) {
					for (const reg_desc &m : d.map())
						if (*only == m.name)
							want = &m;
				} else if (k < d.map().size()) {
					want = &d.map()[k];
				}
				k++;
				const rattr *n = find_attr(reg, IOVIEW_A_REG_NAME), *o = find_attr(reg, IOVIEW_A_REG_OFFSET),
					    *w = find_attr(reg, IOVIEW_A_REG_WIDTH), *ac = find_attr(reg, IOVIEW_A_REG_ACCESS);
				if (!want || !n || !o || !w || !ac || n->as_str() != want->name || o->as_u32() != want->offset ||
				    w->as_u32() != want->width || ac->as_u32() != want->access)
					return "register " + std::to_string(k) + " is not the map's";
			}
			size_t count = only ? 1 : d.map().size();
			return k == count ? "" : std::to_string(k) + " registers, want " + std::to_string(count);
		};
		return;
	}
	case IOVIEW_CMD_REG_READ:
	case IOVIEW_CMD_REG_WRITE: {
		const bool writing = op.cmd == IOVIEW_CMD_REG_WRITE;
		if (writing && !en.sys_admin)
			return fail({ EPERM }, "reg-write without CAP_SYS_ADMIN");
		if (!has(IOVIEW_A_DEV_NAME))
			return fail({ EINVAL }, "dev-name missing");
		if (writing && !has(IOVIEW_A_VALUE))
			return fail({ EINVAL }, "value missing");
		if (has(IOVIEW_A_REGISTER) == has(IOVIEW_A_OFFSET))
			return fail({ EINVAL }, "register and offset, both or neither");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		const std::vector<reg_desc> &map = dev->map();
		u32 req_width = has(IOVIEW_A_WIDTH) ? tb[IOVIEW_A_WIDTH].u8v() : 0;
		u64 value = writing ? tb[IOVIEW_A_VALUE].u64v() : 0;
		const reg_desc *reg = nullptr;
		if (has(IOVIEW_A_REGISTER)) {
			std::string rn = tb[IOVIEW_A_REGISTER].str();
			for (const reg_desc &r : map)
				if (rn == r.name)
					reg = &r;
			// value_fits(): the named register's width, 8 for an unknown name.
			u32 fit = reg ? reg->width : 8;
			if (writing && fit < 8 && (value >> (8 * fit)))
				return fail({ ERANGE }, "value too wide");
			if (!reg)
				return fail({ ENOENT }, "no register of that name");
			if (req_width && req_width != reg->width)
				return fail({ EINVAL }, "width is not the register's");
		} else {
			u32 off = tb[IOVIEW_A_OFFSET].u32v();
			u32 w = req_width ? req_width : 4;
			if (writing && w < 8 && (value >> (8 * w)))
				return fail({ ERANGE }, "value too wide");
			if (w != 1 && w != 2 && w != 4 && w != 8)
				return fail({ EINVAL }, "width not an access width");
			if (static_cast<u64>(off) + w > dev->bar0())
				return fail({ ERANGE }, "offset past the BAR");
			if (off % w)
				return fail({ EINVAL }, "misaligned");
			for (const reg_desc &r : map)
				if (r.offset == off)
					reg = &r;
			if (!reg)
				return fail({ ENOENT }, "no register at that offset");
			if (reg->width != w)
				return fail({ EINVAL }, "width is not the register's");
		}
		if (!writing && reg->access == IOVIEW_ACCESS_WO)
			return fail({ EOPNOTSUPP }, "write-only register");
		if (writing && reg->access == IOVIEW_ACCESS_RO)
			return fail({ EOPNOTSUPP }, "read-only register");
		if (!writing && reg->access == IOVIEW_ACCESS_RC && !en.net_admin)
			return fail({ EPERM }, "read-to-clear without CAP_NET_ADMIN");
		std::string rname = reg->name;
		if (writing) {
			e.ok_ack = true;
			e.why = "written";
			bool edu = dev->kind == IOVIEW_DEV_KIND_EDU;
			if (!edu || rname == "liveness" || rname == "irq_raise" || rname == "irq_ack")
				e.eff = effect::harmless;
			else if (rname == "factorial" && value <= factorial_max)
				e.eff = effect::harmless;
			else
				e.eff = effect::forbidden;
			if (edu && rname == "liveness")
				e.on_done = [&en, value] { en.liveness = ~static_cast<u32>(value); };
			return;
		}
		e.ok_reply = true;
		e.why = "read";
		reg_desc rd = *reg;
		std::string dname = dev->name;
		bool edu = dev->kind == IOVIEW_DEV_KIND_EDU;
		e.check = [rd, rname, dname, edu, &en](const std::vector<rattr> &r) -> std::string {
			std::string err = check_name(r, dname);
			if (!err.empty())
				return err;
			const rattr *n = find_attr(r, IOVIEW_A_REGISTER), *o = find_attr(r, IOVIEW_A_OFFSET),
				    *w = find_attr(r, IOVIEW_A_WIDTH), *v = find_attr(r, IOVIEW_A_VALUE);
			if (!n || !o || !w || !v || n->as_str() != rname || o->as_u32() != rd.offset || w->as_u32() != rd.width)
				return "register, offset or width wrong or missing";
			u64 val = v->as_u64();
			if (rd.width < 8 && (val >> (8 * rd.width)))
				return "value wider than the register";
			if (edu && rname == "identification" && val != edu_identification)
				return "identification reads " + std::to_string(val);
			if (edu && rname == "liveness" && en.liveness && val != *en.liveness)
				return "liveness reads " + std::to_string(val) + ", want " + std::to_string(*en.liveness) +
				       " (the complement of the last value written)";
			return "";
		};
		return;
	}
	case IOVIEW_CMD_EDU_FACTORIAL: {
		if (!has(IOVIEW_A_DEV_NAME) || !has(IOVIEW_A_VALUE))
			return fail({ EINVAL }, "a required attribute missing");
		u64 n = tb[IOVIEW_A_VALUE].u64v();
		if (n > 0xffffffffull)
			return fail({ ERANGE }, "operand over 32 bits");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		if (!is_edu)
			return fail({ EOPNOTSUPP }, "not edu");
		// A factorial started through reg-write may still run: then the unit is busy.
		e.errors.add({ EBUSY });
		e.ok_reply = true;
		e.why = "computed";
		e.eff = n <= factorial_max ? effect::harmless : effect::forbidden;
		std::string dname = dev->name;
		u32 want = factorial_mod32(n <= factorial_max ? n : 0);
		e.check = [dname, want](const std::vector<rattr> &r) -> std::string {
			std::string err = check_name(r, dname);
			if (!err.empty())
				return err;
			const rattr *v = find_attr(r, IOVIEW_A_VALUE);
			if (!v || v->as_u64() != want)
				return "result " + std::to_string(v ? v->as_u64() : 0) + ", want " + std::to_string(want);
			return "";
		};
		return;
	}
	case IOVIEW_CMD_EDU_DMA: {
		if (!has(IOVIEW_A_DEV_NAME) || !has(IOVIEW_A_DMA_OP))
			return fail({ EINVAL }, "a required attribute missing");
		u32 dop = tb[IOVIEW_A_DMA_OP].u32v();
		u32 off = has(IOVIEW_A_OFFSET) ? tb[IOVIEW_A_OFFSET].u32v() : 0;
		u32 len;
		bytes sent;
		if (dop == IOVIEW_DMA_OP_READ) {
			if (has(IOVIEW_A_DATA))
				return fail({ EINVAL }, "a read with data");
			if (!has(IOVIEW_A_LENGTH))
				return fail({ EINVAL }, "a read without length");
			len = tb[IOVIEW_A_LENGTH].u32v();
		} else {
			if (has(IOVIEW_A_LENGTH))
				return fail({ EINVAL }, "a write with length");
			if (!has(IOVIEW_A_DATA))
				return fail({ EINVAL }, "a write without data");
			len = tb[IOVIEW_A_DATA].len;
			sent.assign(tb[IOVIEW_A_DATA].data, tb[IOVIEW_A_DATA].data + len);
		}
		if (len > IOVIEW_DMA_MAX_BYTES)
			return fail({ EINVAL }, "over 4096 bytes");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		if (!is_edu)
			return fail({ EOPNOTSUPP }, "not edu");
		if (len == 0 || len > IOVIEW_DMA_MAX_BYTES)
			return fail({ EINVAL }, "length 0");
		if (off >= IOVIEW_DMA_MAX_BYTES || len > edu_dma_window || off > edu_dma_window - len)
			return fail({ ERANGE }, "outside edu's window");
		e.ok_reply = true;
		e.why = "transferred";
		e.eff = effect::slow;
		std::string dname = dev->name;
		e.check = [dname, dop, off, len, sent](const std::vector<rattr> &r) -> std::string {
			std::string err = check_name(r, dname);
			if (!err.empty())
				return err;
			const rattr *o = find_attr(r, IOVIEW_A_OFFSET), *data = find_attr(r, IOVIEW_A_DATA);
			if (!o || o->as_u32() != off)
				return "offset wrong or missing";
			if (dop == IOVIEW_DMA_OP_WRITE)
				return data ? "a write's reply with data" : "";
			if (!data || data->len != len)
				return "data wrong size or missing";
			if (dop == IOVIEW_DMA_OP_ROUND_TRIP && !std::equal(sent.begin(), sent.end(), data->data))
				return "a round trip brought back other bytes";
			return "";
		};
		return;
	}
	case IOVIEW_CMD_EDU_IRQ_RAISE: {
		if (!has(IOVIEW_A_DEV_NAME) || !has(IOVIEW_A_VALUE))
			return fail({ EINVAL }, "a required attribute missing");
		u64 bits = tb[IOVIEW_A_VALUE].u64v();
		if (bits > 0xffffffffull)
			return fail({ ERANGE }, "over 32 bits");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		if (!is_edu)
			return fail({ EOPNOTSUPP }, "not edu");
		if (!bits)
			return fail({ EINVAL }, "no bits");
		e.ok_ack = true;
		e.why = "raised";
		e.eff = effect::harmless;
		return;
	}
	case IOVIEW_CMD_MBOX_SEND:
	case IOVIEW_CMD_MBOX_RECV: {
		const bool send = op.cmd == IOVIEW_CMD_MBOX_SEND;
		if (!has(IOVIEW_A_DEV_NAME) || (send && !has(IOVIEW_A_DATA)))
			return fail({ EINVAL }, "a required attribute missing");
		if (send && tb[IOVIEW_A_DATA].len > IOVIEW_MBOX_MAX_BYTES)
			return fail({ EMSGSIZE }, "over 248 bytes");
		if (!dev)
			return fail({ ENODEV }, "no such device");
		if (!is_ivshmem)
			return fail({ EOPNOTSUPP }, "not ivshmem");
		// Past here the mailbox opens (see the top): never sent with the rights to get here.
		e.eff = effect::forbidden;
		e.ok_ack = send;
		e.ok_reply = !send;
		e.errors.add({ ENOTCONN, EAGAIN, ETIMEDOUT, ECONNRESET, EPROTO, EBADMSG, EBUSY });
		e.why = "the mailbox opened";
		return;
	}
	case IOVIEW_CMD_SELFTEST_RUN: {
		if (has(IOVIEW_A_SUITE) && !may_be_suite(tb[IOVIEW_A_SUITE].str()))
			return fail({ ENOENT }, "no such suite");
		e.eff = effect::forbidden;
		e.ok_reply = true;
		e.errors.add({ ENOENT });
		e.why = "a self-test run";
		return;
	}
	}
}

// The kernel's answer to the message at @m (its nlmsg_len bytes, known to be inside the datagram).
expect model_message(const u8 *m, env &en)
{
	expect e;
	e.nl_len = get32(m);
	e.nl_type = get16(m + 4);
	e.nl_flags = get16(m + 6);
	e.seq = get32(m + 8);
	const u16 flags = e.nl_flags;
	// netlink_rcv_skb(): a message that is not a request, or of a control type, is
	// acknowledged (if asked) without going anywhere.
	if (!(flags & NLM_F_REQUEST) || e.nl_type < NLMSG_MIN_TYPE) {
		e.ok_ack = true;
		e.why = "not a request for a family";
		return e;
	}
	if (e.nl_type != en.family) {
		e.errors.add({ ENOENT });
		e.why = "no family of that id";
		return e;
	}
	// genl_family_rcv_msg()
	if (e.nl_len < nl_hdr + genl_hdr) {
		e.errors.add({ EINVAL });
		e.why = "shorter than a genetlink header";
		return e;
	}
	e.cmd = m[16];
	u16 reserved = get16(m + 18);
	if (reserved) {
		e.errors.add({ EINVAL });
		e.why = "reserved byte set";
		return e;
	}
	u16 f = flags;
	if ((f & NLM_F_DUMP) == NLM_F_DUMP)
		f &= ~NLM_F_DUMP;
	if (f & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		e.errors.add({ EINVAL });
		e.why = "ambiguous or reserved nlmsg_flags";
		return e;
	}
	const bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	const op_info *op = op_of(e.cmd);
	e.op = op;
	if (!op) {
		e.errors.add({ EOPNOTSUPP });
		e.why = "unknown command";
		return e;
	}
	if (dump && !op->dumps) {
		// 6.12 looks the command up with its dump flag first (EOPNOTSUPP); 6.1 checks the
		// permission first and the missing dumpit after (EPERM for an unprivileged caller).
		e.errors.add({ EOPNOTSUPP });
		if (op->admin && !en.net_admin)
			e.errors.add({ EPERM });
		e.why = "a dump of a do-only operation";
		return e;
	}
	if (op->admin && !en.net_admin) {
		e.errors.add({ EPERM });
		e.why = "GENL_ADMIN_PERM without CAP_NET_ADMIN";
		return e;
	}
	std::map<int, kattr> tb;
	std::string why;
	int err = kernel_parse(m + nl_hdr + genl_hdr, static_cast<int>(e.nl_len - nl_hdr - genl_hdr), *op, tb, why);
	if (err) {
		// The model's order of checks is the kernel's, but either code is a refusal by policy.
		e.errors.add({ EINVAL, ERANGE });
		e.why = "policy: " + why;
		return e;
	}
	if (dump) {
		e.dump = true;
		if (tb.count(IOVIEW_A_DEV_NAME)) {
			e.done_errors.add({ EINVAL });
			e.why = "a dump naming a device";
			return e;
		}
		e.ok_dump = true;
		e.dump_replies = static_cast<int>(en.devs.size());
		e.why = "a dump";
		bool stats = op->cmd == IOVIEW_CMD_STATS_GET;
		std::vector<device> devs = en.devs;
		auto seen = std::make_shared<std::vector<std::string>>();
		e.check = [devs, stats, seen](const std::vector<rattr> &r) -> std::string {
			const rattr *n = find_attr(r, IOVIEW_A_DEV_NAME);
			if (!n)
				return "a dump reply without dev-name";
			std::string name = n->as_str();
			if (std::find(seen->begin(), seen->end(), name) != seen->end())
				return "device " + name + " twice in one dump";
			seen->push_back(name);
			for (const device &d : devs)
				if (d.name == name)
					return check_dev_reply(r, d, stats);
			return "a dump reply for an unknown device " + name;
		};
		return e;
	}
	model_handler(*op, tb, en, e);
	return e;
}

// ---- messages ------------------------------------------------------------------------------

struct gattr {
	u16 type;
	bytes data;
	std::optional<u16> nla_len;	// what the header says, when mutated
};

struct gmsg {
	u16 nl_type = 0;
	u16 nl_flags = NLM_F_REQUEST | NLM_F_ACK;
	u32 seq = 0, pid = 0;
	u8 cmd = 0, version = IOVIEW_GENL_VERSION;
	u16 reserved = 0;
	std::vector<gattr> attrs;
	bytes tail;			// raw bytes after the attributes
	std::optional<u32> nl_len;	// what nlmsg_len says, when mutated
	std::optional<size_t> cut;	// the message ends here (truncated)
};

bytes serialize(const gmsg &g)
{
	bytes b(nl_hdr + genl_hdr, 0);
	b[16] = g.cmd;
	b[17] = g.version;
	std::memcpy(&b[18], &g.reserved, 2);
	for (const gattr &a : g.attrs) {
		u16 len = a.nla_len ? *a.nla_len : static_cast<u16>(std::min<size_t>(4 + a.data.size(), 0xffff));
		bytes h = le<u16>(len);
		b.insert(b.end(), h.begin(), h.end());
		bytes t = le<u16>(a.type);
		b.insert(b.end(), t.begin(), t.end());
		b.insert(b.end(), a.data.begin(), a.data.end());
		b.resize(align4(static_cast<u32>(b.size())), 0);
	}
	b.insert(b.end(), g.tail.begin(), g.tail.end());
	if (g.cut && *g.cut < b.size())
		b.resize(*g.cut);
	u32 len = g.nl_len ? *g.nl_len : static_cast<u32>(b.size());
	if (b.size() >= 4)
		std::memcpy(&b[0], &len, 4);
	if (b.size() >= 8) {
		std::memcpy(&b[4], &g.nl_type, 2);
		std::memcpy(&b[6], &g.nl_flags, 2);
	}
	if (b.size() >= 16) {
		std::memcpy(&b[8], &g.seq, 4);
		std::memcpy(&b[12], &g.pid, 4);
	}
	return b;
}

// One datagram, the messages in it, and what the model says of each.
struct datagram {
	bytes data;
	std::vector<u32> seqs;		// the messages generated into it
	std::vector<expect> expects;	// the messages the kernel reads, in order
	std::string kind;
	bool needs_ping = false;	// some message may end without an answer
	effect eff = effect::none;
	// The answers could not be told apart: the kernel would read a message that is not one
	// of ours (the rest of a datagram after a short nlmsg_len), two with one seq, or a dump
	// beside other messages (its NLMSG_DONE may come after a later message's answer).
	bool unfit = false;
};

// Runs the model over a whole datagram, as netlink_rcv_skb() walks it.
void model_datagram(datagram &dg, env &en, const std::vector<size_t> &starts)
{
	const bytes &b = dg.data;
	size_t at = 0;
	dg.expects.clear();
	dg.eff = effect::none;
	dg.unfit = false;
	while (b.size() - at >= nl_hdr) {
		u32 len = get32(&b[at]);
		if (len < nl_hdr || len > b.size() - at)
			break;	// the rest is dropped silently
		if (std::find(starts.begin(), starts.end(), at) == starts.end())
			dg.unfit = true;
		expect e = model_message(&b[at], en);
		dg.eff = std::max(dg.eff, e.eff);
		dg.expects.push_back(std::move(e));
		size_t step = align4(len);
		at += std::min(step, b.size() - at);
	}
	// Every generated message the kernel does not read must stay unanswered.
	for (u32 s : dg.seqs)
		if (std::none_of(dg.expects.begin(), dg.expects.end(), [&](const expect &e) { return e.seq == s; })) {
			expect e;
			e.seq = s;
			e.silent = true;
			e.why = "dropped by the netlink core";
			dg.expects.push_back(std::move(e));
		}
	dg.needs_ping = false;
	for (const expect &e : dg.expects) {
		bool final_less = e.silent || (!(e.nl_flags & NLM_F_ACK) && !e.dump && (e.ok_ack || e.ok_reply));
		dg.needs_ping = dg.needs_ping || final_less;
	}
	// The seqs the kernel reads must be ours and distinct: answers are matched by seq.
	std::vector<u32> read;
	for (const expect &e : dg.expects) {
		if (std::find(read.begin(), read.end(), e.seq) != read.end() || (e.seq & ping_seq_bit))
			dg.unfit = true;
		if (e.dump && (dg.expects.size() > 1 || dg.needs_ping))
			dg.unfit = true;
		read.push_back(e.seq);
	}
}

// ---- the generator -----------------------------------------------------------------------

struct generator {
	env &en;
	u64 seed;
	u64 slow_one_in;

	const std::vector<u64> u64_values = { 0,
					      1,
					      2,
					      0x7f,
					      0xff,
					      0x100,
					      0xffff,
					      0x10000,
					      0x7fffffff,
					      0x80000000,
					      0xffffffff,
					      0x100000000ull,
					      0x1ffffffffull,
					      0x7fffffffffffffffull,
					      0x8000000000000000ull,
					      0xffffffffffffffffull };
	const std::vector<u32> u32_values = { 0,     1,	    2,	   3,	  4,	  7,	  8,	  0x20,	      0x24,
					      0x3c,  0x3f,  63,	   64,	  65,	  0x60,	  0x80,	  0x98,	      0xfc,
					      0xff,  0x100, 0x101, 0xffc, 0xfff,  0x1000, 0x1001, 60000,      60001,
					      0xffffc, 0xfffff, 0x100000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	const std::vector<u8> u8_values = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 32, 64, 0x7f, 0x80, 0xff };
	const std::vector<u32> data_lengths = { 0, 1, 2, 3, 4, 5, 8, 16, 64, 247, 248, 249, 255, 256,
						1024, 4094, 4095, 4096, 4097, 8192 };

	rng r{ 0 };

	std::string random_name(size_t n)
	{
		std::string s;
		for (size_t i = 0; i < n; i++)
			s += static_cast<char>('a' + r.below(26));
		return s;
	}

	const device *some_device()
	{
		return en.devs.empty() ? nullptr : &en.devs[r.below(en.devs.size())];
	}

	// A device name: a bound one mostly, else one of many wrong ones.
	bytes dev_name()
	{
		const device *d = some_device();
		std::string n = d ? d->name : "0000:00:04.0";
		switch (r.below(24)) {
		case 0:
			return str_bytes(n.substr(5));	// "00:04.0": a short form only the tool expands
		case 1:
			return str_bytes(n.substr(8));
		case 2: {
			std::string m = n;
			m.back() = m.back() == '7' ? '0' : static_cast<char>(m.back() + 1);
			return str_bytes(m);
		}
		case 3:
			return str_bytes("0000:00:00.0");	// the host bridge: present, not bound
		case 4:
			return str_bytes("");
		case 5:
			return str_bytes(n + "\n");
		case 6:
			return str_bytes(n, false);	// no NUL
		case 7: {
			bytes b = str_bytes(n);	// NUL then junk: the kernel sees the name
			bytes junk = str_bytes("junk", false);
			b.insert(b.end(), junk.begin(), junk.end());
			return b;
		}
		case 8:
			return str_bytes(random_name(31));
		case 9:
			return str_bytes(random_name(32));	// the policy's longest
		case 10:
			return str_bytes(random_name(33));
		case 11:
			return str_bytes(random_name(64 + r.below(200)));
		case 12:
			return str_bytes("%s%s%s%n%x");
		case 13: {
			bytes b(1 + r.below(40));
			for (u8 &c : b)
				c = static_cast<u8>(r.next());
			return b;
		}
		case 14:
			return str_bytes("0000:00:1F.7");
		}
		return str_bytes(n);
	}

	bytes reg_name(const device *d)
	{
		const std::vector<reg_desc> &own = d && d->kind == IOVIEW_DEV_KIND_IVSHMEM ? ivshmem_map : edu_map;
		const std::vector<reg_desc> &other = &own == &edu_map ? ivshmem_map : edu_map;
		switch (r.below(14)) {
		case 0:
			return str_bytes(other[r.below(other.size())].name);
		case 1:
			return str_bytes("LIVENESS");
		case 2:
			return str_bytes("live");
		case 3:
			return str_bytes("");
		case 4:
			return str_bytes(random_name(31 + r.below(4)));
		case 5:
			return str_bytes("liveness", false);
		case 6:
			return str_bytes("%n%n%s");
		}
		return str_bytes(own[r.below(own.size())].name);
	}

	bytes suite_name()
	{
		static const std::vector<std::string> names = { "ioview_config",	    "ioview_selftest_harness",
								"ioview_control",	    "ioview_edu_bar0",
								"ioview_mailbox",	    "ioview_lifetime",
								"no_such_suite",	    "",
								"IOVIEW_CONFIG",	    "%s%n",
								"ioview",		    "ioview_config " };
		switch (r.below(6)) {
		case 0:
			return str_bytes(random_name(63 + r.below(4)));
		case 1:
			return str_bytes("no_such_suite", false);
		}
		return str_bytes(r.pick(names));
	}

	bytes random_bytes(size_t n)
	{
		bytes b(n);
		for (u8 &c : b)
			c = static_cast<u8>(r.next());
		return b;
	}

	gmsg base(const op_info &op, u32 seq)
	{
		gmsg g;
		g.nl_type = en.family;
		g.seq = seq;
		g.cmd = op.cmd;
		return g;
	}

	void add(gmsg &g, int type, bytes b) { g.attrs.push_back({ static_cast<u16>(type), std::move(b), {} }); }

	// A request of @op as a correct caller writes it; harmless where the op changes the device.
	gmsg valid(const op_info &op, u32 seq, bool slow)
	{
		gmsg g = base(op, seq);
		const device *d = some_device();
		const device *edu = en.of_kind(IOVIEW_DEV_KIND_EDU);
		const device *shm = en.of_kind(IOVIEW_DEV_KIND_IVSHMEM);
		auto name = [&](const device *x) { add(g, IOVIEW_A_DEV_NAME, str_bytes(x ? x->name : "0000:00:04.0")); };
		switch (op.cmd) {
		case IOVIEW_CMD_DEV_GET:
		case IOVIEW_CMD_STATS_GET:
			name(d);
			break;
		case IOVIEW_CMD_CONFIG_READ: {
			name(d);
			u32 size = d ? d->cfg_size : 256;
			u32 off = r.one_in(3) ? 0 : r.below(size);
			if (!r.one_in(3))
				add(g, IOVIEW_A_OFFSET, le<u32>(off));
			else
				off = 0;
			if (!r.one_in(3))
				add(g, IOVIEW_A_LENGTH, le<u32>(1 + r.below(size - off)));
			break;
		}
		case IOVIEW_CMD_CONFIG_WRITE: {
			static const std::vector<std::pair<u32, u8>> places = { { 0x3c, 1 }, { 0x3c, 1 }, { 0x3c, 4 },
										{ 0x00, 1 }, { 0x00, 2 }, { 0x00, 4 },
										{ 0x08, 4 }, { 0x0e, 1 }, { 0x2c, 2 },
										{ 0x2c, 4 }, { 0x3e, 2 } };
			auto [off, w] = r.pick(places);
			name(d);
			add(g, IOVIEW_A_OFFSET, le<u32>(off));
			add(g, IOVIEW_A_WIDTH, le<u8>(w));
			add(g, IOVIEW_A_VALUE, le<u64>(r.next() & ((u64(1) << (8 * w)) - 1)));
			break;
		}
		case IOVIEW_CMD_REG_GET:
			name(d);
			if (r.one_in(2))
				add(g, IOVIEW_A_REGISTER, str_bytes(d ? d->map()[r.below(d->map().size())].name : "liveness"));
			break;
		case IOVIEW_CMD_REG_READ: {
			name(d);
			const std::vector<reg_desc> &map = d ? d->map() : edu_map;
			const reg_desc &reg = map[r.below(map.size())];
			if (r.one_in(2)) {
				add(g, IOVIEW_A_REGISTER, str_bytes(reg.name));
			} else {
				add(g, IOVIEW_A_OFFSET, le<u32>(reg.offset));
				if (reg.width != 4 || r.one_in(2))
					add(g, IOVIEW_A_WIDTH, le<u8>(reg.width));
			}
			break;
		}
		case IOVIEW_CMD_REG_WRITE: {
			const device *t = r.one_in(3) && shm ? shm : edu;
			name(t);
			static const std::vector<std::string> edu_ok = { "liveness", "liveness", "irq_ack", "irq_raise",
									  "factorial" };
			static const std::vector<std::string> shm_ok = { "interrupt_mask", "interrupt_status", "doorbell" };
			bool is_shm = t && t->kind == IOVIEW_DEV_KIND_IVSHMEM;
			std::string rn = is_shm ? r.pick(shm_ok) : r.pick(edu_ok);
			u64 v = rn == "factorial" ? r.below(factorial_max + 1) : static_cast<u32>(r.next());
			if (r.one_in(2)) {
				add(g, IOVIEW_A_REGISTER, str_bytes(rn));
			} else {
				for (const reg_desc &m : is_shm ? ivshmem_map : edu_map)
					if (rn == m.name)
						add(g, IOVIEW_A_OFFSET, le<u32>(m.offset));
				if (r.one_in(2))
					add(g, IOVIEW_A_WIDTH, le<u8>(4));
			}
			add(g, IOVIEW_A_VALUE, le<u64>(v));
			break;
		}
		case IOVIEW_CMD_EDU_FACTORIAL:
			name(edu);
			add(g, IOVIEW_A_VALUE, le<u64>(r.one_in(4) ? r.below(factorial_max + 1) : r.below(21)));
			// Mostly by interrupt: a polled wait sleeps in msleep(1) steps, a few ms each.
			if (!r.one_in(8))
				add(g, IOVIEW_A_COMPLETION, le<u32>(r.one_in(8) ? IOVIEW_COMPLETION_POLL : IOVIEW_COMPLETION_INTERRUPT));
			break;
		case IOVIEW_CMD_EDU_DMA: {
			name(edu);
			u32 dop = r.below(3);
			add(g, IOVIEW_A_DMA_OP, le<u32>(dop));
			// Only a slow message is a transfer edu runs; the others are refused by its window.
			u32 len = r.one_in(4) ? 1 + r.below(edu_dma_window) : 1 + r.below(64);
			u32 off = slow ? r.below(edu_dma_window - len + 1) : edu_dma_window - len + 1 + r.below(16);
			if (slow || !r.one_in(3))
				add(g, IOVIEW_A_OFFSET, le<u32>(off));
			if (dop == IOVIEW_DMA_OP_READ)
				add(g, IOVIEW_A_LENGTH, le<u32>(len));
			else
				add(g, IOVIEW_A_DATA, random_bytes(len));
			break;
		}
		case IOVIEW_CMD_EDU_IRQ_RAISE:
			name(edu);
			add(g, IOVIEW_A_VALUE, le<u64>(r.one_in(4) ? static_cast<u32>(r.next()) | 1 : u64(1) << r.below(32)));
			break;
		case IOVIEW_CMD_MBOX_SEND:
			// The sentinel keeps these off ivshmem itself for a caller who may send them.
			name(r.one_in(2) ? shm : edu);
			add(g, IOVIEW_A_DATA, random_bytes(r.below(IOVIEW_MBOX_MAX_BYTES + 1)));
			break;
		case IOVIEW_CMD_MBOX_RECV:
			name(r.one_in(2) ? shm : edu);
			if (!r.one_in(3))
				add(g, IOVIEW_A_TIMEOUT_MS, le<u32>(r.below(20)));
			break;
		case IOVIEW_CMD_SELFTEST_RUN:
			if (!r.one_in(4))
				add(g, IOVIEW_A_SUITE, suite_name());
			break;
		}
		return g;
	}

	// A plausible payload for attribute @type, right or wrong.
	bytes value_for(int type)
	{
		policy p = request_policy(type);
		switch (p.k) {
		case kind::u8_:
			return le<u8>(r.pick(u8_values));
		case kind::u32_:
			return le<u32>(r.one_in(8) ? static_cast<u32>(r.next()) : r.pick(u32_values));
		case kind::u64_:
			return le<u64>(r.one_in(8) ? r.next() : r.pick(u64_values));
		case kind::str:
			if (type == IOVIEW_A_DEV_NAME)
				return dev_name();
			if (type == IOVIEW_A_REGISTER)
				return reg_name(some_device());
			return suite_name();
		case kind::bin:
			return random_bytes(r.pick(data_lengths));
		default:
			return random_bytes(r.below(12));
		}
	}

	// Nested garbage: attribute headers of random types and sizes, or bytes that are none.
	bytes garbage_nest()
	{
		bytes b;
		int n = static_cast<int>(r.below(5));
		for (int i = 0; i < n; i++) {
			bytes payload = r.one_in(3) ? garbage_nest() : random_bytes(r.below(12));
			u16 len = static_cast<u16>(4 + payload.size());
			if (r.one_in(6))
				len = static_cast<u16>(r.below(64));
			u16 type = static_cast<u16>(r.below(40) | (r.one_in(3) ? nla_f_nested : 0));
			bytes h = le<u16>(len), t = le<u16>(type);
			b.insert(b.end(), h.begin(), h.end());
			b.insert(b.end(), t.begin(), t.end());
			b.insert(b.end(), payload.begin(), payload.end());
			b.resize(align4(static_cast<u32>(b.size())), 0);
		}
		if (r.one_in(4)) {
			bytes junk = random_bytes(1 + r.below(7));
			b.insert(b.end(), junk.begin(), junk.end());
		}
		return b;
	}

	void mutate_attrs(gmsg &g, const op_info &op)
	{
		int n = 1 + static_cast<int>(r.below(3));
		for (int i = 0; i < n; i++) {
			size_t k = g.attrs.size();
			switch (r.below(14)) {
			case 0:	// missing
				if (k)
					g.attrs.erase(g.attrs.begin() + r.below(k));
				break;
			case 1:	// duplicated, maybe with another value
				if (k) {
					gattr a = g.attrs[r.below(k)];
					if (r.one_in(2))
						a.data = value_for(a.type & nla_type_mask);
					g.attrs.insert(g.attrs.begin() + r.below(k + 1), a);
				}
				break;
			case 2:	// retyped
				if (k) {
					static const std::vector<u16> types = { 0, IOVIEW_A_MAX, IOVIEW_A_MAX + 1, 100, 0x3fff };
					u16 t = r.one_in(2) ? static_cast<u16>(r.below(IOVIEW_A_MAX + 1)) : r.pick(types);
					g.attrs[r.below(k)].type = t;
				}
				break;
			case 3:	// flagged
				if (k)
					g.attrs[r.below(k)].type |= r.one_in(2) ? nla_f_nested : nla_f_byteorder;
				break;
			case 4:	// resized
				if (k) {
					static const std::vector<u32> sizes = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 33, 64, 65, 300 };
					g.attrs[r.below(k)].data.resize(r.pick(sizes), static_cast<u8>(r.next()));
				}
				break;
			case 5:	// another value, at or around a limit
			case 6:
				if (k) {
					gattr &a = g.attrs[r.below(k)];
					a.data = value_for(a.type & nla_type_mask);
				}
				break;
			case 7: {	// an attribute of the family this op does not take, or does
				int t = 1 + static_cast<int>(r.below(IOVIEW_A_MAX));
				if (r.one_in(2))
					t = op.request[r.below(op.request.size())];
				add(g, t, value_for(t));
				break;
			}
			case 8: {	// nested garbage
				static const std::vector<u16> nests = { IOVIEW_A_BAR, IOVIEW_A_REG, IOVIEW_A_CASE, IOVIEW_A_STATS };
				u16 t = r.one_in(2) ? r.pick(nests) : static_cast<u16>(op.request[r.below(op.request.size())]);
				g.attrs.push_back({ static_cast<u16>(t | (r.one_in(4) ? 0 : nla_f_nested)), garbage_nest(), {} });
				break;
			}
			case 9:	// nla_len that lies
				if (k) {
					gattr &a = g.attrs[r.below(k)];
					u32 real = static_cast<u32>(4 + a.data.size());
					static const std::vector<int> deltas = { -5, -4, -3, -2, -1, 1, 2, 3, 4, 8, 64, 4096 };
					int len = r.one_in(4) ? static_cast<int>(r.below(4)) : static_cast<int>(real) + r.pick(deltas);
					a.nla_len = static_cast<u16>(std::clamp(len, 0, 0xffff));
				}
				break;
			case 10:	// trailing bytes that are no attribute
				g.tail = random_bytes(1 + r.below(7));
				break;
			case 11:	// the same attributes in another order (the last of a repeat wins)
				for (size_t j = k; j > 1; j--)
					std::swap(g.attrs[j - 1], g.attrs[r.below(j)]);
				break;
			case 12:	// nothing at all
				g.attrs.clear();
				break;
			case 13:	// a string where a number goes, or a number where a string goes
				if (k) {
					gattr &a = g.attrs[r.below(k)];
					a.data = request_policy(a.type & nla_type_mask).k == kind::str ? le<u32>(r.pick(u32_values))
												 : str_bytes(random_name(1 + r.below(8)));
				}
				break;
			}
		}
	}

	void mutate_header(gmsg &g, bool single)
	{
		switch (r.below(single ? 17 : 11)) {
		case 0:	// a command the family does not have
			g.cmd = r.one_in(3) ? static_cast<u8>(IOVIEW_CMD_UNSPEC)
					    : r.one_in(2) ? static_cast<u8>(IOVIEW_CMD_EVENT) : static_cast<u8>(IOVIEW_CMD_MAX + 1 + r.below(240));
			break;
		case 1:	// another op's command: its attributes where they mean something else
			g.cmd = ops()[r.below(ops().size())].cmd;
			break;
		case 2:	// genetlink's version is informative: answered as usual
			g.version = static_cast<u8>(r.one_in(2) ? 0 : 2 + r.below(254));
			break;
		case 3:
			g.reserved = static_cast<u16>(1 + r.below(0xffff));
			break;
		case 4: {	// flags the core refuses, or accepts (NLM_F_ECHO)
			static const std::vector<u16> bad = { NLM_F_MULTI, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
							      NLM_F_ROOT,  NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_APPEND,
							      0x1000,	   0x8000 };
			g.nl_flags |= r.pick(bad);
			if (r.one_in(3))
				g.nl_flags |= r.pick(bad);
			break;
		}
		case 5:	// no NLM_F_ACK: only errors and replies come back
			g.nl_flags &= static_cast<u16>(~NLM_F_ACK);
			break;
		case 6:	// not a request: the core acknowledges it and nothing more
			g.nl_flags &= static_cast<u16>(~NLM_F_REQUEST);
			break;
		case 7:	// a control message type
			g.nl_type = static_cast<u16>(r.below(NLMSG_MIN_TYPE));
			break;
		case 8:	// a family that does not exist
			if (!en.absent_families.empty())
				g.nl_type = r.pick(en.absent_families);
			break;
		case 9:	// the port id of someone else
			g.pid = static_cast<u32>(r.next());
			break;
		case 10:	// NLM_F_DUMP on whatever this op is (single: it may become a dump)
			if (single)
				g.nl_flags |= NLM_F_DUMP;
			else
				g.version = 0;
			break;
		case 11:	// cut anywhere, nlmsg_len saying where
		case 12: {
			size_t full = serialize(g).size();
			g.cut = nl_hdr + r.below(static_cast<u32>(full - nl_hdr + 1));
			break;
		}
		case 13:	// nlmsg_len shorter than a header: dropped
			g.nl_len = r.below(nl_hdr);
			break;
		case 14: {	// nlmsg_len past the datagram: dropped
			size_t full = serialize(g).size();
			g.nl_len = static_cast<u32>(full + 1 + r.below(r.one_in(4) ? 0xffffff : 64));
			break;
		}
		case 15: {	// nlmsg_len short of the datagram: the rest is read as another message
			size_t full = serialize(g).size();
			g.nl_len = nl_hdr + r.below(static_cast<u32>(full - nl_hdr));
			break;
		}
		case 16:	// an unaligned length, the datagram ending with it
			g.tail = random_bytes(1 + r.below(3));
			break;
		}
	}

	// Every operation as often as the others, but edu-factorial half as often: the requests
	// that stay valid and are polled (no completion attribute, or a mutated one) sleep in
	// the driver's msleep(1) steps, a few milliseconds each.
	const op_info &some_op()
	{
		for (;;) {
			const op_info &op = ops()[r.below(ops().size())];
			if (op.cmd != IOVIEW_CMD_EDU_FACTORIAL || r.one_in(2))
				return op;
		}
	}

	gmsg dump_request(u32 seq)
	{
		const op_info &op = r.one_in(2) ? *op_of(IOVIEW_CMD_DEV_GET) : *op_of(IOVIEW_CMD_STATS_GET);
		gmsg g = base(op, seq);
		g.nl_flags |= NLM_F_DUMP;
		switch (r.below(6)) {
		case 0:
		case 1:
			break;	// every device
		case 2:
			add(g, IOVIEW_A_DEV_NAME, dev_name());
			break;
		case 3:
		case 4:
			add(g, IOVIEW_A_DEV_NAME, dev_name());
			mutate_attrs(g, op);
			break;
		case 5:
			mutate_header(g, true);
			break;
		}
		if (r.one_in(8))
			g.nl_flags &= static_cast<u16>(~NLM_F_ACK);	// a dump still ends in NLMSG_DONE
		return g;
	}

	// One member of a datagram, of kind @k: "valid", "attrs" or "header".
	gmsg member(const std::string &k, u32 seq, bool single, bool slow)
	{
		const op_info &op = slow ? *op_of(IOVIEW_CMD_EDU_DMA) : some_op();
		gmsg g = valid(op, seq, slow);
		if (k == "attrs") {
			mutate_attrs(g, op);
		} else if (k == "header") {
			mutate_header(g, single);
			if (r.one_in(4))
				mutate_attrs(g, op);
		}
		return g;
	}

	datagram candidate(const std::string &k, u64 index, bool slow)
	{
		datagram dg;
		dg.kind = k;
		std::vector<size_t> starts;
		u32 seq0 = static_cast<u32>(1 + index * 8);
		auto append = [&](const gmsg &g) {
			while (dg.data.size() % 4)
				dg.data.push_back(0);
			starts.push_back(dg.data.size());
			bytes b = serialize(g);
			dg.data.insert(dg.data.end(), b.begin(), b.end());
			dg.seqs.push_back(g.seq);
		};
		if (k == "dump") {
			append(dump_request(seq0));
		} else if (k == "batch") {
			int n = 2 + static_cast<int>(r.below(3));
			for (int i = 0; i < n; i++) {
				static const std::vector<std::string> kinds = { "valid", "attrs", "attrs", "header" };
				append(member(r.pick(kinds), seq0 + static_cast<u32>(i), false, false));
			}
		} else {
			append(member(k, seq0, true, slow));
		}
		model_datagram(dg, en, starts);
		return dg;
	}

	datagram generate(u64 index, unsigned *attempts)
	{
		r = message_rng(seed, index);
		// The kind, once: a retry keeps it, so the counts say what was meant.
		bool slow = slow_one_in && r.one_in(slow_one_in);
		std::string k;
		u32 roll = r.below(100);
		if (slow)
			k = "valid";
		else if (roll < 12)
			k = "valid";
		else if (roll < 52)
			k = "attrs";
		else if (roll < 74)
			k = "header";
		else if (roll < 88)
			k = "dump";
		else
			k = "batch";
		for (*attempts = 1; *attempts <= 64; ++*attempts) {
			datagram dg = candidate(k, index, slow);
			bool ok = !dg.unfit && dg.eff != effect::forbidden && (dg.eff != effect::slow || slow);
			if (ok)
				return dg;
		}
		// Nothing fitted (never seen): a plain dev-get dump instead.
		datagram dg;
		dg.kind = "fallback";
		gmsg g = base(*op_of(IOVIEW_CMD_DEV_GET), static_cast<u32>(1 + index * 8));
		g.nl_flags |= NLM_F_DUMP;
		dg.data = serialize(g);
		dg.seqs = { g.seq };
		model_datagram(dg, en, { 0 });
		return dg;
	}
};

// ---- the exchange ------------------------------------------------------------------------

struct answer {
	std::vector<bytes> replies;
	enum { none, error, done } final = none;
	int code = 0;		// positive errno
	bytes final_msg;
	bool extra = false;	// something came after the final answer
	std::string extra_why;
};

struct counters {
	u64 datagrams = 0, messages = 0, attempts = 0, regenerated = 0;
	std::map<std::string, u64> kinds;
	std::map<std::string, u64> by_op;
	std::map<std::string, u64> answers;
	std::map<int, u64> errnos;
	u64 failures = 0;
	// Where the time goes: per operation of a datagram's first message, and the slowest ones.
	std::map<std::string, double> seconds_by_op;
	std::vector<std::pair<double, std::string>> slowest;
};

class fuzzer {
public:
	fuzzer(env &en, int fd, u64 seed, unsigned timeout_ms, unsigned max_report, bool verbose)
		: en_(en), fd_(fd), seed_(seed), timeout_ms_(timeout_ms), max_report_(max_report), verbose_(verbose)
	{
	}

	counters stats;

	void run_one(u64 index, datagram &dg)
	{
		auto t0 = std::chrono::steady_clock::now();
		exchange(index, dg);
		double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		std::string what = dg.expects.empty() || !dg.expects[0].op ? "(none)" : dg.expects[0].op->name;
		stats.seconds_by_op[what] += t;
		stats.slowest.emplace_back(t, "#" + std::to_string(index) + " " + dg.kind + " " + what);
		std::sort(stats.slowest.begin(), stats.slowest.end(), std::greater<>());
		if (stats.slowest.size() > 5)
			stats.slowest.pop_back();
	}

	void exchange(u64 index, datagram &dg)
	{
		stats.datagrams++;
		stats.messages += dg.seqs.size();
		if (!send_all(dg.data)) {
			report(index, dg, nullptr, std::string("send failed: ") + std::strerror(errno));
			return;
		}
		std::map<u32, answer> got;
		std::vector<u32> order;
		for (const expect &e : dg.expects) {
			got[e.seq];
			order.push_back(e.seq);
		}
		u32 ping = 0;
		if (dg.needs_ping) {
			ping = send_ping();
			if (!ping) {
				report(index, dg, nullptr, "sending the ping failed");
				return;
			}
		}
		std::string trouble = collect(dg, got, ping);
		if (!trouble.empty()) {
			report(index, dg, nullptr, trouble);
			resync();
			return;
		}
		for (expect &e : dg.expects) {
			std::string why = judge(e, got[e.seq]);
			if (!why.empty())
				report(index, dg, &e, why);
			else if (e.on_done && succeeded(got[e.seq], e))
				e.on_done();
			if (verbose_)
				std::printf("nlfuzz: #%" PRIu64 " seq %u %s: %s (model: %s)\n", index, e.seq, dg.kind.c_str(),
					    describe(got[e.seq]).c_str(), e.why.c_str());
		}
	}

	// What is left in the socket after the last message: nothing may be.
	bool drain_clean()
	{
		u32 ping = send_ping();
		std::map<u32, answer> none;
		datagram empty;
		std::string trouble = collect(empty, none, ping);
		if (!trouble.empty()) {
			std::printf("nlfuzz: FAIL after the last message: %s\n", trouble.c_str());
			stats.failures++;
			return false;
		}
		return true;
	}

private:
	env &en_;
	int fd_;
	u64 seed_;
	unsigned timeout_ms_, max_report_;
	bool verbose_;
	u32 pings_ = 0;
	bytes buf_ = bytes(256 * 1024);
	// recvmmsg()'s buffers: a dump's message is at most a page or two, an answer far less.
	std::vector<bytes> bufs_ = std::vector<bytes>(16, bytes(64 * 1024));
	std::vector<iovec> iovs_ = make_iovs();
	std::vector<mmsghdr> hdrs_ = make_hdrs();

	std::vector<iovec> make_iovs()
	{
		std::vector<iovec> v(bufs_.size());
		for (size_t i = 0; i < v.size(); i++)
			v[i] = { bufs_[i].data(), bufs_[i].size() };
		return v;
	}
	std::vector<mmsghdr> make_hdrs()
	{
		std::vector<mmsghdr> v(bufs_.size());
		for (size_t i = 0; i < v.size(); i++) {
			v[i] = {};
			v[i].msg_hdr.msg_iov = &iovs_[i];
			v[i].msg_hdr.msg_iovlen = 1;
		}
		return v;
	}

	bool send_all(const bytes &b)
	{
		sockaddr_nl to{};
		to.nl_family = AF_NETLINK;
		ssize_t n = sendto(fd_, b.data(), b.size(), 0, reinterpret_cast<sockaddr *>(&to), sizeof(to));
		return n == static_cast<ssize_t>(b.size());
	}

	// An NLMSG_NOOP with NLM_F_ACK: the core answers it at once, after everything before it.
	u32 send_ping()
	{
		u32 seq = ping_seq_bit | ++pings_;
		nlmsghdr h{};
		h.nlmsg_len = sizeof(h);
		h.nlmsg_type = NLMSG_NOOP;
		h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		h.nlmsg_seq = seq;
		bytes b(reinterpret_cast<u8 *>(&h), reinterpret_cast<u8 *>(&h) + sizeof(h));
		return send_all(b) ? seq : 0;
	}

	bool complete(const datagram &dg, std::map<u32, answer> &got, u32 ping, bool ping_seen)
	{
		if (ping)
			return ping_seen;
		for (const expect &e : dg.expects)
			if (!e.silent && got[e.seq].final == answer::none)
				return false;
		return true;
	}

	// Reads answers until the datagram is answered (or the ping came back); "" when the
	// exchange itself was sane, else what went wrong with it.
	std::string collect(const datagram &dg, std::map<u32, answer> &got, u32 ping)
	{
		bool ping_seen = false;
		auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
		int queued = 0, next = 0;
		while (!complete(dg, got, ping, ping_seen)) {
			if (next == queued) {
				// The answers of a do request are queued before sendto() returns (the family
				// runs in the sender's context): take what is there first, and sleep in poll()
				// only when nothing is; several datagrams per call.  Under TCG every syscall
				// counts: this halves them.
				queued = recvmmsg(fd_, hdrs_.data(), static_cast<unsigned>(hdrs_.size()), MSG_DONTWAIT, nullptr);
				next = 0;
				if (queued < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
					return std::string("recvmmsg: ") + std::strerror(errno);
				if (queued <= 0) {
					queued = 0;
					auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
													 std::chrono::steady_clock::now());
					pollfd p{ fd_, POLLIN, 0 };
					if ((left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0) > 0)
						continue;
					std::string missing;
					for (const expect &e : dg.expects)
						if (!e.silent && got[e.seq].final == answer::none)
							missing += " " + std::to_string(e.seq);
					return "no answer within " + std::to_string(timeout_ms_) + " ms (waiting for" +
					       (ping ? std::string(" the ping") : "") + missing + ")";
				}
			}
			mmsghdr &h = hdrs_[static_cast<size_t>(next)];
			const u8 *base = bufs_[static_cast<size_t>(next)].data();
			next++;
			if (h.msg_hdr.msg_flags & MSG_TRUNC)
				return "a received datagram was cut";
			size_t n = h.msg_len, at = 0;
			while (n - at >= sizeof(nlmsghdr)) {
				const u8 *m = base + at;
				u32 len = get32(m);
				if (len < sizeof(nlmsghdr) || len > n - at)
					return "a received message with nlmsg_len " + std::to_string(len);
				u32 seq = get32(m + 8);
				u16 type = get16(m + 4);
				if (ping && seq == ping && type == NLMSG_ERROR) {
					if (ping_seen)
						return "a second answer to the ping";
					ping_seen = true;
				} else if (auto it = got.find(seq); it != got.end()) {
					answer &a = it->second;
					if (a.final != answer::none) {
						a.extra = true;
						a.extra_why = "a message of type " + std::to_string(type) + " after the final answer";
					} else if (type == NLMSG_ERROR) {
						a.final = answer::error;
						a.code = len >= nl_hdr + 4 ? -static_cast<int>(get32(m + nl_hdr)) : 0;
						a.final_msg.assign(m, m + len);
					} else if (type == NLMSG_DONE) {
						a.final = answer::done;
						a.code = len >= nl_hdr + 4 ? -static_cast<int>(get32(m + nl_hdr)) : 0;
						a.final_msg.assign(m, m + len);
					} else {
						a.replies.emplace_back(m, m + len);
					}
				} else {
					return "a message of type " + std::to_string(type) + " for seq " + std::to_string(seq) +
					       ", which is no message of this datagram (late, or never sent)";
				}
				at += align4(len);
			}
		}
		return "";
	}

	// After a broken exchange: wait for everything in flight and throw it away.
	void resync()
	{
		u32 ping = send_ping();
		auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
		while (std::chrono::steady_clock::now() < deadline) {
			pollfd p{ fd_, POLLIN, 0 };
			if (poll(&p, 1, 1000) <= 0)
				continue;
			ssize_t n = recv(fd_, buf_.data(), buf_.size(), MSG_TRUNC);
			if (n < 0)
				continue;
			for (size_t at = 0; static_cast<size_t>(n) - at >= sizeof(nlmsghdr);) {
				u32 len = get32(buf_.data() + at);
				if (get32(buf_.data() + at + 8) == ping)
					return;
				if (len < sizeof(nlmsghdr))
					break;
				at += align4(len);
			}
		}
	}

	static bool succeeded(const answer &a, const expect &e)
	{
		if (a.final == answer::error || a.final == answer::done)
			return a.code == 0;
		return !(e.nl_flags & NLM_F_ACK);
	}

	std::string describe(const answer &a)
	{
		std::string s = std::to_string(a.replies.size()) + " replies, ";
		if (a.final == answer::none)
			return s + "no final";
		std::string what = a.final == answer::error ? "NLMSG_ERROR " : "NLMSG_DONE ";
		return s + what + (a.code ? errname(a.code) : std::string("0"));
	}

	// The extended ACK of an NLMSG_ERROR or NLMSG_DONE: well-formed, pointing into the request.
	std::string check_ack_tlvs(const answer &a, const expect &e)
	{
		const bytes &m = a.final_msg;
		u16 flags = get16(&m[6]);
		size_t fixed = nl_hdr + (a.final == answer::error ? 4 + nl_hdr : 4);
		if (m.size() < fixed)
			return "the final answer is " + std::to_string(m.size()) + " bytes";
		if (a.final == answer::error) {
			// NETLINK_CAP_ACK: the request's header comes back, without its payload.
			const u8 *orig = &m[nl_hdr + 4];
			if (get32(orig + 8) != e.seq || get16(orig + 4) != e.nl_type || get16(orig + 6) != e.nl_flags ||
			    get32(orig) != e.nl_len)
				return "the NLMSG_ERROR's copy of the request header is not the request's";
		}
		if (!(flags & NLM_F_ACK_TLVS))
			return m.size() == fixed ? "" : "bytes after the fixed part without NLM_F_ACK_TLVS";
		u32 at = static_cast<u32>(fixed), len = static_cast<u32>(m.size());
		while (at < len) {
			if (len - at < 4)
				return "extended ACK: bytes left over";
			u16 l = get16(&m[at]), t = get16(&m[at + 2]) & nla_type_mask;
			if (l < 4 || l > len - at)
				return "extended ACK: a TLV with length " + std::to_string(l);
			const u8 *d = &m[at + 4];
			u32 dl = l - 4u;
			if (t == NLMSGERR_ATTR_MSG && (!dl || d[dl - 1] != 0))
				return "extended ACK: a message without its NUL";
			if (t == NLMSGERR_ATTR_OFFS) {
				if (dl != 4)
					return "extended ACK: an offset of " + std::to_string(dl) + " bytes";
				u32 off = get32(d);
				if (off < nl_hdr + genl_hdr || off >= e.nl_len)
					return "extended ACK: offset " + std::to_string(off) + " outside the request's attributes";
			}
			if (t == NLMSGERR_ATTR_MISS_TYPE) {
				if (dl != 4)
					return "extended ACK: a missing type of " + std::to_string(dl) + " bytes";
				if (e.op && !e.op->takes(static_cast<int>(get32(d))))
					return "extended ACK: missing attribute " + std::to_string(get32(d)) + ", which " +
					       e.op->name + " does not take";
			}
			if (t > NLMSGERR_ATTR_MAX)
				return "extended ACK: an unknown TLV " + std::to_string(t);
			at += align4(l);
		}
		return "";
	}

	std::string check_reply(const bytes &m, const expect &e)
	{
		if (m.size() < nl_hdr + genl_hdr)
			return "a reply of " + std::to_string(m.size()) + " bytes";
		u16 type = get16(&m[4]), flags = get16(&m[6]);
		if (type != en_.family)
			return "a reply of type " + std::to_string(type);
		if (e.dump != static_cast<bool>(flags & NLM_F_MULTI))
			return e.dump ? "a dump reply without NLM_F_MULTI" : "a do reply with NLM_F_MULTI";
		if (!e.op || m[16] != e.op->cmd)
			return "a reply with command " + std::to_string(m[16]);
		if (m[17] != IOVIEW_GENL_VERSION || get16(&m[18]))
			return "a reply with version " + std::to_string(m[17]) + " and reserved " + std::to_string(get16(&m[18]));
		std::vector<rattr> attrs;
		std::string err = parse_set(&m[nl_hdr + genl_hdr], static_cast<u32>(m.size() - nl_hdr - genl_hdr),
					    sets().top, &attrs);
		if (!err.empty())
			return "a reply that is not the spec's: " + err;
		for (const rattr &a : attrs)
			if (!e.op->replies_with(a.type))
				return std::string("attribute ") + std::to_string(a.type) + " in a " + e.op->name + " reply";
		if (e.check)
			if (std::string c = e.check(attrs); !c.empty())
				return "reply: " + c;
		return "";
	}

	std::string judge(const expect &e, const answer &a)
	{
		std::string cls;
		std::string why = judge_inner(e, a, cls);
		stats.answers[cls]++;
		if (a.final != answer::none && a.code)
			stats.errnos[a.code]++;
		return why;
	}

	std::string judge_inner(const expect &e, const answer &a, std::string &cls)
	{
		if (a.extra)
			return a.extra_why;
		if (e.silent) {
			cls = "dropped";
			if (a.final != answer::none || !a.replies.empty())
				return "an answer to a message the netlink core drops";
			return "";
		}
		const bool acked = e.nl_flags & NLM_F_ACK;
		if (a.final == answer::none) {
			cls = "unacknowledged";
			if (e.dump || acked)
				return "no final answer";
			if (e.ok_ack && a.replies.empty())
				return "";
			if (e.ok_reply && a.replies.size() == 1)
				return check_reply(a.replies[0], e);
			return "nothing came back, want " + e.errors.names();
		}
		if (std::string t = check_ack_tlvs(a, e); !t.empty())
			return t;
		if (a.final == answer::done) {
			if (!e.dump)
				return "NLMSG_DONE for a request that is no dump";
			if (a.code == 0) {
				cls = "dump";
				if (!e.ok_dump)
					return "a complete dump, want NLMSG_DONE " + e.done_errors.names();
				if (e.dump_replies >= 0 && a.replies.size() != static_cast<size_t>(e.dump_replies))
					return std::to_string(a.replies.size()) + " dump replies, want " +
					       std::to_string(e.dump_replies);
				for (const bytes &m : a.replies)
					if (std::string c = check_reply(m, e); !c.empty())
						return c;
				return "";
			}
			cls = "dump error";
			if (!a.replies.empty())
				return "a failed dump after replies";
			return e.done_errors.has(a.code) ? "" : "NLMSG_DONE " + errname(a.code) + ", want " + e.done_errors.names();
		}
		if (a.code == 0) {
			if (!acked)
				return "an ACK nobody asked for";
			if (e.dump)
				return "an ACK for a dump";
			if (e.ok_ack && a.replies.empty()) {
				cls = "ack";
				return "";
			}
			if (e.ok_reply && a.replies.size() == 1) {
				cls = "reply";
				return check_reply(a.replies[0], e);
			}
			cls = "ack";
			return std::to_string(a.replies.size()) + " replies and an ACK, want " +
			       (e.ok_reply ? "1 reply" : e.ok_ack ? "no reply" : "an error " + e.errors.names());
		}
		cls = "error";
		if (!a.replies.empty())
			return "an error after " + std::to_string(a.replies.size()) + " replies";
		if (!e.errors.has(a.code))
			return errname(a.code) + ", want " +
			       (e.errors.b.any() ? e.errors.names() : std::string(e.ok_dump ? "a dump" : e.ok_reply ? "a reply" : "an ACK"));
		return "";
	}

	void report(u64 index, const datagram &dg, const expect *e, const std::string &why)
	{
		stats.failures++;
		if (stats.failures > max_report_)
			return;
		std::printf("nlfuzz: FAIL seed %" PRIu64 " message %" PRIu64 " (%s", seed_, index, dg.kind.c_str());
		if (e) {
			std::printf(", seq %u, %s", e->seq, e->op ? e->op->name : "no op");
			std::printf(", model: %s", e->why.c_str());
		}
		std::printf("): %s\n", why.c_str());
		std::printf("nlfuzz:   sent %s\n", hex(dg.data.data(), dg.data.size()).c_str());
		if (stats.failures == max_report_)
			std::printf("nlfuzz: (further failures counted, not shown)\n");
	}
};

// ---- setup -------------------------------------------------------------------------------

int open_socket()
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	sockaddr_nl me{};
	me.nl_family = AF_NETLINK;
	int one = 1, rcvbuf = 1 << 20;
	if (bind(fd, reinterpret_cast<sockaddr *>(&me), sizeof(me)) < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

// The caller's effective capabilities, from /proc/self/status (CapEff).
u64 effective_caps()
{
	FILE *f = std::fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	char line[256];
	u64 caps = 0;
	while (std::fgets(line, sizeof(line), f))
		if (std::strncmp(line, "CapEff:", 7) == 0)
			caps = std::strtoull(line + 7, nullptr, 16);
	std::fclose(f);
	return caps;
}

// A plain request and its answers, for the setup: every reply checked against the spec too.
std::vector<std::vector<rattr>> setup_request(int fd, gmsg g, std::vector<bytes> &keep, int *err)
{
	static u32 seq = 0x40000000;
	g.seq = ++seq;
	bytes b = serialize(g);
	sockaddr_nl to{};
	to.nl_family = AF_NETLINK;
	std::vector<std::vector<rattr>> out;
	*err = EIO;
	if (sendto(fd, b.data(), b.size(), 0, reinterpret_cast<sockaddr *>(&to), sizeof(to)) != static_cast<ssize_t>(b.size()))
		return out;
	bytes buf(256 * 1024);
	for (;;) {
		pollfd p{ fd, POLLIN, 0 };
		if (poll(&p, 1, 5000) <= 0)
			return out;
		ssize_t n = recv(fd, buf.data(), buf.size(), 0);
		if (n < 0)
			return out;
		for (size_t at = 0; static_cast<size_t>(n) - at >= nl_hdr;) {
			const u8 *m = buf.data() + at;
			u32 len = get32(m);
			if (len < nl_hdr || len > static_cast<size_t>(n) - at)
				return out;
			u16 type = get16(m + 4);
			if (get32(m + 8) == g.seq) {
				if (type == NLMSG_ERROR || type == NLMSG_DONE) {
					*err = -static_cast<int>(get32(m + nl_hdr));
					return out;
				}
				keep.emplace_back(m, m + len);
				std::vector<rattr> attrs;
				std::string why = parse_set(keep.back().data() + nl_hdr + genl_hdr, len - nl_hdr - genl_hdr,
							    sets().top, &attrs);
				if (!why.empty()) {
					std::fprintf(stderr, "nlfuzz: a setup reply is not the spec's: %s\n", why.c_str());
					return out;
				}
				out.push_back(std::move(attrs));
			}
			at += align4(len);
		}
	}
}

bool discover(int fd, env &en, std::string &why)
{
	nl_sock *sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) {
		why = "cannot open a libnl generic netlink socket";
		return false;
	}
	int id = genl_ctrl_resolve(sk, IOVIEW_GENL_NAME);
	if (id < 0) {
		nl_socket_free(sk);
		why = "the ioview family is not registered (is ioview.ko loaded?)";
		return false;
	}
	en.family = static_cast<u16>(id);
	nl_cache *cache = nullptr;
	if (genl_ctrl_alloc_cache(sk, &cache) == 0) {
		// Message types no family has, for the "absent family" header mutation.
		for (u32 t = 0xfff0; t <= 0xffff; t++) {
			genl_family *f = genl_ctrl_search(cache, static_cast<int>(t));
			if (f)
				genl_family_put(f);
			else
				en.absent_families.push_back(static_cast<u16>(t));
		}
		nl_cache_free(cache);
	}
	nl_socket_free(sk);
	u64 caps = effective_caps();
	en.net_admin = caps >> 12 & 1;	// CAP_NET_ADMIN
	en.sys_admin = caps >> 21 & 1;	// CAP_SYS_ADMIN

	std::vector<bytes> keep;
	int err = 0;
	gmsg g;
	g.nl_type = en.family;
	g.cmd = IOVIEW_CMD_DEV_GET;
	g.nl_flags |= NLM_F_DUMP;
	for (const std::vector<rattr> &r : setup_request(fd, g, keep, &err)) {
		device d;
		for (const rattr &a : r) {
			if (a.type == IOVIEW_A_DEV_NAME)
				d.name = a.as_str();
			if (a.type == IOVIEW_A_DEV_KIND)
				d.kind = a.as_u32();
			if (a.type == IOVIEW_A_VENDOR)
				d.vendor = static_cast<u16>(a.as_u32());
			if (a.type == IOVIEW_A_DEVICE)
				d.dev_id = static_cast<u16>(a.as_u32());
		}
		struct stat st;
		std::string path = "/sys/bus/pci/devices/" + d.name + "/config";
		if (stat(path.c_str(), &st) == 0)
			d.cfg_size = static_cast<u32>(st.st_size);
		en.devs.push_back(d);
	}
	if (err || en.devs.empty()) {
		why = "the dev-get dump failed (" + errname(err) + ") or listed nothing";
		return false;
	}
	std::sort(en.devs.begin(), en.devs.end(), [](const device &a, const device &b) { return a.name < b.name; });
	// The register maps the fuzzer decides by must be the module's.
	for (const device &d : en.devs) {
		gmsg q;
		q.nl_type = en.family;
		q.cmd = IOVIEW_CMD_REG_GET;
		q.attrs.push_back({ IOVIEW_A_DEV_NAME, str_bytes(d.name), {} });
		keep.clear();
		std::vector<std::vector<rattr>> r = setup_request(fd, q, keep, &err);
		if (err || r.size() != 1) {
			why = "reg-get of " + d.name + " failed (" + errname(err) + ")";
			return false;
		}
		size_t k = 0;
		for (const rattr &a : r[0]) {
			if (a.type != IOVIEW_A_REG)
				continue;
			std::vector<rattr> reg;
			parse_set(a.data, a.len, sets().reg, &reg);
			const rattr *n = find_attr(reg, IOVIEW_A_REG_NAME), *o = find_attr(reg, IOVIEW_A_REG_OFFSET),
				    *w = find_attr(reg, IOVIEW_A_REG_WIDTH), *ac = find_attr(reg, IOVIEW_A_REG_ACCESS);
			const std::vector<reg_desc> &map = d.map();
			if (k >= map.size() || !n || !o || !w || !ac || n->as_str() != map[k].name || o->as_u32() != map[k].offset ||
			    w->as_u32() != map[k].width || ac->as_u32() != map[k].access) {
				why = "the module's register map of " + d.name + " is not nlfuzz's at register " + std::to_string(k) +
				      " (update edu_map/ivshmem_map)";
				return false;
			}
			k++;
		}
		if (k != d.map().size()) {
			why = "the module's register map of " + d.name + " has " + std::to_string(k) + " registers";
			return false;
		}
	}
	// What liveness reads back now, for the check of later reads.
	if (const device *edu = en.of_kind(IOVIEW_DEV_KIND_EDU)) {
		gmsg q;
		q.nl_type = en.family;
		q.cmd = IOVIEW_CMD_REG_READ;
		q.attrs.push_back({ IOVIEW_A_DEV_NAME, str_bytes(edu->name), {} });
		q.attrs.push_back({ IOVIEW_A_REGISTER, str_bytes("liveness"), {} });
		keep.clear();
		std::vector<std::vector<rattr>> r = setup_request(fd, q, keep, &err);
		if (!err && r.size() == 1)
			if (const rattr *v = find_attr(r[0], IOVIEW_A_VALUE))
				en.liveness = static_cast<u32>(v->as_u64());
	}
	return true;
}

// The interrupt line of each device, read before the run and written back after (as root).
std::map<std::string, u8> save_interrupt_lines(int fd, env &en)
{
	std::map<std::string, u8> saved;
	for (const device &d : en.devs) {
		gmsg q;
		q.nl_type = en.family;
		q.cmd = IOVIEW_CMD_CONFIG_READ;
		q.attrs.push_back({ IOVIEW_A_DEV_NAME, str_bytes(d.name), {} });
		q.attrs.push_back({ IOVIEW_A_OFFSET, le<u32>(interrupt_line), {} });
		q.attrs.push_back({ IOVIEW_A_LENGTH, le<u32>(1), {} });
		std::vector<bytes> keep;
		int err = 0;
		std::vector<std::vector<rattr>> r = setup_request(fd, q, keep, &err);
		if (!err && r.size() == 1)
			if (const rattr *data = find_attr(r[0], IOVIEW_A_DATA); data && data->len == 1)
				saved[d.name] = data->data[0];
	}
	return saved;
}

bool restore_interrupt_lines(int fd, env &en, const std::map<std::string, u8> &saved)
{
	bool ok = true;
	for (const auto &[name, line] : saved) {
		gmsg q;
		q.nl_type = en.family;
		q.cmd = IOVIEW_CMD_CONFIG_WRITE;
		q.attrs.push_back({ IOVIEW_A_DEV_NAME, str_bytes(name), {} });
		q.attrs.push_back({ IOVIEW_A_OFFSET, le<u32>(interrupt_line), {} });
		q.attrs.push_back({ IOVIEW_A_WIDTH, le<u8>(1), {} });
		q.attrs.push_back({ IOVIEW_A_VALUE, le<u64>(line), {} });
		std::vector<bytes> keep;
		int err = 0;
		setup_request(fd, q, keep, &err);
		if (err) {
			std::printf("nlfuzz: FAIL restoring the interrupt line of %s: %s\n", name.c_str(), errname(err).c_str());
			ok = false;
		}
	}
	return ok;
}

// --send: one datagram given in hex (as a FAIL line prints it), --repeat times; prints how
// often each sequence of answers (type, seq, errno) came back, whatever the model would say.
int send_raw(int fd, const std::string &text, u64 repeat)
{
	bytes dg;
	for (size_t i = 0; i + 1 < text.size(); i += 2)
		dg.push_back(static_cast<u8>(std::stoul(text.substr(i, 2), nullptr, 16)));
	std::map<std::string, u64> outcomes;
	bytes buf(256 * 1024);
	sockaddr_nl to{};
	to.nl_family = AF_NETLINK;
	for (u64 n = 0; n < repeat; n++) {
		nlmsghdr ping{};
		ping.nlmsg_len = sizeof(ping);
		ping.nlmsg_type = NLMSG_NOOP;
		ping.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		ping.nlmsg_seq = ping_seq_bit | static_cast<u32>(n);
		if (sendto(fd, dg.data(), dg.size(), 0, reinterpret_cast<sockaddr *>(&to), sizeof(to)) < 0 ||
		    sendto(fd, &ping, sizeof(ping), 0, reinterpret_cast<sockaddr *>(&to), sizeof(to)) < 0) {
			std::printf("nlfuzz: send: %s\n", std::strerror(errno));
			return 2;
		}
		std::string seen;
		for (bool done = false; !done;) {
			pollfd p{ fd, POLLIN, 0 };
			if (poll(&p, 1, 5000) <= 0) {
				seen += " (no more within 5 s)";
				break;
			}
			ssize_t got = recv(fd, buf.data(), buf.size(), 0);
			for (size_t at = 0; got > 0 && static_cast<size_t>(got) - at >= nl_hdr;) {
				const u8 *m = buf.data() + at;
				u32 len = get32(m), seq = get32(m + 8);
				u16 type = get16(m + 4);
				if (seq == ping.nlmsg_seq) {
					done = true;
					break;
				}
				seen += " seq " + std::to_string(seq) + ":";
				if ((type == NLMSG_ERROR || type == NLMSG_DONE) && len >= nl_hdr + 4) {
					int code = -static_cast<int>(get32(m + nl_hdr));
					seen += std::string(type == NLMSG_ERROR ? "error " : "done ") + (code ? errname(code) : "0");
				} else {
					seen += "reply";
				}
				if (len < nl_hdr)
					break;
				at += align4(len);
			}
		}
		outcomes[seen]++;
	}
	for (const auto &[what, times] : outcomes)
		std::printf("nlfuzz: %" PRIu64 " times:%s\n", times, what.c_str());
	return 0;
}

// --stale-irq: the regression probe of a bug the fuzzer found.  A completion interrupt that
// is not the running operation's (a software-raised factorial bit, or the interrupt of a
// computation started by a raw write of the factorial register while status.irq_on_completion
// is still set) may be handled late, after the driver started its next factorial and reset its
// event; the driver used to take that wake for the completion, see the unit busy and give up at
// once with ETIMEDOUT (about 1 round in 50 here).  Each round is one datagram: edu-irq-raise
// 0x1, a factorial of 7 by interrupt, reg-write factorial 20, another factorial of 7 by
// interrupt.  Each factorial must answer 5040, or EBUSY (the second may find edu still
// computing 20!), nothing else.
int stale_irq(int fd, const env &en, u64 rounds)
{
	const device *edu = en.of_kind(IOVIEW_DEV_KIND_EDU);
	if (!edu || !en.sys_admin) {
		std::printf("nlfuzz: stale-irq needs edu and CAP_SYS_ADMIN\n");
		return 2;
	}
	u64 results = 0, busy = 0, other = 0;
	std::map<std::string, u64> odd;
	bytes buf(64 * 1024);
	for (u64 n = 0; n < rounds; n++) {
		u32 seq0 = 0x60000000u + static_cast<u32>(n) * 4;
		auto request = [&](u32 seq, u8 cmd) {
			gmsg g;
			g.nl_type = en.family;
			g.seq = seq;
			g.cmd = cmd;
			g.attrs.push_back({ IOVIEW_A_DEV_NAME, str_bytes(edu->name), {} });
			return g;
		};
		gmsg raise = request(seq0, IOVIEW_CMD_EDU_IRQ_RAISE), write = request(seq0 + 2, IOVIEW_CMD_REG_WRITE);
		raise.attrs.push_back({ IOVIEW_A_VALUE, le<u64>(1), {} });
		write.attrs.push_back({ IOVIEW_A_REGISTER, str_bytes("factorial"), {} });
		write.attrs.push_back({ IOVIEW_A_VALUE, le<u64>(20), {} });
		bytes dg;
		for (gmsg g : { raise, request(seq0 + 1, IOVIEW_CMD_EDU_FACTORIAL), write,
				request(seq0 + 3, IOVIEW_CMD_EDU_FACTORIAL) }) {
			if (g.cmd == IOVIEW_CMD_EDU_FACTORIAL) {
				g.attrs.push_back({ IOVIEW_A_VALUE, le<u64>(7), {} });
				g.attrs.push_back({ IOVIEW_A_COMPLETION, le<u32>(IOVIEW_COMPLETION_INTERRUPT), {} });
			}
			bytes b = serialize(g);
			dg.insert(dg.end(), b.begin(), b.end());
		}
		sockaddr_nl to{};
		to.nl_family = AF_NETLINK;
		if (sendto(fd, dg.data(), dg.size(), 0, reinterpret_cast<sockaddr *>(&to), sizeof(to)) < 0) {
			std::printf("nlfuzz: stale-irq: send: %s\n", std::strerror(errno));
			return 2;
		}
		// Four final answers; the factorials' replies come before theirs.
		for (int finals = 0; finals < 4;) {
			pollfd p{ fd, POLLIN, 0 };
			if (poll(&p, 1, 5000) <= 0) {
				std::printf("nlfuzz: stale-irq: round %" PRIu64 ": no answer within 5 s\n", n);
				return 1;
			}
			ssize_t got = recv(fd, buf.data(), buf.size(), 0);
			for (size_t at = 0; got > 0 && static_cast<size_t>(got) - at >= nl_hdr;) {
				const u8 *m = buf.data() + at;
				u32 len = get32(m), seq = get32(m + 8);
				bool factorial = seq == seq0 + 1 || seq == seq0 + 3;
				if (get16(m + 4) == NLMSG_ERROR) {
					finals++;
					int code = -static_cast<int>(get32(m + nl_hdr));
					if (factorial && code == EBUSY)
						busy++;
					else if (code)
						odd[errname(code) + (factorial ? " from a factorial" : " from a raise or write")]++;
				} else if (factorial) {
					std::vector<rattr> r;
					parse_set(m + nl_hdr + genl_hdr, len - nl_hdr - genl_hdr, sets().top, &r);
					const rattr *v = find_attr(r, IOVIEW_A_VALUE);
					if (v && v->as_u64() == 5040)
						results++;
					else
						odd["a wrong result"]++;
				}
				if (len < nl_hdr)
					break;
				at += align4(len);
			}
		}
	}
	for (const auto &[what, times] : odd)
		other += times;
	std::printf("nlfuzz: stale-irq: %" PRIu64 " rounds: %" PRIu64 " results of 7!, %" PRIu64 " EBUSY, %" PRIu64 " other\n",
		    rounds, results, busy, other);
	for (const auto &[what, times] : odd)
		std::printf("nlfuzz: stale-irq: %" PRIu64 " times %s\n", times, what.c_str());
	return other ? 1 : 0;
}

u64 number(const char *opt, const char *s)
{
	char *end = nullptr;
	errno = 0;
	u64 v = std::strtoull(s, &end, 0);
	if (!*s || *end || errno) {
		std::fprintf(stderr, "nlfuzz: %s wants a number, not \"%s\"\n", opt, s);
		std::exit(2);
	}
	return v;
}

int usage()
{
	std::fprintf(stderr, "usage: nlfuzz [--seed S] [--count N] [--start I] [--timeout-ms T] [--dry-run] [--verbose]\n"
			     "              [--max-report K] [--slow-one-in N] [--seconds T]\n"
			     "       nlfuzz --send HEX [--repeat N]\n"
			     "       nlfuzz --stale-irq N\n"
			     "       nlfuzz --offline [--seed S] [--count N]   (generate only, no kernel)\n");
	return 2;
}

} // namespace

int main(int argc, char **argv)
{
	u64 seed = static_cast<u64>(std::chrono::steady_clock::now().time_since_epoch().count()) ^ static_cast<u64>(getpid());
	u64 count = 100000, start = 0, slow_one_in = 3000, budget_s = 0;
	unsigned timeout_ms = 5000, max_report = 20;
	bool dry = false, verbose = false, offline = false;
	std::string raw;
	u64 repeat = 1, stale_rounds = 0;
	for (int i = 1; i < argc; i++) {
		std::string_view a = argv[i];
		auto value = [&]() -> const char * {
			if (i + 1 >= argc) {
				std::fprintf(stderr, "nlfuzz: %s needs a value\n", argv[i]);
				std::exit(2);
			}
			return argv[++i];
		};
		if (a == "--seed")
			seed = number("--seed", value());
		else if (a == "--count")
			count = number("--count", value());
		else if (a == "--start")
			start = number("--start", value());
		else if (a == "--timeout-ms")
			timeout_ms = static_cast<unsigned>(number("--timeout-ms", value()));
		else if (a == "--max-report")
			max_report = static_cast<unsigned>(number("--max-report", value()));
		else if (a == "--seconds")
			budget_s = number("--seconds", value());
		else if (a == "--slow-one-in")
			slow_one_in = number("--slow-one-in", value());
		else if (a == "--send")
			raw = value();
		else if (a == "--stale-irq")
			stale_rounds = number("--stale-irq", value());
		else if (a == "--repeat")
			repeat = number("--repeat", value());
		else if (a == "--dry-run")
			dry = true;
		else if (a == "--offline")
			offline = dry = true;
		else if (a == "--verbose")
			verbose = true;
		else
			return usage();
	}
	if (start > (ping_seq_bit - 1) / 8 - count) {
		std::fprintf(stderr, "nlfuzz: --start + --count must stay under 2^28\n");
		return 2;
	}
	std::setvbuf(stdout, nullptr, _IOLBF, 0);

	int fd = offline ? -1 : open_socket();
	if (fd < 0 && !offline) {
		std::printf("nlfuzz: cannot open a netlink socket: %s\n", std::strerror(errno));
		return 2;
	}
	if (!raw.empty())
		return send_raw(fd, raw, repeat);
	env en;
	std::string why;
	if (offline) {
		// No kernel: the machine of the VM test bed, as root, for timing the generator and
		// comparing digests (family id 32 on a boot that loaded the module once).
		en.family = 32;
		en.devs = { { "0000:00:02.0", IOVIEW_DEV_KIND_EDU, 256, 0x1234, 0x11e8 },
			    { "0000:00:03.0", IOVIEW_DEV_KIND_IVSHMEM, 256, 0x1af4, 0x1110 } };
		for (u32 t = 0xfff0; t <= 0xffff; t++)
			en.absent_families.push_back(static_cast<u16>(t));
		en.net_admin = en.sys_admin = true;
	} else if (!discover(fd, en, why)) {
		std::printf("nlfuzz: %s\n", why.c_str());
		return 2;
	}
	if (stale_rounds)
		return stale_irq(fd, en, stale_rounds);
	std::printf("nlfuzz: seed %" PRIu64 " start %" PRIu64 " count %" PRIu64 " as uid %u (%s)%s\n", seed, start, count,
		    static_cast<unsigned>(geteuid()), en.net_admin ? "CAP_NET_ADMIN" : "unprivileged",
		    dry ? ", dry run" : "");
	std::string devs;
	for (const device &d : en.devs)
		devs += " " + d.name + (d.kind == IOVIEW_DEV_KIND_EDU ? " (edu)" : " (ivshmem)");
	std::printf("nlfuzz: family %s id %u, devices%s\n", IOVIEW_GENL_NAME, en.family, devs.c_str());

	std::map<std::string, u8> lines;
	if (!dry && en.sys_admin)
		lines = save_interrupt_lines(fd, en);

	generator gen{ en, seed, slow_one_in };
	fuzzer fz(en, fd, seed, timeout_ms, max_report, verbose);
	u64 digest = 0xcbf29ce484222325ull;	// FNV-1a over every generated byte
	// The digest after the first 1000 messages too, which a short dry run can reproduce.
	constexpr u64 prefix = 1000;
	std::optional<u64> prefix_digest;
	auto t0 = std::chrono::steady_clock::now();
	u64 slow_sent = 0, messages = 0, done = 0;
	bool stopped = false;
	for (u64 i = start; i < start + count; i++, done++) {
		double so_far = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		if (!dry && budget_s && so_far >= static_cast<double>(budget_s)) {
			stopped = true;
			break;
		}
		if (count >= 10 && done && done % (count / 10) == 0)
			std::printf("nlfuzz: progress %" PRIu64 " of %" PRIu64 " after %.1f s\n", done, count, so_far);
		unsigned attempts = 0;
		datagram dg = gen.generate(i, &attempts);
		for (u8 c : dg.data)
			digest = (digest ^ c) * 0x100000001b3ull;
		if (i + 1 - start == prefix)
			prefix_digest = digest;
		fz.stats.kinds[dg.kind]++;
		messages += dg.seqs.size();
		fz.stats.attempts += attempts;
		if (attempts > 1)
			fz.stats.regenerated++;
		slow_sent += dg.eff == effect::slow;
		for (const expect &e : dg.expects)
			fz.stats.by_op[e.op ? e.op->name : e.silent ? "(dropped)" : "(no op)"]++;
		if (verbose)
			std::printf("nlfuzz: #%" PRIu64 " %s %s\n", i, dg.kind.c_str(), hex(dg.data.data(), dg.data.size()).c_str());
		if (!dry)
			fz.run_one(i, dg);
	}
	double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	if (!dry) {
		fz.drain_clean();
		if (en.sys_admin && !restore_interrupt_lines(fd, en, lines))
			fz.stats.failures++;
	}
	if (fd >= 0)
		close(fd);

	const counters &s = fz.stats;
	auto joined = [](const std::map<std::string, u64> &m) {
		std::string out;
		for (const auto &[k, v] : m)
			out += " " + k + " " + std::to_string(v);
		return out;
	};
	if (stopped)
		std::printf("nlfuzz: stopped after the %" PRIu64 " s budget: %" PRIu64 " of %" PRIu64 " datagrams\n", budget_s,
			    done, count);
	std::printf("nlfuzz: %s %" PRIu64 " datagrams, %" PRIu64 " messages in %.1f s (%.0f datagrams/s)\n",
		    dry ? "generated" : "sent", done, messages, secs, secs > 0 ? static_cast<double>(done) / secs : 0.0);
	std::printf("nlfuzz: kinds:%s; regenerated %" PRIu64 " (%" PRIu64 " candidates), edu transfers %" PRIu64 "\n",
		    joined(s.kinds).c_str(), s.regenerated, s.attempts, slow_sent);
	std::printf("nlfuzz: operations:%s\n", joined(s.by_op).c_str());
	if (!dry) {
		std::printf("nlfuzz: answers:%s\n", joined(s.answers).c_str());
		std::vector<std::pair<int, u64>> errs(s.errnos.begin(), s.errnos.end());
		std::sort(errs.begin(), errs.end(), [](auto &a, auto &b) { return a.second > b.second; });
		std::string e;
		for (auto &[code, n] : errs)
			e += " " + errname(code) + " " + std::to_string(n);
		std::printf("nlfuzz: errnos:%s\n", e.c_str());
		std::string t;
		for (const auto &[op, secs_op] : s.seconds_by_op)
			t += " " + op + " " + std::to_string(static_cast<int>(secs_op * 1000));
		std::printf("nlfuzz: milliseconds by first operation:%s\n", t.c_str());
		t.clear();
		for (const auto &[secs_one, what] : s.slowest)
			t += " " + what + " " + std::to_string(static_cast<int>(secs_one * 1000)) + " ms;";
		std::printf("nlfuzz: slowest:%s\n", t.c_str());
	}
	if (prefix_digest)
		std::printf("nlfuzz: digest of the first %" PRIu64 " %016" PRIx64 "\n", prefix, *prefix_digest);
	std::printf("nlfuzz: digest %016" PRIx64 "\n", digest);
	if (!dry)
		std::printf("nlfuzz: failures %" PRIu64 "\n", s.failures);
	return s.failures ? 1 : 0;
}
