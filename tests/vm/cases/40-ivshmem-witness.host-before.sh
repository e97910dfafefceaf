# shellcheck shell=bash
# Fills the two ranges the ioview_ivshmem_bar2 self-tests (30-selftest) must
# overwrite with 0xff, so that 40-ivshmem-witness.host.sh also catches a
# byte the kernel never wrote where the pattern happens to be zero (the
# rest of the file starts zeroed).

shm_fill 0x80000 0x1000 ff
shm_fill 0xc0000 0x10000 ff
