// SPDX-License-Identifier: GPL-2.0
//
// Compiles every ioview header with the kernel's own C++ flags on each
// build, for each kernel, and instantiates the common operations, so the
// module check also covers what the library generates.  Nothing here is
// called; the functions are kept only long enough to be compiled.
#include <ioview/ioview.h>
#include <ioview/testing/memory.h>
#include <ioview/testing/mock.h>

namespace {

struct sample_regs {
	ioview::u32 id;
	ioview::u32 ctrl;
	ioview::u64 dma_addr;
	ioview::u32 slots[4];
	ioview::le32 le_word;
	ioview::be16 be_half;
	ioview::u16 pad;
};

} // namespace

template <> inline constexpr bool ioview::enable_plain_data<sample_regs> = true;

[[maybe_unused]] static ioview::u32 library_check(sample_regs &regs, ioview::usize i)
{
	auto v = ioview::sysmem::view_of(regs);
	IOVIEW_PROJECT(v, ctrl).write_val(1);
	IOVIEW_PROJECT(v, slots).at<3>().write_val(2);
	auto slot = IOVIEW_PROJECT(v, slots).try_at(i);
	sample_regs copy = ioview::copy_read(v);
	ioview::copy_write(v, copy);
	ioview::u32 sum = IOVIEW_PROJECT(v, id).read_val() + IOVIEW_PROJECT(v, le_word).read_val().get();
	if (slot)
		sum += slot.value().read_val();
	return sum;
}
