// SPDX-License-Identifier: GPL-2.0
//
// ioviewctl: operate ioview.ko over generic netlink.
//
//     ioviewctl --version
//     ioviewctl family        # is the module's netlink family registered?
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "uapi/ioview.h"

#ifndef IOVIEW_VERSION
#error "IOVIEW_VERSION must be defined by the build"
#endif

namespace {

constexpr const char usage[] =
	"usage: ioviewctl <command>\n"
	"\n"
	"commands:\n"
	"  family       resolve the '" IOVIEW_GENL_NAME "' generic netlink family\n"
	"\n"
	"options:\n"
	"  -h, --help      show this help\n"
	"  -V, --version   show the version\n";

// Exit codes: 0 success, 1 the operation failed, 2 bad usage.
int cmd_family()
{
	nl_sock *sock = nl_socket_alloc();
	if (!sock) {
		std::fprintf(stderr, "ioviewctl: out of memory\n");
		return 1;
	}
	int ret = genl_connect(sock);
	if (ret < 0) {
		std::fprintf(stderr, "ioviewctl: cannot connect to generic netlink: %s\n",
			     nl_geterror(ret));
		nl_socket_free(sock);
		return 1;
	}
	int id = genl_ctrl_resolve(sock, IOVIEW_GENL_NAME);
	nl_socket_free(sock);
	if (id < 0) {
		std::fprintf(stderr,
			     "ioviewctl: generic netlink family '%s' not found (is ioview.ko loaded?): %s\n",
			     IOVIEW_GENL_NAME, nl_geterror(id));
		return 1;
	}
	std::printf("family %s id %d version %d\n", IOVIEW_GENL_NAME, id, IOVIEW_GENL_VERSION);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fputs(usage, stderr);
		return 2;
	}
	const char *arg = argv[1];
	if (!std::strcmp(arg, "-h") || !std::strcmp(arg, "--help")) {
		std::fputs(usage, stdout);
		return 0;
	}
	if (!std::strcmp(arg, "-V") || !std::strcmp(arg, "--version")) {
		std::printf("ioviewctl %s\n", IOVIEW_VERSION);
		return 0;
	}
	if (!std::strcmp(arg, "family"))
		return cmd_family();
	std::fprintf(stderr, "ioviewctl: unknown command '%s'\n\n%s", arg, usage);
	return 2;
}
