// A register whose offset lies beyond the region it is bound to.
// expect-first: incomplete type 'struct ioview::diag::access_out_of_bounds<ioview::region<16, tag>, ioview::diag::offset<16>, ioview::diag::size<4>, ioview::diag::limit<16> >'
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
	static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
	static constexpr field_list<bit, reserved> fields{};
};

auto f(ioview::view<ioview::sysmem, regs> io)
{
	return late::read(io);
}
