// The accessor patterns, written with ioview. Each function has a counterpart in hand.c.
#include <ioview/ioview.h>

using namespace ioview;

struct queue {
	u32 head;
	u32 tail;
	u32 slots[16];
};
template <> inline constexpr bool ioview::enable_plain_data<queue> = true;

struct desc {
	u64 addr;
	u32 len;
	u32 flags;
};
template <> inline constexpr bool ioview::enable_plain_data<desc> = true;

struct bar_tag;
using bar = region<0x100, bar_tag, 8>;

struct ctrl : reg<ctrl, u32, 0x10, bar> {
	static constexpr field<0> enable{};
	static constexpr field<3, 1> mode{};
	static constexpr field<7, 4, w1c> irq{};
	static constexpr field<31, 8, rsvd_zero> reserved{};
	static constexpr field_list<enable, mode, irq, reserved> fields{};
};

using bar_view = view<sysmem, bar>;
using queue_view = view<sysmem, queue>;

#define BENCH extern "C" __attribute__((noinline))

BENCH u8 bench_read8(bar_view r) { return r.read8<0x3>(); }
BENCH u16 bench_read16(bar_view r) { return r.read16<0x6>(); }
BENCH u32 bench_read32(bar_view r) { return r.read32<0x8>(); }
BENCH u64 bench_read64(bar_view r) { return r.read64<0x18>(); }
BENCH void bench_write8(bar_view r, u8 v) { r.write8<0x3>(v); }
BENCH void bench_write16(bar_view r, u16 v) { r.write16<0x6>(v); }
BENCH void bench_write32(bar_view r, u32 v) { r.write32<0x8>(v); }
BENCH void bench_write64(bar_view r, u64 v) { r.write64<0x18>(v); }
BENCH u32 bench_field(queue_view q) { return IOVIEW_PROJECT(q, tail).read_val(); }
BENCH void bench_const_index(queue_view q, u32 v) { IOVIEW_PROJECT(q, slots[5]).write_val(v); }
BENCH int bench_checked_index(queue_view q, usize i, u32 v)
{
	auto slot = IOVIEW_PROJECT(q, slots).try_at(i);
	if (!slot)
		return slot.error();
	slot.value().write_val(v);
	return 0;
}
BENCH int bench_checked_offset(bar_view r, usize off)
{
	auto v = r.try_read32(off);
	return v ? static_cast<int>(v.value()) : v.error();
}
BENCH void bench_reg_update(bar_view r)
{
	ctrl::update(r, [](auto v) { return v.set(ctrl::mode, 5); });
}
BENCH void bench_copy_read(view<sysmem, desc> d, desc *out) { *out = copy_read(d); }
