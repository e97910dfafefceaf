// SPDX-License-Identifier: GPL-2.0
// selftest run's KTAP, judged by the kernel's own tools/testing/kunit/kunit_parser.py.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ctl/ktap.h"
#include "helpers.h"

using namespace ioviewctl;

namespace {

case_result one(const char *suite, const char *name, std::uint8_t verdict, const char *diag = "")
{
	return case_result{ suite, name, verdict, diag };
}

selftest_result totals(std::vector<case_result> cases)
{
	selftest_result r;
	for (const case_result &c : cases) {
		r.passed += c.verdict == IOVIEW_VERDICT_PASS;
		r.failed += c.verdict == IOVIEW_VERDICT_FAIL;
		r.skipped += c.verdict == IOVIEW_VERDICT_SKIP;
	}
	r.cases = std::move(cases);
	return r;
}

// kunit_parser's verdict on the text: the last line kunit-judge.py prints.
nlohmann::json judged(const std::string &ktap)
{
	static int n = 0;
	std::string path = test::write_temp("ktap-" + std::to_string(++n) + ".txt", ktap);
	std::string out = test::output_of("python3 -B " FIXTURES "/../kunit-judge.py " KUNIT_DIR " " + path);
	std::size_t last = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
	std::string line = out.substr(last == std::string::npos ? 0 : last + 1);
	INFO(out);
	REQUIRE(!line.empty());
	REQUIRE(line[0] == '{');
	return nlohmann::json::parse(line);
}

} // namespace

TEST_CASE("ktap: every case passing is a success for kunit_parser, suite by suite")
{
	selftest_result r = totals({ one("ioview_sysmem", "projection", IOVIEW_VERDICT_PASS),
				     one("ioview_sysmem", "copy", IOVIEW_VERDICT_PASS),
				     one("ioview_edu", "identification", IOVIEW_VERDICT_PASS) });
	std::string ktap = selftest_ktap(r);
	CHECK(ktap.rfind("KTAP version 1\n1..2\n", 0) == 0);
	CHECK(ktap.find("    # Subtest: ioview_sysmem\n    1..2\n    ok 1 projection\n    ok 2 copy\n") !=
	      std::string::npos);
	CHECK(ktap.find("\nok 2 ioview_edu\n") != std::string::npos);
	nlohmann::json j = judged(ktap);
	CHECK(j["status"] == "SUCCESS");
	CHECK(j["passed"] == 3);
	CHECK(j["failed"] == 0);
	CHECK(j["errors"] == 0);
	REQUIRE(j["subtests"].size() == 2);
	CHECK(j["subtests"][0]["name"] == "ioview_sysmem");
	CHECK(j["subtests"][0]["subtests"][1]["name"] == "copy");
	CHECK(j["subtests"][1]["name"] == "ioview_edu");
}

TEST_CASE("ktap: a failed case fails its suite and the run, its diagnostic before it; skips are skips")
{
	selftest_result r = totals({ one("ioview_edu", "identification", IOVIEW_VERDICT_PASS),
				     one("ioview_edu", "dma", IOVIEW_VERDICT_FAIL, "expected 0x1 # got\n0x0"),
				     one("ioview_edu", "intx", IOVIEW_VERDICT_SKIP, "MSI in use"),
				     one("ioview_mailbox", "echo", IOVIEW_VERDICT_SKIP, "no host peer"),
				     one("ioview_mailbox", "closed", IOVIEW_VERDICT_SKIP) });
	std::string ktap = selftest_ktap(r);
	// One line each: the diagnostic's line break and '#' cannot end or split it.
	CHECK(ktap.find("    # dma: expected 0x1 # got 0x0\n    not ok 2 dma\n") != std::string::npos);
	CHECK(ktap.find("    ok 3 intx # SKIP MSI in use\n") != std::string::npos);
	CHECK(ktap.find("    ok 2 closed # SKIP\n") != std::string::npos);
	CHECK(ktap.find("\nnot ok 1 ioview_edu\n") != std::string::npos);
	CHECK(ktap.find("\nok 2 ioview_mailbox # SKIP\n") != std::string::npos);
	nlohmann::json j = judged(ktap);
	CHECK(j["status"] == "FAILURE");
	CHECK(j["passed"] == 1);
	CHECK(j["failed"] == 1);
	CHECK(j["skipped"] == 3);
	CHECK(j["crashed"] == 0);
	CHECK(j["errors"] == 0);
	CHECK(j["subtests"][0]["status"] == "FAILURE");
	CHECK(j["subtests"][0]["subtests"][1]["status"] == "FAILURE");
	CHECK(j["subtests"][1]["status"] == "SKIPPED");
}

TEST_CASE("ktap: suites keep the order their first case came in, however the cases interleave")
{
	selftest_result r = totals({ one("a", "one", IOVIEW_VERDICT_PASS), one("b", "two", IOVIEW_VERDICT_PASS),
				     one("a", "three", IOVIEW_VERDICT_PASS) });
	nlohmann::json j = judged(selftest_ktap(r));
	CHECK(j["status"] == "SUCCESS");
	REQUIRE(j["subtests"].size() == 2);
	CHECK(j["subtests"][0]["name"] == "a");
	CHECK(j["subtests"][0]["subtests"].size() == 2);
	CHECK(j["subtests"][1]["name"] == "b");
}

TEST_CASE("ktap: a run with no case says so; kunit_parser calls it no tests")
{
	std::string ktap = selftest_ktap(selftest_result{});
	CHECK(ktap == "KTAP version 1\n1..0\n# Totals: pass:0 fail:0 skip:0 total:0\n");
	nlohmann::json j = judged(ktap);
	CHECK(j["status"] == "NO_TESTS");
}
