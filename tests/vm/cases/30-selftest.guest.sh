# shellcheck shell=dash
# ioview.ko's in-kernel self-tests: loaded with selftest=1, the module logs
# its results as KTAP version 1. The KTAP is taken from the kernel log (the
# timestamp prefix stripped), its structure checked (plans, numbering, each
# suite's verdict against its cases), and every case reported as one result
# named suite.case. The test bed provides every device the suites use, so a
# skipped case is a failure here.

module_can_load "insmod ioview.ko selftest=1" || return 0

before=$(dmesg | wc -l)
expect_run "insmod ioview.ko selftest=1" insmod "$IOVM_MODULE" selftest=1 || return 0
expect_eq "selftest parameter reads back" "$(cat /sys/module/ioview/parameters/selftest 2>&1)" Y

# Everything the kernel logged since, from the first KTAP line on, without
# the "[    1.234567] " prefix.
ktap=$IOVM_TMP/selftest.ktap
dmesg | tail -n +"$((before + 1))" | sed 's/^\[[^]]*\] //' |
  awk '!started && $0 == "KTAP version 1" { started = 1 } started' > "$ktap"

# One line per finding, tab-separated:
#   case  SUITE.CASE  ok|fail|skip  DIAGNOSTIC
#   error WHAT        (the KTAP is malformed)
# Lines that match no KTAP form are "unknown lines" (other kernel messages)
# and are ignored, as KTAP allows.
findings=$IOVM_TMP/selftest.findings
awk '
  function err(what) { printf "error\t%s\n", what; bad = 1 }
  BEGIN { state = "version"; suites = 0; planned = -1 }
  state == "version" {
    if ($0 != "KTAP version 1") { err("first line is not \"KTAP version 1\": " $0); exit }
    state = "plan"; next
  }
  state == "plan" {
    if ($0 !~ /^1\.\.[0-9]+$/) { err("no top-level plan after the version line: " $0); exit }
    planned = substr($0, 4) + 0; state = "suite"; next
  }
  # A suite: "  KTAP version 1", "  # Subtest: NAME", "  1..M", cases, result.
  state == "suite" && $0 == "  KTAP version 1" { state = "subtest"; next }
  state == "subtest" {
    if ($0 !~ /^  # Subtest: /) { err("suite " suites + 1 " has no \"# Subtest:\" line: " $0); exit }
    suite = substr($0, 14); state = "subplan"; next
  }
  state == "subplan" {
    if ($0 !~ /^  1\.\.[0-9]+$/) { err("suite " suite " has no plan: " $0); exit }
    cases = substr($0, 6) + 0; seen = 0; failed = 0; skipped = 0; diag = ""
    state = "cases"; next
  }
  state == "cases" && /^  # / { diag = substr($0, 5); next }
  state == "cases" && /^  (not )?ok [0-9]+ / {
    line = substr($0, 3)
    verdict = "ok"
    if (line ~ /^not ok /) { verdict = "fail"; line = substr(line, 8) } else line = substr(line, 4)
    num = line; sub(/ .*/, "", num); line = substr(line, length(num) + 2)
    name = line; sub(/ .*/, "", name)
    why = ""
    if (line ~ / # SKIP/) { verdict = "skip"; why = line; sub(/^[^#]*# SKIP ?/, "", why) }
    seen++
    if (num + 0 != seen) err("suite " suite ": case " name " is numbered " num ", want " seen)
    if (verdict == "fail") { failed++; why = diag }
    if (verdict == "skip") skipped++
    printf "case\t%s.%s\t%s\t%s\n", suite, name, verdict, why
    diag = ""; next
  }
  state == "cases" && /^(not )?ok [0-9]+ / {
    suites++
    line = $0; want = (failed ? "not ok " : "ok ") suites " " suite
    if (seen != cases) err("suite " suite ": plan says " cases " cases, " seen " reported")
    if (index(line, want) != 1 || (length(line) > length(want) && substr(line, length(want) + 1, 3) != " # "))
      err("suite " suite ": result line is \"" line "\", want \"" want "\"")
    state = (suites == planned) ? "done" : "suite"; next
  }
  END {
    if (state != "done" && !bad)
      err("KTAP ended in state " state " after " suites " of " planned " suites")
  }
' "$ktap" > "$findings"

total=0
while IFS='	' read -r kind name verdict why; do
  case $kind in
    error) tap_fail "KTAP well formed" "$name" "KTAP as logged:" "$(cat "$ktap")" ;;
    case)
      total=$((total + 1))
      case $verdict in
        ok) tap_ok "$name" ;;
        skip) tap_fail "$name" "skipped: $why" ;;
        *) tap_fail "$name" "${why:-no diagnostic}" ;;
      esac ;;
  esac
done < "$findings"

if ! grep -q '^error' "$findings"; then
  tap_ok "KTAP well formed"
fi
if [ "$total" -eq 0 ]; then
  tap_fail "self-tests ran" "no case in the KTAP:" "$(cat "$ktap")"
fi

# Every mapping a case made was released: the only resource left in ioview's
# name is edu's BAR0, which the edu driver holds while it is bound.
edu=$(pci_find_one "edu present for the iomem check" 0x1234 0x11e8)
edu_bar0=
if [ -n "$edu" ] && read -r lo hi _ < "/sys/bus/pci/devices/$edu/resource"; then
  edu_bar0=$(printf '%x-%x' "$lo" "$hi")
fi
held_by_driver() {
  grep -F ioview /proc/iomem | sed 's/^ *//; s/ : .*//' | while IFS=- read -r lo hi; do
    printf '%x-%x\n' "0x$lo" "0x$hi"
  done
}
expect_eq "I/O memory requested by ioview is edu's BAR0 only" "$(held_by_driver)" "$edu_bar0"

# On demand: writing 1 to the parameter runs every suite again, before the
# write returns, with the same cases and verdicts as at load.
param=/sys/module/ioview/parameters/selftest
grep -E '^  (not )?ok ' "$ktap" > "$IOVM_TMP/load.cases"
before=$(dmesg | wc -l)
expect_run "writing 1 to the selftest parameter succeeds" sh -c "echo 1 > $param"
dmesg | tail -n +"$((before + 1))" | sed 's/^\[[^]]*\] //' |
  awk '!started && $0 == "KTAP version 1" { started = 1 } started' > "$IOVM_TMP/again.ktap"
grep -E '^  (not )?ok ' "$IOVM_TMP/again.ktap" > "$IOVM_TMP/again.cases"
expect_eq "on-demand run reports the load-time cases and verdicts" \
  "$(cat "$IOVM_TMP/again.cases")" "$(cat "$IOVM_TMP/load.cases")"

# A value that is not a bool is refused and runs nothing.
before=$(dmesg | wc -l)
if sh -c "echo maybe > $param" 2>/dev/null; then
  tap_fail "a non-bool selftest value is refused" "the write succeeded"
else
  tap_ok "a non-bool selftest value is refused"
fi
expect_eq "a refused value runs no suite" "$(dmesg | tail -n +"$((before + 1))" | grep -c 'KTAP version')" 0
expect_eq "I/O memory requested by ioview after the on-demand run is edu's BAR0 only" \
  "$(held_by_driver)" "$edu_bar0"

# No WARN, BUG or interrupt trouble (an unhandled shared line) from the driver.
expect_eq "kernel log has no warning, bug or irq complaint" \
  "$(dmesg | grep -E -e 'WARNING:|BUG:|Oops|nobody cared|irq [0-9]+: ' | head -n 5)" ""

expect_run "rmmod ioview" rmmod ioview
expect_eq "no I/O memory left requested by ioview after rmmod" "$(grep -F ioview /proc/iomem)" ""
