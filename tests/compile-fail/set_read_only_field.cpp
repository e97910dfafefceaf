// Read-only and reserved fields cannot be set.
// expect: ioview: field Hi:Lo of Register is read-only or reserved and cannot be set
// expect-instance: field_not_writable<ctrl, 15, 8>
#include <ioview/ioview.h>

struct tag;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, ioview::region<4, tag>> {
	static constexpr field<0> enable{};
	static constexpr field<15, 8, ioview::ro> version{};
	static constexpr field_list<enable, version> fields{};
};

auto f()
{
#ifndef IOVIEW_CF_CONTROL
	return ctrl::zero().set(ctrl::version, 1);
#else
	return ctrl::zero().set(ctrl::enable, 1);
#endif
}
