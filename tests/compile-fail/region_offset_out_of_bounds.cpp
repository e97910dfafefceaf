// A constant offset at the end of a region's guaranteed size.
// expect: ioview: access [Offset, Offset + Size) lies outside the Limit bytes of T
// expect-instance: out_of_bounds<ioview::region<16>, 16, 4, 16>
#include <ioview/ioview.h>

ioview::u32 f(ioview::view<ioview::sysmem, ioview::region<16>> r)
{
#ifndef IOVIEW_CF_CONTROL
	return r.read32<16>();
#else
	return r.read32<12>();
#endif
}
