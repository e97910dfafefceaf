#!/bin/sh
# The ioview family's YNL spec and what is generated from it, as TAP:
#
#   tests/uapi/run.sh
#
# The spec (include/uapi/ioview.yaml) validates against the kernel's
# genetlink-legacy schema; the committed UAPI header and the module's policy
# and op tables are byte for byte what the kernel's ynl-gen-c.py makes of
# it now (include/uapi/regenerate.sh into a scratch directory), so an edit of
# either side alone fails here; the UAPI header compiles alone as C and as
# C++; and the comparison itself catches a drifted copy.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/uapi
rm -rf "$out"
mkdir -p "$out"
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

if "$top/include/uapi/regenerate.sh" "$out/gen" > "$out/gen.log" 2>&1; then
	result OK "the spec validates and generates"
else
	result FAIL "the spec validates and generates" "$out/gen.log"
fi

# same GENERATED COMMITTED: the committed file is the generated one.
same() {
	diff -u "$2" "$1" > "$out/diff.log" 2>&1
}
for f in include/uapi/ioview.h kmod/shim/ioview-nl.h kmod/shim/ioview-nl.c; do
	if same "$out/gen/$(basename "$f")" "$top/$f"; then
		result OK "$f is what the spec generates"
	else
		result FAIL "$f is what the spec generates (run include/uapi/regenerate.sh)" "$out/diff.log"
	fi
done

# The comparison is not blind: a header that drifted by one enumerator is caught.
sed 's/IOVIEW_CMD_DEV_GET,/IOVIEW_CMD_DEV_GET = 9,/' "$top/include/uapi/ioview.h" > "$out/drifted.h"
if ! grep -q 'IOVIEW_CMD_DEV_GET = 9' "$out/drifted.h"; then
	echo "drift was not planted" > "$out/plant.log"
	result FAIL "a drifted header is caught" "$out/plant.log"
elif same "$out/gen/ioview.h" "$out/drifted.h"; then
	result FAIL "a drifted header is caught"
else
	result OK "a drifted header is caught"
fi

printf '#include "uapi/ioview.h"\nint main(void) { return IOVIEW_CMD_MAX > 0 ? 0 : 1; }\n' > "$out/alone.c"
if gcc -std=c11 -Wall -Wextra -Werror -I"$top/include" -fsyntax-only "$out/alone.c" > "$out/c.log" 2>&1; then
	result OK "include/uapi/ioview.h compiles alone as C"
else
	result FAIL "include/uapi/ioview.h compiles alone as C" "$out/c.log"
fi
cp "$out/alone.c" "$out/alone.cpp"
if g++ -std=c++20 -Wall -Wextra -Werror -I"$top/include" -fsyntax-only "$out/alone.cpp" > "$out/cxx.log" 2>&1; then
	result OK "include/uapi/ioview.h compiles alone as C++"
else
	result FAIL "include/uapi/ioview.h compiles alone as C++" "$out/cxx.log"
fi

tap_end
