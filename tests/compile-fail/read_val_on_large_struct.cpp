// A struct bigger than one access cannot be read "in one access"; copies say what they do.
// expect-first: incomplete type 'struct ioview::diag::read_val_needs_scalar<desc>'
#include <ioview/ioview.h>

struct desc {
	ioview::u64 addr;
	ioview::u32 len;
	ioview::u32 flags;
};
template <> inline constexpr bool ioview::enable_plain_data<desc> = true;

auto f(ioview::view<ioview::sysmem, desc> v)
{
#ifndef IOVIEW_CF_CONTROL
	return v.read_val();
#else
	return IOVIEW_PROJECT(v, addr).read_val();
#endif
}
