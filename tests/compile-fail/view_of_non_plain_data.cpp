// A struct holding a bool is not plain data (0x7f is not a bool): no view of it, so no copy or
// io_copy can store arbitrary bytes into it.
// expect-first: incomplete type 'struct ioview::diag::not_plain_data<settings>'
// expect: views, copies and casts need plain data
#include <ioview/ioview.h>

struct settings {
	bool enabled;
	ioview::u8 level;
};
struct raw_settings {
	ioview::u8 enabled;
	ioview::u8 level;
};
template <> inline constexpr bool ioview::enable_plain_data<raw_settings> = true;

void f(settings &s, raw_settings &r)
{
#ifndef IOVIEW_CF_CONTROL
	(void)ioview::sysmem::view_of(s);
	(void)r;
#else
	(void)s;
	(void)ioview::sysmem::view_of(r);
#endif
}
