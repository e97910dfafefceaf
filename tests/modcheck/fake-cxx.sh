#!/bin/sh
# A C++ compiler that refuses -mno-red-zone the way g++ refuses C-only
# flags, to prove cxx-flags.sh fails instead of dropping a must-keep flag.
for f in "$@"; do
	[ "$f" = -mno-red-zone ] &&
		echo "cc1plus: warning: command-line option '-mno-red-zone' is valid for C/ObjC but not for C++" >&2
done
exec g++ "$@"
