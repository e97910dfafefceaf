// A field past the width of its 16-bit register.
// expect-first: incomplete type 'struct ioview::diag::field_out_of_range<status16, ioview::diag::bits<16, 15>, ioview::diag::register_bits<16> >'
#include <ioview/ioview.h>

struct tag;
struct status16 : ioview::reg<status16, ioview::u16, 0, ioview::region<4, tag>> {
#ifndef IOVIEW_CF_CONTROL
	static constexpr field<16, 15> top{};
#else
	static constexpr field<15, 14> top{};
#endif
	static constexpr field<13, 0, ioview::rsvd_zero> reserved{};
	static constexpr field_list<top, reserved> fields{};
};
