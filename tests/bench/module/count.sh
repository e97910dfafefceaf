#!/bin/sh
# Instruction counts of the benchmark pairs in the built module: for each
# pattern, ioview_bench_cxx_<pattern> (bench.cpp, through views) against
# ioview_bench_c_<pattern> (bench_c.c, the kernel's own accessors), both
# compiled by Kbuild in the same build with the kernel's flags.
#
#   tests/bench/module/count.sh build/kmod/<release>/kmod
#
# Counts every instruction of a function's body (ENDBR, the __fentry__
# call, return thunks included: both sides carry them) except the padding
# after its end.  Prints one table; exits non-zero only if an object or a
# pair is missing.  The figures are not asserted: they are read.
set -eu

dir=${1:?usage: count.sh KMOD_BUILD_DIR}
c_obj=$dir/bench/bench_c.o
cxx_obj=$dir/bench/bench.o
for o in "$c_obj" "$cxx_obj"; do
  [ -f "$o" ] || { echo "count.sh: $o is missing (run make first)" >&2; exit 1; }
done

# name count, one line per function of the object.
count() {
  objdump -d --no-show-raw-insn "$1" | awk '
    /^[0-9a-f]+ <[^>]+>:$/ { name = $2; gsub(/[<>:]/, "", name); next }
    /^ +[0-9a-f]+:\t/ && name != "" {
      insn = $0; sub(/^ +[0-9a-f]+:\t/, "", insn)
      if (insn ~ /^(nop|xchg +%ax,%ax|data16|cs nopw|int3)/) next
      n[name]++
    }
    END { for (f in n) print f, n[f] }'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count "$c_obj" | sed -n 's/^ioview_bench_c_//p' | sort > "$tmp/c"
count "$cxx_obj" | sed -n 's/^ioview_bench_cxx_//p' | sort > "$tmp/cxx"

missing=$(join -v1 "$tmp/c" "$tmp/cxx"; join -v2 "$tmp/c" "$tmp/cxx")
if [ -n "$missing" ]; then
  echo "count.sh: patterns without a pair: $missing" >&2
  exit 1
fi

# pattern shim-instructions: what the C++ half adds by calling out-of-line
# shim functions (kmod/shim/), which its own count does not include.
for shim_obj in "$dir"/shim/*.o; do
  count "$shim_obj"
done > "$tmp/shim"
objdump -dr --no-show-raw-insn "$cxx_obj" | awk '
  /^[0-9a-f]+ <[^>]+>:$/ { name = $2; gsub(/[<>:]/, "", name); next }
  /R_X86_64_(PLT32|PC32)[ \t]+ioview_shim_/ && name ~ /^ioview_bench_cxx_/ {
    callee = $NF; sub(/-0x[0-9a-f]+$/, "", callee); sub(/^ioview_bench_cxx_/, "", name)
    print name, callee
  }' | sort -u > "$tmp/calls"
awk 'NR == FNR { n[$1] = $2; next } { add[$1] += n[$2] } END { for (p in add) print p, add[p] }' \
  "$tmp/shim" "$tmp/calls" | sort > "$tmp/shim_add"

printf '%-18s %6s %6s %6s   %s\n' pattern ioview C ratio "C++ half's shim calls (not counted)"
join "$tmp/cxx" "$tmp/c" | join -a1 -e 0 -o 0,1.2,1.3,2.2 - "$tmp/shim_add" | while read -r p v c extra; do
  calls=$(awk -v p="$p" '$1 == p { printf "%s%s", sep, $2; sep = ", " }' "$tmp/calls")
  printf '%-18s %6d %6d %6.2f   %s\n' "$p" "$v" "$c" "$(awk -v a="$v" -v b="$c" 'BEGIN { print a / b }')" \
    "${calls:+$calls: +$extra}"
done
join "$tmp/cxx" "$tmp/c" | join -a1 -e 0 -o 0,1.2,1.3,2.2 - "$tmp/shim_add" | awk '
  { v += $2; c += $3; x += $4 }
  END {
    printf "%-18s %6d %6d %6.2f\n", "total", v, c, v / c
    printf "%-18s %6d %6d %6.2f   (the shim calls counted in)\n", "total with shim", v + x, c, (v + x) / c
  }'
