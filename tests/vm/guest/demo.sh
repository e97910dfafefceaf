# shellcheck shell=dash
# shellcheck disable=SC2317 # the steps are functions step() calls by name
# What `make run` shows: ioview loaded by its PCI id and driven through
# ioviewctl on both devices, one captioned step at a time. Prints for a
# person; ends with the verdict line "demo: N of M steps passed" (naming
# the failed steps if any) and exits non-zero if a step failed.
#
# The mailbox step needs the host peer: the demo opens the mailbox, then
# asks run.sh for the peer with the control line "@@ mailbox-peer" (run.sh
# starts user/mailbox-peer in reverse mode for one message).

# shellcheck source=../lib/tap.sh
. /lib/iovm/tap.sh
# shellcheck source=lib.sh
. /lib/iovm/lib.sh

out=$IOVM_TMP/demo.out
steps=0 passed=0 failed_steps='' step_failed=0

# fail WHY: the current step failed, and why.
fail() {
  echo "  FAILED: $*"
  step_failed=1
}

# step FUNCTION TITLE CAPTION: runs FUNCTION as the next numbered step.
step() {
  steps=$((steps + 1)) step_failed=0
  printf '\n== %d. %s\n   (%s)\n' "$steps" "$2" "$3"
  "$1"
  if [ "$step_failed" = 0 ]; then
    passed=$((passed + 1))
  else
    failed_steps="${failed_steps:+$failed_steps, }$steps ($2)"
  fi
}

indent() {
  sed '/^$/!s/^/    /'
}

# ctl ARGS...: ioviewctl ARGS as a person would type it, output indented
# (and kept in $out); a non-zero exit fails the step.
ctl() {
  _c_shown=
  for _c_arg; do
    case $_c_arg in *' '*) _c_arg="\"$_c_arg\"" ;; esac
    _c_shown="$_c_shown $_c_arg"
  done
  printf '  $ ioviewctl%s\n' "$_c_shown"
  "$IOVM_CTL" "$@" > "$out" 2>&1
  _c_rc=$?
  indent < "$out"
  [ "$_c_rc" = 0 ] || fail "ioviewctl $* exited $_c_rc"
  return "$_c_rc"
}

# has TEXT WHAT: the last ctl output contains TEXT, or the step fails saying WHAT.
has() {
  grep -qF -- "$1" "$out" || fail "$2: no '$1' in the output"
}

load_by_modalias() {
  alias=$(cat "/sys/bus/pci/devices/$edu/modalias")
  printf '  $ modprobe %s\n' "$alias"
  before=$(dmesg | wc -l)
  modprobe "$alias" || { fail "modprobe exited $?"; return; }
  dmesg | tail -n +"$((before + 1))" | grep -F ioview | indent
  for bdf in "$edu" "$shm"; do
    [ -e "$IOVM_DRIVER_DIR/$bdf" ] || fail "$bdf is not bound to ioview"
  done
  # From here on every event of the family is collected, for the last step.
  "$IOVM_CTL" monitor > "$IOVM_TMP/demo-monitor.out" 2>&1 &
  monitor=$!
  sleep 1
}

device_list() {
  ctl dev show && has "$edu" "edu listed" && has "$shm" "ivshmem listed"
}

config_space() {
  for bdf in "$edu" "$shm"; do
    ctl config show "$bdf" && has "Memory at" "the BARs decoded"
  done
  ctl config show -x "$edu" && has "00: 34 12 e8 11" "edu's ids in the dump"
  ctl config show -x "$shm" && has "00: f4 1a 10 11" "ivshmem's ids in the dump"
}

registers() {
  ctl reg show "$edu" && has "liveness" "edu's liveness register"
  ctl reg show "$shm" && has "iv_position" "ivshmem's position register"
}

factorial() {
  ctl edu fact "$edu" 10 --irq && has "10! = 3628800" "the factorial"
}

dma_round_trip() {
  ctl edu dma "$edu" roundtrip 0 "hello, DMA" || return
  ctl edu dma "$edu" read 0 10 && has "68 65 6c 6c 6f 2c 20 44 4d 41" "the bytes read back"
}

mailbox() {
  printf '  $ ioviewctl shm send %s "hello, host"\n' "$shm"
  # The first send opens the mailbox; the host peer attaches to it once asked.
  "$IOVM_CTL" shm send "$shm" "hello, host" > "$out" 2>&1
  indent < "$out"
  grep -qF "the host peer is not attached" "$out" || fail "the first send, with no host peer yet, was not refused"
  echo "    (the refused send opened the mailbox; the host is asked for its peer)"
  echo "@@ mailbox-peer"
  tries=0
  until "$IOVM_CTL" shm send "$shm" "hello, host" > "$out" 2>&1; do
    grep -qF "the host peer is not attached" "$out" || break
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || break
    sleep 0.1
  done
  if [ -s "$out" ]; then
    fail "the send was refused: $(cat "$out")"
  else
    printf '  $ ioviewctl shm send %s "hello, host"\n' "$shm"
    echo "    (sent once the host peer attached, after $tries more refused tries)"
    ctl shm recv "$shm" --timeout 10000 && has "tsoh ,olleh" "the host's answer reversed"
  fi
  ctl shm close "$shm"
}

selftests() {
  # The whole KTAP is long: its suites' verdicts and the totals are shown.
  sleep 0.5 # the monitor prints the mailbox's event a moment after the exchange
  events_before_selftests=$(wc -l < "$IOVM_TMP/demo-monitor.out")
  printf '  $ ioviewctl selftest run\n'
  "$IOVM_CTL" selftest run > "$out" 2>&1
  _s_rc=$?
  grep -E '^(not )?ok [0-9]+ |^# ' "$out" | sed 's/^/    /'
  [ "$_s_rc" = 0 ] || fail "ioviewctl selftest run exited $_s_rc"
  grep -q '^ok [0-9]' "$out" || fail "no suite passed"
  ! grep -q '^not ok ' "$out" || fail "a suite failed"
}

monitor_events() {
  kill "$monitor" 2> /dev/null
  wait "$monitor" 2> /dev/null
  printf '  $ ioviewctl monitor   (started after step 1, stopped now)\n'
  # The self-tests' own events are many: counted by kind, not listed.
  head -n "${events_before_selftests:-0}" "$IOVM_TMP/demo-monitor.out" | indent
  # A line "[N] (K events lost before this one)" says the monitor fell behind.
  tail -n +"$((${events_before_selftests:-0} + 1))" "$IOVM_TMP/demo-monitor.out" |
    awk '$2 ~ /^\(/ { lost += substr($2, 2); next } { n[$2]++; total++ }
      END { printf "    (then, during the self-tests, %d more:", total
        for (k in n) printf " %s %d", k, n[k]
        if (lost) printf "; %d lost while the monitor fell behind", lost
        print ")" }'
  for event in "factorial-done $edu value 0x375f00" "dma-done $edu" "mbox-message $shm value 0xb"; do
    grep -qF "$event" "$IOVM_TMP/demo-monitor.out" || fail "no '$event' event"
  done
}

unload() {
  printf '  $ rmmod ioview\n'
  before=$(dmesg | wc -l)
  rmmod ioview || { fail "rmmod exited $?"; return; }
  dmesg | tail -n +"$((before + 1))" | grep -F ioview | indent
  ! module_loaded ioview || fail "ioview is still in /proc/modules"
}

echo "ioview demo on Linux $IOVM_RELEASE ($(uname -m), QEMU TCG)"
edu=$(pci_find 0x1234 0x11e8)
shm=$(pci_find 0x1af4 0x1110)
if [ -z "$edu" ] || [ -z "$shm" ] || [ ! -x "$IOVM_CTL" ]; then
  echo "demo: cannot start: edu '$edu', ivshmem '$shm', ioviewctl at $IOVM_CTL"
  exit 1
fi
monitor=

step load_by_modalias "load by PCI id" \
  "modprobe of edu's modalias finds ioview in modules.alias; it binds edu and ivshmem"
step device_list "device list" "the functions ioview bound, with their ids and resources"
step config_space "configuration space" "the header decoded as lspci -v does (BARs, edu's MSI capability), then 64 bytes in hex"
step registers "registers" "each register of the device's map read once, its fields decoded"
step factorial "factorial by interrupt" "edu computes 10!; the driver waits for edu's interrupt, not by polling"
step dma_round_trip "DMA round trip" "bytes to edu's buffer by DMA and back, then read again"
step mailbox "mailbox with the host" "a message to the host peer over ivshmem's shared memory, its answer reversed"
step selftests "self-tests" "the module's in-kernel suites against the real devices, as KTAP"
step monitor_events "events" "what ioviewctl monitor saw: the factorial, the DMA and the mailbox message"
step unload "unload" "rmmod: ioview lets go of both functions"

echo
if [ "$passed" = "$steps" ]; then
  echo "demo: $passed of $steps steps passed"
  exit 0
fi
echo "demo: $passed of $steps steps passed; failed: $failed_steps"
exit 1
