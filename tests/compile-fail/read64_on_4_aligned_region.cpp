// An 8-aligned offset is not enough when the region base is only 4-byte aligned.
// expect-first: incomplete type 'struct ioview::diag::base_underaligned<ioview::region<16>, ioview::diag::base_alignment<4>, ioview::diag::needed_alignment<8> >'
#include <ioview/ioview.h>

#ifndef IOVIEW_CF_CONTROL
using bar = ioview::region<16>;
#else
using bar = ioview::region<16, void, 8>;
#endif

ioview::u64 f(ioview::view<ioview::sysmem, bar> r)
{
	return r.read64<8>();
}
