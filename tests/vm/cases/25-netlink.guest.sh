# shellcheck shell=dash
# The module's generic netlink family, end to end through ioviewctl: once
# ioview.ko is loaded the family answers every kind of request (the device
# list, configuration space, registers, edu's units, counters, self-tests)
# and its events group reports an interrupt raised on request; refusals come
# back with the kernel's extended-ACK message; the permission rules hold for
# an unprivileged caller (nobody), whose refused register write leaves the
# register as it was. After rmmod the family is gone.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
module_can_load "netlink: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

out=$IOVM_TMP/netlink.out err=$IOVM_TMP/netlink.err
# ctl NAME WANT_STATUS ARGS...: runs ioviewctl ARGS, which must exit WANT_STATUS; its output is
# in $out and $err afterwards.
ctl() {
  _c_name=$1 _c_want=$2
  shift 2
  "$IOVM_CTL" "$@" > "$out" 2> "$err"
  _c_rc=$?
  if [ "$_c_rc" = "$_c_want" ]; then
    tap_ok "$_c_name"
    return 0
  fi
  tap_fail "$_c_name" "ioviewctl $* exited $_c_rc, want $_c_want" "$(cat "$out" "$err")"
  return 1
}
# contains NAME FILE TEXT: FILE has a line containing TEXT.
contains() {
  if grep -qF -- "$3" "$2"; then
    tap_ok "$1"
  else
    tap_fail "$1" "no line with '$3' in:" "$(cat "$2")"
  fi
}

ctl "dev show lists the bound functions" 0 dev show &&
  contains "dev show: edu" "$out" "$edu" &&
  contains "dev show: ivshmem" "$out" "$shm"
ctl "config read: edu's vendor and device ids" 0 -j config read "$edu" 0 32 &&
  contains "config read gives 0x11e81234" "$out" "$(printf '%d' 0x11e81234)"
ctl "reg read by name" 0 reg read "$edu" identification &&
  contains "identification reads 0x010000ed" "$out" "0x010000ed"
ctl "reg read of an offset where no register starts" 1 reg read "$edu" 0x10 &&
  contains "the refusal carries the kernel's message" "$err" "no register starts at that offset"
ctl "reg show decodes every register" 0 reg show "$edu" &&
  contains "reg show: dma_command's fields" "$out" "device_to_ram"
ctl "edu fact by interrupt" 0 edu fact "$edu" 5 --irq &&
  contains "5! = 120" "$out" "120"
ctl "edu dma round trip" 0 edu dma "$edu" roundtrip 16 0a0b0c0d --hex
ctl "stats of every function" 0 stats &&
  contains "stats: edu's counters" "$out" "factorials"
ctl "selftest run of one suite" 0 selftest run ioview_selftest_harness &&
  contains "the run's KTAP" "$out" "ok 1 ioview_selftest_harness"
ctl "selftest run of an unknown suite" 1 selftest run no_such_suite &&
  contains "an unknown suite is named" "$err" "no self-test suite of that name"

# The events group: an interrupt raised on request is reported, with a sequence number.
"$IOVM_CTL" monitor > "$IOVM_TMP/monitor.out" 2>&1 &
mon=$!
sleep 1
expect_run "edu irq raise while monitoring" "$IOVM_CTL" edu irq raise "$edu" 0x40
sleep 1
kill "$mon" 2> /dev/null
wait "$mon" 2> /dev/null
contains "monitor: the interrupt event" "$IOVM_TMP/monitor.out" "interrupt $edu value 0x40"

# An unprivileged caller: 64 bytes of configuration space, no writes.
grep -q '^nobody:' /etc/passwd 2> /dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
as_nobody() {
  su -s /bin/sh nobody -c "$*" > "$out" 2> "$err"
}
as_nobody "$IOVM_CTL" dev show
expect_eq "nobody: dev show" $? 0
as_nobody "$IOVM_CTL" config read "$edu" 64 32
expect_eq "nobody: config read past 64 bytes is refused" $? 1 &&
  contains "nobody: the refusal names CAP_SYS_ADMIN" "$err" "CAP_SYS_ADMIN"
"$IOVM_CTL" reg write "$edu" liveness 0x1234 > /dev/null 2>&1
as_nobody "$IOVM_CTL" reg write "$edu" liveness 0x5678
expect_eq "nobody: reg write is refused" $? 1
ctl "liveness after the refused write" 0 -j reg read "$edu" liveness &&
  contains "liveness still holds what root wrote" "$out" "$(printf '%d' 0xffffedcb)"

expect_run "rmmod" rmmod ioview
ctl "without the module the family is gone" 1 dev show
