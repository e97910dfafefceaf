# shellcheck shell=dash
# The module loads on demand, from the tree run.sh installs the way a
# distribution does (/lib/modules/RELEASE/updates/ioview.ko, indexed by the
# host's depmod), with the guest's busybox modprobe:
#
#   a. modprobe of edu's modalias (its sysfs modalias file) loads ioview,
#      which binds both functions; modprobe -r unloads it;
#   b. the uevent path, as udev takes it: a listener on the kernel's uevent
#      socket (busybox uevent) runs "modprobe -b MODALIAS" for each "add"
#      event with a MODALIAS; an "add" written to ivshmem's uevent file makes
#      the kernel send one, and the module loads and binds;
#   c. the netlink family: with the module unloaded, ioviewctl's first
#      request resolves the family "ioview", the genetlink core asks for
#      "net-pf-16-proto-16-family-ioview" (MODULE_ALIAS_GENL_FAMILY), the
#      kernel runs /proc/sys/kernel/modprobe, and the request is answered.
#      With that path empty (kernel-initiated loading off, as guest/init
#      leaves it for the cases) the same request is refused and nothing
#      loads: the autoload is what made the difference.
#
# The case finds the module unloaded and leaves it so, with the kernel's
# modprobe path as it found it and no listener left running.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
module_can_load "ioview not loaded at the start" || return 0
if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
tree=/lib/modules/$(uname -r)
# The debug kernel loads and binds about fifteen times slower.
limit=10
[ "${IOVM_KASAN:-n}" != y ] || limit=60

# The tree: the module where depmod put it, and its three aliases indexed.
expect_eq "modules.dep lists updates/ioview.ko" "$(cat "$tree/modules.dep" 2>&1)" "updates/ioview.ko:" ||
  return 0
expect_eq "modules.alias has ioview's two PCI ids and its family" \
  "$(awk '$1 == "alias" && $3 == "ioview" { print $2 }' "$tree/modules.alias" | LC_ALL=C sort | tr '\n' ' ')" \
  "net-pf-16-proto-16-family-ioview pci:v00001234d000011E8sv*sd*bc*sc*i* pci:v00001AF4d00001110sv*sd*bc*sc*i* " ||
  return 0

# expect_bound_both WHAT: ioview is loaded and bound to edu and ivshmem.
expect_bound_both() {
  _eb_missing=
  module_loaded ioview || _eb_missing="the module"
  [ -e "$IOVM_DRIVER_DIR/$edu" ] || _eb_missing="$_eb_missing edu"
  [ -e "$IOVM_DRIVER_DIR/$shm" ] || _eb_missing="$_eb_missing ivshmem"
  if [ -z "$_eb_missing" ]; then
    tap_ok "$1: ioview loaded, edu and ivshmem bound"
  else
    tap_fail "$1: ioview loaded, edu and ivshmem bound" "missing: $_eb_missing" "$(pci_list)"
  fi
}
# unload WHAT: rmmod, and nothing of ioview left.
unload() {
  expect_run "$1: rmmod" rmmod ioview
  if module_loaded ioview; then
    tap_fail "$1: ioview gone" "$(grep '^ioview ' /proc/modules)"
  else
    tap_ok "$1: ioview gone"
  fi
}
# wait_loaded SECONDS: true once ioview is loaded and both functions are bound.
wait_loaded() {
  _wl_n=0
  while [ "$_wl_n" -lt $(($1 * 10)) ]; do
    module_loaded ioview && [ -e "$IOVM_DRIVER_DIR/$edu" ] && [ -e "$IOVM_DRIVER_DIR/$shm" ] && return 0
    sleep 0.1
    _wl_n=$((_wl_n + 1))
  done
  return 1
}

# a. By PCI id, as a person or a script would.
alias_edu=$(cat "/sys/bus/pci/devices/$edu/modalias")
case $alias_edu in
  pci:v00001234d000011E8sv*) tap_ok "edu's modalias names its ids" ;;
  *) tap_fail "edu's modalias names its ids" "modalias: '$alias_edu'" ;;
esac
tap_diag "edu's modalias $alias_edu"
expect_run "modprobe edu's modalias" modprobe "$alias_edu"
expect_bound_both "by modalias"
expect_run "by modalias: modprobe -r ioview" modprobe -r ioview
if module_loaded ioview; then
  tap_fail "by modalias: ioview gone after modprobe -r" "$(grep '^ioview ' /proc/modules)"
  rmmod ioview
else
  tap_ok "by modalias: ioview gone after modprobe -r"
fi

# b. By uevent: what the kernel sends for ivshmem, handled as udev would.
handler=$IOVM_TMP/autoload-uevent.sh log=$IOVM_TMP/autoload-uevent.log
: > "$log"
cat > "$handler" << EOF
#!/bin/sh
# One kernel uevent, its fields in the environment (busybox uevent).
[ "\$ACTION" = add ] && [ -n "\$MODALIAS" ] || exit 0
/sbin/modprobe -q -b "\$MODALIAS"
echo "\$DEVPATH \$MODALIAS \$?" >> $log
EOF
chmod 0755 "$handler"
uevent "$handler" > /dev/null 2>&1 &
listener=$!
sleep 0.5 # the listener binds its socket
expect_eq "ivshmem's uevent file has its MODALIAS" \
  "$(sed -n 's/^MODALIAS=//p' "/sys/bus/pci/devices/$shm/uevent")" "$(cat "/sys/bus/pci/devices/$shm/modalias")"
echo add > "/sys/bus/pci/devices/$shm/uevent"
if wait_loaded "$limit"; then
  tap_ok "by uevent: loaded within $limit s"
else
  tap_fail "by uevent: loaded within $limit s" "handler log:" "$(cat "$log")"
fi
expect_bound_both "by uevent"
# The handler's line comes after modprobe returned: no modprobe of ours is left to race rmmod.
_n=0
while ! grep -q " 0\$" "$log" && [ "$_n" -lt $((limit * 10)) ]; do
  sleep 0.1
  _n=$((_n + 1))
done
expect_eq "by uevent: one add event handled, for ivshmem, modprobe exit 0" \
  "$(sed 's,^/devices/pci0000:00/,,' "$log")" "$shm $(cat "/sys/bus/pci/devices/$shm/modalias") 0"
kill "$listener"
wait "$listener" 2> /dev/null
unload "by uevent"

# c. By the netlink family, on ioviewctl's first request.
saved=$(cat /proc/sys/kernel/modprobe)
tap_diag "/proc/sys/kernel/modprobe was '$saved'"
echo > /proc/sys/kernel/modprobe
out=$IOVM_TMP/autoload.out
"$IOVM_CTL" dev show > "$out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -qF 'the generic netlink family "ioview" is not registered' "$out" && ! module_loaded ioview; then
  tap_ok "kernel-initiated loading off: dev show refused, nothing loaded"
else
  tap_fail "kernel-initiated loading off: dev show refused, nothing loaded" "exit $rc" "$(cat "$out")" \
    "$(grep '^ioview ' /proc/modules)"
  module_loaded ioview && rmmod ioview
fi
echo /sbin/modprobe > /proc/sys/kernel/modprobe
expect_eq "/proc/sys/kernel/modprobe set to the guest's modprobe" \
  "$(cat /proc/sys/kernel/modprobe)" /sbin/modprobe
"$IOVM_CTL" dev show > "$out" 2>&1
rc=$?
expect_eq "by family: dev show on first use exits 0" "$rc" 0 || tap_diag "$(cat "$out")"
if grep -qF "$edu" "$out" && grep -qF "$shm" "$out"; then
  tap_ok "by family: dev show lists edu and ivshmem"
else
  tap_fail "by family: dev show lists edu and ivshmem" "$(cat "$out")"
fi
expect_bound_both "by family"
printf '%s\n' "$saved" > /proc/sys/kernel/modprobe
expect_eq "/proc/sys/kernel/modprobe restored" "$(cat /proc/sys/kernel/modprobe)" "$saved"
unload "by family"
left=$(for l in "$IOVM_DRIVER_DIR"/0000:*; do [ ! -e "$l" ] || echo "${l##*/}"; done)
expect_eq "no device left bound to ioview" "$left" ""
