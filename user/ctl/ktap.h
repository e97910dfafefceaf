// SPDX-License-Identifier: GPL-2.0
//
// A self-test run as KTAP version 1 (the kernel's
// Documentation/dev-tools/ktap.rst), in the shape ioview.ko itself logs
// it and kunit_parser.py reads: one top-level test per suite, in the order
// the cases came, one subtest per case; a failing case's diagnostic on a
// "# <case>: ..." line before its "not ok", a skipped case as
// "ok N <case> # SKIP <reason>".  A suite fails if any case failed and is
// skipped if all of its cases were.
#ifndef IOVIEWCTL_KTAP_H
#define IOVIEWCTL_KTAP_H

#include <string>

#include "ctl/reply.h"

namespace ioviewctl {

std::string selftest_ktap(const selftest_result &r);

} // namespace ioviewctl

#endif // IOVIEWCTL_KTAP_H
