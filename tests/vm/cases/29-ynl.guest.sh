# shellcheck shell=dash
# The family as its YNL spec (include/uapi/ioview.yaml) describes it, through
# the kernel's own client, tools/net/ynl/cli.py, which builds every request
# and decodes every reply from the spec alone: a dump (dev-get lists both
# functions) and two dos (config-read of edu's ids, reg-read of its
# identification register), each compared with what the hardware holds.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
cli=/usr/share/ynl/cli.py spec=/usr/share/ioview/ioview.yaml
if [ ! -f "$cli" ] || [ ! -x /usr/bin/python3 ]; then
  tap_fail "cli.py and python3 present" "run.sh found no tools/net/ynl or no /usr/bin/python3 on the host"
  return 0
fi
module_can_load "ynl: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

out=$IOVM_TMP/ynl.out
# ynl NAME ARGS...: cli.py ARGS (JSON output) exits 0; its output is in $out.
ynl() {
  _y_name=$1
  shift
  if PYTHONPATH=/usr/lib/python3/dist-packages python3 -S -B "$cli" --spec "$spec" --no-schema --output-json \
    "$@" > "$out" 2>&1; then
    tap_ok "$_y_name"
  else
    tap_fail "$_y_name" "cli.py $* failed:" "$(cat "$out")"
    return 1
  fi
}
# has NAME TEXT: the last output contains TEXT.
has() {
  if grep -qF -- "$2" "$out"; then tap_ok "$1"; else tap_fail "$1" "no '$2' in:" "$(cat "$out")"; fi
}

ynl "cli.py --dump dev-get" --dump dev-get &&
  has "the dump lists edu" "\"dev-name\": \"$edu\"" &&
  has "the dump lists ivshmem" "\"dev-name\": \"$shm\""
ynl "cli.py --do config-read" --do config-read --json "{\"dev-name\": \"$edu\", \"offset\": 0, \"length\": 4}" &&
  has "config-read: edu's vendor and device ids, in memory order" '"data": "3412e811"'
ynl "cli.py --do reg-read" --do reg-read --json "{\"dev-name\": \"$edu\", \"register\": \"identification\"}" &&
  has "reg-read: edu's identification" "\"value\": $(printf '%d' 0x010000ed)"

expect_run "rmmod" rmmod ioview
