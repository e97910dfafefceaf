# shellcheck shell=dash
# edu's INTx path: ioview.ko loaded with edu_msi=0 takes edu's interrupt pin
# (a shared line, requested IRQF_SHARED) instead of MSI, and the edu driver
# suite (ioview_edu_driver: factorial by interrupt, raised interrupts,
# their latency, DMA completions) runs on it. Each KTAP case is one result;
# the interrupt kind is checked in the driver's log line and in
# /proc/interrupts, and the latency is passed on as a diagnostic.

module_can_load "insmod ioview.ko edu_msi=0" || return 0

before=$(dmesg | wc -l)
expect_run "insmod ioview.ko edu_msi=0 selftest=1 selftest_suite=ioview_edu_driver" \
  insmod "$IOVM_MODULE" edu_msi=0 selftest=1 selftest_suite=ioview_edu_driver || return 0
expect_eq "edu_msi parameter reads back" "$(cat /sys/module/ioview/parameters/edu_msi 2>&1)" N

log=$IOVM_TMP/intx.log
dmesg | tail -n +"$((before + 1))" | sed 's/^\[[^]]*\] //' > "$log"
expect_eq "edu came up on its shared INTx line" "$(grep -c 'edu: ready: shared INTx interrupt' "$log")" 1 ||
  tap_diag "$(grep -F 'edu: ready' "$log")"
# An INTx vector is an IO-APIC line, never PCI-MSI.
irq_line=$(grep -E ' ioview$' /proc/interrupts)
case $irq_line in
  *IO-APIC*) tap_ok "/proc/interrupts shows ioview on an IO-APIC line" ;;
  *) tap_fail "/proc/interrupts shows ioview on an IO-APIC line" "got: ${irq_line:-no ioview line}" ;;
esac

# Each case: the "  # name: why" line before a failing one is its diagnostic.
ktap_cases "$log" > "$IOVM_TMP/intx.cases"
n=0
while IFS='	' read -r name verdict why; do
  n=$((n + 1))
  case $verdict in
    ok) tap_ok "INTx: ioview_edu_driver.$name" ;;
    skip) tap_fail "INTx: ioview_edu_driver.$name" "skipped: $why" ;;
    *) tap_fail "INTx: ioview_edu_driver.$name" "${why:-no diagnostic}" ;;
  esac
done < "$IOVM_TMP/intx.cases"
expect_eq "ioview_edu_driver reported its 11 cases on INTx" "$n" 11
expect_eq "ioview_edu_driver suite verdict on INTx" "$(grep -c '^ok 1 ioview_edu_driver$' "$log")" 1
for what in "interrupt raise to handler (INTx)" "factorial by interrupt (INTx)" "storm of"; do
  line=$(grep -F "ioview edu: $what" "$log")
  if [ -n "$line" ]; then
    tap_diag "$line"
  else
    tap_fail "the suite logged its $what figure" "$(cat "$log")"
  fi
done
# The handler ran only for edu: a foreign-interrupt count would show in the cases above,
# an unhandled line here.
expect_eq "no irq complaint on the shared line" "$(grep -E -e 'nobody cared|irq [0-9]+: ' "$log" | head -n 3)" ""
expect_run "rmmod ioview" rmmod ioview
