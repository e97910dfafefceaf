# shellcheck shell=dash
# ioviewctl's mailbox commands against the real host peer: shm send, shm
# recv and shm close (the family's mbox-send, mbox-recv and mbox-close), and
# what the close gives back: BAR2 whole, for the ioview_ivshmem_bar2
# self-tests, which get -EBUSY while the mailbox is open.
#
# The host peer (65-shm-ctl.host-before.sh) reverses every message and
# answers two. It is started only when this case asks for it, once the
# mailbox is open, so it never meets 60-mailbox's peers or an open of
# anyone else's:
#
#   1. shm close with nothing open: refused, "the mailbox is not open";
#   2. shm send with no host yet: refused, "the host peer is not attached",
#      but the mailbox is open now; the host peer is asked for;
#   3. shm send, again until the peer has attached (bounded), and shm recv:
#      the text comes back reversed; then bytes in hex, received as JSON;
#   4. the BAR2 self-tests, refused with -EBUSY while the mailbox is open;
#   5. shm close (-j: {}), then again: exit 1 with the extended ACK's text;
#   6. the BAR2 self-tests pass, then ioview_control_mailbox (on demand: it
#      opens the mailbox itself, which is safe only now the peer is gone);
#   7. the counters, rmmod, nothing of BAR2 left requested.
#
# 65-shm-ctl.host.sh judges the peer's side after the VM: what it received
# and answered, and the header the guest left.

shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
module_can_load "shm-ctl: insmod" || return 0
expect_run "shm-ctl: insmod" insmod "$IOVM_MODULE" || return 0

out=$IOVM_TMP/shm-ctl.out err=$IOVM_TMP/shm-ctl.err
# ctl NAME STATUS ARGS...: ioviewctl ARGS exits STATUS (output in $out, $err).
ctl() {
  _c_name=$1 _c_want=$2
  shift 2
  "$IOVM_CTL" "$@" > "$out" 2> "$err"
  _c_rc=$?
  if [ "$_c_rc" != "$_c_want" ]; then
    tap_fail "$_c_name" "ioviewctl $* exited $_c_rc, want $_c_want" "$(cat "$out" "$err")"
    return 1
  fi
  tap_ok "$_c_name"
}
# error_is NAME TEXT: the last command's standard error is the one line "Error: TEXT."
error_is() {
  expect_eq "$1" "$(cat "$err")" "Error: $2."
}

# 1-2: closed at first; a send opens the mailbox even when no host takes it.
ctl "shm close with the mailbox never opened exits 1" 1 shm close "$shm" &&
  error_is "shm close with the mailbox never opened: the extended ACK" "the mailbox is not open"
ctl "shm send before any host peer exits 1" 1 shm send "$shm" "nobody listens" &&
  error_is "shm send before any host peer: the extended ACK" "the host peer is not attached to the mailbox"
expect_eq "the refused send opened the mailbox: ioview holds edu's BAR0 and the mailbox's bytes" \
  "$(grep -c -F ioview /proc/iomem)" 2
tap_diag "shm-ctl: mailbox open, start the host peer"

# 3: the first message goes once the peer has attached (each refused try is -ENOTCONN).
tries=0
while :; do
  "$IOVM_CTL" shm send "$shm" "hello, host" > "$out" 2> "$err" && break
  grep -qF "the host peer is not attached to the mailbox" "$err" || break
  tries=$((tries + 1))
  [ "$tries" -lt 200 ] || break
  sleep 0.1
done
if [ -s "$err" ]; then
  tap_fail "shm send once the host peer attached" "after $tries refused tries:" "$(cat "$err")"
  "$IOVM_CTL" shm close "$shm" > /dev/null 2>&1
  rmmod ioview
  return 0
fi
tap_ok "shm send once the host peer attached"
tap_diag "shm-ctl: $tries sends refused before the host peer attached"
ctl "shm recv of the answer" 0 shm recv "$shm" --timeout 10000 &&
  expect_eq "the host peer's answer is the message reversed" "$(cat "$out")" "tsoh ,olleh"
ctl "shm send of bytes in hex" 0 shm send "$shm" "00 01 fe ff" --hex &&
  expect_eq "shm send prints nothing" "$(cat "$out" "$err")" ""
ctl "shm recv -j of the answer" 0 -j shm recv "$shm" --timeout 10000 &&
  expect_eq "the JSON answer is the bytes reversed" "$(cat "$out")" \
    "{\"data\":\"fffe0100\",\"dev\":\"$shm\",\"length\":4}"

# 4: the mailbox holds its part of BAR2 while it is open.
"$IOVM_CTL" selftest run ioview_ivshmem_bar2 > "$out" 2> "$err"
expect_eq "with the mailbox open, the BAR2 self-tests fail (exit 1)" $? 1
# Each failing case's diagnostic ("    # case: why") names the busy BAR2.
expect_eq "with the mailbox open, every BAR2 case that failed found it busy (-16)" \
  "$(grep '^    # [a-z0-9_]*: ' "$out" | grep -v -e '-16' | head -n 3)" ""
busy=$(grep -c '^    not ok ' "$out")
if [ "$busy" -gt 0 ]; then
  tap_ok "with the mailbox open, BAR2 cases fail"
  tap_diag "shm-ctl: $busy BAR2 cases failed on the busy BAR2"
else
  tap_fail "with the mailbox open, BAR2 cases fail" "none did:" "$(cat "$out" "$err")"
fi

# 5: closed by name, once.
ctl "shm close -j" 0 -j shm close "$shm" &&
  expect_eq "shm close -j prints {}" "$(cat "$out")" "{}"
ctl "a second shm close exits 1" 1 shm close "$shm" &&
  error_is "a second shm close: the extended ACK" "the mailbox is not open"
expect_eq "after the close, ioview holds edu's BAR0 only" "$(grep -c -F ioview /proc/iomem)" 1

# 6: BAR2 is whole again.
ctl "after shm close, selftest run ioview_ivshmem_bar2 passes" 0 selftest run ioview_ivshmem_bar2 &&
  expect_eq "the BAR2 suite passed, none of its cases skipped or busy" \
    "$(grep -c '^ok 1 ioview_ivshmem_bar2$' "$out") $(grep -c -e SKIP -e '-16' "$out")" "1 0"
ctl "selftest run ioview_control_mailbox passes" 0 selftest run ioview_control_mailbox &&
  expect_eq "ioview_control_mailbox passed both its cases, neither skipped" \
    "$(grep -c '^    ok [0-9]* [a-z0-9_]*$' "$out")" 2

# 7: what the driver counted of the exchange, and nothing left behind.
# The stats line is "  NAME VALUE NAME VALUE ...": counter NAME is the word after NAME.
"$IOVM_CTL" stats "$shm" > "$out" 2>&1
counter() {
  tr -s ' ' '\n' < "$out" | awk -v name="$1" 'previous == name { print; exit } { previous = $0 }'
}
expect_num "ivshmem counted 2 messages sent" "$(counter mbox-sent)" 2
expect_num "ivshmem counted 15 bytes sent" "$(counter mbox-sent-bytes)" 15
expect_num "ivshmem counted 2 messages received" "$(counter mbox-received)" 2
expect_num "ivshmem counted 15 bytes received" "$(counter mbox-received-bytes)" 15
expect_run "shm-ctl: rmmod" rmmod ioview
expect_eq "shm-ctl: no I/O memory left requested by ioview" "$(grep -c -F ioview /proc/iomem)" 0
