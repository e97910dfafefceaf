#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Boots one kernel under QEMU (TCG) with a busybox initramfs, QEMU's edu and
# ivshmem-plain devices, and the ioview module.
#
#   tests/vm/run.sh RELEASE check   run tests/vm/cases, print TAP, exit 1 on any failure
#   tests/vm/run.sh RELEASE demo    guest/demo.sh: ioview by modprobe, ioviewctl step by step, exit 1 on a failed step
#   tests/vm/run.sh RELEASE shell   interactive console with the module loaded (Ctrl-A x quits)
#
# Knobs (environment): IOVM_TIMEOUT (whole VM run, s, default 900; 3000 on the debug kernel),
# IOVM_CASE_TIMEOUT (one guest case, s, default 60), IOVM_CASES (case
# directory), IOVM_MODULE / IOVM_CTL / IOVM_LSPCI / IOVM_NLBENCH / IOVM_NLFUZZ /
# IOVM_NLSTRESS (host paths of ioview.ko / ioviewctl / lspci / the netlink
# benchmark / the netlink fuzzer / the concurrency test), IOVM_EXAMPLE_MODULE
# (the example driver, tests/example-driver), IOVM_YNL (the
# kernel's tools/net/ynl for 29-ynl),
# IOVM_CPU (default max), IOVM_SMP, IOVM_MEM, IOVM_QEMU, IOVM_QEMU_EXTRA (more
# QEMU options, split on spaces), IOVM_LOCK_WAIT, IOVM_BUSYBOX.
#
# Everything generated lives in build/vm/RELEASE/: initramfs.cpio,
# ivshmem.bin, console.log (kernel console), results.raw (guest's ttyS1),
# qemu.log (QEMU's own messages).
set -uo pipefail # no -e: a failing step is a result to report, not an exit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=lib/klog.sh
. "$here/lib/klog.sh"
# shellcheck source=lib/tap.sh
. "$here/lib/tap.sh"

usage() {
  echo "usage: $0 RELEASE check|demo|shell" >&2
  exit 2
}

[ $# -eq 2 ] || usage
rel=$1 mode=$2
case $mode in check | demo | shell) ;; *) usage ;; esac

kernel=$top/build/kernels/$rel/vmlinuz
kconfig=$top/build/kernels/$rel/build/.config
vmdir=$top/build/vm/$rel
module=${IOVM_MODULE:-$top/build/kmod/$rel/kmod/ioview.ko}
faults=${IOVM_FAULTS_MODULE:-$top/build/vmplants/$rel/tests/vm/plants/ioview_faults.ko}
example=${IOVM_EXAMPLE_MODULE:-$top/build/example-driver/$rel/edu_example.ko}
ctl=${IOVM_CTL:-$top/build/user/ioviewctl}
lspci=${IOVM_LSPCI:-/usr/bin/lspci}
nlbench=${IOVM_NLBENCH:-$top/build/user/nlbench}
nlfuzz=${IOVM_NLFUZZ:-$top/build/user/nlfuzz}
nlstress=${IOVM_NLSTRESS:-$top/build/user/nlstress}
python=/usr/bin/python3
ynl_dir=${IOVM_YNL:-$top/build/kernels/6.12.117-ioview-debug/build/tools/net/ynl}
cases_dir=${IOVM_CASES:-$here/cases}

# kernel_has CONFIG_X: the kernel under test was configured with CONFIG_X=y.
kernel_has() {
  grep -qx "$1=y" "$kconfig" 2>/dev/null
}

# The debug kernel (KASAN, lockdep, kmemleak) runs 15-20 times slower under TCG: its
# defaults are scaled from what it measured here (152-166 s for the whole run,
# 58 s for the longest case; tests/vm/README.md). KASAN reports every fault,
# not only the first (80-faults provokes two), and kmemleak prints each leak
# it finds, so the log scan sees it. Its guest CPU has no LA57: with 5-level
# paging this KASAN kernel reports wild accesses to the 5-level direct map
# (0xff11...) from the first interrupts on and never reaches init. It routes
# INTx without ACPI (acpi=noirq): its checkers make the AML interpreter take
# 22-25 s per _PRT evaluation, i.e. per pci_enable_device() of edu, and past
# ACPI's 30 s loop limit the routing fails (tests/vm/README.md).
# 85-fuzz's netlink fuzzing adds about 90 s to a run on Debian's kernels and
# 190 s on the debug kernel (84-permissions 10 s and 100 s), and this machine,
# shared with other VMs (load 3-4 on two cores), measured whole runs of 220 s
# (6.1) and 894 s (debug, every case about three times as slow as unloaded; the
# cases before 84 alone took 650 s): the VM's bounds were 480 s and 1200 s. A case's own bound is the release's (60 s, 180 s) unless it names
# a longer one ("# iovm-case-timeout: SECONDS [KASAN_SECONDS]", guest/init).
# 75-concurrency adds about 20 s more on Debian's kernels (a whole 6.12 run took
# 172 s with it, the machine shared).
# 72-cycles-under-load adds 140-290 s on Debian's kernels and 380-410 s on the
# debug kernel (the machine shared with other VMs; its own bounds are 600 s and
# 1200 s): with it the VM's bounds are 900 s and 2100 s. 85-fuzz's full counts
# on the debug kernel (100000 + 20000, 6-12 minutes where a 150 s budget ran
# before) make the bound there 3000 s.
cpu_default=max
if kernel_has CONFIG_KASAN; then
  vm_timeout=${IOVM_TIMEOUT:-3000}
  case_timeout=${IOVM_CASE_TIMEOUT:-180}
  kernel_args="kasan_multi_shot acpi=noirq"
  cpu_default=max,la57=off
else
  vm_timeout=${IOVM_TIMEOUT:-900}
  case_timeout=${IOVM_CASE_TIMEOUT:-60}
  kernel_args=
fi
! kernel_has CONFIG_DEBUG_KMEMLEAK || kernel_args="$kernel_args kmemleak.verbose=1"
busybox=${IOVM_BUSYBOX:-/bin/busybox}
qemu=${IOVM_QEMU:-qemu-system-x86_64}
shm_size=$((1024 * 1024))

shm=$vmdir/ivshmem.bin
console=$vmdir/console.log
results=$vmdir/results.raw
qemu_log=$vmdir/qemu.log

# --- reporting --------------------------------------------------------------

tap_n=0 tap_failed=0

# note TEXT: a diagnostic; TAP comment in check mode, plain text otherwise.
note() {
  if [ "$mode" = check ]; then
    printf '%s\n' "$@" | sed 's/^/# /'
  else
    printf '%s\n' "$@" | sed 's/^/iovm: /' >&2
  fi
}

# report LINE: numbers an unnumbered result from any source (guest, host
# case, harness). Anything that is not a result or a comment is shown as a
# comment, so stray output can never be counted as a pass.
report() {
  local line=${1%$'\r'}
  case $line in
    'ok - '*)
      tap_n=$((tap_n + 1))
      printf 'ok %d - %s: %s\n' "$tap_n" "$rel" "${line#ok - }" ;;
    'not ok - '*)
      tap_n=$((tap_n + 1)) tap_failed=$((tap_failed + 1))
      printf 'not ok %d - %s: %s\n' "$tap_n" "$rel" "${line#not ok - }" ;;
    '#'*) printf '%s\n' "$line" ;;
    *) printf '# | %s\n' "$line" ;;
  esac
}

# result NAME PASSED(0/1) [DIAG...]: a result decided by the harness itself.
result() {
  local name=$1 passed=$2
  shift 2
  if [ "$passed" = 0 ]; then
    report "ok - $name"
  else
    report "not ok - $name"
    [ $# -eq 0 ] || printf '%s\n' "$@" | sed '/^$/d; s/^/# /'
  fi
}

bail() {
  if [ "$mode" = check ]; then echo "Bail out! $rel: $*"; else echo "iovm: $*" >&2; fi
  exit 2
}

# secs MICROSECONDS: seconds with one decimal.
secs() {
  printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000))
}

now_us() {
  echo "${EPOCHREALTIME/./}"
}

# since T: seconds from QEMU start to T, or "-" when T never happened.
since() {
  if [ "$1" -gt 0 ]; then secs $(($1 - t_start)); else echo -; fi
}

# --- initramfs --------------------------------------------------------------

# copy_with_libs BINARY ROOT DEST: BINARY at ROOT/DEST plus every shared
# library ldd lists (and the dynamic loader), each at the path ldd gives.
copy_with_libs() {
  local bin=$1 root=$2 dest=$3 lib missing
  install -D -m 0755 "$bin" "$root$dest"
  missing=$(ldd "$bin" 2>&1 | grep 'not found')
  [ -z "$missing" ] || note "ldd $bin: $missing"
  while read -r lib; do
    install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done < <(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
}

install_busybox() {
  local root=$1 applet
  install -D -m 0755 "$busybox" "$root/bin/busybox"
  while read -r applet; do
    [ -e "$root/$applet" ] && continue
    [ -d "$root/${applet%/*}" ] || mkdir -p "$root/${applet%/*}"
    ln -s /bin/busybox "$root/$applet"
  done < <("$busybox" --list-full)
}

write_guest_config() {
  cat > "$1/etc/iovm.conf" <<EOF
IOVM_MODE=$mode
IOVM_RELEASE=$rel
IOVM_MODULE=/lib/modules/ioview.ko
IOVM_CTL=/usr/bin/ioviewctl
IOVM_CASE_TIMEOUT=$case_timeout
IOVM_KASAN=$(kernel_has CONFIG_KASAN && echo y || echo n)
IOVM_FAULTS_MODULE=/lib/modules/ioview_faults.ko
IOVM_EXAMPLE_MODULE=/lib/modules/edu_example.ko
EOF
}

# case_applies FILE: FILE has no "# iovm-requires: CONFIG_X..." line, or the
# kernel has every CONFIG_X listed (a case for the debug kernel's checkers
# does not exist on Debian's kernels, rather than being skipped there).
case_applies() {
  local sym
  for sym in $(sed -n 's/^# iovm-requires: *//p' "$1"); do
    kernel_has "$sym" || return 1
  done
}

# The kernel's own YNL client for 29-ynl: tools/net/ynl's cli.py and lib/ from
# the debug kernel's tree (user space, so it serves every kernel under test),
# the spec, Debian's python3, and of its library exactly the modules cli.py
# loads: found by loading them on the host the way the guest runs it (-S, so
# no site module and no .pth files; PYTHONPATH for python3-yaml), spec parsed
# included, and copied at the same paths (the interpreter finds its prefix by
# os.py, as on the host). Missing pieces leave 29-ynl to fail saying so.
install_ynl() {
  local root=$1 f
  if [ ! -f "$ynl_dir/cli.py" ] || [ ! -x "$python" ]; then
    note "YNL client not installed: $ynl_dir/cli.py or $python is missing"
    return 0
  fi
  copy_with_libs "$python" "$root" /usr/bin/python3
  mkdir -p "$root/usr/share/ynl" "$root/usr/share/ioview"
  cp -r "$ynl_dir/cli.py" "$ynl_dir/lib" "$root/usr/share/ynl/"
  install -m 0644 "$top/include/uapi/ioview.yaml" "$root/usr/share/ioview/"
  while read -r f; do
    case $f in
      /usr/lib/*.so) copy_with_libs "$f" "$root" "$f" ;;
      /usr/lib/*) install -D -m 0644 "$f" "$root$f" ;;
    esac
  done < <(env -i PYTHONPATH=/usr/lib/python3/dist-packages "$python" -S -B - "$ynl_dir" "$top/include/uapi/ioview.yaml" <<'PY'
import runpy, sys
sys.path.insert(0, sys.argv[1])
spec = sys.argv[2]
# cli.py's argument parsing (argparse loads gettext and locale lazily), in an empty
# environment like the guest's; --help stops it before it opens a socket.
sys.argv = ['cli.py', '--help']
try:
    runpy.run_path(sys.path[0] + '/cli.py', run_name='__main__')
except SystemExit:
    pass
from lib.nlspec import SpecFamily
SpecFamily(spec, '')  # what parsing the spec loads (no schema: the uapi suite validates it)
import json
json.dumps({'data': b''.hex(), 'list': [1]}, indent=None)
for m in list(sys.modules.values()):
    if getattr(m, '__file__', None):
        print(m.__file__)
PY
  )
}

# The module also where a distribution installs one, /lib/modules/RELEASE/updates/,
# indexed by the host's depmod (kmod), so the guest's busybox modprobe finds it
# by name and by alias (21-autoload, the demo). The tree holds ioview alone:
# the headers packages carry no modules.builtin, so the built-in lists are empty.
# A hard link to /lib/modules/ioview.ko: cpio stores the 8 MB once, not twice.
install_module_tree() {
  local root=$1 dir=$1/lib/modules/$rel out
  mkdir -p "$dir/updates" && ln "$root/lib/modules/ioview.ko" "$dir/updates/ioview.ko" || return 1
  : > "$dir/modules.order"
  : > "$dir/modules.builtin"
  : > "$dir/modules.builtin.modinfo"
  out=$(PATH=$PATH:/usr/sbin:/sbin depmod -b "$root" "$rel" 2>&1) || note "depmod failed: $out"
}

# Rebuilt on every run: a few megabytes of copying, and never stale.
build_initramfs() {
  local root=$vmdir/initramfs f
  rm -rf "$root"
  mkdir -p "$root"/{etc,proc,sys,dev,tmp,cases,lib/iovm,lib/modules} || return 1
  install_busybox "$root" || return 1
  install -m 0755 "$here/guest/init" "$root/init"
  install -m 0644 "$here/lib/tap.sh" "$here/guest/lib.sh" "$here/guest/demo.sh" "$root/lib/iovm/"
  write_guest_config "$root"
  for f in "$cases_dir"/*.guest.sh; do
    [ -e "$f" ] && case_applies "$f" && install -m 0644 "$f" "$root/cases/"
  done
  if [ -f "$module" ]; then
    install -m 0644 "$module" "$root/lib/modules/ioview.ko"
    install_module_tree "$root" || note "no module tree: /lib/modules/$rel could not be made"
  else
    note "module not built: $module is missing"
  fi
  if [ -f "$faults" ]; then
    install -m 0644 "$faults" "$root/lib/modules/ioview_faults.ko"
  elif kernel_has CONFIG_KASAN; then
    note "fault plants not built: $faults is missing"
  fi
  # The example driver on the installed glue (22-example-driver).
  if [ -f "$example" ]; then
    install -m 0644 "$example" "$root/lib/modules/edu_example.ko"
  else
    note "example driver not built: $example is missing"
  fi
  if [ -x "$ctl" ]; then
    copy_with_libs "$ctl" "$root" /usr/bin/ioviewctl
  else
    note "ioviewctl not built: $ctl is missing"
  fi
  # The netlink benchmark and dump probe (50-bench, 26-netlink-errors).
  if [ -x "$nlbench" ]; then
    copy_with_libs "$nlbench" "$root" /usr/bin/nlbench
  else
    note "nlbench not built: $nlbench is missing"
  fi
  # The netlink fuzzer (85-fuzz).
  if [ -x "$nlfuzz" ]; then
    copy_with_libs "$nlfuzz" "$root" /usr/bin/nlfuzz
  else
    note "nlfuzz not built: $nlfuzz is missing"
  fi
  # The concurrency test (75-concurrency).
  if [ -x "$nlstress" ]; then
    copy_with_libs "$nlstress" "$root" /usr/bin/nlstress
  else
    note "nlstress not built: $nlstress is missing"
  fi
  install_ynl "$root"
  # Debian's lspci, the reference 27-lspci holds ioviewctl's hex dumps to. No
  # pci.ids goes in, so both print numbers rather than names (and both look the
  # names up through the same libpci when it is there).
  if [ -x "$lspci" ]; then
    copy_with_libs "$lspci" "$root" /usr/bin/lspci
  else
    note "lspci not found: $lspci is missing (pciutils, tests/deps.sh)"
  fi
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$vmdir/initramfs.cpio"
}

fresh_shm() {
  rm -f "$shm" && truncate -s "$shm_size" "$shm"
}

# --- host cases ---------------------------------------------------------------

# IOVM_VM_TIMEOUT: the limit this release's run really has, for a host case
# that keeps a process alive for the length of the VM (60-mailbox's peer).
export IOVM_RELEASE=$rel IOVM_DIR=$vmdir IOVM_SHM=$shm IOVM_SHM_SIZE=$shm_size IOVM_VM_TIMEOUT=$vm_timeout
export IOVM_CONSOLE=$console IOVM_RESULTS=$results IOVM_TMP=$vmdir/tmp
export IOVM_TAP_COUNT=$vmdir/tmp/.count IOVM_CASE_SHELL=bash

# run_host_cases SUFFIX: every NN-name.SUFFIX in order, results numbered here.
# Before boot a silent case is fine (it only prepares); after boot it is not.
run_host_cases() {
  local suffix=$1 silent=
  local f name line
  [ "$suffix" != host-before.sh ] || silent=1
  for f in "$cases_dir"/*."$suffix"; do
    [ -e "$f" ] || continue
    name=${f##*/}
    name=${name%."$suffix"}
    name=${name#[0-9]*-}
    while IFS= read -r line; do
      report "$line"
    done < <(IOVM_ALLOW_SILENT=$silent IOVM_TAP_OUT=/dev/fd/3 \
      tap_run_case "$name" "$f" "$case_timeout" "$here/lib/tap.sh" "$here/lib/host.sh" 3>&1)
  done
}

# --- the VM -------------------------------------------------------------------

# Sets qemu_args: machine, kernel and both devices; the serial ports differ per mode.
# "-cpu max" rather than the default qemu64: it adds SMEP, SMAP, UMIP and
# 5-level paging, so a driver touching user memory directly faults here too.
# "thread=single" runs both vCPUs in one host thread: with multi-threaded TCG,
# 6.12 sometimes died at boot on an int3 its own text patching had already
# removed (1 boot in 6 here; none in 10 single-threaded), which would make the
# results depend on luck rather than on the module.
# log_buf_len=8M: the kernels' own ring (CONFIG_LOG_BUF_SHIFT=17, 128 KiB) held
# less than a whole run (the debug kernel's console log is near 300 KB), and
# cases that read the log from a point on (80-faults' reports) found it
# wrapped; guest/init checks at the end that the ring still starts at boot.
qemu_common() {
  # shellcheck disable=SC2054 # the commas belong to QEMU options
  qemu_args=(-accel tcg,thread=single -cpu "${IOVM_CPU:-$cpu_default}" -smp "${IOVM_SMP:-2}" -m "${IOVM_MEM:-512M}"
    -nodefaults -nographic -no-reboot
    -kernel "$kernel" -initrd "$vmdir/initramfs.cpio"
    -append "console=ttyS0 panic=-1 loglevel=7 printk.devkmsg=on log_buf_len=8M${kernel_args:+ $kernel_args}"
    -device edu
    -object "memory-backend-file,id=shm,size=$shm_size,share=on,mem-path=$shm"
    -device ivshmem-plain,memdev=shm)
  # shellcheck disable=SC2206 # extra options are split on spaces on purpose
  [ -z "${IOVM_QEMU_EXTRA:-}" ] || qemu_args+=($IOVM_QEMU_EXTRA)
}

t_start=0 t_boot=0 t_first=0 current_case='(before init)' guest_done=0 demo_status=''

on_guest_line() {
  local line=${1%$'\r'}
  case $line in
    '@@ boot '*)
      t_boot=$(now_us)
      note "guest init up $(secs $((t_boot - t_start))) s after QEMU start (kernel uptime ${line#@@ boot } s)" ;;
    '@@ case '*) current_case=${line#@@ case } ;;
    '@@ status '*) demo_status=${line#@@ status } ;;
    '@@ done') guest_done=1 current_case='(after the cases)' ;;
    '@@ mailbox-peer') start_mailbox_peer ;;
    '@@ '*) note "unexpected control line: $line" ;;
    *)
      if [ "$mode" = check ]; then
        [ "$t_first" != 0 ] || [[ $line != ok* && $line != 'not ok'* ]] || t_first=$(now_us)
        report "$line"
      else
        printf '%s\n' "$line"
      fi ;;
  esac
}

# The demo's host peer (guest/demo.sh asks for it once its mailbox is open,
# so it meets no other open): user/mailbox-peer answers one message reversed.
peer_pid='' peer_log=$vmdir/tmp/demo-peer.log
start_mailbox_peer() {
  local peer=${MAILBOX_PEER:-$top/build/user/mailbox-peer}
  if [ -n "$peer_pid" ] || [ ! -x "$peer" ]; then
    note "mailbox peer not started: ${peer_pid:+already running}${peer_pid:-$peer is missing}"
    return
  fi
  "$peer" "$shm" --mode reverse --script echo:1 --timeout 60 --attach-timeout 30 > "$peer_log" 2>&1 < /dev/null &
  peer_pid=$!
}

# Runs QEMU in the background under a hard timeout and streams ttyS1 as the
# guest writes it. Sets qemu_status (124 when the timeout fired).
boot_and_follow() {
  local line
  : > "$results"
  : > "$console"
  qemu_common
  timeout --kill-after=5 "$vm_timeout" "$qemu" "${qemu_args[@]}" -monitor none \
    -chardev "file,id=con,path=$console" -serial chardev:con \
    -chardev "file,id=res,path=$results" -serial chardev:res \
    < /dev/null > "$qemu_log" 2>&1 &
  qpid=$!
  while IFS= read -r line || [ -n "$line" ]; do
    on_guest_line "$line"
  done < <(tail -n +1 -s 0.2 --pid="$qpid" -f "$results")
  wait "$qpid"
  qemu_status=$?
  qpid=
}

boot_interactive() {
  : > "$results"
  qemu_common
  "$qemu" "${qemu_args[@]}" \
    -chardev "stdio,id=con,mux=on,signal=off,logfile=$console" \
    -serial chardev:con -mon chardev=con \
    -chardev "file,id=res,path=$results" -serial chardev:res
  qemu_status=$?
}

# The "guest ran" verdict: QEMU powered off by itself after the guest said done.
vm_verdict() {
  local why=()
  if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
    why+=("timed out after ${vm_timeout}s while running case $current_case")
  elif [ "$guest_done" != 1 ]; then
    why+=("the guest stopped without reporting it finished, while running case $current_case")
  fi
  [ "$qemu_status" = 0 ] || [ "$qemu_status" = 124 ] || why+=("qemu exit status $qemu_status")
  if [ ${#why[@]} -eq 0 ]; then
    result "guest ran all cases and powered off" 0
    return 0
  fi
  result "guest ran all cases and powered off" 1 "${why[@]}" \
    "last console lines:" "$(tail -n 15 "$console" 2>/dev/null | sed 's/^/  /')" \
    "$(sed 's/^/qemu: /' "$qemu_log" 2>/dev/null)"
  return 1
}

klog_verdict() {
  local out
  out=$(klog_scan "$console")
  case $? in
    0) result "kernel log clean" 0 ;;
    *) result "kernel log clean" 1 "offending lines in $console:" \
         "$(printf '%s\n' "$out" | head -n 40 | sed 's/^/  /')" ;;
  esac
}

timings() {
  local t_end lines=()
  t_end=$(now_us)
  lines+=("$rel: boot to first guest line $(since "$t_boot") s")
  [ "$mode" != check ] || lines+=("$rel: boot to first result $(since "$t_first") s")
  lines+=("$rel: wall time $(secs $((t_end - t_run))) s (VM $(since "$t_vm_end") s)")
  note "${lines[@]}"
}

# --- modes ----------------------------------------------------------------------

prepare() {
  [ -f "$kernel" ] || bail "no kernel image $kernel (run tests/deps.sh)"
  [ "$mode" != check ] || note "ioview VM tests on $rel: $kernel"
  command -v "$qemu" > /dev/null || bail "$qemu not found (run tests/deps.sh)"
  [ -x "$busybox" ] || bail "$busybox not found (run tests/deps.sh)"
  mkdir -p "$vmdir/tmp" || bail "cannot create $vmdir"
  exec 9> "$vmdir/.lock"
  if ! flock -n 9; then
    note "waiting for another run on $rel to finish ($vmdir/.lock)"
    flock -w "${IOVM_LOCK_WAIT:-600}" 9 || bail "another run for $rel still holds $vmdir/.lock"
  fi
  t_run=$(now_us) # waiting for the lock is not part of this run
  build_initramfs || bail "could not build the initramfs in $vmdir"
  fresh_shm || bail "could not create $shm"
}

mode_check() {
  run_host_cases host-before.sh
  t_start=$(now_us)
  boot_and_follow
  t_vm_end=$(now_us)
  vm_verdict
  run_host_cases host.sh
  klog_verdict
  echo "1..$tap_n"
  timings
  [ "$tap_failed" -eq 0 ]
}

mode_demo() {
  local ok=0 out peer_status
  t_start=$(now_us)
  boot_and_follow
  t_vm_end=$(now_us)
  if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
    note "timed out after ${vm_timeout}s; console log: $console"
    ok=1
  elif [ "$guest_done" != 1 ] || [ -z "$demo_status" ]; then
    note "the guest stopped before the demo finished; console log: $console"
    ok=1
  elif [ "$demo_status" != 0 ]; then
    note "the demo reported a failure (status $demo_status)"
    ok=1
  fi
  if [ -n "$peer_pid" ]; then
    wait "$peer_pid"
    peer_status=$?
    if [ "$peer_status" = 0 ]; then
      note "host peer: $(grep -h result "$peer_log")"
    else
      ok=1
      note "the host peer failed (status $peer_status)" "$(tail -n 5 "$peer_log")"
    fi
  fi
  if ! out=$(klog_scan "$console"); then
    note "kernel log shows trouble:" "$out"
    ok=1
  fi
  timings
  return "$ok"
}

mode_shell() {
  t_start=$(now_us)
  boot_interactive
  t_vm_end=$(now_us)
  local out
  out=$(klog_scan "$console") || note "kernel log shows trouble:" "$out"
}

# A run cut short (Ctrl-C, a CI timeout) must not leave QEMU behind: the
# background job ignores SIGINT like every job of a non-interactive shell.
qpid=
stop_qemu() {
  [ -z "$qpid" ] || kill "$qpid" 2>/dev/null
}
trap stop_qemu EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_run=$(now_us) t_vm_end=0 qemu_status=''
prepare
"mode_$mode"
