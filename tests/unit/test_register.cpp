// Registers: fields, reserved and write-1-to-clear bits, arrays, relative blocks, regions.
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
	static constexpr field<15, 3> others{}; // not this driver's business: written back as read
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
enum uart_mode { mode_slow = 1, mode_fast = 5 };
} // namespace

TEST_CASE("set takes integer, bool and enum constants", "[register]")
{
	auto v = uart_ctrl::zero().set(uart_ctrl::mode, mode_fast).set(uart_ctrl::enable, true);
	REQUIRE(v.raw() == 0xb);
	REQUIRE(v.set(uart_ctrl::mode, mode_slow).get(uart_ctrl::mode) == 1);
	constexpr unsigned char small = 7;
	REQUIRE(v.set(uart_ctrl::mode, small).get(uart_ctrl::mode) == 7);
}
