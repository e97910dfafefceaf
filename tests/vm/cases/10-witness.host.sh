# shellcheck shell=bash
# Guest → host: what the guest wrote into BAR2 with devmem must be in the
# backing file, byte for byte, in little-endian order.

expect_eq "host sees guest word at 0x2000" "$(shm_bytes 0x2000 4)" "$(le32 0xC0FFEE42)"
expect_eq "host sees guest word at 0x2004" "$(shm_bytes 0x2004 4)" "$(le32 0x0BADF00D)"
expect_eq "host pattern at 0x1000 left intact" "$(shm_bytes 0x1000 8)" "78 56 34 12 ef be ad de"
# Nothing else written in this case's part of the file, the first and the
# last 64 KiB (40-ivshmem-witness checks the rest, 90-ivshmem-untouched the
# whole): the non-zero bytes there are exactly the ones above.
expect_shm_clean "no other byte in 0x0-0xffff changed" 0 0x10000 0x1000:0x1008 0x2000:0x2008
expect_shm_clean "no other byte in 0xf0000-0xfffff changed" 0xf0000 0x100000 0xfffe0:0xfffe4
