// The test memory hands out views of plain data only, like every backend.
// expect-first: incomplete type 'struct ioview::diag::not_plain_data<with_flag>'
#include <ioview/ioview.h>
#include <ioview/testing/memory.h>

struct with_flag {
	bool on;
	ioview::u8 pad[3];
};

void f()
{
	ioview::testing::memory<16> mem;
#ifndef IOVIEW_CF_CONTROL
	(void)mem.at<with_flag, 0>();
#else
	(void)mem.at<ioview::u32, 0>();
#endif
}
