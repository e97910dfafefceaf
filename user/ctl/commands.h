// SPDX-License-Identifier: GPL-2.0
//
// Carrying out a parsed command: the requests it sends (request.h), in
// order, over one session, and what it prints (output.h, pci_decode.h,
// ktap.h) on standard output.
#ifndef IOVIEWCTL_COMMANDS_H
#define IOVIEWCTL_COMMANDS_H

#include <cstdio>

#include "ctl/grammar.h"
#include "ctl/output.h"
#include "ctl/session.h"

namespace ioviewctl {

/// Runs the command; the exit status (exit_ok, or exit_failure when a
/// self-test case failed or a round trip came back different).  Throws
/// failure when a request is refused.
int run_command(command c, const output_format &format);

/// The same over a given session, printing to out.
int run_command(command c, const output_format &format, session &s, std::FILE *out);

/// The text printed after "Error: ": the message, ending with one full stop.
std::string error_text(const std::string &message);

} // namespace ioviewctl

#endif // IOVIEWCTL_COMMANDS_H
