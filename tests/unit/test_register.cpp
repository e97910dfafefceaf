// Registers: fields and their access kinds, reserved bits, read side effects, relaxed forms,
// arrays, relative blocks, regions, byte order, and the metadata a generic tool reads.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>
#include <ioview/testing/mock.h>

#include "fake_backends.h"

using namespace ioview;

namespace {
struct uart_tag;
using uart_regs = region<0x20, uart_tag>;

struct uart_ctrl : reg<uart_ctrl, u32, 0x04, uart_regs> {
	static constexpr field<0> enable{};
	static constexpr field<3, 1> mode{};
	static constexpr field<7, 4, w1c> irq{};
	static constexpr field<15, 8, ro> version{};
	static constexpr field<31, 16, rsvd_zero> reserved{};
	static constexpr field_list<enable, mode, irq, version, reserved> fields{};
};

struct uart_wide : reg<uart_wide, u64, 0x08, uart_regs> {
	static constexpr field<63, 0> all{};
	static constexpr field_list<all> fields{};
};

struct dma_tag;
using dma_regs = region<0x40, dma_tag>;
struct chan_len : reg_array<chan_len, u32, 0x10, 8, 4, dma_regs> {
	static constexpr field<15, 0> bytes{};
	static constexpr field<30, 16, rsvd_zero> reserved{};
	static constexpr field<31, 31, w1c> done{};
	static constexpr field_list<bytes, reserved, done> fields{};
};

struct cfg_tag;
using cfg_regs = region<64, cfg_tag>;
struct command : reg<command, u16, 0x4, cfg_regs> {
	static constexpr field<0> io_enable{};
	static constexpr field<1> mem_enable{};
	static constexpr field<2> bus_master{};
	static constexpr field<15, 3, rsvd_keep> others{}; // not this driver's business: preserved
	static constexpr field_list<io_enable, mem_enable, bus_master, others> fields{};
};

// A register relative to a block base: the same definition serves every engine instance.
struct engine_tag;
using engine_block = region<0x10, engine_tag>;
struct engine_go : reg<engine_go, u32, 0x8, engine_block> {
	static constexpr field<0> go{};
	static constexpr field<31, 1, rsvd_zero> reserved{};
	static constexpr field_list<go, reserved> fields{};
};
} // namespace

TEST_CASE("bitfield masks follow the datasheet hi:lo ranges", "[register]")
{
	STATIC_REQUIRE(decltype(uart_ctrl::mode)::mask == 0xe);
	STATIC_REQUIRE(decltype(uart_ctrl::mode)::width == 3);
	STATIC_REQUIRE(decltype(uart_ctrl::enable)::mask == 0x1);
	STATIC_REQUIRE(decltype(uart_ctrl::reserved)::mask == 0xffff0000u);
	STATIC_REQUIRE(decltype(uart_wide::all)::mask == ~0ull);
	auto v = uart_ctrl::zero().set(uart_ctrl::mode, 5).set(uart_ctrl::enable, 1);
	REQUIRE(v.raw() == 0xb);
	REQUIRE(v.get(uart_ctrl::mode) == 5);
	REQUIRE(v.get(uart_ctrl::enable) == 1);
	auto w = uart_ctrl::value::from_raw(0x1234abcd);
	REQUIRE(w.get(uart_ctrl::version) == 0xab);
	REQUIRE(w.get(uart_ctrl::irq) == 0xc);
}

TEST_CASE("try_set rejects values wider than the field", "[register]")
{
	auto v = uart_ctrl::zero();
	REQUIRE(v.try_set(uart_ctrl::mode, 7).ok());
	REQUIRE(v.try_set(uart_ctrl::mode, 7).value().get(uart_ctrl::mode) == 7);
	REQUIRE(v.try_set(uart_ctrl::mode, 8).error() == -erange);
	REQUIRE(v.try_set(uart_ctrl::mode, ~0ull).error() == -erange);
	REQUIRE(uart_wide::zero().try_set(uart_wide::all, ~0ull).ok());
}

TEST_CASE("a full-width write never reads and forces reserved bits to zero", "[register][mock]")
{
	testing::mock dev;
	dev.expect_write32(0x04, 0x0000000b);
	auto regs = dev.region<uart_regs>();
	uart_ctrl::write(regs, uart_ctrl::value::from_raw(0xffff000b));
	REQUIRE(dev.verify());
}

TEST_CASE("update writes back w1c bits as zero unless set explicitly", "[register][mock]")
{
	testing::mock dev;
	auto regs = dev.region<uart_regs>();
	// irq bits 7:4 read as pending (0xa); changing mode must not acknowledge them.
	dev.expect_read32(0x04, 0x000012a1).expect_write32(0x04, 0x00001207);
	uart_ctrl::update(regs, [](auto v) { return v.set(uart_ctrl::mode, 3); });
	// Acknowledging only bit 5 of the irq field writes exactly that bit.
	dev.expect_read32(0x04, 0x000012a1).expect_write32(0x04, 0x00001221);
	uart_ctrl::update(regs, [](auto v) { return v.set(uart_ctrl::irq, 0x2); });
	REQUIRE(dev.verify());
}

TEST_CASE("read returns the snapshot of one access", "[register][mock]")
{
	testing::mock dev;
	dev.expect_read64(0x08, 0x0102030405060708ull);
	auto regs = dev.region<region<0x20, uart_tag, 8>>();
	REQUIRE(uart_wide::read(regs).get(uart_wide::all) == 0x0102030405060708ull);
	REQUIRE(dev.verify());
}

TEST_CASE("register arrays: constant and runtime indices", "[register]")
{
	testing::memory<0x40> mem;
	auto io = mem.region<dma_regs>();
	chan_len::write<2>(io, chan_len::zero().set(chan_len::bytes, 0x600));
	REQUIRE(io.read32<0x20>() == 0x600);
	REQUIRE(chan_len::read<2>(io).get(chan_len::bytes) == 0x600);
	REQUIRE(chan_len::try_write(io, 3, chan_len::zero().set(chan_len::bytes, 9)).ok());
	REQUIRE(io.read32<0x28>() == 9);
	REQUIRE(chan_len::try_read(io, 3).value().get(chan_len::bytes) == 9);
	REQUIRE(chan_len::try_read(io, 4).error() == -erange);
	REQUIRE(chan_len::try_write(io, 4, chan_len::zero()).error() == -erange);
	io.write32<0x18>(0x80000010);
	REQUIRE(chan_len::try_update(io, 1, [](auto v) { return v.set(chan_len::bytes, 0x20); }).ok());
	REQUIRE(io.read32<0x18>() == 0x20); // done (w1c) was read as 1 and not written back
	REQUIRE(chan_len::try_update(io, 9, [](auto v) { return v; }).error() == -erange);
	chan_len::update<0>(io, [](auto v) { return v.set(chan_len::done, 1); });
	REQUIRE(io.read32<0x10>() == 0x80000000);
}

TEST_CASE("registers relative to a block base at constant and runtime offsets", "[register]")
{
	testing::memory<0x40> mem;
	auto bar = mem.region<region<0x40>>();
	auto e1 = bar.region_at<engine_block, 0x10>();
	engine_go::write(e1, engine_go::zero().set(engine_go::go, 1));
	REQUIRE(bar.read32<0x18>() == 1);
	auto e3 = bar.try_region_at<engine_block>(0x30);
	REQUIRE(e3.ok());
	engine_go::write(e3.value(), engine_go::zero().set(engine_go::go, 1));
	REQUIRE(bar.read32<0x38>() == 1);
	REQUIRE(bar.try_region_at<engine_block>(0x38).error() == -erange);
}

TEST_CASE("registers on a fallible backend return errors", "[register][config]")
{
	fake::pci_dev dev{};
	auto cfg = fake::config_space::open<cfg_regs>(dev);
	REQUIRE(command::update(cfg, [](auto v) { return v.set(command::bus_master, 1); }).ok());
	REQUIRE(dev.cfg[4] == 4);
	REQUIRE(command::read(cfg).value().get(command::bus_master) == 1);
	dev.unplugged = true;
	REQUIRE(command::read(cfg).error() == -eio);
	REQUIRE(command::write(cfg, command::zero()).error() == -eio);
	REQUIRE(command::update(cfg, [](auto v) { return v; }).error() == -eio);
}

namespace {
// One field of each access kind that update() treats differently.
struct mixed : reg<mixed, u32, 0x0c, uart_regs> {
	static constexpr field<3, 0> mode{};
	static constexpr field<7, 4, w1c> pending{};
	static constexpr field<11, 8, w1s> start{};
	static constexpr field<15, 12, wo> command{};
	static constexpr field<19, 16, ro> state{};
	static constexpr field<23, 20, rsvd_keep> keep{};
	static constexpr field<31, 24, rsvd_zero> zeros{};
	static constexpr field_list<mode, pending, start, command, state, keep, zeros> fields{};
};

// Reading clears the pending bits: a register with read side effects.
struct irq_status : reg<irq_status, u32, 0x10, uart_regs> {
	static constexpr field<7, 0, rc> pending{};
	static constexpr field<8, 8, ro> masked{};
	static constexpr field<31, 9, rsvd_zero> reserved{};
	static constexpr field_list<pending, masked, reserved> fields{};
};

struct chan_status : reg_array<chan_status, u32, 0x30, 4, 4, dma_regs> {
	static constexpr field<15, 0, rc> errors{};
	static constexpr field<31, 16, rsvd_keep> reserved{};
	static constexpr field_list<errors, reserved> fields{};
};

enum uart_mode { mode_slow = 1, mode_fast = 5 };
} // namespace

TEST_CASE("update writes 0 to w1c, w1s and wo fields unless they are set explicitly", "[register][mock]")
{
	testing::mock dev;
	auto regs = dev.region<uart_regs>();
	// Every bit reads as 1. Written back as read: mode, state (ro), keep (rsvd_keep). Written as
	// 0: pending (a 1 would clear), start (a 1 would set), command (read means nothing), zeros.
	dev.expect_read32(0x0c, 0xffffffff).expect_write32(0x0c, 0x00ff0005);
	mixed::update(regs, [](auto v) { return v.set(mixed::mode, 5); });
	// Set explicitly, they are written as set.
	dev.expect_read32(0x0c, 0xffffffff).expect_write32(0x0c, 0x00ff321f);
	mixed::update(regs, [](auto v) {
		return v.set(mixed::pending, 1).set(mixed::start, 2).set(mixed::command, 3);
	});
	// The snapshot update() hands over already has those bits at 0.
	dev.expect_read32(0x0c, 0xffffffff).expect_write32(0x0c, 0x00ff000f);
	mixed::update(regs, [](auto v) {
		REQUIRE(v.get(mixed::pending) == 0);
		REQUIRE(v.get(mixed::start) == 0);
		REQUIRE(v.raw() == 0xffff000f);
		return v;
	});
	REQUIRE(dev.verify());
}

TEST_CASE("rsvd_keep is preserved by update and written as the snapshot holds it", "[register]")
{
	testing::memory<0x20> mem;
	auto io = mem.region<uart_regs>();
	io.write32<0x0c>(0x00a30000); // keep = 0xa, state = 3
	mixed::update(io, [](auto v) { return v.set(mixed::mode, 1); });
	REQUIRE(io.read32<0x0c>() == 0x00a30001);
	mixed::write(io, mixed::read(io).set(mixed::mode, 2)); // what read() gave, written back
	REQUIRE(io.read32<0x0c>() == 0x00a30002);
	mixed::write(io, mixed::zero().set(mixed::mode, 2)); // zero() holds 0 there
	REQUIRE(io.read32<0x0c>() == 0x00000002);
}

TEST_CASE("rsvd_zero is forced to 0 whatever the snapshot holds", "[register][mock]")
{
	testing::mock dev;
	auto regs = dev.region<uart_regs>();
	dev.expect_write32(0x0c, 0x00ffffff);
	mixed::write(regs, mixed::value::from_raw(0xffffffff));
	dev.expect_read32(0x0c, 0xff000000).expect_write32(0x0c, 0x00000000);
	mixed::update(regs, [](auto v) { return v; });
	dev.expect_read32(0x0c, 0).expect_write32(0x0c, 0x00000000);
	mixed::update(regs, [](auto) { return mixed::value::from_raw(0xff000000); });
	REQUIRE(dev.verify());
}

TEST_CASE("read_with_side_effects makes exactly one read", "[register][mock]")
{
	STATIC_REQUIRE(irq_status::has_read_side_effects);
	STATIC_REQUIRE(chan_status::has_read_side_effects);
	STATIC_REQUIRE(!uart_ctrl::has_read_side_effects);
	STATIC_REQUIRE(!mixed::has_read_side_effects);
	testing::mock dev;
	auto regs = dev.region<uart_regs>();
	dev.expect_read32(0x10, 0x1a5);
	auto v = irq_status::read_with_side_effects(regs);
	REQUIRE(dev.verify());
	REQUIRE(v.get(irq_status::pending) == 0xa5);
	REQUIRE(v.get(irq_status::masked) == 1);
	dev.expect_read32_relaxed(0x10, 0x3);
	REQUIRE(irq_status::read_with_side_effects_relaxed(regs).get(irq_status::pending) == 3);
	// Writing it is allowed and does not read.
	dev.expect_write32(0x10, 0);
	irq_status::write(regs, irq_status::zero());
	REQUIRE(dev.verify());

	auto dma = dev.region<dma_regs>();
	dev.expect_read32(0x34, 0x7).expect_read32(0x3c, 0x9).expect_read32_relaxed(0x38, 0x2);
	REQUIRE(chan_status::read_with_side_effects<1>(dma).get(chan_status::errors) == 7);
	REQUIRE(chan_status::try_read_with_side_effects(dma, 3).value().get(chan_status::errors) == 9);
	REQUIRE(chan_status::try_read_with_side_effects_relaxed(dma, 2).value().get(chan_status::errors) == 2);
	REQUIRE(chan_status::try_read_with_side_effects(dma, 4).error() == -erange);
	REQUIRE(dev.verify());
}

TEST_CASE("relaxed register forms make relaxed accesses", "[register][mock]")
{
	testing::mock dev;
	auto regs = dev.region<uart_regs>();
	dev.expect_read32_relaxed(0x04, 0x000012a1);
	REQUIRE(uart_ctrl::read_relaxed(regs).get(uart_ctrl::version) == 0x12);
	dev.expect_write32_relaxed(0x04, 0x0000000b);
	uart_ctrl::write_relaxed(regs, uart_ctrl::value::from_raw(0xffff000b));
	// Same update semantics: w1c bits read as 1 are not written back.
	dev.expect_read32_relaxed(0x04, 0x000012a1).expect_write32_relaxed(0x04, 0x00001207);
	uart_ctrl::update_relaxed(regs, [](auto v) { return v.set(uart_ctrl::mode, 3); });
	REQUIRE(dev.verify());

	auto dma = dev.region<dma_regs>();
	dev.expect_read32_relaxed(0x18, 0x80000010)
		.expect_write32_relaxed(0x20, 0x600)
		.expect_read32_relaxed(0x28, 0x80000001)
		.expect_write32_relaxed(0x28, 0x00000002);
	REQUIRE(chan_len::read_relaxed<1>(dma).get(chan_len::done) == 1);
	chan_len::write_relaxed<2>(dma, chan_len::zero().set(chan_len::bytes, 0x600));
	chan_len::update_relaxed<3>(dma, [](auto v) { return v.set(chan_len::bytes, 2); });
	REQUIRE(dev.verify());

	dev.expect_read32_relaxed(0x10, 0x5)
		.expect_write32_relaxed(0x18, 0x9)
		.expect_read32_relaxed(0x20, 0x80000000)
		.expect_write32_relaxed(0x20, 0x80000003);
	REQUIRE(chan_len::try_read_relaxed(dma, 0).value().get(chan_len::bytes) == 5);
	REQUIRE(chan_len::try_write_relaxed(dma, 1, chan_len::zero().set(chan_len::bytes, 9)).ok());
	REQUIRE(chan_len::try_update_relaxed(dma, 2, [](auto v) {
		return v.set(chan_len::bytes, 3).set(chan_len::done, 1);
	}).ok());
	// A bad index is refused before any access.
	REQUIRE(chan_len::try_read_relaxed(dma, 4).error() == -erange);
	REQUIRE(chan_len::try_write_relaxed(dma, 4, chan_len::zero()).error() == -erange);
	REQUIRE(chan_len::try_update_relaxed(dma, 4, [](auto v) { return v; }).error() == -erange);
	REQUIRE(dev.verify());
}

TEST_CASE("a register on a big-endian device is a number in the device's order, like read32", "[register]")
{
	testing::memory<0x20, 8, byte_order::big> mem;
	auto io = mem.region<uart_regs>();
	uart_ctrl::write(io, uart_ctrl::value::from_raw(0x0b));
	const unsigned char *b = mem.bytes();
	REQUIRE(b[4] == 0x00);
	REQUIRE(b[5] == 0x00);
	REQUIRE(b[6] == 0x00);
	REQUIRE(b[7] == 0x0b);
	REQUIRE(io.read32<0x04>() == 0x0b);
	REQUIRE(uart_ctrl::read(io).raw() == 0x0b);

	mem.bytes()[4] = 0x12; // most significant byte first
	mem.bytes()[5] = 0x34;
	mem.bytes()[6] = 0x56;
	mem.bytes()[7] = 0x78;
	REQUIRE(uart_ctrl::read(io).raw() == io.read32<0x04>());
	REQUIRE(uart_ctrl::read(io).raw() == 0x12345678);
	REQUIRE(uart_ctrl::read(io).get(uart_ctrl::version) == 0x56);
	REQUIRE(uart_ctrl::read(io).get(uart_ctrl::mode) == 4);
}

TEST_CASE("field and register metadata for a generic tool", "[register]")
{
	using irq = decltype(uart_ctrl::irq);
	STATIC_REQUIRE(irq::hi == 7 && irq::lo == 4 && irq::width == 4 && irq::mask == 0xf0 && irq::access == w1c);
	STATIC_REQUIRE(uart_ctrl::offset == 0x04 && uart_ctrl::width == 32);
	STATIC_REQUIRE(uart_wide::width == 64 && command::width == 16);
	STATIC_REQUIRE(chan_len::offset == 0x10 && chan_len::stride == 8 && chan_len::count == 4 && chan_len::width == 32);

	using list = decltype(uart_ctrl::fields);
	STATIC_REQUIRE(list::size == 5);
	STATIC_REQUIRE(list::infos[2].hi == 7 && list::infos[2].lo == 4 && list::infos[2].access == w1c);
	STATIC_REQUIRE(list::infos[4].access == rsvd_zero);
	STATIC_REQUIRE(list::contains<irq>);
	STATIC_REQUIRE(!list::contains<uart_ctrl::field<7, 4>>); // same bits, other access: another field
	STATIC_REQUIRE(!list::has_read_side_effects && decltype(irq_status::fields)::has_read_side_effects);

	// Iterated at compile time, the masks add up to the whole register.
	constexpr u32 covered = [] {
		u32 m = 0;
		uart_ctrl::fields.for_each([&](auto f) { m |= decltype(f)::mask; });
		return m;
	}();
	STATIC_REQUIRE(covered == 0xffffffff);

	// And at run time, as a "describe registers" command would walk them.
	unsigned writable = 0;
	for (const field_info &f : list::infos)
		if (f.access == rw || f.access == w1c)
			writable += f.hi - f.lo + 1;
	REQUIRE(writable == 8);
}

TEST_CASE("set takes integer, bool and enum constants", "[register]")
{
	auto v = uart_ctrl::zero().set(uart_ctrl::mode, mode_fast).set(uart_ctrl::enable, true);
	REQUIRE(v.raw() == 0xb);
	REQUIRE(v.set(uart_ctrl::mode, mode_slow).get(uart_ctrl::mode) == 1);
	constexpr unsigned char small = 7;
	REQUIRE(v.set(uart_ctrl::mode, small).get(uart_ctrl::mode) == 7);
	REQUIRE(mixed::zero().set(mixed::command, 0xf).raw() == 0xf000); // a write-only field is set like any other
	REQUIRE(mixed::zero().try_set(mixed::command, 0x10).error() == -erange);
}
