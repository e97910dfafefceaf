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

# shm_fill OFFSET COUNT BYTE: COUNT copies of BYTE (hex, e.g. ff) into the
# ivshmem file at OFFSET without changing its size.
shm_fill() {
  local off=$(($1)) count=$(($2)) oct
  oct=$(printf '\\%03o' $((0x$3)))
  head -c "$count" /dev/zero | tr '\0' "$oct" |
    dd of="$IOVM_SHM" bs=65536 iflag=fullblock seek="$off" oflag=seek_bytes conv=notrunc status=none
}

# shm_hex OFFSET COUNT: the bytes at OFFSET, one lower-case hex byte a line.
shm_hex() {
  od -An -v -tx1 -w1 -j "$(($1))" -N "$(($2))" "$IOVM_SHM" | tr -d ' '
}

# expect_shm_image NAME OFFSET COUNT FILE: the COUNT bytes at OFFSET are
# exactly those FILE lists (one hex byte a line, as shm_hex prints them).
# FILE must list COUNT bytes, so a generator that printed nothing fails.
expect_shm_image() {
  local name=$1 off=$(($2)) count=$(($3)) want=$4 lines diffs
  lines=$(wc -l < "$want")
  if [ "$lines" != "$count" ]; then
    tap_fail "$name" "the expected image $want has $lines bytes, want $count"
    return 1
  fi
  diffs=$(shm_hex "$off" "$count" | paste -d ' ' - "$want" | awk -v off="$off" '
    $1 != $2 {
      if (n < 5) printf "offset 0x%05x: got %s, want %s\n", off + NR - 1, $1 == "" ? "nothing" : $1, $2
      n++
    }
    END { if (n) printf "%d of %d bytes differ\n", n, NR }')
  if [ -n "$diffs" ]; then
    tap_fail "$name" "$diffs"
    return 1
  fi
  tap_ok "$name"
}

# shm_stray START END [FROM:TO]...: the non-zero bytes of the ivshmem file in
# [START, END) outside every [FROM, TO): the first five and how many there
# are; nothing when there is none.
shm_stray() {
  local lo=$(($1)) hi=$(($2)) r known=''
  shift 2
  for r in "$@"; do known+="$((${r%%:*})) $((${r#*:})) "; done
  # cmp -l: one line per differing byte, "POSITION(1-based) BYTE1 BYTE2" in octal.
  cmp -l "$IOVM_SHM" <(head -c "$IOVM_SHM_SIZE" /dev/zero) 2> /dev/null |
    awk -v lo="$lo" -v hi="$hi" -v known="$known" '
      BEGIN { nk = split(known, k, " ") }
      {
        off = $1 - 1
        if (off < lo || off >= hi) next
        for (j = 1; j < nk; j += 2)
          if (off >= k[j] && off < k[j + 1]) next
        if (n < 5) {
          v = 0
          for (d = 1; d <= length($2); d++) v = v * 8 + substr($2, d, 1)
          printf "offset 0x%05x: %02x, want 00\n", off, v
        }
        n++
      }
      END { if (n) printf "%d stray non-zero bytes\n", n }'
}

# expect_shm_clean NAME START END [FROM:TO]...: no non-zero byte in
# [START, END) outside the listed ranges (see shm_stray).
expect_shm_clean() {
  local name=$1 stray
  shift
  stray=$(shm_stray "$@")
  if [ -n "$stray" ]; then
    tap_fail "$name" "$stray"
    return 1
  fi
  tap_ok "$name"
}
