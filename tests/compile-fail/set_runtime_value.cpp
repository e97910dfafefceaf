// set() takes a constant, checked against the field's width at compile time; a runtime value
// goes through try_set(), which checks it at run time. The error names try_set.
// expect-first: call to non-'constexpr' function 'void ioview::diag::set_takes_a_constant_use_try_set_for_a_runtime_value()'
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<3, 0> mode{};
	static constexpr field<31, 4, ioview::rsvd_zero> reserved{};
	static constexpr field_list<mode, reserved> fields{};
};

auto f(ioview::u32 m)
{
#ifndef IOVIEW_CF_CONTROL
	return ctrl::zero().set(ctrl::mode, m);
#else
	return ctrl::zero().try_set(ctrl::mode, m);
#endif
}
