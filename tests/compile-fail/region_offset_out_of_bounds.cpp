// A constant offset at the end of a region's guaranteed size.
// expect-first: incomplete type 'struct ioview::diag::access_out_of_bounds<ioview::region<16>, ioview::diag::offset<16>, ioview::diag::size<4>, ioview::diag::limit<16> >'
#include <ioview/ioview.h>

ioview::u32 f(ioview::view<ioview::sysmem, ioview::region<16>> r)
{
#ifndef IOVIEW_CF_CONTROL
	return r.read32<16>();
#else
	return r.read32<12>();
#endif
}
