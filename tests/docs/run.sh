#!/bin/sh
# The documentation, as TAP:
#
#   tests/docs/run.sh
#
# The API reference (include/ioview/doc/Doxyfile, what `make docs` runs) builds with no doxygen
# warning: every public entity of include/ioview documented, no broken command or reference.
# Its main page is include/ioview/doc/README.md, memory-order.md is a page of it, and every
# example of a header comment or of those two documents is a code block in it. Then the checks
# are shown to fail: an undocumented function in a copy of the headers fails doxygen, an example
# the HTML lacks is found missing, and the compile test of the documents' code samples
# (tests/unit/extract-examples.sh, compile-examples.sh, run by the unit suite) fails a broken
# sample, an unmarked C block and a stray marker, and compiles a "continues" fragment.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/docs-check
rm -rf "$out"
mkdir -p "$out"
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

# doxygen OUTPUT_DIR [INPUT_DIR]: the project's Doxyfile, from the top, with the output (and
# the input) moved; its warnings in OUTPUT_DIR.log. Succeeds only with no warning at all.
doxygen_run() {
	rm -rf "$1"
	mkdir -p "$1"
	(
		cd "$top" || exit 1
		cat include/ioview/doc/Doxyfile
		echo "OUTPUT_DIRECTORY = $1"
		if [ -n "${2:-}" ]; then
			echo "INPUT = $2"
			echo "USE_MDFILE_AS_MAINPAGE = $2/doc/README.md"
			echo "STRIP_FROM_PATH = $(dirname "$2")"
			echo "STRIP_FROM_INC_PATH = $(dirname "$2")"
		fi
	) | (cd "$top" && doxygen -) >"$1.out" 2>"$1.log"
	[ $? -eq 0 ] && [ ! -s "$1.log" ]
}

if ! command -v doxygen >/dev/null; then
	echo "doxygen is not installed (make deps)" >"$out/none.log"
	result FAIL "doxygen is installed" "$out/none.log"
	echo "1..$n"
	exit 1
fi

# The reference itself, where `make docs` puts it.
if doxygen_run "$top/build/docs"; then
	result OK "the API reference builds without a warning ($(doxygen --version))"
else
	result FAIL "the API reference builds without a warning" "$top/build/docs.log"
fi
html=$top/build/docs/html
if grep -q 'Two checking tiers' "$html/index.html" 2>/dev/null; then
	result OK "its main page is include/ioview/doc/README.md"
else
	result FAIL "its main page is include/ioview/doc/README.md"
fi
if grep -q 'Ordering guarantees of ioview accessors' "$html/md_ioview_doc_memory_order.html" 2>/dev/null &&
	grep -q 'href="md_ioview_doc_memory_order.html"' "$html/index.html"; then
	result OK "memory-order.md is a page, linked from the main page"
else
	result FAIL "memory-order.md is a page, linked from the main page"
fi

# Every example of the headers and of include/ioview/doc/*.md is a code block of the HTML.
sh "$top/tests/unit/extract-examples.sh" "$top/include" "$out/examples" "$top"/include/ioview/doc/*.md \
	>"$out/examples.list"
examples=$(grep -c '	' "$out/examples.list")
if python3 "$top/tests/docs/examples-in-html.py" "$html" "$out/examples.list" >"$out/examples.tap"; then
	result OK "each of the $examples examples is a code block of the reference"
else
	grep '^not ok' "$out/examples.tap" >"$out/examples.missing"
	result FAIL "each of the $examples examples is a code block of the reference" "$out/examples.missing"
fi

# --- the checks fail when they should

# An undocumented function added to a copy of the headers: doxygen fails and names it.
mkdir -p "$out/undocumented"
cp -r "$top/include/ioview" "$out/undocumented/ioview"
sed -i 's|^} // namespace ioview$|inline int undocumented_probe() { return 0; }\n&|' "$out/undocumented/ioview/region.h"
if ! grep -q undocumented_probe "$out/undocumented/ioview/region.h"; then
	echo "the undocumented function was not planted" >"$out/plant.log"
	result FAIL "an undocumented function fails the reference" "$out/plant.log"
elif doxygen_run "$out/undocumented-html" "$out/undocumented/ioview"; then
	result FAIL "an undocumented function fails the reference (doxygen passed)"
elif grep -q 'undocumented_probe.*is not documented' "$out/undocumented-html.log"; then
	result OK "an undocumented function fails the reference, named in the warning"
else
	result FAIL "an undocumented function fails the reference, named in the warning" "$out/undocumented-html.log"
fi
# The unchanged copy passes: what failed above is the planted function, not the relocation.
mkdir -p "$out/copy"
cp -r "$top/include/ioview" "$out/copy/ioview"
if doxygen_run "$out/copy-html" "$out/copy/ioview"; then
	result OK "an unchanged copy of the headers passes the same run"
else
	result FAIL "an unchanged copy of the headers passes the same run" "$out/copy-html.log"
fi

# An example that is no code block of the HTML is found missing.
cat >"$out/absent.cpp" <<'EOF'
// Extracted from nowhere
#include <ioview/ioview.h>
#include <ioview/testing/memory.h>
#include <ioview/testing/mock.h>
int example_that_no_page_shows() { return 7; }
EOF
printf '%s\tnowhere.h:1\n' "$out/absent.cpp" >"$out/absent.list"
if python3 "$top/tests/docs/examples-in-html.py" "$html" "$out/absent.list" >"$out/absent.tap"; then
	result FAIL "an example missing from the reference is caught" "$out/absent.tap"
elif grep -q '^not ok	example at nowhere.h:1' "$out/absent.tap"; then
	result OK "an example missing from the reference is caught"
else
	result FAIL "an example missing from the reference is caught" "$out/absent.tap"
fi

# The documents' sample test on a document of known samples: each gets its verdict.
cat >"$out/samples.md" <<'EOF'
# Samples

```cpp
int sample_good() { ioview::u32 x = 1; return ioview::sysmem::view_of(x).read_val(); }
```

<!-- example: continues -->
```cpp
int sample_fragment() { return sample_good() + 1; }
```

```cpp
int sample_broken() { return ioview::no_such_thing; }
```

```c
int sample_unmarked_c(void) { return readl(0); }
```

<!-- example: not compiled: kernel C -->
```c
int sample_marked_c(void) { return readl(0); }
```

<!-- example: continues -->

```cpp
int sample_after_a_stray_marker() { return 0; }
```

```sh
echo shell is no code sample of the library
```
EOF
sh "$top/tests/unit/extract-examples.sh" - "$out/samples" "$out/samples.md" >"$out/samples.list"
sh "$top/tests/unit/compile-examples.sh" "$out/samples.list" "$top" g++ >"$out/samples.tap" 2>"$out/samples.log"
samples_status=$?
sed "s|$out/||" "$out/samples.tap" >"$out/samples.got"
cat >"$out/samples.want" <<'EOF'
ok	example at samples.md:3 compiles
ok	example at samples.md:8 compiles
not ok	example at samples.md:12 compiles
not ok	example at samples.md:16: a ```c block is neither ```cpp nor marked "not compiled: WHY"
ok	example at samples.md:21 is not compiled # SKIP kernel C
not ok	example at samples.md:25: the marker is not right before a code fence
ok	example at samples.md:27 compiles
EOF
if [ "$samples_status" -ne 0 ] && diff -u "$out/samples.want" "$out/samples.got" >"$out/samples.diff"; then
	result OK "the sample test fails a broken sample, an unmarked C block and a stray marker, compiles a fragment"
else
	echo "exit status $samples_status" >>"$out/samples.diff"
	result FAIL "the sample test fails a broken sample, an unmarked C block and a stray marker, compiles a fragment" \
		"$out/samples.diff"
fi
# The broken sample fails for the reason planted, not for something else.
if grep -q 'no_such_thing' "$out/samples.log"; then
	result OK "the broken sample's error names what is broken"
else
	result FAIL "the broken sample's error names what is broken" "$out/samples.log"
fi

tap_end
