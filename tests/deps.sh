#!/usr/bin/env bash
# Installs what ioview needs to build and test, from Debian's archive only.
#
#   tests/deps.sh           install whatever is missing (idempotent; needs root for apt)
#   tests/deps.sh --check   exit 0 when everything is already there, 1 otherwise
#
# Kernel headers and images are not installed into the system: the .debs are
# downloaded and unpacked under build/kernels/<release>/ so that two kernels
# live side by side and /boot is never touched.  The third kernel, the debug
# one (tests/vm/debug-kernel/), is built from Debian's linux-source-6.12 into
# a cache outside the clone and linked in as build/kernels/<release>/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${IOVIEW_KERNEL_CACHE:-$top/build/kernels}

packages=(
  make gcc gcc-12 g++ g++-12 binutils pkg-config rsync cpio busybox-static
  qemu-system-x86 libelf1 libssl3 zlib1g pahole dwarves
  libnl-3-dev libnl-genl-3-dev catch2
  nlohmann-json3-dev libpci-dev pciutils
  bc bison flex libelf-dev libssl-dev xz-utils python3 kmod
  python3-yaml python3-jsonschema dkms
  groff-base man-db
  perl doxygen
)
debug_kernel=$top/tests/vm/debug-kernel/build.sh
# The exact source of Debian's 6.12 image; build.sh refuses any other.
debug_source=linux-source-6.12=$(sed -n 's/^want_version=//p' "$debug_kernel")

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
  [ "$(dpkg-query -W -f='${Version}' "${debug_source%%=*}" 2>/dev/null)" = "${debug_source#*=}" ] ||
    echo "$debug_source"
}

kernels_ready() {
  [ -s "$cache/releases" ] || return 1
  local rel
  while read -r rel; do
    [ -f "$cache/$rel/vmlinuz" ] && [ -f "$cache/$rel/build/Makefile" ] || return 1
  done < "$cache/releases"
  debug_ready
}

# The debug kernel is ready when the cache holds the build for the current
# key (source version, fragment, build script, compiler) and the release
# listed last points into exactly that build.
debug_ready() {
  local dir rel
  "$debug_kernel" --check || return 1
  dir=$("$debug_kernel" --dir)
  rel=$(cat "$dir/release")
  [ "$(tail -n 1 "$cache/releases")" = "$rel" ] &&
    [ "$(readlink -f "$cache/$rel/build")" = "$(readlink -f "$dir/linux-source-6.12")" ] &&
    [ "$(readlink -f "$cache/$rel/vmlinuz")" = "$(readlink -f "$dir/vmlinuz")" ]
}

if [ "${1:-}" = --check ]; then
  [ -z "$(missing_packages)" ] && kernels_ready
  exit
fi

# One install at a time on this machine: two clones or worktrees running
# `make` at once would otherwise unpack and build the same debug kernel
# over each other (build.sh starts an incomplete build over).  The second
# waits here and then finds everything present.
lock_dir=$(dirname "$("$debug_kernel" --dir)")
mkdir -p "$lock_dir"
exec 9> "$lock_dir/.deps.lock"
if ! flock -n 9; then
  echo "deps: another tests/deps.sh is installing; waiting for it" >&2
  flock 9
fi

apt_updated=
apt_update_once() {
  [ -n "$apt_updated" ] && return
  apt-get update -qq
  apt_updated=y
}

todo=$(missing_packages)
if [ -n "$todo" ]; then
  [ "$(id -u)" = 0 ] || { echo "deps: need root to install: $todo" >&2; exit 1; }
  apt_update_once
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo
fi

kernels_ready && { echo "deps: everything present"; exit 0; }
apt_update_once

# The two supported LTS lines: bookworm's own 6.1 (what linux-headers-amd64
# points at) and the newest 6.12 built for bookworm.
dep_of() { apt-cache depends "$1" | awk -v pat="$2" '$1 ~ /Depends:/ && $2 ~ pat {print $2; exit}'; }
rel61=$(dep_of linux-headers-amd64 '^linux-headers-6\.1\.' | sed 's/^linux-headers-//')
rel612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
         awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -n 1)
[ -n "$rel61" ] && [ -n "$rel612" ] || { echo "deps: cannot resolve kernel releases" >&2; exit 1; }

fetch_kernel() {
  local rel=$1 dir=$cache/$1 hdr common kbuild tmp
  [ -f "$dir/vmlinuz" ] && [ -f "$dir/build/Makefile" ] && return
  hdr=linux-headers-$rel
  common=$(dep_of "$hdr" '^linux-headers-.*-common$')
  kbuild=$(dep_of "$hdr" '^linux-kbuild-')
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq "$hdr" "$common" "$kbuild" "linux-image-$rel-unsigned" 2>/dev/null)
  rm -rf "$dir" && mkdir -p "$dir/root"
  for deb in "$tmp"/linux-headers-*.deb "$tmp"/linux-kbuild-*.deb; do
    dpkg-deb -x "$deb" "$dir/root"
  done
  dpkg-deb --fsys-tarfile "$tmp"/linux-image-*.deb | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
  mv "$tmp"/boot/vmlinuz-* "$dir/vmlinuz"
  rm -rf "$tmp"
  # Debian's per-flavour Makefile includes the common tree by absolute path.
  sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$dir/root/usr/src/$hdr/Makefile"
  ln -sfn "root/usr/src/$hdr" "$dir/build"
  echo "deps: kernel $rel ready in $dir"
}

# Builds (or finds in its cache) the debug kernel and links it in.
link_debug_kernel() {
  local tree dir rel
  tree=$("$debug_kernel") || exit 1
  dir=$(dirname "$tree")
  rel=$(cat "$dir/release")
  rm -rf "${cache:?}/$rel" && mkdir -p "$cache/$rel"
  ln -sfn "$dir/vmlinuz" "$cache/$rel/vmlinuz"
  ln -sfn "$tree" "$cache/$rel/build"
  echo "deps: kernel $rel ready in $cache/$rel (built in $dir)" >&2
  debug_rel=$rel
}

mkdir -p "$cache"
fetch_kernel "$rel61"
fetch_kernel "$rel612"
link_debug_kernel
# Debian's 6.1 stays first: it is what `make run` boots.
printf '%s\n' "$rel61" "$rel612" "$debug_rel" > "$cache/releases"
