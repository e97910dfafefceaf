#!/bin/sh
# Compile patterns.cpp with the given flags and check every pattern keeps its accesses.
# Usage: check.sh CXX OUT_DIR FLAGSET_NAME "FLAGS..."
# Prints one "ok|not ok<TAB>name" line per pattern (the unit check's TAP collector format).
set -u
CXX=$1
OUT=$2
SET=$3
FLAGS=$4
DIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
obj=$OUT/patterns-$SET.o
if ! $CXX $FLAGS -c "$DIR/patterns.cpp" -o "$obj" 2>"$obj.log"; then
	printf 'not ok\tcodegen patterns compile (%s)\n' "$SET"
	sed 's/^/# /' "$obj.log" | head -20 >&2
	exit 0
fi
objdump -d --no-show-raw-insn "$obj" >"$obj.dis"
# Per function: memory loads (a memory source operand of a mov, cmp or test), memory stores
# (a mov whose destination is memory), and whether a backward branch encloses a load.
awk -v set="$SET" '
	function hex(s,    n, i, c) {
		n = 0
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1))
			n = n * 16 + c - 1
		}
		return n
	}
	function flush() {
		if (name == "")
			return
		want_loads = 0; want_stores = 0; want_loop = 0
		if (name ~ /_read_twice$/) want_loads = 2
		if (name ~ /_poll$/) { want_loads = 1; want_loop = 1 }
		if (name ~ /_write_twice$/) want_stores = 4
		loop = 0
		for (j = 0; j < nj; j++)
			for (l = 0; l < nl; l++)
				if (jt[j] <= la[l] && la[l] < ja[j])
					loop = 1
		ok = loads >= want_loads && stores >= want_stores && (!want_loop || loop)
		printf "%s\tcodegen %s: %s keeps its accesses (%d loads, %d stores%s; %s)\n", ok ? "ok" : "not ok", \
			set, name, loads, stores, loop ? ", load in a loop" : "", \
			"wants >= " want_loads " loads, >= " want_stores " stores" (want_loop ? ", a loop around a load" : "")
		name = ""
	}
	/^[0-9a-f]+ <.*>:$/ {
		flush()
		name = $2; gsub(/[<>:]/, "", name)
		if (name !~ /^(coherent|iosys|sysmem)_/) { name = ""; next }
		loads = 0; stores = 0; nj = 0; nl = 0
		next
	}
	name != "" && /^ +[0-9a-f]+:\t/ {
		a = $1; sub(/:$/, "", a); addr = hex(a)
		insn = $0; sub(/^ +[0-9a-f]+:\t/, "", insn)
		split(insn, p, /[ \t]+/)
		op = p[1]; args = insn; sub(/^[^ \t]+[ \t]+/, "", args)
		if (op ~ /^(mov|cmp|test|add|sub|or|and|xor)/ && args ~ /^[^,]*\(/ ) { la[nl++] = addr; loads++ }
		else if (op ~ /^mov/ && args ~ /,.*\(/) stores++
		if (op ~ /^j/ && args ~ /^[0-9a-f]+ </) {
			t = args; sub(/ .*/, "", t); t = hex(t)
			if (t <= addr) { jt[nj] = t; ja[nj] = addr; nj++ }
		}
	}
	END { flush() }
' "$obj.dis"
