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
c_obj=$dir/bench_c.o
cxx_obj=$dir/bench.o
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

printf '%-18s %6s %6s %6s\n' pattern ioview C ratio
join "$tmp/cxx" "$tmp/c" | awk '
  { printf "%-18s %6d %6d %6.2f\n", $1, $2, $3, $2 / $3; v += $2; c += $3 }
  END { printf "%-18s %6d %6d %6.2f\n", "total", v, c, v / c }'
