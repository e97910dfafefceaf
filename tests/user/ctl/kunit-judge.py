#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judges a KTAP file with the kernel's own kunit_parser.

    kunit-judge.py KUNIT_DIR FILE

kunit_parser prints its progress as it goes; the last line printed here is a
JSON object with the overall status, the counts, and each top-level test's
name, status and subtests, for the caller to compare with what it expects.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import kunit_parser  # noqa: E402  (the path is only known at run time)


def describe(test):
    return {
        "name": test.name,
        "status": test.status.name,
        "subtests": [describe(t) for t in test.subtests],
    }


with open(sys.argv[2], encoding="utf-8") as f:
    result = kunit_parser.parse_run_tests(f.readlines())
counts = result.counts
summary = describe(result)
summary.update(passed=counts.passed, failed=counts.failed, crashed=counts.crashed,
               skipped=counts.skipped, errors=counts.errors)
print(json.dumps(summary))
