// The PCI configuration space backend over a pci_read_config_*()-shaped policy: the typed type 0
// header, the capability walks (found, absent, looping, failing accesses), and the try_ refusals
// that never reach the device.
#include <catch2/catch.hpp>

#include <ioview/testing/config.h>

using namespace ioview;
using ioview::testing::pci_config;
using ioview::testing::pci_function;
using config = pci_config;
using function = pci_function;

namespace {

// The header QEMU's edu device shows (from its sysfs config file), plus made-up values in the
// fields edu leaves zero, so every field is checked against a distinct number.
void edu_like_header(function &f)
{
	const u8 head[64] = {
		0x34, 0x12, 0xe8, 0x11, 0x03, 0x01, 0x10, 0x00, 0x10, 0x00, 0xff, 0x00, 0x08, 0x40, 0x00, 0x00,
		0x00, 0x00, 0x90, 0xfe, 0x0c, 0x00, 0xa0, 0xfe, 0x01, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x00,
		0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0xf4, 0x1a, 0x00, 0x11,
		0x00, 0x00, 0xc0, 0xfe, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x03, 0x07,
	};
	__builtin_memcpy(f.bytes, head, sizeof(head));
	f.cap(0x40, pci::cap_msi, 0);
}

} // namespace

TEST_CASE("config space: a fallible backend with 8, 16 and 32-bit accessors only", "[config]")
{
	STATIC_REQUIRE(backend<config>);
	STATIC_REQUIRE(fallible<config>);
	STATIC_REQUIRE(capable<config, 1>);
	STATIC_REQUIRE(capable<config, 2>);
	STATIC_REQUIRE(capable<config, 4>);
	STATIC_REQUIRE_FALSE(capable<config, 8>);
	STATIC_REQUIRE_FALSE(relaxed_capable<config, 4>);
	STATIC_REQUIRE_FALSE(block_copy_capable<config>);
	STATIC_REQUIRE(config_accessors<ioview::testing::pci_config_accessors>);
	STATIC_REQUIRE(plain_data<pci::type0_header>);
	STATIC_REQUIRE(sizeof(pci::type0_header) == 64);

	function f;
	auto cfg = ioview::testing::config_of(f);
	REQUIRE(cfg.size() == 256);
	REQUIRE(cfg.address() == 0);
	REQUIRE(cfg.at_offset<u32, 0x3c>().address() == 0x3c); // address() is the register offset
	REQUIRE(cfg.handle().dev == &f);
}

TEST_CASE("config space: try_view checks device and size and accesses nothing", "[config]")
{
	function f;
	REQUIRE(config::try_view<pci::normal_config>(nullptr, 256).error() == -efault);
	REQUIRE(config::try_view<pci::normal_config>(&f, 4100).error() == -einval);
	REQUIRE(config::try_view<pci::normal_config>(&f, 252).error() == -einval);
	REQUIRE(config::try_view<pci::normal_config>(&f, 258).error() == -einval);
	REQUIRE(config::try_view<pci::extended_config>(&f, 256).error() == -einval);
	REQUIRE(config::try_view<pci::type0_header>(&f, 32).error() == -einval);
	REQUIRE(config::try_view<pci::normal_config>(&f, 4096).value().size() == 4096);
	REQUIRE(config::try_view<pci::extended_config>(&f, 4096).value().size() == 4096);
	REQUIRE(config::try_view<pci::type0_header>(&f, 256).ok());
	REQUIRE(f.accesses() == 0);
}

TEST_CASE("config space: the typed header reads every field at its PCI offset, one access each", "[config]")
{
	function f;
	edu_like_header(f);
	auto hdr = pci::header(ioview::testing::config_of(f));

	REQUIRE(IOVIEW_PROJECT(hdr, vendor_id).read_val().value().get() == 0x1234);
	REQUIRE(f.reads == 1); // a u16 field is one 16-bit access
	REQUIRE(IOVIEW_PROJECT(hdr, device_id).read_val().value().get() == 0x11e8);
	REQUIRE(IOVIEW_PROJECT(hdr, command).read_val().value().get() == 0x0103);
	REQUIRE(IOVIEW_PROJECT(hdr, status).read_val().value().get() == pci::status_cap_list);
	REQUIRE(IOVIEW_PROJECT(hdr, revision_id).read_val().value() == 0x10);
	REQUIRE(IOVIEW_PROJECT(hdr, prog_if).read_val().value() == 0x00);
	REQUIRE(IOVIEW_PROJECT(hdr, subclass).read_val().value() == 0xff);
	REQUIRE(IOVIEW_PROJECT(hdr, base_class).read_val().value() == 0x00);
	REQUIRE(IOVIEW_PROJECT(hdr, cache_line_size).read_val().value() == 0x08);
	REQUIRE(IOVIEW_PROJECT(hdr, latency_timer).read_val().value() == 0x40);
	REQUIRE(IOVIEW_PROJECT(hdr, header_type).read_val().value() == pci::header_type_normal);
	REQUIRE(IOVIEW_PROJECT(hdr, bist).read_val().value() == 0x00);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[0]).read_val().value().get() == 0xfe900000);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[1]).read_val().value().get() == 0xfea0000c);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[2]).read_val().value().get() == 0x00000001);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[3]).read_val().value().get() == 0x0000c001);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[4]).read_val().value().get() == 0x00001000);
	REQUIRE(IOVIEW_PROJECT(hdr, bars[5]).read_val().value().get() == 0x00002000);
	REQUIRE(IOVIEW_PROJECT(hdr, cardbus_cis).read_val().value().get() == 0x28);
	REQUIRE(IOVIEW_PROJECT(hdr, subsystem_vendor_id).read_val().value().get() == 0x1af4);
	REQUIRE(IOVIEW_PROJECT(hdr, subsystem_id).read_val().value().get() == 0x1100);
	REQUIRE(IOVIEW_PROJECT(hdr, expansion_rom).read_val().value().get() == 0xfec00000);
	REQUIRE(IOVIEW_PROJECT(hdr, capabilities_pointer).read_val().value() == 0x40);
	REQUIRE(IOVIEW_PROJECT(hdr, interrupt_line).read_val().value() == 0x0a);
	REQUIRE(IOVIEW_PROJECT(hdr, interrupt_pin).read_val().value() == 0x01);
	REQUIRE(IOVIEW_PROJECT(hdr, min_gnt).read_val().value() == 0x03);
	REQUIRE(IOVIEW_PROJECT(hdr, max_lat).read_val().value() == 0x07);
	REQUIRE(f.reads == 27); // one per field read above
	REQUIRE(f.bad_accesses == 0);

	// The whole header copied out agrees with the projections (same bytes, same get()).
	auto copy = copy_read(hdr);
	REQUIRE(copy.ok());
	REQUIRE(copy.value().device_id.get() == 0x11e8);
	REQUIRE(copy.value().bars[1].get() == 0xfea0000c);
	REQUIRE(copy.value().max_lat == 0x07);

	// A 64-bit prefetchable memory BAR, as ivshmem-plain's BAR2 shows.
	u32 bar1 = IOVIEW_PROJECT(hdr, bars[1]).read_val().value().get();
	REQUIRE((bar1 & pci::bar_space_io) == 0);
	REQUIRE((bar1 & pci::bar_mem_type_mask) == pci::bar_mem_type_64);
	REQUIRE((bar1 & pci::bar_mem_prefetch) != 0);
	REQUIRE((bar1 & pci::bar_mem_mask) == 0xfea00000);
}

TEST_CASE("config space: writes through the header reach the right bytes", "[config]")
{
	function f;
	edu_like_header(f);
	auto hdr = pci::header(ioview::testing::config_of(f));

	REQUIRE(IOVIEW_PROJECT(hdr, interrupt_line).write_val(0x5a).ok());
	REQUIRE(f.bytes[0x3c] == 0x5a);
	REQUIRE(f.bytes[0x3d] == 0x01); // the neighbour is untouched
	REQUIRE(IOVIEW_PROJECT(hdr, command)
			.update([](le16 c) { return le16::from_cpu(static_cast<u16>(c.get() | pci::command_master)); })
			.ok());
	REQUIRE(f.bytes[0x04] == 0x07);
	REQUIRE(f.bytes[0x05] == 0x01);
	REQUIRE(f.writes == 2);
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: the capability walk finds MSI after other capabilities", "[config][caps]")
{
	function f;
	f.put16(0x00, 0x1234);
	f.cap_list(0x40);
	f.cap(0x40, pci::cap_pm, 0x50);
	f.cap(0x50, pci::cap_vendor, 0x62); // low two bits of a pointer are ignored
	f.cap(0x60, pci::cap_msi, 0x70);
	f.cap(0x70, pci::cap_msix, 0x00);
	auto cfg = ioview::testing::config_of(f);

	REQUIRE(pci::find_capability(cfg, pci::cap_pm).value() == 0x40);
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).value() == 0x60);
	REQUIRE(pci::find_capability(cfg, pci::cap_msix).value() == 0x70);

	auto msi = pci::find_capability_header(cfg, pci::cap_msi);
	REQUIRE(msi.ok());
	REQUIRE(msi.value().address() == 0x60);
	REQUIRE(IOVIEW_PROJECT(msi.value(), id).read_val().value() == pci::cap_msi);
	REQUIRE(IOVIEW_PROJECT(msi.value(), next).read_val().value() == 0x70);

	// Status, header type, pointer, then one 16-bit header read per capability visited.
	f.reads = 0;
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).ok());
	REQUIRE(f.reads == 3 + 3);

	// The same walk on a read-only view and on an extended one.
	REQUIRE(pci::find_capability(cfg.as_const(), pci::cap_msi).value() == 0x60);
	f.size = 4096;
	REQUIRE(pci::find_capability(ioview::testing::extended_config_of(f), pci::cap_msix).value() == 0x70);
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: a capability that is not in the list is -ENOENT", "[config][caps]")
{
	function f;
	f.cap_list(0x40);
	f.cap(0x40, pci::cap_pm, 0x48);
	f.cap(0x48, pci::cap_msi, 0x00);
	auto cfg = ioview::testing::config_of(f);
	REQUIRE(pci::find_capability(cfg, pci::cap_pcie).error() == -enoent);
	REQUIRE(pci::find_capability_header(cfg, pci::cap_pcie).error() == -enoent);

	SECTION("a next pointer below 0x40 ends the list")
	{
		f.cap(0x48, pci::cap_msi, 0x3c);
		f.cap(0x3c, pci::cap_pcie, 0x00); // would be found if the walk went there
		REQUIRE(pci::find_capability(cfg, pci::cap_pcie).error() == -enoent);
	}
	SECTION("a first pointer below 0x40 means an empty list")
	{
		f.put8(pci::capabilities_pointer_offset, 0x20);
		f.cap(0x20, pci::cap_pm, 0x00);
		REQUIRE(pci::find_capability(cfg, pci::cap_pm).error() == -enoent);
	}
	SECTION("an id of 0xff ends the list, as a vanished function reads")
	{
		f.cap(0x48, 0xff, 0x50);
		f.cap(0x50, pci::cap_pcie, 0x00);
		REQUIRE(pci::find_capability(cfg, pci::cap_pcie).error() == -enoent);
	}
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: without the capability-list status bit there is no list", "[config][caps]")
{
	function f;
	f.put8(pci::capabilities_pointer_offset, 0x40);
	f.cap(0x40, pci::cap_msi, 0x00);
	f.put16(pci::status_offset, static_cast<u16>(~pci::status_cap_list));
	auto cfg = ioview::testing::config_of(f);
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -enoent);
	REQUIRE(f.reads == 1); // only the status register was read
	f.put16(pci::status_offset, pci::status_cap_list);
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).value() == 0x40);
}

TEST_CASE("config space: the header type chooses where the list starts", "[config][caps]")
{
	function f;
	f.cap_list(0x40);
	f.cap(0x40, pci::cap_pm, 0x00);
	f.put8(pci::cardbus_capabilities_pointer_offset, 0x80);
	f.cap(0x80, pci::cap_msi, 0x00);
	auto cfg = ioview::testing::config_of(f);

	f.put8(pci::header_type_offset, pci::header_type_bridge | pci::header_type_multifunction);
	REQUIRE(pci::find_capability(cfg, pci::cap_pm).value() == 0x40);
	f.put8(pci::header_type_offset, pci::header_type_cardbus);
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).value() == 0x80);
	REQUIRE(pci::find_capability(cfg, pci::cap_pm).error() == -enoent);
	f.put8(pci::header_type_offset, 0x7f); // no such header layout: no list to trust
	REQUIRE(pci::find_capability(cfg, pci::cap_pm).error() == -enoent);
}

TEST_CASE("config space: a looping capability list is -ELOOP after a bounded walk", "[config][caps]")
{
	function f;
	f.cap_list(0x40);
	auto cfg = ioview::testing::config_of(f);

	SECTION("a capability pointing at itself")
	{
		f.cap(0x40, pci::cap_pm, 0x40);
		REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -eloop);
	}
	SECTION("two capabilities pointing at each other, the cycle not at the start")
	{
		f.cap(0x40, pci::cap_pm, 0x50);
		f.cap(0x50, pci::cap_vendor, 0x60);
		f.cap(0x60, pci::cap_vendor, 0x51); // 0x51 & ~3 == 0x50
		REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -eloop);
		REQUIRE(pci::find_capability(cfg, pci::cap_vendor).value() == 0x50); // still found before the loop
	}
	// The walk is bounded: 3 reads to find the start, then at most the budget of headers.
	REQUIRE(f.reads <= 3 + pci::cap_walk_budget + 3 + pci::cap_walk_budget);
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: the longest possible list (48 capabilities) is walked to its end", "[config][caps]")
{
	function f;
	f.cap_list(0x40);
	for (usize off = 0x40; off < 0x100; off += 4)
		f.cap(off, pci::cap_vendor, static_cast<u8>(off == 0xfc ? 0 : off + 4));
	f.cap(0xfc, pci::cap_msi, 0x00);
	auto cfg = ioview::testing::config_of(f);
	REQUIRE(pci::find_capability(cfg, pci::cap_msi).value() == 0xfc);
	REQUIRE(pci::find_capability(cfg, pci::cap_pcie).error() == -enoent); // ended, not looped

	f.cap(0xfc, pci::cap_msi, 0x40); // now the last one points back to the first
	REQUIRE(pci::find_capability(cfg, pci::cap_pcie).error() == -eloop);
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: an access error ends the walk with that error", "[config][caps]")
{
	function f;
	f.cap_list(0x40);
	f.cap(0x40, pci::cap_pm, 0x50);
	f.cap(0x50, pci::cap_vendor, 0x60);
	f.cap(0x60, pci::cap_msi, 0x00);
	auto cfg = ioview::testing::config_of(f);

	SECTION("a removed device fails every access with -ENODEV")
	{
		f.fail_all = -enodev;
		REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -enodev);
		REQUIRE(f.reads == 1); // the first failure stops the walk
		REQUIRE(IOVIEW_PROJECT(pci::header(cfg), vendor_id).read_val().error() == -enodev);
		REQUIRE(IOVIEW_PROJECT(pci::header(cfg), interrupt_line).write_val(1).error() == -enodev);
	}
	SECTION("-EIO in the middle of the list")
	{
		f.fail_at_offset = 0x50;
		f.fail_errno = -eio;
		REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -eio);
		REQUIRE(f.reads == 3 + 2); // nothing after the failing header was read
		REQUIRE(pci::find_capability(cfg, pci::cap_pm).value() == 0x40); // before it: found
	}
	SECTION("an error on the status or pointer register")
	{
		f.fail_at_offset = pci::status_offset;
		f.fail_errno = -eio;
		REQUIRE(pci::find_capability(cfg, pci::cap_pm).error() == -eio);
		f.fail_at_offset = pci::capabilities_pointer_offset;
		f.fail_errno = -enodev;
		REQUIRE(pci::find_capability_header(cfg, pci::cap_pm).error() == -enodev);
	}
	SECTION("a positive (unconverted PCIBIOS) return is an error, -EIO")
	{
		f.fail_all = 0x87; // PCIBIOS_DEVICE_NOT_FOUND
		REQUIRE(pci::find_capability(cfg, pci::cap_msi).error() == -eio);
		REQUIRE(cfg.read32<0>().error() == -eio);
		REQUIRE(cfg.write8<0x3c>(1).error() == -eio);
	}
}

TEST_CASE("config space: try_ accessors refuse range and alignment errors without an access", "[config]")
{
	function f;
	edu_like_header(f);
	auto cfg = ioview::testing::config_of(f);

	REQUIRE(cfg.try_read8(256).error() == -erange);
	REQUIRE(cfg.try_read32(256).error() == -erange);
	REQUIRE(cfg.try_write16(0xff, 1).error() == -erange); // straddles the end
	REQUIRE(cfg.try_write32(static_cast<usize>(-4), 1).error() == -erange);
	REQUIRE(cfg.try_read16(0x3d).error() == -einval);
	REQUIRE(cfg.try_read32(0x3e).error() == -einval);
	REQUIRE(cfg.try_write32(0x3d, 0xdeadbeef).error() == -einval);
	REQUIRE(cfg.try_at_offset<le32>(2).error() == -einval);
	REQUIRE(cfg.try_at_offset<le32>(256).error() == -erange);
	REQUIRE(cfg.try_update32(0x102, [](u32 v) { return v; }).error() == -erange);
	REQUIRE(f.accesses() == 0);
	REQUIRE(f.bytes[0x3c] == 0x0a); // the refused writes changed nothing

	// In range and aligned: one access each.
	REQUIRE(cfg.try_read32(0xfc).ok());
	REQUIRE(cfg.try_write8(0xff, 1).ok());
	REQUIRE(f.accesses() == 2);
	REQUIRE(f.bad_accesses == 0);
}

TEST_CASE("config space: the extended capability walk", "[config][caps][extended]")
{
	function f;
	f.size = 4096;
	f.put32(0x100, 0x1401'0000u | pci::ext_cap_aer);		// version 1, next 0x140
	f.put32(0x140, 0x1812'0000u | pci::ext_cap_dsn);		// next 0x181 & ~3 = 0x180
	f.put32(0x180, 0x0001'0000u | pci::ext_cap_vendor);	// end
	auto cfg = ioview::testing::extended_config_of(f);

	REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_aer).value() == 0x100);
	REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_dsn).value() == 0x140);
	REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_vendor).value() == 0x180);
	REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_sriov).error() == -enoent);

	auto dsn = pci::find_ext_capability_header(cfg, pci::ext_cap_dsn);
	REQUIRE(dsn.ok());
	REQUIRE(dsn.value().address() == 0x140);
	REQUIRE(IOVIEW_PROJECT(dsn.value(), id).read_val().value().get() == pci::ext_cap_dsn);
	u32 word = cfg.try_read32(0x140).value();
	REQUIRE(pci::ext_cap_version(word) == 2);
	REQUIRE(pci::ext_cap_next(word) == 0x180);

	SECTION("a zero header at 0x100: no extended capabilities")
	{
		f.put32(0x100, 0);
		f.reads = 0;
		REQUIRE(pci::find_ext_capability(cfg, 0).error() == -enoent);
		REQUIRE(f.reads == 1);
	}
	SECTION("a next offset below 0x100 ends the list")
	{
		f.put32(0x140, 0x0c01'0000u | pci::ext_cap_dsn); // next 0xc0
		REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_vendor).error() == -enoent);
	}
	SECTION("loops are bounded: -ELOOP")
	{
		f.put32(0x180, 0x1401'0000u | pci::ext_cap_vendor); // back to 0x140
		f.reads = 0;
		REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_sriov).error() == -eloop);
		REQUIRE(f.reads == pci::ext_cap_walk_budget);
		f.put32(0x100, 0x1001'0000u | pci::ext_cap_aer); // itself
		REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_dsn).error() == -eloop);
	}
	SECTION("an access error ends the walk with that error")
	{
		f.fail_at_offset = 0x140;
		f.fail_errno = -eio;
		REQUIRE(pci::find_ext_capability(cfg, pci::ext_cap_vendor).error() == -eio);
		f.fail_all = -enodev;
		REQUIRE(pci::find_ext_capability_header(cfg, pci::ext_cap_aer).error() == -enodev);
	}
	REQUIRE(f.bad_accesses == 0);
}
