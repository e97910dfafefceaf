// A field past the width of its 16-bit register.
// expect: ioview: field Hi:Lo of Register is reversed or past its RegisterBits bits
// expect-instance: field_out_of_range<status16, 16, 15, 16>
#include <ioview/ioview.h>

struct tag;
struct status16 : ioview::reg<status16, ioview::u16, 0, ioview::region<4, tag>> {
#ifndef IOVIEW_CF_CONTROL
	static constexpr field<16, 15> top{};
#else
	static constexpr field<15, 14> top{};
#endif
	static constexpr field_list<top> fields{};
};
