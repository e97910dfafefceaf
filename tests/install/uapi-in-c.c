// SPDX-License-Identifier: GPL-2.0
//
// The UAPI header is C: it must compile as such for C netlink clients.
#include <linux/ioview.h>

int main(void)
{
	enum ioview_dev_kind kind = IOVIEW_DEV_KIND_EDU;

	return kind == IOVIEW_DEV_KIND_EDU && IOVIEW_DEV_NAME_LEN == 32 ? 0 : 1;
}
