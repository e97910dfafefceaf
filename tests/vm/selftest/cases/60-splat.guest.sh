# shellcheck shell=dash
# Puts lines shaped like a kernel warning into the kernel log (through
# /dev/kmsg, so they carry a stamp like real ones): the log scan must flag
# them. Also user-space text with the same words on the console, which the
# scan must ignore.
echo "WARNING: CPU: 0 PID: 1 at drivers/fake.c:1 fake+0x0/0x10" > /dev/kmsg
echo " ? fake_probe+0x12/0x40 [ioview]" > /dev/kmsg
echo "user space says BUG: and WARNING: and Call Trace: on the console" > /dev/console
tap_ok "wrote a fake splat"
