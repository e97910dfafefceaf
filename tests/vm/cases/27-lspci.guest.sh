# shellcheck shell=dash
# ioviewctl's hex dump of configuration space is lspci's, byte for byte:
# `config show -xxx DEV` against Debian's `lspci -xxx -s DEV` for edu and
# ivshmem, as root (the header line and 256 bytes) and as nobody, whom the
# kernel gives only the first 64 bytes: lspci reads them from the sysfs
# config file, ioviewctl over netlink, and both then print 4 lines. The
# initramfs has no pci.ids, so both name the devices by number.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
for _t in "$IOVM_CTL" /usr/bin/lspci; do
  if [ ! -x "$_t" ]; then
    tap_fail "$_t present" "the host had no ${_t##*/} to put into the initramfs"
    return 0
  fi
done
module_can_load "lspci: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

grep -q '^nobody:' /etc/passwd 2> /dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
# same NAME LINES WHO BDF: both dumps of BDF, run as WHO (root or nobody), are
# identical and LINES long.
same() {
  _s_ctl=$IOVM_TMP/ctl.$3 _s_ref=$IOVM_TMP/lspci.$3
  if [ "$3" = root ]; then
    "$IOVM_CTL" config show -xxx "$4" > "$_s_ctl" 2>&1
    lspci -xxx -s "$4" > "$_s_ref" 2>&1
  else
    su -s /bin/sh nobody -c "$IOVM_CTL config show -xxx $4" > "$_s_ctl" 2>&1
    su -s /bin/sh nobody -c "lspci -xxx -s $4" > "$_s_ref" 2>&1
  fi
  if cmp -s "$_s_ctl" "$_s_ref"; then
    expect_num "$1: $(wc -l < "$_s_ref") lines" "$(wc -l < "$_s_ref")" "$2"
  else
    tap_fail "$1" "ioviewctl:" "$(cat "$_s_ctl")" "lspci:" "$(cat "$_s_ref")"
  fi
}
# The header line, 16 bytes a line, and the blank line lspci ends a device with.
same "root: edu, config show -xxx = lspci -xxx" 18 root "$edu"
same "root: ivshmem, config show -xxx = lspci -xxx" 18 root "$shm"
same "nobody: edu, config show -xxx = lspci -xxx" 6 nobody "$edu"
same "nobody: ivshmem, config show -xxx = lspci -xxx" 6 nobody "$shm"

expect_run "rmmod" rmmod ioview
