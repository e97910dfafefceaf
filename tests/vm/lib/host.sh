# shellcheck shell=bash
# Host-side helpers for NN-name.host-before.sh and NN-name.host.sh cases, on
# top of tap.sh. Host cases run under bash.
#
# Environment every host case gets (exported by run.sh):
#   IOVM_RELEASE    kernel release under test
#   IOVM_DIR        build/vm/<release>, this run's scratch directory
#   IOVM_SHM        the ivshmem backing file (fresh and zeroed each run)
#   IOVM_SHM_SIZE   its size in bytes
#   IOVM_CONSOLE    the guest's kernel console log (complete only after boot)
#   IOVM_RESULTS    the raw lines the guest sent on ttyS1
#   IOVM_TMP        scratch directory

# shm_write OFFSET BYTE...: writes bytes (hex, e.g. de ad be ef) into the
# ivshmem file at OFFSET without changing its size.
shm_write() {
  local off=$(($1)) fmt='' b
  shift
  for b in "$@"; do fmt+="\\x$b"; done
  # shellcheck disable=SC2059 # the format is the data, built from hex only
  printf "$fmt" | dd of="$IOVM_SHM" bs=1 seek="$off" conv=notrunc status=none
}

# shm_bytes OFFSET COUNT: the bytes at OFFSET as lower-case hex, space separated.
shm_bytes() {
  od -An -v -tx1 -j "$(($1))" -N "$(($2))" "$IOVM_SHM" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# le32 VALUE: the four bytes of a 32-bit VALUE in memory order (little-endian).
le32() {
  local v=$(($1))
  printf '%02x %02x %02x %02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255))
}
