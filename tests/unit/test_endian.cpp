// Byte order: endian-typed fields agree between copies and scalar reads on every backend byte
// order; plain integers are numbers in the device order, as the untyped accessors give them.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>

using namespace ioview;

namespace {
struct wire {
	be32 magic;
	le32 length;
	u32 native;
};
} // namespace
template <> inline constexpr bool ioview::enable_plain_data<wire> = true;

TEST_CASE("endian types store the stated byte order", "[endian]")
{
	STATIC_REQUIRE(plain_data<le16> && plain_data<be64>);
	STATIC_REQUIRE(sizeof(le32) == 4 && alignof(le32) == 4);
	be32 b = be32::from_cpu(0x11223344);
	unsigned char bytes[4];
	__builtin_memcpy(bytes, &b, 4);
	REQUIRE(bytes[0] == 0x11);
	REQUIRE(bytes[3] == 0x44);
	le16 l{};
	l.set(0xaabb);
	__builtin_memcpy(bytes, &l, 2);
	REQUIRE(bytes[0] == 0xbb);
	REQUIRE(l.get() == 0xaabb);
	REQUIRE(byte_swap<u64>(0x0102030405060708ull) == 0x0807060504030201ull);
	REQUIRE(byte_swap<u16>(0x0102) == 0x0201);
}

template <byte_order Order> static void copy_and_scalar_agree()
{
	testing::memory<16, 8, Order> mem;
	auto v = mem.template at<wire, 0>();
	copy_write(v, wire{ be32::from_cpu(0xcafef00d), le32::from_cpu(1500), 0x01020304 });
	wire copied = copy_read(v);
	REQUIRE(copied.magic.get() == 0xcafef00d);
	REQUIRE(IOVIEW_PROJECT(v, magic).read_val().get() == 0xcafef00d);
	REQUIRE(IOVIEW_PROJECT(v, length).read_val().get() == 1500);
	REQUIRE(copied.length.get() == 1500);
	REQUIRE(copied.native == 0x01020304);
	// A plain integer is a number in the device's byte order, the one the untyped accessor of
	// its width returns; a copy moves its bytes unchanged, so the two differ by exactly that order.
	u32 number = IOVIEW_PROJECT(v, native).read_val();
	REQUIRE(number == mem.template region<region<16>>().template read32<8>());
	REQUIRE(number == convert_order<Order>(copied.native));

	// A scalar write is seen by a later copy, too.
	IOVIEW_PROJECT(v, magic).write_val(be32::from_cpu(0x0badcafe));
	REQUIRE(copy_read(v).magic.get() == 0x0badcafe);
	REQUIRE(mem.bytes()[0] == 0x0b); // big-endian field: most significant byte first
	REQUIRE(mem.bytes()[4] == (1500 & 0xff));
}

TEST_CASE("copy and read_val agree on a little-endian device", "[endian]")
{
	copy_and_scalar_agree<byte_order::little>();
}

TEST_CASE("copy and read_val agree on a big-endian device; integers are device-order numbers", "[endian]")
{
	copy_and_scalar_agree<byte_order::big>();
}

TEST_CASE("untyped accessors return values decoded in the device order", "[endian]")
{
	testing::memory<8, 8, byte_order::big> mem;
	auto r = mem.region<region<8>>();
	r.write32<0>(0x11223344);
	REQUIRE(mem.bytes()[0] == 0x11);
	REQUIRE(r.read32<0>() == 0x11223344);
	REQUIRE(r.at_offset<be32, 0>().read_val().get() == 0x11223344);
	testing::memory<8, 8, byte_order::little> le;
	auto rl = le.region<region<8>>();
	rl.write16<2>(0xa1b2);
	REQUIRE(le.bytes()[2] == 0xb2);
	REQUIRE(rl.at_offset<le16, 2>().read_val().get() == 0xa1b2);
}

TEST_CASE("on a big-endian device a typed u32 field, read32 and write_val agree", "[endian]")
{
	testing::memory<8, 8, byte_order::big> mem;
	mem.bytes()[0] = 0x00;
	mem.bytes()[1] = 0x00;
	mem.bytes()[2] = 0x00;
	mem.bytes()[3] = 0xab;
	auto r = mem.region<region<8>>();
	REQUIRE(r.read32<0>() == 0xab);
	REQUIRE(r.at_offset<u32, 0>().read_val() == 0xab); // a number in the device's order
	r.at_offset<u32, 4>().write_val(0x0b);
	REQUIRE(mem.bytes()[4] == 0x00);
	REQUIRE(mem.bytes()[7] == 0x0b);
	REQUIRE(r.read32<4>() == 0x0b);
	// An endian type is bytes: be32 over the same big-endian bytes decodes the same number.
	REQUIRE(r.at_offset<be32, 0>().read_val().get() == 0xab);
	REQUIRE(r.at_offset<le32, 0>().read_val().get() == 0xab000000);
}
