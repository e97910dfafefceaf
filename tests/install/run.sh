#!/usr/bin/env bash
# The project as it is installed, printed as TAP:
#  - KDIR builds are named by the tree's kernel release, whatever its path
#    (a /lib/modules/<release>/build link, a headers folder, its realpath),
#    and a tree without a release is refused;
#  - make install DESTDIR=... PREFIX=/usr puts exactly the expected files
#    there, ioview.pc names the prefix and version, a program and a C file
#    build from the installed headers with pkg-config's flags alone;
#  - ioviewctl(8) renders without a warning, has every synopsis and option
#    of ioviewctl's own help and its version;
#  - make modules_install INSTALL_MOD_PATH=... installs each release's
#    module under updates/, runs no depmod, and depmod -b then indexes its
#    PCI and netlink family aliases;
#  - make uninstall removes what install put there.
#
#   tests/install/run.sh RELEASE...
#
# RELEASE... are those of build/kernels/releases, whose modules make built.
set -uo pipefail

if [ $# = 0 ]; then
	echo "usage: $0 RELEASE..." >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
# A parent make's variables (make check KDIR=...) must not reach these makes.
unset MAKEFLAGS MFLAGS MAKELEVEL PREFIX DESTDIR INSTALL_MOD_PATH KDIR
version=$(sed -n 's/^IOVIEW_VERSION := //p' Makefile)
n=0 failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failures=$((failures + 1))
	echo "not ok $n - $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/# /'
}
# check STATUS WHAT DETAIL: ok when STATUS (that of the test before, as $?) is 0,
# else not ok with DETAIL.  $? must be the first word: the other words'
# command substitutions would replace it.
check() {
	if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2" "${3:-}"; fi
}

# ---- KDIR: the output is named by the tree's release

for rel in "$@"; do
	got=$(kmod/scripts/kernel-release.sh "build/kernels/$rel/build" 2>&1)
	[ "$got" = "$rel" ]
	check $? "kernel-release.sh names $rel's tree $rel" "got: $got"
done

mkdir -p "$tmp/not-a-tree"
got=$(kmod/scripts/kernel-release.sh "$tmp/not-a-tree" 2>&1)
status=$?
[ $status = 1 ] && grep -q 'names no kernel release' <<<"$got"
check $? "kernel-release.sh refuses a folder that is no kernel tree" "status $status: $got"

before=$(ls build/kmod 2>/dev/null)
got=$(make --no-print-directory KDIR="$tmp/not-a-tree" modules 2>&1)
status=$?
[ $status != 0 ] && grep -q "KDIR=$tmp/not-a-tree: no kernel release to build for" <<<"$got" &&
	[ "$(ls build/kmod 2>/dev/null)" = "$before" ]
check $? "make KDIR=<no kernel tree> fails with the reason and builds nothing" "status $status:
$got"

# kdir_build WHAT KDIR RELEASE: make KDIR=KDIR modules must put RELEASE's module
# in build/kmod/RELEASE/kmod/ (removed first, so it is this build's) and
# create no other folder under build/kmod/.
kdir_build() {
	local what=$1 kdir=$2 rel=$3 ko=build/kmod/$3/kmod/ioview.ko log magic
	rm -f "$ko"
	before=$(ls build/kmod)
	if ! log=$(make --no-print-directory KDIR="$kdir" modules 2>&1); then
		not_ok "make KDIR=$what builds" "$(tail -n 20 <<<"$log")"
		return
	fi
	magic=$(modinfo -F vermagic "$ko" 2>&1)
	if [ "${magic%% *}" = "$rel" ] && [ "$(ls build/kmod)" = "$before" ]; then
		ok "make KDIR=$what puts the module in build/kmod/$rel/kmod/ioview.ko (vermagic $rel)"
	else
		not_ok "make KDIR=$what puts the module in build/kmod/$rel/kmod/ioview.ko (vermagic $rel)" \
			"vermagic: $magic
build/kmod/ before: $before
build/kmod/ after: $(ls build/kmod)"
	fi
}
# The /lib/modules/<release>/build form, a link to the headers, for the
# second release; the headers' own folder and its realpath for the first.
if [ $# -ge 2 ]; then
	mkdir -p "$tmp/lib/modules/$2"
	ln -s "$top/build/kernels/$2/build" "$tmp/lib/modules/$2/build"
	kdir_build "<root>/lib/modules/$2/build" "$tmp/lib/modules/$2/build" "$2"
fi
kdir_build "build/kernels/$1/build" "build/kernels/$1/build" "$1"
kdir_build "$(realpath "build/kernels/$1/build")" "$(realpath "build/kernels/$1/build")" "$1"

# ---- make install

dest=$tmp/dest
if ! log=$(make --no-print-directory install DESTDIR="$dest" PREFIX=/usr 2>&1); then
	not_ok "make install DESTDIR=... PREFIX=/usr" "$(tail -n 20 <<<"$log")"
	echo "1..$n"
	exit 1
fi
ok "make install DESTDIR=... PREFIX=/usr"

# What must be there, from the sources, not from the Makefile's own list.
expected=$( {
	echo "0755 usr/bin/ioviewctl"
	echo "0644 usr/share/man/man8/ioviewctl.8"
	echo "0644 usr/share/pkgconfig/ioview.pc"
	echo "0644 usr/include/linux/ioview.h"
	git ls-files include/ioview | sed 's@^include/@0644 usr/include/@'
	# The Kbuild glue for other modules, with the library's headers beside it.
	git ls-files kmod/kbuild | sed 's@^kmod/@usr/share/ioview/@' |
		while read -r f; do case $f in *.sh) echo "0755 $f" ;; *) echo "0644 $f" ;; esac; done
	git ls-files 'include/ioview/*.h' | sed 's@^include/@0644 usr/share/ioview/include/@'
} | sort -k2)
installed=$(cd "$dest" && find . ! -type d -printf '%#m %P\n' | sort -k2)
[ "$installed" = "$expected" ]
check $? "make install puts exactly the expected files there, with their modes" \
	"$(diff <(echo "$expected") <(echo "$installed"))"

differs=$(git ls-files include/ioview | while read -r f; do
	cmp -s "$f" "$dest/usr/$f" || echo "$f"
done)
cmp -s include/uapi/ioview.h "$dest/usr/include/linux/ioview.h" || differs+=" include/uapi/ioview.h"
cmp -s build/user/ioviewctl "$dest/usr/bin/ioviewctl" || differs+=" build/user/ioviewctl"
[ -z "$differs" ]
check $? "the installed files are the built and source files" "differ: $differs"

export PKG_CONFIG_PATH=$dest/usr/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$tmp/none
# (The prefix as written: with a sysroot, pkg-config prepends it to variables too.)
got="$(pkg-config --modversion ioview 2>&1) $(PKG_CONFIG_SYSROOT_DIR='' pkg-config --variable=prefix ioview 2>&1)"
got+=" $(pkg-config --libs ioview 2>&1)"
[ "$got" = "$version /usr " ]
check $? "ioview.pc: version $version, prefix /usr, nothing to link" "got: $got"

cflags=$(pkg-config --cflags ioview)
mkdir -p "$tmp/prog"
# shellcheck disable=SC2086
log=$(cd "$tmp/prog" && g++ -std=c++20 -Wall -Wextra -Werror $cflags \
	-o prog "$top/tests/install/installed-headers.cpp" 2>&1 && ./prog 2>&1)
check $? "a C++20 program builds from the installed headers with pkg-config --cflags ioview ($cflags) and runs" "$log"
# shellcheck disable=SC2086
log=$(cd "$tmp/prog" && gcc -std=c11 -Wall -Wextra -Werror $cflags -o uapi "$top/tests/install/uapi-in-c.c" 2>&1 &&
	./uapi 2>&1)
check $? "<linux/ioview.h> builds as C from the installed headers" "$log"
# Without those flags it must not build: nothing else on the machine stands in.
! log=$(cd "$tmp/prog" && g++ -std=c++20 -fsyntax-only "$top/tests/install/installed-headers.cpp" 2>&1) &&
	grep -q 'ioview/ioview.h: No such file' <<<"$log"
check $? "the program does not build without ioview.pc's flags" "$log"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR

# Nothing given: PREFIX is /usr/local, and ioview.pc says so.
if log=$(make --no-print-directory install DESTDIR="$tmp/local" 2>&1); then
	got=$(sed -n 's/^prefix=//p' "$tmp/local/usr/local/share/pkgconfig/ioview.pc")
	[ -x "$tmp/local/usr/local/bin/ioviewctl" ] && [ "$got" = /usr/local ]
	check $? "make install without PREFIX installs under /usr/local" "prefix=$got; $(cd "$tmp/local" && find . -maxdepth 3)"
else
	not_ok "make install without PREFIX installs under /usr/local" "$(tail -n 20 <<<"$log")"
fi

# ---- ioviewctl(8)

man_page=$dest/usr/share/man/man8/ioviewctl.8
ctl=$dest/usr/bin/ioviewctl
log=$(groff -man -Tutf8 -ww -z "$man_page" 2>&1)
[ -z "$log" ]
check $? "groff -man -ww renders ioviewctl(8) without a warning" "$log"
log=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$man_page" 2>&1 >/dev/null)
[ -z "$log" ]
check $? "man -l renders ioviewctl(8) without a word on standard error" "$log"

# plain_page FILE: the page as text, one line each however long, no hyphenation.
plain_page() {
	groff -man -Tascii -P-cbou -rLL=400n -rHY=0 "$1" 2>/dev/null | tr -s ' '
}
# missing_from_page TEXT: every synopsis of ioviewctl's help, and every option
# of its top-level usage, that TEXT (a rendered page) does not have.
missing_from_page() {
	local page=$1 top_help objects options o line
	top_help=$("$ctl" -h)
	objects=$(sed -n 's/^where *OBJECT := { \(.*\) }$/\1/p' <<<"$top_help" | tr -d '|')
	options=$(sed -n 's/^ *OPTIONS := { \(.*\) }$/\1/p' <<<"$top_help" | tr -d '|')
	[ -n "$objects" ] && [ -n "$options" ] || echo "(no OBJECT or OPTIONS list in ioviewctl -h)"
	for o in $objects; do
		"$ctl" "$o" help | sed -nE 's/^(Usage:)? +(ioviewctl .*)$/\2/p' | tr -s ' ' |
		while read -r line; do
			grep -qF -- "$line" <<<"$page" || echo "$line"
		done
	done
	# -j[son]: the page has "-j, --json"; -V[ersion]: "-V, --version".
	for o in $options; do
		line="$(sed -E 's/^-(.)\[(.*)\]$/-\1, --\L\1\2/' <<<"$o")"
		grep -qF -- "$line" <<<"$page" || echo "$line"
	done
}
page=$(plain_page "$man_page")
missing=$(missing_from_page "$page")
synopses=$(for o in $("$ctl" -h | sed -n 's/^where *OBJECT := { \(.*\) }$/\1/p' | tr -d '|'); do
	"$ctl" "$o" help; done | grep -cE '^(Usage:)? +ioviewctl ')
[ -z "$missing" ] && [ "$synopses" -gt 10 ]
check $? "ioviewctl(8) has every synopsis ($synopses) and option of ioviewctl's help" "missing: $missing"
# The check sees a synopsis the page lacks: the page without shm close.
sed '/^\.B ioviewctl shm close/,+1d' "$man_page" > "$tmp/cut.8"
missing=$(missing_from_page "$(plain_page "$tmp/cut.8")")
[ "$missing" = "ioviewctl shm close DEV" ]
check $? "the synopsis check names a command the page lacks (shm close cut out)" "missing: $missing"

got=$(sed -n 's/^\.TH IOVIEWCTL 8 [^ ]* "ioview \([^"]*\)".*/\1/p' "$man_page")
[ "$("$ctl" -V)" = "ioviewctl $got" ] && [ "$got" = "$version" ]
check $? "ioviewctl(8) is for the version ioviewctl -V prints ($version)" "page: $got, tool: $("$ctl" -V)"

# ---- make modules_install

mods=$tmp/mods
log=$(make --no-print-directory modules_install INSTALL_MOD_PATH="$mods" 2>&1)
check $? "make modules_install INSTALL_MOD_PATH=..." "$(tail -n 20 <<<"$log")"

# unpacked FILE: the module as built, whether the kernel compressed it or not.
unpacked() {
	case $1 in
	*.ko) cat "$1" ;;
	*.ko.xz) xz -dc "$1" ;;
	*.ko.gz) gzip -dc "$1" ;;
	*.ko.zst) zstd -qdc "$1" ;;
	*) return 1 ;;
	esac
}
installed_modules=
for rel in "$@"; do
	built=build/kmod/$rel/kmod/ioview.ko
	# Compressed as that kernel's configuration says (6.12: .ko.xz on Debian).
	ko=$(ls "$mods/lib/modules/$rel/updates/kmod/"ioview.ko* 2>/dev/null)
	installed_modules+="${ko#"$mods/"}"$'\n'
	magic=$(modinfo -F vermagic "$ko" 2>&1)
	# The built bytes first: signing, where the kernel can sign, appends.
	[ "${magic%% *}" = "$rel" ] && [ "$(wc -l <<<"$ko")" = 1 ] &&
		unpacked "$ko" | cmp -s -n "$(stat -c %s "$built")" - "$built"
	check $? "modules_install puts $rel's module in lib/modules/$rel/updates/kmod/${ko##*/}" \
		"installed: $ko; vermagic: $magic"
done
# Only the modules: no depmod ran (no modules.dep), nothing else written.
expected=$(sort <<<"${installed_modules%$'\n'}")
got=$(cd "$mods" && find . ! -type d -printf '%P\n' | sort)
[ "$got" = "$expected" ]
check $? "modules_install writes the modules only and runs no depmod" "$(diff <(echo "$expected") <(echo "$got"))"
hint=$(grep -c "^modules_install: now run: depmod -b $mods " <<<"$log")
[ "$hint" = $# ]
check $? "modules_install names the depmod command to run for each release" "$(grep depmod <<<"$log")"

# DESTDIR stands in for INSTALL_MOD_PATH (a dry run: the kernel's make lines only).
got=$(make --no-print-directory -n modules_install DESTDIR="$tmp/staged" 2>&1 |
	sed -e ':a' -e '/\\$/N; s/[[:space:]]*\\\n[[:space:]]*/ /; ta' |
	grep -c " modules_install INSTALL_MOD_PATH=$tmp/staged INSTALL_MOD_DIR=updates DEPMOD=true$")
[ "$got" = $# ]
check $? "modules_install DESTDIR=... installs into DESTDIR, with DEPMOD=true, for each release" \
	"$got kernel make lines of $#"

# missing_aliases FILE MODULE: the aliases the module must have that FILE (a
# modules.alias) lacks: QEMU's edu and ivshmem-plain, the netlink family.
missing_aliases() {
	local a
	for a in 'pci:v00001234d000011E8sv*sd*bc*sc*i*' 'pci:v00001AF4d00001110sv*sd*bc*sc*i*' \
		'net-pf-16-proto-16-family-ioview'; do
		grep -qxF "alias $a $2" "$1" || echo "$a"
	done
}
for rel in "$@"; do
	if ! log=$(depmod -b "$mods" "$rel" 2>&1); then
		not_ok "depmod -b indexes $rel's installed module" "$log"
		continue
	fi
	missing=$(missing_aliases "$mods/lib/modules/$rel/modules.alias" ioview)
	found=$(modprobe -d "$mods" -S "$rel" -R net-pf-16-proto-16-family-ioview 2>&1)
	[ -z "$missing" ] && [ "$found" = ioview ]
	check $? "depmod -b indexes $rel's module with edu, ivshmem and the netlink family's aliases" \
		"missing: $missing; modprobe -R: $found"
done
missing=$(missing_aliases "$mods/lib/modules/$1/modules.alias" ioview_other)
[ "$(wc -l <<<"$missing")" = 3 ]
check $? "the alias check names aliases modules.alias lacks (another module's name)" "missing: $missing"

# ---- make uninstall

log=$(make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr 2>&1)
left=$(cd "$dest" && find . ! -type d)
[ -z "$left" ] && [ ! -e "$dest/usr/include/ioview" ] && [ ! -e "$dest/usr/share/ioview" ]
check $? "make uninstall removes every installed file and the library's folder" "left: $left
$log"

echo "1..$n"
[ $failures = 0 ]
