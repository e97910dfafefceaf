// SPDX-License-Identifier: GPL-2.0
#include "ctl/ktap.h"

#include <vector>

#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

// KTAP test names and directives end at a '#' or a line break; a diagnostic is one line.
std::string one_line(const std::string &s)
{
	std::string out;
	for (char ch : s)
		out += (ch == '\n' || ch == '\r') ? ' ' : ch;
	return out;
}

std::string safe_name(const std::string &s)
{
	std::string out;
	for (char ch : one_line(s))
		out += ch == '#' ? '_' : ch;
	return out.empty() ? "unnamed" : out;
}

} // namespace

std::string selftest_ktap(const selftest_result &r)
{
	// The suites in the order their first case came.
	std::vector<std::string> suites;
	for (const case_result &c : r.cases) {
		bool known = false;
		for (const std::string &s : suites)
			known = known || s == c.suite;
		if (!known)
			suites.push_back(c.suite);
	}
	std::string out = "KTAP version 1\n1.." + std::to_string(suites.size()) + "\n";
	for (std::size_t si = 0; si < suites.size(); ++si) {
		const std::string &suite = suites[si];
		std::string name = safe_name(suite);
		unsigned n = 0, pass = 0, fail = 0, skip = 0;
		for (const case_result &c : r.cases)
			n += c.suite == suite;
		out += "    KTAP version 1\n    # Subtest: " + name + "\n    1.." + std::to_string(n) + "\n";
		unsigned i = 0;
		for (const case_result &c : r.cases) {
			if (c.suite != suite)
				continue;
			std::string number = std::to_string(++i);
			std::string cname = safe_name(c.name);
			if (c.verdict == IOVIEW_VERDICT_FAIL) {
				++fail;
				if (!c.diag.empty())
					out += "    # " + cname + ": " + one_line(c.diag) + "\n";
				out += "    not ok " + number + " " + cname + "\n";
			} else if (c.verdict == IOVIEW_VERDICT_SKIP) {
				++skip;
				out += "    ok " + number + " " + cname + " # SKIP" +
				       (c.diag.empty() ? "" : " " + one_line(c.diag)) + "\n";
			} else {
				++pass;
				out += "    ok " + number + " " + cname + "\n";
			}
		}
		out += "# " + name + ": pass:" + std::to_string(pass) + " fail:" + std::to_string(fail) +
		       " skip:" + std::to_string(skip) + " total:" + std::to_string(n) + "\n";
		std::string number = std::to_string(si + 1);
		if (fail)
			out += "not ok " + number + " " + name + "\n";
		else if (skip == n)
			out += "ok " + number + " " + name + " # SKIP\n";
		else
			out += "ok " + number + " " + name + "\n";
	}
	out += "# Totals: pass:" + std::to_string(r.passed) + " fail:" + std::to_string(r.failed) +
	       " skip:" + std::to_string(r.skipped) + " total:" + std::to_string(r.passed + r.failed + r.skipped) +
	       "\n";
	return out;
}

} // namespace ioviewctl
