// A field list that leaves bits of the register out: every bit must belong to a field, unused
// ones to a reserved field, so that what a write puts there is always decided by a declaration.
// expect-first: incomplete type 'struct ioview::diag::register_bits_not_covered<uart_ctrl, ioview::diag::mask<ioview::diag::hex{"0xffffff00"}> >'
#include <ioview/ioview.h>

struct uart_tag;
struct uart_ctrl : ioview::reg<uart_ctrl, ioview::u32, 0x04, ioview::region<0x20, uart_tag>> {
	static constexpr field<0> enable{};
	static constexpr field<3, 1> mode{};
	static constexpr field<7, 4, ioview::w1c> irq{};
#ifndef IOVIEW_CF_CONTROL
	static constexpr field_list<enable, mode, irq> fields{};
#else
	static constexpr field<31, 8, ioview::rsvd_zero> reserved{};
	static constexpr field_list<enable, mode, irq, reserved> fields{};
#endif
};
