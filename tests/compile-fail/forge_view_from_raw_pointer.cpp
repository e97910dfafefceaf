// A driver cannot wrap a raw pointer and a size it chose into a view: only the backend can make
// the key that from_handle() takes. Here a region<0x40> over 8 real bytes would let
// write32<0x3c>() write past them.
// expect-first: is private within this context
// expect: ioview::backend_key<B>::backend_key() [with B = ioview::sysmem]
#include <ioview/ioview.h>

void f(unsigned char (&bytes)[8])
{
#ifndef IOVIEW_CF_CONTROL
	auto v = ioview::view<ioview::sysmem, ioview::region<0x40>>::from_handle(ioview::backend_key<ioview::sysmem>{}, bytes, 8);
	v.write32<0x3c>(1);
#else
	auto v = ioview::sysmem::try_view<ioview::region<0x40>>(bytes, 8); // -EINVAL: 8 < 0x40
	if (v)
		v.value().write32<0x3c>(1);
#endif
}
