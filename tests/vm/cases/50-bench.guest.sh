# shellcheck shell=dash
# The in-kernel micro-benchmark: ioview.ko loaded with bench=1 times an edu
# register read through a view against readl(), and a 64 KiB memcpy_toio()
# into ivshmem's BAR2 through a view against the C call, in the same run.
# The figures are reported as TAP diagnostics, not asserted: under TCG only
# their ratios mean anything. What is checked is that both benchmarks ran,
# that each printed a complete figure line, and that the module unloads.

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
