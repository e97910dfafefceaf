# shellcheck shell=bash
# Host → guest: bytes the guest must find in ivshmem's BAR2 before any driver
# touches the device. Offsets and values are repeated in 10-witness.guest.sh.

# 8 bytes at 0x1000: the guest reads them as two 32-bit words and one byte.
shm_write 0x1000 78 56 34 12 ef be ad de
# Near the end of the 1 MiB region: proves the whole BAR maps the file.
# (Not the very last word: busybox devmem then maps the next page too, which
# is the IOAPIC here, and /dev/mem refuses it.)
shm_write 0xfffe0 0d d0 fe ca
