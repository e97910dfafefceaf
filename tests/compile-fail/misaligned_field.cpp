// A field of a packed struct that is not aligned for its type cannot be projected.
// expect: ioview: Offset is not a multiple of the alignment Align required here
// expect-instance: misaligned<packed_hdr, 1, 4>
#include <ioview/ioview.h>

struct __attribute__((packed)) packed_hdr {
	ioview::u8 kind;
	ioview::u32 length;
};

void f(ioview::view<ioview::sysmem, packed_hdr> v)
{
#ifndef IOVIEW_CF_CONTROL
	(void)IOVIEW_PROJECT(v, length);
#else
	(void)IOVIEW_PROJECT(v, kind);
#endif
}
