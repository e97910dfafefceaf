#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the release of the kernel a build tree is for: the name of its
# /lib/modules/ directory and the first word of a module's vermagic.
#
#   kernel-release.sh KDIR
#
# The tree's UTS_RELEASE (include/generated/utsrelease.h) is what modpost
# writes into vermagic, so it comes first.  include/config/kernel.release
# is only the fallback: Debian's 6.1 headers hold the upstream version there
# (6.1.192 for 6.1.0-57-amd64) and set the real one in .kernelvariables, and
# `make kernelrelease` recomputes the same wrong name.  A tree with neither
# file is not prepared for building modules: a clear error, exit status 1.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 KDIR" >&2
	exit 2
fi
kdir=$1

if [ ! -d "$kdir" ]; then
	echo "error: KDIR $kdir is not a directory" >&2
	exit 1
fi

uts=$kdir/include/generated/utsrelease.h
release=
if [ -r "$uts" ]; then
	release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$uts")
elif [ -r "$kdir/include/config/kernel.release" ]; then
	release=$(cat "$kdir/include/config/kernel.release")
fi

case $release in
'')
	echo "error: KDIR $kdir names no kernel release: no UTS_RELEASE in" \
		"include/generated/utsrelease.h nor include/config/kernel.release" \
		"(a kernel build tree, such as /lib/modules/<release>/build, after" \
		"\`make modules_prepare')" >&2
	exit 1
	;;
*[!A-Za-z0-9._+~-]*)
	# It names a directory under build/kmod/ and /lib/modules/.
	echo "error: KDIR $kdir has a kernel release that is no file name: \"$release\"" >&2
	exit 1
	;;
esac
echo "$release"
