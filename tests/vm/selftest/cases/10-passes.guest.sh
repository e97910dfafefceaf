# shellcheck shell=dash
# A case that does everything right: its results must stay "ok".
tap_ok "a passing result"
expect_eq "expect_eq with equal strings" abc abc
expect_num "expect_num across spellings" 0x010000ed 16777453
tap_skip "a skipped result" "nothing to do"
