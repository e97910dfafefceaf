# shellcheck shell=dash source-path=SCRIPTDIR
# What `make run` shows: the module binding both devices and letting go of
# them. Prints for a person; exits non-zero if a step did not work.

# shellcheck source=../lib/tap.sh
. /lib/iovm/tap.sh
# shellcheck source=lib.sh
. /lib/iovm/lib.sh

status=0
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*"; status=1; }

# Kernel lines from the module not shown yet (the log only grows).
shown=0
show_new_kernel_lines() {
  dmesg | grep -F " ioview" > "$IOVM_TMP/klog.now"
  tail -n +$((shown + 1)) "$IOVM_TMP/klog.now" | sed "s/^/  /"
  shown=$(wc -l < "$IOVM_TMP/klog.now")
}

show_bound() {
  found=0
  for link in "$IOVM_DRIVER_DIR"/0000:*; do
    [ -e "$link" ] || continue
    found=$((found + 1))
    printf '  %s  %s:%s  rev %s  class %s\n' "${link##*/}" \
      "$(cat "$link/vendor")" "$(cat "$link/device")" \
      "$(cat "$link/revision")" "$(cat "$link/class")"
  done
  [ "$found" -gt 0 ] || echo "  (none)"
}

echo "ioview demo on Linux $IOVM_RELEASE ($(uname -m), QEMU TCG)"

step "PCI devices"
pci_list | sed 's/^/  /'

step "insmod ioview.ko"
if [ ! -e "$IOVM_MODULE" ]; then
  fail "ioview.ko is not in the initramfs: build the module for $IOVM_RELEASE first"
elif ! insmod "$IOVM_MODULE"; then
  fail "insmod exited with status $?"
fi
show_new_kernel_lines

step "devices bound to $IOVM_DRIVER_DIR"
show_bound

step "ioviewctl --version"
"$IOVM_CTL" --version 2>&1 | sed 's/^/  /' || fail "ioviewctl did not run"

step "rmmod ioview"
if module_loaded ioview; then
  rmmod ioview || fail "rmmod exited with status $?"
  show_new_kernel_lines
else
  echo "  (not loaded)"
fi
module_loaded ioview && fail "ioview is still in /proc/modules"

step "done"
exit "$status"
