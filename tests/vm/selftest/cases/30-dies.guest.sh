# shellcheck shell=dash
# Reports one pass, then dies: the pass stays, the death is a failure.
tap_ok "before dying"
echo "about to exit 3" >&2
exit 3
