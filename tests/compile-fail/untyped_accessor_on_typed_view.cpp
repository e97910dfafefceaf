// read32 and friends are for untyped regions; a typed view is accessed through its fields.
// expect-first: incomplete type 'struct ioview::diag::untyped_access_needs_region_view<regs>'
#include <ioview/ioview.h>

struct regs {
	ioview::u32 ctrl;
	ioview::u32 status;
};
template <> inline constexpr bool ioview::enable_plain_data<regs> = true;

ioview::u32 f(ioview::view<ioview::sysmem, regs> v)
{
#ifndef IOVIEW_CF_CONTROL
	return v.read32<4>();
#else
	return IOVIEW_PROJECT(v, status).read_val();
#endif
}
