# shellcheck shell=dash
# iovm-case-timeout: 660 1800
# The netlink fuzzer (tests/fuzz/netlink/nlfuzz.cpp; its top comment says what
# it sends, how every answer is judged and which requests it lets change the
# devices) against ioview.ko: fixed seeds, as root then as nobody, every
# message answered as the kernel must answer it. Then the module still works
# (the device list, a factorial, a DMA round trip, the counters), nobody's
# run changed nothing (counters, configuration space, registers), the run is
# reproducible (a dry run of the same seed generates the same bytes), and a
# stale completion interrupt no longer ends a factorial early (the bug the
# fuzzer found, --stale-irq). The kernel log scan catches any oops, WARN,
# KASAN or lockdep report the messages provoke.
#
# Counts: 100000 datagrams (some 123000 messages) as root and 20000 as nobody
# on every kernel, all of them required. They took about 60 s and 5 s on 6.1
# and 50 s and 4 s on 6.12 here, 152 s as root on 6.12 at load 9; the debug kernel answers 270-320 a second
# under TCG (KASAN, lockdep and kmemleak on every message) and half that while
# the machine is busy, so 6 to 12 minutes as root there. The budgets
# (--seconds) only bound a run on a stalled kernel: a run they cut short sends
# fewer datagrams than required and fails. Hence the case's own timeouts of
# 660 s and, on a KASAN kernel, 1800 s (the default is 60 and 180).

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
for tool in /usr/bin/nlfuzz "$IOVM_CTL"; do
  if [ ! -x "$tool" ]; then
    tap_fail "$tool present" "it was not built on the host"
    return 0
  fi
done
module_can_load "fuzz: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

# A failure names the seed and the message's index; `nlfuzz --seed S --start I
# --count 1 --verbose` replays that message alone.
root_seed=20251201 nobody_seed=20251202
root_count=100000 nobody_count=20000
if [ "${IOVM_KASAN:-n}" = y ]; then
  root_seconds=1200 nobody_seconds=240
else
  root_seconds=480 nobody_seconds=120
fi
out=$IOVM_TMP/nlfuzz.out
grep -q '^nobody:' /etc/passwd 2> /dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd

# summary FILE: the fuzzer's figures as TAP diagnostics, its failures (and the
# hex of what it sent) included, the per-message lines of --verbose not.
summary() {
  tap_diag "$(grep '^nlfuzz: ' "$1" | head -n 60)"
}
# sent FILE: how many datagrams the run in FILE sent.
sent() {
  sed -n 's/^nlfuzz: sent \([0-9]*\) datagrams.*/\1/p' "$1"
}
# fuzzed NAME COUNT FILE RC: the run exited 0, sent COUNT datagrams and
# counted no failure.
fuzzed() {
  expect_eq "$1: nlfuzz exit status" "$4" 0
  expect_eq "$1: datagrams sent" "$(sent "$3")" "$2"
  expect_eq "$1: failures" "$(sed -n 's/^nlfuzz: failures //p' "$3")" 0
}
# value OF ARGS...: the last word of ioviewctl ARGS (a register's or config byte's value).
value() {
  "$IOVM_CTL" "$@" 2>&1 | awk '{ v = $NF } END { print v }'
}

irq_line_edu=$(value config read "$edu" 0x3c 8)
irq_line_shm=$(value config read "$shm" 0x3c 8)

/usr/bin/nlfuzz --seed "$root_seed" --count "$root_count" --seconds "$root_seconds" > "$out" 2>&1
rc=$?
summary "$out"
fuzzed "as root" "$root_count" "$out" "$rc"
expect_eq "as root: the fuzzer ran with CAP_NET_ADMIN" \
  "$(grep -c "^nlfuzz: seed $root_seed start 0 count $root_count as uid 0 (CAP_NET_ADMIN)$" "$out")" 1
# The same seed generates the same bytes: the first 1000 datagrams again, without sending.
/usr/bin/nlfuzz --seed "$root_seed" --count 1000 --dry-run > "$out.dry" 2>&1
expect_eq "as root: a dry run of the seed generates the same first 1000 datagrams" \
  "$(sed -n 's/^nlfuzz: digest \([0-9a-f]*\)$/\1/p' "$out.dry")" \
  "$(sed -n 's/^nlfuzz: digest of the first 1000 //p' "$out")"
expect_eq "interrupt line of edu restored after the run" "$(value config read "$edu" 0x3c 8)" "$irq_line_edu"
expect_eq "interrupt line of ivshmem restored after the run" "$(value config read "$shm" 0x3c 8)" "$irq_line_shm"

# As nobody, with what root sees before and after: no counter, configuration
# byte or register may move (every admin operation is EPERM before its
# handler runs; the fuzzer checks each answer, this the state).
device_state "$edu" "$shm" > "$IOVM_TMP/nlfuzz.before"
su -s /bin/sh nobody -c "/usr/bin/nlfuzz --seed $nobody_seed --count $nobody_count --seconds $nobody_seconds" \
  > "$out" 2>&1
rc=$?
summary "$out"
fuzzed "as nobody" "$nobody_count" "$out" "$rc"
expect_eq "as nobody: the fuzzer ran without CAP_NET_ADMIN" \
  "$(grep -c "^nlfuzz: seed $nobody_seed start 0 count $nobody_count as uid 65534 (unprivileged)$" "$out")" 1
device_state "$edu" "$shm" > "$IOVM_TMP/nlfuzz.after"
if cmp -s "$IOVM_TMP/nlfuzz.before" "$IOVM_TMP/nlfuzz.after"; then
  tap_ok "as nobody: counters, configuration spaces and registers unchanged"
else
  tap_fail "as nobody: counters, configuration spaces and registers unchanged" \
    "$(diff "$IOVM_TMP/nlfuzz.before" "$IOVM_TMP/nlfuzz.after" | head -n 20)"
fi
su -s /bin/sh nobody -c "/usr/bin/nlfuzz --seed $nobody_seed --count $(sent "$out") --dry-run" > "$out.dry" 2>&1
expect_eq "as nobody: a dry run of the seed generates the same datagrams" \
  "$(sed -n 's/^nlfuzz: digest \([0-9a-f]*\)$/\1/p' "$out.dry")" "$(sed -n 's/^nlfuzz: digest \([0-9a-f]*\)$/\1/p' "$out")"

# The bug the fuzzer found: a completion interrupt that is not the running
# factorial's (a raised factorial bit, a raw start of the unit) ended the next
# factorial by interrupt at once with ETIMEDOUT, in about 1 round in 50.
/usr/bin/nlfuzz --stale-irq 300 > "$out" 2>&1
rc=$?
tap_diag "$(cat "$out")"
expect_eq "a stale factorial interrupt ends no factorial (300 rounds)" "$rc" 0

# The module still works.
expect_run "after the fuzzing: dev show" "$IOVM_CTL" dev show &&
  expect_eq "after the fuzzing: both functions listed" "$("$IOVM_CTL" dev show | grep -c -e "$edu" -e "$shm")" 2
expect_eq "after the fuzzing: edu fact 5" "$("$IOVM_CTL" edu fact "$edu" 5 2>&1)" "5! = 120"
expect_eq "after the fuzzing: edu dma round trip" \
  "$("$IOVM_CTL" edu dma "$edu" roundtrip 16 0a0b0c0d --hex 2>&1 | tail -n 1)" "round trip: 4 bytes came back as written"
expect_run "after the fuzzing: stats" "$IOVM_CTL" stats

expect_run "rmmod" rmmod ioview
