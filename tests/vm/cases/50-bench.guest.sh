# shellcheck shell=dash
# The in-kernel micro-benchmark: ioview.ko loaded with bench=1 times an edu
# register read through a view against readl(), and a 64 KiB memcpy_toio()
# into ivshmem's BAR2 through a view against the C call, in the same run.
# The figures are reported as TAP diagnostics, not asserted: under TCG only
# their ratios mean anything. What is checked is that both benchmarks ran,
# that each printed a complete figure line, and that the module unloads.
# Then the netlink family's figures, from build/user/nlbench (see below).

module_can_load "insmod ioview.ko bench=1" || return 0

before=$(dmesg | wc -l)
expect_run "insmod ioview.ko bench=1" insmod "$IOVM_MODULE" bench=1 || return 0
lines=$IOVM_TMP/bench.lines
dmesg | tail -n +"$((before + 1))" | sed -n 's/^\[[^]]*\] ioview bench: //p' > "$lines"
tap_diag "$(sed 's/^/bench: /' "$lines")"

ratio='ratio [0-9][0-9]*\.[0-9][0-9] '
if grep -q "^mmio_read32 edu BAR0+0x04: view [0-9]* ns/op, C readl [0-9]* ns/op, $ratio" "$lines"; then
  tap_ok "bench mmio_read32 figure"
else
  tap_fail "bench mmio_read32 figure" "$(cat "$lines")"
fi
if grep -q "^memcpy_toio_64k ivshmem BAR2: view [0-9]* ns/copy ([0-9]* MiB/s), C [0-9]* ns/copy ([0-9]* MiB/s), $ratio" "$lines"; then
  tap_ok "bench memcpy_toio_64k figure"
else
  tap_fail "bench memcpy_toio_64k figure" "$(cat "$lines")"
fi
expect_eq "bench reports both ran" "$(grep '^done' "$lines")" "done: 2 of 2 ran"
expect_eq "bench found no disagreement or error" "$(grep -c -e disagreement -e error "$lines")" 0
expect_run "rmmod ioview" rmmod ioview

# The netlink family from one process (build/user/nlbench, tests/bench/netlink):
# config reads of 4, 64 and 256 bytes over netlink, on three clients, against
# preads of the sysfs config file in the same run, edu register reads, and the latency from an edu-irq-raise
# request to its interrupt event at a listener of the events group. Printed
# as "bench: ..." diagnostics; only the lines' presence is checked.
nlbench=/usr/bin/nlbench
if [ ! -x "$nlbench" ]; then
  tap_fail "nlbench present" "build/user/nlbench was missing on the host"
  return 0
fi
edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
expect_run "insmod ioview.ko for the netlink figures" insmod "$IOVM_MODULE" || return 0
nl=$IOVM_TMP/bench.netlink
# figure NAME ARGS...: nlbench ARGS ran and its lines are in $nl.
figure() {
  _f_name=$1
  shift
  if "$nlbench" "$@" > "$nl" 2>&1; then
    tap_diag "$(sed 's/^/bench: /' "$nl")"
    tap_ok "$_f_name"
  else
    tap_fail "$_f_name" "nlbench $* failed:" "$(cat "$nl")"
    return 1
  fi
}
# The debug kernel runs a request ~40 times slower than Debian's: 400 reads
# per client and length keep its share of the case timeout.
case $IOVM_RELEASE in
  *-ioview-debug) config_reads=400 ;;
  *) config_reads=2000 ;;
esac
figure "netlink config reads against sysfs preads" config "$edu" "$config_reads" &&
  expect_eq "the config figure: three clients against pread at each of three lengths" \
    "$(grep -c -E '^config (4|64|256) bytes: netlink (session|no-ack|lean) [0-9]+ ops/s .*, ratio [0-9]+\.[0-9][0-9]$' "$nl")" 9 &&
  expect_eq "the config figure: pread at each length and the round trip floor" \
    "$(grep -c -E '^(config (4|64|256) bytes: sysfs pread|unknown command refused by the genl core, lean:) [0-9]+ ops/s' "$nl")" 4
figure "netlink register reads" reg "$edu" liveness 2000 &&
  expect_eq "the register figure" "$(grep -c '^netlink reg-read liveness of .*: [0-9]* ops/s' "$nl")" 1
figure "netlink event latency" event "$edu" 50 &&
  expect_eq "the latency figure, 50 raises" "$(grep -c '^event latency, .* 50 raises: median [0-9]* us' "$nl")" 1
expect_run "rmmod ioview after the netlink figures" rmmod ioview
