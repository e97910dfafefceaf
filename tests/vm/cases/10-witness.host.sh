# shellcheck shell=bash
# Guest → host: what the guest wrote into BAR2 with devmem must be in the
# backing file, byte for byte, in little-endian order.

expect_eq "host sees guest word at 0x2000" "$(shm_bytes 0x2000 4)" "$(le32 0xC0FFEE42)"
expect_eq "host sees guest word at 0x2004" "$(shm_bytes 0x2004 4)" "$(le32 0x0BADF00D)"
expect_eq "host pattern at 0x1000 left intact" "$(shm_bytes 0x1000 8)" "78 56 34 12 ef be ad de"
# Nothing else written: outside the 64 KiB at 0x40000 that the benchmark
# case fills (checked by 50-bench.host.sh), the non-zero bytes are exactly
# the ones above.
expect_eq "no other byte of ivshmem changed" \
  "$({ od -An -v -tx1 -N $((0x40000)) "$IOVM_SHM"; od -An -v -tx1 -j $((0x50000)) "$IOVM_SHM"; } |
    tr -s ' ' '\n' | grep -cv -e '^00$' -e '^$')" 20
