# shellcheck shell=bash
# The KTAP 28-ktap.guest.sh sent on the results port, judged by the kernel's
# own tools/testing/kunit/kunit_parser.py (Debian's python3, through
# tests/user/ctl/kunit-judge.py): the parser must take both documents without
# an error, and its counts must be the ones the tool printed in its Totals
# line; a run whose tool exit status was 0 must parse as SUCCESS.

top=${IOVM_DIR%/build/vm/*} # run.sh sets IOVM_DIR to TOP/build/vm/RELEASE
kunit=${IOVM_KUNIT_DIR:-$top/build/kernels/6.12.117-ioview-debug/build/tools/testing/kunit}
judge=$top/tests/user/ctl/kunit-judge.py
if [ ! -f "$kunit/kunit_parser.py" ]; then
  tap_fail "kunit_parser present" "no $kunit/kunit_parser.py (make deps unpacks the tree)"
  return 0
fi

# extract TAG FILE: the lines the guest sent as "# TAG| LINE".
extract() {
  sed -n "s/^# $1| \{0,1\}//p" "$IOVM_RESULTS" | tr -d '\r' > "$2"
}

# judge NAME FILE: kunit_parser's summary of FILE (JSON) in $IOVM_TMP/NAME.json.
judge() {
  if /usr/bin/python3 "$judge" "$kunit" "$2" > "$IOVM_TMP/$1.parser" 2>&1; then
    tail -n 1 "$IOVM_TMP/$1.parser" > "$IOVM_TMP/$1.json"
    tap_ok "$1: kunit_parser ran"
  else
    tap_fail "$1: kunit_parser ran" "$(tail -n 20 "$IOVM_TMP/$1.parser")"
    return 1
  fi
}
# field NAME KEY: KEY of the parser's summary.
field() {
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$IOVM_TMP/$1.json" "$2"
}
# totals FILE WHICH: pass, fail or skip from FILE's "# Totals:" line.
totals() {
  sed -n "s/^# Totals:.* $2:\([0-9]*\).*/\1/p; s/^# Totals: $2:\([0-9]*\).*/\1/p" "$1" | head -n 1
}

for which in all suite; do
  f=$IOVM_TMP/$which.ktap
  extract "ktap-$which" "$f"
  if [ ! -s "$f" ]; then
    tap_fail "$which: the guest sent its KTAP" "no '# ktap-$which|' lines in $IOVM_RESULTS"
    continue
  fi
  expect_eq "$which: the KTAP is version 1" "$(head -n 1 "$f")" "KTAP version 1" || continue
  judge "$which" "$f" || continue
  expect_eq "$which: kunit_parser found no errors" "$(field "$which" errors)" 0
  expect_num "$which: passed as the tool counted" "$(field "$which" passed)" "$(totals "$f" pass)"
  expect_num "$which: failed as the tool counted" "$(field "$which" failed)" "$(totals "$f" fail)"
  expect_num "$which: skipped as the tool counted" "$(field "$which" skipped)" "$(totals "$f" skip)"
  tap_diag "$which: kunit_parser: $(field "$which" passed) passed, $(field "$which" failed) failed, $(
    field "$which" skipped) skipped, status $(field "$which" status)"
done

status=$(sed -n 's/^# ktap-all-status \([0-9]*\).*/\1/p' "$IOVM_RESULTS" | head -n 1)
if [ "$status" = 0 ] && [ -s "$IOVM_TMP/all.json" ]; then
  expect_eq "all: the tool's exit 0 parses as SUCCESS" "$(field all status)" SUCCESS
elif [ -n "$status" ]; then
  expect_eq "all: a failed case shows in the parser's status" "$(field all status)" FAILURE
else
  tap_fail "all: the guest sent the tool's exit status" "no '# ktap-all-status' line"
fi
expect_eq "suite: one suite, ioview_config" "$(/usr/bin/python3 -c '
import json, sys
print(",".join(t["name"] for t in json.load(open(sys.argv[1]))["subtests"]))' "$IOVM_TMP/suite.json")" ioview_config
