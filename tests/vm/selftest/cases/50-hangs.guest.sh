# shellcheck shell=dash
# Outlives IOVM_CASE_TIMEOUT: the runner must kill it and say so, and with it
# the client it started in the background, which would outlive it otherwise
# (51-reaped looks for it).
sleep 1000 &
echo $! > "$IOVM_TMP/hangs.child"
tap_ok "before hanging"
sleep 1000
