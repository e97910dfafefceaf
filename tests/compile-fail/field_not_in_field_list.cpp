// A field that is not in the register's field list cannot be used: here a plain read-write
// alias of the write-1-to-clear bits 7:4, which would otherwise let update() write back the
// pending interrupt bits it read and so acknowledge them by accident.
// expect-first: incomplete type 'struct ioview::diag::field_not_in_field_list<uart_ctrl, ioview::diag::bits<7, 4>, ioview::diag::access<ioview::field_access::rw> >'
#include <ioview/ioview.h>

struct uart_tag;
using uart_regs = ioview::region<0x20, uart_tag>;
struct uart_ctrl : ioview::reg<uart_ctrl, ioview::u32, 0x04, uart_regs> {
	static constexpr field<0> enable{};
	static constexpr field<3, 1> mode{};
	static constexpr field<7, 4, ioview::w1c> irq{};
	static constexpr field<31, 8, ioview::rsvd_zero> reserved{};
	static constexpr field_list<enable, mode, irq, reserved> fields{};
	static constexpr field<7, 4> irq_bits{}; // not listed
};

void f(ioview::view<ioview::sysmem, uart_regs> io)
{
#ifndef IOVIEW_CF_CONTROL
	uart_ctrl::update(io, [](auto v) { return v.set(uart_ctrl::irq_bits, 1); });
#else
	uart_ctrl::update(io, [](auto v) { return v.set(uart_ctrl::irq, 1); });
#endif
}
