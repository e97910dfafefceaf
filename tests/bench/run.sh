#!/bin/sh
# Every benchmark figure of the project, for each kernel in
# build/kernels/releases (run by `make bench` after the module is built):
#
#   1. tests/bench/codegen: the library's accessor patterns against
#      hand-written C, compiled outside the kernel (instruction counts);
#   2. tests/bench/module: the benchmark pairs inside ioview.ko, compiled by
#      Kbuild with each kernel's own flags (instruction counts);
#   3. the in-kernel micro-benchmark in the VM (tests/vm/cases/50-bench.*):
#      ns per edu register read and 64 KiB memcpy_toio() into ivshmem BAR2,
#      view against C in the same run; then, in the same case, the netlink
#      family from one process (tests/bench/netlink/nlbench.cpp): config reads
#      against sysfs preads (ratio), register reads per second, event latency.
#
# Figures are printed, never asserted.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

echo "== library codegen (tests/bench/codegen)"
make --no-print-directory -s -C tests/bench/codegen

cases=build/bench/vm-cases
rm -rf "$cases" && mkdir -p "$cases"
ln -s "$top"/tests/vm/cases/50-bench.* "$cases"/

status=0
for rel in $(cat build/kernels/releases); do
  echo "== module instruction counts, $rel (tests/bench/module/count.sh)"
  tests/bench/module/count.sh "build/kmod/$rel/kmod" || status=1
  echo
  echo "== in-kernel micro-benchmark, $rel (QEMU TCG; only the ratios mean anything)"
  if IOVM_CASES=$top/$cases tests/vm/run.sh "$rel" check > "build/bench/vm-$rel.tap" 2>&1; then
    sed -n 's/^# bench: /  /p' "build/bench/vm-$rel.tap"
  else
    echo "  the benchmark VM run failed; its TAP is in build/bench/vm-$rel.tap:"
    grep -E '^(not ok|#)' "build/bench/vm-$rel.tap" | sed 's/^/  /'
    status=1
  fi
  echo
done
exit $status
