# shellcheck shell=dash
# Loads the stand-in module asking it to warn in probe: a real kernel
# warning with a real call trace, which the log scan must flag.
expect_run "insmod with warn=1" insmod "$IOVM_MODULE" warn=1
expect_run "rmmod after the warning" rmmod ioview
