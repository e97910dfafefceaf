# shellcheck shell=bash
# The host peer's side of 65-shm-ctl (65-shm-ctl.host-before.sh started it
# when the guest asked): it must have been started, have exited 0 having
# done its one step, and have received exactly what ioviewctl sent, "hello,
# host" (11 bytes) and 00 01 fe ff (4), and answered both, with no error of
# any kind.
#
# The mailbox's header is the file's as this case's opens left it, the last
# of the run: the peer found the guest ready at generation G, where G is 4
# after 60-mailbox's three opens (1 if that case did not run). Then the
# guest closed (state 2), and ioview_control_mailbox opened and closed it
# twice more, each init() wiping the host's state (absent, 0), with nobody
# attached since: the guest closed at generation G + 2.

out=$IOVM_TMP/shm-peer
for _ in $(seq 50); do
  [ -s "$out".status ] || [ -s "$out".why ] && break
  sleep 0.2
done
if [ ! -s "$out".status ]; then
  for f in "$out".watcher.pid "$out".pid; do
    pid=$(cat "$f" 2> /dev/null)
    [ -z "$pid" ] || kill "$pid" 2> /dev/null
  done
  tap_fail "host peer started on the guest's request and exited" \
    "$(cat "$out".why 2> /dev/null || echo "still running 10 s after the VM powered off: killed")" \
    "$(tail -n 12 "$out".err "$out".out 2> /dev/null)"
  return 0
fi
tap_ok "host peer started on the guest's request and exited"

# line KEY WHAT: WHAT's value on the peer's summary line "mailbox-peer: KEY ...".
line() {
  sed -n "s/^mailbox-peer: $1 .*\\b$2=\\([0-9]*\\).*/\\1/p" "$out".out 2> /dev/null
}
expect_eq "host peer exit status" "$(cat "$out".status)" 0 ||
  tap_diag "$(tail -n 12 "$out".err "$out".out 2> /dev/null)"
expect_num "host peer did its script step" "$(line script done)" 1
for e in full notconn badmsg proto nobufs other mismatch reset gaps lost; do
  expect_num "host peer counted no $e error" "$(line errors "$e")" 0
done
expect_num "host peer received 2 messages" "$(line received messages)" 2
expect_num "host peer received 15 bytes" "$(line received bytes)" 15
expect_num "host peer answered 2 messages" "$(line sent messages)" 2
expect_num "host peer answered 15 bytes" "$(line sent bytes)" 15
expect_num "host peer saw the guest arrive once" "$(line peer arrived)" 1
tap_diag "host peer: $(grep -h 'result' "$out".out 2> /dev/null)"

if tr -d '\r' < "$IOVM_RESULTS" | grep -qx '@@ case 60-mailbox'; then
  g=4
else
  g=1
fi
expect_eq "the peer found the guest ready at generation $g" "$(cat "$out".header 2> /dev/null)" \
  "01 00 00 00 $(le32 "$g")"
expect_eq "mailbox magic \"IVMB\" at 0x20000" "$(shm_bytes 0x20000 4)" "49 56 4d 42"
expect_eq "guest side closed at 0x20040, generation $((g + 2))" "$(shm_bytes 0x20040 8)" \
  "02 00 00 00 $(le32 $((g + 2)))"
expect_eq "host side absent at 0x20080" "$(shm_bytes 0x20080 4)" "00 00 00 00"
