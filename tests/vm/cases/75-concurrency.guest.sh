# shellcheck shell=dash
# The netlink family under concurrent load (build/user/nlstress,
# tests/stress/netlink): 8 clients, each with its own session, issue a seeded
# random mix of requests on edu and ivshmem for a bounded time, every reply
# checked, while a listener in the events group checks the sequence numbers;
# then the counters' deltas must equal the clients' sums and the event stream
# must account for them (nlstress.cpp says how each counter adds up). Two
# runs: the normal mix, and a storm (half the clients raising interrupts in a
# tight loop, edu's own completion bits among them, while the other half run
# factorials by interrupt and DMA round trips, each result checked). Then the
# same storm from the command line: ioviewctl edu irq raise in a loop while
# ioviewctl edu fact --irq runs, each result and the counters checked.
#
# Each of nlstress's checks is one result; its figures (ops/s per request
# kind and in all, the counters' deltas, events seen and lost, and why) are
# diagnostics. The debug kernel runs each request 20-40 times slower: its
# runs are shorter in operations (not in seconds) and its watchdog longer.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
if [ ! -x /usr/bin/nlstress ]; then
  tap_fail "nlstress present" "build/user/nlstress was missing on the host"
  return 0
fi
module_can_load "concurrency: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

# Bounded in seconds, so the case takes about normal_s + storm_s plus a few seconds of
# markers and the shell loop, whatever the machine's speed.
case $IOVM_RELEASE in
  *-ioview-debug) normal_s=12 storm_s=6 watchdog=60 loop_facts=10 ;;
  *) normal_s=6 storm_s=4 watchdog=20 loop_facts=20 ;;
esac
# A new seed each run, printed with the figures so that a failure can be replayed.
seed=$(($(date +%s) % 100000))

# stress MIX SECONDS: one nlstress run; each "check" line one result named after MIX.
stress() {
  _s_out=$IOVM_TMP/nlstress.$1
  nlstress --mix "$1" --seconds "$2" --seed "$seed" --threads 8 --watchdog "$watchdog" > "$_s_out" 2>&1
  _s_rc=$?
  tap_diag "$(grep -v -e '^nlstress: check ' -e '^nlstress: finding ' "$_s_out" | sed "s/^nlstress: /$1: /")"
  sed -n 's/^nlstress: check \(ok\|FAIL\|skip\) \([^:]*\): \(.*\)$/\1\t\2\t\3/p' "$_s_out" > "$_s_out.checks"
  while IFS='	' read -r verdict name detail; do
    case $verdict in
      ok) tap_ok "$1: $name"; tap_diag "$1: $name: $detail" ;;
      skip) tap_skip "$1: $name" "$detail" ;;
      *) tap_fail "$1: $name" "$detail" "$(grep '^nlstress: finding ' "$_s_out")" ;;
    esac
  done < "$_s_out.checks"
  expect_eq "$1: nlstress exit status" "$_s_rc" 0 || tap_diag "$(tail -n 5 "$_s_out")"
  expect_eq "$1: nlstress reported its result" "$(grep -c '^nlstress: result ok$' "$_s_out")" 1
}
stress normal "$normal_s"
stress storm "$storm_s"

# The storm from the command line: one raise a process, as fast as the shell starts them,
# while factorials by interrupt run one after the other; every result and the counters.
stat() {
  "$IOVM_CTL" -j stats "$edu" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}
f0=$(stat factorials) t0=$(stat timeouts) b0=$(stat busy)
stop=$IOVM_TMP/raise.stop
rm -f "$stop"
(
  n=0
  while [ ! -e "$stop" ]; do
    "$IOVM_CTL" edu irq raise "$edu" $(((n % 2) ? 0x1 : 0x102)) || echo "raise $n failed" >> "$IOVM_TMP/raise.err"
    n=$((n + 1))
  done
  echo "$n" > "$IOVM_TMP/raise.count"
) &
wrong=0 i=0
while [ "$i" -lt "$loop_facts" ]; do
  n=$((i % 13))
  want=1 k=2
  while [ "$k" -le "$n" ]; do want=$((want * k)); k=$((k + 1)); done
  got=$("$IOVM_CTL" -j edu fact "$edu" "$n" --irq 2>&1)
  case $got in
    *"\"value\":$want}"*) ;;
    *) wrong=$((wrong + 1)); [ "$wrong" -gt 1 ] || tap_diag "ioviewctl storm: $n! gave: $got" ;;
  esac
  i=$((i + 1))
done
touch "$stop"
wait
expect_eq "ioviewctl storm: $loop_facts factorials by interrupt right under raises" "$wrong" 0
expect_eq "ioviewctl storm: every raise accepted" "$(cat "$IOVM_TMP/raise.err" 2>/dev/null)" ""
tap_diag "ioviewctl storm: $(cat "$IOVM_TMP/raise.count" 2>/dev/null) raises during $loop_facts factorials"
expect_num "ioviewctl storm: factorials counted" "$(stat factorials)" "$((f0 + loop_facts))"
expect_num "ioviewctl storm: no timeout counted" "$(stat timeouts)" "$t0"
expect_num "ioviewctl storm: no busy counted" "$(stat busy)" "$b0"

expect_run "rmmod" rmmod ioview
