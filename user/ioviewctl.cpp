// SPDX-License-Identifier: GPL-2.0
//
// ioviewctl: operate ioview.ko over generic netlink.
//
//     ioviewctl [OPTIONS] OBJECT COMMAND [ARGS]
//     ioviewctl help | OBJECT help
//
// The work is in ctl/: grammar (the command line), request and reply (the
// messages), session (netlink), output, pci_decode and ktap (what is
// printed), commands (which requests a command sends).  This file only
// reads the global options and maps errors to exit statuses: 0 success,
// 1 a request failed, 2 bad usage.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "ctl/commands.h"
#include "ctl/errors.h"
#include "ctl/grammar.h"

#ifndef IOVIEW_VERSION
#error "IOVIEW_VERSION must be defined by the build"
#endif

namespace {

void usage_hint(const std::string &topic)
{
	std::fprintf(stderr, "Try \"ioviewctl %s%shelp\".\n", topic.c_str(), topic.empty() ? "" : " ");
}

} // namespace

int main(int argc, char **argv)
{
	using namespace ioviewctl;
	std::vector<std::string_view> args(argv + 1, argv + argc);
	global_options options;
	try {
		options = parse_global_options(args);
	} catch (const usage_error &e) {
		std::fprintf(stderr, "Error: %s\n", error_text(e.what()).c_str());
		usage_hint("");
		return exit_usage;
	}
	if (options.version) {
		std::printf("ioviewctl %s\n", IOVIEW_VERSION);
		return exit_ok;
	}
	if (options.help) {
		std::fputs(help_text("")->c_str(), stdout);
		return exit_ok;
	}
	output_format format;
	format.json = options.json;
	format.pretty = options.pretty;
	std::vector<std::string_view> words(args.begin() + static_cast<std::ptrdiff_t>(options.first_word), args.end());
	if (words.empty()) {
		std::fputs(help_text("")->c_str(), stderr);
		return exit_usage;
	}
	try {
		command c = parse_command(words);
		return run_command(std::move(c), format);
	} catch (const usage_error &e) {
		std::fprintf(stderr, "Error: %s\n", error_text(e.what()).c_str());
		usage_hint(e.help_topic);
		return exit_usage;
	} catch (const failure &e) {
		std::fflush(stdout);
		std::fprintf(stderr, "Error: %s\n", error_text(e.what()).c_str());
		return exit_failure;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "Error: %s\n", error_text(e.what()).c_str());
		return exit_failure;
	}
}
