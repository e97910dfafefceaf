#!/bin/sh
# Extract every ```cpp block from the doc comments of the headers under INCLUDE_DIR and from the
# Markdown documents into its own translation unit in OUT_DIR, so the documentation cannot drift
# from the code. The Markdown documents are every *.md of the repository (INCLUDE_DIR/..) outside
# build/, or the MARKDOWN files given. INCLUDE_DIR "-" extracts no header.
#
# Prints one line per code block it judged:
#   FILE<TAB>WHERE            a translation unit to compile (WHERE: path:line of the fence)
#   SKIP<TAB>WHERE<TAB>WHY    a block marked as not compiled, and why
#   ERROR<TAB>WHERE<TAB>WHAT  a block that is neither compiled nor marked, or a bad marker
#
# A Markdown block may be marked by an HTML comment on the line right before its fence (GitHub
# and doxygen show neither):
#   <!-- example: continues -->         compiled after the previous compiled block of the same
#                                       file (a fragment whose prelude is that block)
#   <!-- example: not compiled: WHY --> not compiled; WHY is reported (e.g. kernel C that calls
#                                       readl(): no userspace test backend stands in for it)
# A ```c, ```c++, ```cc or ```h block must carry the second marker: C or C++ in a document is
# compiled or says why not. Other languages (sh, text) are not code samples of the library.
#
# Usage: extract-examples.sh INCLUDE_DIR|- OUT_DIR [MARKDOWN...]
set -eu
INC=$1
OUT=$2
shift 2
rm -rf "$OUT"
mkdir -p "$OUT"
# extract NAME PATH COMMENTS: COMMENTS=1 for a header (the blocks sit in " * " comment lines).
extract() {
	awk -v hdr="$1" -v out="$OUT" -v comments="$3" '
		function fail(what) { printf "ERROR\t%s:%d\t%s\n", hdr, NR, what }
		BEGIN { n = 0; inside = 0; marker = ""; marker_line = 0; previous = "" }
		{
			line = $0
			if (comments)
				sub(/^[ \t]*\*[ ]?/, "", line)
		}
		!inside && marker != "" && marker_line != NR - 1 {
			printf "ERROR\t%s:%d\t%s\n", hdr, marker_line, "the marker is not right before a code fence"
			marker = ""
		}
		!inside && line ~ /^[ \t]*<!-- example: .* -->[ \t]*$/ {
			marker = line
			sub(/^[ \t]*<!-- example: /, "", marker)
			sub(/ -->[ \t]*$/, "", marker)
			marker_line = NR
			next
		}
		!inside && line ~ /^[ \t]*```/ {
			lang = line
			sub(/^[ \t]*```/, "", lang)
			sub(/[ \t]*$/, "", lang)
			indent = line
			sub(/```.*/, "", indent)
			inside = 1
			m = marker
			marker = ""
			if (m ~ /^not compiled: ./) {
				why = m
				sub(/^not compiled: /, "", why)
				printf "SKIP\t%s:%d\t%s\n", hdr, NR, why
				mode = "skip"
				next
			}
			if (m != "" && m != "continues") {
				fail("unknown marker \"" m "\"")
				mode = "skip"
				next
			}
			if (lang == "cpp") {
				if (m == "continues" && previous == "") {
					fail("\"continues\" but no compiled block before it")
					mode = "skip"
					next
				}
				mode = "compile"
				n++
				name = hdr; gsub(/[\/.]/, "_", name)
				file = out "/" name "_" n ".cpp"
				print "// Extracted from " hdr ":" NR > file
				print "#include <ioview/ioview.h>" > file
				print "#include <ioview/testing/memory.h>" > file
				print "#include <ioview/testing/mock.h>" > file
				body = (m == "continues") ? previous : ""
				printf "%s\t%s:%d\n", file, hdr, NR
				next
			}
			if (m == "continues")
				fail("\"continues\" on a block that is not ```cpp")
			else if (lang == "c" || lang == "c++" || lang == "cc" || lang == "h")
				fail("a ```" lang " block is neither ```cpp nor marked \"not compiled: WHY\"")
			mode = "skip"
			next
		}
		inside && line ~ /^[ \t]*```[ \t]*$/ {
			inside = 0
			if (mode == "compile") {
				printf "%s", body > file
				close(file)
				previous = body
			}
			next
		}
		inside && mode == "compile" {
			# A block indented in a list item: its lines carry the fence indentation.
			if (indent != "" && index(line, indent) == 1)
				line = substr(line, length(indent) + 1)
			body = body line "\n"
		}
		END {
			if (inside)
				fail("a code block is not closed")
			if (marker != "")
				printf "ERROR\t%s:%d\t%s\n", hdr, marker_line, "the marker is not right before a code fence"
		}
	' "$2"
}
if [ "$INC" != - ]; then
	for h in $(cd "$INC" && find ioview -name '*.h' | sort); do
		extract "$h" "$INC/$h" 1
	done
fi
if [ $# -gt 0 ]; then
	for d in "$@"; do
		extract "$d" "$d" 0
	done
else
	root=$(cd "$INC/.." && pwd)
	# Named by their path from the top, so that README.md and include/ioview/doc/README.md differ.
	for d in $(cd "$root" && find . -path ./build -prune -o -name .git -prune -o -name '*.md' -print | sed 's|^\./||' | sort); do
		extract "$d" "$root/$d" 0
	done
fi
