#!/bin/sh
# Usage: run.sh SNIPPET_DIR OUT_DIR CXX FLAGS
# Each snippet names its expected diagnostic text in lines "// expect: TEXT" (all must appear,
# fixed strings); "// expect-instance: TEXT" lines are also required and name the type, offset
# and sizes the diagnostic carries.
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
		grep '^// expect' "$src" | sed 's/^\/\/ expect[a-z-]*: //' >"$OUT/$name.expect"
		if [ ! -s "$OUT/$name.expect" ]; then
			why="snippet names no expected diagnostic"
		fi
		while IFS= read -r text; do
			if ! grep -qF -- "$text" "$log"; then
				why="diagnostic lacks: $text"
				break
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
