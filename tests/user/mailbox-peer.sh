#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The host peer of the ivshmem mailbox (user/mailbox-peer.cpp) against a
# second copy of itself playing the guest, over a 1 MiB file like the VM's
# ivshmem.bin: both start orders, every transform, a file of garbage, a
# guest that scribbles an index or a slot mid-run, a guest that dies
# (heartbeat stall) and a clean stop on SIGTERM.  No VM, no module.
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
g2h_head=$((base + 0x100)) g2h_slot0=$((base + 0x180)) host_state=$((base + 0x80))

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
