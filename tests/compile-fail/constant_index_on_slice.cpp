// A slice's length is a runtime value, so a constant index cannot be checked at compile time.
// expect-first: incomplete type 'struct ioview::diag::slice_index_needs_try_at<ioview::slice<unsigned int> >'
#include <ioview/ioview.h>

auto f(ioview::view<ioview::sysmem, ioview::slice<ioview::u32>> s)
{
#ifndef IOVIEW_CF_CONTROL
	return s.at<0>();
#else
	return s.try_at(0);
#endif
}
