// Two fields that claim the same bit.
// expect-first: incomplete type 'struct ioview::diag::fields_overlap<ctrl, ioview::diag::bits<3, 1>, ioview::diag::bits<1, 0> >'
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<3, 1> mode{};
#ifndef IOVIEW_CF_CONTROL
	static constexpr field<1, 0> enable{};
#else
	static constexpr field<0, 0> enable{};
#endif
	static constexpr field<31, 4, ioview::rsvd_zero> reserved{};
	static constexpr field_list<mode, enable, reserved> fields{};
};
