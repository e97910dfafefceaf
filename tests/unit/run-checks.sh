#!/bin/sh
# Run the unit test programs and the compile checks; print one TAP line per test case or check.
# Usage: run-checks.sh OUT ROOT CXX FREESTANDING_FLAGS
# Exit status: 0 only if every line is "ok".
set -u
OUT=$1
ROOT=$2
CXX=$3
FREESTANDING=$4
TAP=$OUT/tap.txt
: >"$TAP"

# Catch2's XML report -> "ok|not ok<TAB>name" per test case.
catch_to_lines() {
	awk -v suffix="$1" '
		/<TestCase name="/ {
			s = $0; sub(/.*<TestCase name="/, "", s); sub(/".*/, "", s)
			gsub(/&quot;/, "\"", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
			name = s
		}
		/<OverallResult success="/ && name != "" {
			ok = ($0 ~ /success="true"/) ? "ok" : "not ok"
			printf "%s\t%s%s\n", ok, name, suffix
			name = ""
		}'
}

run_catch() {
	bin=$1
	suffix=$2
	log=$OUT/$(basename "$bin").xml
	"$bin" -r xml >"$log" 2>"$log.stderr"
	status=$?
	catch_to_lines "$suffix" <"$log" >>"$TAP"
	# A crash (sanitizer report, abort) leaves the XML unfinished: report it as its own failure.
	if ! grep -q '</Catch>' "$log"; then
		printf 'not ok\t%s did not finish (exit %s), see %s.stderr\n' "$(basename "$bin")" "$status" "$log" >>"$TAP"
		sed 's/^/# /' "$log.stderr" | head -40
	fi
}

run_catch "$OUT/unit-tests" ""
run_catch "$OUT/unit-tests-san" " [asan+ubsan]"

# Every header on its own and all together, with the kernel's flags.
for h in $(cd "$ROOT/include" && find ioview -name '*.h' | sort) ALL; do
	src=$OUT/freestanding-$(echo "$h" | tr '/.' '__').cpp
	if [ "$h" = ALL ]; then
		(cd "$ROOT/include" && find ioview -name '*.h' | sort | sed 's/.*/#include <&>/') >"$src"
		name="every header together compiles with the kernel flags"
	else
		printf '#include <%s>\n' "$h" >"$src"
		name="$h compiles alone with the kernel flags"
	fi
	if $CXX $FREESTANDING "$src" 2>"$src.log"; then
		printf 'ok\t%s\n' "$name" >>"$TAP"
	else
		printf 'not ok\t%s\n' "$name" >>"$TAP"
		sed 's/^/# /' "$src.log" | head -20
	fi
done

# The module's device descriptions and device-independent driver logic (kmod/devices,
# kmod/driver) too: each header alone, and each *_kernel_instance.cpp here, which instantiates
# that logic on the module's MMIO backend as the kernel glue does.
for h in $(cd "$ROOT/kmod" && find devices driver -name '*.h' 2>/dev/null | sort) \
	$(cd "$ROOT/tests/unit" && ls *_kernel_instance.cpp); do
	src=$OUT/freestanding-kmod-$(echo "$h" | tr '/.' '__').cpp
	case $h in
	*_kernel_instance.cpp)
		cp "$ROOT/tests/unit/$h" "$src"
		name="tests/unit/$h instantiates on the module's kmmio backend with the kernel flags" ;;
	*)
		printf '#include "%s"\n' "$h" >"$src"
		name="kmod/$h compiles alone with the kernel flags" ;;
	esac
	if $CXX $FREESTANDING -I"$ROOT/kmod" "$src" 2>"$src.log"; then
		printf 'ok\t%s\n' "$name" >>"$TAP"
	else
		printf 'not ok\t%s\n' "$name" >>"$TAP"
		sed 's/^/# /' "$src.log" | head -20
	fi
done

# Memory another agent writes keeps every access the code asks for (codegen/patterns.cpp), at
# -O2 and with the kernel's flags.
sh "$ROOT/tests/unit/codegen/check.sh" "$CXX" "$OUT/codegen" o2 \
	"-std=gnu++20 -O2 -fno-exceptions -fno-rtti -Wall -Wextra -Werror -I$ROOT/include" >>"$TAP"
sh "$ROOT/tests/unit/codegen/check.sh" "$CXX" "$OUT/codegen" kernel \
	"-O2 $(echo "$FREESTANDING" | sed 's/-fsyntax-only//')" >>"$TAP"

# Every ```cpp example in a header comment or a Markdown document compiles (userspace flags);
# a C block in a document is marked "not compiled" with the reason (extract-examples.sh).
sh "$ROOT/tests/unit/extract-examples.sh" "$ROOT/include" "$OUT/examples" >"$OUT/examples.list"
sh "$ROOT/tests/unit/compile-examples.sh" "$OUT/examples.list" "$ROOT" "$CXX" >>"$TAP"

n=0
failed=0
while IFS='	' read -r verdict name; do
	n=$((n + 1))
	echo "$verdict $n - $name"
	[ "$verdict" = ok ] || failed=$((failed + 1))
done <"$TAP"
echo "1..$n"
if [ "$n" -eq 0 ]; then
	echo "# no tests ran"
	exit 1
fi
echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
