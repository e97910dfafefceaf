#!/bin/sh
# Usage: run.sh SNIPPET_DIR OUT_DIR CXX FLAGS
#
# Each snippet must fail to compile with exactly one error (a misuse is one mistake, so it must
# read as one), and the snippet states what that error says:
#   // expect-first: TEXT    the first line containing "error:" contains TEXT (a fixed string);
#                            for ioview's own checks that is the diagnostic type with its numbers
#   // expect: TEXT          TEXT appears somewhere in the compiler's output
#   // expect-errors: N      the number of error lines, when a compiler message (not ioview's) has more
# It must also compile with -DIOVIEW_CF_CONTROL, where the misuse is removed, so a typo cannot
# pass as a failure.
set -u
DIR=$1
OUT=$2
CXX=$3
FLAGS=$4
export LC_ALL=C  # plain quotes in diagnostics
n=0
failed=0
for src in "$DIR"/*.cpp; do
	name=$(basename "$src" .cpp)
	n=$((n + 1))
	log=$OUT/$name.log
	ctl=$OUT/$name.control.log
	why=""
	if $CXX $FLAGS "$src" >"$log" 2>&1; then
		why="compiled, expected a failure"
	else
		first=$(grep -m1 'error:' "$log")
		errors=$(grep -c 'error:' "$log")
		want_errors=$(sed -n 's/^\/\/ expect-errors: //p' "$src")
		grep -E '^// expect(-first)?: ' "$src" | sed 's/^\/\/ expect[a-z-]*: //' >"$OUT/$name.expect"
		if [ ! -s "$OUT/$name.expect" ]; then
			why="snippet names no expected diagnostic"
		fi
		if [ "$errors" != "${want_errors:-1}" ]; then
			why="$errors error lines, expected ${want_errors:-1}"
		fi
		want_first=$(sed -n 's/^\/\/ expect-first: //p' "$src")
		if [ -z "$why" ] && [ -n "$want_first" ]; then
			case $first in
			*"$want_first"*) ;;
			*) why="first error lacks: $want_first" ;;
			esac
		fi
		while [ -z "$why" ] && IFS= read -r text; do
			if ! grep -qF -- "$text" "$log"; then
				why="diagnostic lacks: $text"
			fi
		done <"$OUT/$name.expect"
	fi
	if [ -z "$why" ] && ! $CXX $FLAGS -DIOVIEW_CF_CONTROL "$src" >"$ctl" 2>&1; then
		why="control (-DIOVIEW_CF_CONTROL) does not compile"
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		echo "# $why"
		grep -E 'error' "$log" "$ctl" 2>/dev/null | head -5 | sed 's/^/#   /'
	fi
done
echo "1..$n"
echo "# $failed of $n failed"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
