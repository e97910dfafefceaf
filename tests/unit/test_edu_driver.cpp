// The edu driver's device-independent logic (kmod/driver/edu_logic.h) against a behavioural
// model of QEMU 7.2's edu (models/edu_model.h), and against the scripted mock where the exact
// accesses are the point. Every offset comes from kmod/devices/edu.h.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include <ioview/ioview.h>
#include <ioview/testing/mock.h>

#include <devices/edu.h>
#include <driver/edu_logic.h>

#include "models/edu_model.h"

namespace hw = ioview::devices::edu;
namespace edu = ioview::drivers::edu;
using ioview::u32;
using ioview::u64;
using ioview::u8;
using ioview::usize;

namespace {

constexpr int enodev = -ioview::enodev;
constexpr int einval = -ioview::einval;
constexpr int erange = -ioview::erange;
constexpr int ebusy = -ioview::drivers::ebusy;
constexpr int etimedout = -ioview::drivers::etimedout;

// A wait policy that ticks the model between checks, at most budget times.
auto ticking(edu_model::device &dev, u32 budget)
{
	return edu::poll_every([&dev] { dev.tick(); }, budget);
}

// A wait policy that counts how often the driver asked it to wait.
struct counting_wait {
	int calls = 0;
	template <typename Done> bool operator()(Done &&done)
	{
		++calls;
		return done();
	}
};

bool has(const char *text, const char *part)
{
	return text != nullptr && std::strstr(text, part) != nullptr;
}

// Host memory the model's DMA engine reaches: three pages at a bus address under 28 bits.
struct host_memory {
	static constexpr u64 bus = 0x00a00000;
	alignas(4096) unsigned char bytes[3 * 4096];

	auto view() { return ioview::coherent::try_view<ioview::slice<u8>>(bytes, bus, sizeof(bytes)).value(); }
	auto range(usize offset, usize length) { return view().try_subrange(offset, length).value(); }
};

u8 pattern_byte(usize i)
{
	return static_cast<u8>(i * 37 + (i >> 8) + 0x11);
}

// The first index in [0, n) where p[i] != pattern_byte(i), or n.
usize first_not_pattern(const unsigned char *p, usize n)
{
	usize i = 0;
	while (i < n && p[i] == pattern_byte(i))
		++i;
	return i;
}

usize first_not(const unsigned char *p, usize n, u8 value)
{
	usize i = 0;
	while (i < n && p[i] == value)
		++i;
	return i;
}

} // namespace

/* ---- identification ------------------------------------------------------------------------ */

TEST_CASE("identify accepts edu: identification, then liveness with two complementary patterns", "[edu][identify]")
{
	edu_model::device dev;
	edu::identify_result id = edu::identify(dev.bar());
	CHECK(id.ok());
	CHECK(id.reason == nullptr);
	CHECK(id.to_status().ok());
	CHECK(dev.counts().reads_of(4) == 3);
	CHECK(dev.counts().writes_of(4) == 2);
	CHECK(dev.counts().total() == 5);
	CHECK(dev.ignored_writes() == 0);
}

TEST_CASE("identify makes exactly these accesses", "[edu][identify][mock]")
{
	ioview::testing::mock m;
	const u32 p0 = edu::liveness_patterns[0];
	const u32 p1 = edu::liveness_patterns[1];
	m.expect_read32(hw::identification::offset, hw::identification_value)
		.expect_write32(hw::liveness::offset, p0)
		.expect_read32(hw::liveness::offset, ~p0)
		.expect_write32(hw::liveness::offset, p1)
		.expect_read32(hw::liveness::offset, ~p1);
	CHECK(edu::identify(m.region<hw::bar0>()).ok());
	INFO(m.failure());
	CHECK(m.verify());
}

TEST_CASE("identify refuses a wrong identification without writing anything", "[edu][identify][mock]")
{
	struct wrong {
		u32 raw;
		const char *reason;
	};
	const wrong cases[] = {
		{ 0x010000ec, "magic" },      // not edu's magic byte
		{ 0x00000000, "magic" },      // a RAM-like or dead BAR
		{ 0x020000ed, "major" },      // a future edu
		{ 0x000000ed, "major" },
		{ 0x010100ed, "minor" },
		{ 0xffffffff, "all ones" },   // nothing answers
	};
	for (const wrong &c : cases) {
		INFO("identification " << std::hex << c.raw);
		ioview::testing::mock m;
		m.expect_read32(hw::identification::offset, c.raw);
		edu::identify_result id = edu::identify(m.region<hw::bar0>());
		CHECK(id.error == enodev);
		CHECK(id.to_status().error() == enodev);
		CHECK(has(id.reason, c.reason));
		CHECK(id.expected == hw::identification_value);
		CHECK(id.got == c.raw);
		INFO(m.failure());
		CHECK(m.verify());
	}
}

TEST_CASE("identify refuses a model whose identification is another device's, before any write", "[edu][identify]")
{
	edu_model::config other;
	other.identification = 0x020000ed;
	edu_model::device dev(other);
	CHECK(edu::identify(dev.bar()).error == enodev);
	CHECK(dev.writes() == 0);
}

TEST_CASE("identify refuses a liveness register that does not invert", "[edu][identify][mock]")
{
	const u32 p0 = edu::liveness_patterns[0];
	const u32 p1 = edu::liveness_patterns[1];

	SECTION("it stores instead of inverting: refused at the first pattern")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::identification::offset, hw::identification_value)
			.expect_write32(hw::liveness::offset, p0)
			.expect_read32(hw::liveness::offset, p0);
		edu::identify_result id = edu::identify(m.region<hw::bar0>());
		CHECK(id.error == enodev);
		CHECK(has(id.reason, "liveness"));
		CHECK(id.expected == ~p0);
		CHECK(id.got == p0);
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("a bit stuck at 1 shows with the second pattern")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::identification::offset, hw::identification_value)
			.expect_write32(hw::liveness::offset, p0)
			.expect_read32(hw::liveness::offset, ~p0)
			.expect_write32(hw::liveness::offset, p1)
			.expect_read32(hw::liveness::offset, ~p1 | 0x1000);
		edu::identify_result id = edu::identify(m.region<hw::bar0>());
		CHECK(id.error == enodev);
		CHECK(id.expected == ~p1);
		CHECK(id.got == (~p1 | 0x1000));
		INFO(m.failure());
		CHECK(m.verify());
	}
}

TEST_CASE("check_identification is a constant expression", "[edu][identify]")
{
	static_assert(edu::check_identification(hw::identification_value).ok());
	static_assert(edu::check_identification(0x010000ee).error == enodev);
	// Reserved bits 15:8 are not a version: not looked at.
	static_assert(edu::check_identification(0x0100ffed).ok());
	CHECK(edu::check_identification(0xffffffff).got == 0xffffffff);
}

/* ---- the factorial unit -------------------------------------------------------------------- */

TEST_CASE("factorial by polling: 5!, 12!, 13! wraps, 0!, 34! is 0 modulo 2^32", "[edu][factorial]")
{
	edu_model::device dev;
	auto wait = ticking(dev, 10);
	struct expectation {
		u32 n;
		u32 want;
	};
	const expectation cases[] = {
		{ 5, 120 }, { 12, 479001600u }, { 13, 1932053504u }, { 0, 1 }, { 34, 0 },
	};
	for (const expectation &c : cases) {
		INFO(c.n << "!");
		ioview::result<u32> r = edu::factorial(dev.bar(), c.n, wait);
		REQUIRE(r.ok());
		CHECK(r.value() == c.want);
	}
	CHECK(edu::factorial(dev.bar(), 13, wait).value() == 0x7328cc00); // as the doc comment says
	CHECK(dev.factorials_done() == 6);
	CHECK(dev.interrupts() == 0);
	CHECK(dev.ignored_writes() == 0);
}

TEST_CASE("factorial_start refuses -EBUSY while computing and writes nothing", "[edu][factorial]")
{
	edu_model::device dev;
	auto bar = dev.bar();
	REQUIRE(edu::factorial_start(bar, 5).ok());
	dev.reset_counts();

	CHECK(edu::factorial_start(bar, 6).error() == ebusy);
	CHECK(edu::factorial_start(bar, 6, edu::notify::interrupt).error() == ebusy);
	CHECK(dev.writes() == 0);
	CHECK(dev.counts().reads_of(4) == 2);
	CHECK(edu::factorial_result(bar).error() == ebusy);

	dev.advance(3);
	ioview::result<u32> r = edu::factorial_result(bar);
	REQUIRE(r.ok());
	CHECK(r.value() == 120); // the first operand's, not a dropped one's
}

TEST_CASE("the model drops an operand written while computing, as edu does", "[edu][factorial][model]")
{
	edu_model::device dev;
	auto bar = dev.bar();
	hw::factorial::write(bar, hw::factorial::zero().set(hw::factorial::data, 5));
	CHECK(hw::factorial::read(bar).get(hw::factorial::data) == 5); // the operand, while computing
	hw::factorial::write(bar, hw::factorial::zero().set(hw::factorial::data, 6));
	CHECK(dev.ignored_writes() == 1);
	dev.advance(3);
	CHECK(hw::factorial::read(bar).get(hw::factorial::data) == 120);
	CHECK(hw::status::read(bar).get(hw::status::computing) == 0);
}

TEST_CASE("factorial times out when the model never finishes", "[edu][factorial]")
{
	edu_model::config stalled;
	stalled.factorial_ticks = edu_model::never;
	edu_model::device dev(stalled);

	ioview::result<u32> r = edu::factorial(dev.bar(), 5, ticking(dev, 10));
	CHECK(r.error() == etimedout);
	CHECK(dev.ticks() == 10);                // the whole budget, no more
	CHECK(edu::factorial_start(dev.bar(), 6).error() == ebusy);

	// A policy that gives up at once checks once and waits not at all.
	edu_model::device idle_never;
	REQUIRE(edu::factorial_start(idle_never.bar(), 3).ok());
	CHECK(edu::factorial_wait(idle_never.bar(), ticking(idle_never, 0)).error() == etimedout);
	CHECK(idle_never.ticks() == 0);
}

TEST_CASE("factorial_start makes exactly these accesses: status, then the operand", "[edu][factorial][mock]")
{
	const u32 irq_request = hw::status::irq_on_completion.mask;

	SECTION("poll: the interrupt request is cleared")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::status::offset, 0)
			.expect_write32(hw::status::offset, 0)
			.expect_write32(hw::factorial::offset, 5);
		CHECK(edu::factorial_start(m.region<hw::bar0>(), 5).ok());
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("interrupt: the request is set before the operand")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::status::offset, irq_request) // an earlier request, not computing
			.expect_write32(hw::status::offset, irq_request)
			.expect_write32(hw::factorial::offset, 12);
		CHECK(edu::factorial_start(m.region<hw::bar0>(), 12, edu::notify::interrupt).ok());
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("busy: one read, nothing written")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::status::offset, hw::status::computing.mask);
		CHECK(edu::factorial_start(m.region<hw::bar0>(), 5).error() == ebusy);
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("an unknown notify value: nothing accessed")
	{
		ioview::testing::mock m;
		CHECK(edu::factorial_start(m.region<hw::bar0>(), 5, static_cast<edu::notify>(9)).error() == einval);
		CHECK(m.verify());
	}
	SECTION("factorial_result: status, then the result")
	{
		ioview::testing::mock m;
		m.expect_read32(hw::status::offset, 0).expect_read32(hw::factorial::offset, 120);
		CHECK(edu::factorial_result(m.region<hw::bar0>()).value() == 120);
		INFO(m.failure());
		CHECK(m.verify());
	}
}

TEST_CASE("factorial with an interrupt: edu raises 0x1, the handler acknowledges it", "[edu][factorial][irq]")
{
	edu_model::device dev;
	auto bar = dev.bar();
	REQUIRE(edu::factorial_start(bar, 5, edu::notify::interrupt).ok());
	dev.advance(2);
	CHECK_FALSE(dev.irq_line());
	dev.tick();
	CHECK(dev.irq_line());
	CHECK(dev.interrupts() == 1);

	edu::irq_bits bits = edu::handle_irq(bar);
	CHECK(bits.factorial());
	CHECK_FALSE(bits.dma());
	CHECK(bits.raw == hw::irq_factorial);
	CHECK_FALSE(dev.irq_line());
	CHECK(edu::factorial_result(bar).value() == 120);

	// The next computation polls: the earlier request was cleared, no interrupt.
	CHECK(edu::factorial(bar, 3, ticking(dev, 5)).value() == 6);
	CHECK(dev.interrupts() == 1);
}

/* ---- interrupts ---------------------------------------------------------------------------- */

TEST_CASE("handle_irq acknowledges exactly what it read and returns it", "[edu][irq][mock]")
{
	ioview::testing::mock m;
	m.expect_read32(hw::irq_status::offset, hw::irq_factorial | hw::irq_dma | 0x40)
		.expect_write32(hw::irq_ack::offset, hw::irq_factorial | hw::irq_dma | 0x40);
	edu::irq_bits bits = edu::handle_irq(m.region<hw::bar0>());
	CHECK(bits.raw == (hw::irq_factorial | hw::irq_dma | 0x40));
	CHECK(bits.factorial());
	CHECK(bits.dma());
	CHECK(bits.software() == 0x40);
	CHECK_FALSE(bits.none());
	INFO(m.failure());
	CHECK(m.verify());
}

TEST_CASE("handle_irq returns 0 (IRQ_NONE) and writes nothing on a zero status", "[edu][irq][mock]")
{
	ioview::testing::mock m;
	m.expect_read32(hw::irq_status::offset, 0);
	edu::irq_bits bits = edu::handle_irq(m.region<hw::bar0>());
	CHECK(bits.none());
	CHECK_FALSE(static_cast<bool>(bits));
	CHECK(bits.raw == 0);
	INFO(m.failure());
	CHECK(m.verify());
}

TEST_CASE("raise_irq and ack_irq are one write each", "[edu][irq][mock]")
{
	ioview::testing::mock m;
	m.expect_write32(hw::irq_raise::offset, 0x4).expect_write32(hw::irq_ack::offset, 0x4);
	edu::raise_irq(m.region<hw::bar0>(), 0x4);
	edu::ack_irq(m.region<hw::bar0>(), 0x4);
	INFO(m.failure());
	CHECK(m.verify());
}

TEST_CASE("the interrupt path on the model: raise, pending, handled, line low", "[edu][irq]")
{
	edu_model::device dev;
	auto bar = dev.bar();

	edu::raise_irq(bar, 0x4);
	CHECK(dev.irq_status() == 0x4);
	CHECK(dev.irq_line());
	CHECK(dev.interrupts() == 1);
	edu::raise_irq(bar, 0x10);
	CHECK(dev.irq_status() == 0x14);
	CHECK(dev.interrupts() == 2);           // one signal per raise, as MSI sends them
	CHECK(edu::pending_irqs(bar).raw == 0x14);

	edu::ack_irq(bar, 0x4);                 // only the given bits
	CHECK(dev.irq_status() == 0x10);
	CHECK(dev.irq_line());

	edu::irq_bits bits = edu::handle_irq(bar);
	CHECK(bits.raw == 0x10);
	CHECK(bits.software() == 0x10);
	CHECK_FALSE(dev.irq_line());

	dev.reset_counts();
	CHECK(edu::handle_irq(bar).none());
	CHECK(dev.writes() == 0);
	CHECK(dev.interrupts() == 2);
}

/* ---- the DMA engine ------------------------------------------------------------------------ */

TEST_CASE("DMA round trip RAM -> edu -> RAM returns exactly the bytes", "[edu][dma]")
{
	constexpr usize length = 0x2f3;        // odd on purpose, as the offsets
	constexpr usize source_at = 0xe35;     // crosses a page boundary
	constexpr usize landing_at = 2 * 4096 + 0x41;
	constexpr u64 in_buffer = 0x123;
	constexpr u8 sentinel = 0x5a;

	edu_model::device dev;
	static host_memory host;
	std::memset(host.bytes, sentinel, sizeof(host.bytes));
	for (usize i = 0; i < length; ++i)
		host.bytes[source_at + i] = pattern_byte(i);
	dev.attach_host(host.view());
	auto wait = ticking(dev, 10);

	REQUIRE(edu::dma_run(dev.bar(), edu::to_device(host.range(source_at, length), in_buffer), wait).ok());
	CHECK(first_not_pattern(dev.buffer() + in_buffer, length) == length);
	CHECK(first_not(dev.buffer(), in_buffer, 0) == in_buffer);  // nothing before it written

	REQUIRE(edu::dma_run(dev.bar(), edu::from_device(in_buffer, host.range(landing_at, length)), wait).ok());
	CHECK(first_not_pattern(host.bytes + landing_at, length) == length);
	CHECK(first_not(host.bytes + source_at + length, landing_at - source_at - length, sentinel) ==
	      landing_at - source_at - length);
	CHECK(first_not(host.bytes + landing_at + length, sizeof(host.bytes) - landing_at - length, sentinel) ==
	      sizeof(host.bytes) - landing_at - length);
	CHECK(first_not(host.bytes, source_at, sentinel) == source_at);

	CHECK(dev.transfers_done() == 2);
	CHECK_FALSE(dev.qemu_aborted());
	CHECK(dev.out_of_window_transfers() == 0);
	CHECK(dev.clamped_addresses() == 0);
	CHECK(dev.unbacked_transfers() == 0);
	CHECK(dev.counts().writes_of(8) == 8);  // four registers per transfer, one access each
	CHECK(dev.counts().writes_of(4) == 0);
	CHECK(dev.ignored_writes() == 0);
}

TEST_CASE("DMA of the whole usable window, 4095 bytes, both ways", "[edu][dma]")
{
	edu_model::device dev;
	static host_memory host;
	for (usize i = 0; i < 4096; ++i) {
		host.bytes[i] = pattern_byte(i);
		host.bytes[4096 + i] = 0;
	}
	dev.attach_host(host.view());
	auto wait = ticking(dev, 10);
	REQUIRE(edu::dma_run(dev.bar(), edu::to_device(host.range(0, hw::dma_window_bytes), 0), wait).ok());
	REQUIRE(edu::dma_run(dev.bar(), edu::from_device(0, host.range(4096, hw::dma_window_bytes)), wait).ok());
	CHECK(first_not_pattern(host.bytes + 4096, hw::dma_window_bytes) == hw::dma_window_bytes);
	CHECK(host.bytes[4096 + hw::dma_window_bytes] == 0);
	CHECK_FALSE(dev.qemu_aborted());
}

TEST_CASE("dma_start programs source, destination, count, then command: one 64-bit write each", "[edu][dma][mock]")
{
	constexpr u64 bus = 0x00a01230;

	SECTION("RAM to edu, interrupt on completion")
	{
		ioview::testing::mock m;
		m.expect_read64(hw::dma_command::offset, 0)
			.expect_write64(hw::dma_source::offset, bus)
			.expect_write64(hw::dma_destination::offset, hw::buffer_address + 0x10)
			.expect_write64(hw::dma_count::offset, 0x100)
			.expect_write64(hw::dma_command::offset,
					hw::dma_command::start.mask | hw::dma_command::raise_irq.mask);
		edu::dma_transfer t{ edu::dma_direction::to_device, bus, 0x10, 0x100, edu::notify::interrupt };
		CHECK(edu::dma_start(m.region<hw::bar0>(), t).ok());
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("edu to RAM, polled")
	{
		ioview::testing::mock m;
		m.expect_read64(hw::dma_command::offset, hw::dma_command::device_to_ram.mask) // an earlier transfer, done
			.expect_write64(hw::dma_source::offset, hw::buffer_address + 0xffe)
			.expect_write64(hw::dma_destination::offset, bus)
			.expect_write64(hw::dma_count::offset, 1)
			.expect_write64(hw::dma_command::offset,
					hw::dma_command::start.mask | hw::dma_command::device_to_ram.mask);
		edu::dma_transfer t{ edu::dma_direction::from_device, bus, 0xffe, 1, edu::notify::poll };
		CHECK(edu::dma_start(m.region<hw::bar0>(), t).ok());
		INFO(m.failure());
		CHECK(m.verify());
	}
	SECTION("busy: one read of the command, nothing written")
	{
		ioview::testing::mock m;
		m.expect_read64(hw::dma_command::offset, hw::dma_command::start.mask);
		edu::dma_transfer t{ edu::dma_direction::to_device, bus, 0, 16, edu::notify::poll };
		CHECK(edu::dma_start(m.region<hw::bar0>(), t).error() == ebusy);
		INFO(m.failure());
		CHECK(m.verify());
	}
}

TEST_CASE("every bad transfer is refused before any register is accessed", "[edu][dma][mock]")
{
	using edu::dma_direction;
	using edu::notify;
	constexpr u64 bus = host_memory::bus;
	constexpr dma_direction in = dma_direction::to_device;
	constexpr dma_direction out = dma_direction::from_device;
	struct bad {
		const char *what;
		edu::dma_transfer t;
		int error;
	};
	const bad cases[] = {
		{ "zero length", { in, bus, 0, 0, notify::poll }, einval },
		{ "longer than the buffer", { in, bus, 0, hw::buffer_bytes + 1, notify::poll }, einval },
		{ "a length near 2^64", { out, bus, 0, ~u64(0), notify::poll }, einval },
		{ "an unknown direction", { static_cast<dma_direction>(2), bus, 0, 16, notify::poll }, einval },
		{ "an unknown completion", { in, bus, 0, 16, static_cast<notify>(7) }, einval },
		{ "an offset past the buffer", { in, bus, hw::buffer_bytes, 1, notify::poll }, erange },
		{ "an offset that wraps when added", { in, bus, ~u64(0) - 2, 4, notify::poll }, erange },
		{ "the buffer's last byte (QEMU 7.2 aborts)", { out, bus, hw::buffer_bytes - 1, 1, notify::poll }, erange },
		{ "the whole buffer (QEMU 7.2 aborts)", { in, bus, 0, hw::buffer_bytes, notify::poll }, erange },
		{ "an end past the window", { in, bus, 4000, 200, notify::interrupt }, erange },
		{ "a host address above the mask", { in, hw::dma_mask + 1, 0, 16, notify::poll }, erange },
		{ "a host range ending above the mask", { out, hw::dma_mask - 14, 0, 16, notify::poll }, erange },
		{ "a host range of two bytes at the mask", { out, hw::dma_mask, 0, 2, notify::poll }, erange },
		{ "a host address that wraps when added", { in, ~u64(0) - 7, 0, 16, notify::poll }, erange },
	};
	for (const bad &c : cases) {
		INFO(c.what);
		CHECK(edu::dma_validate(c.t).error() == c.error);

		ioview::testing::mock m; // an empty script: any access fails it
		CHECK(edu::dma_start(m.region<hw::bar0>(), c.t).error() == c.error);
		counting_wait w;
		CHECK(edu::dma_run(m.region<hw::bar0>(), c.t, w).error() == c.error);
		CHECK(w.calls == 0);
		INFO(m.failure());
		CHECK(m.verify());
		CHECK(m.mismatches() == 0);

		edu_model::device dev;
		CHECK(edu::dma_start(dev.bar(), c.t).error() == c.error);
		CHECK(dev.counts().total() == 0);
	}
}

TEST_CASE("the edges of the window and of the mask are accepted", "[edu][dma]")
{
	using edu::dma_direction;
	using edu::notify;
	const edu::dma_transfer edges[] = {
		{ dma_direction::to_device, host_memory::bus, 0, hw::dma_window_bytes, notify::poll },
		{ dma_direction::from_device, host_memory::bus, hw::dma_window_bytes - 1, 1, notify::poll },
		{ dma_direction::to_device, host_memory::bus, 0, 1, notify::interrupt },
		{ dma_direction::to_device, hw::dma_mask - 15, 0, 16, notify::poll }, // ends on the mask's last byte
		{ dma_direction::from_device, 0, 0, 16, notify::poll },
	};
	for (const edu::dma_transfer &t : edges) {
		INFO("offset " << t.device_offset << " length " << t.length << " bus " << std::hex << t.bus_address);
		CHECK(edu::dma_validate(t).ok());
	}
	// The window's edges run on the model without tripping QEMU 7.2's range check.
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	for (usize i = 0; i < 3; ++i)
		REQUIRE(edu::dma_run(dev.bar(), edges[i], ticking(dev, 10)).ok());
	CHECK_FALSE(dev.qemu_aborted());
	CHECK(dev.transfers_done() == 3);
}

TEST_CASE("dma_start refuses -EBUSY while a transfer runs and writes nothing", "[edu][dma]")
{
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	auto bar = dev.bar();
	REQUIRE(edu::dma_start(bar, edu::to_device(host.range(0, 64), 0)).ok());
	CHECK(edu::dma_busy(bar));
	dev.reset_counts();

	CHECK(edu::dma_start(bar, edu::from_device(0, host.range(4096, 64))).error() == ebusy);
	CHECK(dev.writes() == 0);
	CHECK(dev.counts().reads_of(8) == 1);

	// What it protects against: edu drops writes to its DMA registers while running.
	hw::dma_count::write(bar, hw::dma_count::zero().set(hw::dma_count::bytes, 8));
	CHECK(dev.ignored_writes() == 1);
	CHECK(hw::dma_count::read(bar).get(hw::dma_count::bytes) == 64);

	CHECK(edu::dma_wait(bar, ticking(dev, 10)).ok());
	CHECK(edu::dma_start(bar, edu::from_device(0, host.range(4096, 64))).ok());
}

TEST_CASE("DMA times out when the model never finishes; quiesce reports it too", "[edu][dma]")
{
	edu_model::config stalled;
	stalled.dma_ticks = edu_model::never;
	edu_model::device dev(stalled);
	static host_memory host;
	dev.attach_host(host.view());
	auto bar = dev.bar();

	CHECK(edu::dma_run(bar, edu::to_device(host.range(0, 32), 0), ticking(dev, 20)).error() == etimedout);
	CHECK(dev.ticks() == 20);
	CHECK(dev.dma_running());
	CHECK(edu::dma_quiesce(bar, ticking(dev, 5)).error() == etimedout);
	CHECK(dev.ticks() == 25);
	CHECK(edu::dma_start(bar, edu::to_device(host.range(0, 32), 0)).error() == ebusy);
}

TEST_CASE("dma_quiesce: an idle engine costs one read and no wait; a running one is waited for", "[edu][dma]")
{
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	auto bar = dev.bar();

	counting_wait w;
	CHECK(edu::dma_quiesce(bar, w).ok());
	CHECK(w.calls == 0);
	CHECK(dev.counts().total() == 1);

	REQUIRE(edu::dma_start(bar, edu::to_device(host.range(0, 32), 0)).ok());
	CHECK(edu::dma_quiesce(bar, ticking(dev, 10)).ok());
	CHECK_FALSE(dev.dma_running());
	CHECK(dev.ticks() == 5);
	CHECK(dev.transfers_done() == 1);
}

TEST_CASE("DMA with an interrupt: edu raises 0x100, the handler acknowledges it", "[edu][dma][irq]")
{
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	auto bar = dev.bar();

	REQUIRE(edu::dma_start(bar, edu::to_device(host.range(0, 32), 0, edu::notify::interrupt)).ok());
	dev.advance(4);
	CHECK_FALSE(dev.irq_line());
	dev.tick();
	CHECK(dev.irq_line());
	edu::irq_bits bits = edu::handle_irq(bar);
	CHECK(bits.dma());
	CHECK(bits.raw == hw::irq_dma);
	CHECK_FALSE(dev.irq_line());
	CHECK_FALSE(edu::dma_busy(bar));
}

TEST_CASE("to_device and from_device take the address and length from the coherent view", "[edu][dma]")
{
	static host_memory host;
	edu::dma_transfer in = edu::to_device(host.range(0x10, 0x20), 0x30, edu::notify::interrupt);
	CHECK(in.direction == edu::dma_direction::to_device);
	CHECK(in.bus_address == host_memory::bus + 0x10);
	CHECK(in.length == 0x20);
	CHECK(in.device_offset == 0x30);
	CHECK(in.completion == edu::notify::interrupt);

	edu::dma_transfer out = edu::from_device(0x40, host.range(0x100, 0x8));
	CHECK(out.direction == edu::dma_direction::from_device);
	CHECK(out.bus_address == host_memory::bus + 0x100);
	CHECK(out.length == 8);
	CHECK(out.completion == edu::notify::poll);

	// A read-only source is fine for to_device.
	CHECK(edu::to_device(host.range(0, 4).as_const(), 0).length == 4);
}

/* ---- the model itself ---------------------------------------------------------------------- */

TEST_CASE("the model aliases host addresses through the 28-bit mask, which the driver refuses", "[edu][dma][model]")
{
	edu_model::device dev;
	static host_memory host;
	std::memset(host.bytes, 0, sizeof(host.bytes));
	host.bytes[0] = 0xc3;
	dev.attach_host(host.view());
	auto bar = dev.bar();
	const u64 aliased = host_memory::bus + (u64(1) << hw::dma_mask_bits);

	// Programmed by hand: edu masks the address and reads the host's first page anyway.
	hw::dma_source::write(bar, hw::dma_source::zero().try_set(hw::dma_source::address, aliased).value());
	hw::dma_destination::write(bar, hw::dma_destination::zero().try_set(hw::dma_destination::address, hw::buffer_address).value());
	hw::dma_count::write(bar, hw::dma_count::zero().set(hw::dma_count::bytes, 1));
	hw::dma_command::write(bar, hw::dma_command::zero().set(hw::dma_command::start, 1));
	dev.advance(5);
	CHECK(dev.clamped_addresses() == 1);
	CHECK(dev.buffer()[0] == 0xc3);

	edu::dma_transfer t{ edu::dma_direction::to_device, aliased, 0, 1, edu::notify::poll };
	dev.reset_counts();
	CHECK(edu::dma_start(bar, t).error() == erange);
	CHECK(dev.counts().total() == 0);
}

TEST_CASE("the model: QEMU 7.2 aborts on a transfer reaching the buffer's end, 9.1 does not", "[edu][dma][model]")
{
	auto whole_buffer = [](edu_model::device &dev) {
		auto bar = dev.bar();
		hw::dma_source::write(bar, hw::dma_source::zero().set(hw::dma_source::address, host_memory::bus));
		hw::dma_destination::write(bar, hw::dma_destination::zero().try_set(hw::dma_destination::address, hw::buffer_address).value());
		hw::dma_count::write(bar, hw::dma_count::zero().try_set(hw::dma_count::bytes, hw::buffer_bytes).value());
		hw::dma_command::write(bar, hw::dma_command::zero().set(hw::dma_command::start, 1));
		dev.advance(5);
	};
	static host_memory host;
	edu_model::device qemu_7_2;
	qemu_7_2.attach_host(host.view());
	whole_buffer(qemu_7_2);
	CHECK(qemu_7_2.qemu_aborted());
	CHECK(qemu_7_2.out_of_window_transfers() == 1);

	edu_model::config fixed;
	fixed.qemu_7_2_range_check = false;
	edu_model::device qemu_9_1(fixed);
	qemu_9_1.attach_host(host.view());
	whole_buffer(qemu_9_1);
	CHECK_FALSE(qemu_9_1.qemu_aborted());
	CHECK(qemu_9_1.out_of_window_transfers() == 0);
}

TEST_CASE("the model decodes widths and offsets as edu does", "[edu][model]")
{
	edu_model::device dev;
	auto bar = dev.bar();

	SECTION("below 0x80 only 32-bit accesses reach a register")
	{
		CHECK(bar.read64<hw::identification::offset>() == ~u64(0));
		bar.write64<hw::factorial::offset>(5);
		CHECK(dev.ignored_writes() == 1);
		CHECK_FALSE(dev.computing());
		CHECK(bar.try_read8(hw::identification::offset).value() == 0xff);
		CHECK(bar.try_read16(hw::identification::offset).value() == 0xffff);
		CHECK(bar.read32<hw::identification::offset>() == hw::identification_value);
	}
	SECTION("offsets that are no register read all ones and drop writes")
	{
		CHECK(bar.try_read32(hw::factorial::offset + 4).value() == 0xffffffff);
		CHECK(bar.try_read32(hw::dma_source::offset + 4).value() == 0xffffffff);
		CHECK(bar.try_read32(hw::bar_bytes - 4).value() == 0xffffffff);
		CHECK(bar.try_read32(hw::irq_raise::offset).value() == 0xffffffff); // wo: reads mean nothing
		CHECK(bar.try_write32(hw::bar_bytes - 4, 1).ok());
		CHECK(dev.ignored_writes() == 1);
	}
	SECTION("a 32-bit write to a 64-bit register replaces all of it")
	{
		hw::dma_source::write(bar, hw::dma_source::zero().set(hw::dma_source::address, 0x1122334455667788));
		CHECK(bar.read32<hw::dma_source::offset>() == 0x55667788);
		bar.write32<hw::dma_source::offset>(0xabcd);
		CHECK(hw::dma_source::read(bar).get(hw::dma_source::address) == 0xabcd);
	}
	SECTION("a command without start is dropped whole")
	{
		hw::dma_command::write(bar, hw::dma_command::zero().set(hw::dma_command::device_to_ram, 1));
		CHECK(dev.ignored_writes() == 1);
		CHECK(hw::dma_command::read(bar).raw() == 0);
	}
	SECTION("liveness reads 0 before the first write, then the complement")
	{
		CHECK(hw::liveness::read(bar).raw() == 0);
		hw::liveness::write(bar, hw::liveness::zero().set(hw::liveness::data, 0x12345678));
		CHECK(hw::liveness::read(bar).raw() == ~u32(0x12345678));
	}
}

TEST_CASE("a whole session uses 32-bit accesses below 0x80, 64-bit above, and loses no write", "[edu]")
{
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	auto bar = dev.bar();
	auto wait = ticking(dev, 10);

	REQUIRE(edu::identify(bar).ok());
	REQUIRE(edu::factorial(bar, 10, wait).value() == 3628800);
	REQUIRE(edu::factorial_start(bar, 4, edu::notify::interrupt).ok());
	dev.advance(3);
	REQUIRE(edu::handle_irq(bar).factorial());
	REQUIRE(edu::dma_run(bar, edu::to_device(host.range(0, 100), 7, edu::notify::interrupt), wait).ok());
	REQUIRE(edu::handle_irq(bar).dma());
	REQUIRE(edu::dma_run(bar, edu::from_device(7, host.range(4096, 100)), wait).ok());
	REQUIRE(edu::dma_quiesce(bar, wait).ok());
	edu::raise_irq(bar, 0x8);
	REQUIRE(edu::handle_irq(bar).software() == 0x8);

	const ioview::testing::access_counts &c = dev.counts();
	CHECK(c.reads_of(1) + c.reads_of(2) + c.writes_of(1) + c.writes_of(2) == 0);
	CHECK(c.reads_of(4) > 0);
	CHECK(c.writes_of(8) == 8);
	CHECK(dev.ignored_writes() == 0); // every write reached a register edu took it for
	CHECK(std::memcmp(host.bytes, host.bytes + 4096, 100) == 0);
	CHECK_FALSE(dev.irq_line());
}

/* ---- the examples in edu_logic.h's comments, compiled and run ------------------------------- */

namespace doc_examples {
template <typename B>
ioview::status send(ioview::view<B, ioview::devices::edu::bar0> bar, ioview::view<ioview::coherent, ioview::slice<ioview::u8>> buf)
{
	namespace edu = ioview::drivers::edu;
	auto wait = edu::poll_every([] {}, 500);   // the kernel's step sleeps: msleep(10)
	return edu::dma_run(bar, edu::to_device(buf, 0), wait);  // -EINVAL/-ERANGE/-EBUSY/-ETIMEDOUT
}

struct give_up_at_once {
	template <typename Done> bool operator()(Done &&done) { return done(); }
};
static_assert(ioview::drivers::edu::wait_policy<give_up_at_once>);

template <typename B> int probe_step(ioview::view<B, ioview::devices::edu::bar0> bar)
{
	auto id = ioview::drivers::edu::identify(bar);
	if (!id)
		return id.error;   // dev_err("%s: read %#x, want %#x", id.reason, id.got, id.expected)
	return 0;
}

template <typename B> ioview::u32 five_factorial(ioview::view<B, ioview::devices::edu::bar0> bar)
{
	auto wait = ioview::drivers::edu::poll_every([] {}, 1000);   // step: usleep_range(100, 200)
	return ioview::drivers::edu::factorial(bar, 5, wait).value_or(0);   // 120
}

template <typename B> int edu_isr(ioview::view<B, ioview::devices::edu::bar0> bar)
{
	ioview::drivers::edu::irq_bits bits = ioview::drivers::edu::handle_irq(bar);
	if (bits.none())
		return 0;          // IRQ_NONE
	return 1;                  // IRQ_HANDLED
}

static_assert(ioview::drivers::edu::check_identification(0x010000ed).ok());
static_assert(ioview::drivers::edu::check_identification(0x020000ed).error == -ioview::enodev);
static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 0, 4095, edu::notify::poll }).ok());
static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 1, 4095, edu::notify::poll }).error() == -ioview::erange);
static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 0, 0, edu::notify::poll }).error() == -ioview::einval);

ioview::status refuse_while_busy(bool busy)
{
	return busy ? ioview::fail(ioview::drivers::ebusy) : ioview::status::success();   // -EBUSY
}

template <typename B> bool looks_like_edu(ioview::view<B, ioview::devices::edu::bar0> bar)
{
	namespace edu = ioview::devices::edu;
	auto id = edu::identification::read(bar);
	return id.get(edu::identification::magic) == edu::magic && id.get(edu::identification::major) == edu::major;
}
} // namespace doc_examples

TEST_CASE("the examples of devices/edu.h, driver_errno.h and edu_logic.h work on the model", "[edu][doc]")
{
	edu_model::device dev;
	static host_memory host;
	dev.attach_host(host.view());
	CHECK(doc_examples::looks_like_edu(dev.bar()));
	CHECK(doc_examples::probe_step(dev.bar()) == 0);
	CHECK(doc_examples::refuse_while_busy(true).error() == ebusy);
	CHECK(doc_examples::edu_isr(dev.bar()) == 0);
	// The examples' steps do not tick the model: with a computation or a transfer that takes no
	// ticks to be seen done they still finish, with one that never ends they time out.
	edu_model::config stalled;
	stalled.factorial_ticks = edu_model::never;
	stalled.dma_ticks = edu_model::never;
	edu_model::device stuck(stalled);
	stuck.attach_host(host.view());
	CHECK(doc_examples::five_factorial(stuck.bar()) == 0);
	CHECK(doc_examples::send(stuck.bar(), host.range(0, 16)).error() == etimedout);
}
