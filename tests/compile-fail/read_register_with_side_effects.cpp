// Reading a register with a read-to-clear field changes the device, so its plain read() does
// not exist: such a read is spelled read_with_side_effects(), which generic code never calls.
// expect-first: incomplete type 'struct ioview::diag::read_has_side_effects<irq_status>'
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<4, tag>;
struct irq_status : ioview::reg<irq_status, ioview::u32, 0, regs> {
	static constexpr field<7, 0, ioview::rc> pending{};
	static constexpr field<31, 8, ioview::rsvd_zero> reserved{};
	static constexpr field_list<pending, reserved> fields{};
};

auto f(ioview::view<ioview::sysmem, regs> io)
{
#ifndef IOVIEW_CF_CONTROL
	return irq_status::read(io).get(irq_status::pending);
#else
	return irq_status::read_with_side_effects(io).get(irq_status::pending);
#endif
}
