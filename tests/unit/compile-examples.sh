#!/bin/sh
# Compile each example extract-examples.sh listed (userspace flags, syntax only) and print one
# "ok|not ok<TAB>name" line per block on standard output; a failing compiler's first lines go to
# standard error as "# " comments. A block marked "not compiled" is an "ok ... # SKIP" line
# naming why; an unmarked C block or a bad marker is a failure.
# Usage: compile-examples.sh LIST ROOT CXX
# Exit status: 0 only if no line is "not ok".
set -u
LIST=$1
ROOT=$2
CXX=$3
status=0
while IFS='	' read -r src where why; do
	case $src in
	SKIP)
		printf 'ok\texample at %s is not compiled # SKIP %s\n' "$where" "$why" ;;
	ERROR)
		printf 'not ok\texample at %s: %s\n' "$where" "$why"
		status=1 ;;
	*)
		# -I kmod: an example may show a driver's use of the module's headers (kernel/barrier.h,
		# devices/edu.h).
		if $CXX -std=gnu++20 -Wall -Wextra -Werror -Wno-unused-function -I"$ROOT/include" -I"$ROOT/kmod" \
			-fsyntax-only "$src" 2>"$src.log"; then
			printf 'ok\texample at %s compiles\n' "$where"
		else
			printf 'not ok\texample at %s compiles\n' "$where"
			sed 's/^/# /' "$src.log" | head -20 >&2
			status=1
		fi ;;
	esac
done <"$LIST"
exit $status
