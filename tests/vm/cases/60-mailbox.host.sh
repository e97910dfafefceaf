# shellcheck shell=bash
# The host peers' side of 60-mailbox (60-mailbox.host-before.sh started
# them): each instance must have exited 0 having done its whole script,
# with exactly the messages the ioview_mailbox self-test sends it, each one
# checked by the peer itself (--numbered: intact, in order, none twice),
# as many bytes back as it received, and no error of any kind:
#
#   1  220 messages (0..219), one pause;
#   2  20 (220..239), then its crash;
#   3  10 (240..249), its re-initialisation, 20 more, another, 10 more,
#      then its 7 garbage items (3 bad slots among them) with 11 more
#      messages, whose echoes it repeats as the step says (the first of
#      the tail item's message twice more, the state item's once more).
#
# Message 250 was sent across host 3's first re-initialisation: either it
# found it in the ring it wiped (discarded unread: 1) and the guest never
# got its echo, or the guest was refused and sent it again (0). Both sides
# say which, and must agree; the next 30 then start at 250 + that, which its
# --numbered check sees as a gap of that size. Nothing is in flight at the
# second one. The totals the guest logged must be the sums of the three
# hosts' (it sent the one lost message too).
#
# The peers are waited for (bounded) and killed if they still run: the
# guest never came, or stopped early. The file's header is not this case's
# to judge beyond its magic: 65-shm-ctl opens the mailbox again later in
# the same boot, so 65-shm-ctl.host.sh checks the header the run's last
# open left, and that this case's three opens (echo_round_trip's, then
# send_without_peer's and unbind_wakes_a_waiting_receive's, both after the
# last peer left) had taken the guest's generation to 3.

out=$IOVM_TMP/mailbox-peer
for _ in $(seq 50); do
  [ -s "$out".3.status ] && break
  sleep 0.2
done
if [ ! -s "$out".3.status ]; then
  for f in "$out".chain.pid "$out".1.pid "$out".2.pid "$out".3.pid; do
    pid=$(cat "$f" 2>/dev/null)
    [ -z "$pid" ] || kill "$pid" 2>/dev/null
  done
  tap_fail "host peers exited by themselves" "instance 3 had not finished 10 s after the VM powered off: killed" \
    "$(for n in 1 2 3; do echo "instance $n: status $(cat "$out.$n.status" 2>/dev/null || echo none)"; \
      tail -n 6 "$out.$n.err" 2>/dev/null; done)"
fi

# line N KEY WHAT: WHAT's value on instance N's summary line "mailbox-peer: KEY ...".
line() {
  sed -n "s/^mailbox-peer: $2 .*\\b$3=\\([0-9]*\\).*/\\1/p" "$out.$1.out" 2>/dev/null
}
# bytes A B: the payload bytes of the self-test's messages A .. B-1 ((k * 5) % 249 each).
bytes() {
  awk -v a="$1" -v b="$2" 'BEGIN { for (k = a; k < b; k++) s += (k * 5) % 249; print s + 0 }'
}
# guest KEY WHAT: WHAT's value on the guest's "# mailbox: KEY: ..." line in the kernel log.
guest() {
  sed -n "s/.*# mailbox: $1: .*\\b$2=\\([0-9]*\\).*/\\1/p" "$IOVM_CONSOLE" | head -n 1
}

# instance N STEPS: the checks every instance passes: exit 0, all STEPS script steps done,
# no error of any kind.
instance() {
  local n=$1 steps=$2 e
  expect_eq "host peer $n exit status" "$(cat "$out.$n.status" 2>/dev/null)" 0 ||
    tap_diag "$(tail -n 12 "$out.$n.err" "$out.$n.out" 2>/dev/null)"
  expect_num "host peer $n did its $steps script steps" "$(line "$n" script "done")" "$steps"
  for e in full notconn badmsg proto nobufs other mismatch reset; do
    expect_num "host peer $n counted no $e error" "$(line "$n" errors "$e")" 0
  done
  tap_diag "host peer $n: $(grep -h 'result' "$out.$n.out" 2>/dev/null)"
}

instance 1 4
expect_num "host peer 1 received 220 messages" "$(line 1 received messages)" 220
expect_num "host peer 1 sent 220 messages" "$(line 1 sent messages)" 220
expect_num "host peer 1 received $(bytes 0 220) bytes" "$(line 1 received bytes)" "$(bytes 0 220)"
expect_num "host peer 1 sent $(bytes 0 220) bytes" "$(line 1 sent bytes)" "$(bytes 0 220)"
expect_num "host peer 1 checked messages 0 to 219, none missing" "$(line 1 numbered next)" 220
expect_num "host peer 1 missed none" "$(line 1 errors gaps)" 0
expect_num "host peer 1 paused once" "$(line 1 script pauses)" 1
expect_num "host peer 1 saw the guest arrive once" "$(line 1 peer arrived)" 1

instance 2 2
expect_num "host peer 2 received 20 messages" "$(line 2 received messages)" 20
expect_num "host peer 2 sent 20 messages" "$(line 2 sent messages)" 20
expect_num "host peer 2 received $(bytes 220 240) bytes" "$(line 2 received bytes)" "$(bytes 220 240)"
expect_num "host peer 2 sent $(bytes 220 240) bytes" "$(line 2 sent bytes)" "$(bytes 220 240)"
expect_num "host peer 2 checked messages 220 to 239, none missing" "$(line 2 numbered next)" 240
expect_num "host peer 2 missed none" "$(line 2 errors gaps)" 0
expect_num "host peer 2 crashed on purpose" "$(line 2 script crashed)" 1

instance 3 6
lost=$(line 3 script discarded_unread)
case $lost in
  0 | 1) tap_ok "host peer 3 discarded 0 or 1 unread message at its re-initialisations ($lost)" ;;
  *) tap_fail "host peer 3 discarded 0 or 1 unread message at its re-initialisations" "discarded: '${lost}'"
     lost=0 ;;
esac
expect_num "host peer 3 re-initialised twice" "$(line 3 script inits)" 2
expect_num "host peer 3 discarded none of its echoes" "$(line 3 script discarded_unconsumed)" 0
expect_num "host peer 3 saw the guest take its echoes and beat before each re-initialisation" \
  "$(line 3 script quiet_timeouts)" 0
# The garbage step's 11 messages start at g; message g + 7 is echoed three times, g + 9 twice.
g=$((280 + lost))
b3=$(($(bytes 240 250) + $(bytes $((250 + lost)) "$g") + $(bytes "$g" $((g + 11)))))
b3_sent=$((b3 + 2 * $(bytes $((g + 7)) $((g + 8))) + $(bytes $((g + 9)) $((g + 10)))))
expect_num "host peer 3 received 51 messages" "$(line 3 received messages)" 51
expect_num "host peer 3 sent 54 messages" "$(line 3 sent messages)" 54
expect_num "host peer 3 received $b3 bytes" "$(line 3 received bytes)" "$b3"
expect_num "host peer 3 sent $b3_sent bytes" "$(line 3 sent bytes)" "$b3_sent"
expect_num "host peer 3 missed exactly what it discarded" "$(line 3 errors gaps)" "$lost"
expect_num "host peer 3 checked messages up to $((g + 10))" "$(line 3 numbered next)" $((g + 11))
expect_num "host peer 3 wrote and repaired 7 garbage items" "$(line 3 script garbage_items)" 7
expect_num "host peer 3 published 3 bad slots" "$(line 3 script garbage_slots)" 3
expect_num "host peer 3 saw the guest arrive at its attach and after each re-initialisation" \
  "$(line 3 peer arrived)" 3

# The guest's side of the same story, from its KTAP diagnostics in the kernel log.
expect_num "the guest says message 250 was lost exactly when host 3 discarded it" "$(guest reinit lost)" "$lost"
expect_num "the guest published what the hosts received, and the lost one" "$(guest session sent)" $((291 + lost))
expect_num "the guest received what the hosts sent" "$(guest session received)" 294
# The garbage: 2 heads (at least one -EPROTO each), 3 slots (-EBADMSG each), a tail (-EPROTO).
garbage_errors=$(guest garbage errors)
if [ -n "$garbage_errors" ] && [ "$garbage_errors" -ge 6 ]; then
  tap_ok "the guest refused every garbage item ($garbage_errors refusals)"
else
  tap_fail "the guest refused every garbage item" "errors='$garbage_errors', want at least 6"
fi
expect_num "the guest's session errors are its garbage refusals" "$(guest session errors)" "${garbage_errors:-0}"
expect_num "the guest was told of each reset once" "$(guest session resets)" 2
expect_num "the guest resynced twice" "$(guest session resyncs)" 2

expect_eq "mailbox magic \"IVMB\" at 0x20000" "$(shm_bytes 0x20000 4)" "49 56 4d 42"
