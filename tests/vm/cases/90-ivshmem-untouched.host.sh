# shellcheck shell=bash
# After every case, each byte of the ivshmem file that no case is known to
# write is still zero. The known ranges, and the cases that check them:
#
#   0x01000-0x01007, 0x02000-0x02007, 0xfffe0-0xfffe3   10-witness
#   0x20000-0x281ff                                     60-mailbox, 65-shm-ctl
#                                                       (the mailbox, guest
#                                                       and host peers)
#   0x40000-0x4ffff                                     50-bench (bench=1)
#   0x80000-0x80fff, 0xc0000-0xcffff                    40-ivshmem-witness
#                                                       (written by the
#                                                       ioview_ivshmem_bar2
#                                                       self-tests)
#
# Each of those cases also checks its own part of the file; this one covers
# the whole of it, so a write that lands where no case looks is caught too.

expect_eq "ivshmem file kept its size" "$(stat -c %s "$IOVM_SHM")" "$IOVM_SHM_SIZE"
expect_shm_clean "no byte outside the known written ranges changed" 0 "$IOVM_SHM_SIZE" \
  0x1000:0x1008 0x2000:0x2008 0xfffe0:0xfffe4 0x20000:0x28200 0x40000:0x50000 0x80000:0x81000 0xc0000:0xd0000
