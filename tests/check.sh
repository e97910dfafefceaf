#!/usr/bin/env bash
# Runs every test suite of the project and prints one closing line:
#
#   N passed, N failed[, N skipped]
#
#   tests/check.sh RELEASE...
#
# Each suite prints TAP (top-level "ok N"/"not ok N" lines count, indented
# subtests do not); its output is shown as it runs and kept in
# build/results/<suite>.tap.  A suite that exits non-zero without a failing
# line, or that is missing, counts as one failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
results=build/results
rm -rf "$results"
mkdir -p "$results"

passed=0 failed=0 skipped=0
summary=()

run_suite() {
	local name=$1 tap=$results/$1.tap status p f s start=$SECONDS
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$tap"
	status=${PIPESTATUS[0]}
	s=$(grep -cE '^ok [0-9]+.*# *SKIP' "$tap")
	p=$(( $(grep -cE '^ok [0-9]+' "$tap") - s ))
	f=$(grep -cE '^not ok [0-9]+' "$tap")
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited with status $status without a failing test"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	summary+=("$(printf '%-28s %4d passed %4d failed %4d skipped %5ds' "$name" "$p" "$f" "$s" $((SECONDS - start)))")
}

suite_dir() {
	local name=$1 dir=$2
	shift 2
	if [ -e "$dir" ]; then
		run_suite "$name" "$@"
	else
		echo "=== $name"
		echo "not ok - $name: $dir is missing"
		failed=$((failed + 1))
		summary+=("$(printf '%-28s missing' "$name")")
	fi
}

suite_dir unit tests/unit/Makefile make --no-print-directory -C tests/unit check
suite_dir compile-fail tests/compile-fail/Makefile make --no-print-directory -C tests/compile-fail check
# The netlink family's YNL spec and the files generated from it.
suite_dir uapi tests/uapi/run.sh tests/uapi/run.sh
suite_dir modcheck tests/modcheck/run.sh tests/modcheck/run.sh "$@"
# The Kbuild glue installed and used by a module outside the tree (tests/example-driver).
suite_dir example-driver tests/kbuild/example-driver.sh tests/kbuild/example-driver.sh "$@"
# DKMS on ioview's tree, in private trees: dkms add, dkms build for Debian's kernels.
suite_dir dkms tests/kbuild/dkms.sh tests/kbuild/dkms.sh "$@"
# The userspace programs: the mailbox's host peer against a copy of itself playing the guest.
suite_dir user tests/user/mailbox-peer.sh tests/user/mailbox-peer.sh
# ioviewctl without a kernel: grammar, requests, replies, the netlink exchange, outputs, lspci and KTAP views.
suite_dir user-ctl tests/user/ctl/Makefile make --no-print-directory -C tests/user/ctl check
# The harness proves on one kernel that it catches failures (a silent case,
# a hang, a real WARNING...) before it is trusted with the real cases.
suite_dir vm-selftest tests/vm/selftest.sh tests/vm/selftest.sh "$1"
for rel in "$@"; do
	suite_dir "vm-$rel" tests/vm/run.sh tests/vm/run.sh "$rel" check
done

echo
echo "=== summary (TAP in $results/)"
printf '%s\n' "${summary[@]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
