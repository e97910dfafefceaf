# shellcheck shell=dash
# The ivshmem mailbox against the real host peer (60-mailbox.host-before.sh
# started it before boot). ioview.ko is loaded with mailbox_peer=1 and
# selftest_suite=ioview_mailbox, which runs that one suite (not in the
# default list, so 30-selftest never sees its peer-dependent cases skip):
# the guest opens the mailbox, waits for the host, sends 200 messages of
# 0..248 bytes and checks every echo, then goes through the host's life
# with it (a stall, a departure and a new host, a host that dies and one
# that takes its place, a host that re-initialises the mailbox under it,
# twice, a host writing garbage indices, sizes, a sequence and a state where
# the guest reads, which it must refuse, the last host leaving;
# kmod/selftest/mailbox.cpp has the table), then
# opens again with nobody to attach and is refused with -ENOTCONN. Each
# KTAP case is one result (a skip is a failure here: the peer is
# provided); the rate and the session's counts are passed on as
# diagnostics. 60-mailbox.host.sh judges the other side: what each host
# instance counted, and that the two sides agree.

module_can_load "insmod ioview.ko mailbox_peer=1" || return 0

before=$(dmesg | wc -l)
expect_run "insmod ioview.ko selftest=1 selftest_suite=ioview_mailbox mailbox_peer=1" \
  insmod "$IOVM_MODULE" selftest=1 selftest_suite=ioview_mailbox mailbox_peer=1 || return 0
expect_eq "mailbox_peer parameter reads back" "$(cat /sys/module/ioview/parameters/mailbox_peer 2>&1)" Y

ktap=$IOVM_TMP/mailbox.ktap
dmesg | tail -n +"$((before + 1))" | sed 's/^\[[^]]*\] //' |
  awk '!started && $0 == "KTAP version 1" { started = 1 } started' > "$ktap"

# Exactly one suite, ioview_mailbox, with its plan.
expect_eq "KTAP plans one suite" "$(sed -n 2p "$ktap")" "1..1"
expect_eq "the one suite is ioview_mailbox" "$(grep '^  # Subtest: ' "$ktap")" "  # Subtest: ioview_mailbox"

# Each case: the "  # name: why" line before a failing one is its diagnostic.
ktap_cases "$ktap" '^  # mailbox: ' > "$IOVM_TMP/mailbox.cases"
n=0
while IFS='	' read -r name verdict why; do
  n=$((n + 1))
  case $verdict in
    ok) tap_ok "ioview_mailbox.$name" ;;
    skip) tap_fail "ioview_mailbox.$name" "skipped: $why" ;;
    *) tap_fail "ioview_mailbox.$name" "${why:-no diagnostic}" ;;
  esac
done < "$IOVM_TMP/mailbox.cases"
expect_eq "ioview_mailbox reported its 11 cases" "$n" 11
expect_eq "ioview_mailbox suite verdict" "$(grep -c '^ok 1 ioview_mailbox$' "$ktap")" 1
rate=$(grep '^  # mailbox: [0-9]* messages' "$ktap" | sed 's/^  # //')
if [ -n "$rate" ]; then
  tap_diag "$rate"
else
  tap_fail "ioview_mailbox logged its rate" "KTAP as logged:" "$(cat "$ktap")"
fi
# What happened to the message sent across the re-initialisation, the garbage refused, and
# the session's counts: 60-mailbox.host.sh compares them with the host's (from the console log).
tap_diag "$(grep -E '^  # mailbox: (reinit|garbage|session):' "$ktap" | sed 's/^  # //')"

# The mailbox is closed again: nothing of BAR2 is left requested, only edu's BAR0.
expect_eq "I/O memory requested by ioview is one range (edu's BAR0)" "$(grep -c -F ioview /proc/iomem)" 1
expect_run "rmmod ioview" rmmod ioview
