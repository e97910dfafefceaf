#!/usr/bin/env bash
# Tests of the build's own guards, printed as TAP:
#  - check-module.sh passes the real module for every kernel;
#  - each barrier of kmod/kernel/barrier.h compiles, in every kernel's
#    module, to what the kernel's own macro compiles to;
#  - check-module.sh rejects each planted violation of the kernel C++ subset
#    (tests/modcheck/plants), with the diagnostic that names it;
#  - on a sanitizer kernel (KASAN), the planted C++ global constructor is
#    still refused next to KASAN's own, and C++ objects are instrumented
#    exactly as Kbuild decided (tests/modcheck/sanitizer);
#  - build-module.sh fails on an objtool warning in a C++ object;
#  - cxx-flags.sh refuses to lose a must-keep code generation flag.
#
#   tests/modcheck/run.sh RELEASE...
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

for rel in "$@"; do
	ko=build/kmod/$rel/kmod/ioview.ko
	if out=$(kmod/kbuild/check-module.sh "$ko" 2>&1); then
		ok "modcheck: ioview.ko for $rel is inside the C++ subset"
	else
		not_ok "modcheck: ioview.ko for $rel is inside the C++ subset" "$out"
	fi
done

# The inline barriers of kmod/kernel/barrier.h compile as the kernel's
# macros: each barrier probe of bench_c.c (the kernel macro) and its twin in
# bench.cpp (ioview::kernel::) must disassemble to the same instructions.
# Registers other than %rsp are folded into one name, and branch and call
# targets (addresses inside each function) dropped, so only a different
# register allocation could pass unnoticed; padding is ignored.  The probes
# surround the barrier with plain accesses, so a lost "memory" clobber
# changes the memory accesses just as a lost fence changes the mnemonics.
barriers="mb rmb wmb dma_mb dma_rmb dma_wmb smp_mb smp_rmb smp_wmb barrier"
probe_insns() {
	awk -v fn="$2" '
		$0 ~ "^[0-9a-f]+ <" fn ">:$" { inside = 1; next }
		/^[0-9a-f]+ </ { inside = 0 }
		!inside || !/^ +[0-9a-f]+:\t/ { next }
		{
			insn = $0; sub(/^ +[0-9a-f]+:\t/, "", insn)
			if (insn ~ /^(nop|xchg +%ax,%ax|data16|cs nopw|int3)/) next
			if (insn ~ /^(call|jmp|j[a-z]+) /) sub(/ .*/, "", insn)
			gsub(/%rsp/, "RSP", insn); gsub(/%[a-z0-9]+/, "%reg", insn); gsub(/RSP/, "%rsp", insn)
			gsub(/ +/, " ", insn)
			print insn
		}' "$1"
}
for rel in "$@"; do
	ko=build/kmod/$rel/kmod/ioview.ko
	dis=$(mktemp)
	objdump -d --no-show-raw-insn "$ko" > "$dis" 2>/dev/null
	for b in $barriers; do
		what="modcheck: ioview::kernel::$b() compiles as the kernel's $b() for $rel"
		c=$(probe_insns "$dis" "ioview_bench_c_barrier_$b")
		cxx=$(probe_insns "$dis" "ioview_bench_cxx_barrier_$b")
		fences=$(grep -E 'fence|lock|xchg' <<<"$c" | paste -sd ';' -)
		if [ -z "$c" ] || [ -z "$cxx" ]; then
			not_ok "$what" "probe missing: C $(wc -l <<<"$c") lines, C++ $(wc -l <<<"$cxx") lines"
		elif [ "$c" = "$cxx" ]; then
			ok "$what (${fences:-compiler barrier only})"
		else
			not_ok "$what" "C (kernel macro) vs C++ (ioview::kernel):
$(diff <(echo "$c") <(echo "$cxx"))"
		fi
	done
	rm -f "$dis"
done

# plant_report REL: builds the planted module against REL's tree and sets
# report to what the module check says about it; false if it did not build.
plant_report() {
	local rel=$1 log status plants=build/modcheck/$1
	if ! log=$(IOVIEW_OBJTOOL_WARNINGS_OK=1 kmod/scripts/build-module.sh "build/kernels/$rel/build" \
			"$plants" tests/modcheck/plants KBUILD_MODPOST_WARN=1 2>&1); then
		not_ok "modcheck: planted module builds for $rel" "$(tail -n 20 <<<"$log")"
		return 1
	fi
	report=$(kmod/kbuild/check-module.sh "$plants/tests/modcheck/plants/ioview_plants.ko" 2>&1)
	status=$?
	if [ $status = 1 ]; then
		ok "modcheck: planted module is rejected for $rel (exit status 1)"
	else
		not_ok "modcheck: planted module is rejected for $rel (exit status 1)" "exit status $status"
	fi
}

expect() {
	local name=$1 pattern=$2
	if grep -qE "$pattern" <<<"$report"; then
		ok "modcheck rejects $name"
	else
		not_ok "modcheck rejects $name" "no line matches /$pattern/ in:
$report"
	fi
}

# A sanitizer kernel (KASAN): release names, from each tree's configuration.
sanitizer_releases=()
for r in "$@"; do
	grep -qx 'CONFIG_KASAN=y' "build/kernels/$r/build/.config" 2>/dev/null && sanitizer_releases+=("$r")
done

rel=$1
kdir=build/kernels/$rel/build
plant_report "$rel" || { echo "1..$n"; exit 1; }
expect "a global constructor" ': global constructor or destructor section: \.init_array$'
expect "exception tables" ': exception or unwind table section: \.gcc_except_table$'
expect "the exception runtime" ': undefined symbol outside the allowlist: __cxa_throw$'
expect "RTTI" ': RTTI symbol: _ZTIN12_GLOBAL__N_14baseE$'
expect "a static guard" ': static guard variable: _ZGVZ11plant_guardE5value$'
expect "thread_local" ': thread-local storage section: \.tbss$'
expect "the throwing operator new" ': undefined symbol outside the allowlist: _Znwm$'
expect "a C++ object calling a kernel function" ': C\+\+ object calls outside the shim: kernel_call\.o: _printk$'
expect "SSE instructions" ': SSE/MMX/x87 instruction: plant_sse: '
expect "x87 instructions" ': SSE/MMX/x87 instruction: plant_x87: f'
expect "a stack frame over budget" ': stack frame over 1024 bytes: plant_stack: 1512 bytes$'

# On a KASAN kernel .init_array legitimately holds the compiler's globals
# registration; the C++ global constructor among them must still be named
# and refused, and the rest of the subset holds as everywhere.
for srel in "${sanitizer_releases[@]}"; do
	plant_report "$srel" || continue
	expect "a C++ global constructor next to KASAN's on $srel" \
		': global constructor or destructor: \.init_array: _GLOBAL__sub_I_plant_ctor \(not a KASAN globals constructor\)$'
	if grep -q 'global constructor.*_sub_[ID]_[0-9]' <<<"$report"; then
		not_ok "modcheck allows KASAN's globals constructors on $srel" "$(grep 'global constructor' <<<"$report")"
	else
		ok "modcheck allows KASAN's globals constructors on $srel"
	fi
	expect "exception tables on $srel" ': exception or unwind table section: \.gcc_except_table$'
	expect "RTTI on $srel" ': RTTI symbol: _ZTIN12_GLOBAL__N_14baseE$'
	expect "a C++ object calling a kernel function on $srel" ': C\+\+ object calls outside the shim: kernel_call\.o: _printk$'
	expect "SSE instructions on $srel" ': SSE/MMX/x87 instruction: plant_sse: '
	expect "a stack frame over budget on $srel" ': stack frame over 1024 bytes: plant_stack: [0-9]+ bytes$'

	# C++ instrumented like C: tests/modcheck/sanitizer has an object that
	# follows Kbuild (covered.o), one opted out (opted_out.o), one whose
	# instrumentation was switched off (stripped.o), one opted out but
	# instrumented anyway (smuggled.o).
	out=build/modcheck-sanitizer/$srel
	if ! log=$(kmod/scripts/build-module.sh "build/kernels/$srel/build" "$out" \
			tests/modcheck/sanitizer KBUILD_MODPOST_WARN=1 2>&1); then
		not_ok "modcheck: sanitizer plants build for $srel" "$(tail -n 20 <<<"$log")"
		continue
	fi
	report=$(kmod/kbuild/check-module.sh "$out/tests/modcheck/sanitizer/ioview_sanitizer_plants.ko" 2>&1)
	expect "a C++ object without KASAN checks on $srel" ': C\+\+ object not instrumented by KASAN: stripped\.o: '
	expect "a C++ object without UBSAN checks on $srel" ': C\+\+ object not instrumented by UBSAN: stripped\.o: lacks '
	expect "an opted-out C++ object with KASAN checks on $srel" ': C\+\+ object opted out of KASAN is instrumented: smuggled\.o$'
	expect "an opted-out C++ object with UBSAN checks on $srel" ': C\+\+ object opted out of UBSAN is instrumented: smuggled\.o$'
	if grep -qE 'covered\.o|opted_out\.o' <<<"$report"; then
		not_ok "modcheck passes C++ objects instrumented as Kbuild decided on $srel" "$report"
	else
		ok "modcheck passes C++ objects instrumented as Kbuild decided on $srel"
	fi
	# And the real module's C++ objects do call the sanitizers.
	ko=build/kmod/$srel/kmod/ioview.ko
	calls=$(find "build/kmod/$srel/kmod" -name '*.o' | while read -r o; do
		[ -f "${o%.o}.cpp" ] && nm -u "$o" | grep -qE ' __asan_report_(load|store)' && echo "$o"
	done | wc -l)
	if [ "$calls" -gt 0 ]; then
		ok "ioview.ko's C++ objects call KASAN on $srel ($calls objects)"
	else
		not_ok "ioview.ko's C++ objects call KASAN on $srel" "no C++ object refers to __asan_report_*"
	fi
done

# objtool checks per object on kernels without IBT (6.1); with IBT it
# checks the linked module, where it can see that plant_stop() never returns.
if grep -q '^CONFIG_X86_KERNEL_IBT=y' "$kdir/.config"; then
	echo "# $rel checks objtool on the linked module; the per-object plant does not apply"
elif log=$(kmod/scripts/build-module.sh "$kdir" "build/modcheck-objtool/$rel" \
		tests/modcheck/objtool 2>&1); then
	not_ok "build fails on an objtool warning in C++" "the build succeeded:
$(tail -n 10 <<<"$log")"
elif grep -q 'falls_off.o: warning: objtool:' <<<"$log" &&
     [ ! -e "build/modcheck-objtool/$rel/tests/modcheck/objtool/falls_off.o" ]; then
	ok "build fails on an objtool warning in C++ and removes the object"
else
	not_ok "build fails on an objtool warning in C++ and removes the object" "$(tail -n 10 <<<"$log")"
fi

# Kbuild's dependency tracking covers the C++ objects: a second build does
# nothing, a touched C++ header rebuilds exactly the objects including it.
built_objects() {
	sed -nE 's@^ *(CC|CXX|LD) \[M\] +.*/kmod/(.*)$@\2@p' <<<"$1" | sort | tr '\n' ' '
}
out=build/kmod/$rel
kmod/scripts/build-module.sh "$kdir" "$out" kmod >/dev/null 2>&1
log=$(kmod/scripts/build-module.sh "$kdir" "$out" kmod 2>&1)
rebuilt=$(built_objects "$log")
if [ -z "$rebuilt" ]; then
	ok "a second build rebuilds nothing"
else
	not_ok "a second build rebuilds nothing" "rebuilt: $rebuilt"
fi
# The objects whose source names the header, directly or through another
# kmod header: found by reading the sources, independently of the .cmd files.
includers() {
	local via sources
	sources=$(find kmod -name '*.c' -o -name '*.cpp')
	via=$(grep -rl --include='*.h' "\"$1\"" kmod | sed 's@^kmod/@@')
	{
		# shellcheck disable=SC2086
		grep -l "\"$1\"" $sources
		# shellcheck disable=SC2086
		for h in $via; do grep -l "\"$h\"" $sources; done
	} | sed -E 's@^kmod/@@; s@^kbuild/runtime/@@; s/\.(c|cpp)$/.o/' | sort -u
}
# The C++ runtime's header: the glue builds its objects from kbuild/runtime/
# into the module's own directory.
expected=$({ includers ioview_cxxrt.h; echo ioview.o; echo ioview.ko; } | sort | tr '\n' ' ')
touch kmod/kbuild/runtime/ioview_cxxrt.h
log=$(kmod/scripts/build-module.sh "$kdir" "$out" kmod 2>&1)
rebuilt=$(built_objects "$log")
if [ "$rebuilt" = "$expected" ]; then
	ok "touching a C++ header rebuilds only the objects that include it"
else
	not_ok "touching a C++ header rebuilds only the objects that include it" "rebuilt:  $rebuilt
expected: $expected
$log"
fi

flags="-D__KERNEL__ -std=gnu11 -Wstrict-prototypes -mcmodel=kernel -fno-PIE -mno-red-zone -O2"
# shellcheck disable=SC2086
out=$(kmod/kbuild/cxx-flags.sh g++ $flags)
if [ "$out" = "-D__KERNEL__ -mcmodel=kernel -fno-PIE -mno-red-zone -O2" ]; then
	ok "cxx-flags drops exactly the C-only flags"
else
	not_ok "cxx-flags drops exactly the C-only flags" "got: $out"
fi
# shellcheck disable=SC2086
out=$(kmod/kbuild/cxx-flags.sh tests/modcheck/fake-cxx.sh $flags)
if [[ $out == "error: C++ lost code generation flags the kernel requires: -mno-red-zone" ]]; then
	ok "cxx-flags refuses to lose a must-keep flag"
else
	not_ok "cxx-flags refuses to lose a must-keep flag" "got: $out"
fi

tap_end
