#!/usr/bin/env bash
# The C side of ioview.ko held to the kernel's own style tools, as TAP:
#
#   tests/style/run.sh
#
# scripts/checkpatch.pl (file mode, --strict, no kernel tree around the
# files) and scripts/kernel-doc (-none -Wall) from the tree the debug kernel
# is built in (Debian's linux-source-6.12, tests/vm/debug-kernel/build.sh)
# run over every C file and C header of the module and of the VM test bed's
# plants, and over the UAPI header.  One line per file and tool; a failure
# quotes what the tool said.  A further line requires a kernel-doc comment
# for every function the C++ side and the shim share through shim.h, for
# every function of netlink.h and of the generated netlink handlers' table,
# and for each of the C++ runtime's C half (kbuild/runtime).
# The self-test lines first run all three checks on small bad inputs and
# require each to be caught, and on a good one, which must pass.
#
# No tree is a failure, not a skip: the tools are what this suite is.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
out=$top/build/style
rm -rf "$out"
mkdir -p "$out"

# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

tree=$(tests/vm/debug-kernel/build.sh --dir)/linux-source-6.12
checkpatch=$tree/scripts/checkpatch.pl
kernel_doc=$tree/scripts/kernel-doc
for f in "$checkpatch" "$tree/scripts/spelling.txt" "$tree/scripts/const_structs.checkpatch" "$kernel_doc"; do
	if [ ! -f "$f" ]; then
		echo "1..1"
		echo "not ok 1 - kernel style tools: $f is missing (the debug kernel's tree: make deps)"
		exit 1
	fi
done

# The checkpatch types a file may not be held to, each with its reason.
# Anything not listed here is fixed in the file instead.
ignored_types() {	# ignored_types FILE
	case $1 in
	kmod/shim/shim.h)
		# VOLATILE: MMIO pointers are `volatile void *` because C++ cannot
		#   spell the kernel's `volatile void __iomem *` (the accessor use
		#   Documentation/process/volatile-considered-harmful.rst allows).
		# NEW_TYPEDEFS: ioview_size_t and ioview_va_list are the two types
		#   that C++ (no kernel headers) and C must both name; module.c
		#   asserts them equal to size_t and va_list.
		# PREFER_DEFINED_ATTRIBUTE_MACRO: __printf() and __aligned() come
		#   from kernel headers, which the C++ side of this header lacks.
		# MULTISTATEMENT_MACRO_USE_DO_WHILE, MACRO_ARG_REUSE,
		#   FUNCTION_ARGUMENTS: IOVIEW_BENCH_PAIR() declares a C and a C++
		#   benchmark with one prototype, at file scope, where do-while
		#   cannot go; checkpatch reads its uses as definitions (and then
		#   takes the parameter name "value" for a type in later
		#   prototypes that span lines).
		echo VOLATILE,NEW_TYPEDEFS,PREFER_DEFINED_ATTRIBUTE_MACRO,MULTISTATEMENT_MACRO_USE_DO_WHILE,MACRO_ARG_REUSE,FUNCTION_ARGUMENTS ;;
	kmod/shim/mmio.c)
		# VOLATILE: the definitions repeat shim.h's MMIO prototypes.
		# COMPLEX_MACRO: each accessor is made by one macro so that no
		#   forwarder can differ from the next; a macro that defines a
		#   function cannot be put in parentheses.
		echo VOLATILE,COMPLEX_MACRO ;;
	kmod/shim/pci.c | kmod/bench/bench_c.c)
		# VOLATILE: the definitions repeat shim.h's MMIO prototypes.
		echo VOLATILE ;;
	kmod/shim/compat.h)
		# LINUX_VERSION_CODE, CONSTANT_COMPARISON: the header exists to
		#   choose between the APIs of the kernels the module is built
		#   for, by `LINUX_VERSION_CODE < KERNEL_VERSION()` as the kernel
		#   itself spells it.
		echo LINUX_VERSION_CODE,CONSTANT_COMPARISON ;;
	kmod/kbuild/runtime/ioview_cxxrt_abi.h)
		# NEW_TYPEDEFS: ioview_cxxrt_size_t, the size type C++ (no kernel
		#   headers) and C must both name, as in shim.h.
		echo NEW_TYPEDEFS ;;
	kmod/kbuild/runtime/ioview_cxxrt_shim.c)
		# AVOID_BUG: a call through a pure virtual slot has no way back
		#   (the C++ ABI's handler must not return), so it BUG()s.
		echo AVOID_BUG ;;
	esac
}

# checkpatch runs in a scratch directory, where it leaves the cache of its
# CamelCase list (.checkpatch-camelcase.*), with GIT_DIR naming no
# repository so that it does not seed that list from this tree's include/
# (C++ headers); the paths in its report are made relative again.
run_checkpatch() {	# run_checkpatch FILE LOG [IGNORES]
	local ignore=() file=$1
	[ -n "${3:-}" ] && ignore=(--ignore "$3")
	case $file in /*) ;; *) file=$top/$file ;; esac
	mkdir -p "$out/checkpatch-cwd"
	(cd "$out/checkpatch-cwd" && GIT_DIR=$out/no-git perl "$checkpatch" -f --no-tree --strict \
		--show-types --color=never "${ignore[@]}" "$file") > "$2" 2>&1
	local status=$?
	sed -i "s|$top/||g" "$2"
	return "$status"
}

# kernel-doc prints nothing in -none mode unless something is wrong.
run_kernel_doc() {	# run_kernel_doc FILE LOG
	perl "$kernel_doc" -none -Wall -Werror "$1" > "$2" 2>&1 && [ ! -s "$2" ]
}

# The functions HEADER declares (gcc's own list: -aux-info) or, for a
# header that needs the kernel's, its prototypes at the start of a line.
declared_functions() {	# declared_functions HEADER COMPILES_ALONE
	if [ "$2" = yes ]; then
		gcc -fsyntax-only -aux-info "$out/aux.txt" -x c "$1" &&
			sed -nE "s|^/\* $1:[0-9]+:NC \*/ .*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*|\1|p" "$out/aux.txt"
	else
		sed -nE 's/^[a-z][^(;]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/p' "$1"
	fi
}

# The functions with a kernel-doc comment in FILE... (kernel-doc's parse).
documented_functions() {	# documented_functions FILE...
	perl "$kernel_doc" -rst "$@" 2>/dev/null |
		sed -nE 's/^\.\. c:function:: .*[ *]([A-Za-z_][A-Za-z0-9_]*) ?\(.*/\1/p'
}

# undocumented HEADER COMPILES_ALONE EXCLUDE_RE DOCFILE...: prints the
# functions HEADER declares that no DOCFILE documents.
undocumented() {
	local header=$1 alone=$2 exclude=$3
	shift 3
	declared_functions "$header" "$alone" | grep -Ev "$exclude" | sort -u > "$out/declared.txt" || return 1
	[ -s "$out/declared.txt" ] || { echo "no function found in $header"; return 1; }
	documented_functions "$header" "$@" | sort -u > "$out/documented.txt"
	comm -23 "$out/declared.txt" "$out/documented.txt"
}

self_test() {
	local dir=$out/self-test
	mkdir -p "$dir"
	# Spaces for a tab, no space around an operator, and a kernel-doc
	# comment that names one of two parameters and has no Return: section.
	# (6.12's checkpatch takes // comments: they are no fault any more.)
	cat > "$dir/bad.c" <<-'EOF'
	// SPDX-License-Identifier: GPL-2.0
	#include <linux/types.h>

	/**
	 * bad_sum() - the sum of two numbers
	 * @a: the first
	 */
	int bad_sum(int a, int b)
	{
	    return a+b;
	}
	EOF
	cat > "$dir/good.c" <<-'EOF'
	// SPDX-License-Identifier: GPL-2.0
	#include <linux/types.h>

	/**
	 * good_sum() - the sum of two numbers
	 * @a: the first
	 * @b: the second
	 *
	 * Return: @a + @b.
	 */
	int good_sum(int a, int b)
	{
		return a + b;
	}
	EOF
	# Two functions, one with kernel-doc, one with a plain comment.
	cat > "$dir/bad.h" <<-'EOF'
	/* SPDX-License-Identifier: GPL-2.0 */
	/**
	 * bad_documented() - documented
	 *
	 * Return: 0.
	 */
	int bad_documented(void);
	/* Not a kernel-doc comment. */
	int bad_undocumented(void);
	EOF

	if run_checkpatch "$dir/bad.c" "$dir/checkpatch-bad.log"; then
		result FAIL "self-test: checkpatch flags a bad file" "$dir/checkpatch-bad.log"
	elif grep -q 'WARNING:LEADING_SPACE' "$dir/checkpatch-bad.log" &&
	     grep -q 'CHECK:SPACING' "$dir/checkpatch-bad.log"; then
		result OK "self-test: checkpatch flags a bad file"
	else
		result FAIL "self-test: checkpatch flags a bad file (not for the planted faults)" "$dir/checkpatch-bad.log"
	fi
	if run_kernel_doc "$dir/bad.c" "$dir/kernel-doc-bad.log"; then
		result FAIL "self-test: kernel-doc flags a bad comment" "$dir/kernel-doc-bad.log"
	elif grep -q "'b' not described" "$dir/kernel-doc-bad.log" &&
	     grep -q 'No description found for return value' "$dir/kernel-doc-bad.log"; then
		result OK "self-test: kernel-doc flags a bad comment"
	else
		result FAIL "self-test: kernel-doc flags a bad comment (not for the planted faults)" "$dir/kernel-doc-bad.log"
	fi
	if run_checkpatch "$dir/good.c" "$dir/checkpatch-good.log" &&
	   run_kernel_doc "$dir/good.c" "$dir/kernel-doc-good.log"; then
		result OK "self-test: both pass a good file"
	else
		cat "$dir/checkpatch-good.log" "$dir/kernel-doc-good.log" > "$dir/good.log"
		result FAIL "self-test: both pass a good file" "$dir/good.log"
	fi
	undocumented "$dir/bad.h" yes '^$' > "$dir/coverage.log" 2>&1
	if [ "$(cat "$dir/coverage.log")" = bad_undocumented ]; then
		result OK "self-test: the coverage check names exactly the undocumented function"
	else
		result FAIL "self-test: the coverage check names exactly the undocumented function" "$dir/coverage.log"
	fi
}

self_test

# Every C file under kmod/ (the generated ones included), the C headers
# there (the shim's and the C++ runtime's boundary), the plants' C and the
# UAPI header.
mapfile -t files < <( {
	find kmod -name '*.c'
	ls kmod/shim/*.h kmod/kbuild/runtime/ioview_cxxrt_abi.h tests/vm/plants/*.c tests/vm/plants/*.h
	echo include/uapi/ioview.h
} | sort)

for f in "${files[@]}"; do
	log=$out/$(echo "$f" | tr / _)
	if run_checkpatch "$f" "$log.checkpatch" "$(ignored_types "$f")"; then
		result OK "checkpatch --strict: $f"
	else
		result FAIL "checkpatch --strict: $f" "$log.checkpatch"
	fi
	if run_kernel_doc "$f" "$log.kernel-doc"; then
		result OK "kernel-doc -Wall: $f"
	else
		result FAIL "kernel-doc -Wall: $f" "$log.kernel-doc"
	fi
done

# shim.h compiles alone (builtin types only); the kernel's functions it
# declares for direct calls (pci_*_config_*(), memcpy_*io()) are the
# kernel's, documented there, and the benchmark pairs are declared by
# IOVIEW_BENCH_PAIR() and described per group in shim.h.
docs=(kmod/shim/*.c kmod/shim/*.h kmod/bench/*.c)
cxxrt=kmod/kbuild/runtime/ioview_cxxrt_abi.h
if {
	undocumented kmod/shim/shim.h yes '^(pci_|memcpy_|ioview_bench_c_|ioview_bench_cxx_)' "${docs[@]}" &&
		undocumented kmod/shim/netlink.h no '^$' "${docs[@]}" &&
		undocumented kmod/shim/ioview-nl.h no '^$' "${docs[@]}" &&
		undocumented "$cxxrt" yes '^$' "$cxxrt" kmod/kbuild/runtime/ioview_cxxrt_shim.c
} > "$out/coverage.log" 2>&1 && [ ! -s "$out/coverage.log" ]; then
	result OK "kernel-doc for every function of shim.h, netlink.h, the netlink handlers and the C++ runtime's C half"
else
	sed -i '1i undocumented:' "$out/coverage.log"
	result FAIL "kernel-doc for every function of shim.h, netlink.h, the netlink handlers and the C++ runtime's C half" "$out/coverage.log"
fi

tap_end
