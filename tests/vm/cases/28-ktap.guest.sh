# shellcheck shell=dash
# `ioviewctl selftest run` prints KTAP version 1 for the kernel's
# kunit_parser: the whole run, and one suite (ioview_config). The guest has
# no python, so the KTAP goes to the host on the results port, one diagnostic
# line `# ktap-all| LINE` or `# ktap-suite| LINE` each, with the tool's exit
# status as `# ktap-all-status N`; 28-ktap.host.sh feeds it to kunit_parser
# and holds its counts to the tool's own Totals line.

if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
module_can_load "ktap: insmod" || return 0
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

# send TAG FILE: FILE's lines as "# TAG| LINE" diagnostics (with the tag, a
# blank line is not blank, so tap_diag keeps it).
send() {
  tap_diag "$(sed "s/^/$1| /" "$2")"
}

"$IOVM_CTL" selftest run > "$IOVM_TMP/all.ktap" 2> "$IOVM_TMP/all.err"
status=$?
tap_diag "ktap-all-status $status"
send ktap-all "$IOVM_TMP/all.ktap"
expect_eq "selftest run: the KTAP ends with the totals" \
  "$(tail -n 1 "$IOVM_TMP/all.ktap" | sed 's/:[0-9][0-9]*/:N/g')" "# Totals: pass:N fail:N skip:N total:N" ||
  tap_diag "$(cat "$IOVM_TMP/all.err")"

"$IOVM_CTL" selftest run ioview_config > "$IOVM_TMP/suite.ktap" 2>&1
expect_eq "selftest run ioview_config exits 0" $? 0
send ktap-suite "$IOVM_TMP/suite.ktap"

expect_run "rmmod" rmmod ioview
