// The expecting mock: exact sequences pass, anything else is reported.
#include <catch2/catch.hpp>

#include <ioview/ioview.h>
#include <ioview/testing/mock.h>

using namespace ioview;

namespace {
struct dev_tag;
using dev_regs = region<0x40, dev_tag, 8>;

template <typename V> void reset_device(V regs)
{
	regs.template write32<0x0>(1);
	while (regs.template read32<0x4>() & 1) {
	}
	regs.template write64<0x8>(0);
}
} // namespace

TEST_CASE("mock passes the exact scripted sequence", "[mock]")
{
	testing::mock dev;
	dev.expect_write32(0x0, 1).expect_read32(0x4, 1).expect_read32(0x4, 0).expect_write64(0x8, 0);
	reset_device(dev.region<dev_regs>());
	REQUIRE(dev.verify());
	REQUIRE(dev.pending() == 0);
	REQUIRE(dev.failure()[0] == 0);
}

TEST_CASE("mock reports a wrong offset, width, value or order", "[mock]")
{
	SECTION("wrong value")
	{
		testing::mock dev;
		dev.expect_write32(0x0, 2);
		dev.region<dev_regs>().write32<0x0>(1);
		REQUIRE_FALSE(dev.verify());
		REQUIRE(dev.mismatches() == 1);
		REQUIRE(__builtin_strstr(dev.failure(), "write32 at 0x0 of 0x1, expected write32 at 0x0 of 0x2"));
	}
	SECTION("wrong width")
	{
		testing::mock dev;
		dev.expect_read32(0x4, 5);
		REQUIRE(dev.region<dev_regs>().read16<0x4>() == 0); // mismatched reads return 0
		REQUIRE_FALSE(dev.verify());
		REQUIRE(__builtin_strstr(dev.failure(), "read16 at 0x4"));
	}
	SECTION("wrong offset")
	{
		testing::mock dev;
		dev.expect_read32(0x4, 5);
		(void)dev.region<dev_regs>().read32<0x8>();
		REQUIRE_FALSE(dev.verify());
	}
	SECTION("relaxed where a plain access was expected")
	{
		testing::mock dev;
		dev.expect_read32(0x4, 5);
		(void)dev.region<dev_regs>().at_offset<u32, 0x4>().read_val_relaxed();
		REQUIRE_FALSE(dev.verify());
		REQUIRE(__builtin_strstr(dev.failure(), "read32_relaxed"));
	}
	SECTION("extra access after the script")
	{
		testing::mock dev;
		(void)dev.region<dev_regs>().read8<0>();
		REQUIRE_FALSE(dev.verify());
		REQUIRE(__builtin_strstr(dev.failure(), "after the script ended"));
	}
	SECTION("missing access")
	{
		testing::mock dev;
		dev.expect_read32(0x4, 5).expect_write32(0x0, 1);
		(void)dev.region<dev_regs>().read32<0x4>();
		REQUIRE_FALSE(dev.verify());
		REQUIRE(dev.pending() == 1);
	}
}

TEST_CASE("mock relaxed expectations and base address for alignment", "[mock]")
{
	testing::mock dev(0x1004);
	dev.expect_write32_relaxed(0x10, 3).expect_read32_relaxed(0x10, 3);
	auto r = dev.region<region<0x40>>();
	r.at_offset<u32, 0x10>().write_val_relaxed(3);
	REQUIRE(r.at_offset<u32, 0x10>().read_val_relaxed() == 3);
	REQUIRE(dev.verify());
	// The mock's base is 4 mod 8: a 64-bit runtime access at offset 0 is refused before it happens.
	REQUIRE(r.try_read64(0).error() == -einval);
	REQUIRE(dev.verify());
}

TEST_CASE("mock refuses a script longer than its capacity", "[mock]")
{
	testing::mock dev;
	for (usize i = 0; i <= testing::mock::capacity; i++)
		dev.expect_read8(0, 0);
	REQUIRE_FALSE(dev.verify());
	REQUIRE(__builtin_strstr(dev.failure(), "capacity"));
}

TEST_CASE("relaxed untyped accessors make relaxed accesses at every width", "[mock][relaxed]")
{
	testing::mock dev;
	dev.expect({ false, true, 1, 0x1, 0x11 })
		.expect({ true, true, 2, 0x2, 0x2222 })
		.expect_read32_relaxed(0x4, 0x33)
		.expect({ true, true, 8, 0x8, 0x44 })
		.expect({ false, true, 8, 0x10, 0x55 })
		.expect_write32_relaxed(0x18, 0x66);
	auto r = dev.region<dev_regs>();
	REQUIRE(r.read8_relaxed<0x1>() == 0x11);
	r.write16_relaxed<0x2>(0x2222);
	REQUIRE(r.try_read32_relaxed(0x4).value() == 0x33);
	r.write64_relaxed<0x8>(0x44);
	REQUIRE(r.try_read64_relaxed(0x10).value() == 0x55);
	REQUIRE(r.try_write32_relaxed(0x18, 0x66).ok());
	// Refusals make no access at all: the script would report one.
	REQUIRE(r.try_read32_relaxed(0x40).error() == -erange);
	REQUIRE(r.try_write16_relaxed(0x3, 1).error() == -einval);
	REQUIRE(dev.verify());
}
