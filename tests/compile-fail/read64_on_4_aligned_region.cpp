// An 8-aligned offset is not enough when the region base is only 4-byte aligned.
// expect: ioview: the base of a view of T is only guaranteed BaseAlign-aligned
// expect-instance: base_underaligned<ioview::region<16>, 4, 8>
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
