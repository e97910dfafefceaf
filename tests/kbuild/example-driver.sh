#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Kbuild glue as another module uses it, printed as TAP: `make
# install-kbuild` into a temporary DESTDIR, then tests/example-driver built
# from a copy of its sources against that installed copy only, for each
# kernel, and the installed module check run on the result; the module
# check refusing a planted C++ call to the kernel in that module; the glue's
# refusals (a single-object C++ module, two modules sharing one runtime, a
# glue without the view library); a definition drifting from the example's
# boundary header failing to compile, on the C and on the C++ side; the
# README showing the example's files as they are.
#
#   tests/kbuild/example-driver.sh RELEASE...
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"
tap_diag_lines=30

# kmod/kbuild/README.md shows the example's files as they are: the fenced
# block after each "<!-- example: not compiled: PATH, ... -->" line (the
# marker tests/unit/extract-examples.sh takes: this code is built here, as a
# module, not as a userspace sample) must be PATH's content, and every file of
# the example must be shown.
readme=kmod/kbuild/README.md
shown=$(sed -n 's/^<!-- example: not compiled: \(tests\/example-driver\/[^,]*\), .* -->$/\1/p' "$readme")
readme_ok=y readme_why=
for f in tests/example-driver/*; do
	grep -qxF "$f" <<<"$shown" || { readme_ok=n; readme_why="$readme_why; $f is not shown"; }
done
for f in $shown; do
	block=$(awk -v want="<!-- example: not compiled: $f, " '
		index($0, want) == 1 { found = 1; next }
		found == 1 && /^```/ { found = 2; next }
		found == 2 && /^```$/ { exit }
		found == 2 { print }' "$readme")
	if [ ! -f "$f" ] || [ "$block" != "$(cat "$f")" ]; then
		readme_ok=n
		readme_why="$readme_why; $f differs: $(diff <(echo "$block") "$f" 2>&1 | head -n 6 | tr '\n' ' ')"
	fi
done
if [ $readme_ok = y ] && [ -n "$shown" ]; then
	ok "kmod/kbuild/README.md shows every file of tests/example-driver as it is"
else
	not_ok "kmod/kbuild/README.md shows every file of tests/example-driver as it is" "${readme_why#; }"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ioview-kbuild.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
glue=$dest/usr/share/ioview

if log=$(make --no-print-directory install-kbuild DESTDIR="$dest" PREFIX=/usr 2>&1); then
	ok "make install-kbuild DESTDIR=... PREFIX=/usr"
else
	not_ok "make install-kbuild DESTDIR=... PREFIX=/usr" "$log"
	echo "1..$n"; exit 1
fi
stray=$(cd "$dest" && find . -type f -not -path './usr/share/ioview/*')
missing=
for f in kbuild/ioview.mk kbuild/cxx-flags.sh kbuild/check-module.sh kbuild/README.md \
	 kbuild/runtime/ioview_cxxrt.h kbuild/runtime/ioview_cxxrt_abi.h kbuild/runtime/ioview_cxxrt.cpp \
	 kbuild/runtime/ioview_cxxrt_shim.c include/ioview/ioview.h include/ioview/mmio.h; do
	[ -f "$glue/$f" ] || missing="$missing $f"
done
want_headers=$(cd include && find ioview -name '*.h' | sort)
got_headers=$(cd "$glue/include" && find ioview -name '*.h' | sort)
if [ -z "$stray$missing" ] && [ "$want_headers" = "$got_headers" ] && [ -x "$glue/kbuild/check-module.sh" ]; then
	ok "the glue and every library header are installed under PREFIX/share/ioview, nothing elsewhere"
else
	not_ok "the glue and every library header are installed under PREFIX/share/ioview, nothing elsewhere" \
		"missing:${missing:- none}; outside: ${stray:-none}; headers differ: $(diff <(echo "$want_headers") <(echo "$got_headers") | head -n 5)"
fi

# copy_example DIR: the example's sources alone, as another project holds them.
copy_example() {
	mkdir -p "$1"
	cp tests/example-driver/Kbuild tests/example-driver/*.c tests/example-driver/*.h \
	   tests/example-driver/*.cpp "$1/"
}

# build DIR KDIR [MAKE-ARGS]: the module in DIR against the installed glue; output in $log.
build() {
	local dir=$1 kdir=$2
	shift 2
	log=$(make -C "$kdir" M="$dir" IOVIEW_DIR="$glue" "$@" modules 2>&1)
}

for rel in "$@"; do
	kdir=build/kernels/$rel/build
	ex=$tmp/example-$rel
	copy_example "$ex"
	if ! build "$ex" "$kdir"; then
		not_ok "$rel: the example builds against the installed glue" "$log"
		continue
	fi
	ko=$ex/edu_example.ko
	vermagic=$(modinfo -F vermagic "$ko" 2>&1)
	if [ "${vermagic%% *}" = "$rel" ]; then
		ok "$rel: the example builds against the installed glue (vermagic $rel)"
	else
		not_ok "$rel: the example builds against the installed glue" "vermagic: $vermagic"
	fi
	# Built from the installed copy only: no command or dependency names the source tree.
	from_tree=$(grep -l -e "$top/kmod" -e "$top/include" "$ex"/.*.cmd 2>/dev/null)
	cxx_cmd=$(head -n 1 "$ex/.driver.o.cmd")
	if [ -z "$from_tree" ] && [[ $cxx_cmd == *"-I$glue/include "* ]] &&
	   grep -q "^source_.*ioview_cxxrt.o := $glue/kbuild/runtime/ioview_cxxrt.cpp$" "$ex/.ioview_cxxrt.o.cmd"; then
		ok "$rel: the C++ objects and the runtime come from the installed copy, nothing from the source tree"
	else
		not_ok "$rel: the C++ objects and the runtime come from the installed copy, nothing from the source tree" \
			"naming the tree: ${from_tree:-none}"
	fi
	# The objects Kbuild linked: the module's own two and the runtime's two.
	objs=$(xargs -n 1 basename < "$ex/edu_example.mod" | sort | tr '\n' ' ')
	if [ "$objs" = "driver.o ioview_cxxrt.o ioview_cxxrt_shim.o shim.o " ]; then
		ok "$rel: edu_example.ko links the shim, the driver and the C++ runtime"
	else
		not_ok "$rel: edu_example.ko links the shim, the driver and the C++ runtime" "objects: $objs"
	fi
	if out=$("$glue/kbuild/check-module.sh" "$ko" "$kdir" 2>&1); then
		ok "$rel: the installed module check passes the example"
	else
		not_ok "$rel: the installed module check passes the example" "$out"
	fi
	build "$ex" "$kdir"
	rebuilt=$(grep -E '^ *(CC|CXX|LD) \[M\]' <<<"$log")
	if [ -z "$rebuilt" ]; then
		ok "$rel: a second build of the example rebuilds nothing"
	else
		not_ok "$rel: a second build of the example rebuilds nothing" "$rebuilt"
	fi
	touch "$glue/kbuild/runtime/ioview_cxxrt_abi.h"
	build "$ex" "$kdir"
	rebuilt=$(sed -nE 's@^ *(CC|CXX|LD) \[M\] +.*/@@p' <<<"$log" | sort | tr '\n' ' ')
	if [ "$rebuilt" = "edu_example.ko edu_example.o ioview_cxxrt.o ioview_cxxrt_shim.o " ]; then
		ok "$rel: touching the installed runtime header rebuilds only the runtime"
	else
		not_ok "$rel: touching the installed runtime header rebuilds only the runtime" "rebuilt: $rebuilt"
	fi
done

rel=$1
kdir=build/kernels/$rel/build

# The module check is the other module's too: a C++ object of the example
# that calls a kernel function itself, not through the shim, is refused.
bad=$tmp/planted
copy_example "$bad"
cat > "$bad/planted.cpp" <<'CPP'
extern "C" int _printk(const char *fmt, ...);
extern "C" int edu_example_planted(void);
extern "C" int edu_example_planted(void) { return _printk("planted\n"); }
CPP
sed -i 's/^edu_example-y := shim.o driver.o$/& planted.o/' "$bad/Kbuild"
if ! build "$bad" "$kdir"; then
	not_ok "$rel: the module check refuses the example's C++ calling the kernel directly" "$log"
else
	out=$("$glue/kbuild/check-module.sh" "$bad/edu_example.ko" "$kdir" 2>&1)
	status=$?
	if [ $status = 1 ] && grep -q ': C++ object calls outside the shim: planted.o: _printk$' <<<"$out"; then
		ok "$rel: the module check refuses the example's C++ calling the kernel directly"
	else
		not_ok "$rel: the module check refuses the example's C++ calling the kernel directly" \
			"exit status $status: $out"
	fi
fi

# expect_refusal NAME DIR TEXT: building DIR fails, saying TEXT, in which
# ` stands for a quote of the compiler's (ASCII or not, by the locale).
# shellcheck disable=SC2016 # sed's own $ and backquote
ere_of() {
	sed 's/[][\.*^$()+?{}|]/\\&/g; s/`/.{1,3}/g' <<<"$1"
}
expect_refusal() {
	if build "$2" "$kdir"; then
		not_ok "$1" "the build succeeded"
	elif grep -qE -- "$(ere_of "$3")" <<<"$log"; then
		ok "$1"
	else
		not_ok "$1" "no '$3' in: $log"
	fi
}
# The shim pattern: a definition that drifts from the shared header is a
# compile error on whichever side drifted.
drift=$tmp/drift-cxx
copy_example "$drift"
sed -i 's/^extern "C" int edu_example_probe(struct pci_dev \*pdev, volatile void \*base, unsigned long len)$/extern "C" int edu_example_probe(struct pci_dev *pdev, volatile void *base, unsigned int len)/' \
	"$drift/driver.cpp"
if cmp -s "$drift/driver.cpp" tests/example-driver/driver.cpp; then
	not_ok "a C++ definition drifting from edu_example.h is a compile error" "the edit did not apply"
else
	expect_refusal "a C++ definition drifting from edu_example.h is a compile error" "$drift" \
		"conflicting declaration of C function \`int edu_example_probe(pci_dev*, volatile void*, unsigned int)\`"
fi
drift=$tmp/drift-c
copy_example "$drift"
sed -i 's/^unsigned int edu_example_readl(const volatile void \*addr)$/unsigned long edu_example_readl(const volatile void *addr)/' \
	"$drift/shim.c"
if cmp -s "$drift/shim.c" tests/example-driver/shim.c; then
	not_ok "a C shim definition drifting from edu_example.h is a compile error" "the edit did not apply"
else
	expect_refusal "a C shim definition drifting from edu_example.h is a compile error" "$drift" \
		"conflicting types for \`edu_example_readl\`"
fi

solo=$tmp/solo
mkdir -p "$solo"
printf 'int solo_value;\n' > "$solo/solo.cpp"
# shellcheck disable=SC2016 # Make's $(IOVIEW_DIR), for the Kbuild file
printf 'obj-m := solo.o\ninclude $(IOVIEW_DIR)/kbuild/ioview.mk\n' > "$solo/Kbuild"
expect_refusal "the glue refuses a module that is a single C++ object" "$solo" \
	"ioview.mk: solo.o is a single C++ object"
two=$tmp/two
mkdir -p "$two"
printf 'int one_value;\n' > "$two/one_main.cpp"
printf 'int two_value;\n' > "$two/two_main.cpp"
# shellcheck disable=SC2016 # as above
printf 'obj-m := one.o two.o\none-y := one_main.o\ntwo-y := two_main.o\ninclude $(IOVIEW_DIR)/kbuild/ioview.mk\n' > "$two/Kbuild"
expect_refusal "the glue refuses to share its runtime between two modules of a directory" "$two" \
	"ioview.mk: the C++ runtime goes into one module per directory, not one two"
nolib=$tmp/nolib
mkdir -p "$nolib/share"
cp -r "$glue/kbuild" "$nolib/share/"
ex=$tmp/example-nolib
copy_example "$ex"
if log=$(make -C "$kdir" M="$ex" IOVIEW_DIR="$nolib/share" modules 2>&1); then
	not_ok "the glue refuses to build without the view library next to it" "the build succeeded"
elif grep -qF "ioview.mk: no view library (ioview/ioview.h) next to $nolib/share/kbuild" <<<"$log"; then
	ok "the glue refuses to build without the view library next to it"
else
	not_ok "the glue refuses to build without the view library next to it" "$log"
fi

tap_end
