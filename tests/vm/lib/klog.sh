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
# that follows the stamp; the first match names the offence.  The checkers
# of the debug kernel come first, so that their reports get their own names
# rather than the generic BUG or WARNING; each pattern matches a report,
# never the line a checker prints when it starts ("kasan: KernelAddressSanitizer
# initialized", "kmemleak: Kernel memory leak detector initialized", lockdep's
# "Lock dependency validator" banner, "ODEBUG: 26 of 26 active objects replaced").
# A refcount_t warning ("refcount_t: underflow; use-after-free.", before its
# WARNING), a hung task and an RCU stall get names of their own too, rather
# than only the generic WARNING or Call Trace that follows them; "sleeping
# function called from invalid context" is matched with or without its "BUG: ".
KLOG_PATTERNS='unreliable frame in ioview	^ *\? [^ ]+ \[ioview[] ]
KASAN	BUG: KASAN: |^KASAN: (null-ptr-deref|maybe wild-memory-access|probably user-memory-access)
lockdep	possible circular locking dependency detected|possible recursive locking detected|inconsistent lock state|suspicious RCU usage|bad unlock balance detected|held lock freed|possible irq lock inversion dependency|INFO: trying to register non-static key
might_sleep	sleeping function called from invalid context|BUG: scheduling while atomic
refcount	refcount_t: 
hung task	INFO: task .+ blocked for more than [0-9]+ seconds
RCU stall	INFO: rcu_[a-z]+ (self-detected stall|detected stalls|detected expedited stalls)
kmemleak	unreferenced object 0x|kmemleak: [0-9]+ new suspected memory leaks
ODEBUG	ODEBUG: .*object type:|ODEBUG: object |ODEBUG: Out of memory
list corruption	list_(add|del) corruption|list_add double add
Oops	Oops
BUG	(^|[^A-Za-z0-9_])BUG([^A-Za-z0-9_]|$)
WARNING	WARNING
Missing ENDBR	Missing ENDBR
Unpatched return thunk	Unpatched return thunk
Call Trace	Call Trace
panic	Kernel panic
general protection fault	general protection fault
UBSAN	UBSAN:'

# Labels that are part of any report rather than a report of their own: in
# an expect window they are accepted once an expected report has started.
KLOG_FOLLOWERS='Call Trace'

# A case that provokes reports on purpose declares them through /dev/kmsg:
#
#   iovm: expect LABEL ERE      one report labelled LABEL whose line matches
#                               ERE must appear before expect-end (repeatable)
#   iovm: expect-end            closes the window
#
# Inside the window every expected report must show up (else "expected LABEL
# missing") and any other offending line is still an offence; outside it
# nothing changes.  An unclosed window at the end of the log is an offence.

# klog_scan FILE: prints "label [case] message" for every offending kernel
# line and returns 1 if there was any, 2 if FILE does not look like a kernel
# log at all (a missing log must not pass as a clean one), 0 otherwise.
klog_scan() {
  local log=$1
  if ! grep -qs "Linux version " "$log"; then
    echo "no kernel log in $log (missing, empty or without the boot banner)"
    return 2
  fi
  KLOG_PATTERNS=$KLOG_PATTERNS KLOG_FOLLOWERS=$KLOG_FOLLOWERS awk '
    BEGIN {
      n = split(ENVIRON["KLOG_PATTERNS"], rows, "\n")
      for (i = 1; i <= n; i++) {
        tab = index(rows[i], "\t")
        label[i] = substr(rows[i], 1, tab - 1)
        re[i] = substr(rows[i], tab + 1)
      }
      nf = split(ENVIRON["KLOG_FOLLOWERS"], fl, "\n")
      for (i = 1; i <= nf; i++) follower[fl[i]] = 1
      ctx = "boot"; bad = 0; window = 0; nexp = 0
    }
    function offence(what) { printf "%s [%s] %s\n", what, ctx, msg; bad++ }
    function close_window(   j) {
      for (j = 1; j <= nexp; j++)
        if (!seen[j]) { printf "expected %s missing [%s] /%s/\n", elabel[j], ctx, ere[j]; bad++ }
      window = 0; nexp = 0; started = 0
    }
    { sub(/\r+$/, "") }
    !match($0, /\[ *[0-9]+\.[0-9]+\] /) { next }
    {
      msg = substr($0, RSTART + RLENGTH)
      if (msg ~ /^iovm: case /) { ctx = substr(msg, 12); next }
      if (msg ~ /^iovm: expect-end$/) { close_window(); next }
      if (msg ~ /^iovm: expect [^ ]+ /) {
        rest = substr(msg, 14); sp = index(rest, " ")
        nexp++; elabel[nexp] = substr(rest, 1, sp - 1); ere[nexp] = substr(rest, sp + 1)
        seen[nexp] = 0; window = 1; next
      }
      if (msg ~ /^iovm:/) next
      for (i = 1; i <= n; i++) {
        if (msg !~ re[i]) continue
        if (window) {
          for (j = 1; j <= nexp; j++)
            if (elabel[j] == label[i] && msg ~ ere[j]) break
          if (j <= nexp) { seen[j] = 1; started = 1; break }
          if (started && (label[i] in follower)) break
        }
        offence(label[i])
        break
      }
    }
    END {
      if (window) { msg = "(log ends inside an expect window)"; offence("unclosed expect window"); close_window() }
      exit bad > 0
    }
  ' "$log"
}
