#!/bin/sh
# Extract every ```cpp block from the doc comments of the headers under INCLUDE_DIR, and from the
# Markdown documents (the top-level README.md and include/ioview/doc/*.md), into its own
# translation unit in OUT_DIR, so the documentation cannot drift from the code.
# Prints "file<TAB>header:line" per example.
# Usage: extract-examples.sh INCLUDE_DIR OUT_DIR
set -eu
INC=$1
OUT=$2
rm -rf "$OUT"
mkdir -p "$OUT"
extract() {
	awk -v hdr="$1" -v out="$OUT" '
		BEGIN { n = 0; inside = 0 }
		{
			line = $0
			sub(/^[ \t]*\*[ ]?/, "", line)
		}
		!inside && line ~ /^```cpp[ \t]*$/ {
			inside = 1; n++
			name = hdr; gsub(/[\/.]/, "_", name)
			file = out "/" name "_" n ".cpp"
			print "// Extracted from " hdr ":" NR > file
			print "#include <ioview/ioview.h>" > file
			print "#include <ioview/testing/memory.h>" > file
			print "#include <ioview/testing/mock.h>" > file
			printf "%s\t%s:%d\n", file, hdr, NR
			next
		}
		inside && line ~ /^```[ \t]*$/ { inside = 0; close(file); next }
		inside { print line > file }
	' "$2"
}
for h in $(cd "$INC" && find ioview -name '*.h' | sort); do
	extract "$h" "$INC/$h"
done
# Named by their path, so that README.md and ioview/doc/README.md do not share file names.
extract README.md "$INC/../README.md"
for d in "$INC"/ioview/doc/*.md; do
	[ -f "$d" ] && extract "ioview/doc/$(basename "$d")" "$d"
done
