// A constant offset that is not a multiple of the access width.
// expect-first: incomplete type 'struct ioview::diag::misaligned_offset<ioview::region<16>, ioview::diag::offset<2>, ioview::diag::alignment<4> >'
#include <ioview/ioview.h>

void f(ioview::view<ioview::sysmem, ioview::region<16>> r)
{
#ifndef IOVIEW_CF_CONTROL
	r.write32<2>(0);
#else
	r.write16<2>(0);
#endif
}
