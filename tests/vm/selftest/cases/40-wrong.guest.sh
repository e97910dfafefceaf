# shellcheck shell=dash
# Wrong expectations must fail, and say what was seen.
expect_eq "expect_eq catches a wrong value" "$(printf %d 41)" 42
expect_num "expect_num catches an error message" "devmem: mmap: Operation not permitted" 0x10
