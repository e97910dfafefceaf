#!/bin/sh
# Generates what include/uapi/ioview.yaml, the ioview family's YNL spec,
# describes, with the kernel's own generator (tools/net/ynl/ynl-gen-c.py of
# the 6.12 source tree that make deps unpacks for the debug kernel):
#
#   include/uapi/regenerate.sh            # in place
#   include/uapi/regenerate.sh OUT_DIR    # all three files into OUT_DIR
#
# include/uapi/ioview.h, the UAPI header (--mode uapi), and
# kmod/shim/ioview-nl.h, kmod/shim/ioview-nl.c, the kernel's per-op policy
# tables and op table (--mode kernel).  The spec is first validated against
# the genetlink-legacy schema.  The generator wants a kernel tree around the
# spec (it looks for MAINTAINERS upwards, takes the schema from
# dirname(dirname(spec)) and names the spec by its path in that tree), so a
# scratch tree holds the spec at include/uapi/ioview.yaml, as here.
#
# Environment: IOVIEW_YNL_TREE (the kernel source tree with tools/net/ynl),
# PYTHON (default /usr/bin/python3: Debian's, with python3-yaml and
# python3-jsonschema).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-}
python=${PYTHON:-/usr/bin/python3}
tree=${IOVIEW_YNL_TREE:-$top/build/kernels/6.12.117-ioview-debug/build}
gen=$tree/tools/net/ynl/ynl-gen-c.py
schema=$tree/Documentation/netlink/genetlink-legacy.yaml
for f in "$gen" "$schema"; do
	[ -f "$f" ] || { echo "regenerate.sh: $f is missing (run make deps)" >&2; exit 1; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/include/uapi"
: > "$scratch/MAINTAINERS"
cp "$schema" "$scratch/include/genetlink-legacy.yaml"
spec=$scratch/include/uapi/ioview.yaml
cp "$top/include/uapi/ioview.yaml" "$spec"

# The schema check, made explicit (the generator skips it when jsonschema is missing).
"$python" - "$spec" "$scratch/include/genetlink-legacy.yaml" <<'PY'
import sys, yaml, jsonschema
spec = yaml.safe_load(open(sys.argv[1]))
schema = yaml.safe_load(open(sys.argv[2]))
jsonschema.validate(spec, schema)
PY

if [ $# -ge 1 ]; then
	uapi_out=$out/ioview.h nl_out=$out
	mkdir -p "$out"
else
	uapi_out=$top/include/uapi/ioview.h nl_out=$top/kmod/shim
fi
"$python" "$gen" --mode uapi --header --spec "$spec" -o "$uapi_out"
"$python" "$gen" --mode kernel --header --spec "$spec" -o "$nl_out/ioview-nl.h"
"$python" "$gen" --mode kernel --source --spec "$spec" -o "$nl_out/ioview-nl.c"
