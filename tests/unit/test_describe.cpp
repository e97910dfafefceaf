// Register maps that describe themselves (kmod/devices/describe.h): names parsed from the
// declaring identifiers, fields in datasheet order, each register's access summary, lookups by
// name and index; and the two real maps, edu's BAR0 and ivshmem-plain's BAR0.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <ioview/ioview.h>

#include <devices/describe.h>
#include <devices/edu.h>
#include <devices/ivshmem.h>

using namespace ioview;
namespace dev = ioview::devices;

namespace {
struct demo_tag;
using demo_regs = region<0x10, demo_tag>;

struct demo_ctrl : reg<demo_ctrl, u32, 0x0, demo_regs> {
	static constexpr field<0, 0> go{};
	static constexpr field<31, 1, rsvd_zero> reserved{};
	IOVIEW_FIELDS(go, reserved);
};
struct demo_stat : reg<demo_stat, u32, 0x4, demo_regs> {
	static constexpr field<7, 0, rc> errors{};
	static constexpr field<31, 8, ro> count{};
	IOVIEW_FIELDS(errors, count);
};
struct demo_kick : reg<demo_kick, u16, 0x8, demo_regs> {
	static constexpr field<15, 15, rsvd_keep> keep{};
	static constexpr field<14, 0, wo> doorbell{};
	IOVIEW_FIELDS(keep, doorbell);
};
struct demo_id : reg<demo_id, u8, 0xa, demo_regs> {
	static constexpr field<7, 0, ro> id{};
	IOVIEW_FIELDS(id);
};
IOVIEW_REGISTER_MAP(demo_map, demo_ctrl, demo_stat, demo_kick, demo_id);

// The example of describe.h's header comment.
static_assert(demo_map::size == 4 && dev::same_name(demo_map::names[1], "demo_stat"));
static_assert(dev::same_name(demo_ctrl::field_names[0], "go"));
static_assert(dev::fields_of<demo_stat>.items[0].hi == 31);
static_assert(dev::access_of<demo_stat>() == rc);

template <typename Map> std::vector<std::string> names_of()
{
	std::vector<std::string> v;
	for (usize i = 0; i < Map::size; ++i)
		v.emplace_back(Map::names[i]);
	return v;
}

template <typename Reg> std::string layout_of()
{
	std::string s;
	for (const dev::field_description &f : dev::fields_of<Reg>.items)
		s += std::string(f.name) + " " + std::to_string(f.hi) + ":" + std::to_string(f.lo) + " ";
	return s;
}

// Every register of Map: fields in hi order, covering the register's width exactly once.
template <typename Map> void check_map_consistent()
{
	dev::for_each_register<Map>([](auto t) {
		using R = typename decltype(t)::type;
		const auto &d = dev::fields_of<R>;
		INFO("register at offset " << R::offset);
		u64 covered = 0;
		unsigned next_hi = R::width - 1;
		for (usize i = 0; i < d.size; ++i) {
			CHECK(d.items[i].hi == next_hi);
			CHECK(std::strlen(d.items[i].name) > 0);
			for (unsigned b = d.items[i].lo; b <= d.items[i].hi; ++b)
				covered |= u64(1) << b;
			next_hi = d.items[i].lo - 1;
		}
		CHECK(d.items[d.size - 1].lo == 0);
		CHECK(covered == (R::width == 64 ? ~u64(0) : (u64(1) << R::width) - 1));
	});
}
} // namespace

TEST_CASE("describe: names come from the identifiers, in list order", "[describe]")
{
	CHECK(names_of<demo_map>() == std::vector<std::string>{ "demo_ctrl", "demo_stat", "demo_kick", "demo_id" });
	CHECK(std::string(demo_ctrl::field_names[1]) == "reserved");
	STATIC_REQUIRE(decltype(demo_stat::field_names)::size == 2);
	// The list is parsed once, at compile time: whitespace and commas do not reach a name.
	constexpr dev::name_list<sizeof("a,  bb ,c"), dev::count_names("a,  bb ,c")> odd{ "a,  bb ,c" };
	STATIC_REQUIRE(odd.size == 3);
	CHECK(std::string(odd[0]) == "a");
	CHECK(std::string(odd[1]) == "bb");
	CHECK(std::string(odd[2]) == "c");
}

TEST_CASE("describe: fields in datasheet order, highest bit first", "[describe]")
{
	CHECK(layout_of<demo_ctrl>() == "reserved 31:1 go 0:0 ");
	CHECK(layout_of<demo_stat>() == "count 31:8 errors 7:0 ");
	CHECK(dev::fields_of<demo_stat>.items[1].access == rc);
	CHECK(layout_of<dev::edu::status>() == "reserved_31_8 31:8 irq_on_completion 7:7 reserved_6_1 6:1 computing 0:0 ");
}

TEST_CASE("describe: a register's access as a whole", "[describe]")
{
	STATIC_REQUIRE(dev::access_of<demo_ctrl>() == rw);	// reserved bits do not count
	STATIC_REQUIRE(dev::access_of<demo_stat>() == rc);	// any rc field makes reads side effects
	STATIC_REQUIRE(dev::access_of<demo_kick>() == wo);
	STATIC_REQUIRE(dev::access_of<demo_id>() == ro);
	STATIC_REQUIRE(!dev::readable<demo_kick>() && dev::writable<demo_kick>());
	STATIC_REQUIRE(dev::readable<demo_id>() && !dev::writable<demo_id>());
	STATIC_REQUIRE(dev::readable<demo_stat>() && dev::writable<demo_stat>());
}

TEST_CASE("describe: lookups by name and by index", "[describe]")
{
	STATIC_REQUIRE(dev::register_named<demo_map>("demo_kick") == 2);
	STATIC_REQUIRE(dev::register_named<demo_map>("demo") == demo_map::size);
	STATIC_REQUIRE(dev::register_named<demo_map>("demo_stat_") == demo_map::size);
	usize offset = 0;
	CHECK(dev::visit_register<demo_map>(2, [&](auto t) { offset = decltype(t)::type::offset; }));
	CHECK(offset == 0x8);
	CHECK_FALSE(dev::visit_register<demo_map>(4, [&](auto) { offset = 0; }));
	CHECK(offset == 0x8);
	std::vector<usize> offsets;
	dev::for_each_register<demo_map>([&](auto t) { offsets.push_back(decltype(t)::type::offset); });
	CHECK(offsets == std::vector<usize>{ 0x0, 0x4, 0x8, 0xa });
}

TEST_CASE("describe: edu's BAR0, every register named and fully described", "[describe][edu]")
{
	CHECK(names_of<dev::edu::registers>() ==
	      std::vector<std::string>{ "identification", "liveness", "factorial", "status", "irq_status", "irq_raise",
					"irq_ack", "dma_source", "dma_destination", "dma_count", "dma_command" });
	check_map_consistent<dev::edu::registers>();
	STATIC_REQUIRE(dev::access_of<dev::edu::identification>() == ro);
	STATIC_REQUIRE(dev::access_of<dev::edu::irq_raise>() == wo);
	STATIC_REQUIRE(dev::access_of<dev::edu::dma_command>() == rw);
	// Nothing on edu clears on read.
	dev::for_each_register<dev::edu::registers>(
		[](auto t) { CHECK(dev::access_of<typename decltype(t)::type>() != rc); });
}

TEST_CASE("describe: ivshmem-plain's BAR0", "[describe][ivshmem]")
{
	CHECK(names_of<dev::ivshmem::registers>() ==
	      std::vector<std::string>{ "interrupt_mask", "interrupt_status", "iv_position", "doorbell" });
	check_map_consistent<dev::ivshmem::registers>();
	STATIC_REQUIRE(dev::access_of<dev::ivshmem::interrupt_status>() == rc);
	STATIC_REQUIRE(dev::access_of<dev::ivshmem::iv_position>() == ro);
	STATIC_REQUIRE(dev::access_of<dev::ivshmem::doorbell>() == wo);
	CHECK(layout_of<dev::ivshmem::doorbell>() == "peer 31:16 reserved 15:8 vector 7:0 ");
}
