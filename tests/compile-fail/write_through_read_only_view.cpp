// A read-only view, and every projection of it, refuses writes.
// expect-first: incomplete type 'struct ioview::diag::write_through_read_only_view<const unsigned int>'
#include <ioview/ioview.h>

struct regs {
	ioview::u32 ctrl;
	ioview::u32 status;
};
template <> inline constexpr bool ioview::enable_plain_data<regs> = true;

void f(ioview::view<ioview::sysmem, const regs> v)
{
#ifndef IOVIEW_CF_CONTROL
	IOVIEW_PROJECT(v, status).write_val(1);
#else
	(void)IOVIEW_PROJECT(v, status).read_val();
#endif
}
