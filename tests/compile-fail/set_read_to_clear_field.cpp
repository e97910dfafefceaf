// A read-to-clear field is changed by reading it, not by writing it: it has no set().
// expect-first: incomplete type 'struct ioview::diag::field_not_writable<irq_status, ioview::diag::bits<7, 0> >'
#include <ioview/ioview.h>

struct tag;
struct irq_status : ioview::reg<irq_status, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<7, 0, ioview::rc> pending{};
	static constexpr field<8> mask_all{};
	static constexpr field<31, 9, ioview::rsvd_zero> reserved{};
	static constexpr field_list<pending, mask_all, reserved> fields{};
};

auto f()
{
#ifndef IOVIEW_CF_CONTROL
	return irq_status::zero().set(irq_status::pending, 1);
#else
	return irq_status::zero().set(irq_status::mask_all, 1);
#endif
}
