// A constant index inside a projection path that is past its array, even though the address it
// would give still lies inside the struct.
// expect: array subscript value '4' is outside the bounds of array type
// expect: u32 [4]
// expect-errors: 2
// (the second is the compiler rejecting the invalid template argument the first leaves behind)
#include <ioview/ioview.h>

struct regs {
	ioview::u32 table[4];
	ioview::u32 after;
};
template <> inline constexpr bool ioview::enable_plain_data<regs> = true;

void f(ioview::view<ioview::sysmem, regs> v)
{
#ifndef IOVIEW_CF_CONTROL
	IOVIEW_PROJECT(v, table[4]).write_val(1);
#else
	IOVIEW_PROJECT(v, table[3]).write_val(1);
#endif
}
