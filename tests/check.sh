#!/usr/bin/env bash
# Runs every test suite of the project and prints one closing line:
#
#   N passed, N failed
#
# (after a line "N skipped (in neither figure below)" when some were skipped)
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

# The last kernel's VM run (the debug kernel's, by far the longest) starts
# first, in the background, when there are two CPUs and more than one kernel:
# TCG runs a guest on one host thread, so it takes the second CPU while the
# other suites and VM runs (each release in its own build/vm/RELEASE/) share
# the first. Its output is shown, and counted, once it is over.
# IOVM_SEQUENTIAL=1 runs every VM after the other instead.
sequential=("$@") background=
if [ $# -gt 1 ] && [ "$(nproc)" -ge 2 ] && [ -z "${IOVM_SEQUENTIAL:-}" ] && [ -e tests/vm/run.sh ]; then
	background=${*: -1}
	sequential=("${@:1:$#-1}")
	bg_log=$results/vm-$background.out bg_start=$SECONDS
	setsid tests/vm/run.sh "$background" check > "$bg_log" 2>&1 &
	bg_pid=$!
	# An interrupted check takes the run (and its QEMU) with it.
	trap 'kill -- "-$bg_pid" 2> /dev/null' EXIT
	echo "=== vm-$background started in the background"
fi

# Waits for the background VM run and counts it like any other suite.
finish_background() {
	wait "$bg_pid"
	local status=$?
	run_suite "vm-$background" replay_background "$status"
	# The suite's time is the run's own, from its start.
	summary[-1]=$(sed -E "s/ +[0-9]+s\$/ $(printf '%5d' $((SECONDS - bg_start)))s/" <<< "${summary[-1]}")
}

# Prints the background run's output (kept aside, as run_suite rewrites its
# TAP file) and exits with its status.
replay_background() {
	cat "$bg_log"
	return "$1"
}

suite_dir unit tests/unit/Makefile make --no-print-directory -C tests/unit check
suite_dir compile-fail tests/compile-fail/Makefile make --no-print-directory -C tests/compile-fail check
# The netlink family's YNL spec and the files generated from it.
suite_dir uapi tests/uapi/run.sh tests/uapi/run.sh
# The C side held to the kernel's own checkpatch.pl --strict and kernel-doc.
suite_dir kernel-style tests/style/run.sh tests/style/run.sh
# The API reference builds warning-free and holds every example; the documentation checks fail when they should.
suite_dir docs tests/docs/run.sh tests/docs/run.sh
suite_dir modcheck tests/modcheck/run.sh tests/modcheck/run.sh "$@"
# The Kbuild glue installed and used by a module outside the tree (tests/example-driver).
suite_dir example-driver tests/kbuild/example-driver.sh tests/kbuild/example-driver.sh "$@"
# DKMS on ioview's tree, in private trees: dkms add, dkms build for Debian's kernels.
suite_dir dkms tests/kbuild/dkms.sh tests/kbuild/dkms.sh "$@"
# The userspace programs: the mailbox's host peer against a copy of itself playing the guest.
suite_dir user tests/user/mailbox-peer.sh tests/user/mailbox-peer.sh
# ioviewctl without a kernel: grammar, requests, replies, the netlink exchange, outputs, lspci and KTAP views.
suite_dir user-ctl tests/user/ctl/Makefile make --no-print-directory -C tests/user/ctl check
# make install and modules_install into temporary roots; KDIR builds named by the tree's release.
suite_dir install tests/install/run.sh tests/install/run.sh "$@"
# The harness proves on one kernel that it catches failures (a silent case,
# a hang, a real WARNING...) before it is trusted with the real cases.
suite_dir vm-selftest tests/vm/selftest.sh tests/vm/selftest.sh "$1"
# `make run`'s demo on the same kernel, held to its verdict (a boot of its own).
suite_dir vm-demo tests/vm/demo-check.sh tests/vm/demo-check.sh "$1"
for rel in "${sequential[@]}"; do
	suite_dir "vm-$rel" tests/vm/run.sh tests/vm/run.sh "$rel" check
done
[ -z "$background" ] || finish_background

echo
echo "=== summary (TAP in $results/)"
printf '%s\n' "${summary[@]}"
# The last line is always "N passed, N failed"; skipped results (documents'
# blocks marked as not compiled, each with its reason) are in neither figure.
[ "$skipped" = 0 ] || echo "$skipped skipped (in neither figure below)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
