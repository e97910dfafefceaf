// SPDX-License-Identifier: GPL-2.0
//
// The requests ioviewctl sends: one generic netlink message of the ioview
// family per operation, with exactly the attributes the spec
// (include/uapi/ioview.yaml) lists for that operation's request and that
// the command line gave.  Semantic limits (lengths, alignment, which width
// a register has) are the kernel's to check: the tool sends what it was
// asked to send, so every refusal comes with the kernel's own message.
#ifndef IOVIEWCTL_REQUEST_H
#define IOVIEWCTL_REQUEST_H

#include <cstdint>
#include <optional>
#include <string>

#include "ctl/grammar.h"
#include "ctl/message.h"

namespace ioviewctl {

/// A request header of the family: the command, NLM_F_DUMP when dump.
message new_request(int family, std::uint8_t cmd, bool dump = false);

/// dev-get: one device, or a dump of all (no dev).
message dev_get_request(int family, const std::optional<std::string> &dev);
/// config-read of length bytes at offset; either absent reads all that the caller may read.
message config_read_request(int family, const std::string &dev, std::optional<std::uint32_t> offset,
			    std::optional<std::uint32_t> length);
/// reg-get: one register's description, or all of them.
message reg_get_request(int family, const std::string &dev, const std::optional<std::string> &reg);
/// reg-read of a register by name.
message reg_read_request(int family, const std::string &dev, const std::string &reg);
/// stats-get: one device, or a dump of all.
message stats_get_request(int family, const std::optional<std::string> &dev);

/// The bytes of configuration space that config show asks for: 64, 256, or
/// nullopt for all of it (lspci's -x, -xxx, -xxxx; decoded: all).
std::optional<std::uint32_t> config_show_length(config_view v);

/// The one request of a command whose device, if any, is resolved (a
/// canonical name).  reg show sends reg_get_request() and then one
/// reg_read_request() per readable register; config show also sends a
/// dev_get_request() for the BAR sizes and the interrupt.
message build_request(const command &c, int family);

} // namespace ioviewctl

#endif // IOVIEWCTL_REQUEST_H
