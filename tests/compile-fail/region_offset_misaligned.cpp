// A constant offset that is not a multiple of the access width.
// expect: ioview: Offset is not a multiple of the alignment Align required here
// expect-instance: misaligned<ioview::region<16>, 2, 4>
#include <ioview/ioview.h>

void f(ioview::view<ioview::sysmem, ioview::region<16>> r)
{
#ifndef IOVIEW_CF_CONTROL
	r.write32<2>(0);
#else
	r.write16<2>(0);
#endif
}
