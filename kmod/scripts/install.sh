#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what another module (or DKMS) builds against, from this tree.
#
#   install.sh kbuild DIR    the Kbuild glue and the view library:
#                            DIR/kbuild/{ioview.mk,cxx-flags.sh,check-module.sh,README.md,runtime/}
#                            and DIR/include/ioview/; a module's Kbuild then says
#                            include $(IOVIEW_DIR)/kbuild/ioview.mk with IOVIEW_DIR=DIR
#   install.sh dkms DIR      ioview.ko's sources as a DKMS source tree: DIR/dkms.conf,
#                            DIR/Kbuild, DIR/kmod/ (with kbuild/), DIR/include/
#
# DIR is created; files already there are replaced, nothing else is removed.
set -euo pipefail

usage() {
	echo "usage: $0 kbuild|dkms DIR" >&2
	exit 2
}
[ $# -eq 2 ] || usage
what=$1 dest=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# put MODE FILE... : each FILE (a path in this tree) to the same path under $dest.
put() {
	local mode=$1 f
	shift
	for f in "$@"; do
		install -p -D -m "$mode" "$f" "$dest/$f"
	done
}

install_kbuild() {
	install -d "$dest/kbuild/runtime" "$dest/include"
	install -p -m 0644 kmod/kbuild/ioview.mk kmod/kbuild/README.md "$dest/kbuild/"
	install -p -m 0755 kmod/kbuild/cxx-flags.sh kmod/kbuild/check-module.sh "$dest/kbuild/"
	install -p -m 0644 kmod/kbuild/runtime/* "$dest/kbuild/runtime/"
	(cd include && find ioview -name '*.h' | sort) | while read -r f; do
		install -p -D -m 0644 "include/$f" "$dest/include/$f"
	done
}

install_dkms() {
	install -d "$dest"
	install -p -m 0644 kmod/dkms.conf Kbuild "$dest/"
	# shellcheck disable=SC2046 # file names without spaces, from this tree
	put 0644 $(find kmod include -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \
		-o -name '*.mk' -o -name Kbuild -o -name README.md \) -not -path 'include/ioview/doc/*' | sort)
	put 0755 kmod/kbuild/cxx-flags.sh kmod/kbuild/check-module.sh
}

case $what in
kbuild) install_kbuild ;;
dkms) install_dkms ;;
*) usage ;;
esac
