// A read-only view, and every projection of it, refuses writes.
// expect: ioview: cannot write through a read-only view of T
// expect-instance: write_through_read_only_view<const unsigned int>
#include <ioview/ioview.h>

struct regs {
	ioview::u32 ctrl;
	ioview::u32 status;
};

void f(ioview::view<ioview::sysmem, const regs> v)
{
#ifndef IOVIEW_CF_CONTROL
	IOVIEW_PROJECT(v, status).write_val(1);
#else
	(void)IOVIEW_PROJECT(v, status).read_val();
#endif
}
