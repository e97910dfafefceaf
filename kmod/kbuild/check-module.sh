#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves a built module stays inside the kernel C++ subset.
#
#   check-module.sh MODULE.ko [KERNEL-CONFIG | KERNEL-BUILD-DIR]
#
# For any module built with ioview.mk (next to this script).  The objects
# of the module are read from MODULE.mod (written by Kbuild); an object
# whose .cmd file names a .cpp source (or, without one, that has a .cpp
# next to it) is C++, anything else is the C side.  The kernel's .config
# (given, as a file or the build directory holding it, or found as "kdir"
# above the .ko) says which sanitizers the objects must carry; without one
# the sanitizer checks are skipped.
#
# Kernel functions the C++ side may call directly are declared in the
# module's boundary header between the lines
#   /* ioview: direct kernel calls begin */ and /* ioview: direct kernel calls end */
# read from every .h file under the .ko's directory, or from the files
# IOVIEW_BOUNDARY_HEADER names (separated by spaces).
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
dir=$(dirname "$ko")
# The boundary headers: the names declared between their "direct kernel
# calls" markers are kernel functions C++ may call without a wrapper.
if [ -n "${IOVIEW_BOUNDARY_HEADER:-}" ]; then
	read -r -a boundary <<<"$IOVIEW_BOUNDARY_HEADER"
else
	mapfile -t boundary < <(find "$dir" -name '*.h' | sort)
fi
mod=${ko%.ko}.mod
failed=0

# The kernel's configuration decides which sanitizers the objects must
# carry: given, or that of the tree build-module.sh recorded as "kdir" in
# the module's output directory (the .ko sits one or more levels below it).
kconfig=${2:-}
[ -z "$kconfig" ] || [ ! -d "$kconfig" ] || kconfig=$kconfig/.config
if [ -n "$kconfig" ] && [ ! -f "$kconfig" ]; then
	echo "$ko: no kernel configuration $kconfig" >&2
	exit 2
fi
if [ -z "$kconfig" ]; then
	d=$dir
	for _ in 1 2 3 4 5; do
		[ -f "$d/kdir/.config" ] && { kconfig=$d/kdir/.config; break; }
		d=$(dirname "$d")
	done
fi
has() {
	[ -n "$kconfig" ] && grep -qx "$1=y" "$kconfig"
}

report() {
	printf '%s: %s: %s\n' "$ko" "$1" "$2"
	failed=1
}

# The function names declared between the boundary header's markers.
direct_calls() {
	local h
	for h in "${boundary[@]}"; do
		[ -f "$h" ] || continue
		sed -n '/ioview: direct kernel calls begin/,/ioview: direct kernel calls end/p' "$h"
	done |
		sed -nE 's/^[^#(]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p' | sort -u
}

[ -f "$ko" ] || { echo "$ko: no such module" >&2; exit 2; }
[ -f "$mod" ] || { echo "$ko: no $mod listing its objects" >&2; exit 2; }

cxx_objs=() c_objs=("${ko%.ko}.mod.o")
# Kbuild's .cmd file of object O names its source on a "source_O := FILE" line.
is_cxx() {
	local cmd src
	cmd=$(dirname "$1")/.$(basename "$1").cmd
	src=$(sed -n 's/^source_[^ ]* := //p' "$cmd" 2>/dev/null | head -n 1)
	if [ -n "$src" ]; then
		[ "${src%.cpp}" != "$src" ]
	else
		[ -f "${1%.o}.cpp" ]
	fi
}
for o in $(cat "$mod"); do
	[ -f "$o" ] || o=$dir/$(basename "$o")
	if is_cxx "$o"; then cxx_objs+=("$o"); else c_objs+=("$o"); fi
done

allowed='^(memcpy|memmove|memset|memcmp|__fentry__|__x86_return_thunk|__x86_indirect_thunk_.*|__x86_indirect_call_thunk_.*|__x86_indirect_jump_thunk_.*|__stack_chk_fail|__stack_chk_guard|__ref_stack_chk_guard|fixed_percpu_data|__cxa_pure_virtual)$'

# On a KASAN kernel the compiler registers each object's instrumented
# globals from a constructor of its own (gcc 12 names it _sub_I_65535_N,
# and its unregistering twin _sub_D_65535_N), for C and C++ alike; the
# kernel runs .init_array as module constructors (CONFIG_CONSTRUCTORS, which
# KASAN selects).  Those are allowed, and only those: every entry of
# .init_array must be such a function whose only references are
# __asan_register_globals and data (the globals' descriptors), every entry
# of .fini_array one that references only __asan_unregister_globals.  Any
# other function there (a C++ global constructor) is reported by name.
# Prints "ARRAY<TAB>FUNCTION<TAB>WHY" for every entry that is not allowed.
asan_ctor_offences() {
	{
		echo '@sections'; readelf -SW "$ko"
		echo '@symbols'; readelf -sW "$ko"
		echo '@relocs'; readelf -rW "$ko"
	} | awk '
		function hex(h,   i, v) {
			v = 0; h = tolower(h)
			for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			return v
		}
		/^@/ { part = $0; next }
		part == "@sections" && match($0, /^ *\[ *[0-9]+\] /) {
			idx = substr($0, RSTART, RLENGTH); gsub(/[][ ]/, "", idx)
			split(substr($0, RSTART + RLENGTH), f, " "); secname[idx] = f[1]; next
		}
		part == "@symbols" && $4 == "FUNC" {
			sec = secname[$7]; nf[sec]++
			fstart[sec, nf[sec]] = hex($2); fsize[sec, nf[sec]] = $3 + 0; fname[sec, nf[sec]] = $8
			next
		}
		part == "@relocs" && /^Relocation section / { rs = $3; gsub(/\047/, "", rs); sub(/^\.rela/, "", rs); next }
		part == "@relocs" && $1 ~ /^[0-9a-f]+$/ && NF >= 5 {
			tgt = $5; add = 0
			if (NF >= 7) add = ($6 == "-" ? -hex($7) : hex($7))
			nr[rs]++; roff[rs, nr[rs]] = hex($1); rtgt[rs, nr[rs]] = tgt; radd[rs, nr[rs]] = add
		}
		# The function of section sec that covers offset off.
		function func_at(sec, off,   i) {
			for (i = 1; i <= nf[sec]; i++)
				if (off >= fstart[sec, i] && off < fstart[sec, i] + fsize[sec, i] && fname[sec, i] !~ /^__pfx_/)
					return i
			return 0
		}
		END {
			for (a = 1; a <= 2; a++) {
				arr = a == 1 ? ".init_array" : ".fini_array"
				want = a == 1 ? "__asan_register_globals" : "__asan_unregister_globals"
				namere = a == 1 ? "^_sub_I_[0-9]+_[0-9]+$" : "^_sub_D_[0-9]+_[0-9]+$"
				for (e = 1; e <= nr[arr]; e++) {
					sec = rtgt[arr, e]; off = radd[arr, e]
					if (substr(sec, 1, 1) != ".") {      # a named function
						for (s2 in nf) for (i = 1; i <= nf[s2]; i++)
							if (fname[s2, i] == sec) { off += fstart[s2, i]; found = s2 }
						sec = found
					}
					i = func_at(sec, off)
					if (!i) { printf "%s\t%s+%#x\tnot a function\n", arr, sec, off; continue }
					fn = fname[sec, i]; calls = 0; other = ""
					for (r = 1; r <= nr[sec]; r++) {
						if (func_at(sec, roff[sec, r]) != i) continue
						t = rtgt[sec, r]
						if (t == want) calls++
						else if (substr(t, 1, 1) == "." && t !~ /^\.text/) continue    # data
						else if (t ~ /^(__x86_return_thunk|__fentry__)$/) continue
						else other = other " " t
					}
					if (fn !~ namere) printf "%s\t%s\tnot a KASAN globals constructor\n", arr, fn
					else if (other != "") printf "%s\t%s\talso refers to%s\n", arr, fn, other
					else if (!calls) printf "%s\t%s\tdoes not call %s\n", arr, fn, want
				}
			}
		}'
}

check_sections() {
	local s arr fn why
	if has CONFIG_KASAN && has CONFIG_CONSTRUCTORS; then
		while IFS=$'\t' read -r arr fn why; do
			report "global constructor or destructor" "$arr: $fn ($why)"
		done < <(asan_ctor_offences)
	fi
	for s in $(readelf -SW "$ko" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p'); do
		case ${s#.rela} in
		.init_array|.fini_array)
			# On KASAN kernels their entries were checked one by one above.
			if ! has CONFIG_KASAN || ! has CONFIG_CONSTRUCTORS; then
				report "global constructor or destructor section" "$s"
			fi ;;
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

# The sanitizers' runtime is the kernel's, called by compiler-generated code
# in C and C++ objects alike: allowed where the kernel has that sanitizer.
sanitizer_runtime=
has CONFIG_KASAN && sanitizer_runtime="$sanitizer_runtime|__asan_.*"
has CONFIG_UBSAN && sanitizer_runtime="$sanitizer_runtime|__ubsan_handle_.*"
has CONFIG_KCOV && sanitizer_runtime="$sanitizer_runtime|__sanitizer_cov_.*"
has CONFIG_KCSAN && sanitizer_runtime="$sanitizer_runtime|__tsan_.*"
[ -z "$sanitizer_runtime" ] || allowed="${allowed%)\$}$sanitizer_runtime)\$"

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

# Kbuild's opt-out for object STEM (or its whole directory) from sanitizer
# VAR (KASAN, UBSAN), as written in the module's Kbuild file: the decision
# the C++ object must follow exactly as a C one does.
opted_out() {
	local var=$1 stem=$2 kbuild
	for kbuild in "$dir/Kbuild" "$dir/Makefile"; do
		[ -f "$kbuild" ] || continue
		grep -qE "^[[:space:]]*${var}_SANITIZE(_${stem}\.o)?[[:space:]]*:?=[[:space:]]*n" "$kbuild" && return 0
	done
	return 1
}

# The sanitizers an object was compiled with, as its Kbuild .cmd file
# records the command: -fsanitize=/-fno-sanitize= taken in order, the last
# word winning as it does for the compiler; one name a line.
effective_sanitizers() {
	local cmd
	cmd=$(dirname "$1")/.$(basename "$1").cmd
	[ -f "$cmd" ] || return 0
	head -n 1 "$cmd" | tr ' ' '\n' | awk '
		/^-fsanitize=/ { n = split(substr($0, 12), a, ","); for (i = 1; i <= n; i++) on[a[i]] = 1 }
		/^-fno-sanitize=/ {
			n = split(substr($0, 15), a, ",")
			for (i = 1; i <= n; i++) if (a[i] == "all") { for (k in on) delete on[k] } else delete on[a[i]]
		}
		END { for (k in on) print k }' | sort
}

# On a sanitizer kernel, C++ must be instrumented exactly as C: every C++
# object that KASAN covers and that accesses memory through a pointer must
# carry KASAN's checks (calls to __asan_* or inline shadow checks against
# CONFIG_KASAN_SHADOW_OFFSET), one opted out must carry none; an object
# UBSAN covers must have been compiled with every UBSAN check its C twins
# got (a binary only shows a UBSAN check where one was needed), one opted
# out must call no __ubsan_handle_*.
check_instrumentation() {
	local o stem shadow dis ref c want got
	has CONFIG_KASAN || has CONFIG_UBSAN || return 0
	shadow=$(sed -n 's/^CONFIG_KASAN_SHADOW_OFFSET=0x//p' "$kconfig")
	# The UBSAN checks a covered C object of this module was compiled with.
	ref=
	for c in "${c_objs[@]}"; do
		[ "$c" != "${ko%.ko}.mod.o" ] || continue
		opted_out UBSAN "$(basename "${c%.o}")" && continue
		ref=$(effective_sanitizers "$c" | grep -vx 'kernel-address')
		[ -z "$ref" ] || break
	done
	for o in "${cxx_objs[@]}"; do
		stem=$(basename "${o%.o}")
		if has CONFIG_KASAN; then
			dis=$(objdump -d --no-show-raw-insn "$o")
			local checks=0 accesses
			accesses=$(grep -E '\(%r[a-z0-9]+' <<<"$dis" | grep -vE '\((%rsp|%rip)' |
				   grep -cvE '^ *[0-9a-f]+:[[:space:]]+(lea|nop)' || true)
			if nm -u "$o" | grep -qE ' __asan_(report_)?(load|store)' ||
			   { [ -n "$shadow" ] && grep -qi "\$0x0*$shadow," <<<"$dis"; }; then
				checks=1
			fi
			if opted_out KASAN "$stem"; then
				# Not even the globals registration may be there.
				! nm -u "$o" | grep -q ' __asan_' || checks=1
				[ $checks = 0 ] || report "C++ object opted out of KASAN is instrumented" "$stem.o"
			elif [ "$accesses" -gt 0 ] && [ $checks = 0 ]; then
				report "C++ object not instrumented by KASAN" "$stem.o: $accesses memory accesses, no check"
			fi
		fi
		if has CONFIG_UBSAN; then
			if opted_out UBSAN "$stem"; then
				! nm -u "$o" | grep -q ' __ubsan_handle_' ||
					report "C++ object opted out of UBSAN is instrumented" "$stem.o"
			elif [ -n "$ref" ]; then
				got=$(effective_sanitizers "$o")
				want=$(comm -23 <(echo "$ref") <(echo "$got") | tr '\n' ' ')
				[ -z "$want" ] || report "C++ object not instrumented by UBSAN" "$stem.o: lacks ${want% }"
			fi
		fi
	done
}

check_sections
check_instrumentation
check_runtime_symbols
check_undefined
check_code
exit $failed
