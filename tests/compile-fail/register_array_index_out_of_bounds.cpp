// A constant index past the end of a register array.
// expect-first: incomplete type 'struct ioview::diag::index_out_of_bounds<chan_len, ioview::diag::index<4>, ioview::diag::length<4> >'
#include <ioview/ioview.h>

struct dma_tag;
using dma_regs = ioview::region<0x40, dma_tag>;
struct chan_len : ioview::reg_array<chan_len, ioview::u32, 0x10, 8, 4, dma_regs> {
	static constexpr field<15, 0> bytes{};
	static constexpr field<31, 16, ioview::rsvd_zero> reserved{};
	static constexpr field_list<bytes, reserved> fields{};
};

auto f(ioview::view<ioview::sysmem, dma_regs> io)
{
#ifndef IOVIEW_CF_CONTROL
	return chan_len::read<4>(io);
#else
	return chan_len::read<3>(io);
#endif
}
