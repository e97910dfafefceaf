// Reserved bits that must be preserved keep what was read; software does not set them.
// expect-first: incomplete type 'struct ioview::diag::field_not_writable<ctrl, ioview::diag::bits<31, 8> >'
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<7, 0> mode{};
	static constexpr field<31, 8, ioview::rsvd_keep> reserved{};
	static constexpr field_list<mode, reserved> fields{};
};

auto f(ioview::u64 n)
{
#ifndef IOVIEW_CF_CONTROL
	return ctrl::zero().try_set(ctrl::reserved, n);
#else
	return ctrl::zero().try_set(ctrl::mode, n);
#endif
}
