// SPDX-License-Identifier: GPL-2.0
//
// Test helpers: messages built the way the kernel builds its replies,
// attributes read back from the requests the tool builds, fixtures, and
// running a program for its output.
#ifndef IOVIEWCTL_TEST_HELPERS_H
#define IOVIEWCTL_TEST_HELPERS_H

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ctl/message.h"
#include "uapi/ioview.h"

namespace test {

inline constexpr int family = 0x1d;	// any family id: the tool never checks it in replies

/// A message of the family with the command's header, as the kernel sends a reply.
inline ioviewctl::message reply(std::uint8_t cmd)
{
	ioviewctl::message m(nlmsg_alloc_size(16384));
	genlmsg_put(m.get(), 0, 0, family, 0, 0, cmd, IOVIEW_GENL_VERSION);
	return m;
}

/// The top-level attributes of a message, by type (the last one of a type).
inline std::map<int, nlattr *> attrs_of(nl_msg *m)
{
	std::map<int, nlattr *> out;
	nlmsghdr *h = nlmsg_hdr(m);
	nlattr *a;
	int rem;
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(h), 0), genlmsg_attrlen(genlmsg_hdr(h), 0), rem)
	{
		out[nla_type(a)] = a;
	}
	return out;
}

inline genlmsghdr *genl_of(nl_msg *m)
{
	return genlmsg_hdr(nlmsg_hdr(m));
}

inline std::string str(nlattr *a)
{
	return nla_get_string(a);
}

/// A recorded configuration space: 16 hexadecimal bytes a line.
inline std::vector<std::uint8_t> fixture(const std::string &name)
{
	std::ifstream in(std::string(FIXTURES) + "/" + name);
	std::vector<std::uint8_t> out;
	std::string byte;
	while (in >> byte)
		out.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
	return out;
}

/// What a shell command prints on standard output.
inline std::string output_of(const std::string &cmd)
{
	std::string out;
	FILE *p = popen(cmd.c_str(), "r");
	if (!p)
		return out;
	char buf[4096];
	std::size_t n;
	while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0)
		out.append(buf, n);
	pclose(p);
	return out;
}

inline std::string write_temp(const std::string &name, const std::string &text)
{
	std::string path = std::string(OUT_DIR) + "/" + name;
	std::ofstream(path) << text;
	return path;
}

} // namespace test

#endif // IOVIEWCTL_TEST_HELPERS_H
