// try_cast only produces plain data: a bool has invalid bit patterns.
// expect-first: incomplete type 'struct ioview::diag::not_plain_data<bool>'
#include <ioview/ioview.h>

auto f(ioview::view<ioview::sysmem, ioview::u8> v)
{
#ifndef IOVIEW_CF_CONTROL
	return v.try_cast<bool>();
#else
	return v.try_cast<ioview::u8>();
#endif
}
