# shellcheck shell=dash
# iovm-case-timeout: 20
# Runs longer than the selftest's IOVM_CASE_TIMEOUT (5 s) but within the bound
# it names: the runner must let it finish.
sleep 8
tap_ok "outlived the default bound within its own"
