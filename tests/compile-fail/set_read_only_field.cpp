// Read-only fields cannot be set.
// expect-first: incomplete type 'struct ioview::diag::field_not_writable<ctrl, ioview::diag::bits<15, 8> >'
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<0> enable{};
	static constexpr field<7, 1, ioview::rsvd_zero> reserved_lo{};
	static constexpr field<15, 8, ioview::ro> version{};
	static constexpr field<31, 16, ioview::rsvd_zero> reserved_hi{};
	static constexpr field_list<enable, reserved_lo, version, reserved_hi> fields{};
};

auto f()
{
#ifndef IOVIEW_CF_CONTROL
	return ctrl::zero().set(ctrl::version, 1);
#else
	return ctrl::zero().set(ctrl::enable, 1);
#endif
}
