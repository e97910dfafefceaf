# shellcheck shell=bash
# The benchmark's copies into ivshmem BAR2 went through memcpy_toio(), by
# the view and by C alike, and left their source in the 64 KiB at 0x40000:
# byte i = (i * 7 + 1) mod 256 (kmod/bench/bench.cpp). The backing file must hold
# exactly that.

expected=$IOVM_TMP/bench.expected
awk 'BEGIN { for (i = 0; i < 65536; i++) printf "%02x\n", (i * 7 + 1) % 256 }' > "$expected"
actual=$IOVM_TMP/bench.actual
od -An -v -tx1 -j $((0x40000)) -N 65536 "$IOVM_SHM" | tr -s ' ' '\n' | sed '/^$/d' > "$actual"
if cmp -s "$expected" "$actual"; then
  tap_ok "host sees the benchmark's 64 KiB at 0x40000 byte for byte"
else
  tap_fail "host sees the benchmark's 64 KiB at 0x40000 byte for byte" \
    "first differences (line = byte offset + 1, expected vs file):" \
    "$(diff "$expected" "$actual" | head -n 6)"
fi
