// update() reads first, so on a register with a read-to-clear field it would clear it: no update().
// expect-first: incomplete type 'struct ioview::diag::read_has_side_effects<irq_status>'
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<4, tag>;
struct irq_status : ioview::reg<irq_status, ioview::u32, 0, regs> {
	static constexpr field<7, 0, ioview::rc> pending{};
	static constexpr field<8> mask_all{};
	static constexpr field<31, 9, ioview::rsvd_zero> reserved{};
	static constexpr field_list<pending, mask_all, reserved> fields{};
};

void f(ioview::view<ioview::sysmem, regs> io)
{
#ifndef IOVIEW_CF_CONTROL
	irq_status::update(io, [](auto v) { return v.set(irq_status::mask_all, 1); });
#else
	irq_status::write(io, irq_status::zero().set(irq_status::mask_all, 1));
#endif
}
