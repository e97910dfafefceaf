#!/bin/sh
# Runs build/user-ctl/ctl-tests and prints one TAP line per Catch2 test case.
#   run.sh OUT
set -u
out=$1
log=$out/ctl-tests.xml
LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp
export LSAN_OPTIONS
"$out/ctl-tests" -r xml >"$log" 2>"$log.stderr"
status=$?
# Catch2's XML report: a <TestCase name="..."> ... <OverallResult success="..."/> per case.
awk '
	/<TestCase name="/ {
		s = $0; sub(/.*<TestCase name="/, "", s); sub(/".*/, "", s)
		gsub(/&quot;/, "\"", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
		name = s
	}
	/<OverallResult success="/ && name != "" {
		n++
		printf "%s %d - %s\n", ($0 ~ /success="true"/) ? "ok" : "not ok", n, name
		name = ""
	}
	END { printf "1..%d\n", n }' "$log" >"$out/tap.txt"
cat "$out/tap.txt"
if ! grep -q '</Catch>' "$log"; then
	echo "not ok - ctl-tests did not finish (exit $status), see $log.stderr"
	sed 's/^/# /' "$log.stderr" | head -40
	exit 1
fi
# The failed expressions, for the log.
if grep -q '^not ok' "$out/tap.txt"; then
	"$out/ctl-tests" 2>&1 | sed 's/^/# /' | head -80
	exit 1
fi
[ "$status" -eq 0 ]
