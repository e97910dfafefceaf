# shellcheck shell=dash
# iovm-case-timeout: 7 9
# Outlives both of the bounds it names: the runner must kill it after 7 s on
# a kernel without KASAN and after 9 s on one with it (the second figure).
tap_ok "started"
sleep 1000
