#!/usr/bin/env bash
# What `make run` does, as a suite of `make check`, so the demo cannot rot:
# boots RELEASE in demo mode (tests/vm/run.sh RELEASE demo) and holds it to
# its own verdict.
#
#   tests/vm/demo-check.sh RELEASE
#
# The demo runs in a boot of its own: its mailbox step opens the mailbox for
# a host peer of its own, and the check run's 60-mailbox and 65-shm-ctl
# account for every open of that mailbox in their boot. Its output is shown
# as TAP comments; the results are the exit status, the verdict line (every
# step passed, as many steps as the demo has captions) and the host peer's.
#
# Prints TAP; exits 1 on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 RELEASE" >&2; exit 2; }
rel=$1
n=0 failed=0

result() {
  n=$((n + 1))
  if [ "$2" = 0 ]; then
    echo "ok $n - $rel: demo: $1"
  else
    failed=$((failed + 1))
    echo "not ok $n - $rel: demo: $1"
    [ $# -lt 3 ] || printf '%s\n' "${@:3}" | sed 's/^/# /'
  fi
}

out=$("$here/run.sh" "$rel" demo 2>&1)
status=$?
printf '%s\n' "$out" | sed 's/^/# /'

result "run.sh $rel demo exits 0" "$([ "$status" = 0 ]; echo $?)" "exit status $status"
steps=$(grep -c '^== [0-9]*\. ' <<< "$out")
verdict=$(grep '^demo: ' <<< "$out" | tail -n 1)
want="demo: $steps of $steps steps passed"
result "the verdict is \"$want\"" "$([ "$steps" -gt 0 ] && [ "$verdict" = "$want" ]; echo $?)" \
  "verdict: '${verdict:-none}'"
result "the host peer answered the mailbox message" \
  "$(grep -q '^iovm: host peer: mailbox-peer: result ok: 1 messages answered' <<< "$out"; echo $?)"
echo "1..$n"
[ "$failed" = 0 ]
