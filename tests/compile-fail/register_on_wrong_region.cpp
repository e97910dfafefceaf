// A register of one device used on another device's region.
// expect-first: incomplete type 'struct ioview::diag::register_on_wrong_region<uart_ctrl, ioview::region<32, uart_tag>, ioview::region<32, spi_tag> >'
#include <ioview/ioview.h>

struct uart_tag;
struct spi_tag;
using uart_regs = ioview::region<0x20, uart_tag>;
using spi_regs = ioview::region<0x20, spi_tag>;

struct uart_ctrl : ioview::reg<uart_ctrl, ioview::u32, 0x04, uart_regs> {
	static constexpr field<0> enable{};
	static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
	static constexpr field_list<enable, reserved> fields{};
};

#ifndef IOVIEW_CF_CONTROL
using given = spi_regs;
#else
using given = uart_regs;
#endif

auto f(ioview::view<ioview::sysmem, given> io)
{
	return uart_ctrl::read(io);
}
