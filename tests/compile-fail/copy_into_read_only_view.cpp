// Copies check writability like scalar writes do.
// expect-first: incomplete type 'struct ioview::diag::write_through_read_only_view<const unsigned char [8]>'
#include <ioview/ioview.h>

ioview::status f(ioview::view<ioview::sysmem, const ioview::u8[8]> dst, ioview::view<ioview::sysmem, ioview::u8[8]> src)
{
#ifndef IOVIEW_CF_CONTROL
	return ioview::io_copy(dst, src);
#else
	return ioview::io_copy(src, dst);
#endif
}
