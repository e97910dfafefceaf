# shellcheck shell=bash
# The host side of 65-shm-ctl: one host peer (user/mailbox-peer.cpp) on the
# ivshmem file for ioviewctl's shm send and recv. It reverses each message
# it gets (--mode reverse), answers two (--script echo:2) and leaves.
#
# A host peer attaches to whatever mailbox the guest has initialised, so it
# must not run while the guest opens the mailbox for someone else: not
# during 60-mailbox, whose chain of peers waits for the guest from boot on
# (60-mailbox.host-before.sh), and not before this case wants one. So the
# peer is not started here but by a watcher, in the background, when the
# guest asks for it: 65-shm-ctl.guest.sh opens the mailbox first (a send
# with no host attached, refused) and then sends the diagnostic
# "# shm-ctl: mailbox open, start the host peer" on the results port. The
# watcher then also waits, bounded, for 60-mailbox's chain to have ended if
# this run started one, records the guest's side of the header as the peer
# finds it (state and generation, for 65-shm-ctl.host.sh), and runs the
# peer, which attaches to that open at once.
#
# $IOVM_RESULTS still holds the previous run's lines until the runner
# empties it, just before boot: the watcher reads it only once it has seen
# it shorter than it was here (or it was empty), so an old request cannot
# start the peer early. Everything is bounded by the VM's own limit.
#
# Files, all $IOVM_TMP/shm-peer.*: out, err, pid, status (the peer's),
# header (8 bytes at 0x20040 when it started), why (why it was never
# started), watcher.pid.
# fd 3 is the runner's pipe for results: the watcher must not hold it open,
# or the runner would wait for it before booting.

peer=${MAILBOX_PEER:-$IOVM_DIR/../../user/mailbox-peer}
out=$IOVM_TMP/shm-peer
request='# shm-ctl: mailbox open, start the host peer'
rm -f "$out".*
if [ ! -x "$peer" ]; then
  echo "no $peer: make build/user/mailbox-peer" > "$out".why
  return 0
fi
stale=$(stat -c %s "$IOVM_RESULTS" 2> /dev/null || echo 0)
# 60-mailbox's chain, if this run started it (a pid file older than this run's initramfs is a
# previous run's).
chain=
if [ "$IOVM_TMP/mailbox-peer.chain.pid" -nt "$IOVM_DIR/initramfs.cpio" ]; then
  chain=$(cat "$IOVM_TMP/mailbox-peer.chain.pid" 2> /dev/null)
fi
(
  give_up=$((SECONDS + ${IOVM_VM_TIMEOUT:-120} + 30))
  while [ "$stale" -gt 0 ] && [ "$(stat -c %s "$IOVM_RESULTS" 2> /dev/null || echo 0)" -ge "$stale" ]; do
    [ "$SECONDS" -lt "$give_up" ] || { echo "the results file was never emptied for this run" > "$out".why; exit; }
    sleep 0.05
  done
  until grep -qF -- "$request" "$IOVM_RESULTS" 2> /dev/null; do
    [ "$SECONDS" -lt "$give_up" ] || { echo "the guest never asked for the host peer" > "$out".why; exit; }
    sleep 0.1
  done
  # 60-mailbox's last peer has left by the time its guest case ends; this only guards
  # against two host peers on one mailbox when that case went wrong.
  chain_end=$((SECONDS + 20))
  while [ -n "$chain" ] && kill -0 "$chain" 2> /dev/null; do
    [ "$SECONDS" -lt "$chain_end" ] || { echo "60-mailbox's host peers still ran 20 s after the request" > "$out".why; exit; }
    sleep 0.1
  done
  shm_bytes 0x20040 8 > "$out".header
  "$peer" "$IOVM_SHM" --mode reverse --script echo:2 --timeout 60 --attach-timeout 10 > "$out".out 2> "$out".err &
  echo $! > "$out".pid
  wait $!
  echo $? > "$out".status
) 3>&- > /dev/null 2>&1 < /dev/null &
echo $! > "$out".watcher.pid
