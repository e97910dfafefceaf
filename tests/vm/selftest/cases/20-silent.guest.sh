# shellcheck shell=dash
# Reports nothing: the runner must turn that into a failure.
echo "some stray output that is not a result"
