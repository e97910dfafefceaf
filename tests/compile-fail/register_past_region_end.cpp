// A register whose offset lies beyond the region it is bound to.
// expect: ioview: access [Offset, Offset + Size) lies outside the Limit bytes of T
// expect-instance: out_of_bounds<ioview::region<16, tag>, 16, 4, 16>
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<16, tag>;
#ifndef IOVIEW_CF_CONTROL
constexpr ioview::usize where = 16;
#else
constexpr ioview::usize where = 12;
#endif
struct late : ioview::reg<late, ioview::u32, where, regs> {
	static constexpr field<0> bit{};
	static constexpr field_list<bit> fields{};
};

auto f(ioview::view<ioview::sysmem, regs> io)
{
	return late::read(io);
}
