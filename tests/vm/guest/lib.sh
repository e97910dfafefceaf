# shellcheck shell=dash
# Guest-side helpers for cases, on top of tap.sh. Runs under busybox sh.
#
# Environment every guest case gets (see /etc/iovm.conf, written by run.sh):
#   IOVM_RELEASE   kernel release the VM booted
#   IOVM_MODULE    path of ioview.ko in the guest (may be absent: not built)
#   IOVM_CTL       path of ioviewctl in the guest (may be absent: not built)
#   IOVM_TMP       scratch directory (tmpfs)

# shellcheck disable=SC2034 # for the cases
IOVM_DRIVER_DIR=/sys/bus/pci/drivers/ioview

# pci_find VENDOR DEVICE: BDFs (one a line) of the PCI functions whose sysfs
# ids match, e.g. pci_find 0x1af4 0x1110.
pci_find() {
  for _pf_dev in /sys/bus/pci/devices/*; do
    [ "$(cat "$_pf_dev/vendor" 2>/dev/null)" = "$1" ] || continue
    [ "$(cat "$_pf_dev/device" 2>/dev/null)" = "$2" ] || continue
    echo "${_pf_dev##*/}"
  done
}

# pci_find_one NAME VENDOR DEVICE: like pci_find but reports a failure named
# NAME (and prints nothing) unless exactly one function matches.
pci_find_one() {
  _po_bdf=$(pci_find "$2" "$3")
  case $_po_bdf in
    '' | *' '* | *"
"*)
      tap_fail "$1" "expected one PCI function $2:$3, found: '${_po_bdf:-none}'" \
        "$(pci_list)"
      return 1 ;;
  esac
  echo "$_po_bdf"
}

# pci_list: one line per PCI function with its ids, for diagnostics.
pci_list() {
  for _pl_dev in /sys/bus/pci/devices/*; do
    echo "${_pl_dev##*/} $(cat "$_pl_dev/vendor"):$(cat "$_pl_dev/device") driver=$(
      readlink "$_pl_dev/driver" 2>/dev/null | sed 's,.*/,,')"
  done
}

# pci_bar_start BDF BAR: physical start address of BAR (0..5) as 0x..., from
# the sysfs resource file (line N+1 is BAR N: start end flags).
pci_bar_start() {
  sed -n "$(($2 + 1))p" "/sys/bus/pci/devices/$1/resource" | {
    read -r _pb_start _pb_end _pb_flags
    [ -n "$_pb_start" ] && [ "$((_pb_end))" -gt 0 ] || return 1
    printf '0x%x\n' "$((_pb_start))"
  }
}

# mmio_read WIDTH ADDR / mmio_write WIDTH ADDR VALUE: busybox devmem on
# /dev/mem; ADDR may be any shell arithmetic expression.
mmio_read() {
  devmem "$(printf '0x%x' "$(($2))")" "$1"
}

mmio_write() {
  devmem "$(printf '0x%x' "$(($2))")" "$1" "$3"
}

# dmesg_count FIXED-STRING: how many kernel log lines contain it.
dmesg_count() {
  dmesg | grep -cF -- "$1"
}

# module_loaded NAME: true when NAME is in /proc/modules.
module_loaded() {
  grep -q "^$1 " /proc/modules
}

# module_can_load NAME: true when ioview.ko is in the initramfs and not yet
# loaded; otherwise reports NAME as failed, with why, and is false.
#   module_can_load "insmod ioview.ko bench=1" || return 0
module_can_load() {
  if [ ! -e "$IOVM_MODULE" ]; then
    tap_fail "$1" \
      "ioview.ko is not in the initramfs: build/kmod/$IOVM_RELEASE/kmod/ioview.ko was missing on the host"
    return 1
  fi
  if module_loaded ioview; then
    tap_fail "$1" "an earlier case left the module loaded"
    return 1
  fi
}

# ktap_cases FILE [SKIP_ERE]: one line per case of a one-suite KTAP log,
# "name<TAB>ok|fail|skip<TAB>why", the why of a failure being the
# "  # name: why" line before it; diagnostic lines matching SKIP_ERE (e.g.
# the figures a suite logs) are not taken for a failure's why.
ktap_cases() {
  awk -v skip="${2:-^$}" '
    /^  # / { if ($0 !~ skip) diag = substr($0, 5); next }
    /^  (not )?ok [0-9]+ / {
      line = substr($0, 3); verdict = "ok"
      if (line ~ /^not ok /) { verdict = "fail"; line = substr(line, 8) } else line = substr(line, 4)
      sub(/^[0-9]+ /, "", line); name = line; sub(/ .*/, "", name)
      why = diag
      if (line ~ / # SKIP/) { verdict = "skip"; why = line; sub(/^[^#]*# SKIP ?/, "", why) }
      printf "%s\t%s\t%s\n", name, verdict, why; diag = ""
    }' "$1"
}

# device_state DEV...: what root sees of ioview and the given functions (the
# counters, each function's whole configuration space and its registers), for
# a before/after comparison around requests that must change nothing.
device_state() {
  "$IOVM_CTL" stats 2>&1
  for _ds_dev; do
    "$IOVM_CTL" config show -xxx "$_ds_dev" 2>&1
    "$IOVM_CTL" reg show "$_ds_dev" 2>&1
  done
}
