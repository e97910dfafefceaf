#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS on ioview's source tree, printed as TAP, in private trees only
# (never `dkms install`, nothing under /var/lib/dkms or /usr/src): `make
# install-dkms` into a temporary DESTDIR, `dkms add`, then `dkms build` for
# each of Debian's kernels (those without KASAN among the releases given)
# against its unpacked headers, signed with a key made for the run; the
# module built must carry that kernel's vermagic.
#
#   tests/kbuild/dkms.sh RELEASE...
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"
tap_diag_lines=30

if ! command -v dkms >/dev/null; then
	not_ok "dkms is installed" "no dkms command: tests/deps.sh installs the dkms package"
	echo "1..$n"; exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ioview-dkms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

version=$(sed -n 's/^IOVIEW_VERSION := //p' Makefile)
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' kmod/dkms.conf)
if [ -n "$version" ] && [ "$conf_version" = "$version" ]; then
	ok "dkms.conf's PACKAGE_VERSION is the Makefile's IOVIEW_VERSION ($version)"
else
	not_ok "dkms.conf's PACKAGE_VERSION is the Makefile's IOVIEW_VERSION" \
		"Makefile: '$version', dkms.conf: '$conf_version'"
fi

src=$tmp/src/ioview-$version
if log=$(make --no-print-directory install-dkms DESTDIR="$tmp" DKMS_SOURCE_DIR=/src 2>&1) &&
   [ -f "$src/dkms.conf" ] && [ -f "$src/Kbuild" ] && [ -f "$src/kmod/kbuild/ioview.mk" ] &&
   [ -f "$src/include/ioview/ioview.h" ] && [ -f "$src/include/uapi/ioview.h" ]; then
	ok "make install-dkms puts a DKMS source tree in DESTDIR/src/ioview-$version"
else
	not_ok "make install-dkms puts a DKMS source tree in DESTDIR/src/ioview-$version" "$log"
	echo "1..$n"; exit 1
fi

# The system's DKMS state, to prove the run left it alone.
system_state() {
	ls -la /var/lib/dkms /usr/src 2>&1
	ls -d /lib/modules/*/updates/dkms 2>/dev/null
}
before=$(system_state)

tree=$tmp/tree
mkdir -p "$tree"
dkms_private() {
	sign_file=$sign mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub \
		dkms --dkmstree "$tree" --sourcetree "$tmp/src" "$@"
}
sign=
# Read whole before grep: grep -q stopping early would fail the pipe.
if log=$(dkms_private add "ioview/$version" 2>&1) && status=$(dkms_private status 2>&1) &&
   grep -qx "ioview/$version: added" <<<"$status"; then
	ok "dkms add ioview/$version (private trees)"
else
	not_ok "dkms add ioview/$version (private trees)" "$log
${status:-}"
	echo "1..$n"; exit 1
fi

built=()
for rel in "$@"; do
	kdir=$top/build/kernels/$rel/build
	grep -qx 'CONFIG_KASAN=y' "$kdir/.config" 2>/dev/null && continue
	built+=("$rel")
	sign=$(readlink -f "$kdir/scripts/sign-file")
	if ! log=$(dkms_private build "ioview/$version" -k "$rel" --kernelsourcedir "$kdir" 2>&1); then
		not_ok "$rel: dkms build" "$log
$(tail -n 20 "$tree/ioview/$version/build/make.log" 2>/dev/null)"
		continue
	fi
	ko=$tree/ioview/$version/$rel/x86_64/module/ioview.ko
	vermagic=$(modinfo -F vermagic "$ko" 2>&1)
	signer=$(modinfo -F signer "$ko" 2>&1)
	if [ "${vermagic%% *}" = "$rel" ] && [ "$signer" = "DKMS module signing key" ]; then
		ok "$rel: dkms build makes ioview.ko with vermagic $rel, signed with the run's key"
	else
		not_ok "$rel: dkms build makes ioview.ko with vermagic $rel, signed with the run's key" \
			"module: $ko; vermagic: $vermagic; signer: $signer"
	fi
done

status=$(dkms_private status 2>&1)
want=$(for rel in "${built[@]}"; do echo "ioview/$version, $rel, x86_64: built"; done | sort)
if [ -n "$want" ] && [ "$(sort <<<"$status")" = "$want" ]; then
	ok "dkms status lists ioview/$version built for ${built[*]}"
else
	not_ok "dkms status lists ioview/$version built for ${built[*]}" "$status"
fi
after=$(system_state)
if [ "$before" = "$after" ]; then
	ok "nothing changed under /var/lib/dkms, /usr/src or /lib/modules/*/updates/dkms"
else
	not_ok "nothing changed under /var/lib/dkms, /usr/src or /lib/modules/*/updates/dkms" \
		"$(diff <(echo "$before") <(echo "$after"))"
fi

tap_end
