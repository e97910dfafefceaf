// A register's relaxed forms exist only where the backend has relaxed accessors of its width;
// the error is the view's own, once, although update_relaxed() would read and write.
// expect-first: incomplete type 'struct ioview::diag::backend_lacks_relaxed_access<ioview::testing::memory_backend<ioview::byte_order::little>, ioview::diag::width<4> >'
#include <ioview/ioview.h>
#include <ioview/testing/memory.h>

struct tag;
using regs = ioview::region<4, tag>;
struct ctrl : ioview::reg<ctrl, ioview::u32, 0, regs> {
	static constexpr field<0> go{};
	static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
	static constexpr field_list<go, reserved> fields{};
};

void f(ioview::testing::memory<4> &dev)
{
#ifndef IOVIEW_CF_CONTROL
	ctrl::update_relaxed(dev.region<regs>(), [](auto v) { return v.set(ctrl::go, 1); });
#else
	ctrl::update(dev.region<regs>(), [](auto v) { return v.set(ctrl::go, 1); });
#endif
}
