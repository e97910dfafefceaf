# shellcheck shell=bash
# Host cases are held to the same rules as guest ones.
expect_eq "host expect_eq catches a wrong value" "$(le32 0x11223344)" "11 22 33 44"
expect_eq "host le32 is little-endian" "$(le32 0x11223344)" "44 33 22 11"
