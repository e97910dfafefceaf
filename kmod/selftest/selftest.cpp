// SPDX-License-Identifier: GPL-2.0
//
// The self-test runner: runs suites, prints KTAP version 1 through the
// shim's printk, and keeps one record per case in static storage.
#include "selftest/selftest.h"
#include "selftest/suites.h"
#include "shim/shim.h"

namespace ioview::kernel::selftest {

namespace {

// Zero-initialised, so it lives in .bss and needs no constructor.
struct run_state {
	record records[max_records];
	usize count;
	bool truncated;
	usize passed, failed, skipped;
};
run_state last_run;

// One KTAP line.  Each line is one printk() so that the log keeps it whole.
#define ktap_line(fmt, ...) ioview_shim_log(IOVIEW_LOG_INFO, fmt "\n" __VA_OPT__(, ) __VA_ARGS__)

void copy_string(char *dst, const char *src, usize cap)
{
	usize i = 0;

	for (; i + 1 < cap && src[i]; ++i)
		dst[i] = src[i];
	dst[i] = '\0';
}

void keep(const char *suite_name, const char *case_name, verdict v, const char *diag)
{
	if (last_run.count == max_records) {
		last_run.truncated = true;
		return;
	}
	record &r = last_run.records[last_run.count++];
	r.suite = suite_name;
	r.name = case_name;
	r.status = v;
	copy_string(r.diag, diag, sizeof(r.diag));
}

struct tally {
	usize pass, fail, skip;
};

// Runs one case and prints its result line, indented one level.
verdict run_case(const suite &s, const test_case &c, usize number)
{
	context t;
	verdict v = c.run(t);

	if (t.failed())
		v = verdict::fail;
	switch (v) {
	case verdict::pass:
		ktap_line("  ok %zu %s", number, c.name);
		break;
	case verdict::skip:
		if (t.diag()[0])
			ktap_line("  ok %zu %s # SKIP %s", number, c.name, t.diag());
		else
			ktap_line("  ok %zu %s # SKIP", number, c.name);
		break;
	case verdict::fail:
	default:
		v = verdict::fail;
		ktap_line("  # %s: %s", c.name, t.diag()[0] ? t.diag() : "failed without a diagnostic");
		ktap_line("  not ok %zu %s", number, c.name);
		break;
	}
	keep(s.name, c.name, v, v == verdict::pass ? "" : t.diag());
	return v;
}

// Runs a suite as a nested KTAP test; returns its tally.
tally run_suite(const suite &s, usize number)
{
	tally n{};

	ktap_line("  KTAP version 1");
	ktap_line("  # Subtest: %s", s.name);
	ktap_line("  1..%zu", s.count);
	for (usize i = 0; i < s.count; ++i) {
		switch (run_case(s, s.cases[i], i + 1)) {
		case verdict::pass:
			++n.pass;
			break;
		case verdict::skip:
			++n.skip;
			break;
		case verdict::fail:
			++n.fail;
			break;
		}
	}
	ktap_line("# %s: pass:%zu fail:%zu skip:%zu total:%zu", s.name, n.pass, n.fail, n.skip, s.count);
	if (n.fail)
		ktap_line("not ok %zu %s", number, s.name);
	else if (n.skip == s.count)
		ktap_line("ok %zu %s # SKIP every case skipped", number, s.name);
	else
		ktap_line("ok %zu %s", number, s.name);
	return n;
}

} // namespace

void context::format(const char *fmt, __builtin_va_list args) noexcept
{
	ioview_shim_vsnprintf(diag_, sizeof(diag_), fmt, args);
	// A diagnostic is one KTAP line: a newline would end it early.
	for (char &c : diag_) {
		if (c == '\0')
			break;
		if (c == '\n' || c == '\r')
			c = ' ';
	}
}

verdict context::fail(const char *fmt, ...) noexcept
{
	__builtin_va_list args;

	// Keep the first diagnostic: later failures are often consequences.
	if (!failed_) {
		__builtin_va_start(args, fmt);
		format(fmt, args);
		__builtin_va_end(args);
	}
	failed_ = true;
	return verdict::fail;
}

verdict context::skip(const char *fmt, ...) noexcept
{
	__builtin_va_list args;

	__builtin_va_start(args, fmt);
	format(fmt, args);
	__builtin_va_end(args);
	return verdict::skip;
}

usize run(const suite *const *suites, usize n) noexcept
{
	tally total{};

	last_run.count = 0;
	last_run.truncated = false;
	ktap_line("KTAP version 1");
	ktap_line("1..%zu", n);
	for (usize i = 0; i < n; ++i) {
		tally t = run_suite(*suites[i], i + 1);
		total.pass += t.pass;
		total.fail += t.fail;
		total.skip += t.skip;
	}
	ktap_line("# ioview selftest: pass:%zu fail:%zu skip:%zu total:%zu", total.pass, total.fail, total.skip,
		  total.pass + total.fail + total.skip);
	last_run.passed = total.pass;
	last_run.failed = total.fail;
	last_run.skipped = total.skip;
	return total.fail;
}

result_list results() noexcept
{
	return { last_run.records, last_run.count, last_run.truncated, last_run.passed, last_run.failed,
		 last_run.skipped };
}

namespace {

// The suite called @name, in the default list or the on-demand one; nullptr if none.
const suite *find_suite(const char *name)
{
	auto same = [](const char *a, const char *b) {
		for (; *a && *a == *b; ++a, ++b) {
		}
		return *a == *b;
	};
	for (const suite *s : module_suites)
		if (same(s->name, name))
			return s;
	for (const suite *s : on_demand_suites)
		if (same(s->name, name))
			return s;
	return nullptr;
}

} // namespace

usize run_module_suites() noexcept
{
	const char *only = ioview_shim_selftest_suite();

	if (!only)
		return run(module_suites, sizeof(module_suites) / sizeof(module_suites[0]));
	const suite *s = find_suite(only);
	if (!s) {
		// Nothing to run is an error of the request, said outside KTAP.
		ioview_shim_log(IOVIEW_LOG_ERR, "ioview selftest: no suite named %s\n", only);
		return 1;
	}
	return run(&s, 1);
}

int run_named(const char *name) noexcept
{
	if (!name)
		return static_cast<int>(run(module_suites, sizeof(module_suites) / sizeof(module_suites[0])));
	const suite *s = find_suite(name);
	if (!s)
		return -enoent;
	return static_cast<int>(run(&s, 1));
}

} // namespace ioview::kernel::selftest
