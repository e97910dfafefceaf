# shellcheck shell=bash
# The one place that decides whether a kernel log shows trouble.
#
# Only kernel lines count: with CONFIG_PRINTK_TIME every printk line carries
# a "[ seconds.micros] " stamp, while whatever user space writes to the
# console (our own results, case names, shell prompts) does not. The stamp
# is searched anywhere in the line because user output and kernel output can
# interleave on the console. Lines the guest itself injects through
# /dev/kmsg start with "iovm:" and are never offenders; "iovm: case NAME"
# markers tell which case was running when a bad line appeared.

# One "label<TAB>extended regex" per line, tried in order on the message
# that follows the stamp; the first match names the offence.
KLOG_PATTERNS='unreliable frame in ioview	^ *\? [^ ]+ \[ioview[] ]
Oops	Oops
BUG	(^|[^A-Za-z0-9_])BUG([^A-Za-z0-9_]|$)
WARNING	WARNING
Missing ENDBR	Missing ENDBR
Unpatched return thunk	Unpatched return thunk
Call Trace	Call Trace
panic	Kernel panic
general protection fault	general protection fault
UBSAN	UBSAN:'

# klog_scan FILE: prints "label [case] message" for every offending kernel
# line and returns 1 if there was any, 2 if FILE does not look like a kernel
# log at all (a missing log must not pass as a clean one), 0 otherwise.
klog_scan() {
  local log=$1
  if ! grep -qs "Linux version " "$log"; then
    echo "no kernel log in $log (missing, empty or without the boot banner)"
    return 2
  fi
  KLOG_PATTERNS=$KLOG_PATTERNS awk '
    BEGIN {
      n = split(ENVIRON["KLOG_PATTERNS"], rows, "\n")
      for (i = 1; i <= n; i++) {
        tab = index(rows[i], "\t")
        label[i] = substr(rows[i], 1, tab - 1)
        re[i] = substr(rows[i], tab + 1)
      }
      ctx = "boot"; bad = 0
    }
    { sub(/\r+$/, "") }
    !match($0, /\[ *[0-9]+\.[0-9]+\] /) { next }
    {
      msg = substr($0, RSTART + RLENGTH)
      if (msg ~ /^iovm: case /) { ctx = substr(msg, 12); next }
      if (msg ~ /^iovm:/) next
      for (i = 1; i <= n; i++)
        if (msg ~ re[i]) { printf "%s [%s] %s\n", label[i], ctx, msg; bad++; break }
    }
    END { exit bad > 0 }
  ' "$log"
}
