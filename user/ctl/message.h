// SPDX-License-Identifier: GPL-2.0
//
// An owned libnl message, freed with nlmsg_free().
#ifndef IOVIEWCTL_MESSAGE_H
#define IOVIEWCTL_MESSAGE_H

#include <memory>

#include <netlink/msg.h>

namespace ioviewctl {

struct message_free {
	void operator()(nl_msg *m) const { nlmsg_free(m); }
};
using message = std::unique_ptr<nl_msg, message_free>;

} // namespace ioviewctl

#endif // IOVIEWCTL_MESSAGE_H
