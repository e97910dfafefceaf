# shellcheck shell=bash
# The host side of 60-mailbox: the real host peer (user/mailbox-peer.cpp)
# on the ivshmem file, started before boot in the background. It waits for
# the guest's init() (the guest comes up first: 60-mailbox.guest.sh opens
# the mailbox long after boot), echoes exactly 200 messages, the number the
# ioview_mailbox self-test sends, detaches and exits. --timeout bounds it
# even if the guest never comes: the whole VM run plus a margin. Its
# output, pid and exit status go to $IOVM_TMP/mailbox-peer.*, which
# 60-mailbox.host.sh checks after the VM is gone.
#
# fd 3 is the runner's pipe for results: the peer must not hold it open,
# or the runner would wait for the peer before booting.

peer=${MAILBOX_PEER:-$IOVM_DIR/../../user/mailbox-peer}
out=$IOVM_TMP/mailbox-peer
rm -f "$out".out "$out".err "$out".pid "$out".status
if [ ! -x "$peer" ]; then
  echo "no $peer: make build/user/mailbox-peer" > "$out".err
  echo 127 > "$out".status
else
  (
    "$peer" "$IOVM_SHM" --mode echo --count 200 --timeout $((${IOVM_VM_TIMEOUT:-120} + 30)) \
      > "$out".out 2> "$out".err &
    echo $! > "$out".pid
    wait $!
    echo $? > "$out".status
  ) 3>&- > /dev/null 2>&1 < /dev/null &
fi
