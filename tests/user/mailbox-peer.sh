#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The host peer of the ivshmem mailbox (user/mailbox-peer.cpp) against a
# second copy of itself playing the guest, over a 1 MiB file like the VM's
# ivshmem.bin: both start orders, every transform, a file of garbage, a
# guest that scribbles an index or a slot mid-run, a guest that dies
# (heartbeat stall), a clean stop on SIGTERM, bad usage, and the --script
# steps a host's lifetime is played with (a pause the guest sees as a stall,
# a crash and a new instance the guest sees as a restart, a re-initialisation
# under the attached guest whose losses both sides count alike), with
# --numbered checking every message.  No VM, no module.
#
#   make build/user/mailbox-peer && tests/user/mailbox-peer.sh
#
# Prints TAP; exits 1 if anything failed.  Every run is bounded by the
# peer's own --timeout.
# shellcheck source-path=SCRIPTDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
peer=${MAILBOX_PEER:-$top/build/user/mailbox-peer}
# shellcheck source=../vm/lib/tap.sh
. "$top/tests/vm/lib/tap.sh"
# shellcheck source=../vm/lib/host.sh
. "$top/tests/vm/lib/host.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export IOVM_TAP_OUT=$tmp/tap IOVM_SHM=$tmp/ivshmem.bin IOVM_SHM_SIZE=1048576
: > "$IOVM_TAP_OUT"

# The offsets the layout documents (kmod/devices/ivshmem_mailbox.h), in the file.
base=0x20000
g2h_head=$((base + 0x100)) g2h_slot0=$((base + 0x180)) host_state=$((base + 0x80)) h2g_head=$((base + 0x4180))

# poke32 OFFSET VALUE: a little-endian u32 into the file, as a scribbling guest would.
poke32() {
  local bytes
  read -ra bytes <<< "$(le32 "$2")"
  shm_write "$1" "${bytes[@]}"
}

fresh() {
  rm -f "$IOVM_SHM"
  head -c "$IOVM_SHM_SIZE" /dev/zero > "$IOVM_SHM"
}

# stat OUTPUT LINE KEY: KEY's value on the summary line "mailbox-peer: LINE ...".
stat() {
  sed -n "s/^mailbox-peer: $2 .*\\b$3=\\([0-9]*\\).*/\\1/p" "$1"
}

# events ERR N: the first N peer events a run logged, in order, on one line.
events() {
  sed -n 's/^mailbox-peer: [0-9.]* s: peer \([a-z]*\)$/\1/p' "$1" | head -n "$2" | tr '\n' ' ' | sed 's/ $//'
}

# expect_status NAME GOT WANT OUTPUT...
expect_status() {
  if [ "$2" = "$3" ]; then
    tap_ok "$1"
  else
    tap_fail "$1" "exit status $2, want $3" "$(cat "${@:4}" 2>/dev/null | tail -12)"
  fi
}

if [ ! -x "$peer" ]; then
  tap_fail "mailbox-peer is built" "no $peer: make build/user/mailbox-peer"
else
  for order in guest-first host-first; do
    for mode in echo reverse upper; do
      fresh
      if [ "$order" = guest-first ]; then g_init=--init h_init=''; else g_init='' h_init=--init; fi
      # shellcheck disable=SC2086
      "$peer" "$IOVM_SHM" $h_init --mode $mode --count 3000 --timeout 20 > "$tmp/h.out" 2> "$tmp/h.err" &
      hp=$!
      [ "$order" = host-first ] && sleep 0.2
      # shellcheck disable=SC2086
      "$peer" "$IOVM_SHM" --side guest $g_init --ping 3000 --mode $mode --timeout 20 > "$tmp/g.out" 2> "$tmp/g.err"
      gs=$?
      wait $hp
      hs=$?
      expect_status "$order $mode: the guest checked 3000 replies" $gs 0 "$tmp/g.out" "$tmp/g.err"
      expect_status "$order $mode: the host answered 3000 messages" $hs 0 "$tmp/h.out" "$tmp/h.err"
      expect_num "$order $mode: bytes received = bytes sent back" "$(stat "$tmp/h.out" received bytes)" \
        "$(stat "$tmp/g.out" received bytes)"
      expect_num "$order $mode: no message dropped" "$(stat "$tmp/h.out" errors badmsg)" 0
      expect_shm_clean "$order $mode: nothing written outside the mailbox" 0 "$IOVM_SHM_SIZE" \
        "$base:$((base + 0x8200))"
    done
  done

  # A file of garbage: attach gives up (EPROTO), bounded by --attach-timeout.
  head -c "$IOVM_SHM_SIZE" /dev/urandom > "$IOVM_SHM"
  shm_write 0 de ad be ef
  "$peer" "$IOVM_SHM" --attach-timeout 0.3 --timeout 5 > "$tmp/h.out" 2> "$tmp/h.err"
  expect_status "garbage: attach fails" $? 1 "$tmp/h.err"
  expect_run "garbage: the reason is EPROTO" grep -q EPROTO "$tmp/h.err"
  fresh
  "$peer" "$IOVM_SHM" --attach-timeout 0.2 --timeout 5 > "$tmp/h.out" 2> "$tmp/h.err"
  expect_status "zeroed file: attach gives up after the attach timeout" $? 1 "$tmp/h.err"
  expect_run "zeroed file: the reason is EAGAIN (not initialised)" grep -q EAGAIN "$tmp/h.err"

  # Alone: an unbounded serve ends at the timeout, fine; a --count serve does not reach it.
  fresh
  "$peer" "$IOVM_SHM" --init --timeout 0.3 > "$tmp/h.out" 2> "$tmp/h.err"
  expect_status "alone: a serve without --count ends at the timeout" $? 0 "$tmp/h.out"
  expect_num "alone: the host's state is closed afterwards" "0x$(shm_bytes $host_state 1)" 2
  fresh
  "$peer" "$IOVM_SHM" --init --count 1 --timeout 0.3 > "$tmp/h.out" 2> "$tmp/h.err"
  expect_status "alone: --count 1 is not reached" $? 1 "$tmp/h.out"

  # A guest that publishes a slot with a bad length: dropped, counted, the host carries on.
  fresh
  "$peer" "$IOVM_SHM" --init --timeout 1 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  sleep 0.3
  poke32 $g2h_slot0 0x10000 # length
  poke32 $((g2h_slot0 + 4)) 0 # sequence
  poke32 $g2h_head 1
  wait $hp
  expect_status "bad length: the serve still ends normally" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_num "bad length: one slot dropped" "$(stat "$tmp/h.out" errors badmsg)" 1
  expect_num "bad length: nothing received" "$(stat "$tmp/h.out" received messages)" 0

  # A guest that moves its head far ahead: EPROTO, counted once, nothing read.
  fresh
  "$peer" "$IOVM_SHM" --init --timeout 1 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  sleep 0.3
  poke32 $g2h_head 0x7fffffff
  wait $hp
  expect_status "inconsistent head: the run fails" $? 1 "$tmp/h.out" "$tmp/h.err"
  expect_num "inconsistent head: one EPROTO episode" "$(stat "$tmp/h.out" errors proto)" 1
  expect_num "inconsistent head: nothing received" "$(stat "$tmp/h.out" received messages)" 0

  # The same, repaired by the guest while the host waits: it resyncs and serves again.
  fresh
  "$peer" "$IOVM_SHM" --init --count 50 --timeout 10 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  sleep 0.3
  poke32 $g2h_head 0x7fffffff
  sleep 0.2
  poke32 $g2h_head 0
  "$peer" "$IOVM_SHM" --side guest --ping 50 --timeout 10 > "$tmp/g.out" 2> "$tmp/g.err"
  gs=$?
  wait $hp
  expect_status "repaired head: the guest's pings are answered" $gs 0 "$tmp/g.out" "$tmp/g.err"
  expect_num "repaired head: the host counted the episode" "$(stat "$tmp/h.out" errors proto)" 1
  expect_run "repaired head: the host resynchronised" grep -q resynchronised "$tmp/h.err"

  # A guest that dies (SIGKILL: no chance to say closed): its heartbeat stops.
  fresh
  "$peer" "$IOVM_SHM" --init --stall-ms 200 --timeout 1.5 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 100000000 --timeout 10 > /dev/null 2>&1 &
  gp=$!
  sleep 0.4
  kill -KILL $gp
  wait $gp 2> /dev/null
  wait $hp
  expect_status "dead guest: the serve ends at its timeout" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_num "dead guest: seen arriving" "$(stat "$tmp/h.out" peer arrived)" 1
  expect_num "dead guest: seen stalled" "$(stat "$tmp/h.out" peer stalled)" 1
  expect_num "dead guest: never seen leaving" "$(stat "$tmp/h.out" peer left)" 0

  # Usage: --count and --script are one or the other, --ping does not take a script, steps are checked.
  for bad in "--count 5 --script echo:1" "--script echo:1 --count 5" "--ping 5 --script echo:1" \
    "--script echo:0" "--script pause" "--script idle:x" "--script init:3" "--script echo:1," "--script nap:5" \
    "--script garbage:3" "--numbered x"; do
    # shellcheck disable=SC2086 # the options are split on purpose
    "$peer" "$IOVM_SHM" $bad > /dev/null 2> "$tmp/h.err"
    expect_status "usage: '$bad' is refused" $? 2 "$tmp/h.err"
  done

  # --numbered: the self-test's messages, checked one by one; a wrong first number is caught.
  fresh
  "$peer" "$IOVM_SHM" --init --count 300 --numbered 1000 --timeout 10 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 300 --numbered 1000 --timeout 10 > "$tmp/g.out" 2> "$tmp/g.err"
  gs=$?
  wait $hp
  expect_status "numbered: the guest checked 300 replies" $gs 0 "$tmp/g.out" "$tmp/g.err"
  expect_status "numbered: the host checked and answered 300 messages" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_num "numbered: none out of order" "$(stat "$tmp/h.out" errors mismatch)" 0
  expect_num "numbered: none missing" "$(stat "$tmp/h.out" errors gaps)" 0
  expect_num "numbered: the next expected is 1300" "$(stat "$tmp/h.out" numbered next)" 1300
  fresh
  "$peer" "$IOVM_SHM" --init --numbered 5 --timeout 1 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 10 --numbered 0 --timeout 0.5 > /dev/null 2>&1
  wait $hp
  expect_status "numbered from the wrong number: the serve fails" $? 1 "$tmp/h.out" "$tmp/h.err"
  expect_num "numbered from the wrong number: messages 0 to 4 are mismatches" "$(stat "$tmp/h.out" errors mismatch)" 5

  # pause: the host stops for 700 ms; the guest sees it stall (300 ms) and resume, and gets
  # every reply.  The host idles 200 ms before it leaves, so that the guest, which looks at
  # it once a millisecond and pings 1000 more to keep looking, sees the heartbeat move
  # again before the host is gone.
  fresh
  "$peer" "$IOVM_SHM" --init --script echo:50,pause:700,echo:50,idle:200,echo:1000 --timeout 10 \
    > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 1100 --stall-ms 300 --timeout 10 > "$tmp/g.out" 2> "$tmp/g.err"
  gs=$?
  wait $hp
  expect_status "pause: the host played its script" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_status "pause: the guest checked 1100 replies" $gs 0 "$tmp/g.out" "$tmp/g.err"
  expect_num "pause: the host paused once" "$(stat "$tmp/h.out" script pauses)" 1
  expect_eq "pause: the guest saw it arrive, stall and resume" "$(events "$tmp/g.err" 3)" "arrived stalled resumed"

  # crash: the host dies after 150 answers (and a 50 ms pause, so that the guest has seen
  # it), its state left ready; a new one attaches and serves the rest, the messages sent
  # meanwhile included.  The guest sees a restart, not a departure.
  fresh
  "$peer" "$IOVM_SHM" --side guest --init --ping 300 --timeout 10 > "$tmp/g.out" 2> "$tmp/g.err" &
  gp=$!
  "$peer" "$IOVM_SHM" --script echo:150,pause:50,crash --timeout 10 > "$tmp/h.out" 2> "$tmp/h.err"
  expect_status "crash: the crash step exits 0" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_num "crash: the host's state is left ready" "0x$(shm_bytes $host_state 1)" 1
  expect_run "crash: the summary says so" grep -q 'crashed on purpose' "$tmp/h.out"
  # It idles first: the guest looks at the host once a millisecond, the 150 take less.
  "$peer" "$IOVM_SHM" --script idle:50,echo:150 --timeout 10 > "$tmp/h2.out" 2> "$tmp/h2.err"
  expect_status "crash: the next host answers the other 150" $? 0 "$tmp/h2.out" "$tmp/h2.err"
  wait $gp
  expect_status "crash: the guest checked 300 replies" $? 0 "$tmp/g.out" "$tmp/g.err"
  expect_eq "crash: the guest saw the host arrive, then restart" "$(events "$tmp/g.err" 2)" "arrived restarted"

  # init: the host re-initialises the mailbox under the attached guest after 100 answers.
  # What it discards unread is exactly what the guest counts lost and the host's
  # --numbered check sees missing; every other message arrives intact, once.
  fresh
  "$peer" "$IOVM_SHM" --init --script echo:100,init,echo:100 --numbered 0 --timeout 10 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 200 --numbered 0 --timeout 10 > "$tmp/g.out" 2> "$tmp/g.err"
  gs=$?
  wait $hp
  expect_status "init: the host played its script" $? 0 "$tmp/h.out" "$tmp/h.err"
  expect_status "init: the guest checked 200 replies" $gs 0 "$tmp/g.out" "$tmp/g.err"
  discarded=$(stat "$tmp/h.out" script discarded_unread)
  expect_num "init: the host re-initialised once" "$(stat "$tmp/h.out" script inits)" 1
  expect_num "init: the guest counted lost what the host discarded ($discarded)" "$(stat "$tmp/g.out" errors lost)" "$discarded"
  expect_num "init: the host saw as many missing" "$(stat "$tmp/h.out" errors gaps)" "$discarded"
  expect_num "init: no reply of the guest's was discarded" "$(stat "$tmp/h.out" script discarded_unconsumed)" 0
  expect_num "init: the host waited for the guest without running out" "$(stat "$tmp/h.out" script quiet_timeouts)" 0
  expect_num "init: no message out of order or corrupt" "$(stat "$tmp/h.out" errors mismatch)" 0
  expect_num "init: the guest sent 200 plus the lost" "$(stat "$tmp/g.out" sent messages)" $((200 + discarded))
  expect_num "init: the guest resynced once" "$(stat "$tmp/g.out" peer reinitialised)" 1

  # garbage: after the guest's first message the host writes its head past the ring and
  # waits for the guest's second, which a --ping 1 guest never sends (the VM's self-test
  # peer_garbage plays the whole protocol): the guest refuses the head (EPROTO) and gets no
  # reply, the step gives up after its 5 s with the head put back, and the host fails.
  fresh
  "$peer" "$IOVM_SHM" --init --script garbage --numbered 0 --timeout 20 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  "$peer" "$IOVM_SHM" --side guest --ping 1 --numbered 0 --timeout 3 > "$tmp/g.out" 2> "$tmp/g.err"
  gs=$?
  wait $hp
  expect_status "garbage: a guest that does not follow fails the step" $? 1 "$tmp/h.out" "$tmp/h.err"
  expect_run "garbage: the host says which item" grep -q 'a head past the ring: the peer did not go through it' "$tmp/h.err"
  expect_status "garbage: the guest got no reply" $gs 1 "$tmp/g.out" "$tmp/g.err"
  expect_num "garbage: the guest refused the head as inconsistent" "$(stat "$tmp/g.out" errors proto)" 1
  expect_num "garbage: the guest received nothing" "$(stat "$tmp/g.out" received messages)" 0
  expect_eq "garbage: the host's head is put back" "$(shm_bytes $h2g_head 4)" "00 00 00 00"

  # SIGTERM: a clean stop, the summary, the state closed.
  fresh
  "$peer" "$IOVM_SHM" --init --timeout 10 > "$tmp/h.out" 2> "$tmp/h.err" &
  hp=$!
  sleep 0.3
  kill -TERM $hp
  wait $hp
  expect_status "SIGTERM: a clean stop" $? 0 "$tmp/h.out"
  expect_run "SIGTERM: the summary says interrupted" grep -q interrupted "$tmp/h.out"
  expect_num "SIGTERM: the host's state is closed" "0x$(shm_bytes $host_state 1)" 2
fi

n=0 failed=0
while IFS= read -r line; do
  case $line in
    'ok - '*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
    'not ok - '*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - ${line#not ok - }" ;;
    *) echo "$line" ;;
  esac
done < "$IOVM_TAP_OUT"
echo "1..$n"
echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
