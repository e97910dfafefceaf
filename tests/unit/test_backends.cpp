// The design carries backends that are not plain memory: a fallible function-call config space
// and readl-like MMIO with relaxed variants (coherent memory: test_coherent.cpp).
#include <catch2/catch.hpp>

#include "fake_backends.h"

using namespace ioview;

namespace {
struct pci_header {
	u16 vendor;
	u16 device;
	u16 command;
	u16 status;
};
} // namespace
template <> inline constexpr bool ioview::enable_plain_data<pci_header> = true;

TEST_CASE("fake backends satisfy the backend concept with their own capabilities", "[backend]")
{
	STATIC_REQUIRE(backend<fake::config_space>);
	STATIC_REQUIRE(backend<fake::mmio>);
	STATIC_REQUIRE(fallible<fake::config_space>);
	STATIC_REQUIRE_FALSE(fallible<fake::mmio>);
	STATIC_REQUIRE(capable<fake::config_space, 4>);
	STATIC_REQUIRE_FALSE(capable<fake::config_space, 8>);
	STATIC_REQUIRE_FALSE(relaxed_capable<fake::config_space, 4>);
	STATIC_REQUIRE(relaxed_capable<fake::mmio, 4>);
	STATIC_REQUIRE_FALSE(relaxed_capable<fake::mmio, 2>);
	STATIC_REQUIRE(capable<sysmem, 8> == has_64bit_access);
}

TEST_CASE("config space: typed projection and untyped access through function calls", "[backend][config]")
{
	fake::pci_dev dev{};
	dev.cfg[0] = 0x86;
	dev.cfg[1] = 0x80;
	dev.cfg[2] = 0x10;
	dev.cfg[3] = 0x20;
	auto cfg = fake::config_space::open(dev);
	auto hdr = cfg.at_offset<pci_header, 0>();
	auto vendor = IOVIEW_PROJECT(hdr, vendor).read_val();
	REQUIRE(vendor.ok());
	REQUIRE(vendor.value() == 0x8086);
	REQUIRE(cfg.read32<0>().value() == 0x20108086);
	REQUIRE(IOVIEW_PROJECT(hdr, command).write_val(0x0406).ok());
	REQUIRE(dev.cfg[4] == 0x06);
	REQUIRE(dev.cfg[5] == 0x04);
	REQUIRE(IOVIEW_PROJECT(hdr, command).update([](u16 c) { return static_cast<u16>(c | 2); }).ok());
	REQUIRE((dev.cfg[4] == 0x06 && dev.cfg[5] == 0x04)); // bit 1 already set
	REQUIRE(cfg.write8<0x3c>(11).ok());
	REQUIRE(cfg.try_read8(0x3c).value() == 11);
	REQUIRE(cfg.size() == 256);
	REQUIRE(cfg.try_read32(0x100).error() == -erange);
	REQUIRE(cfg.try_read32(0xfc).ok());       // beyond the 64-byte minimum, inside the real size
	REQUIRE(cfg.try_read16(0x3).error() == -einval);
}

TEST_CASE("config space: accessor failures come back as errors", "[backend][config]")
{
	fake::pci_dev dev{};
	auto cfg = fake::config_space::open(dev);
	dev.unplugged = true;
	REQUIRE(cfg.read32<0>().error() == -eio);
	REQUIRE(cfg.write16<4>(1).error() == -eio);
	REQUIRE(cfg.try_read32(4).error() == -eio);
	REQUIRE(cfg.try_write32(4, 1).error() == -eio);
	REQUIRE(cfg.update32<4>([](u32 v) { return v; }).error() == -eio);
	REQUIRE(cfg.try_update32(4, [](u32 v) { return v; }).error() == -eio);
	auto hdr = cfg.at_offset<pci_header, 0>();
	REQUIRE(IOVIEW_PROJECT(hdr, status).read_val().error() == -eio);
	REQUIRE(IOVIEW_PROJECT(hdr, status).update([](u16 s) { return s; }).error() == -eio);
	usize before = dev.accesses;
	REQUIRE(cfg.try_read32(0x200).error() == -erange); // refused before any call
	REQUIRE(dev.accesses == before);
}

TEST_CASE("mmio: relaxed accessors skip the barrier, default ones have it", "[backend][mmio]")
{
	alignas(8) u32 regs[4] = {};
	auto bar = fake::mmio::map<region<16>>(regs, sizeof(regs));
	fake::mmio_counters = {};
	bar.at_offset<u32, 4>().write_val(1);
	REQUIRE(fake::mmio_counters.barriers == 1);
	bar.at_offset<u32, 4>().write_val_relaxed(2);
	(void)bar.at_offset<u32, 4>().read_val_relaxed();
	REQUIRE(fake::mmio_counters.barriers == 1);
	REQUIRE(fake::mmio_counters.accesses == 3);
	REQUIRE(bar.read32<4>() == 2);
	REQUIRE(fake::mmio_counters.barriers == 2);
}
