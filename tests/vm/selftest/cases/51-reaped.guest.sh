# shellcheck shell=dash
# The background child of 50-hangs must have gone with it.
child=$(cat "$IOVM_TMP/hangs.child" 2> /dev/null)
if [ -z "$child" ]; then
  tap_fail "a hung case's background child was killed with it" "50-hangs left no pid"
# A zombie is dead, only not yet reaped by init.
elif [ -r "/proc/$child/stat" ] && [ "$(cut -d ' ' -f 3 "/proc/$child/stat")" != Z ]; then
  tap_fail "a hung case's background child was killed with it" \
    "pid $child still runs: $(tr '\0' ' ' < "/proc/$child/cmdline")"
else
  tap_ok "a hung case's background child was killed with it"
fi
