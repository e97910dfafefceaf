// The MMIO backend maps each view operation to exactly one call of its accessor policy, in the
// kernel's argument order, and offers only the capabilities the policy has.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>

using namespace ioview;

namespace {

// One call of the policy, as recorded.
struct call {
	const char *what; // "read32", "write16_relaxed", "copy_from_io"...
	uptr addr;
	u64 value;        // written value, or bytes of a block copy
};

struct call_log {
	call calls[16];
	usize count;
	void add(const char *what, const volatile void *a, u64 v)
	{
		if (count < 16)
			calls[count] = { what, reinterpret_cast<uptr>(a), v };
		++count;
	}
};
call_log log_;

template <typename W> W load(const char *what, const volatile void *a)
{
	log_.add(what, a, 0);
	W v;
	__builtin_memcpy(&v, const_cast<const void *>(a), sizeof(W));
	return v;
}
template <typename W> void store(const char *what, W v, volatile void *a)
{
	log_.add(what, a, v);
	__builtin_memcpy(const_cast<void *>(a), &v, sizeof(W));
}

// Minimal policy: 8/16/32-bit only.
struct minimal {
	static u8 read8(const volatile void *a) { return load<u8>("read8", a); }
	static u16 read16(const volatile void *a) { return load<u16>("read16", a); }
	static u32 read32(const volatile void *a) { return load<u32>("read32", a); }
	static void write8(u8 v, volatile void *a) { store("write8", v, a); }
	static void write16(u16 v, volatile void *a) { store("write16", v, a); }
	static void write32(u32 v, volatile void *a) { store("write32", v, a); }
};

// Everything: 64-bit, relaxed forms of every width, block copies.
struct full : minimal {
	static u64 read64(const volatile void *a) { return load<u64>("read64", a); }
	static void write64(u64 v, volatile void *a) { store("write64", v, a); }
	static u8 read8_relaxed(const volatile void *a) { return load<u8>("read8_relaxed", a); }
	static u16 read16_relaxed(const volatile void *a) { return load<u16>("read16_relaxed", a); }
	static u32 read32_relaxed(const volatile void *a) { return load<u32>("read32_relaxed", a); }
	static u64 read64_relaxed(const volatile void *a) { return load<u64>("read64_relaxed", a); }
	static void write8_relaxed(u8 v, volatile void *a) { store("write8_relaxed", v, a); }
	static void write16_relaxed(u16 v, volatile void *a) { store("write16_relaxed", v, a); }
	static void write32_relaxed(u32 v, volatile void *a) { store("write32_relaxed", v, a); }
	static void write64_relaxed(u64 v, volatile void *a) { store("write64_relaxed", v, a); }
	static void copy_from_io(void *dst, const volatile void *src, usize n)
	{
		log_.add("copy_from_io", src, n);
		__builtin_memcpy(dst, const_cast<const void *>(src), n);
	}
	static void copy_to_io(volatile void *dst, const void *src, usize n)
	{
		log_.add("copy_to_io", dst, n);
		__builtin_memcpy(const_cast<void *>(dst), src, n);
	}
};

using min_mmio = mmio<minimal>;
using full_mmio = mmio<full>;

struct regs {
	u32 id;
	u32 ctrl;
	u64 addr;
	u16 half[2];
	u8 bytes[4];
};

bool same(const char *a, const char *b)
{
	return __builtin_strcmp(a, b) == 0;
}

} // namespace

template <> inline constexpr bool ioview::enable_plain_data<regs> = true;

static_assert(backend<min_mmio> && backend<full_mmio>);
static_assert(min_mmio::order == byte_order::little);
static_assert(capable<min_mmio, 1> && capable<min_mmio, 2> && capable<min_mmio, 4>);
static_assert(!capable<min_mmio, 8>, "no 64-bit access unless the policy has it");
static_assert(!relaxed_capable<min_mmio, 4>, "no relaxed access unless the policy has it");
static_assert(!block_copy_capable<min_mmio>);
static_assert(capable<full_mmio, 8> == has_64bit_access, "64-bit access only on 64-bit targets");
static_assert(relaxed_capable<full_mmio, 1> && relaxed_capable<full_mmio, 2> && relaxed_capable<full_mmio, 4>);
static_assert(block_copy_capable<full_mmio>);
static_assert(!mmio_accessors<int>);

TEST_CASE("mmio: each typed access is one policy call of its width at the field's address", "[mmio]")
{
	alignas(8) regs r{};
	auto v = full_mmio::try_view<regs>(&r, sizeof(r));
	REQUIRE(v);
	log_ = {};

	IOVIEW_PROJECT(v.value(), ctrl).write_val(0x11223344);
	IOVIEW_PROJECT(v.value(), addr).write_val(0x8877665544332211ull);
	IOVIEW_PROJECT(v.value(), half).at<1>().write_val_relaxed(0xbeef);
	IOVIEW_PROJECT(v.value(), bytes).at<2>().write_val(0x5a);
	u32 ctrl = IOVIEW_PROJECT(v.value(), ctrl).read_val();
	u32 ctrl_relaxed = IOVIEW_PROJECT(v.value(), ctrl).read_val_relaxed();
	u64 addr = IOVIEW_PROJECT(v.value(), addr).read_val();

	REQUIRE(log_.count == 7);
	const uptr base = reinterpret_cast<uptr>(&r);
	CHECK(same(log_.calls[0].what, "write32"));
	CHECK(log_.calls[0].addr == base + 4);
	CHECK(log_.calls[0].value == 0x11223344);
	CHECK(same(log_.calls[1].what, "write64"));
	CHECK(log_.calls[1].addr == base + 8);
	CHECK(same(log_.calls[2].what, "write16_relaxed"));
	CHECK(log_.calls[2].addr == base + 18);
	CHECK(same(log_.calls[3].what, "write8"));
	CHECK(log_.calls[3].addr == base + 22);
	CHECK(same(log_.calls[4].what, "read32"));
	CHECK(same(log_.calls[5].what, "read32_relaxed"));
	CHECK(same(log_.calls[6].what, "read64"));
	CHECK(ctrl == 0x11223344);
	CHECK(ctrl_relaxed == 0x11223344);
	CHECK(addr == 0x8877665544332211ull);
	CHECK(r.half[1] == 0xbeef);
	CHECK(r.bytes[2] == 0x5a);
}

TEST_CASE("mmio: untyped region accessors return the little-endian device value", "[mmio]")
{
	alignas(8) unsigned char bar[16] = { 0xed, 0x00, 0x00, 0x01 };
	auto v = min_mmio::try_view<region<16>>(bar, sizeof(bar));
	REQUIRE(v);
	CHECK(v.value().read32<0>() == 0x010000ed);
	v.value().write16<6>(0x1234);
	CHECK(bar[6] == 0x34);
	CHECK(bar[7] == 0x12);
}

TEST_CASE("mmio: try_ accessors refuse bad offsets without calling the policy", "[mmio]")
{
	alignas(8) u32 bar[4] = {};
	auto v = min_mmio::try_view<region<16>>(bar, sizeof(bar));
	REQUIRE(v);
	log_ = {};
	CHECK(v.value().try_read32(16).error() == -erange);
	CHECK(v.value().try_write32(14, 1).error() == -erange);
	CHECK(v.value().try_read32(2).error() == -einval);
	CHECK(v.value().try_write16(3, 1).error() == -einval);
	CHECK(log_.count == 0);
	CHECK(v.value().try_write32(12, 7).ok());
	CHECK(log_.count == 1);
	CHECK(bar[3] == 7);
}

TEST_CASE("mmio: copies to and from normal memory use the policy's block copy once", "[mmio]")
{
	alignas(8) regs r{ 1, 2, 3, { 4, 5 }, { 6, 7, 8, 9 } };
	auto v = full_mmio::try_view<regs>(&r, sizeof(r)).value();
	log_ = {};
	regs out = copy_read(v);
	REQUIRE(log_.count == 1);
	CHECK(same(log_.calls[0].what, "copy_from_io"));
	CHECK(log_.calls[0].value == sizeof(regs));
	CHECK(__builtin_memcmp(&out, &r, sizeof(r)) == 0);
	copy_write(v, regs{ 10, 20, 30, { 40, 50 }, { 60, 70, 80, 90 } });
	REQUIRE(log_.count == 2);
	CHECK(same(log_.calls[1].what, "copy_to_io"));
	CHECK(r.addr == 30);

	// Without a block copy the same copy goes access by access.
	auto m = min_mmio::try_view<regs>(&r, sizeof(r)).value();
	log_ = {};
	out = copy_read(m);
	CHECK(log_.count > 1);
	CHECK(out.bytes[3] == 90);
}

TEST_CASE("mmio: try_view checks base, size and alignment", "[mmio]")
{
	alignas(8) unsigned char bar[32] = {};
	CHECK(min_mmio::try_view<region<16>>(nullptr, 16).error() == -efault);
	CHECK(min_mmio::try_view<region<16>>(bar, 12).error() == -einval);
	CHECK(min_mmio::try_view<region<16>>(bar, 18).error() == -einval);
	CHECK(min_mmio::try_view<region<16>>(bar + 2, 16).error() == -einval);
	CHECK(min_mmio::try_view<regs>(bar + 4, sizeof(regs)).error() == -einval);
	auto ok = min_mmio::try_view<region<16>>(bar, 32);
	REQUIRE(ok);
	CHECK(ok.value().size() == 32);
	CHECK(min_mmio::try_view<slice<u32>>(bar, 32).value().length() == 8);
}
