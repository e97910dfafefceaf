# shellcheck shell=dash
# Unloading ioview.ko while it works: an on-demand self-test run (every
# suite: DMA, interrupts, unbinding and binding, BAR2 mappings) is started
# in the background and the module is removed under it, at three points of
# the run. rmmod must succeed, the writer must come back, nothing of the
# module may be left (driver directory, requested I/O memory, interrupt),
# and the kernel log scan (every case) must find no oops, WARN or checker
# report. The run's own verdicts are not judged: removed devices make its
# cases fail or skip, which is their job. A fresh load afterwards binds and
# works again.

param=/sys/module/ioview/parameters/selftest
for delay in 0.2 0.8 2; do
  module_can_load "unload ${delay}s into a self-test run: insmod" || return 0
  expect_run "unload ${delay}s into a self-test run: insmod" insmod "$IOVM_MODULE" || return 0
  sh -c "echo 1 > $param" > "$IOVM_TMP/unload-writer.log" 2>&1 &
  writer=$!
  sleep "$delay"
  expect_run "unload ${delay}s into a self-test run: rmmod" rmmod ioview
  wait "$writer"
  tap_diag "the self-test write ended with status $? after the unload"
  if module_loaded ioview; then
    tap_fail "unload ${delay}s into a self-test run: module gone" "$(grep '^ioview ' /proc/modules)"
  else
    tap_ok "unload ${delay}s into a self-test run: module gone"
  fi
  expect_eq "unload ${delay}s into a self-test run: no driver directory" \
    "$(ls -d "$IOVM_DRIVER_DIR" 2>/dev/null)" ""
  expect_eq "unload ${delay}s into a self-test run: no I/O memory requested by ioview" \
    "$(grep -c -F ioview /proc/iomem)" 0
  expect_eq "unload ${delay}s into a self-test run: no ioview interrupt" \
    "$(grep -c -E ' ioview$' /proc/interrupts)" 0
done

# And it comes back: a load binds both functions and its edu driver suite passes.
# The log already holds the verdicts of earlier cases' runs (35-intx runs this
# suite too): only the one this load adds counts.
verdicts() { dmesg | grep -c -E '^\[ *[0-9.]+\] ok 1 ioview_edu_driver$'; }
before=$(verdicts)
expect_run "insmod after the unloads" insmod "$IOVM_MODULE" selftest=1 selftest_suite=ioview_edu_driver || return 0
expect_eq "edu and ivshmem bound again" "$(ls "$IOVM_DRIVER_DIR" | grep -c '^0000:')" 2
expect_eq "the edu driver suite passes after the unloads" "$(($(verdicts) - before))" 1
expect_run "rmmod ioview" rmmod ioview
