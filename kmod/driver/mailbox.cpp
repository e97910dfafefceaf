// SPDX-License-Identifier: GPL-2.0
//
// The guest side of the ivshmem mailbox (see mailbox.h): per-device state,
// open/close on demand, the operations, and the polling worker, all through
// mailbox_ring.h's endpoint over the module's MMIO backend; the kernel is
// reached only through shim/shim.h.
#include <ioview/ioview.h>

#include "driver/driver_errno.h"
#include "driver/mailbox.h"
#include "driver/mailbox_barriers.h"
#include "driver/mailbox_ring.h"
#include "kernel/barrier.h"
#include "ioview_cxxrt.h"
#include "kernel/errno.h"
#include "kernel/iomem_mapping.h"
#include "kernel/mmio.h"
#include "kernel/mutex.h"
#include "kernel/revocable.h"

namespace ioview::kernel::mailbox {

namespace mbx = ioview::driver::mailbox;
namespace wire = ioview::devices::mailbox;
using guest_endpoint = mbx::endpoint<kmmio, mbx::ivshmem_barriers>;

namespace {

// ivshmem-plain's shared memory BAR.
constexpr int bar2_number = 2;
// Two seconds without a host heartbeat is a stall, timed with ktime (a poll can run late).
constexpr unsigned int stall_ms = 2000;
// receive(): the sleep after the first empty try, doubled after each further
// one up to a worker period (see retry_locked()).
constexpr unsigned int receive_first_step_us = 50;
constexpr unsigned int receive_max_step_us = poll_ms * 1000;
constexpr u64 ns_per_us = 1000;
constexpr u64 ns_per_ms = 1000000;
constexpr u64 stall_ns = stall_ms * ns_per_ms;

// The endpoint has no empty state (it is built by init() or attach()), so
// the device keeps it in a union that is valid exactly while open is true.
// It is trivially copyable: assigning it starts its lifetime.
union endpoint_slot {
	char none;
	guest_endpoint ep;
	endpoint_slot() noexcept : none() {}
};

// What the caller has been told of the host's latest re-initialisation (init()
// over us): each one is reported by exactly one -ECONNRESET.
enum class reset_news : u8 {
	none,		// nothing to tell
	pending,	// the worker took the new rings over before any call heard of it
	told,		// a call got -ECONNRESET; taking the new rings over is still to come
};

} // namespace

struct device {
	revocable life;			// the function (pinned), the references, the revoked flag
	ioview_mutex *lock;		// serialises everything below; the worker only trylocks it
	ioview_work *worker;		// heartbeat and peer watching while open
	iomem_mapping<wire::layout> map;	// the mailbox's bytes of BAR2 while open, else empty
	endpoint_slot slot;		// slot.ep valid while open
	bool open;
	reset_news reset;
	counter_set n;
};

namespace {

#define mb_err(dev, fmt, ...) ioview_shim_dev_log((dev).life.pdev(), IOVIEW_LOG_ERR, "mailbox: " fmt "\n" __VA_OPT__(, ) __VA_ARGS__)
#define mb_info(dev, fmt, ...) ioview_shim_dev_log((dev).life.pdev(), IOVIEW_LOG_INFO, "mailbox: " fmt "\n" __VA_OPT__(, ) __VA_ARGS__)

bool is_revoked(const device &dev)
{
	return dev.life.revoked();
}

// The lock for the length of a scope, unless a signal came first; a revoked device refuses.
struct op_lock : revocable_lock {
	explicit op_lock(device &dev) noexcept : revocable_lock(dev.lock, dev.life) {}
};

// Frees the state, with the last reference; remove() has closed the mailbox by then.
void release(device *dev)
{
	ioview_shim_work_destroy(dev->worker);
	ioview_shim_mutex_destroy(dev->lock);
	dev->life.finish();
	delete dev;
}

// With the lock held: stop the worker, leave, unmap; the reverse of open_locked().
void close_locked(device &dev)
{
	// The worker trylocks, so it cannot be waiting for the lock we hold;
	// a run that re-arms itself meanwhile is refused by the cancel.
	ioview_shim_work_cancel_sync(dev.worker);
	dev.slot.ep.detach();
	dev.open = false;
	dev.map.reset();
}

int open_locked(device &dev)
{
	if (dev.open)
		return -ebusy;
	unsigned long long start = 0;
	int err = ioview_shim_pci_bar_start(dev.life.pdev(), bar2_number, &start);
	if (err)
		return err;
	if (ioview_shim_pci_bar_len(dev.life.pdev(), bar2_number) < wire::bar2_offset + sizeof(wire::layout))
		return -enxio;
	auto m = iomem_mapping<wire::layout>::map(start + wire::bar2_offset, sizeof(wire::layout));
	if (!m) {
		mb_err(dev, "cannot map BAR2 + %#zx: %d", wire::bar2_offset, m.error());
		return m.error();
	}
	dev.map = m.take();
	auto ep = guest_endpoint::init(dev.map.view(), wire::side::guest);
	if (!ep) {
		dev.map.reset();
		return ep.error();
	}
	dev.slot.ep = ep.value();
	dev.open = true;
	dev.reset = reset_news::none;
	++dev.n.opens;
	ioview_shim_work_schedule(dev.worker, poll_ms);
	mb_info(dev, "open at BAR2 + %#zx, generation %u", wire::bar2_offset, dev.slot.ep.generation());
	return 0;
}

// Counts a send or receive error that came from the peer's data.
int account(device &dev, int err)
{
	if (err == -mbx::enotconn)
		++dev.n.not_connected;
	else if (err == -mbx::eagain)
		++dev.n.full;
	else if (err == -mbx::eproto || err == -mbx::ebadmsg)
		++dev.n.errors;
	return err;
}

// Takes the rings over again after the host's init() wiped our state; false
// while that init() is still writing the header (-EAGAIN: the next try works).
// @who noticed: the worker or a call.
bool resync_locked(device &dev, const char *who)
{
	ioview::status s = dev.slot.ep.resync();
	if (!s)
		return false;
	++dev.n.resyncs;
	mb_info(dev, "host reinitialised the mailbox: resynced by %s", who);
	return true;
}

// The endpoint refused an operation with -ECONNRESET: the host's init() wiped
// our state since the worker last looked.  Take the new rings over now rather
// than a period later; the caller is told either way.
int reset_seen(device &dev)
{
	dev.reset = resync_locked(dev, "a call") ? reset_news::none : reset_news::told;
	++dev.n.resets;
	return -mbx::econnreset;
}

// Before send() and receive(): -ECONNRESET once for a re-initialisation the
// worker took over while no call was made, so that no caller misses one
// (messages it published before may be gone).
int reset_untold(device &dev)
{
	if (dev.reset != reset_news::pending)
		return 0;
	dev.reset = reset_news::none;
	++dev.n.resets;
	return -mbx::econnreset;
}

// One run of the worker, with the lock held and the mailbox open.
void poll_locked(device &dev)
{
	guest_endpoint &ep = dev.slot.ep;

	++dev.n.polls;
	ep.heartbeat();
	// The beat before the look at the host (see endpoint::heartbeat()): only a full barrier orders a store before a load.
	mb();
	switch (ep.watch_peer(ioview_shim_ktime_ns(), stall_ns)) {
	case mbx::peer_event::arrived:
		++dev.n.arrivals;
		mb_info(dev, "host peer ready, generation %u", ep.peer().generation);
		break;
	case mbx::peer_event::restarted:
		++dev.n.restarts;
		mb_info(dev, "host peer restarted: ready with generation %u", ep.peer().generation);
		break;
	case mbx::peer_event::left:
		++dev.n.departures;
		mb_info(dev, "host peer left");
		break;
	case mbx::peer_event::stalled:
		++dev.n.stalls;
		mb_info(dev, "host peer stalled: no heartbeat for %u ms", stall_ms);
		break;
	case mbx::peer_event::resumed:
		++dev.n.resumes;
		mb_info(dev, "host peer resumed its heartbeat");
		break;
	case mbx::peer_event::reinitialised:
		// The host ran init() over us: take the rings over again (it may still be
		// writing the header: -EAGAIN, next poll).  A call made meanwhile was told.
		if (resync_locked(dev, "the worker"))
			dev.reset = dev.reset == reset_news::told ? reset_news::none : reset_news::pending;
		break;
	case mbx::peer_event::none:
		break;
	}
}

} // namespace

int probe(pci_dev *pdev, device **out) noexcept
{
	auto *dev = new (gfp::kernel) device{};
	if (!dev)
		return -enomem;
	dev->life.start(pdev);
	int err = ioview_shim_mutex_create(&dev->lock);
	if (!err)
		err = ioview_shim_work_create(dev, &dev->worker);
	if (err) {
		mb_err(*dev, "no memory for the lock and worker: %d", err);
		release(dev);
		return err;
	}
	*out = dev;
	return 0;
}

void remove(device *dev) noexcept
{
	// Revoke, then take the lock: a receive() or wait_peer() between two tries sees the flag at
	// its next one (a step away), and nothing reaches the mapping closed below.
	dev->life.revoke();
	ioview_shim_mutex_lock(dev->lock);
	if (dev->open)
		close_locked(*dev);
	ioview_shim_mutex_unlock(dev->lock);
	ref_put(dev);
}

void ref_get(device *dev) noexcept
{
	dev->life.get();
}

void ref_put(device *dev) noexcept
{
	if (dev->life.put())
		release(dev);
}

bool gone(const device *dev) noexcept
{
	return is_revoked(*dev);
}

pci_dev *pci_device(const device *dev) noexcept
{
	return dev->life.pdev();
}

int open(device *dev) noexcept
{
	op_lock l(*dev);
	if (l.error())
		return l.error();
	return open_locked(*dev);
}

int close(device *dev) noexcept
{
	// Uninterruptible: a close must happen once it is asked for.
	ioview_shim_mutex_lock(dev->lock);
	int err = is_revoked(*dev) ? -enodev : dev->open ? 0 : -mbx::enotconn;
	if (!err)
		close_locked(*dev);
	ioview_shim_mutex_unlock(dev->lock);
	if (!err)
		mb_info(*dev, "closed");
	return err;
}

bool is_open(device *dev) noexcept
{
	op_lock l(*dev);
	return !l.error() && dev->open;
}

int send(device *dev, const void *bytes, usize len) noexcept
{
	op_lock l(*dev);
	if (l.error())
		return l.error();
	if (!dev->open)
		return -mbx::enotconn;
	if (int err = reset_untold(*dev))
		return err;
	ioview::status s = dev->slot.ep.send(static_cast<const u8 *>(bytes), len);
	if (!s)
		return s.error() == -mbx::econnreset ? reset_seen(*dev) : account(*dev, s.error());
	++dev->n.sent;
	dev->n.sent_bytes += len;
	return 0;
}

/*
 * Runs @try_once with the lock held until it gives something other than
 * -EAGAIN, for at most @timeout_ms, sleeping between tries with the lock
 * dropped (so the worker keeps beating meanwhile).  With @timeout_ms 0 it
 * tries once and gives -EAGAIN; when time runs out, -ETIMEDOUT.
 *
 * The sleeps start at @first_us and double after each empty try up to
 * @max_us, never past the deadline.  So a wait sleeps at most about as long
 * again as it has already waited (a message that comes 100 us into the wait
 * is seen within about 100 us more), and a long one wakes no more often than
 * every @max_us.  They are usleep_range() sleeps, not msleep(): msleep(1)
 * is two jiffies, 4 to 8 ms at HZ=250, which made every empty try of a
 * receive cost as much as a whole burst of messages.  No try spins: each
 * one sleeps before the next.
 */
template <typename F>
int retry_locked(device &dev, unsigned int timeout_ms, unsigned int first_us, unsigned int max_us, F try_once) noexcept
{
	u64 deadline = ioview_shim_ktime_ns() + u64{ timeout_ms } * ns_per_ms;
	unsigned int step_us = first_us;

	for (;;) {
		{
			op_lock l(dev);
			if (l.error())
				return l.error();
			if (!dev.open)
				return -mbx::enotconn;
			int r = try_once();
			if (r != -mbx::eagain)
				return r;
		}
		if (timeout_ms == 0)
			return -mbx::eagain;
		u64 now = ioview_shim_ktime_ns();
		if (now >= deadline)
			return -drivers::etimedout;
		u64 left_us = (deadline - now + ns_per_us - 1) / ns_per_us;
		unsigned int sleep_us = left_us < step_us ? static_cast<unsigned int>(left_us) : step_us;
		// A quarter of slack: enough for the kernel to share a wakeup, little next to the step.
		ioview_shim_usleep_range(sleep_us, sleep_us + sleep_us / 4);
		step_us = step_us > max_us / 2 ? max_us : step_us * 2;
	}
}

int receive(device *dev, void *out, usize cap, unsigned int timeout_ms, usize *len) noexcept
{
	return retry_locked(*dev, timeout_ms, receive_first_step_us, receive_max_step_us, [&]() noexcept {
		if (int err = reset_untold(*dev))
			return err;
		auto r = dev->slot.ep.receive(static_cast<u8 *>(out), cap);
		if (!r) {
			if (r.error() == -mbx::econnreset)
				return reset_seen(*dev);
			return r.error() == -mbx::eagain ? r.error() : account(*dev, r.error());
		}
		++dev->n.received;
		dev->n.received_bytes += r.value();
		*len = r.value();
		return 0;
	});
}

int wait_peer(device *dev, bool ready, unsigned int timeout_ms) noexcept
{
	// Checked once a worker period: an arrival or a departure needs no finer resolution.
	int r = retry_locked(*dev, timeout_ms, poll_ms * 1000, poll_ms * 1000, [&]() noexcept {
		return dev->slot.ep.peer_ready() == ready ? 0 : -mbx::eagain;
	});
	return r == -mbx::eagain ? -drivers::etimedout : r;
}

counter_set counters(device *dev) noexcept
{
	ioview_shim_mutex_lock(dev->lock);
	counter_set c = dev->n;
	ioview_shim_mutex_unlock(dev->lock);
	return c;
}

} // namespace ioview::kernel::mailbox

void ioview_driver_poll(void *ctx)
{
	auto *dev = static_cast<ioview::kernel::mailbox::device *>(ctx);

	// Busy: whoever holds the lock is sending, receiving or closing; try
	// again next period (close() cancels this re-arm).
	if (ioview_shim_mutex_trylock(dev->lock)) {
		if (!dev->open) {
			ioview_shim_mutex_unlock(dev->lock);
			return;
		}
		ioview::kernel::mailbox::poll_locked(*dev);
		ioview_shim_mutex_unlock(dev->lock);
	}
	ioview_shim_work_schedule(dev->worker, ioview::kernel::mailbox::poll_ms);
}
