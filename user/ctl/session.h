// SPDX-License-Identifier: GPL-2.0
//
// A generic netlink session with the ioview family, over libnl.
//
// libnl has no extended-ACK support of its own, so the socket gets
// NETLINK_EXT_ACK (the kernel then appends its message and the offending
// attribute's offset to an error) and NETLINK_CAP_ACK (it does not echo
// the whole request back), and errors go through a custom callback that
// reads those TLVs.  libnl also ends a dump at NLMSG_DONE without looking
// at the error code the kernel puts in it, so a dump that failed half-way
// would look complete: the NL_CB_FINISH callback reads it.
//
// The parsing of error and done messages is exposed (parse_ack()) so that
// it is tested on constructed messages without a kernel.
#ifndef IOVIEWCTL_SESSION_H
#define IOVIEWCTL_SESSION_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <linux/netlink.h>

#include "ctl/message.h"

struct nl_sock;

namespace ioviewctl {

/// What an NLMSG_ERROR or NLMSG_DONE message says.
struct ack_info {
	int error = 0;				///< positive errno, 0 for success
	std::string message;			///< NLMSGERR_ATTR_MSG
	std::optional<std::uint32_t> offset;	///< NLMSGERR_ATTR_OFFS: into the request
	std::optional<std::uint32_t> missing;	///< NLMSGERR_ATTR_MISS_TYPE
};

/// Reads an NLMSG_ERROR or NLMSG_DONE message; nullopt when it is too short to be one.
std::optional<ack_info> parse_ack(const nlmsghdr *h);

/// The text after "Error: " for a refusal of `request`: the kernel's
/// message, else strerror(), naming the attribute the offset points at
/// or the one missing, if any.
std::string describe_refusal(const ack_info &a, const nlmsghdr *request);

/// The attribute type of the ioview request attribute starting at offset
/// bytes into request (as NLMSGERR_ATTR_OFFS counts), if there is one.
std::optional<int> attribute_at(const nlmsghdr *request, std::uint32_t offset);

class session {
public:
	/// Connects and resolves the family; throws failure (saying the module
	/// is probably not loaded when the family is missing).
	session();
	/// Takes over a connected socket whose peer answers as the family does
	/// (the tests' stand-in kernel, over NETLINK_USERSOCK).
	session(nl_sock *connected, int family);
	~session();
	session(const session &) = delete;
	session &operator=(const session &) = delete;

	int family() const { return family_; }

	/// Sends a request and collects its replies (none, one, or a dump's);
	/// throws failure with the kernel's reason when it is refused.
	std::vector<message> transact(message request);

	/// Joins the events group and calls on_event for each event until it
	/// returns false; events lost to a full socket buffer are reported through
	/// on_overrun.  Throws failure when the group cannot be joined.
	void listen(const std::function<bool(nl_msg *)> &on_event, const std::function<void()> &on_overrun);

private:
	nl_sock *sock_ = nullptr;
	int family_ = 0;
};

} // namespace ioviewctl

#endif // IOVIEWCTL_SESSION_H
