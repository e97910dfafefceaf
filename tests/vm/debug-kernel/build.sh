#!/usr/bin/env bash
# Builds the test bed's debug kernel: 6.12 from Debian's linux-source-6.12,
# tinyconfig + fragment.config (KASAN, lockdep, kmemleak, UBSAN, ...).
#
#   build.sh            build unless the cache holds it; print the tree's path
#   build.sh --check    exit 0 when the cache holds a complete build, 1 otherwise
#   build.sh --key      print the cache key
#   build.sh --dir      print the cache directory of the current key
#
# The tree lives outside the clone, in $IOVIEW_DEBUG_KERNEL_CACHE (default
# /var/cache/ioview/debug-kernel) under a key made of the source package
# version, the compiler and hashes of the fragment and of this script, so a
# fresh clone on the same machine reuses it and any change that could change
# the kernel builds a new one.  A build is complete only once ".complete" is
# written, last; an interrupted one is started over.
#
# The tree is built in place (an external module build needs the sources,
# the generated headers, the host tools and Module.symvers), and the image is
# copied next to it as "vmlinuz".  The log goes to build.log in the key's
# directory; only its path and tail are printed when something fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${IOVIEW_DEBUG_KERNEL_CACHE:-/var/cache/ioview/debug-kernel}
pkg=linux-source-6.12
want_version=6.12.117-1~deb12u1
tarball=/usr/src/linux-source-6.12.tar.xz
fragment=$here/fragment.config
localversion=-ioview-debug

pkg_version() {
  dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true
}

key() {
  local v
  v=$(pkg_version)
  [ -n "$v" ] || v=$want_version
  # '~' is legal in a path but awkward in shell and make: spelled '_'.
  printf '%s-%s\n' "${v//\~/_}" \
    "$( { cat "$fragment" "$0"; gcc --version | head -n 1; } | sha256sum | cut -c1-16)"
}

dir=$cache/$(key)
tree=$dir/linux-source-6.12

case ${1:-} in
  --key) key; exit 0 ;;
  --dir) echo "$dir"; exit 0 ;;
  --check) [ -f "$dir/.complete" ] && [ -f "$dir/vmlinuz" ] && [ -f "$tree/Module.symvers" ]; exit ;;
  '') ;;
  *) echo "usage: $0 [--check|--key|--dir]" >&2; exit 2 ;;
esac

# The build runs as one function, so that bash has read all of it before
# it starts: editing this file during a build cannot derail the build.
build() {
if [ -f "$dir/.complete" ]; then
  echo "$tree"
  exit 0
fi

[ "$(pkg_version)" = "$want_version" ] ||
  { echo "debug-kernel: need $pkg $want_version, have '$(pkg_version)'" >&2; exit 1; }
[ -f "$tarball" ] || { echo "debug-kernel: $tarball missing" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
: > "$log"

fail() {
  echo "debug-kernel: $*; log: $log" >&2
  tail -n 20 "$log" | sed 's/^/  /' >&2
  exit 1
}

kmake() {
  make -C "$tree" ARCH=x86_64 LOCALVERSION="$localversion" "$@" >> "$log" 2>&1
}

start=$SECONDS
echo "debug-kernel: building in $dir (log: $log)" >&2
tar -xJf "$tarball" -C "$dir" >> "$log" 2>&1 || fail "cannot unpack $tarball"

kmake tinyconfig || fail "make tinyconfig failed"
"$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" "$fragment" >> "$log" 2>&1 ||
  fail "merging the fragment failed"
kmake olddefconfig || fail "make olddefconfig failed"

# Every line of the fragment must hold in the final .config: olddefconfig
# drops a symbol whose dependencies are missing without a word.
lost=()
while IFS= read -r line; do
  case $line in
    CONFIG_*=*)
      grep -qxF "$line" "$tree/.config" || lost+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo absent))") ;;
    '# CONFIG_'*' is not set')
      sym=${line#\# }
      sym=${sym%% *}
      ! grep -q "^$sym=" "$tree/.config" || lost+=("$line (got: $(grep "^$sym=" "$tree/.config"))") ;;
  esac
done < "$fragment"
if [ ${#lost[@]} -gt 0 ]; then
  printf 'debug-kernel: the configuration lost what the fragment asks for:\n' >&2
  printf '  %s\n' "${lost[@]}" >&2
  exit 1
fi

# "all" is vmlinux, bzImage and the (empty) set of in-tree modules, which
# also writes Module.symvers: what "make M=" needs besides modules_prepare.
kmake -j"$(nproc)" all || fail "the kernel build failed"
kmake modules_prepare || fail "make modules_prepare failed"
[ -f "$tree/Module.symvers" ] || fail "no Module.symvers after the build"
release=$(cat "$tree/include/config/kernel.release")
[ -n "$release" ] || fail "no kernel release in include/config/kernel.release"
cp "$tree/arch/x86/boot/bzImage" "$dir/vmlinuz"
echo "$release" > "$dir/release"
echo "$((SECONDS - start))" > "$dir/build-seconds"
touch "$dir/.complete"
echo "debug-kernel: $release built in $((SECONDS - start)) s" >&2
echo "$tree"
}

build
