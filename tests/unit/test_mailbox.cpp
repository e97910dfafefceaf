// The ivshmem mailbox (kmod/devices/ivshmem_mailbox.h, kmod/driver/mailbox_ring.h) with both
// sides in one process over one buffer: each side has its own view of the same bytes, as the
// guest (BAR2) and the host (the backing file) do.  Covers messages both ways, free-running
// counters across 2^32, full and empty rings, bad lengths, an absent peer, a peer that writes
// garbage (checked against guard bytes and a backend that records every access), the barrier
// placement, and the bytes being the same whatever backend wrote them.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>

#include "driver/mailbox_ring.h"
#include "fake_backends.h"

using namespace ioview;
namespace mbx = ioview::driver::mailbox;
namespace wire = ioview::devices::mailbox;

namespace {

using side = wire::side;
constexpr usize layout_size = sizeof(wire::layout);
constexpr u8 guard_byte = 0xa5;
constexpr usize guard_size = 4096;

// Offsets into the layout, from the layout itself.
constexpr usize ring_off(side s)
{
	return s == side::guest ? __builtin_offsetof(wire::layout, rings[0]) : __builtin_offsetof(wire::layout, rings[1]);
}
constexpr usize head_off(side s) { return ring_off(s) + __builtin_offsetof(wire::ring, indices.head); }
constexpr usize tail_off(side s) { return ring_off(s) + __builtin_offsetof(wire::ring, indices.tail); }
constexpr usize slot_off(side s, usize i) { return ring_off(s) + __builtin_offsetof(wire::ring, slots) + i * wire::slot_size; }
constexpr usize state_off(side s)
{
	return s == side::guest ? __builtin_offsetof(wire::layout, hdr.sides[0]) : __builtin_offsetof(wire::layout, hdr.sides[1]);
}

// The mailbox bytes with guard bytes on both sides, on the heap (so ASan sees the whole block).
class guarded {
public:
	guarded() : mem_(new unsigned char[guard_size + layout_size + guard_size])
	{
		std::memset(mem_.get(), guard_byte, guard_size);
		std::memset(mem_.get() + guard_size, 0, layout_size);
		std::memset(mem_.get() + guard_size + layout_size, guard_byte, guard_size);
	}
	unsigned char *bytes() { return mem_.get() + guard_size; }
	ioview::view<sysmem, wire::layout> layout_view()
	{
		auto v = sysmem::try_view<wire::layout>(bytes(), layout_size);
		REQUIRE(v.ok());
		return v.value();
	}
	bool guards_intact() const
	{
		for (usize i = 0; i < guard_size; ++i)
			if (mem_[i] != guard_byte || mem_[guard_size + layout_size + i] != guard_byte)
				return false;
		return true;
	}
	u32 word(usize off) const
	{
		u32 raw;
		std::memcpy(&raw, mem_.get() + guard_size + off, 4);
		return le32{ raw }.get();
	}
	void set_word(usize off, u32 v)
	{
		u32 raw = le32::from_cpu(v).raw;
		std::memcpy(mem_.get() + guard_size + off, &raw, 4);
	}

private:
	std::unique_ptr<unsigned char[]> mem_;
};

// A policy that counts its calls.
struct counting_fences {
	usize *calls;
	void publish() { calls[0]++; __atomic_thread_fence(__ATOMIC_RELEASE); }
	void acquire() { calls[1]++; __atomic_thread_fence(__ATOMIC_ACQUIRE); }
	void release() { calls[2]++; __atomic_thread_fence(__ATOMIC_RELEASE); }
};

using endpoint = mbx::endpoint<sysmem, mbx::shared_memory_fences>;

endpoint must(result<endpoint> r)
{
	INFO("error " << r.error());
	REQUIRE(r.ok());
	return r.value();
}

// A guest that initialised and a host that attached, over one guarded buffer.
struct pair_of_sides {
	guarded mem;
	endpoint guest;
	endpoint host;
	explicit pair_of_sides(u32 first = 0)
		: guest(must(endpoint::init(mem.layout_view(), side::guest, {}, first))),
		  host(must(endpoint::attach(mem.layout_view(), side::host)))
	{
	}
};

std::vector<u8> message(u32 n, usize len)
{
	std::vector<u8> m(len);
	for (usize i = 0; i < len; ++i)
		m[i] = static_cast<u8>(n * 31 + i * 7 + 1);
	return m;
}

// Receives one message and returns it; the test fails on an error.
std::vector<u8> take(endpoint &e)
{
	u8 buf[wire::max_payload];
	auto n = e.receive(buf, sizeof(buf));
	INFO("receive error " << n.error());
	REQUIRE(n.ok());
	return std::vector<u8>(buf, buf + n.value());
}

// ---- a backend that records every access, and a policy that records into the same log -----

struct event {
	enum kind_t { read, write, publish, acquire, release } kind;
	usize offset; // from the start of the layout; 0 for barriers
	usize width;
};

struct recorder {
	const unsigned char *base = nullptr;
	usize size = 0;
	std::vector<event> events;
	usize outside = 0; // accesses that left [base, base + size)
	void note(event::kind_t k, const void *p, usize w)
	{
		auto *c = static_cast<const unsigned char *>(p);
		if (c < base || c + w > base + size)
			outside++;
		events.push_back({ k, static_cast<usize>(c - base), w });
	}
	void clear() { events.clear(); }
};

struct recording {
	struct handle {
		unsigned char *p;
		recorder *rec;
	};
	static constexpr byte_order order = byte_order::native;
	static uptr address(handle h) { return reinterpret_cast<uptr>(h.p); }
	static handle offset(handle h, usize n) { return { h.p + n, h.rec }; }
	template <typename W> static W load(handle h)
	{
		h.rec->note(event::read, h.p, sizeof(W));
		return *reinterpret_cast<volatile W *>(h.p);
	}
	template <typename W> static void store(handle h, W v)
	{
		h.rec->note(event::write, h.p, sizeof(W));
		*reinterpret_cast<volatile W *>(h.p) = v;
	}
	static u8 read8(handle h) { return load<u8>(h); }
	static u16 read16(handle h) { return load<u16>(h); }
	static u32 read32(handle h) { return load<u32>(h); }
	static u64 read64(handle h) { return load<u64>(h); }
	static void write8(handle h, u8 v) { store(h, v); }
	static void write16(handle h, u16 v) { store(h, v); }
	static void write32(handle h, u32 v) { store(h, v); }
	static void write64(handle h, u64 v) { store(h, v); }

	// The backend's own constructor: the layout bytes and the log.
	static view<recording, wire::layout> of(unsigned char *layout_bytes, recorder &rec)
	{
		rec.base = layout_bytes;
		rec.size = layout_size;
		return view<recording, wire::layout>::from_handle(backend_key<recording>{}, { layout_bytes, &rec });
	}
};

struct recording_fences {
	recorder *rec;
	void publish() { rec->events.push_back({ event::publish, 0, 0 }); }
	void acquire() { rec->events.push_back({ event::acquire, 0, 0 }); }
	void release() { rec->events.push_back({ event::release, 0, 0 }); }
};

using rec_endpoint = mbx::endpoint<recording, recording_fences>;

bool inside(const event &e, usize lo, usize hi)
{
	return e.width != 0 && e.offset >= lo && e.offset + e.width <= hi;
}

// ---- the MMIO backend as the kernel has it: mmio<accessors> with block copies --------------

struct plain_io {
	static u8 read8(const volatile void *a) { return *static_cast<const volatile u8 *>(a); }
	static u16 read16(const volatile void *a) { return *static_cast<const volatile u16 *>(a); }
	static u32 read32(const volatile void *a) { return *static_cast<const volatile u32 *>(a); }
	static u64 read64(const volatile void *a) { return *static_cast<const volatile u64 *>(a); }
	static void write8(u8 v, volatile void *a) { *static_cast<volatile u8 *>(a) = v; }
	static void write16(u16 v, volatile void *a) { *static_cast<volatile u16 *>(a) = v; }
	static void write32(u32 v, volatile void *a) { *static_cast<volatile u32 *>(a) = v; }
	static void write64(u64 v, volatile void *a) { *static_cast<volatile u64 *>(a) = v; }
	static void copy_from_io(void *dst, const volatile void *src, usize n) { std::memcpy(dst, const_cast<const void *>(src), n); }
	static void copy_to_io(volatile void *dst, const void *src, usize n) { std::memcpy(const_cast<void *>(dst), src, n); }
};
using test_mmio = ioview::mmio<plain_io>;

} // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("mailbox: the backends the ring accepts", "[mailbox]")
{
	STATIC_REQUIRE(mbx::mailbox_backend<sysmem>);
	STATIC_REQUIRE(mbx::mailbox_backend<test_mmio>);
	STATIC_REQUIRE(mbx::mailbox_backend<recording>);
	STATIC_REQUIRE(mbx::mailbox_backend<testing::memory_backend<byte_order::big>>);
	STATIC_REQUIRE(!mbx::mailbox_backend<fake::config_space>); // fallible
	STATIC_REQUIRE(mbx::ordering_policy<counting_fences>);
	STATIC_REQUIRE(__is_trivially_copyable(endpoint));
}

TEST_CASE("mailbox: init writes the header the layout documents, in little-endian bytes", "[mailbox]")
{
	guarded mem;
	auto g = must(endpoint::init(mem.layout_view(), side::guest));
	const unsigned char *b = mem.bytes();
	REQUIRE(std::memcmp(b, "IVMB", 4) == 0);
	const unsigned char geometry[] = { 1, 0, 0, 0, 0x00, 0x82, 0, 0, 0x00, 0x01, 0, 0, 64, 0, 0, 0, 248, 0, 0, 0, 1, 0, 0, 0 };
	REQUIRE(std::memcmp(b + 4, geometry, sizeof(geometry)) == 0);
	REQUIRE(mem.word(state_off(side::guest)) == 1);       // ready
	REQUIRE(mem.word(state_off(side::guest) + 4) == 1);   // generation 1
	REQUIRE(mem.word(state_off(side::host)) == 0);        // absent
	REQUIRE(g.generation() == 1);
	REQUIRE(!g.peer_ready());
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: messages go both ways, of every length from 0 to max_payload", "[mailbox]")
{
	pair_of_sides p;
	for (usize len : { usize{ 0 }, usize{ 1 }, usize{ 7 }, usize{ 8 }, usize{ 100 }, wire::max_payload }) {
		auto m = message(static_cast<u32>(len), len);
		REQUIRE(p.guest.send(m.data(), len).ok());
		REQUIRE(take(p.host) == m);
		REQUIRE(p.host.send(m.data(), len).ok());
		REQUIRE(take(p.guest) == m);
	}
	REQUIRE(p.guest.tx().head() == 6);
	REQUIRE(p.host.rx().tail() == 6);
	REQUIRE(p.mem.word(head_off(side::guest)) == 6);
	REQUIRE(p.mem.word(tail_off(side::guest)) == 6);
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: a message longer than max_payload is refused and writes nothing", "[mailbox]")
{
	pair_of_sides p;
	std::vector<u8> before(p.mem.bytes(), p.mem.bytes() + layout_size);
	u8 big[wire::max_payload + 1] = {};
	REQUIRE(p.guest.send(big, sizeof(big)).error() == -mbx::emsgsize);
	REQUIRE(std::memcmp(before.data(), p.mem.bytes(), layout_size) == 0);
	REQUIRE(p.host.receive(big, sizeof(big)).error() == -mbx::eagain);
}

TEST_CASE("mailbox: a full ring says -EAGAIN, an empty one -EAGAIN, and one free slot is enough", "[mailbox]")
{
	pair_of_sides p;
	u8 buf[wire::max_payload];
	REQUIRE(p.host.receive(buf, sizeof(buf)).error() == -mbx::eagain);
	for (u32 i = 0; i < wire::slot_count; ++i) {
		auto m = message(i, 16);
		REQUIRE(p.guest.send(m.data(), m.size()).ok());
	}
	REQUIRE(p.guest.tx().free_slots().value() == 0);
	REQUIRE(p.host.rx().pending().value() == wire::slot_count);
	auto extra = message(99, 16);
	REQUIRE(p.guest.send(extra.data(), extra.size()).error() == -mbx::eagain);
	REQUIRE(take(p.host) == message(0, 16));
	REQUIRE(p.guest.send(extra.data(), extra.size()).ok());
	REQUIRE(p.guest.send(extra.data(), extra.size()).error() == -mbx::eagain);
	for (u32 i = 1; i < wire::slot_count; ++i)
		REQUIRE(take(p.host) == message(i, 16));
	REQUIRE(take(p.host) == extra);
	REQUIRE(p.host.receive(buf, sizeof(buf)).error() == -mbx::eagain);
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: the free-running counters wrap past 2^32", "[mailbox]")
{
	SECTION("a full ring straddling the wrap")
	{
		pair_of_sides p(0xffffffffu - 31); // 32 slots before the wrap, 32 after
		for (u32 i = 0; i < wire::slot_count; ++i) {
			auto m = message(i, 1 + i);
			REQUIRE(p.guest.send(m.data(), m.size()).ok());
		}
		REQUIRE(p.guest.tx().head() == 32);
		REQUIRE(p.mem.word(head_off(side::guest)) == 32);
		auto extra = message(0, 1);
		REQUIRE(p.guest.send(extra.data(), extra.size()).error() == -mbx::eagain);
		for (u32 i = 0; i < wire::slot_count; ++i)
			REQUIRE(take(p.host) == message(i, 1 + i));
		REQUIRE(p.host.rx().tail() == 32);
	}
	SECTION("messages streaming through the wrap, the ring sometimes full")
	{
		pair_of_sides p(0xffffffffu - 100);
		u32 sent = 0, got = 0;
		std::mt19937 rng(7);
		while (got < 1000) {
			u32 burst = rng() % 80;
			for (u32 k = 0; k < burst && sent < 1000; ++k) {
				auto m = message(sent, sent * 37 % (wire::max_payload + 1));
				status s = p.host.send(m.data(), m.size());
				if (!s) {
					REQUIRE(s.error() == -mbx::eagain);
					break;
				}
				sent++;
			}
			u32 drain = rng() % 80;
			for (u32 k = 0; k < drain && got < sent; ++k) {
				u8 buf[wire::max_payload];
				auto n = p.guest.receive(buf, sizeof(buf));
				REQUIRE(n.ok());
				REQUIRE(std::vector<u8>(buf, buf + n.value()) == message(got, got * 37 % (wire::max_payload + 1)));
				got++;
			}
		}
		REQUIRE(p.host.tx().head() == 0xffffffffu - 100 + 1000);
		REQUIRE(p.host.tx().head() < 1000); // wrapped
		REQUIRE(p.mem.guards_intact());
	}
}

TEST_CASE("mailbox: a producer resumed from a kept head goes on where the last one stopped", "[mailbox]")
{
	pair_of_sides p(0xffffffffu - 1);
	auto ring = IOVIEW_PROJECT(p.mem.layout_view(), rings[0]);
	using producer = mbx::producer<sysmem, mbx::shared_memory_fences>;
	u32 head = 0xffffffffu - 1;
	for (u32 i = 0; i < 3; ++i) { // through the wrap
		auto m = message(i, 10 + i);
		auto tx = producer::resume(ring, {}, head);
		REQUIRE(tx.send(m.data(), m.size()).ok());
		head = tx.head();
		REQUIRE(p.mem.word(head_off(side::guest)) == head);
		REQUIRE(take(p.host) == m);
	}
	REQUIRE(head == 1);
	// A count the peer's tail contradicts is refused before any slot is touched.
	auto wrong = producer::resume(ring, {}, head + wire::slot_count + 1);
	auto m = message(9, 4);
	REQUIRE(wrong.send(m.data(), m.size()).error() == -mbx::eproto);
	REQUIRE(p.mem.word(head_off(side::guest)) == 1);
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: a peer that is not attached gets no messages", "[mailbox]")
{
	guarded mem;
	auto g = must(endpoint::init(mem.layout_view(), side::guest));
	auto m = message(1, 10);
	REQUIRE(g.send(m.data(), m.size()).error() == -mbx::enotconn);
	REQUIRE(mem.word(head_off(side::guest)) == 0);

	auto h = must(endpoint::attach(mem.layout_view(), side::host));
	REQUIRE(g.peer_ready());
	REQUIRE(g.send(m.data(), m.size()).ok());
	REQUIRE(g.send(m.data(), m.size()).ok());
	h.detach();
	REQUIRE(mem.word(state_off(side::host)) == 2); // closed
	REQUIRE(g.send(m.data(), m.size()).error() == -mbx::enotconn);
	// What was sent before it left can still be drained, by whoever attaches next.
	auto h2 = must(endpoint::attach(mem.layout_view(), side::host));
	REQUIRE(h2.generation() == 2);
	REQUIRE(take(h2) == m);
	REQUIRE(take(h2) == m);

	// A state that is garbage is not ready either.
	mem.set_word(state_off(side::host), 0xdeadbeef);
	REQUIRE(g.send(m.data(), m.size()).error() == -mbx::enotconn);
	// Too long is reported before not connected.
	u8 big[wire::max_payload + 1] = {};
	REQUIRE(g.send(big, sizeof(big)).error() == -mbx::emsgsize);
}

TEST_CASE("mailbox: attach checks magic, version and geometry", "[mailbox]")
{
	guarded mem;
	SECTION("a zeroed BAR is not initialised yet")
	{
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).error() == -mbx::eagain);
	}
	must(endpoint::init(mem.layout_view(), side::guest));
	SECTION("a valid header attaches")
	{
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).ok());
	}
	SECTION("bad magic")
	{
		mem.set_word(0, 0x12345678);
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).error() == -mbx::eproto);
	}
	SECTION("another version")
	{
		mem.set_word(4, 2);
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).error() == -mbx::eprotonosupport);
	}
	SECTION("another geometry")
	{
		usize field = GENERATE(8, 12, 16, 20);
		mem.set_word(field, mem.word(field) * 2);
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).error() == -einval);
	}
	SECTION("indices further apart than a ring")
	{
		mem.set_word(head_off(side::guest), 65);
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).error() == -mbx::eproto);
		mem.set_word(head_off(side::guest), 64); // full is consistent
		REQUIRE(endpoint::attach(mem.layout_view(), side::host).ok());
	}
	SECTION("not a side")
	{
		REQUIRE(endpoint::attach(mem.layout_view(), static_cast<side>(2)).error() == -einval);
		REQUIRE(endpoint::init(mem.layout_view(), static_cast<side>(7)).error() == -einval);
	}
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: a peer's inconsistent index makes the ring stop, touching no slot", "[mailbox]")
{
	guarded mem;
	recorder rec;
	auto v = recording::of(mem.bytes(), rec);
	auto g = rec_endpoint::init(v, side::guest, { &rec });
	REQUIRE(g.ok());
	auto h = rec_endpoint::attach(v, side::host, { &rec });
	REQUIRE(h.ok());
	auto guest = g.value(); // the host only has to be attached
	std::vector<u8> before(mem.bytes(), mem.bytes() + layout_size);

	SECTION("the consumer's tail far ahead of the producer's head")
	{
		mem.set_word(tail_off(side::guest), 1000);
		before.assign(mem.bytes(), mem.bytes() + layout_size);
		rec.clear();
		auto m = message(3, 40);
		REQUIRE(guest.send(m.data(), m.size()).error() == -mbx::eproto);
		REQUIRE(guest.tx().free_slots().error() == -mbx::eproto);
		// Only the two states and the tail were read (with the acquire between the states); nothing was written.
		for (const event &e : rec.events)
			REQUIRE((e.kind == event::read || e.kind == event::acquire));
		REQUIRE(std::memcmp(before.data(), mem.bytes(), layout_size) == 0);
	}
	SECTION("the producer's head more than a ring ahead of the consumer's tail")
	{
		u32 bogus = GENERATE(65u, 1000u, 0x80000000u, 0xffffffffu);
		mem.set_word(head_off(side::host), bogus);
		rec.clear();
		u8 out[wire::max_payload + 16];
		std::memset(out, guard_byte, sizeof(out));
		REQUIRE(guest.receive(out, wire::max_payload).error() == -mbx::eproto);
		REQUIRE(guest.rx().pending().error() == -mbx::eproto);
		// Our own state once, then the head, twice.
		REQUIRE(rec.events.size() == 3);
		REQUIRE((rec.events[0].kind == event::read && rec.events[0].offset == state_off(side::guest)));
		for (usize i = 1; i < rec.events.size(); ++i)
			REQUIRE((rec.events[i].kind == event::read && rec.events[i].offset == head_off(side::host)));
		for (u8 b : out)
			REQUIRE(b == guard_byte);
	}
	REQUIRE(rec.outside == 0);
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: a published slot with a bad length or sequence is dropped, never copied", "[mailbox]")
{
	pair_of_sides p;
	auto m = message(5, 30);
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	u8 out[wire::max_payload + 64];
	std::memset(out, guard_byte, sizeof(out));

	SECTION("length beyond max_payload")
	{
		u32 bad = GENERATE(249u, 256u, 0x10000u, 0xffffffffu);
		p.mem.set_word(slot_off(side::guest, 0), bad);
		REQUIRE(p.host.receive(out, sizeof(out)).error() == -mbx::ebadmsg);
	}
	SECTION("sequence that is not the consumer's tail")
	{
		p.mem.set_word(slot_off(side::guest, 0) + 4, 12345);
		REQUIRE(p.host.receive(out, sizeof(out)).error() == -mbx::ebadmsg);
	}
	for (u8 b : out)
		REQUIRE(b == guard_byte);
	// The bad slot was consumed; the next one is fine.
	REQUIRE(p.host.rx().tail() == 1);
	REQUIRE(take(p.host) == m);
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: a buffer too short for the message consumes nothing", "[mailbox]")
{
	pair_of_sides p;
	auto m = message(8, 100);
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	u8 small[99];
	std::memset(small, guard_byte, sizeof(small));
	REQUIRE(p.host.receive(small, sizeof(small)).error() == -mbx::enobufs);
	for (u8 b : small)
		REQUIRE(b == guard_byte);
	REQUIRE(take(p.host) == m);
}

TEST_CASE("mailbox: garbage anywhere in the mailbox never moves an access outside it", "[mailbox]")
{
	// The peer's fields and every slot are scribbled at random between operations; whatever
	// each side returns, every access stays inside the layout, the guards stay intact, and
	// under ASan nothing outside the allocation is touched.
	guarded mem;
	recorder rec;
	auto v = recording::of(mem.bytes(), rec);
	auto g = rec_endpoint::init(v, side::guest, { &rec });
	REQUIRE(g.ok());
	auto h = rec_endpoint::attach(v, side::host, { &rec });
	REQUIRE(h.ok());
	auto guest = g.value();
	auto host = h.value();
	std::mt19937 rng(12345);
	const usize hot[] = { head_off(side::guest), tail_off(side::guest), head_off(side::host), tail_off(side::host),
			      state_off(side::guest), state_off(side::host) };
	usize ok = 0, errors = 0;
	for (int round = 0; round < 20000; ++round) {
		switch (rng() % 4) {
		case 0: // an index or a state: near the real value or anything
			mem.set_word(hot[rng() % 6], rng() % 2 ? mem.word(hot[rng() % 6]) + rng() % 130 - 65 : rng());
			break;
		case 1: // a slot header
			mem.set_word(slot_off(rng() % 2 ? side::guest : side::host, rng() % 64) + 4 * (rng() % 2),
				     rng() % 3 ? rng() % 300 : rng());
			break;
		default:
			break;
		}
		rec_endpoint &e = rng() % 2 ? guest : host;
		u8 buf[wire::max_payload + 8];
		if (rng() % 2) {
			auto m = message(round, rng() % (wire::max_payload + 2));
			status s = e.send(m.data(), m.size());
			(s ? ok : errors)++;
		} else {
			auto n = e.receive(buf, wire::max_payload);
			if (n)
				REQUIRE(n.value() <= wire::max_payload);
			(n ? ok : errors)++;
		}
		if (rng() % 64 == 0)
			(void)e.resync();
		rec.clear();
		REQUIRE(rec.outside == 0);
	}
	INFO(ok << " operations succeeded, " << errors << " failed");
	REQUIRE(ok > 0);
	REQUIRE(errors > 0);
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: garbage in an exactly sized allocation stays inside it (ASan)", "[mailbox]")
{
	std::unique_ptr<wire::layout> exact(new wire::layout{});
	auto v = sysmem::view_of(*exact);
	auto guest = must(endpoint::init(v, side::guest));
	auto host = must(endpoint::attach(v, side::host));
	std::mt19937 rng(99);
	auto *bytes = reinterpret_cast<unsigned char *>(exact.get());
	for (int round = 0; round < 5000; ++round) {
		// Scribble anywhere past the header (the header is tested above).
		usize off = sizeof(wire::header) + (rng() % ((layout_size - sizeof(wire::header)) / 4)) * 4;
		u32 junk = rng() % 2 ? rng() : rng() % 300;
		std::memcpy(bytes + off, &junk, 4);
		u8 buf[wire::max_payload];
		auto m = message(round, rng() % wire::max_payload);
		(void)guest.send(m.data(), m.size());
		(void)host.receive(buf, sizeof(buf));
		(void)host.send(m.data(), m.size());
		(void)guest.receive(buf, sizeof(buf));
	}
	SUCCEED("no access outside the allocation");
}

TEST_CASE("mailbox: send publishes the slot before the head, with the barrier between", "[mailbox][ordering]")
{
	guarded mem;
	recorder rec;
	auto v = recording::of(mem.bytes(), rec);
	auto g = rec_endpoint::init(v, side::guest, { &rec });
	REQUIRE(g.ok());
	auto h = rec_endpoint::attach(v, side::host, { &rec });
	REQUIRE(h.ok());
	auto guest = g.value();
	rec.clear();
	auto m = message(1, 100);
	REQUIRE(guest.send(m.data(), m.size()).ok());

	const usize slot_lo = slot_off(side::guest, 0), slot_hi = slot_lo + wire::slot_size;
	const auto &ev = rec.events;
	// peer state, acquire, own state, tail, then the slot's writes, one publish, and the head last.
	REQUIRE(ev.size() >= 7);
	REQUIRE((ev[0].kind == event::read && ev[0].offset == state_off(side::host)));
	REQUIRE(ev[1].kind == event::acquire);
	REQUIRE((ev[2].kind == event::read && ev[2].offset == state_off(side::guest)));
	REQUIRE((ev[3].kind == event::read && ev[3].offset == tail_off(side::guest)));
	usize publish_at = 0, slot_writes = 0, payload_bytes = 0;
	for (usize i = 0; i < ev.size(); ++i) {
		if (ev[i].kind == event::publish) {
			REQUIRE(publish_at == 0);
			publish_at = i;
		} else if (ev[i].kind == event::write && inside(ev[i], slot_lo, slot_hi)) {
			REQUIRE(publish_at == 0); // no slot write after the barrier
			slot_writes++;
			if (ev[i].offset >= slot_lo + wire::slot_header_size)
				payload_bytes += ev[i].width;
		}
	}
	REQUIRE(payload_bytes == 100);
	REQUIRE(slot_writes >= 3); // payload, length, sequence
	REQUIRE(publish_at == ev.size() - 2);
	REQUIRE((ev.back().kind == event::write && ev.back().offset == head_off(side::guest) && ev.back().width == 4));
	// No release on this path, and no access outside the slot, the indices and the two states.
	for (const event &e : ev)
		REQUIRE((e.kind == event::publish || e.kind == event::acquire || inside(e, slot_lo, slot_hi) ||
			 e.offset == tail_off(side::guest) || e.offset == head_off(side::guest) ||
			 e.offset == state_off(side::host) || e.offset == state_off(side::guest)));
	REQUIRE(rec.outside == 0);
}

TEST_CASE("mailbox: receive reads the head, then the barrier, then the slot, then frees it", "[mailbox][ordering]")
{
	guarded mem;
	recorder rec;
	auto v = recording::of(mem.bytes(), rec);
	auto g = rec_endpoint::init(v, side::guest, { &rec });
	REQUIRE(g.ok());
	auto h = rec_endpoint::attach(v, side::host, { &rec });
	REQUIRE(h.ok());
	auto guest = g.value();
	auto host = h.value();
	auto m = message(2, 64);
	REQUIRE(guest.send(m.data(), m.size()).ok());
	rec.clear();
	u8 out[wire::max_payload];
	REQUIRE(host.receive(out, sizeof(out)).value() == 64);

	const usize slot_lo = slot_off(side::guest, 0), slot_hi = slot_lo + wire::slot_size;
	const auto &ev = rec.events;
	// Its own state (not wiped), the head, the barrier, the slot.
	REQUIRE((ev[0].kind == event::read && ev[0].offset == state_off(side::host)));
	REQUIRE((ev[1].kind == event::read && ev[1].offset == head_off(side::guest)));
	REQUIRE(ev[2].kind == event::acquire);
	usize release_at = 0, payload_bytes = 0;
	for (usize i = 3; i < ev.size(); ++i) {
		if (ev[i].kind == event::release) {
			REQUIRE(release_at == 0);
			release_at = i;
			continue;
		}
		if (release_at == 0) {
			REQUIRE(ev[i].kind == event::read);
			REQUIRE(inside(ev[i], slot_lo, slot_hi));
			if (ev[i].offset >= slot_lo + wire::slot_header_size)
				payload_bytes += ev[i].width;
		}
	}
	REQUIRE(payload_bytes == 64);
	REQUIRE(release_at == ev.size() - 2);
	REQUIRE((ev.back().kind == event::write && ev.back().offset == tail_off(side::guest) && ev.back().width == 4));
	REQUIRE(rec.outside == 0);
}

TEST_CASE("mailbox: init publishes the header before the magic; attach reads the magic first", "[mailbox][ordering]")
{
	guarded mem;
	recorder rec;
	auto v = recording::of(mem.bytes(), rec);
	REQUIRE(rec_endpoint::init(v, side::guest, { &rec }).ok());
	const auto &ev = rec.events;
	// Magic cleared first, then a publish; the header and the rings; a publish, our ready
	// state; the final publish, then the magic.
	REQUIRE((ev[0].kind == event::write && ev[0].offset == 0));
	REQUIRE(ev[1].kind == event::publish);
	const usize n = ev.size();
	REQUIRE(n > 6);
	REQUIRE(ev[n - 4].kind == event::publish);
	REQUIRE((ev[n - 3].kind == event::write && ev[n - 3].offset == state_off(side::guest) && ev[n - 3].width == 4));
	REQUIRE(ev[n - 2].kind == event::publish);
	REQUIRE((ev.back().kind == event::write && ev.back().offset == 0 && ev.back().width == 4));
	// Both rings were reset before that publish: the last slot of the host's ring is written there.
	usize last_ring_write = 0;
	for (usize i = 0; i < n; ++i)
		if (ev[i].kind == event::write && ev[i].offset >= ring_off(side::guest))
			last_ring_write = i;
	REQUIRE(last_ring_write > 1);
	REQUIRE(last_ring_write < n - 4);
	REQUIRE(inside(ev[last_ring_write], slot_off(side::host, 63), slot_off(side::host, 63) + wire::slot_size));
	REQUIRE(rec.outside == 0);

	rec.clear();
	REQUIRE(rec_endpoint::attach(v, side::host, { &rec }).ok());
	REQUIRE((ev[0].kind == event::read && ev[0].offset == 0));
	REQUIRE(ev[1].kind == event::acquire);
	// Announcing: the state goes ready last, after a publish.
	REQUIRE(ev[ev.size() - 2].kind == event::publish);
	REQUIRE((ev.back().kind == event::write && ev.back().offset == state_off(side::host)));
}

TEST_CASE("mailbox: each barrier once per message, counted", "[mailbox][ordering]")
{
	guarded mem;
	usize calls[3] = {};
	using counted = mbx::endpoint<sysmem, counting_fences>;
	auto g = counted::init(mem.layout_view(), side::guest, { calls });
	auto h = counted::attach(mem.layout_view(), side::host, { calls });
	REQUIRE((g.ok() && h.ok()));
	auto guest = g.value();
	auto host = h.value();
	calls[0] = calls[1] = calls[2] = 0;
	u8 buf[wire::max_payload] = {};
	for (int i = 0; i < 10; ++i)
		REQUIRE(guest.send(buf, 10).ok());
	// A send: the publish of its slot, and the acquire between the peer's state and ours.
	REQUIRE((calls[0] == 10 && calls[1] == 10 && calls[2] == 0));
	for (int i = 0; i < 10; ++i)
		REQUIRE(host.receive(buf, sizeof(buf)).ok());
	REQUIRE((calls[0] == 10 && calls[1] == 20 && calls[2] == 10));
	// Failing operations call none.
	REQUIRE(host.receive(buf, sizeof(buf)).error() == -mbx::eagain);
	REQUIRE(calls[1] == 20);
}

TEST_CASE("mailbox: watching the peer: arrival, stall, restart, departure, re-initialisation", "[mailbox]")
{
	// Times in milliseconds; a stall is 2000 of them without a heartbeat.
	constexpr u64 stall = 2000;
	guarded mem;
	auto g = must(endpoint::init(mem.layout_view(), side::guest));
	REQUIRE(g.watch_peer(0, stall) == mbx::peer_event::none);
	auto h = must(endpoint::attach(mem.layout_view(), side::host));
	REQUIRE(g.watch_peer(10, stall) == mbx::peer_event::arrived);
	// The heartbeat stands still: calls before 2000 ms have passed say nothing, however many.
	for (u64 t = 11; t < 10 + stall; t += 97)
		REQUIRE(g.watch_peer(t, stall) == mbx::peer_event::none);
	REQUIRE(g.watch_peer(10 + stall - 1, stall) == mbx::peer_event::none);
	REQUIRE(g.watch_peer(10 + stall, stall) == mbx::peer_event::stalled);
	REQUIRE(g.watch_peer(10 + 5 * stall, stall) == mbx::peer_event::none); // once
	h.heartbeat();
	REQUIRE(g.watch_peer(20000, stall) == mbx::peer_event::resumed);
	h.heartbeat();
	REQUIRE(g.watch_peer(20001, stall) == mbx::peer_event::none);
	REQUIRE(g.peer().heartbeat == 2);
	// One late call after a long silence is a stall at once (time, not calls), measured from
	// the last heartbeat seen; a heartbeat seen late still counts as one.
	REQUIRE(g.watch_peer(20001 + stall, stall) == mbx::peer_event::stalled);
	h.heartbeat();
	REQUIRE(g.watch_peer(90000, stall) == mbx::peer_event::resumed);
	REQUIRE(g.watch_peer(90000 + stall - 1, stall) == mbx::peer_event::none);
	// 0: never stalled.
	REQUIRE(g.watch_peer(1000000, 0) == mbx::peer_event::none);
	h.heartbeat();
	REQUIRE(g.watch_peer(1000001, stall) == mbx::peer_event::none);
	// The host process restarts: it attaches again with the next generation.
	auto h2 = must(endpoint::attach(mem.layout_view(), side::host));
	REQUIRE(g.watch_peer(1000002, stall) == mbx::peer_event::restarted);
	REQUIRE(g.peer().generation == 2);
	// A restart starts the silence afresh.
	REQUIRE(g.watch_peer(1000002 + stall - 1, stall) == mbx::peer_event::none);
	h2.detach();
	REQUIRE(g.watch_peer(1003000, stall) == mbx::peer_event::left);
	REQUIRE(g.watch_peer(1003001, stall) == mbx::peer_event::none);

	// The host initialises the mailbox again while the guest is attached: the guest is told
	// until it resyncs, its operations refuse meanwhile, and messages then flow both ways.
	auto m = message(4, 20);
	u8 buf[wire::max_payload];
	auto h3 = must(endpoint::init(mem.layout_view(), side::host, {}, 1000));
	REQUIRE(g.watch_peer(1003002, stall) == mbx::peer_event::reinitialised);
	REQUIRE(g.wiped());
	REQUIRE(g.send(m.data(), m.size()).error() == -mbx::econnreset);
	REQUIRE(g.receive(buf, sizeof(buf)).error() == -mbx::econnreset);
	REQUIRE(g.watch_peer(1003003, stall) == mbx::peer_event::reinitialised);
	REQUIRE(g.resync().ok());
	REQUIRE(!g.wiped());
	REQUIRE(g.tx().head() == 1000);
	REQUIRE(g.watch_peer(1003004, stall) == mbx::peer_event::arrived);
	REQUIRE(h3.peer_ready());
	REQUIRE(g.send(m.data(), m.size()).ok());
	REQUIRE(take(h3) == m);
	REQUIRE(h3.send(m.data(), m.size()).ok());
	REQUIRE(take(g) == m);
	REQUIRE(mem.word(state_off(side::guest) + 4) == 1); // resync kept the generation
	// While the peer's init is half-way (magic 0), resync says retry.
	mem.set_word(0, 0);
	REQUIRE(g.resync().error() == -mbx::eagain);
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: after the peer's init() nothing is written with the old counters", "[mailbox]")
{
	// The guest had sent and received a few messages, so its head and tail are ahead of the
	// counters the host's init() starts the new rings at.  Until it resyncs, neither its
	// sends nor its receives touch the new rings.
	pair_of_sides p;
	auto m = message(6, 40);
	for (int i = 0; i < 3; ++i) {
		REQUIRE(p.guest.send(m.data(), m.size()).ok());
		REQUIRE(take(p.host) == m);
		REQUIRE(p.host.send(m.data(), m.size()).ok());
		REQUIRE(take(p.guest) == m);
	}
	auto h = must(endpoint::init(p.mem.layout_view(), side::host));
	std::vector<u8> before(p.mem.bytes(), p.mem.bytes() + layout_size);
	u8 buf[wire::max_payload];
	REQUIRE(p.guest.send(m.data(), m.size()).error() == -mbx::econnreset);
	REQUIRE(p.guest.receive(buf, sizeof(buf)).error() == -mbx::econnreset);
	REQUIRE(std::memcmp(before.data(), p.mem.bytes(), layout_size) == 0);
	// The host cannot send to a guest whose state it wiped, and receives nothing.
	REQUIRE(h.send(m.data(), m.size()).error() == -mbx::enotconn);
	REQUIRE(h.receive(buf, sizeof(buf)).error() == -mbx::eagain);
	REQUIRE(p.guest.resync().ok());
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	REQUIRE(take(h) == m);
	REQUIRE(h.send(m.data(), m.size()).ok());
	REQUIRE(take(p.guest) == m);
	// A side that detached is not wiped by the peer's init: it left on its own.
	p.guest.detach();
	must(endpoint::init(p.mem.layout_view(), side::host));
	REQUIRE(!p.guest.wiped());
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: a slot nobody published since init is dropped, not taken for a message", "[mailbox]")
{
	// init() gives each slot the sequence of a lap earlier; a head moved without a slot
	// written (a stale or forged index) finds -EBADMSG, never an empty message.
	u32 first = GENERATE(0u, 5u, 0xffffffffu - 2);
	pair_of_sides p(first);
	for (usize i = 0; i < wire::slot_count; ++i) {
		u32 seq = p.mem.word(slot_off(side::guest, i) + 4);
		u32 counter = first + ((static_cast<u32>(i) - first) & (wire::slot_count - 1));
		INFO("slot " << i);
		REQUIRE(counter % wire::slot_count == i);
		REQUIRE(seq == counter - wire::slot_count);
		REQUIRE(p.mem.word(slot_off(side::guest, i)) == 0); // length
	}
	u8 out[wire::max_payload];
	p.mem.set_word(head_off(side::guest), first + 3);
	for (int i = 0; i < 3; ++i)
		REQUIRE(p.host.receive(out, sizeof(out)).error() == -mbx::ebadmsg);
	REQUIRE(p.host.receive(out, sizeof(out)).error() == -mbx::eagain);
	REQUIRE(p.mem.guards_intact());
}

TEST_CASE("mailbox: resync after the peer repaired an inconsistent index", "[mailbox]")
{
	pair_of_sides p;
	auto m = message(1, 12);
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	u32 real = p.mem.word(tail_off(side::guest));
	p.mem.set_word(tail_off(side::guest), real + 500);
	REQUIRE(p.guest.send(m.data(), m.size()).error() == -mbx::eproto);
	REQUIRE(p.guest.resync().error() == -mbx::eproto);
	p.mem.set_word(tail_off(side::guest), real);
	REQUIRE(p.guest.resync().ok());
	REQUIRE(p.guest.send(m.data(), m.size()).ok());
	REQUIRE(take(p.host) == m);
	REQUIRE(take(p.host) == m);
}

TEST_CASE("mailbox: the guest on an MMIO backend and the host on sysmem share the bytes", "[mailbox]")
{
	// The kernel's view: ioview::mmio<accessors> with block copies (memcpy_toio/fromio), device
	// order little; the host's: sysmem, native.  Same bytes, one layout.
	guarded mem;
	auto io = test_mmio::try_view<wire::layout>(mem.bytes(), layout_size);
	REQUIRE(io.ok());
	auto g = mbx::endpoint<test_mmio, mbx::shared_memory_fences>::init(io.value(), side::guest);
	REQUIRE(g.ok());
	auto guest = g.value();
	auto host = must(endpoint::attach(mem.layout_view(), side::host));
	for (u32 i = 0; i < 200; ++i) {
		auto m = message(i, i % (wire::max_payload + 1));
		REQUIRE(guest.send(m.data(), m.size()).ok());
		auto got = take(host);
		REQUIRE(got == m);
		REQUIRE(host.send(got.data(), got.size()).ok());
		u8 buf[wire::max_payload];
		auto n = guest.receive(buf, sizeof(buf));
		REQUIRE(n.ok());
		REQUIRE(std::vector<u8>(buf, buf + n.value()) == m);
	}
	REQUIRE(mem.guards_intact());
}

TEST_CASE("mailbox: a big-endian device order writes the same bytes as sysmem", "[mailbox]")
{
	// The byte-order rule: le32 fields are bytes, so a backend whose scalar accessors are
	// big-endian (as on a big-endian CPU's MMIO) leaves exactly the image sysmem leaves.
	auto big = std::make_unique<testing::memory<layout_size, 8, byte_order::big>>();
	auto bv = big->region<region<layout_size, void, 8>>().at_offset<wire::layout, 0>();
	guarded mem;
	using big_endpoint = mbx::endpoint<testing::memory_backend<byte_order::big>, mbx::shared_memory_fences>;
	auto bg = big_endpoint::init(bv, side::guest, {}, 0xfffffff0u);
	REQUIRE(bg.ok());
	auto bh = big_endpoint::attach(bv, side::host);
	REQUIRE(bh.ok());
	auto sg = must(endpoint::init(mem.layout_view(), side::guest, {}, 0xfffffff0u));
	auto sh = must(endpoint::attach(mem.layout_view(), side::host));
	auto big_guest = bg.value();
	auto big_host = bh.value();
	u32 next = 0;
	for (u32 i = 0; i < 40; ++i) {
		auto m = message(i, 3 * i);
		REQUIRE(big_guest.send(m.data(), m.size()).ok());
		REQUIRE(sg.send(m.data(), m.size()).ok());
		if (i % 3 == 0) {
			auto want = message(next, 3 * next);
			u8 buf[wire::max_payload];
			auto n = big_host.receive(buf, sizeof(buf));
			REQUIRE(n.ok());
			REQUIRE(std::vector<u8>(buf, buf + n.value()) == want);
			REQUIRE(take(sh) == want);
			next++;
		}
		big_host.heartbeat();
		sh.heartbeat();
	}
	REQUIRE(std::memcmp(big->bytes(), mem.bytes(), layout_size) == 0);
	REQUIRE(std::memcmp(big->bytes(), "IVMB", 4) == 0);
}
