# shellcheck shell=bash
# The host peer's side of 60-mailbox: it must have exited 0 after echoing
# exactly 200 messages, as many bytes back as it received (the sum of the
# self-test's lengths, i * 5 mod 249 for i < 200), with no error of any
# kind. The peer is waited for (bounded) and killed if it still runs: the
# guest never came, or never sent everything. The mailbox's header stays in
# the file as the guest's second open (send_without_peer, after the peer
# left) and close left it: magic "IVMB" at 0x20000, the guest closed (state
# 2) at generation 2, the host's state absent (0), wiped by that init().

out=$IOVM_TMP/mailbox-peer
for _ in $(seq 50); do
  [ -s "$out".status ] && break
  sleep 0.2
done
if [ ! -s "$out".status ]; then
  pid=$(cat "$out".pid 2>/dev/null)
  [ -z "$pid" ] || kill "$pid" 2>/dev/null
  for _ in $(seq 25); do
    [ -s "$out".status ] && break
    sleep 0.2
  done
  tap_fail "host peer exited by itself" "still running 10 s after the VM powered off: killed" \
    "$(tail -n 12 "$out".err 2>/dev/null)"
fi
status=$(cat "$out".status 2>/dev/null)
expect_eq "host peer exit status" "$status" 0 || tap_diag "$(tail -n 12 "$out".err "$out".out 2>/dev/null)"

# line KEY WHAT: WHAT's value on the summary line "mailbox-peer: KEY ...".
line() {
  sed -n "s/^mailbox-peer: $1 .*\\b$2=\\([0-9]*\\).*/\\1/p" "$out".out
}
bytes=$(awk 'BEGIN { for (i = 0; i < 200; i++) s += (i * 5) % 249; print s }')
expect_num "host peer received 200 messages" "$(line received messages)" 200
expect_num "host peer sent 200 messages" "$(line sent messages)" 200
expect_num "host peer received $bytes bytes" "$(line received bytes)" "$bytes"
expect_num "host peer sent $bytes bytes" "$(line sent bytes)" "$bytes"
for e in full notconn badmsg proto nobufs other mismatch; do
  expect_num "host peer counted no $e error" "$(line errors "$e")" 0
done
expect_num "host peer saw the guest arrive once" "$(line peer arrived)" 1
tap_diag "$(grep -h 'result' "$out".out)"

expect_eq "mailbox magic \"IVMB\" at 0x20000" "$(shm_bytes 0x20000 4)" "49 56 4d 42"
expect_eq "guest side closed at 0x20040, generation 2" "$(shm_bytes 0x20040 8)" "02 00 00 00 02 00 00 00"
expect_eq "host side absent at 0x20080" "$(shm_bytes 0x20080 4)" "00 00 00 00"
