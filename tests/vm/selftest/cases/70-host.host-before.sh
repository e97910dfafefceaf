# shellcheck shell=bash
# A preparation step that fails must be a failure even though it is silent.
exit 1
