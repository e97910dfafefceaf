// The MMIO-or-system-memory backend reads the same numbers from either kind of memory.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/mock.h>

#include "fake_backends.h"

using namespace ioview;

namespace {
using map = iosys_map_backend<fake::mmio>;
struct hdr {
	le32 magic;
	u16 width;
	u16 height;
};
} // namespace
template <> inline constexpr bool ioview::enable_plain_data<hdr> = true;

template <typename T> static void write_header(view<map, T> v)
{
	IOVIEW_PROJECT(v, magic).write_val(le32::from_cpu(0x46425546));
	IOVIEW_PROJECT(v, width).write_val(640);
	IOVIEW_PROJECT(v, height).write_val(480);
}

TEST_CASE("iosys map: same code on I/O memory and system memory", "[iosys_map]")
{
	hdr in_ram{};
	hdr in_io{};
	auto sys = map::from_sysmem(sysmem::view_of(in_ram));
	auto io = map::from_io(fake::mmio::map<hdr>(&in_io));
	REQUIRE_FALSE(map::is_iomem(sys));
	REQUIRE(map::is_iomem(io));
	fake::mmio_counters = {};
	write_header(sys);
	REQUIRE(fake::mmio_counters.accesses == 0);
	write_header(io);
	REQUIRE(fake::mmio_counters.accesses == 3);
	REQUIRE(__builtin_memcmp(&in_ram, &in_io, sizeof(hdr)) == 0);
	REQUIRE(IOVIEW_PROJECT(io, width).read_val() == 640);
	REQUIRE(IOVIEW_PROJECT(sys, magic).read_val().get() == 0x46425546);
	REQUIRE(copy_read(io).height == 480);
	REQUIRE(IOVIEW_PROJECT(io, magic).address() == reinterpret_cast<uptr>(&in_io.magic));
}

TEST_CASE("iosys map: regions, checks and relaxed access", "[iosys_map]")
{
	alignas(8) u32 regs[4] = {};
	auto io = map::from_io(fake::mmio::map<region<16>>(regs, 16));
	REQUIRE(io.size() == 16);
	io.write32<8>(5);
	REQUIRE(regs[2] == 5);
	REQUIRE(io.try_read32(16).error() == -erange);
	REQUIRE(io.try_read32(2).error() == -einval);
	fake::mmio_counters = {};
	io.at_offset<u32, 4>().write_val_relaxed(7);
	REQUIRE(fake::mmio_counters.barriers == 0);
	REQUIRE(regs[1] == 7);
	alignas(8) u32 ram[4] = {};
	auto sys = map::from_sysmem(sysmem::try_view<region<16>>(ram, 16).value());
	REQUIRE(io_copy(sys, io).ok());
	REQUIRE(ram[2] == 5);
}

TEST_CASE("iosys map has relaxed accessors at every width its I/O half has", "[iosys_map][relaxed]")
{
	using mock_map = iosys_map_backend<testing::mock_backend<byte_order::little>>;
	STATIC_REQUIRE(relaxed_capable<mock_map, 1>);
	STATIC_REQUIRE(relaxed_capable<mock_map, 2>);
	STATIC_REQUIRE(relaxed_capable<mock_map, 4>);
	STATIC_REQUIRE(relaxed_capable<mock_map, 8>);
	struct regs_tag;
	testing::mock dev;
	dev.expect({ false, true, 1, 0x3, 0x7f }).expect({ true, true, 8, 0x8, 0x1234 });
	auto io = mock_map::from_io(dev.region<region<0x10, regs_tag, 8>>());
	REQUIRE(io.read8_relaxed<0x3>() == 0x7f);
	io.write64_relaxed<0x8>(0x1234);
	REQUIRE(dev.verify());
	// The system-memory half: the same accessors are plain volatile accesses.
	alignas(8) u8 ram[16] = {};
	auto sys = mock_map::from_sysmem(sysmem::try_view<region<0x10, regs_tag, 8>>(ram, sizeof(ram)).value());
	sys.write16_relaxed<0x2>(0xbeef);
	REQUIRE(sys.read16_relaxed<0x2>() == 0xbeef);
}
