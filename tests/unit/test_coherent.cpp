// DMA-coherent memory: every projection moves the DMA address with the CPU address, the
// accessors are those of system memory, copies are plain memory copies, to_sysmem keeps the
// bytes and drops the DMA address.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>

using namespace ioview;

namespace {
struct desc {
	u64 addr;
	u32 len;
	u32 flags;
};
struct queue {
	u32 head;
	u32 tail;
	u64 base;
	desc ring[4];
	u8 bytes[8];
};

// A DMA address above 4 GiB and not equal to any CPU address, so a mix-up shows.
constexpr u64 bus = 0x0000'0012'3450'0000ull;
} // namespace
template <> inline constexpr bool ioview::enable_plain_data<desc> = true;
template <> inline constexpr bool ioview::enable_plain_data<queue> = true;

template <typename T> static uptr cpu_of(const T &object)
{
	return reinterpret_cast<uptr>(&object);
}

TEST_CASE("coherent: a backend with sysmem's capabilities and no plain-memcpy block copy", "[coherent]")
{
	STATIC_REQUIRE(backend<coherent>);
	STATIC_REQUIRE_FALSE(fallible<coherent>);
	STATIC_REQUIRE(coherent::order == byte_order::native);
	STATIC_REQUIRE(capable<coherent, 1>);
	STATIC_REQUIRE(capable<coherent, 2>);
	STATIC_REQUIRE(capable<coherent, 4>);
	STATIC_REQUIRE(capable<coherent, 8> == capable<sysmem, 8>);
	STATIC_REQUIRE(relaxed_capable<coherent, 4>);
	STATIC_REQUIRE(relaxed_capable<coherent, 8> == relaxed_capable<sysmem, 8>);
	// Copies go through the volatile accessors: a memcpy could be merged or hoisted by the compiler.
	STATIC_REQUIRE_FALSE(block_copy_capable<coherent>);
	STATIC_REQUIRE(copy_capable<coherent>);
	// A view of a fixed-size T is the handle and nothing else.
	STATIC_REQUIRE(sizeof(view<coherent, u32>) == sizeof(coherent::handle));
}

TEST_CASE("coherent: offset moves the CPU and the DMA address by the same bytes", "[coherent]")
{
	alignas(8) u8 mem[64] = {};
	coherent::handle h{ mem, bus };
	coherent::handle g = coherent::offset(h, 24);
	REQUIRE(g.cpu == mem + 24);
	REQUIRE(g.dma_addr == bus + 24);
	REQUIRE(coherent::address(g) == cpu_of(mem[24]));
	REQUIRE(coherent::offset(g, 0).dma_addr == bus + 24);
}

TEST_CASE("coherent: field and element projections give base + offsetof", "[coherent]")
{
	queue q{};
	auto v = coherent::view_of(q, bus);
	REQUIRE(dma_address(v) == bus);
	REQUIRE(v.address() == cpu_of(q));

	auto tail = IOVIEW_PROJECT(v, tail);
	REQUIRE(dma_address(tail) == bus + offsetof(queue, tail));
	REQUIRE(tail.address() == cpu_of(q.tail));
	REQUIRE(dma_address(IOVIEW_PROJECT(v, base)) == bus + offsetof(queue, base));

	auto len2 = IOVIEW_PROJECT(v, ring[2].len);
	REQUIRE(dma_address(len2) == bus + offsetof(queue, ring) + 2 * sizeof(desc) + offsetof(desc, len));
	REQUIRE(len2.address() == cpu_of(q.ring[2].len));

	auto ring = IOVIEW_PROJECT(v, ring);
	for (usize i = 0; i < 4; i++) {
		auto d = ring.try_at(i);
		REQUIRE(d.ok());
		REQUIRE(dma_address(d.value()) == bus + offsetof(queue, ring) + i * sizeof(desc));
		REQUIRE(dma_address(IOVIEW_PROJECT(d.value(), flags)) ==
			bus + offsetof(queue, ring) + i * sizeof(desc) + offsetof(desc, flags));
		REQUIRE(d.value().address() == cpu_of(q.ring[i]));
	}
	REQUIRE(dma_address(ring.at<3>()) == bus + offsetof(queue, ring) + 3 * sizeof(desc));
	REQUIRE(ring.try_at(4).error() == -erange);

	auto sub = ring.subrange<1, 2>();
	REQUIRE(dma_address(sub) == bus + offsetof(queue, ring) + sizeof(desc));
	REQUIRE(dma_address(sub.at<1>()) == bus + offsetof(queue, ring) + 2 * sizeof(desc));
	REQUIRE(dma_address(IOVIEW_PROJECT(v, bytes).at<5>()) == bus + offsetof(queue, bytes) + 5);

	// Writes through a projection land on the field it names.
	len2.write_val(1500);
	REQUIRE(q.ring[2].len == 1500);
	REQUIRE(IOVIEW_PROJECT(v, ring[2].len).read_val() == 1500);
}

TEST_CASE("coherent: slices project through try_at and try_subrange, refusing out of range", "[coherent]")
{
	alignas(16) desc ring[8] = {};
	auto s = coherent::try_view<slice<desc>>(ring, bus, sizeof(ring));
	REQUIRE(s.ok());
	auto v = s.value();
	REQUIRE(v.length() == 8);
	for (usize i = 0; i < 8; i++) {
		auto e = v.try_at(i);
		REQUIRE(e.ok());
		REQUIRE(dma_address(e.value()) == bus + i * sizeof(desc));
		REQUIRE(e.value().address() == cpu_of(ring[i]));
	}
	REQUIRE(v.try_at(8).error() == -erange);
	REQUIRE(v.try_at(static_cast<usize>(-1)).error() == -erange);

	auto mid = v.try_subrange(3, 4);
	REQUIRE(mid.ok());
	REQUIRE(mid.value().length() == 4);
	REQUIRE(dma_address(mid.value()) == bus + 3 * sizeof(desc));
	auto last = mid.value().try_at(3);
	REQUIRE(last.ok());
	REQUIRE(dma_address(last.value()) == bus + 6 * sizeof(desc));
	REQUIRE(mid.value().try_at(4).error() == -erange);	// the sub-range's own end, not the ring's
	REQUIRE(v.try_subrange(5, 4).error() == -erange);
	REQUIRE(v.try_subrange(static_cast<usize>(-1), 2).error() == -erange);
	REQUIRE(v.try_subrange(8, 0).ok());

	IOVIEW_PROJECT(last.value(), len).write_val(77);
	REQUIRE(ring[6].len == 77);
}

TEST_CASE("coherent: regions project at constant and runtime offsets", "[coherent]")
{
	struct bar_tag;
	alignas(8) u8 mem[64] = {};
	auto r = coherent::try_view<region<64, bar_tag, 8>>(mem, bus, sizeof(mem));
	REQUIRE(r.ok());
	auto v = r.value();
	REQUIRE(dma_address(v.at_offset<u32, 12>()) == bus + 12);
	auto w = v.try_at_offset<u64>(40);
	REQUIRE(w.ok());
	REQUIRE(dma_address(w.value()) == bus + 40);
	REQUIRE(v.try_at_offset<u64>(60).error() == -erange);
	REQUIRE(v.try_at_offset<u32>(2).error() == -einval);
	REQUIRE(dma_address(v.region_at<region<16, bar_tag, 8>, 32>()) == bus + 32);
	auto sub = v.try_region_at<region<16, bar_tag, 8>>(48);
	REQUIRE(sub.ok());
	REQUIRE(dma_address(sub.value()) == bus + 48);
	v.write32<12>(0xabcd1234);
	REQUIRE(v.try_read32(12).value() == 0xabcd1234);
}

TEST_CASE("coherent: try_view checks both addresses and the size", "[coherent]")
{
	alignas(8) u8 mem[32] = {};
	REQUIRE(coherent::try_view<u64>(nullptr, bus, 8).error() == -efault);
	REQUIRE(coherent::try_view<u64>(mem + 4, bus, 8).error() == -einval);	// CPU address misaligned
	REQUIRE(coherent::try_view<u64>(mem, bus + 4, 8).error() == -einval);	// DMA address misaligned
	REQUIRE(coherent::try_view<u64>(mem, bus, 4).error() == -einval);	// too small
	REQUIRE(coherent::try_view<slice<u32>>(mem, bus, 6).error() == -einval); // not whole elements
	REQUIRE(coherent::try_view<region<16>>(mem, bus, 18).error() == -einval); // region not 4-multiple
	auto ok = coherent::try_view<u64>(mem + 8, bus + 8, 8);
	REQUIRE(ok.ok());
	REQUIRE(dma_address(ok.value()) == bus + 8);
	auto bytes = coherent::try_view<slice<u8>>(mem + 1, bus + 1, 3);	// bytes: any address
	REQUIRE(bytes.ok());
	REQUIRE(dma_address(bytes.value().try_at(2).value()) == bus + 3);
}

TEST_CASE("coherent: accessors are single accesses of system memory", "[coherent]")
{
	queue q{};
	auto v = coherent::view_of(q, bus);
	IOVIEW_PROJECT(v, head).write_val(5);
	IOVIEW_PROJECT(v, tail).write_val_relaxed(6);
	REQUIRE(q.head == 5);
	REQUIRE(q.tail == 6);
	REQUIRE(IOVIEW_PROJECT(v, tail).read_val_relaxed() == 6);
	IOVIEW_PROJECT(v, head).update([](u32 h) { return h + 1; });
	REQUIRE(q.head == 6);
	IOVIEW_PROJECT(v, bytes[3]).write_val(0x7f);
	REQUIRE(q.bytes[3] == 0x7f);
	if constexpr (capable<coherent, 8>) {
		IOVIEW_PROJECT(v, base).write_val(0x0102030405060708ull);
		REQUIRE(q.base == 0x0102030405060708ull);
		REQUIRE(IOVIEW_PROJECT(v, ring[1].addr).read_val() == 0);
	}
	// Native order: the bytes in memory are the CPU's own representation.
	u32 raw;
	__builtin_memcpy(&raw, &q.tail, 4);
	REQUIRE(raw == 6);
}

TEST_CASE("coherent: to_sysmem views the same bytes and keeps the type", "[coherent]")
{
	queue q{};
	auto v = coherent::view_of(q, bus);
	view<sysmem, queue> s = to_sysmem(v);
	REQUIRE(s.address() == v.address());
	IOVIEW_PROJECT(v, ring[3].flags).write_val(0x11);
	REQUIRE(IOVIEW_PROJECT(s, ring[3].flags).read_val() == 0x11);
	IOVIEW_PROJECT(s, tail).write_val(9);
	REQUIRE(IOVIEW_PROJECT(v, tail).read_val() == 9);

	// Fixed, const, slice and region views keep their extent.
	view<sysmem, const desc[4]> ring = to_sysmem(IOVIEW_PROJECT(v.as_const(), ring));
	REQUIRE(ring.at<3>().address() == cpu_of(q.ring[3]));
	alignas(8) u8 mem[48] = {};
	auto sl = coherent::try_view<slice<u64>>(mem, bus, sizeof(mem)).value();
	view<sysmem, slice<u64>> ssl = to_sysmem(sl);
	REQUIRE(ssl.length() == 6);
	REQUIRE(ssl.try_at(6).error() == -erange);
	auto rg = coherent::try_view<region<16>>(mem, bus, 32).value();
	REQUIRE(to_sysmem(rg).size() == 32);
	REQUIRE(to_sysmem(rg).try_write32(28, 0x55).ok());	// beyond the minimum, inside the real size
	REQUIRE(rg.try_read32(28).value() == 0x55);
}

TEST_CASE("coherent: copies move bytes through plain memory copies", "[coherent]")
{
	queue q{};
	auto v = coherent::view_of(q, bus);
	copy_write(IOVIEW_PROJECT(v, ring[1]), desc{ 0xfeedull, 128, 3 });
	REQUIRE(q.ring[1].addr == 0xfeed);
	REQUIRE(q.ring[1].len == 128);
	REQUIRE(q.ring[0].len == 0);
	desc d = copy_read(IOVIEW_PROJECT(v, ring[1]));
	REQUIRE(d.flags == 3);

	const u8 in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	REQUIRE(copy_from_slice(IOVIEW_PROJECT(v, bytes), in, 8).ok());
	REQUIRE(q.bytes[7] == 8);
	u8 out[8] = {};
	REQUIRE(copy_to_slice(IOVIEW_PROJECT(v, bytes), out, 8).ok());
	REQUIRE(__builtin_memcmp(in, out, 8) == 0);
	REQUIRE(copy_to_slice(IOVIEW_PROJECT(v, bytes), out, 7).error() == -einval);

	// Odd lengths and alignments: a slice of bytes starting at an odd address.
	auto odd = IOVIEW_PROJECT(v, bytes).try_subrange(1, 5);
	REQUIRE(odd.ok());
	const u8 five[5] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5 };
	REQUIRE(copy_from_slice(odd.value(), five, 5).ok());
	REQUIRE(q.bytes[0] == 1);
	REQUIRE(q.bytes[1] == 0xa1);
	REQUIRE(q.bytes[5] == 0xa5);
	REQUIRE(q.bytes[6] == 7);

	// Between coherent memory and system memory, and within coherent memory (overlapping).
	desc plain[4] = {};
	REQUIRE(io_copy(sysmem::view_of(plain), IOVIEW_PROJECT(v, ring).as_const()).ok());
	REQUIRE(plain[1].addr == 0xfeed);
	auto ring = IOVIEW_PROJECT(v, ring);
	REQUIRE(io_copy(ring.subrange<2, 2>(), ring.subrange<1, 2>()).ok());
	REQUIRE(q.ring[2].addr == 0xfeed);
	REQUIRE(q.ring[3].addr == 0);
}

TEST_CASE("coherent: try_slice takes an element count and refuses what cannot be a ring", "[coherent]")
{
	alignas(8) u64 ring[8] = {};
	auto r = coherent::try_slice<u64>(ring, bus, 8);
	REQUIRE(r.ok());
	REQUIRE(r.value().length() == 8);
	REQUIRE(dma_address(r.value().try_at(7).value()) == bus + 56);
	REQUIRE(coherent::try_slice<u64>(nullptr, bus, 8).error() == -efault);
	REQUIRE(coherent::try_slice<u64>(ring, bus + 4, 8).error() == -einval);           // DMA side misaligned
	REQUIRE(coherent::try_slice<u64>(reinterpret_cast<u8 *>(ring) + 4, bus, 1).error() == -einval);
	REQUIRE(coherent::try_slice<u64>(ring, bus, static_cast<usize>(-1) / 8 + 1).error() == -einval); // bytes overflow
	REQUIRE(sysmem::try_slice<u64>(ring, 8).value().length() == 8);
	REQUIRE(sysmem::try_slice<u32>(ring, static_cast<usize>(-1) / 4 + 1).error() == -einval);
}
