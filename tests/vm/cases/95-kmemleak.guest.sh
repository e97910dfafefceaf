# shellcheck shell=dash
# iovm-requires: CONFIG_DEBUG_KMEMLEAK
# After the last rmmod nothing the cases loaded may have leaked. kmemleak
# reports an object only once it is older than its minimum age (5 s) and
# has looked unreferenced in a scan, so it scans twice with a pause, as
# Documentation/dev-tools/kmemleak.rst advises, then reads the report.

kmemleak=/sys/kernel/debug/kmemleak
[ -e "$kmemleak" ] || mount -t debugfs debugfs /sys/kernel/debug
if [ ! -e "$kmemleak" ]; then
  tap_fail "kmemleak interface present" "no $kmemleak after mounting debugfs"
  return 0
fi
tap_ok "kmemleak interface present"

if grep -q '^ioview' /proc/modules; then
  tap_fail "no ioview module loaded before the scan" "$(grep '^ioview' /proc/modules)"
fi
expect_run "kmemleak scan" sh -c "echo scan > $kmemleak" || return 0
sleep 6
expect_run "kmemleak second scan" sh -c "echo scan > $kmemleak" || return 0
leaks=$(cat "$kmemleak")
if [ -z "$leaks" ]; then
  tap_ok "kmemleak finds no leak"
else
  tap_fail "kmemleak finds no leak" "$(printf '%s\n' "$leaks" | head -n 40)"
fi
