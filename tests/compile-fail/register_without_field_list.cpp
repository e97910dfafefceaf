// A register without its field list cannot be used: nothing would say how to write its bits.
// expect-first: incomplete type 'struct ioview::diag::register_without_field_list<ctrl>'
#include <ioview/ioview.h>

struct tag;
using regs = ioview::region<4, tag>;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, regs> {
	static constexpr field<31, 0> all{};
#ifdef IOVIEW_CF_CONTROL
	static constexpr field_list<all> fields{};
#endif
};

auto f(ioview::view<ioview::sysmem, regs> io)
{
	return ctrl::read(io).get(ctrl::all);
}
