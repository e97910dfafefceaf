// A field list names the fields of its own register only.
// expect-first: incomplete type 'struct ioview::diag::fields_of_different_registers<ctrl, other, ioview::diag::bits<31, 1> >'
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<8, tag>;
struct other : ioview::reg<other, ioview::u32, 4, regs> {
	static constexpr field<0> go{};
	static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
	static constexpr field_list<go, reserved> fields{};
};
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, regs> {
	static constexpr field<0> enable{};
	static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
#ifndef IOVIEW_CF_CONTROL
	static constexpr field_list<enable, other::reserved> fields{};
#else
	static constexpr field_list<enable, reserved> fields{};
#endif
};
