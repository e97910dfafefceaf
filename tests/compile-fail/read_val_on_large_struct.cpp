// A struct bigger than one access cannot be read "in one access"; copies say what they do.
// expect: ioview: read_val/write_val need a naturally aligned plain-data T of 1, 2, 4 or 8 bytes
// expect-instance: not_a_scalar<desc>
#include <ioview/ioview.h>

struct desc {
	ioview::u64 addr;
	ioview::u32 len;
	ioview::u32 flags;
};

auto f(ioview::view<ioview::sysmem, desc> v)
{
#ifndef IOVIEW_CF_CONTROL
	return v.read_val();
#else
	return IOVIEW_PROJECT(v, addr).read_val();
#endif
}
