#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Derives the C++ code generation flags from the kernel's own C flags.
#
#   cxx-flags.sh CXX FLAG...
#
# IOVIEW_CXX_MUST_KEEP (environment): flags that must all survive, on top of
# the must-keep list below.
#
# Prints the subset of FLAG... that CXX accepts for C++ on one line, or an
# error line starting with "error:" (callers turn that into a build error).
#
# The whole set is probed at once, because some flags are only valid
# together (-mcmodel=kernel needs -fno-PIE): g++ names every flag it rejects
# as C-only or unknown, those are removed, and the probe repeats until the
# set is clean.  Include paths are dropped up front: C++ must never see a
# kernel header.  Flags that decide the ABI or a mitigation must survive;
# losing one is an error, not a silent downgrade.

cxx=$1
shift

keep=
skip_next=
for f in "$@"; do
	if [ -n "$skip_next" ]; then skip_next=; continue; fi
	case $f in
	-include|-isystem|-idirafter|-iquote|-I) skip_next=y ;;
	-I*|-isystem*|-nostdinc|-std=*|-Wp,-MMD*|-Wp,-MD*) ;;
	*) keep="$keep $f" ;;
	esac
done

# g++ merely warns about C-only flags (exit status 0), so the loop reads
# what it says: any output at all means the set is not clean yet.
# Names g++ gives to the flags it refuses, one per line.
rejected() {
	sed -n \
	  -e "s/.*command-line option '\([^']*\)' is valid for [^ ]* but not for C++.*/\1/p" \
	  -e "s/.*argument '\([^']*\)' is not valid for C++.*/\1/p" \
	  -e "s/.*unrecognized command-line option '\([^']*\)'.*/\1/p"
}

round=0
while out=$(LC_ALL=C $cxx $keep -std=gnu++20 -ffreestanding -x c++ -c -o /dev/null /dev/null 2>&1) || true
      [ -n "$out" ]; do
	bad=$(printf '%s\n' "$out" | rejected)
	if [ -z "$bad" ] || [ $round -ge 8 ]; then
		printf 'error: %s rejects the kernel flags: %s\n' "$cxx" "$(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
		exit 0
	fi
	# A warning option may be reported by its base name (-Wfoo) while the
	# set holds -Werror=foo or -Wno-foo: drop all three spellings.
	next=
	for f in $keep; do
		drop=
		for b in $bad; do
			case $f in
			"$b"|"-Werror=${b#-W}"|"-Wno-${b#-W}") drop=y ;;
			esac
		done
		[ -n "$drop" ] || next="$next $f"
	done
	keep=$next
	round=$((round + 1))
done

# Every code generation flag in this list that the C side uses must survive.
must_keep='-mcmodel=* -mno-red-zone -fno-PIE -mindirect-branch=* -mindirect-branch-register
-mindirect-branch-cs-prefix -mfunction-return=* -mharden-sls=* -fcf-protection=*
-fstack-protector* -mstack-protector-guard* -mfentry -pg -mrecord-mcount
-fpatchable-function-entry=* -mno-sse -mno-sse2 -mno-mmx -mno-3dnow -mno-avx
-mno-80387 -mno-fp-ret-in-387 -mskip-rax-setup -mpreferred-stack-boundary=*
-fno-strict-aliasing -fno-delete-null-pointer-checks -fno-strict-overflow
-ftrivial-auto-var-init=* -fno-allow-store-data-races -fno-common'

lost=
for f in "$@"; do
	for pat in $must_keep; do
		# shellcheck disable=SC2254
		case $f in
		$pat) case " $keep " in *" $f "*) ;; *) lost="$lost $f" ;; esac ;;
		esac
	done
done
# The caller may name more flags that must all survive as given (the
# kernel's sanitizer sets: KASAN, UBSAN, ...), one word at a time.
for f in ${IOVIEW_CXX_MUST_KEEP:-}; do
	case " $keep " in *" $f "*) ;; *) lost="$lost $f" ;; esac
done
if [ -n "$lost" ]; then
	printf 'error: C++ lost code generation flags the kernel requires:%s\n' "$lost"
	exit 0
fi
case " $keep " in
*" -mcmodel=kernel "*) ;;
*) printf 'error: the kernel flags carry no -mcmodel=kernel; refusing to guess\n'; exit 0 ;;
esac

printf '%s\n' "${keep# }"
