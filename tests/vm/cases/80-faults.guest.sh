# shellcheck shell=dash
# iovm-requires: CONFIG_KASAN CONFIG_PROVE_LOCKING
# The debug kernel reports faults committed by C++ code (tests/vm/plants:
# ioview_faults.ko, built through kmod/kbuild/ioview.mk like ioview.ko): a lock taken
# in both orders, a write one byte past a kmalloc'd buffer, a read after
# kfree. Each load commits one fault inside an expect window, so the log
# scan requires exactly that report there and still fails on any other.
#
# Order matters: lockdep switches itself off after its first report, and a
# KASAN report taints the kernel with LOCKDEP_NOW_UNRELIABLE, which switches
# lockdep off too; so the lock inversion goes first and this case runs after
# every case that relies on lockdep.

if [ ! -e "$IOVM_FAULTS_MODULE" ]; then
  tap_fail "fault plants present" \
    "ioview_faults.ko is not in the initramfs: build/vmplants/$IOVM_RELEASE/tests/vm/plants/ioview_faults.ko was missing on the host"
  return 0
fi

# commit NAME FAULT LABEL HEADLINE FUNCTION DETAIL: loads the plant with
# fault=FAULT inside a window expecting a LABEL report whose line matches
# HEADLINE, then checks the report names the C++ FUNCTION (its mangled name)
# and has a line matching DETAIL.
commit() {
  _name=$1 _fault=$2 _label=$3 _headline=$4 _function=$5 _detail=$6
  echo "iovm: expect $_label $_headline" > /dev/kmsg
  _before=$(dmesg | wc -l)
  expect_run "$_name: insmod ioview_faults.ko fault=$_fault" insmod "$IOVM_FAULTS_MODULE" fault="$_fault"
  dmesg | tail -n +"$((_before + 1))" | sed 's/^\[[^]]*\] //' > "$IOVM_TMP/$_fault.report"
  expect_run "$_name: rmmod ioview_faults" rmmod ioview_faults
  echo "iovm: expect-end" > /dev/kmsg
  if grep -qE -- "$_headline" "$IOVM_TMP/$_fault.report"; then
    tap_ok "$_name: reported"
  else
    tap_fail "$_name: reported" "no line matches /$_headline/ in:" "$(head -n 20 "$IOVM_TMP/$_fault.report")"
    return 0
  fi
  if grep -qF -- "$_function" "$IOVM_TMP/$_fault.report"; then
    tap_ok "$_name: the report names the C++ function"
  else
    tap_fail "$_name: the report names the C++ function" "no '$_function' in:" "$(head -n 40 "$IOVM_TMP/$_fault.report")"
  fi
  expect_run "$_name: the report says $_detail" grep -qE -- "$_detail" "$IOVM_TMP/$_fault.report"
}

commit "lock order inversion" lock_inversion lockdep \
  'WARNING: possible circular locking dependency detected' \
  _ZN13ioview_faults13take_in_order 'lock_[ab]\.m'
commit "one byte past a kmalloc buffer" oob KASAN \
  'BUG: KASAN: slab-out-of-bounds in _ZN13ioview_faults14write_past_end' \
  _ZN13ioview_faults14write_past_end '^Write of size 1 at addr '
commit "read after kfree" uaf KASAN \
  'BUG: KASAN: slab-use-after-free in _ZN13ioview_faults15read_after_free' \
  _ZN13ioview_faults15read_after_free '^Read of size 1 at addr '
