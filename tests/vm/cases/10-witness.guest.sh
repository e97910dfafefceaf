# shellcheck shell=dash
# The ivshmem witness, both ways, with /dev/mem only (no ioview module yet):
# the host pre-filled the backing file (10-witness.host-before.sh), the guest
# reads that and writes its own pattern, which 10-witness.host.sh checks.
# Also reads edu's identification register the same way.

if module_loaded ioview; then
  tap_fail "ioview not loaded yet" "this case must run before any case loads the module"
  return 0
fi

edu=$(pci_find_one "edu present" 0x1234 0x11e8) && tap_ok "edu present" && tap_diag "edu at $edu"
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) && tap_ok "ivshmem present" && tap_diag "ivshmem at $shm"

if [ -n "$edu" ]; then
  bar0=$(pci_bar_start "$edu" 0)
  expect_num "edu BAR0 identification register via devmem" \
    "$(mmio_read 32 "$bar0" 2>&1)" 0x010000ED
  # liveness reads back the complement of what was written
  mmio_write 32 "$bar0 + 4" 0x12345678
  expect_num "edu liveness register via devmem" \
    "$(mmio_read 32 "$bar0 + 4" 2>&1)" 0xEDCBA987
fi

[ -n "$shm" ] || return 0
bar2=$(pci_bar_start "$shm" 2)
if [ -z "$bar2" ]; then
  tap_fail "ivshmem BAR2 address" "no BAR2 in /sys/bus/pci/devices/$shm/resource" \
    "$(cat "/sys/bus/pci/devices/$shm/resource")"
  return 0
fi
tap_diag "ivshmem $shm BAR2 at $bar2"

# host → guest
expect_num "host pattern, word at 0x1000" "$(mmio_read 32 "$bar2 + 0x1000" 2>&1)" 0x12345678
expect_num "host pattern, word at 0x1004" "$(mmio_read 32 "$bar2 + 0x1004" 2>&1)" 0xDEADBEEF
expect_num "host pattern, byte at 0x1000 (little-endian)" "$(mmio_read 8 "$bar2 + 0x1000" 2>&1)" 0x78
expect_num "host pattern, word at 0xfffe0 (last page)" "$(mmio_read 32 "$bar2 + 0xfffe0" 2>&1)" 0xCAFED00D

# guest → host, checked by 10-witness.host.sh
expect_run "guest writes 0xC0FFEE42 at 0x2000" mmio_write 32 "$bar2 + 0x2000" 0xC0FFEE42
expect_run "guest writes 0x0BADF00D at 0x2004" mmio_write 32 "$bar2 + 0x2004" 0x0BADF00D
