#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves a built module stays inside the kernel C++ subset.
#
#   check-module.sh MODULE.ko
#
# The objects of the module are read from MODULE.mod (written by Kbuild);
# an object built from a .cpp file is C++, anything else is the C side.
# Every violation is reported (not just the first), one line each:
#
#   MODULE.ko: <what>: <where>
#
# and the exit status is 1 if there was any.  The checks:
#  - sections that need a C++ runtime the kernel does not have: global
#    constructors/destructors (.init_array, .fini_array, .ctors, .dtors),
#    unwind and exception tables (.eh_frame, .gcc_except_table), TLS
#    (.tdata, .tbss);
#  - RTTI and guard symbols (_ZTI, _ZTS, _ZGV, _ZTH, _ZTW);
#  - undefined symbols of the module outside those the C side uses and a
#    small allowlist (mem*, ftrace, thunks, stack protector); undefined
#    symbols of a C++ object outside what the module itself defines, the
#    same allowlist and the kernel functions the boundary header declares
#    for direct calls (C++ reaches the kernel only through the shim, or
#    through a function the boundary declares with the kernel's prototype);
#  - SSE, AVX, MMX or x87 instructions;
#  - a stack frame larger than IOVIEW_STACK_BUDGET bytes (default 1024).
set -euo pipefail

ko=$1
budget=${IOVIEW_STACK_BUDGET:-1024}
# The boundary header: the names declared between its "direct kernel calls"
# markers are kernel functions C++ may call without a wrapper.
boundary=${IOVIEW_BOUNDARY_HEADER:-$(dirname "$0")/../shim/shim.h}
dir=$(dirname "$ko")
mod=${ko%.ko}.mod
failed=0

report() {
	printf '%s: %s: %s\n' "$ko" "$1" "$2"
	failed=1
}

# The function names declared between the boundary header's markers.
direct_calls() {
	[ -f "$boundary" ] || return 0
	sed -n '/ioview: direct kernel calls begin/,/ioview: direct kernel calls end/p' "$boundary" |
		sed -nE 's/^[^#(]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p' | sort -u
}

[ -f "$ko" ] || { echo "$ko: no such module" >&2; exit 2; }
[ -f "$mod" ] || { echo "$ko: no $mod listing its objects" >&2; exit 2; }

cxx_objs=() c_objs=("${ko%.ko}.mod.o")
for o in $(cat "$mod"); do
	[ -f "$o" ] || o=$dir/$(basename "$o")
	if [ -f "${o%.o}.cpp" ]; then cxx_objs+=("$o"); else c_objs+=("$o"); fi
done

allowed='^(memcpy|memmove|memset|memcmp|__fentry__|__x86_return_thunk|__x86_indirect_thunk_.*|__x86_indirect_call_thunk_.*|__x86_indirect_jump_thunk_.*|__stack_chk_fail|__stack_chk_guard|__ref_stack_chk_guard|fixed_percpu_data|__cxa_pure_virtual)$'

check_sections() {
	local s
	for s in $(readelf -SW "$ko" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p'); do
		case ${s#.rela} in
		.init_array*|.fini_array*|.ctors*|.dtors*)
			report "global constructor or destructor section" "$s" ;;
		.eh_frame*|.gcc_except_table*)
			report "exception or unwind table section" "$s" ;;
		.tdata*|.tbss*)
			report "thread-local storage section" "$s" ;;
		esac
	done
}

check_runtime_symbols() {
	local sym
	for sym in $(nm "$ko" | awk '{print $NF}' | grep -E '^_Z(TI|TS|GV|TH|TW)' | sort -u); do
		case $sym in
		_ZTI*|_ZTS*) report "RTTI symbol" "$sym" ;;
		_ZGV*) report "static guard variable" "$sym" ;;
		*) report "thread_local wrapper" "$sym" ;;
		esac
	done
}

check_undefined() {
	local sym c_side defined o direct
	c_side=$(nm -u "${c_objs[@]}" 2>/dev/null | awk 'NF == 2 {print $2}' | sort -u)
	direct=$(direct_calls)
	for sym in $(nm -u "$ko" | awk '{print $2}' | sort -u); do
		grep -qxF "$sym" <<<"$c_side" && continue
		grep -qxF "$sym" <<<"$direct" && continue
		grep -qE "$allowed" <<<"$sym" && continue
		report "undefined symbol outside the allowlist" "$sym"
	done
	[ ${#cxx_objs[@]} -gt 0 ] || return 0
	defined=$(nm --defined-only "${cxx_objs[@]}" "${c_objs[@]}" 2>/dev/null |
		  awk 'NF == 3 {print $3}' | sort -u)
	for o in "${cxx_objs[@]}"; do
		for sym in $(nm -u "$o" | awk '{print $2}' | sort -u); do
			grep -qxF "$sym" <<<"$defined" && continue
			grep -qE "$allowed" <<<"$sym" && continue
			grep -qxF "$sym" <<<"$direct" && continue
			report "C++ object calls outside the shim" "$(basename "$o"): $sym"
		done
	done
}

# One pass over the disassembly: floating point/vector instructions and
# stack frames, each attributed to the function it is in.
check_code() {
	local out
	out=$(objdump -d --no-show-raw-insn "$ko" | awk -v budget="$budget" '
		/^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
		/%[xyz]mm[0-9]|%mm[0-7]|%st(\(|$|,)/ {
			print "SSE/MMX/x87 instruction\t" fn ": " $2 " " $3; next }
		$2 ~ /^(fld|fst|fild|fist|fadd|fsub|fmul|fdiv|fxch|fcom|fucom|fninit|fnstcw|fldcw|fnsave|frstor|fxsave|fxrstor|emms)/ {
			print "SSE/MMX/x87 instruction\t" fn ": " $2; next }
		# A frame is allocated by "sub $N,%rsp" or, when N is 128 (which
		# fits a signed byte only negated), by "add $-N,%rsp"; a 64-bit
		# immediate with the top bit set is negative and is read as such.
		($2 == "sub" || $2 == "add") && $3 ~ /^\$0x[0-9a-f]+,%rsp$/ {
			n = $3; sub(/^\$0x/, "", n); sub(/,%rsp$/, "", n)
			neg = length(n) == 16 && index("89abcdef", substr(n, 1, 1)) > 0
			v = 0
			for (i = 1; i <= length(n); i++) {
				d = index("0123456789abcdef", substr(n, i, 1)) - 1
				v = v * 16 + (neg ? 15 - d : d)
			}
			if (neg)
				v = v + 1
			if ((($2 == "sub") != neg) && v > budget)
				print "stack frame over " budget " bytes\t" fn ": " v " bytes"
		}')
	[ -n "$out" ] || return 0
	while IFS=$'\t' read -r what where; do
		report "$what" "$where"
	done <<<"$out"
}

check_sections
check_runtime_symbols
check_undefined
check_code
exit $failed
