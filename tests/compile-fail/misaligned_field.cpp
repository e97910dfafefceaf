// A field of a packed struct that is not aligned for its type cannot be projected.
// expect-first: incomplete type 'struct ioview::diag::misaligned_offset<packed_hdr, ioview::diag::offset<1>, ioview::diag::alignment<4> >'
#include <ioview/ioview.h>

struct __attribute__((packed)) packed_hdr {
	ioview::u8 kind;
	ioview::u32 length;
};
template <> inline constexpr bool ioview::enable_plain_data<packed_hdr> = true;

void f(ioview::view<ioview::sysmem, packed_hdr> v)
{
#ifndef IOVIEW_CF_CONTROL
	(void)IOVIEW_PROJECT(v, length);
#else
	(void)IOVIEW_PROJECT(v, kind);
#endif
}
