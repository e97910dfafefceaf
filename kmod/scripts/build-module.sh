#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds one module of this tree against one kernel, out of the source tree.
#
#   build-module.sh KDIR OUTDIR MODDIR [MAKE-ARGS...]
#
# MODDIR (relative to the repository, e.g. kmod) holds the module's Kbuild.
# OUTDIR mirrors the sources as symlinks (a Kbuild tree before 6.13 cannot
# put objects anywhere but next to the sources), so one checkout builds for
# several kernels side by side and an edited source or header is seen
# through the link by Kbuild's own dependency tracking.
#
# Fails on any objtool warning (objtool itself only warns), removing the
# objects it named so that the next build is not silently green.  Then runs
# check-module.sh on the result when the module changed.
set -euo pipefail

kdir=$1 out=$2 moddir=$3
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

mirror() {
	local f
	ln -sfn "$top/include" "$out/include"
	# The tree built against, for check-module.sh: its .config says which
	# sanitizers the objects must carry.
	ln -sfn "$(cd "$kdir" && pwd)" "$out/kdir"
	printf 'obj-m += %s/\n' "$moddir" > "$out/Kbuild.new"
	cmp -s "$out/Kbuild.new" "$out/Kbuild" && rm "$out/Kbuild.new" || mv "$out/Kbuild.new" "$out/Kbuild"
	(cd "$top" && find kmod "$moddir" -type f \
		\( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.mk' \
		   -o -name Kbuild -o -path 'kmod/scripts/*' -o -path 'kmod/kbuild/*' \) | sort -u) |
	while read -r f; do
		[ -L "$out/$f" ] && continue
		mkdir -p "$out/$(dirname "$f")"
		ln -s "$top/$f" "$out/$f"
	done
	# A source that was removed must not live on through its link.
	find "$out" -xtype l -delete
}

fail_on_objtool() {
	local log=$1 objs
	grep -q 'objtool:' "$log" || return 0
	objs=$(sed -n 's/^\([^ :]*\.o\): warning: objtool:.*/\1/p' "$log" | sort -u)
	echo "error: objtool warnings are errors for this module:" >&2
	grep 'objtool:' "$log" >&2
	# shellcheck disable=SC2086
	rm -f $objs "$out/$moddir"/*.ko
	return 1
}

mirror
log=$out/build.log
set +e
make -C "$kdir" M="$out" "$@" modules 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || exit "$status"
# The module check's plants are not for objtool (on kernels that check the
# linked module, their exception tables draw warnings no Kbuild variable
# can switch off): tests/modcheck/run.sh builds them with this set.
[ -n "${IOVIEW_OBJTOOL_WARNINGS_OK:-}" ] || fail_on_objtool "$log"
