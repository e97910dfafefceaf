// The handle of a read-only view cannot be turned back into a writable view.
// expect-first: is private within this context
// expect: ioview::backend_key<B>::backend_key() [with B = ioview::sysmem]
#include <ioview/ioview.h>

ioview::u32 f(ioview::view<ioview::sysmem, const ioview::u32> ro)
{
#ifndef IOVIEW_CF_CONTROL
	ioview::view<ioview::sysmem, ioview::u32>::from_handle(ioview::backend_key<ioview::sysmem>{}, ro.handle()).write_val(0);
	return 0;
#else
	return ro.read_val();
#endif
}
