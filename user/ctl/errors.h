// SPDX-License-Identifier: GPL-2.0
//
// The two ways a run of ioviewctl ends badly, as exceptions so that the
// code doing the work stays straight-line: a usage_error is the caller's
// mistake on the command line (exit status 2, with a hint where to read
// more), a failure is a request that could not be carried out (exit
// status 1): the kernel refused it, the module is not loaded, a reply made
// no sense.  Both carry the text printed after "Error: ".
#ifndef IOVIEWCTL_ERRORS_H
#define IOVIEWCTL_ERRORS_H

#include <stdexcept>
#include <string>

namespace ioviewctl {

struct usage_error : std::runtime_error {
	/// topic: the object whose help explains the right form ("" for the top level).
	usage_error(const std::string &message, std::string topic = "")
		: std::runtime_error(message), help_topic(std::move(topic))
	{
	}
	std::string help_topic;
};

struct failure : std::runtime_error {
	/// error: the positive errno behind it, 0 when there is none.
	explicit failure(const std::string &message, int error = 0) : std::runtime_error(message), errnum(error) {}
	int errnum;
};

/// Exit statuses.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

} // namespace ioviewctl

#endif // IOVIEWCTL_ERRORS_H
