#!/bin/sh
# Print a table of instruction counts per function: C++ view version vs hand-written C.
# Usage: count.sh OUT_DIR FLAGSET_NAME...   (objects are OUT_DIR/<flagset>/{views,hand}.o)
set -eu
OUT=$1
shift
# Instructions in the body of each function: lines of objdump -d between "<name>:" and the next
# symbol, ignoring padding (nop) emitted after the return.
count() {
	objdump -d --no-show-raw-insn "$1" | awk '
		/^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name); next }
		/^ +[0-9a-f]+:\t/ && name != "" {
			insn = $0; sub(/^ +[0-9a-f]+:\t/, "", insn)
			if (insn ~ /^(nop|xchg +%ax,%ax|cs nopw|data16)/) next
			n[name]++
		}
		END { for (f in n) print f, n[f] }'
}
for set in "$@"; do
	count "$OUT/$set/views.o" | sort >"$OUT/$set/views.count"
	count "$OUT/$set/hand.o" | sort >"$OUT/$set/hand.count"
	echo "flags: $set ($(cat "$OUT/$set/flags"))"
	printf '%-22s %8s %8s %7s\n' pattern ioview C ratio
	join "$OUT/$set/views.count" "$OUT/$set/hand.count" | grep '^bench_' | while read -r f v c; do
		printf '%-22s %8d %8d %7s\n' "${f#bench_}" "$v" "$c" "$(awk -v a="$v" -v b="$c" 'BEGIN { printf "%.2f", a / b }')"
	done
	echo
done
