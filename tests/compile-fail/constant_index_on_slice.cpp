// A slice's length is a runtime value, so a constant index cannot be checked at compile time.
// expect: ioview: the length of slice T is known only at run time; use try_at/try_subrange
// expect-instance: needs_runtime_check<ioview::slice<unsigned int> >
#include <ioview/ioview.h>

auto f(ioview::view<ioview::sysmem, ioview::slice<ioview::u32>> s)
{
#ifndef IOVIEW_CF_CONTROL
	return s.at<0>();
#else
	return s.try_at(0);
#endif
}
