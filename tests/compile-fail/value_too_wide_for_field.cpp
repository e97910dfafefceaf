// A constant that does not fit its 3-bit field. The value is a parameter of a consteval
// constructor, so it cannot be a template argument of a diagnostic type; the error names the
// check, and the line before it shows the field and the value.
// expect-first: call to non-'constexpr' function 'void ioview::diag::value_too_wide_for_field(
// expect: in 'constexpr' expansion of 'ioview::field_constant<ioview::bitfield<ctrl, unsigned int, 3, 1, ioview::field_access::rw> >(8)'
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<0> enable{};
	static constexpr field<3, 1> mode{};
	static constexpr field<31, 4, ioview::rsvd_zero> reserved{};
	static constexpr field_list<enable, mode, reserved> fields{};
};

auto f()
{
#ifndef IOVIEW_CF_CONTROL
	return ctrl::zero().set(ctrl::mode, 8);
#else
	return ctrl::zero().set(ctrl::mode, 7);
#endif
}
