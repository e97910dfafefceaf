// SPDX-License-Identifier: GPL-2.0
//
// The guest side of the ivshmem mailbox (devices/ivshmem_mailbox.h is its
// layout, driver/mailbox_ring.h its logic): one ioview::kernel::mailbox::
// device per bound ivshmem-plain function, and the operations on it.
//
//     int err = mailbox::open(dev);           // maps the mailbox, init(), starts the worker
//     err = mailbox::send(dev, buf, len);     // -ENOTCONN until the host peer attached
//     usize n;
//     err = mailbox::receive(dev, buf, sizeof(buf), 100, &n);   // waits at most 100 ms
//     mailbox::close(dev);                    // worker stopped, detach(), unmapped
//
// Open on demand.  Probe maps nothing: the ivshmem self-tests map the
// whole of BAR2 themselves (bar_mapping, iomem_mapping), and a mapping
// held from probe on would make them -EBUSY.  open() requests and maps
// only the mailbox's bytes, [BAR2 + wire::bar2_offset, + sizeof(layout)),
// with an iomem_mapping, so while it is open the self-tests that take all
// of BAR2 get -EBUSY (they run in their own suite, never while a mailbox
// self-test has it open; from userspace, the netlink family's mbox-close
// closes a mailbox that mbox-send or mbox-recv opened).  The guest comes up first: open() runs init(),
// which empties both rings and leaves the host's state absent; the host
// peer attaches when it sees the magic (and one that was attached sees
// "reinitialised" and resyncs).
//
// While open, a polling worker (shim/work.c) runs every poll_ms: it counts
// our heartbeat and watches the peer (arrival, departure, restart, stall,
// our state wiped by a host init -> resync()).  It does not consume
// messages: receive() is the caller's, with a bounded wait that sleeps
// between tries (usleep_range(), from 50 us doubling up to poll_ms: see
// retry_locked() in mailbox.cpp).
//
// Why the worker runs while open, not only while a call waits: open is the
// listening state.  open() announces the guest ready, which tells the host
// that it may send at any time and that the guest watches it; keeping that
// promise needs the worker whether or not a receive() is in progress.  The
// heartbeat is how the host tells a live guest from a dead one (without it
// an idle open guest would look stalled), and a host that re-initialises
// the mailbox wipes our state, so until the worker resyncs the host sees us
// absent and its sends fail.  A guest that wants no messages closes the
// mailbox: it detaches (the host sees it closed, not stalled) and the
// worker is cancelled, so nothing polls while nobody listens; unbind closes
// it too (remove()).  Each run is a trylock, one write, a full barrier and
// a few 32-bit reads of shared memory, poll_ms apart: no busy loop.
//
// A host that re-initialises the mailbox under us (its init()) empties both
// rings: what was in them is gone.  The first send() or receive() after
// such a reset returns -ECONNRESET, whether the worker or that call takes
// the new rings over (and so does a call made while the host's init() is
// still writing the header); the calls after it work on the new rings.  So
// a caller learns that messages it published before may not have arrived,
// and those it publishes after are delivered.  A restart (the host attaches
// again, e.g. after a crash) or a departure keeps the rings: messages
// waiting in them are served by the next host to attach.
//
// Concurrency: one mutex per device serialises open, close, send, receive
// and the worker (the endpoint is single-threaded).  The worker only
// trylocks it, because close() holds it while it cancels the worker
// synchronously.
//
// Lifetime: callers hold a counted reference (acquire(), kernel/
// counted_ref.h), which keeps the state's memory, not the binding.
// remove() revokes the device (every operation is -ENODEV from then on; a
// receive() or wait_peer() that waits notices at its next try), takes the
// lock, closes an open mailbox (worker stopped, detached, unmapped) and
// drops the driver's reference.
#ifndef IOVIEW_KMOD_DRIVER_MAILBOX_H
#define IOVIEW_KMOD_DRIVER_MAILBOX_H

#include <ioview/support.h>

#include "kernel/counted_ref.h"
#include "shim/shim.h"

namespace ioview::kernel::mailbox {

/// One bound ivshmem-plain function; defined in driver/mailbox.cpp only.
struct device;

/// How often the worker runs while the mailbox is open, in milliseconds.
inline constexpr unsigned int poll_ms = 4;

/**
 * struct counter_set - what a device's mailbox has done since probe
 * @opens: successful open() calls
 * @sent: messages published to the host
 * @sent_bytes: their payload bytes
 * @received: messages taken from the host
 * @received_bytes: their payload bytes
 * @not_connected: sends refused because the host was not ready (-ENOTCONN)
 * @full: sends refused because the ring was full (-EAGAIN)
 * @errors: receive or send errors from the peer's data (-EPROTO, -EBADMSG)
 * @polls: worker runs that did their work (lock taken, mailbox open)
 * @arrivals: the worker saw the host become ready (after being absent or closed)
 * @restarts: the worker saw the host ready with a new generation without
 *	seeing it leave (it attached again, e.g. after dying)
 * @departures: the worker saw the host leave (closed, absent, garbage)
 * @stalls: the worker saw the host's heartbeat stand still for 2 s
 * @resumes: the worker saw a stalled host's heartbeat move again
 * @resyncs: the host wiped our state (its init) and the worker or a call
 *	took the new rings over
 * @resets: send() and receive() calls that returned -ECONNRESET
 */
struct counter_set {
	u64 opens;
	u64 sent;
	u64 sent_bytes;
	u64 received;
	u64 received_bytes;
	u64 not_connected;
	u64 full;
	u64 errors;
	u64 polls;
	u64 arrivals;
	u64 restarts;
	u64 departures;
	u64 stalls;
	u64 resumes;
	u64 resyncs;
	u64 resets;
};

/**
 * probe() - set up the mailbox state of ivshmem function @pdev (enabled)
 *
 * Allocates the state, its mutex and its worker; maps nothing.
 * Return: 0 with *@out set, or -ENOMEM (nothing left behind).  Process context.
 */
int probe(pci_dev *pdev, device **out) noexcept;

/// Revokes @dev, closes the mailbox if it is open, drops the driver's reference.
void remove(device *dev) noexcept;

/// Counted references (kernel/counted_ref.h finds them): ref_get() while holding one.
void ref_get(device *dev) noexcept;
void ref_put(device *dev) noexcept;

/**
 * acquire() - a counted reference to a bound ivshmem function's mailbox
 * @pci_name: its PCI name, or nullptr for the first bound
 *
 * Defined in driver/probe.cpp.  Return: the reference, or an empty one.
 */
counted_ref<device> acquire(const char *pci_name) noexcept;

/// Whether @dev was revoked (its function unbound): every operation is then -ENODEV.
bool gone(const device *dev) noexcept;

/// The function @dev belongs to, pinned while a reference to @dev is held.
pci_dev *pci_device(const device *dev) noexcept;

/**
 * of() - the device probe() made for @pdev, or nullptr if @pdev is not a
 * bound ivshmem function.  Defined in driver/probe.cpp, which owns the
 * driver data.  Valid while the caller keeps @pdev bound.
 */
device *of(pci_dev *pdev) noexcept;

/**
 * open() - map the mailbox, initialise it as the guest and start the worker
 * Return: 0; -EBUSY (already open, or the range is requested by someone
 * else, e.g. a self-test mapping all of BAR2); -ENXIO (BAR2 too small);
 * -EINVAL, -ENOMEM (mapping); -EINTR (a signal while waiting for the lock);
 * -ENODEV (revoked).  Every operation below also returns -ENODEV once revoked.
 * On an error nothing is left mapped or running.
 */
int open(device *dev) noexcept;

/**
 * close() - stop the worker (synchronously), detach(), unmap
 * Return: 0, -ENOTCONN if the mailbox was not open, -ENODEV if revoked.
 */
int close(device *dev) noexcept;

/// Whether the mailbox is open.
bool is_open(device *dev) noexcept;

/**
 * send() - publish @len bytes at @bytes to the host
 * Return: 0; -ENOTCONN (mailbox not open, or the host not ready);
 * -EMSGSIZE (@len > max_payload); -ECONNRESET (the host re-initialised the
 * mailbox: earlier messages may be lost, nothing sent now: send again);
 * -EAGAIN (ring full: retry after the host consumed); -EPROTO (the host's
 * tail is inconsistent); -EINTR.
 */
int send(device *dev, const void *bytes, usize len) noexcept;

/**
 * receive() - take the next message from the host into @out (@cap bytes)
 * @timeout_ms: how long to wait for one (0: try once); the sleeps between
 * tries start at 50 us and double up to poll_ms, so a message is seen about
 * as soon again as the wait had lasted, and a long wait wakes once a period
 * Return: 0 with *@len set; -ETIMEDOUT (none came, -EAGAIN when
 * @timeout_ms is 0); -ENOTCONN (not open); -ECONNRESET (the host
 * re-initialised the mailbox, as send(): nothing consumed, call again);
 * -ENOBUFS (@cap too short: nothing consumed); -EBADMSG (a bad slot,
 * skipped); -EPROTO; -EINTR.
 */
int receive(device *dev, void *out, usize cap, unsigned int timeout_ms, usize *len) noexcept;

/**
 * wait_peer() - wait until the host's state is @ready (true) or not (false)
 * @timeout_ms: the bound; sleeps poll_ms between looks
 * Return: 0; -ETIMEDOUT; -ENOTCONN (not open); -EINTR.
 */
int wait_peer(device *dev, bool ready, unsigned int timeout_ms) noexcept;

/// A snapshot of @dev's counters.
counter_set counters(device *dev) noexcept;

} // namespace ioview::kernel::mailbox

#endif // IOVIEW_KMOD_DRIVER_MAILBOX_H
