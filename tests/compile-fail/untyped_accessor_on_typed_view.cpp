// read32 and friends are for untyped regions; a typed view is accessed through its fields.
// expect: ioview: untyped read8..read64/write8..write64 exist only on region views
// expect-instance: untyped_access_on_typed_view<regs>
#include <ioview/ioview.h>

struct regs {
	ioview::u32 ctrl;
	ioview::u32 status;
};

ioview::u32 f(ioview::view<ioview::sysmem, regs> v)
{
#ifndef IOVIEW_CF_CONTROL
	return v.read32<4>();
#else
	return IOVIEW_PROJECT(v, status).read_val();
#endif
}
