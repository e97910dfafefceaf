// A constant index past the end of an array view.
// expect-first: incomplete type 'struct ioview::diag::index_out_of_bounds<unsigned int [4], ioview::diag::index<4>, ioview::diag::length<4> >'
#include <ioview/ioview.h>

void f(ioview::view<ioview::sysmem, ioview::u32[4]> v)
{
#ifndef IOVIEW_CF_CONTROL
	v.at<4>().write_val(1);
#else
	v.at<3>().write_val(1);
#endif
}
