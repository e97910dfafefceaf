// SPDX-License-Identifier: GPL-2.0
//
// A userspace program built only from what `make install` put in place,
// with `g++ -std=c++20 $(pkg-config --cflags ioview)` (tests/install/run.sh):
// the view library, a test backend and the netlink family's UAPI header.
#include <cstdio>
#include <cstring>

#include <ioview/ioview.h>
#include <ioview/testing/mock.h>
#include <linux/ioview.h>

namespace {

struct status_tag;
using status_regs = ioview::region<0x8, status_tag>;

// Acknowledge the pending bits: read 0x0, write them back to 0x4.
template <typename V> void acknowledge(V regs)
{
	regs.template write32<0x4>(regs.template read32<0x0>());
}

} // namespace

int main()
{
	ioview::testing::mock dev;
	dev.expect_read32(0x0, 0x3).expect_write32(0x4, 0x3);
	acknowledge(dev.region<status_regs>());
	if (!dev.verify()) {
		std::printf("mock: the accesses were not the expected ones\n");
		return 1;
	}
	// The family as userspace resolves it, and a command number of the UAPI.
	std::printf("family %s version %d, dev-get is command %d\n", IOVIEW_GENL_NAME, IOVIEW_GENL_VERSION,
		    static_cast<int>(IOVIEW_CMD_DEV_GET));
	return std::strcmp(IOVIEW_GENL_NAME, "ioview") == 0 ? 0 : 1;
}
