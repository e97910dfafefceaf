# shellcheck shell=bash
# The host side of 60-mailbox: the real host peer (user/mailbox-peer.cpp)
# on the ivshmem file, started before boot in the background, as three
# instances in a row, each playing the part of the host's life the
# ioview_mailbox self-test expects next (kmod/selftest/mailbox.cpp has the
# table) and checking every message it receives (--numbered: the
# self-test's message k, from the number given on):
#
#   #1  waits for the guest's init() (the guest comes up first:
#       60-mailbox.guest.sh opens the mailbox long after boot), echoes 200,
#       pauses 3.5 s (the guest calls 2 s without a heartbeat a stall),
#       echoes 20, idles half a second (beating: the guest sees it resume
#       before it goes), leaves (closed);
#   #2  1.5 s later, attaches, echoes 20, dies without leaving (its state
#       stays ready);
#   #3  at once, attaches (the guest sees a restart), echoes 10,
#       re-initialises the mailbox under the guest (the guest resyncs),
#       echoes 20, does it again (the guest idle this time), echoes 10,
#       writes garbage where the guest reads, seven items, each after one
#       of the guest's messages and repaired once the guest showed it
#       refused it (the peer's garbage step), leaves.
#
# --timeout bounds each even if the guest never comes: #1 the whole VM run
# plus a margin, #2 and #3 a minute (they start while the guest runs). Each
# one's output, pid and exit status go to $IOVM_TMP/mailbox-peer.N.*, which
# 60-mailbox.host.sh checks after the VM is gone; the chain's pid is in
# $IOVM_TMP/mailbox-peer.chain.pid.
#
# fd 3 is the runner's pipe for results: the peers must not hold it open,
# or the runner would wait for them before booting.

peer=${MAILBOX_PEER:-$IOVM_DIR/../../user/mailbox-peer}
out=$IOVM_TMP/mailbox-peer
rm -f "$out".*
if [ ! -x "$peer" ]; then
  echo "no $peer: make build/user/mailbox-peer" > "$out".1.err
  echo 127 > "$out".1.status
else
  (
    # instance N ARGS...: one peer on the file, waited for.
    instance() {
      local n=$1
      shift
      "$peer" "$IOVM_SHM" "$@" > "$out.$n.out" 2> "$out.$n.err" &
      echo $! > "$out.$n.pid"
      wait $!
      echo $? > "$out.$n.status"
    }
    instance 1 --script echo:200,pause:3500,echo:20,idle:500 --numbered 0 --timeout $((${IOVM_VM_TIMEOUT:-120} + 30))
    # Long enough for the guest to see #1 gone and a send refused, as the self-test expects.
    sleep 1.5
    instance 2 --script echo:20,crash --numbered 220 --timeout 60
    instance 3 --script echo:10,init,echo:20,init,echo:10,garbage --numbered 240 --timeout 60
  ) 3>&- > /dev/null 2>&1 < /dev/null &
  echo $! > "$out".chain.pid
fi
