# shellcheck shell=dash
# iovm-case-timeout: 120 600
# An unprivileged caller (nobody) against every ioviewctl command that writes,
# moves data, sleeps on a device or has a side effect: each exits 1 with
# EPERM's message and changes nothing, which root reads back afterwards (the
# registers, every configuration byte of both functions, edu's DMA buffer, a
# pending ivshmem interrupt status, the counters, the self-tests' log). The
# plain reads work as nobody and agree with root's: the device list, the first
# 64 bytes of configuration space, the registers that have no read side
# effect, the counters. (26-netlink-errors has two of the refusals with the
# values they leave; 85-fuzz sends every request as nobody, malformed ones
# too.) It took 10 s on Debian's kernels and 100 s on the debug kernel, and
# past 180 s there on a machine at load 8: hence its own bounds.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
module_can_load "permissions: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0
grep -q '^nobody:' /etc/passwd 2> /dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd

out=$IOVM_TMP/perm.out err=$IOVM_TMP/perm.err
as_nobody() {
  su -s /bin/sh nobody -c "$*" > "$out" 2> "$err"
}
# refused TEXT ARGS...: as nobody, ioviewctl ARGS exits 1 and says exactly "Error: TEXT"
# (GENL_ADMIN_PERM refuses before the handler runs: a bare EPERM, strerror's text).
refused() {
  _rf_text=$1
  shift
  as_nobody "$IOVM_CTL" "$@"
  _rf_rc=$?
  if [ "$_rf_rc" = 1 ] && [ "$(cat "$err")" = "Error: $_rf_text" ] && [ ! -s "$out" ]; then
    tap_ok "nobody: $* is refused"
  else
    tap_fail "nobody: $* is refused" "exit $_rf_rc, want 1 with 'Error: $_rf_text' only" "$(cat "$out" "$err")"
  fi
}
eperm="Operation not permitted."
# allowed NAME ARGS...: as nobody, ioviewctl ARGS exits 0 and prints what root's run prints.
allowed() {
  _al_name=$1
  shift
  "$IOVM_CTL" "$@" > "$out.root" 2>&1
  as_nobody "$IOVM_CTL" "$@"
  _al_rc=$?
  if [ "$_al_rc" != 0 ]; then
    tap_fail "nobody: $_al_name" "ioviewctl $* exited $_al_rc" "$(cat "$out" "$err")"
  elif ! cmp -s "$out" "$out.root"; then
    tap_fail "nobody: $_al_name" "nobody's output differs from root's:" "$(diff "$out.root" "$out" | head -n 10)"
  else
    tap_ok "nobody: $_al_name"
  fi
}
# value ARGS...: the last word root's ioviewctl ARGS prints.
value() {
  "$IOVM_CTL" "$@" 2>&1 | awk '{ v = $NF } END { print v }'
}

# State root sets, so that a change shows: liveness, a pattern in edu's DMA
# buffer, a pending ivshmem interrupt status bit (a clearing read would take it).
expect_run "root: reg write liveness" "$IOVM_CTL" reg write "$edu" liveness 0x1234
expect_run "root: edu dma write of a pattern" "$IOVM_CTL" edu dma "$edu" write 0 root-pattern
expect_run "root: set an ivshmem interrupt status bit" "$IOVM_CTL" reg write "$shm" interrupt_status 0x5
# The state, and how many self-test runs the kernel log has seen.
state() {
  device_state "$edu" "$shm"
  dmesg | grep -c 'KTAP version'
}
state > "$IOVM_TMP/perm.before"

# Plain reads.
allowed "dev show" dev show
allowed "dev show of edu" dev show "$edu"
allowed "config show -x (64 bytes) of edu" config show -x "$edu"
allowed "config show -x (64 bytes) of ivshmem" config show -x "$shm"
allowed "config read of edu's ids" config read "$edu" 0 32
allowed "config read of the interrupt line" config read "$edu" 0x3c 8
allowed "reg show of edu" reg show "$edu"
allowed "reg show of ivshmem (interrupt_status described, not read)" reg show "$shm"
allowed "reg read of liveness" reg read "$edu" liveness
allowed "reg read of identification" reg read "$edu" identification
allowed "reg read of ivshmem's interrupt_mask" reg read "$shm" interrupt_mask
allowed "stats" stats
allowed "stats of edu" stats "$edu"

# Every mutating or side-effecting command.
refused "$eperm" config write "$edu" 0x3c 8 0x05
refused "$eperm" config write "$edu" 0x04 16 0
refused "$eperm" config write "$shm" 0x3c 8 0x05
refused "$eperm" reg write "$edu" liveness 0x5678
refused "$eperm" reg write "$edu" irq_raise 0x40
refused "$eperm" reg write "$shm" interrupt_mask 0xff
refused "$eperm" edu fact "$edu" 5
refused "$eperm" edu fact "$edu" 5 --irq
refused "$eperm" edu dma "$edu" write 0 nobody-data
refused "$eperm" edu dma "$edu" read 0 16
refused "$eperm" edu dma "$edu" roundtrip 0 nobody-data
refused "$eperm" edu irq raise "$edu" 0x40
refused "$eperm" shm send "$shm" hello
refused "$eperm" shm recv "$shm"
refused "$eperm" shm recv "$shm" --timeout 1000
refused "$eperm" shm close "$shm"
refused "$eperm" selftest run
refused "$eperm" selftest run ioview_selftest_harness
# Not admin-perm, so the handler refuses, naming the capability: a read that clears.
as_nobody "$IOVM_CTL" reg read "$shm" interrupt_status
expect_eq "nobody: reg read of ivshmem's read-to-clear interrupt_status exits 1" $? 1 &&
  expect_eq "nobody: the refusal names CAP_NET_ADMIN" "$(grep -c '^Error: .*CAP_NET_ADMIN' "$err")" 1
# The events group: joining needs CAP_NET_ADMIN.
as_nobody timeout 5 "$IOVM_CTL" monitor
expect_eq "nobody: monitor is refused" "$?:$(cat "$err")" "1:Error: cannot join the \"events\" group: $eperm"

# Nothing moved.
state > "$IOVM_TMP/perm.after"
if cmp -s "$IOVM_TMP/perm.before" "$IOVM_TMP/perm.after"; then
  tap_ok "after nobody: counters, configuration spaces, registers and the self-tests' log unchanged"
else
  tap_fail "after nobody: counters, configuration spaces, registers and the self-tests' log unchanged" \
    "$(diff "$IOVM_TMP/perm.before" "$IOVM_TMP/perm.after" | head -n 20)"
fi
expect_num "after nobody: liveness still holds what root wrote" "$(value reg read "$edu" liveness)" 0xffffedcb
expect_eq "after nobody: edu's DMA buffer still holds root's pattern (\"root-pattern\")" \
  "$("$IOVM_CTL" edu dma "$edu" read 0 12 2>&1)" "0000: 72 6f 6f 74 2d 70 61 74 74 65 72 6e"
# Last: this read clears the bit.
expect_num "after nobody: ivshmem's interrupt status bit still pending" "$(value reg read "$shm" interrupt_status)" 0x5

expect_run "rmmod" rmmod ioview
