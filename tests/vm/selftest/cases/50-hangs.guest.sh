# shellcheck shell=dash
# Outlives IOVM_CASE_TIMEOUT: the runner must kill it and say so.
tap_ok "before hanging"
sleep 1000
