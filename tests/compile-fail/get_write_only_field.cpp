// A write-only field reads as nothing meaningful, so it has no get().
// expect-first: incomplete type 'struct ioview::diag::field_not_readable<fifo_ctrl, ioview::diag::bits<1, 1> >'
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<4, tag>;
struct fifo_ctrl : ioview::reg<fifo_ctrl, ioview::u32, 0, regs> {
	static constexpr field<0> enable{};
	static constexpr field<1, 1, ioview::wo> flush{};
	static constexpr field<31, 2, ioview::rsvd_zero> reserved{};
	static constexpr field_list<enable, flush, reserved> fields{};
};

auto f(ioview::view<ioview::sysmem, regs> io)
{
#ifndef IOVIEW_CF_CONTROL
	return fifo_ctrl::read(io).get(fifo_ctrl::flush);
#else
	fifo_ctrl::write(io, fifo_ctrl::zero().set(fifo_ctrl::flush, 1));
	return fifo_ctrl::read(io).get(fifo_ctrl::enable);
#endif
}
