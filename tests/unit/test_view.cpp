// Views over system memory: sizes, projection, both checking tiers, scalar access.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>

using namespace ioview;

namespace {
struct ring_ctl {
	u32 head;
	u32 tail;
};
struct dev_mem {
	u32 id;
	ring_ctl rings[3];
	u16 small[4];
	u32 reserved; // spelled out: a view needs plain data, and padding is not
	u64 wide;
};
struct with_padding {
	u8 a;
	u32 b;
};
} // namespace

template <> inline constexpr bool ioview::enable_plain_data<ring_ctl> = true;
template <> inline constexpr bool ioview::enable_plain_data<dev_mem> = true;
template <> inline constexpr bool ioview::enable_plain_data<with_padding> = true;

TEST_CASE("known_size reports minimum size and alignment", "[region]")
{
	STATIC_REQUIRE(known_size<u16>::min_size == 2);
	STATIC_REQUIRE(known_size<u16[5]>::min_size == 10);
	STATIC_REQUIRE(known_size<dev_mem>::min_align == alignof(u64));
	STATIC_REQUIRE(known_size<region<64>>::min_size == 64);
	STATIC_REQUIRE(known_size<region<64>>::min_align == 4);
	STATIC_REQUIRE(known_size<region<64, void, 16>>::min_align == 16);
	STATIC_REQUIRE(known_size<slice<u64>>::min_size == 0);
	STATIC_REQUIRE(known_size<slice<u64>>::min_align == alignof(u64));
	STATIC_REQUIRE(known_size<slice<u64>>::is_dynamic);
	STATIC_REQUIRE_FALSE(known_size<u64[2]>::is_dynamic);
}

TEST_CASE("plain_data accepts integers, arrays and opted-in structs without padding", "[region]")
{
	STATIC_REQUIRE(plain_data<u32>);
	STATIC_REQUIRE(plain_data<s64[3]>);
	STATIC_REQUIRE(plain_data<ring_ctl>);
	STATIC_REQUIRE_FALSE(plain_data<with_padding>); // opted in, but has padding
	STATIC_REQUIRE_FALSE(plain_data<bool>);
	STATIC_REQUIRE_FALSE(plain_data<u32 *>);
}

TEST_CASE("views are small trivially copyable handles", "[view]")
{
	STATIC_REQUIRE(__is_trivially_copyable(view<sysmem, dev_mem>));
	STATIC_REQUIRE(sizeof(view<sysmem, dev_mem>) == sizeof(void *));
	STATIC_REQUIRE(sizeof(view<sysmem, region<16>>) == 2 * sizeof(void *));
	STATIC_REQUIRE(__is_trivially_copyable(view<sysmem, slice<u32>>));
}

TEST_CASE("read_val and write_val move each width in place", "[view][scalar]")
{
	dev_mem d{};
	auto v = sysmem::view_of(d);
	IOVIEW_PROJECT(v, id).write_val(0xdeadbeef);
	IOVIEW_PROJECT(v, small[3]).write_val(0x1234);
	IOVIEW_PROJECT(v, wide).write_val(0x0102030405060708ull);
	REQUIRE(d.id == 0xdeadbeef);
	REQUIRE(d.small[3] == 0x1234);
	REQUIRE(d.wide == 0x0102030405060708ull);
	REQUIRE(IOVIEW_PROJECT(v, id).read_val() == 0xdeadbeef);
	REQUIRE(IOVIEW_PROJECT(v, small[3]).read_val() == 0x1234);
	REQUIRE(IOVIEW_PROJECT(v, wide).read_val() == 0x0102030405060708ull);

	u8 byte = 0;
	sysmem::view_of(byte).write_val(0x5a);
	REQUIRE(byte == 0x5a);
	REQUIRE(sysmem::view_of(byte).read_val() == 0x5a);
}

TEST_CASE("relaxed accessors reach the same memory", "[view][scalar]")
{
	u32 w = 0;
	auto v = sysmem::view_of(w);
	v.write_val_relaxed(77);
	REQUIRE(w == 77);
	REQUIRE(v.read_val_relaxed() == 77);
}

TEST_CASE("projection reaches nested fields and elements at the right address", "[view][project]")
{
	dev_mem d{};
	auto v = sysmem::view_of(d);
	REQUIRE(IOVIEW_PROJECT(v, rings[2].tail).address() == reinterpret_cast<uptr>(&d.rings[2].tail));
	REQUIRE(IOVIEW_PROJECT(v, rings).at<1>().address() == reinterpret_cast<uptr>(&d.rings[1]));
	auto ring = IOVIEW_PROJECT(v, rings).at<2>();
	IOVIEW_PROJECT(ring, head).write_val(9);
	REQUIRE(d.rings[2].head == 9);
	STATIC_REQUIRE(detail::is_same<decltype(IOVIEW_PROJECT(v, rings)), view<sysmem, ring_ctl[3]>>);
}

TEST_CASE("IOVIEW_PROJECT evaluates its view argument once", "[view][project]")
{
	dev_mem d{};
	int evaluations = 0;
	auto make = [&] {
		evaluations++;
		return sysmem::view_of(d);
	};
	IOVIEW_PROJECT(make(), rings[1].head).write_val(3);
	REQUIRE(evaluations == 1);
	REQUIRE(d.rings[1].head == 3);
}

TEST_CASE("try_at checks the index at run time", "[view][project]")
{
	dev_mem d{};
	auto rings = IOVIEW_PROJECT(sysmem::view_of(d), rings);
	for (usize i = 0; i < 3; i++) {
		auto r = rings.try_at(i);
		REQUIRE(r.ok());
		IOVIEW_PROJECT(r.value(), tail).write_val(static_cast<u32>(10 + i));
	}
	REQUIRE(d.rings[0].tail == 10);
	REQUIRE(d.rings[2].tail == 12);
	auto bad = rings.try_at(3);
	REQUIRE_FALSE(bad.ok());
	REQUIRE(bad.error() == -erange);
	REQUIRE(rings.try_at(static_cast<usize>(-1)).error() == -erange);
}

TEST_CASE("subrange and try_subrange narrow arrays and slices", "[view][project]")
{
	u32 words[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	auto all = sysmem::view_of(words);
	auto mid = all.subrange<2, 4>();
	STATIC_REQUIRE(detail::is_same<decltype(mid), view<sysmem, u32[4]>>);
	REQUIRE(mid.at<0>().read_val() == 2);
	REQUIRE(mid.at<3>().read_val() == 5);

	auto s = all.try_subrange(5, 3);
	REQUIRE(s.ok());
	REQUIRE(s.value().length() == 3);
	REQUIRE(s.value().size() == 12);
	REQUIRE(s.value().try_at(2).value().read_val() == 7);
	REQUIRE(s.value().try_at(3).error() == -erange);

	REQUIRE(all.try_subrange(5, 4).error() == -erange);
	REQUIRE(all.try_subrange(9, 0).error() == -erange);
	REQUIRE(all.try_subrange(1, static_cast<usize>(-1)).error() == -erange);
	auto empty = all.try_subrange(8, 0);
	REQUIRE(empty.ok());
	REQUIRE(empty.value().length() == 0);

	auto inner = s.value().try_subrange(1, 2);
	REQUIRE(inner.ok());
	REQUIRE(inner.value().try_at(0).value().read_val() == 6);
}

TEST_CASE("sysmem::try_view checks base alignment, size and granularity", "[view][sysmem]")
{
	alignas(16) unsigned char buf[64] = {};
	REQUIRE(sysmem::try_view<u32>(buf, 4).ok());
	REQUIRE(sysmem::try_view<u32>(buf + 1, 4).error() == -einval);
	REQUIRE(sysmem::try_view<u32>(buf, 3).error() == -einval);
	REQUIRE(sysmem::try_view<u32>(nullptr, 4).error() == -efault);

	REQUIRE(sysmem::try_view<region<32>>(buf, 32).ok());
	REQUIRE(sysmem::try_view<region<32>>(buf, 28).error() == -einval);  // below minimum
	REQUIRE(sysmem::try_view<region<32>>(buf, 34).error() == -einval);  // not a multiple of 4
	REQUIRE(sysmem::try_view<region<32>>(buf + 2, 32).error() == -einval);
	REQUIRE(sysmem::try_view<region<32, void, 8>>(buf + 4, 32).error() == -einval);
	REQUIRE(sysmem::try_view<region<32, void, 8>>(buf + 8, 32).ok());

	auto s = sysmem::try_view<slice<u16>>(buf, 10);
	REQUIRE(s.ok());
	REQUIRE(s.value().length() == 5);
	REQUIRE(sysmem::try_view<slice<u16>>(buf, 11).error() == -einval);
	REQUIRE(sysmem::try_view<slice<u16>>(buf + 1, 10).error() == -einval);
}

TEST_CASE("untyped region accessors at constant offsets", "[view][region]")
{
	alignas(8) u32 words[4] = {};
	auto r = sysmem::try_view<region<16, void, 8>>(words, sizeof(words)).value();
	r.write32<4>(0xa5a5a5a5);
	r.write8<0>(0x11);
	r.write16<2>(0x2233);
	r.write64<8>(0x1122334455667788ull);
	REQUIRE(words[1] == 0xa5a5a5a5);
	REQUIRE(r.read8<0>() == 0x11);
	REQUIRE(r.read16<2>() == 0x2233);
	REQUIRE(r.read32<4>() == 0xa5a5a5a5);
	REQUIRE(r.read64<8>() == 0x1122334455667788ull);
	r.update32<4>([](u32 v) { return v & 0xff; });
	REQUIRE(words[1] == 0xa5);
}

TEST_CASE("untyped try_ accessors reject out-of-range and misaligned offsets", "[view][region]")
{
	alignas(8) u32 words[4] = { 1, 2, 3, 4 };
	auto r = sysmem::try_view<region<8>>(words, sizeof(words)).value();
	REQUIRE(r.size() == 16);
	REQUIRE(r.try_read32(12).value() == 4);   // beyond the minimum, inside the real size
	REQUIRE(r.try_read32(16).error() == -erange);
	REQUIRE(r.try_read32(14).error() == -erange);
	REQUIRE(r.try_read32(2).error() == -einval);
	REQUIRE(r.try_read16(1).error() == -einval);
	REQUIRE(r.try_read8(15).ok());
	REQUIRE(r.try_read8(static_cast<usize>(-1)).error() == -erange);
	REQUIRE(r.try_write32(16, 0).error() == -erange);
	REQUIRE(r.try_write32(6, 0).error() == -einval);
	REQUIRE(words[1] == 2);  // the failed writes touched nothing
	REQUIRE(r.try_write32(4, 20).ok());
	REQUIRE(words[1] == 20);
	REQUIRE(r.try_write8(0, 0xff).ok());
	REQUIRE(r.try_write16(2, 0x0102).ok());
	REQUIRE(r.try_read16(2).value() == 0x0102);
	REQUIRE(r.try_write64(8, 0x0000000500000006ull).ok());
	REQUIRE(r.try_read64(8).value() == 0x0000000500000006ull);
	REQUIRE(r.try_update32(4, [](u32 v) { return v + 1; }).ok());
	REQUIRE(words[1] == 21);
	REQUIRE(r.try_update32(16, [](u32 v) { return v + 1; }).error() == -erange);
	REQUIRE(r.try_update32(1, [](u32 v) { return v + 1; }).error() == -einval);
}

TEST_CASE("64-bit try_ accessors check the base address, not just the offset", "[view][region]")
{
	alignas(8) u32 words[6] = {};
	// A 4-byte aligned region whose base is 4 mod 8: offset 0 is "aligned" but the address is not.
	auto r = sysmem::try_view<region<16>>(words + 1, 16).value();
	REQUIRE(r.try_read64(0).error() == -einval);
	REQUIRE(r.try_write64(0, 1).error() == -einval);
	REQUIRE(r.try_read64(4).ok());
	REQUIRE(r.try_at_offset<u64>(0).error() == -einval);
	REQUIRE(r.try_at_offset<u64>(4).ok());
}

TEST_CASE("typed views inside a region", "[view][region]")
{
	alignas(8) unsigned char buf[32] = {};
	auto r = sysmem::try_view<region<32, void, 8>>(buf, 32).value();
	auto ring = r.at_offset<ring_ctl, 8>();
	IOVIEW_PROJECT(ring, tail).write_val(0x55);
	REQUIRE(r.read32<12>() == 0x55);
	auto t = r.try_at_offset<ring_ctl>(24);
	REQUIRE(t.ok());
	REQUIRE(r.try_at_offset<ring_ctl>(28).error() == -erange);
	REQUIRE(r.try_at_offset<ring_ctl>(2).error() == -einval);
}

TEST_CASE("sub-regions at constant and runtime bases", "[view][region]")
{
	struct engine_tag;
	using engine = region<8, engine_tag>;
	alignas(8) u32 words[8] = {};
	auto bar = sysmem::try_view<region<32>>(words, 32).value();
	auto e1 = bar.region_at<engine, 8>();
	STATIC_REQUIRE(detail::is_same<decltype(e1), view<sysmem, engine>>);
	REQUIRE(e1.size() == 8);
	e1.write32<4>(7);
	REQUIRE(words[3] == 7);
	auto e3 = bar.try_region_at<engine>(24);
	REQUIRE(e3.ok());
	e3.value().write32<0>(9);
	REQUIRE(words[6] == 9);
	REQUIRE(bar.try_region_at<engine>(28).error() == -erange);
	REQUIRE(bar.try_region_at<engine>(2).error() == -einval);
}

TEST_CASE("try_cast checks size and alignment at run time", "[view][cast]")
{
	alignas(8) u32 words[4] = { 0x00020001, 0x00040003, 0, 0 };
	auto r = sysmem::try_view<region<16>>(words, 16).value();
	auto ring = r.try_cast<ring_ctl>();
	REQUIRE(ring.ok());
	REQUIRE(IOVIEW_PROJECT(ring.value(), tail).read_val() == 0x00040003);
	REQUIRE(r.try_cast<u32[5]>().error() == -einval);  // larger than the region

	auto w = sysmem::view_of(words[0]);
	auto halves = w.try_cast<u16[2]>();
	REQUIRE(halves.ok());
	REQUIRE(halves.value().at<1>().read_val() == 0x0002);
	REQUIRE(w.try_cast<u64>().error() == -einval);

	auto odd = sysmem::view_of(words[1]);  // 4 mod 8
	REQUIRE(odd.try_cast<u32>().ok());
	auto pair = sysmem::try_view<slice<u32>>(words + 1, 8).value();
	REQUIRE(pair.try_cast<u64>().error() == -einval);  // big enough, misaligned base
}

TEST_CASE("read-only views read but keep const through projection", "[view][const]")
{
	dev_mem d{};
	d.rings[1].head = 42;
	auto ro = sysmem::view_of(d).as_const();
	auto head = IOVIEW_PROJECT(ro, rings[1].head);
	STATIC_REQUIRE(detail::is_same<decltype(head), view<sysmem, const u32>>);
	REQUIRE(head.read_val() == 42);
	auto ring = IOVIEW_PROJECT(ro, rings).at<1>();
	STATIC_REQUIRE(detail::is_same<decltype(ring), view<sysmem, const ring_ctl>>);
	const u32 c = 5;
	REQUIRE(sysmem::view_of(c).read_val() == 5);
}

TEST_CASE("update reads once and writes once", "[view][scalar]")
{
	testing::memory<8> mem;
	auto w = mem.at<u32, 4>();
	w.write_val(0x10);
	mem.reset_counts();
	w.update([](u32 v) { return v | 1; });
	REQUIRE(w.read_val() == 0x11);
	REQUIRE(mem.counts().reads_of(4) == 2);
	REQUIRE(mem.counts().writes_of(4) == 1);
	REQUIRE(mem.counts().total() == 3);
}

TEST_CASE("each scalar access is exactly one access of its width", "[view][scalar]")
{
	testing::memory<16> mem;
	auto r = mem.region<region<16, void, 8>>();
	r.at_offset<u64, 8>().write_val(1);
	(void)r.at_offset<u16, 2>().read_val();
	(void)r.read8<1>();
	REQUIRE(mem.counts().writes_of(8) == 1);
	REQUIRE(mem.counts().reads_of(2) == 1);
	REQUIRE(mem.counts().reads_of(1) == 1);
	REQUIRE(mem.counts().total() == 3);
}

TEST_CASE("result and status carry kernel errno values", "[support]")
{
	result<u32> good = 5u;
	result<u32> bad = fail(erange);
	REQUIRE(good.ok());
	REQUIRE(good.value() == 5);
	REQUIRE(good.error() == 0);
	REQUIRE_FALSE(bad);
	REQUIRE(bad.error() == -34);
	REQUIRE(bad.value_or(9) == 9);
	REQUIRE(bad.to_status().error() == -34);
	REQUIRE(status::success().ok());
	status s = fail(einval);
	REQUIRE(s.error() == -22);
	STATIC_REQUIRE((eio == 5 && efault == 14 && enodev == 19 && einval == 22 && erange == 34));
}
