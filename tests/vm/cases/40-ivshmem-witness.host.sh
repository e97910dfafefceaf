# shellcheck shell=bash
# The witness the ioview_ivshmem_bar2 self-tests (run by 30-selftest) leave
# in ivshmem's BAR2 must be in the backing file, byte for byte. The expected
# bytes are computed here from the documented formulas (the top of
# kmod/selftest/ivshmem.cpp, and tests/vm/README.md), not taken from the
# module. All arithmetic is modulo the value's width, values are stored
# little-endian:
#
#   0x80000 + i     u8,  i < 1024:   i * 0x25 + 0x0b
#   0x80400 + 2*i   u16, i < 512:    i * 0x9e37 + 0x1234
#   0x80800 + 4*i   u32, i < 256:    i * 0x9e3779b1 + 0x01234567
#   0x80c00 + 8*i   u64, i < 128:    hi * 2^32 + lo, where (mod 2^32)
#                                    lo = i * 0x85ebca77 + 0x89abcdef
#                                    hi = i * 0xc2b2ae3d + 0x76543210
#   0xc0000 + i     u8,  i < 65536:  i * 0xa7 + (i >> 8) * 0x0d + 0x5a
#
# awk (mawk) has neither hex constants nor 64-bit integers: the constants are
# in decimal and every product stays below 2^53, where its doubles are exact.
# The scratch range the self-tests use (0x10000-0x3ffff, less the mailbox's
# 0x20000-0x281ff) and the unused 0x50000-0x7ffff must be zero again.

page=$IOVM_TMP/witness-page.hex
block=$IOVM_TMP/witness-block.hex

awk '
  # put V N: the N bytes of V, least significant first, one hex byte a line.
  function put(v, n,   k) {
    for (k = 0; k < n; k++) {
      printf "%02x\n", v % 256
      v = int(v / 256)
    }
  }
  BEGIN {
    two32 = 4294967296
    for (i = 0; i < 1024; i++) put((i * 37 + 11) % 256, 1)                 # 0x25, 0x0b
    for (i = 0; i < 512; i++) put((i * 40503 + 4660) % 65536, 2)           # 0x9e37, 0x1234
    for (i = 0; i < 256; i++) put((i * 2654435761 + 19088743) % two32, 4)  # 0x9e3779b1, 0x01234567
    for (i = 0; i < 128; i++) {
      put((i * 2246822519 + 2309737967) % two32, 4)                         # 0x85ebca77, 0x89abcdef
      put((i * 3266489917 + 1985229328) % two32, 4)                         # 0xc2b2ae3d, 0x76543210
    }
  }' > "$page"
awk 'BEGIN { for (i = 0; i < 65536; i++) printf "%02x\n", (i * 167 + int(i / 256) * 13 + 90) % 256 }' \
  > "$block" # 0xa7, 0x0d, 0x5a

# One value worked out by hand, so that the generator itself is checked too.
expect_eq "generator: u64 quads[1] is 0x3906e04d0f979866" "$(sed -n '3081,3088p' "$page" | tr '\n' ' ')" \
  "66 98 97 0f 4d e0 06 39 "
expect_shm_image "page written by 8-, 16-, 32- and 64-bit accesses at 0x80000" 0x80000 0x1000 "$page"
expect_shm_image "block written by one memcpy_toio() at 0xc0000" 0xc0000 0x10000 "$block"
# 0x40000-0x4ffff belongs to the benchmark (50-bench checks it), 0x20000-0x281ff to the
# mailbox (60-mailbox).
expect_shm_clean "no other byte in 0x10000-0xeffff changed" 0x10000 0xf0000 0x20000:0x28200 0x40000:0x50000 \
  0x80000:0x81000 0xc0000:0xd0000
