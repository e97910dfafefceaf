// Copies: whole values, slices with length checks, and io-to-io copies including overlaps.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>
#include <ioview/testing/mock.h>

#include "fake_backends.h"

using namespace ioview;

namespace {
struct rx_desc {
	u64 addr;
	u32 len;
	u32 status;
};
struct odd_bytes {
	u8 b[7];
};
struct two_words {
	u32 lo;
	u32 hi;
};
} // namespace
template <> inline constexpr bool ioview::enable_plain_data<rx_desc> = true;
template <> inline constexpr bool ioview::enable_plain_data<odd_bytes> = true;
template <> inline constexpr bool ioview::enable_plain_data<two_words> = true;

TEST_CASE("copy_read and copy_write move whole structs", "[copy]")
{
	rx_desc ring[2] = {};
	auto v = sysmem::view_of(ring);
	copy_write(v.at<1>(), rx_desc{ 0xabcdef, 64, 3 });
	REQUIRE(ring[1].addr == 0xabcdef);
	REQUIRE(ring[1].len == 64);
	REQUIRE(ring[1].status == 3);
	REQUIRE(ring[0].len == 0);
	rx_desc d = copy_read(v.at<1>());
	REQUIRE(d.addr == 0xabcdef);
	REQUIRE(d.status == 3);
}

TEST_CASE("copies split into the widest aligned accesses, never wider than 8 bytes", "[copy]")
{
	testing::memory<32> mem;
	auto d = mem.at<rx_desc, 16>();
	copy_write(d, rx_desc{ 1, 2, 3 });
	REQUIRE(mem.counts().writes_of(8) == 2);
	REQUIRE(mem.counts().total() == 2);
	mem.reset_counts();
	auto o = mem.at<odd_bytes, 1>();
	copy_write(o, odd_bytes{ { 1, 2, 3, 4, 5, 6, 7 } });
	// Alignment 1 only: the widths follow the address (1 at +1, 2 at +2, 4 at +4).
	REQUIRE(mem.counts().writes_of(1) == 1);
	REQUIRE(mem.counts().writes_of(2) == 1);
	REQUIRE(mem.counts().writes_of(4) == 1);
	REQUIRE(mem.counts().total() == 3);
	REQUIRE(copy_read(o).b[6] == 7);
}

TEST_CASE("copies through the mock show the exact access sequence", "[copy][mock]")
{
	testing::mock dev;
	dev.expect_read64(0x10, 0x1111).expect_read64(0x18, 0x0000003300000022ull);
	auto r = dev.region<region<0x20, void, 8>>();
	rx_desc d = copy_read(r.at_offset<rx_desc, 0x10>());
	REQUIRE(dev.verify());
	REQUIRE(d.addr == 0x1111);
	REQUIRE(d.len == 0x22);
	REQUIRE(d.status == 0x33);
}

TEST_CASE("copy_to_slice and copy_from_slice check the length", "[copy]")
{
	u16 io[6] = { 1, 2, 3, 4, 5, 6 };
	auto v = sysmem::view_of(io);
	u16 out[6] = {};
	REQUIRE(copy_to_slice(v, out, 6).ok());
	REQUIRE(out[5] == 6);
	REQUIRE(copy_to_slice(v, out, 5).error() == -einval);

	auto s = v.try_subrange(2, 3).value();
	u16 three[3] = { 30, 40, 50 };
	REQUIRE(copy_from_slice(s, three, 3).ok());
	REQUIRE(io[1] == 2);
	REQUIRE(io[2] == 30);
	REQUIRE(io[4] == 50);
	REQUIRE(io[5] == 6);
	REQUIRE(copy_from_slice(s, three, 2).error() == -einval);
	REQUIRE(copy_from_slice(s, out, 4).error() == -einval);
	REQUIRE(io[2] == 30); // nothing written on a length mismatch
}

TEST_CASE("copies on a fallible backend report the access error", "[copy][config]")
{
	fake::pci_dev dev{};
	for (int i = 0; i < 8; i++)
		dev.cfg[i] = static_cast<u8>(i + 1);
	auto cfg = fake::config_space::open(dev);
	auto words = cfg.at_offset<u32[2], 0>();
	auto pair = cfg.at_offset<two_words, 0>();
	auto r = copy_read(pair);
	REQUIRE(r.ok());
	REQUIRE(r.value().hi == 0x08070605);
	const u32 zeros[2] = {};
	REQUIRE(copy_write(words, zeros).ok());
	REQUIRE(dev.cfg[7] == 0);
	dev.unplugged = true;
	REQUIRE(copy_read(pair).error() == -eio);
	REQUIRE(copy_write(words, zeros).error() == -eio);
	u32 out[2];
	REQUIRE(copy_to_slice(words, out, 2).error() == -eio);
}

TEST_CASE("io_copy between distinct views", "[copy][io_copy]")
{
	u32 a[4] = { 1, 2, 3, 4 };
	u32 b[4] = {};
	REQUIRE(io_copy(sysmem::view_of(b), sysmem::view_of(a)).ok());
	REQUIRE(b[3] == 4);
	REQUIRE(io_copy(sysmem::view_of(b).subrange<0, 3>(), sysmem::view_of(a)).error() == -einval);

	// Across backends: a byte-order-converting device and system memory agree on raw bytes.
	testing::memory<16, 8, byte_order::big> dev;
	auto r = dev.region<region<16>>();
	REQUIRE(io_copy(r, sysmem::view_of(a)).ok());
	REQUIRE(__builtin_memcmp(dev.bytes(), a, 16) == 0);
}

// Every (dst, src, len) in a 40-byte buffer, against memmove on a plain copy of the buffer.
template <typename Make> static void check_all_overlaps(Make make_view)
{
	alignas(8) unsigned char io[40];
	unsigned char want[40];
	usize cases = 0;
	for (usize len = 0; len <= 24; len++) {
		for (usize src = 0; src + len <= 40; src++) {
			for (usize dst = 0; dst + len <= 40; dst++) {
				for (usize i = 0; i < 40; i++)
					io[i] = want[i] = static_cast<unsigned char>(i * 7 + 1);
				__builtin_memmove(want + dst, want + src, len);
				auto whole = make_view(io);
				auto d = whole.try_subrange(dst, len).value();
				auto s = whole.try_subrange(src, len).value();
				REQUIRE(io_copy(d, s).ok());
				if (__builtin_memcmp(io, want, 40) != 0) {
					INFO("dst " << dst << " src " << src << " len " << len);
					REQUIRE(__builtin_memcmp(io, want, 40) == 0);
				}
				cases++;
			}
		}
	}
	REQUIRE(cases > 10000);
}

TEST_CASE("io_copy is correct for every overlap, both directions, all alignments", "[copy][io_copy]")
{
	check_all_overlaps([](unsigned char (&buf)[40]) { return sysmem::view_of(buf); });
}

TEST_CASE("io_copy overlap cases use wide accesses where both ends are aligned", "[copy][io_copy]")
{
	testing::memory<64> mem;
	for (usize i = 0; i < 64; i++)
		mem.bytes()[i] = static_cast<unsigned char>(i);
	auto all = mem.at<u8[64], 0>();
	// Move 32 bytes up by 8: overlapping, copied backwards in 8-byte steps.
	REQUIRE(io_copy(all.subrange<8, 32>(), all.subrange<0, 32>()).ok());
	for (usize i = 0; i < 32; i++)
		REQUIRE(mem.bytes()[8 + i] == i);
	REQUIRE(mem.bytes()[0] == 0);
	REQUIRE(mem.counts().reads_of(8) == 4);
	REQUIRE(mem.counts().writes_of(8) == 4);
	REQUIRE(mem.counts().total() == 8);
}

TEST_CASE("io_copy on a big-endian device keeps bytes in place in both directions", "[copy][io_copy]")
{
	testing::memory<40, 8, byte_order::big> mem;
	alignas(8) unsigned char plain[40];
	for (usize i = 0; i < 40; i++)
		plain[i] = mem.bytes()[i] = static_cast<unsigned char>(i * 3);
	auto all = mem.at<u8[40], 0>();
	REQUIRE(io_copy(all.subrange<3, 30>(), all.subrange<1, 30>()).ok());
	__builtin_memmove(plain + 3, plain + 1, 30);
	REQUIRE(__builtin_memcmp(plain, mem.bytes(), 40) == 0);
	REQUIRE(io_copy(all.subrange<0, 32>(), all.subrange<8, 32>()).ok());
	__builtin_memmove(plain, plain + 8, 32);
	REQUIRE(__builtin_memcmp(plain, mem.bytes(), 40) == 0);
}

TEST_CASE("copies use the backend's block copy where it has one", "[copy][block]")
{
	alignas(8) unsigned char bar[64] = {};
	auto regs = fake::mmio_block::map<region<64, void, 8>>(bar, sizeof(bar));
	fake::block_copies = {};
	fake::mmio_counters = {};

	copy_write(regs.at_offset<rx_desc, 16>(), rx_desc{ 0x1122334455667788ull, 64, 1 });
	REQUIRE(fake::block_copies.to_calls == 1);
	REQUIRE(fake::block_copies.to_bytes == sizeof(rx_desc));
	rx_desc d = copy_read(regs.at_offset<rx_desc, 16>());
	REQUIRE(fake::block_copies.from_calls == 1);
	REQUIRE(d.addr == 0x1122334455667788ull);
	REQUIRE(d.len == 64);

	u32 words[4] = { 1, 2, 3, 4 };
	auto slice_view = regs.try_at_offset<u32[4]>(32);
	REQUIRE(slice_view.ok());
	REQUIRE(copy_from_slice(slice_view.value(), words, 4).ok());
	REQUIRE(fake::block_copies.to_calls == 2);
	REQUIRE(fake::block_copies.to_bytes == sizeof(rx_desc) + sizeof(words));
	u32 back[4] = {};
	REQUIRE(copy_to_slice(slice_view.value(), back, 4).ok());
	REQUIRE(back[3] == 4);
	// A length mismatch is refused before the block copy runs.
	REQUIRE(copy_to_slice(slice_view.value(), back, 3).error() == -einval);
	REQUIRE(fake::block_copies.from_calls == 2);
	// None of it went through the single-access path.
	REQUIRE(fake::mmio_counters.accesses == 0);
}
