// SPDX-License-Identifier: GPL-2.0
//
// In-kernel self-tests of ioview.ko, reported as KTAP version 1.
//
// A suite is a named, constant list of cases; a case is a function that
// returns a verdict and, on failure or skip, leaves one line of diagnostic
// in its context.  Cases never BUG() or WARN(): a broken expectation is a
// result to report, and the kernel must go on running.
//
//     namespace st = ioview::kernel::selftest;
//
//     st::verdict two_plus_two(st::context &t)
//     {
//             int four = 2 + 2;
//
//             if (four != 4)
//                     return t.fail("2 + 2 = %d, want 4", four);
//             return t.pass();
//     }
//
//     constinit const st::test_case arithmetic_cases[] = {
//             { "two_plus_two", two_plus_two },
//     };
//     constinit const st::suite arithmetic_suite{ "arithmetic", arithmetic_cases };
//
//     const st::suite *const suites[] = { &arithmetic_suite };
//     st::run(suites, 1);     // KTAP through printk, results kept in st::results()
//
// The KTAP output (Documentation/dev-tools/ktap.rst, as kunit_parser.py
// reads it) has one top-level test per suite and one subtest per case:
//
//     KTAP version 1
//     1..1
//       KTAP version 1
//       # Subtest: arithmetic
//       1..1
//       ok 1 two_plus_two
//     # arithmetic: pass:1 fail:0 skip:0 total:1
//     ok 1 arithmetic
//
// A failing case is preceded by "  # <case>: <diagnostic>" and reported as
// "not ok"; a skipped one is "ok N <case> # SKIP <reason>".  A suite fails
// if any case failed and is skipped if every case was skipped.
//
// Besides the log, every case leaves a record (suite, case, verdict,
// diagnostic in a fixed buffer) in static storage, read back through
// results(), so results can be returned without allocating.  Runs are not
// reentrant: the module serialises them (shim/module.c runs them at load and on
// each write of 1 to the selftest parameter, under one mutex).
#ifndef IOVIEW_KMOD_SELFTEST_H
#define IOVIEW_KMOD_SELFTEST_H

#include <ioview/support.h>

namespace ioview::kernel::selftest {

/// Outcome of one case.  The values are stable: results may leave the
/// kernel as numbers.
enum class verdict : u8 {
	pass = 0,	///< every expectation held
	fail = 1,	///< an expectation did not hold; the diagnostic says which
	skip = 2,	///< not run (e.g. no device to run on); the diagnostic says why
};

/// Bytes of diagnostic kept per case, terminating NUL included; longer
/// messages are cut.
inline constexpr usize diag_capacity = 128;

/// Cases whose results are kept; later ones still run and are logged.
inline constexpr usize max_records = 128;

/**
 * What one case left behind.
 *
 *     const auto all = ioview::kernel::selftest::results();
 *     for (usize i = 0; i < all.count; ++i)
 *             if (all.records[i].status == ioview::kernel::selftest::verdict::fail)
 *                     use(all.records[i].suite, all.records[i].name, all.records[i].diag);
 */
struct record {
	const char *suite;		///< suite name (static string)
	const char *name;		///< case name (static string)
	verdict status;
	char diag[diag_capacity];	///< one line, NUL-terminated; empty on pass
};

/**
 * The state a case reports through; one per case run.
 *
 * fail() and skip() format a one-line diagnostic (newlines become spaces,
 * overlong text is cut) and return the matching verdict, so a case ends
 * with `return t.fail(...)`.  Calling fail() and then returning pass()
 * still counts as a failure.
 *
 *     st::verdict reads_back(st::context &t)
 *     {
 *             if (!device_present())
 *                     return t.skip("no device");
 *             u32 v = read_it();
 *             if (v != 0x5a)
 *                     return t.fail("read %#x, want 0x5a", v);
 *             return t.pass();
 *     }
 */
class context {
public:
	constexpr context() noexcept = default;
	context(const context &) = delete;
	context &operator=(const context &) = delete;

	/// The verdict of a case that got to its end.
	verdict pass() const noexcept { return verdict::pass; }
	/// Records a failure with its diagnostic; returns verdict::fail.
	verdict fail(const char *fmt, ...) noexcept __attribute__((__format__(__printf__, 2, 3)));
	/// Records why the case did not run; returns verdict::skip.
	verdict skip(const char *fmt, ...) noexcept __attribute__((__format__(__printf__, 2, 3)));

	/// Whether fail() was called.
	bool failed() const noexcept { return failed_; }
	/// The diagnostic so far ("" if none).
	const char *diag() const noexcept { return diag_; }

private:
	void format(const char *fmt, __builtin_va_list args) noexcept;

	char diag_[diag_capacity] = {};
	bool failed_ = false;
};

/// A case: a KTAP-safe name and the function that runs it.
struct test_case {
	/**
	 * Checked at compile time: the name must be non-empty and made of
	 * letters, digits and `_-.:/`, so it cannot break a KTAP line (no `#`,
	 * no spaces, no newline).
	 */
	consteval test_case(const char *case_name, verdict (*fn)(context &)) : name(case_name), run(fn)
	{
		if (!valid_name(case_name) || fn == nullptr)
			invalid_test_case_name_or_function();
	}

	const char *name;
	verdict (*run)(context &);

	/// The characters a case or suite name may use; see the constructor.
	static consteval bool valid_name(const char *s)
	{
		if (s == nullptr || *s == '\0')
			return false;
		for (; *s; ++s) {
			char c = *s;
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '_' || c == '-' || c == '.' || c == ':' || c == '/';
			if (!ok)
				return false;
		}
		return true;
	}

private:
	// Not constexpr: reaching it makes the constant evaluation, and so the
	// build, fail with this name in the message.
	static void invalid_test_case_name_or_function();
};

/// A named, non-empty constant list of cases.
struct suite {
	template <usize N>
	consteval suite(const char *suite_name, const test_case (&list)[N]) : name(suite_name), cases(list), count(N)
	{
		if (!test_case::valid_name(suite_name))
			invalid_suite_name();
	}

	const char *name;
	const test_case *cases;
	usize count;

private:
	static void invalid_suite_name();
};

/// The records of the last run(); valid until the next one.
struct result_list {
	const record *records;
	usize count;
	bool truncated;	///< more than max_records cases ran; the rest were only logged
	usize passed;	///< cases of the run that passed, recorded or not
	usize failed;	///< cases that failed
	usize skipped;	///< cases that were skipped
};

/**
 * Runs @p n suites in order, logging KTAP version 1 and keeping a record
 * per case.  Returns the number of failed cases.
 */
usize run(const suite *const *suites, usize n) noexcept;

/// What the last run() left.
result_list results() noexcept;

/// Runs the default suites (selftest/suites.h), or only the one selftest_suite=NAME names; called at load with selftest=1.
usize run_module_suites() noexcept;

/**
 * run_named() - run the suite called @p name (default or on-demand), or every default suite
 * if @p name is nullptr, as run() does
 *
 * Return: the number of failed cases, or -ENOENT (nothing run) if no suite has that name.
 */
int run_named(const char *name) noexcept;

} // namespace ioview::kernel::selftest

#endif // IOVIEW_KMOD_SELFTEST_H
