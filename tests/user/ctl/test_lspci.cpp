// SPDX-License-Identifier: GPL-2.0
// config show's views against Debian's lspci itself: the same bytes, as
// recorded from the VM's edu and ivshmem-plain (fixtures/README.md) or
// made up to reach more of the decoder, are given to lspci -F (it reads a
// dump instead of the bus) and to the tool's renderer; the outputs must be
// byte for byte the same.  The dump handed to lspci has 8 bytes a line, so
// lspci's 16-byte lines are its own formatting, not a copy of its input.
#include <catch2/catch.hpp>

#include <cstdio>

#include "ctl/pci_decode.h"
#include "ctl/pci_names.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

std::string lspci_dump_input(const std::string &slot, const std::vector<std::uint8_t> &bytes)
{
	std::string out = slot + " recorded configuration space\n";
	char buf[32];
	for (std::size_t i = 0; i < bytes.size(); ++i) {
		if (i % 8 == 0) {
			std::snprintf(buf, sizeof(buf), "%02zx:", i);
			out += buf;
		}
		std::snprintf(buf, sizeof(buf), " %02x", bytes[i]);
		out += buf;
		if (i % 8 == 7)
			out += '\n';
	}
	return out;
}

// What lspci OPTIONS prints for these bytes.
std::string lspci(const std::string &options, const std::string &slot, const std::vector<std::uint8_t> &bytes)
{
	static int n = 0;
	std::string path = test::write_temp("lspci-input-" + std::to_string(++n), lspci_dump_input(slot, bytes));
	return test::output_of("lspci -F " + path + " " + options + " 2>/dev/null");
}

std::vector<std::uint8_t> first(const std::vector<std::uint8_t> &b, std::size_t n)
{
	return std::vector<std::uint8_t>(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
}

// The function as lspci -F sees it: the interrupt is the line register, sizes unknown, no driver.
pci_function as_dump(const std::string &slot, const std::vector<std::uint8_t> &bytes)
{
	pci_function f;
	f.slot = slot;
	f.config = bytes;
	f.irq = bytes[0x3c];
	return f;
}

struct recording {
	const char *file;
	const char *slot;
};
const recording recordings[] = {
	{ "edu-unbound.config.hex", "00:02.0" },
	{ "edu-bound.config.hex", "00:02.0" },
	{ "ivshmem-unbound.config.hex", "00:03.0" },
	{ "ivshmem-bound.config.hex", "00:03.0" },
};

void put32(std::vector<std::uint8_t> &b, unsigned pos, std::uint32_t v)
{
	for (unsigned i = 0; i < 4; ++i)
		b[pos + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A made-up function reaching the decoder's other paths: an I/O BAR, a
// prefetchable one, a 64-bit one, a low-1M one, an enabled ROM, BIST, a
// capability list of PM, MSI-X, vendor, MSI, hot-plug, debug port and an
// unknown ID that loops back to the first.
std::vector<std::uint8_t> made_up()
{
	std::vector<std::uint8_t> b(256, 0);
	put32(b, 0x00, 0x11101af4);
	put32(b, 0x04, 0x02300007);	// status: cap list, 66MHz, medium devsel; command: io, mem, master
	put32(b, 0x08, 0x02000002);	// class 0200, prog-if 00, revision 02
	put32(b, 0x0c, 0x83004000);	// BIST capable, result 3; latency 0x40
	put32(b, 0x10, 0x0000c001);
	put32(b, 0x14, 0xfe000008);
	put32(b, 0x18, 0xfd00000c);
	put32(b, 0x1c, 0x00000000);
	put32(b, 0x24, 0x000c0002);
	put32(b, 0x2c, 0x00011af4);
	put32(b, 0x30, 0xfeb00001);
	b[0x34] = 0x40;
	b[0x3c] = 0x0b;
	b[0x3d] = 0x01;
	put32(b, 0x40, 0x00035001);	// PM v3, next 0x50
	put32(b, 0x50, 0x80036011);	// MSI-X enabled, 4 entries, next 0x60
	put32(b, 0x60, 0x00107009);	// vendor, length 0x10, next 0x70
	put32(b, 0x70, 0x00878005);	// MSI enabled, 8 requested, 64-bit, next 0x80
	put32(b, 0x80, 0x0000840c);	// hot-plug, next 0x84
	put32(b, 0x84, 0x2010880a);	// debug port BAR 1 offset 0x10, next 0x88
	put32(b, 0x88, 0x00004042);	// unknown ID 0x42, next 0x40: the chain loops
	return b;
}

} // namespace

TEST_CASE("lspci: the recordings are whole 256-byte configuration spaces of the two devices")
{
	for (const recording &r : recordings) {
		std::vector<std::uint8_t> b = test::fixture(r.file);
		INFO(r.file);
		REQUIRE(b.size() == 256);
		std::uint16_t vendor = static_cast<std::uint16_t>(b[0] | b[1] << 8);
		CHECK((vendor == 0x1234 || vendor == 0x1af4));
	}
}

TEST_CASE("lspci: config show -x, -xxx, -xxxx are lspci -x, -xxx, -xxxx")
{
	pci_names names;
	for (const recording &r : recordings) {
		std::vector<std::uint8_t> b = test::fixture(r.file);
		INFO(r.file);
		// What the kernel returns for each: 64 bytes, 256, and all (256: conventional PCI).
		CHECK(lspci_hex_block(as_dump(r.slot, first(b, 64)), names) == lspci("-x", r.slot, b));
		CHECK(lspci_hex_block(as_dump(r.slot, b), names) == lspci("-xxx", r.slot, b));
		CHECK(lspci_hex_block(as_dump(r.slot, b), names) == lspci("-xxxx", r.slot, b));
	}
}

TEST_CASE("lspci: an unprivileged -xxx shows 64 bytes, as lspci does for a non-root caller")
{
	pci_names names;
	for (const recording &r : recordings) {
		std::vector<std::uint8_t> b = first(test::fixture(r.file), 64);
		INFO(r.file);
		CHECK(lspci_hex_block(as_dump(r.slot, b), names) == lspci("-xxx", r.slot, b));
	}
}

TEST_CASE("lspci: config show is lspci -v, for the whole space and for the first 64 bytes")
{
	pci_names names;
	for (const recording &r : recordings) {
		std::vector<std::uint8_t> b = test::fixture(r.file);
		INFO(r.file);
		CHECK(lspci_verbose(as_dump(r.slot, b), names) == lspci("-v", r.slot, b));
		// edu's capability at 0x40 is past what an unprivileged caller gets: <access denied>.
		CHECK(lspci_verbose(as_dump(r.slot, first(b, 64)), names) == lspci("-v", r.slot, first(b, 64)));
	}
}

TEST_CASE("lspci: a made-up function's BARs, ROM, BIST and capability chain decode as lspci's")
{
	pci_names names;
	std::vector<std::uint8_t> b = made_up();
	std::string mine = lspci_verbose(as_dump("00:05.0", b), names);
	CHECK(mine == lspci("-v", "00:05.0", b));
	// It did reach those paths.
	CHECK(mine.find("I/O ports at c000") != std::string::npos);
	CHECK(mine.find("low-1M") != std::string::npos);
	CHECK(mine.find("Expansion ROM at feb00000") != std::string::npos);
	CHECK(mine.find("BIST result: 03") != std::string::npos);
	CHECK(mine.find("MSI-X: Enable+ Count=4 Masked-") != std::string::npos);
	CHECK(mine.find("<chain looped>") != std::string::npos);
	CHECK(lspci_hex_block(as_dump("00:05.0", b), names) == lspci("-xxx", "00:05.0", b));
	// With its domain when it is not 0000.
	CHECK(lspci_hex_block(as_dump("0001:00:05.0", first(b, 64)), names) == lspci("-x", "0001:00:05.0", b));
}

TEST_CASE("lspci: what the live system adds: BAR sizes, the Linux interrupt, the driver")
{
	pci_names names;
	pci_function f = as_dump("00:02.0", test::fixture("edu-bound.config.hex"));
	f.irq = 24;
	f.bar_sizes[0] = 1 << 20;
	f.driver = "ioview";
	std::string v = lspci_verbose(f, names);
	CHECK(v.find("\tFlags: bus master, fast devsel, latency 0, IRQ 24\n") != std::string::npos);
	CHECK(v.find("\tMemory at fe900000 (32-bit, non-prefetchable) [size=1M]\n") != std::string::npos);
	CHECK(v.find("\tKernel driver in use: ioview\n\n") != std::string::npos);
	// A 64-bit BAR above 4 GiB is one BAR; its upper half is not shown as another.
	std::vector<std::uint8_t> b = made_up();
	put32(b, 0x1c, 0x00000008);
	pci_function high = as_dump("00:05.0", b);
	high.bar_sizes[2] = 1ull << 32;
	std::string hv = lspci_verbose(high, names);
	CHECK(hv.find("\tMemory at 8fd000000 (64-bit, prefetchable) [size=4G]\n") != std::string::npos);
	CHECK(hv.find("Memory at <unassigned>") == std::string::npos);
	CHECK(lspci_slot("0000:00:02.0") == "00:02.0");
	CHECK(lspci_slot("0001:00:02.0") == "0001:00:02.0");
	CHECK_THROWS(lspci_verbose(as_dump("00:02.0", first(b, 32)), names));
}

TEST_CASE("lspci: the JSON view has the header's numbers and the decoded lists")
{
	pci_function f = as_dump("00:02.0", test::fixture("edu-bound.config.hex"));
	f.bar_sizes[0] = 1 << 20;
	nlohmann::json j = pci_decode_json(f);
	CHECK(j["vendor"] == 0x1234);
	CHECK(j["device"] == 0x11e8);
	CHECK(j["class"] == 0x00ff);
	CHECK(j["revision"] == 0x10);
	CHECK(j["subsystem_vendor"] == 0x1af4);
	REQUIRE(j["bars"].size() == 1);
	CHECK(j["bars"][0]["address"] == 0xfe900000u);
	CHECK(j["bars"][0]["bits"] == 32);
	CHECK(j["bars"][0]["size"] == 1 << 20);
	REQUIRE(j["capabilities"].size() == 1);
	CHECK(j["capabilities"][0]["offset"] == 0x40);
	CHECK(j["capabilities"][0]["id"] == 5);
	CHECK(j["capabilities"][0]["text"] == "MSI: Enable+ Count=1/1 Maskable- 64bit+");
	nlohmann::json denied = pci_decode_json(as_dump("00:02.0", first(test::fixture("edu-bound.config.hex"), 64)));
	REQUIRE(denied["capabilities"].size() == 1);
	CHECK(denied["capabilities"][0]["text"] == "<access denied>");
	CHECK(!denied["capabilities"][0].contains("offset"));
}
