#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Tests the test bed itself, so that a green `make check` means something.
#
#   tests/vm/selftest.sh            the kernel log scan, on made-up logs (instant)
#   tests/vm/selftest.sh RELEASE    also boots RELEASE three times: with cases
#                                   built to fail (selftest/cases), with one that
#                                   outlives the VM timeout (selftest/timeout-cases),
#                                   and with the module case run against a stand-in
#                                   driver (selftest/fake-ioview, built here) that
#                                   then raises a real kernel warning
#
# Prints TAP and a closing "N passed, N failed" line; exits 1 on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=lib/klog.sh
. "$here/lib/klog.sh"

n=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() {
  n=$((n + 1))
  echo "ok $n - $1"
}

fail() {
  n=$((n + 1)) failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  [ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/# /'
}

# expect_status NAME WANT CMD...: CMD exits with status WANT.
expect_status() {
  local name=$1 want=$2 out
  shift 2
  out=$("$@" 2>&1)
  expect_eq_status "$name" "$want" "$?" "$out"
}

expect_eq_status() {
  if [ "$3" = "$2" ]; then pass "$1"; else fail "$1" "status $3, want $2" "${4:-}"; fi
}

# --- the kernel log scan -----------------------------------------------------

benign_log() {
  cat <<'EOF'
[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)
[    0.983668] PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug
[    1.916819] AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.
[    3.000000] iovm: case 20-WARNING-BUG-Oops-Call Trace
[    3.100000] ioview: loading out-of-tree module taints kernel.
[    3.100001] ioview: module verification failed: signature and/or required key missing - tainting kernel
[    3.200000] ioview 0000:00:02.0: bound edu 1234:11e8 rev 0x10
not ok - module: BUG: WARNING: Oops Call Trace: Kernel panic (user space, no stamp)
iovm: running 20-module
EOF
}

# expect_flag LABEL LINE: LINE added to a clean log is reported as LABEL.
expect_flag() {
  local label=$1 line=$2 out rc name
  name="scan flags $label in: $(tr -d "\r#" <<< "${line:15:50}")"
  { benign_log; echo "[    4.000000] iovm: case 30-probe"; printf '%s\n' "$line"; } > "$tmp/log"
  out=$(klog_scan "$tmp/log")
  rc=$?
  if [ "$rc" = 1 ] && [[ $out = "$label [30-probe] "* ]] && [ "$(wc -l <<< "$out")" = 1 ]; then
    pass "$name"
  else
    fail "$name" "status $rc, output: $out"
  fi
}

scan_selftest() {
  local out rc
  benign_log > "$tmp/log"
  out=$(klog_scan "$tmp/log")
  rc=$?
  if [ "$rc" = 0 ] && [ -z "$out" ]; then pass "scan passes a clean log with scary user-space text"
  else fail "scan passes a clean log with scary user-space text" "status $rc, output: $out"; fi

  : > "$tmp/empty"
  expect_status "scan refuses a missing log" 2 klog_scan "$tmp/missing"
  expect_status "scan refuses an empty log" 2 klog_scan "$tmp/empty"

  expect_flag WARNING '[    5.000000] WARNING: CPU: 1 PID: 77 at kmod/driver/probe.cpp:12 probe+0x1/0x2 [ioview]'
  expect_flag BUG '[    5.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000'
  expect_flag BUG '[    5.000000] kernel BUG at mm/slub.c:100!'
  expect_flag Oops '[    5.000000] Oops: 0002 [#1] PREEMPT SMP NOPTI'
  expect_flag 'Call Trace' '[    5.000000] Call Trace:'
  expect_flag 'unreliable frame in ioview' '[    5.000000]  ? ioview_probe+0x10/0x20 [ioview]'
  expect_flag 'Missing ENDBR' '[    5.000000] Missing ENDBR: ioview_probe+0x0/0x20 [ioview]'
  expect_flag 'Unpatched return thunk' '[    5.000000] Unpatched return thunk in use. This should not happen!'
  expect_flag panic '[    5.000000] Kernel panic - not syncing: Fatal exception'
  expect_flag WARNING 'ok - half a user line[    5.000000] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1'
  expect_flag WARNING $'[    5.000000] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1\r'

  # The debug kernel's checkers: each report is flagged under its own name...
  expect_flag KASAN '[    5.000000] BUG: KASAN: slab-out-of-bounds in _ZN13ioview_faults14write_past_endEPcm+0x1c/0x30 [ioview_faults]'
  expect_flag KASAN '[    5.000000] BUG: KASAN: slab-use-after-free in ioview_probe+0x10/0x20 [ioview]'
  expect_flag KASAN '[    5.000000] KASAN: null-ptr-deref in range [0x0000000000000000-0x0000000000000007]'
  expect_flag UBSAN '[    5.000000] UBSAN: array-index-out-of-bounds in kmod/selftest.cpp:10:5'
  expect_flag UBSAN '[    5.000000] UBSAN: shift-out-of-bounds in kmod/bench.cpp:3:14'
  expect_flag lockdep '[    5.000000] WARNING: possible circular locking dependency detected'
  expect_flag lockdep '[    5.000000] WARNING: possible recursive locking detected'
  expect_flag lockdep '[    5.000000] WARNING: inconsistent lock state'
  expect_flag lockdep '[    5.000000] WARNING: suspicious RCU usage'
  expect_flag lockdep '[    5.000000] WARNING: bad unlock balance detected!'
  expect_flag lockdep '[    5.000000] INFO: trying to register non-static key.'
  expect_flag might_sleep '[    5.000000] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585'
  expect_flag might_sleep '[    5.000000] BUG: scheduling while atomic: insmod/70/0x00000002'
  expect_flag might_sleep '[    5.000000] sleeping function called from invalid context at kernel/locking/mutex.c:585'
  expect_flag refcount '[    5.000000] refcount_t: underflow; use-after-free.'
  expect_flag refcount '[    5.000000] refcount_t: addition on 0; use-after-free.'
  expect_flag refcount '[    5.000000] refcount_t: saturated; leaking memory.'
  expect_flag refcount '[    5.000000] refcount_t: decrement hit 0; leaking memory.'
  expect_flag 'hung task' '[  245.000000] INFO: task ioviewctl:312 blocked for more than 120 seconds.'
  expect_flag 'RCU stall' '[    5.000000] rcu: INFO: rcu_preempt self-detected stall on CPU'
  expect_flag 'RCU stall' '[    5.000000] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:'
  expect_flag UBSAN '[    5.000000] UBSAN: signed-integer-overflow in kmod/driver/edu.cpp:10:5'
  expect_flag kmemleak '[    5.000000] unreferenced object 0xffff888004a1c2c0 (size 32):'
  expect_flag kmemleak '[    5.000000] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
  expect_flag ODEBUG '[    5.000000] ODEBUG: free active (active state 0) object: 00000000a1b2c3d4 object type: timer_list hint: f+0x0/0x10'
  expect_flag ODEBUG '[    5.000000] ODEBUG: object 00000000a1b2c3d4 is on stack 00000000e5f6a7b8, but NOT annotated.'
  expect_flag 'list corruption' '[    5.000000] list_add corruption. prev->next should be next (ffff888004a1c2c0), but was 0000000000000000. (prev=ffff888004a1c2c0).'
  expect_flag 'list corruption' '[    5.000000] list_del corruption, ffff888004a1c2c0->next is LIST_POISON1 (dead000000000100)'

  # ...and the lines that only say a checker is on are not reports.
  local banner
  while IFS= read -r banner; do
    expect_clean "$banner"
  done <<'EOF2'
[    0.000000] kasan: KernelAddressSanitizer initialized (generic)
[    0.000000] KASAN: KernelAddressSanitizer initialized
[    0.000000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
[    0.000000] ... MAX_LOCKDEP_SUBCLASSES:  8
[    0.000000] ... MAX_LOCK_DEPTH:          48
[    0.000000] ... CHAINHASH_SIZE:          32768
[    0.000000] ODEBUG: 26 of 26 active objects replaced
[    0.000000] ODEBUG: selftest passed
[    0.300000] kmemleak: Kernel memory leak detector initialized (mem pool available: 14684)
[    0.300000] kmemleak: Automatic memory scanning thread started
[    0.400000] Disabling lock debugging due to kernel taint
[    0.000000] rcu: RCU calculated value of scheduler-enlistment delay is 25 jiffies.
[    0.000000] rcu: 	RCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=2.
[    0.000000] Running RCU synchronous self tests
EOF2

  # A case may declare the reports it provokes: inside the window they are
  # required, and anything else is still an offence.
  local kasan='[    6.000000] BUG: KASAN: slab-out-of-bounds in _ZN13ioview_faults14write_past_endEPcm+0x1c/0x30 [ioview_faults]'
  expect_window "an expected report in its window passes" 0 '' \
    '[    5.900000] iovm: expect KASAN slab-out-of-bounds in .*write_past_end' "$kasan" \
    '[    6.000001] Call Trace:' '[    6.100000] iovm: expect-end'
  expect_window "an expected report that never comes fails" 1 '^expected KASAN missing \[30-probe\] ' \
    '[    5.900000] iovm: expect KASAN slab-use-after-free in ' "$kasan" '[    6.100000] iovm: expect-end'
  expect_window "an unexpected report inside a window still fails" 1 '^lockdep \[30-probe\] ' \
    '[    5.900000] iovm: expect KASAN slab-out-of-bounds' "$kasan" \
    '[    6.000002] WARNING: possible circular locking dependency detected' '[    6.100000] iovm: expect-end'
  expect_window "the same report outside a window fails" 1 '^KASAN \[30-probe\] ' \
    '[    5.900000] iovm: expect KASAN slab-out-of-bounds' '[    5.950000] iovm: expect-end' "$kasan"
  expect_window "a Call Trace before the expected report fails" 1 '^Call Trace \[30-probe\] ' \
    '[    5.900000] iovm: expect KASAN slab-out-of-bounds' '[    5.999999] Call Trace:' "$kasan" \
    '[    6.100000] iovm: expect-end'
  expect_window "an unclosed window fails" 1 '^unclosed expect window ' \
    '[    5.900000] iovm: expect KASAN slab-out-of-bounds' "$kasan"
}

# expect_clean LINE: LINE added to a clean log is not an offence.
expect_clean() {
  local out rc
  { benign_log; printf '%s\n' "$1"; } > "$tmp/log"
  out=$(klog_scan "$tmp/log")
  rc=$?
  if [ "$rc" = 0 ]; then pass "scan passes the banner: ${1:15:60}"
  else fail "scan passes the banner: ${1:15:60}" "status $rc, output: $out"; fi
}

# expect_window NAME STATUS ERE LINE...: the LINEs, after a clean log and
# inside case 30-probe, scan with STATUS; with STATUS 1 some offending line
# must match ERE.
expect_window() {
  local name=$1 want=$2 ere=$3 out rc
  shift 3
  { benign_log; echo "[    4.000000] iovm: case 30-probe"; printf '%s\n' "$@"; } > "$tmp/log"
  out=$(klog_scan "$tmp/log")
  rc=$?
  if [ "$rc" != "$want" ]; then
    fail "scan: $name" "status $rc, want $want, output: $out"
  elif [ "$want" = 1 ] && ! grep -qE -- "$ere" <<< "$out"; then
    fail "scan: $name" "no offending line matches /$ere/: $out"
  else
    pass "scan: $name"
  fi
}

# --- the harness, on cases that must fail ------------------------------------

# expect_out NAME ERE: some line of the harness output matches ERE.
expect_out() {
  if grep -qE -- "$2" "$tmp/out"; then pass "$1"; else fail "$1" "no line matches: $2"; fi
}

expect_no_out() {
  if grep -qE -- "$2" "$tmp/out"; then fail "$1" "unexpected: $(grep -E -- "$2" "$tmp/out")"; else pass "$1"; fi
}

# The plan must count exactly the numbered results, numbered 1..N in order.
expect_plan() {
  local want=1 num plan
  while read -r num; do
    [ "$num" = "$want" ] || { fail "results numbered 1..N in order" "got $num, want $want"; return; }
    want=$((want + 1))
  done < <(sed -nE 's/^(not )?ok ([0-9]+) .*/\2/p' "$tmp/out")
  plan=$(grep -E '^1\.\.[0-9]+$' "$tmp/out")
  if [ "$plan" = "1..$((want - 1))" ]; then pass "plan $plan matches the results"
  else fail "plan matches the results" "plan '$plan', $((want - 1)) results"; fi
}

harness_selftest() {
  local rel=$1 r status t0
  r=${rel//./\\.}
  r=${r//+/\\+}
  IOVM_CASES=$here/selftest/cases IOVM_CASE_TIMEOUT=5 "$here/run.sh" "$rel" check > "$tmp/out" 2>&1
  status=$?
  expect_eq_status "harness exits 1 when cases fail" 1 "$status"
  expect_out "a passing result passes" "^ok [0-9]+ - $r: passes: a passing result$"
  expect_out "expect_eq passes on equal strings" "^ok [0-9]+ - $r: passes: expect_eq with equal strings$"
  expect_out "expect_num compares numbers" "^ok [0-9]+ - $r: passes: expect_num across spellings$"
  expect_out "a skip is reported as a skip" "^ok [0-9]+ - $r: passes: a skipped result # SKIP nothing to do$"
  expect_out "a silent case fails" "^not ok [0-9]+ - $r: silent: case reported results$"
  expect_out "a dying case keeps its earlier pass" "^ok [0-9]+ - $r: dies: before dying$"
  expect_out "a dying case fails" "^not ok [0-9]+ - $r: dies: case ran to completion$"
  expect_out "a dying case's status is shown" "^# 30-dies.guest.sh exited with status 3 after 1 result"
  expect_out "a dying case's stderr is shown" "^# about to exit 3$"
  expect_out "expect_eq fails on a wrong value" "^not ok [0-9]+ - $r: wrong: expect_eq catches a wrong value$"
  expect_out "expect_eq shows what it got" "^# got:  '41'$"
  expect_out "expect_num fails on an error message" "^not ok [0-9]+ - $r: wrong: expect_num catches an error message$"
  expect_out "a hanging case is killed and fails" "^not ok [0-9]+ - $r: hangs: case ran to completion$"
  expect_out "a hanging case's timeout is shown" "^# 50-hangs.guest.sh killed after 5s"
  expect_out "a hanging case's background child dies with it" "^ok [0-9]+ - $r: reaped: a hung case's background child was killed with it$"
  expect_out "the guest still finishes after a hang" "^ok [0-9]+ - $r: guest ran all cases and powered off$"
  expect_out "a case naming a longer bound runs to it" "^ok [0-9]+ - $r: own-timeout: outlived the default bound within its own$"
  expect_no_out "a case naming a longer bound is not killed" "own-timeout: case ran to completion"
  local bound=7
  ! grep -qx CONFIG_KASAN=y "$top/build/kernels/$rel/build/.config" 2> /dev/null || bound=9
  expect_out "a case naming two bounds gets this kernel's (${bound} s)" "^# 56-two-bounds.guest.sh killed after ${bound}s"
  expect_out "a case outliving its own bound fails" "^not ok [0-9]+ - $r: two-bounds: case ran to completion$"
  expect_out "a kernel WARNING fails the log scan" "^not ok [0-9]+ - $r: kernel log clean$"
  expect_out "the scan names the case of a WARNING" "^#   WARNING \[60-splat\] WARNING: CPU: 0 PID: 1"
  expect_out "the scan flags a ? frame in ioview" "^#   unreliable frame in ioview \[60-splat\]"
  expect_no_out "the scan ignores user-space text" "user space says"
  expect_out "a failing host preparation fails" "^not ok [0-9]+ - $r: host: case ran to completion$"
  expect_out "a wrong host expectation fails" "^not ok [0-9]+ - $r: host: host expect_eq catches a wrong value$"
  expect_out "host le32 is little-endian" "^ok [0-9]+ - $r: host: host le32 is little-endian$"
  expect_plan
  cp "$tmp/out" "$tmp/out.cases"

  t0=$SECONDS
  IOVM_CASES=$here/selftest/timeout-cases IOVM_TIMEOUT=30 "$here/run.sh" "$rel" check > "$tmp/out" 2>&1
  status=$?
  expect_eq_status "harness exits 1 on a VM timeout" 1 "$status"
  expect_out "a VM timeout fails the run" "^not ok [0-9]+ - $r: guest ran all cases and powered off$"
  expect_out "a VM timeout names the running case" "^# timed out after 30s while running case 10-sleeps$"
  expect_out "results before the timeout are kept" "^ok [0-9]+ - $r: sleeps: started$"
  expect_out "the log is still scanned after a timeout" "^ok [0-9]+ - $r: kernel log clean$"
  expect_plan
  if [ $((SECONDS - t0)) -le 60 ]; then pass "a VM timeout stops QEMU promptly ($((SECONDS - t0)) s)"
  else fail "a VM timeout stops QEMU promptly" "took $((SECONDS - t0)) s"; fi
}

# Builds selftest/fake-ioview for RELEASE under build/vm/fake-ioview/RELEASE.
build_fake_module() {
  local rel=$1 dir=$top/build/vm/fake-ioview/$1
  rm -rf "$dir" && mkdir -p "$dir" &&
    cp "$here"/selftest/fake-ioview/* "$dir/" &&
    make -s -C "$top/build/kernels/$rel/build" M="$dir" modules > "$dir/build.log" 2>&1 &&
    [ -f "$dir/ioview.ko" ] && echo "$dir/ioview.ko"
}

# The real module case against a stand-in driver that does what ioview
# promises: every module result must pass. Then the stand-in raises a real
# kernel warning, which the scan must flag with the case that caused it.
module_selftest() {
  local rel=$1 r ko cases=$tmp/module-cases
  r=${rel//./\\.}
  r=${r//+/\\+}
  if ! ko=$(build_fake_module "$rel"); then
    fail "build the stand-in module" "see $top/build/vm/fake-ioview/$rel/build.log"
    return
  fi
  pass "build the stand-in module"
  mkdir -p "$cases"
  ln -s "$here/cases/20-module.guest.sh" "$here/selftest/module-cases/30-warn.guest.sh" "$cases/"
  IOVM_CASES=$cases IOVM_MODULE=$ko "$here/run.sh" "$rel" check > "$tmp/out" 2>&1
  expect_no_out "every module result passes with a correct driver" "^not ok [0-9]+ - $r: module: "
  expect_out "the module case ran" "^ok [0-9]+ - $r: module: ioview gone from /proc/modules$"
  expect_out "a real warning fails the log scan" "^not ok [0-9]+ - $r: kernel log clean$"
  expect_out "the scan flags a real WARNING in the right case" "^#   WARNING \\[30-warn\\] WARNING: CPU: [0-9]+ PID: [0-9]+ at .*fake_probe"
  expect_out "the scan flags the real Call Trace" "^#   Call Trace \\[30-warn\\] Call Trace:"
  expect_no_out "no offence is blamed on the module case" "^#   .* \\[20-module\\] "
  expect_plan
}

scan_selftest
if [ $# -gt 0 ]; then
  harness_selftest "$1"
  module_selftest "$1"
fi
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
