# shellcheck shell=dash
# ioview.ko loads, binds edu and ivshmem, says so in the kernel log, and lets
# go of both on rmmod. ioviewctl runs (its shared libraries are all there).

edu=$(pci_find_one "edu present" 0x1234 0x11e8)
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110)

if [ ! -e "$IOVM_MODULE" ]; then
  tap_fail "insmod ioview.ko" \
    "ioview.ko is not in the initramfs: build/kmod/$IOVM_RELEASE/kmod/ioview.ko was missing on the host"
else
  expect_run "insmod ioview.ko" insmod "$IOVM_MODULE"
fi

# expect_bound NAME BDF
expect_bound() {
  if [ -n "$2" ] && [ -e "$IOVM_DRIVER_DIR/$2" ]; then
    tap_ok "$1 bound to ioview"
  else
    tap_fail "$1 bound to ioview" "no $IOVM_DRIVER_DIR/$2" "$(pci_list)"
  fi
}

# expect_klog NAME TEXT: TEXT appears in exactly one kernel log line.
expect_klog() {
  expect_eq "$1" "$(dmesg_count "$2")" 1 ||
    tap_diag "looked for: '$2'" "ioview lines:" "$(dmesg | grep -F ioview)"
}

expect_bound edu "$edu"
expect_bound ivshmem "$shm"
expect_klog "dmesg: bound edu" "ioview $edu: bound edu 1234:11e8 rev 0x10"
expect_klog "dmesg: bound ivshmem" "ioview $shm: bound ivshmem 1af4:1110 rev 0x01"

if [ -x "$IOVM_CTL" ]; then
  ver=$("$IOVM_CTL" --version 2>&1)
  rc=$?
  case $rc in
    0) case $ver in
         'ioviewctl '?*) tap_ok "ioviewctl --version"; tap_diag "$ver" ;;
         *) tap_fail "ioviewctl --version" "unexpected output: $ver" ;;
       esac ;;
    *) tap_fail "ioviewctl --version" "exit status $rc" "$ver" ;;
  esac
else
  tap_fail "ioviewctl --version" \
    "ioviewctl is not in the initramfs: build/user/ioviewctl was missing on the host"
fi

expect_run "rmmod ioview" rmmod ioview
expect_klog "dmesg: unbound edu" "ioview $edu: unbound edu"
expect_klog "dmesg: unbound ivshmem" "ioview $shm: unbound ivshmem"

left=$(for l in "$IOVM_DRIVER_DIR"/0000:*; do [ ! -e "$l" ] || echo "${l##*/}"; done)
expect_eq "no device left bound to ioview" "$left" ""
if module_loaded ioview; then
  tap_fail "ioview gone from /proc/modules" "$(grep '^ioview ' /proc/modules)"
else
  tap_ok "ioview gone from /proc/modules"
fi
