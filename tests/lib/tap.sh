# shellcheck shell=bash
# TAP for the suites' host-side scripts (tests/check.sh counts the top-level
# "ok N" / "not ok N" lines). A script sources this, reports each check with
# one of the three forms below, and ends with tap_end, which prints the plan
# and returns non-zero when anything failed:
#
#   ok NAME                  a passing check
#   not_ok NAME [TEXT]       a failing one, TEXT quoted as diagnostics (its
#                            last $tap_diag_lines lines when that is set)
#   result OK|FAIL NAME [LOG]  either, from a verdict; LOG's first 40 lines
#                            quoted on failure
#
# (The VM test bed has its own, unnumbered TAP: tests/vm/lib/tap.sh.)

n=0 failures=0
tap_diag_lines=

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1)) failures=$((failures + 1))
	echo "not ok $n - $1"
	[ -n "${2:-}" ] || return 0
	if [ -n "$tap_diag_lines" ]; then
		printf '%s\n' "$2" | tail -n "$tap_diag_lines" | sed 's/^/# /'
	else
		printf '%s\n' "$2" | sed 's/^/# /'
	fi
}

result() {
	if [ "$1" = OK ]; then
		ok "$2"
	else
		not_ok "$2" "$( [ -n "${3:-}" ] && head -n 40 "$3")"
	fi
}

tap_end() {
	echo "1..$n"
	[ "$failures" = 0 ]
}
