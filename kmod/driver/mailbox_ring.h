// SPDX-License-Identifier: GPL-2.0
//
// The ivshmem mailbox's logic (kmod/devices/ivshmem_mailbox.h is its
// layout), written once for both sides: generic over the ioview backend the
// mailbox is seen through and over an ordering policy.
//
//     guest driver:  view<kmmio, wire::layout>    BAR2 via readl()/writel(), memcpy_{to,from}io()
//                    policy ivshmem_barriers       (mailbox_barriers.h: wmb/rmb/mb)
//     host peer:     view<sysmem, wire::layout>   the backing file, mmap(MAP_SHARED)
//                    policy shared_memory_fences   (below: C++ fences)
//     unit tests:    any non-fallible backend, a recording policy
//
//     auto ep = endpoint<sysmem, shared_memory_fences>::attach(mem, wire::side::host);
//     if (!ep)
//             return ep.error();              // -EAGAIN: not initialised yet, retry
//     auto e = ep.value();                    // keep this one: it holds the counters
//     u8 buf[wire::max_payload];
//     auto n = e.receive(buf, sizeof(buf));   // -EAGAIN when empty
//     if (n)
//             e.send(buf, n.value());         // -EAGAIN full, -ENOTCONN peer gone
//
// Every access is a projection of the layout view (IOVIEW_PROJECT, try_at,
// try_subrange) and payloads move with copy_from_slice()/copy_to_slice(),
// so nothing here computes an address; the slot index is always
// counter % slot_count and the payload length is checked against
// max_payload before it is used.
//
// Trust.  Whatever the peer wrote (its index, its slots, its state, and
// the header if it initialised) is read once into a local, checked, and
// only the checked local is used:
// - our own counters (the head we produce, the tail we consume) are kept
//   in the endpoint, never re-read from shared memory after attach, so a
//   peer that scribbles them cannot move us;
// - the peer's counter must be within slot_count of ours (u32 wrap-around
//   arithmetic: head - tail <= slot_count), else -EPROTO and no slot access;
// - a slot's length must be <= max_payload and its sequence equal to our
//   tail, else the slot is skipped with -EBADMSG (the ring keeps moving);
//   init() leaves every slot with the sequence of a lap earlier, so a slot
//   nobody published since is never taken for a message;
// - our own state is read before each send and receive: if the peer's
//   init() wiped it, our counters belong to the rings it just reset, and
//   both refuse with -ECONNRESET until resync() (never a slot or an index
//   of the new rings touched with an old counter);
// - the header's magic, version and geometry must match this file's
//   constants exactly, else attach() fails (-EAGAIN/-EPROTO/
//   -EPROTONOSUPPORT/-EINVAL).
// The peer can therefore make us return errors or deliver garbage bytes,
// never touch memory outside the layout view (the unit tests check this
// with guard bytes and a recording backend).
//
// Ordering.  Each ring has one producer and one consumer on different
// agents (a guest vCPU and a host CPU), so every hand-over of a slot is a
// pair of accesses whose order the other side relies on.  The policy P
// provides the three barriers; the code calls them at exactly these points
// (the seed series' review found nova-core's command queue with its
// barrier after the write pointer: that order is the bug this avoids):
//
//   producer (send)                         consumer (receive)
//   t = tail           (peer's)             h = head           (peer's)
//   check 0 <= head - t < slot_count        check 0 < h - tail <= slot_count
//     [control dependency, see (c)]         P.acquire()        (b)
//   write slot payload, length, sequence    read slot length, sequence, payload
//   P.publish()        (a)                  P.release()        (c)
//   head = head + 1                         tail = tail + 1
//
// (a) publish(): store -> store.  The slot's bytes are visible before the
//     head that says they are there; otherwise the consumer can read a
//     stale slot behind a new index.
// (b) acquire(): load -> load.  The head is read before the slot it
//     publishes; otherwise the CPU may read the slot early (before the
//     producer wrote it) and the head late.
// (c) release(): load -> store.  The slot is read completely before the
//     tail that frees it; otherwise the producer may refill the slot while
//     the consumer is still copying it.  On the producer side the converse
//     pair (read tail, then write the freed slot) is ordered by a control
//     dependency: the slot stores happen only on the branch where the tail
//     load showed room, and no CPU makes a store visible before the branch
//     it depends on is resolved (memory-barriers.txt, "CONTROL
//     DEPENDENCIES"; the kernel's Documentation/core-api/circular-buffers.rst
//     relies on the same).  The accesses are volatile, so the compiler
//     cannot hoist the stores above the check either.
// init() writes the header with magic 0 and both states absent, resets the
// rings, publish()es, writes its ready state, publish()es, then writes the
// magic; attach() reads the magic, acquire()s, then reads the geometry.  A
// peer that was attached reads our ready state, acquire()s, then its own
// (send()): seeing us ready again it also sees itself wiped.  detach()
// publish()es before writing its state, so a peer that sees "closed" also
// sees our last head.
//
// Which barriers: BAR2 is __iomem to the guest (pci_iomap() -> ioremap(),
// UC- on x86, Device-nGnRE on arm64), not coherent DMA memory, so the
// kernel's dma_wmb()/dma_rmb() are the wrong contract: they are defined for
// memory from dma_alloc_coherent() and on some architectures do not order
// I/O mappings at all (powerpc's dma_wmb() is lwsync, which does not order
// cache-inhibited stores; wmb() is sync).  The mandatory barriers wmb(),
// rmb() and mb() order MMIO as well as memory on every architecture, and
// the payload goes through memcpy_toio()/memcpy_fromio(), which carry no
// ordering of their own.  So the guest passes ivshmem_barriers
// (mailbox_barriers.h): publish = wmb(), acquire = rmb(), release = mb().
// On x86-64 that is sfence/lfence/mfence per message; dma_wmb()/dma_rmb()
// (compiler barriers there) would happen to work on x86 with the UC
// mapping, but not by contract, and not if BAR2 were ever mapped
// write-combining (pci_iomap_wc()), where sfence is what orders the
// buffered payload stores.  The host peer sees normal cacheable memory
// shared with another CPU (the vCPU thread), so C++ release/acquire fences
// are its barriers (shared_memory_fences).
#ifndef IOVIEW_KMOD_DRIVER_MAILBOX_RING_H
#define IOVIEW_KMOD_DRIVER_MAILBOX_RING_H

#include <ioview/copy.h>
#include <ioview/endian.h>
#include <ioview/project.h>
#include <ioview/view.h>

#include "../devices/ivshmem_mailbox.h"
#include "mailbox_errno.h"

namespace ioview::driver::mailbox {

/// The layout's namespace, kmod/devices/ivshmem_mailbox.h.
namespace wire = ::ioview::devices::mailbox;

/**
 * An ordering policy: the three barriers of the protocol (see the top of
 * this file).  Called on an lvalue; copied into each ring, so a policy
 * with state keeps it behind a pointer.
 *
 *     struct my_barriers {
 *             void publish() noexcept { ioview::kernel::wmb(); }  // data stores, then the index store
 *             void acquire() noexcept { ioview::kernel::rmb(); }  // the index load, then data loads
 *             void release() noexcept { ioview::kernel::mb(); }   // data loads, then the index store
 *     };
 */
template <typename P>
concept ordering_policy = requires(P &p) {
	p.publish();
	p.acquire();
	p.release();
};

/**
 * A backend the mailbox can run on: not fallible (a shared-memory mapping
 * cannot fail an access), 32-bit scalar accesses for the indices, and
 * copies for the payload (a block copy or byte accesses).
 */
template <typename B>
concept mailbox_backend = backend<B> && !fallible<B> && capable<B, 4> && copy_capable<B>;

/**
 * The policy for two CPUs sharing normal cacheable memory: the host peer
 * (the backing file mapped MAP_SHARED, the vCPU on the other side) and
 * userspace tests.  Not for the guest kernel, whose BAR2 is __iomem: it
 * uses ivshmem_barriers (mailbox_barriers.h).
 *
 * A release fence orders every earlier load and store before later
 * stores, which is both (a) and (c); an acquire fence orders earlier loads
 * before later loads and stores, (b).  On x86-64 all three are compiler
 * barriers only (TSO), on arm64 dmb ish / dmb ishld.
 */
struct shared_memory_fences {
	/// (a) slot stores before the head store.
	void publish() noexcept { __atomic_thread_fence(__ATOMIC_RELEASE); }
	/// (b) the head load before the slot loads.
	void acquire() noexcept { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
	/// (c) the slot loads before the tail store.
	void release() noexcept { __atomic_thread_fence(__ATOMIC_RELEASE); }
};
static_assert(ordering_policy<shared_memory_fences>);

namespace detail {

/// A le32 field of shared memory as a CPU number; one 32-bit access.
template <typename B> [[gnu::always_inline]] inline u32 load(view<B, le32> field) noexcept
{
	return field.read_val().get();
}

/// Store the CPU number @p value into a le32 field; one 32-bit access.
template <typename B> [[gnu::always_inline]] inline void store(view<B, le32> field, u32 value) noexcept
{
	field.write_val(le32::from_cpu(value));
}

/// counter % slot_count, as slot_count is a power of two.
constexpr usize slot_index(u32 counter) noexcept
{
	return counter & (wire::slot_count - 1);
}

/// A slot as init() leaves it, less its sequence: length 0, payload zeroed.
inline constexpr wire::slot empty_slot{};

/*
 * The sequence init() gives slot @p i of a ring starting at @p first: the
 * counter of the slot's first message less slot_count, the one it would have
 * held a lap earlier.  No consumer expects it before a producer has written
 * the slot, so a slot that was never published, read because of a stale or
 * forged head, is dropped as -EBADMSG instead of being taken for an empty
 * message (a zero sequence would pass at counter 0).
 */
constexpr u32 unpublished_sequence(u32 first, usize i) noexcept
{
	u32 lap_offset = static_cast<u32>(i - slot_index(first)) & (wire::slot_count - 1);
	return first + lap_offset - wire::slot_count;
}

/// Empty @p ring at counter @p first: head = tail = first, every slot cleared.
template <typename B> void reset_ring(view<B, wire::ring> ring, u32 first) noexcept
{
	wire::ring_indices idx{};
	idx.head = le32::from_cpu(first);
	idx.tail = le32::from_cpu(first);
	copy_write(IOVIEW_PROJECT(ring, indices), idx);
	auto slots = IOVIEW_PROJECT(ring, slots);
	for (usize i = 0; i < slots.length(); ++i) {
		auto s = slots.try_at(i);
		if (!s)
			continue;
		copy_write(s.value(), empty_slot);
		store(IOVIEW_PROJECT(s.value(), sequence), unpublished_sequence(first, i));
	}
}

/* A ring's two counters as shared memory holds them. */
struct ring_counters {
	u32 head;
	u32 tail;
};

/*
 * Both counters, for an end that takes over a ring (adopt()): -EPROTO if they
 * are more than a ring apart, which no producer and consumer could have left.
 */
template <typename B> result<ring_counters> consistent_counters(view<B, wire::ring> ring) noexcept
{
	ring_counters c{ load(IOVIEW_PROJECT(ring, indices.head)), load(IOVIEW_PROJECT(ring, indices.tail)) };
	if (c.head - c.tail > wire::slot_count)
		return fail(eproto);
	return c;
}

} // namespace detail

/**
 * The producing end of one ring: writes slots and the head, reads the
 * peer's tail.  Keeps its own head; shared memory's copy is only written.
 *
 *     auto p = producer<sysmem, shared_memory_fences>::adopt(ring, {});
 *     if (p)
 *             status s = p.value().send(msg, len);   // -EAGAIN when full
 */
template <mailbox_backend B, ordering_policy P> class producer {
public:
	/// A view of the ring this end produces into.
	using ring_view = view<B, wire::ring>;

	/**
	 * Start the ring empty at counter @p first: head = tail = first, every
	 * slot zeroed.  For init() only, while the peer cannot be attached.
	 */
	static producer start(ring_view ring, P policy, u32 first) noexcept
	{
		detail::reset_ring(ring, first);
		return producer(ring, policy, first);
	}

	/**
	 * Take over the ring as shared memory has it: the head there is ours
	 * (from an earlier attach), the tail the peer's.
	 * @return the producer; -EPROTO if head - tail > slot_count.
	 */
	static result<producer> adopt(ring_view ring, P policy) noexcept
	{
		auto c = detail::consistent_counters(ring);
		if (!c)
			return failure{ c.error() };
		return producer(ring, policy, c.value().head);
	}

	/**
	 * Go on producing at @p head, the head() of an earlier producer of
	 * this ring, for a caller that keeps the count rather than the
	 * producer (a C-shaped state).  Nothing is read or written: send()
	 * holds the count to the peer's tail as it always does, so a wrong
	 * one is -EPROTO or -EAGAIN, never an access outside the ring.
	 */
	static producer resume(ring_view ring, P policy, u32 head) noexcept
	{
		return producer(ring, policy, head);
	}

	/**
	 * Publish one message of @p len bytes from @p bytes (which may be null
	 * when @p len is 0).
	 * @return success; -EMSGSIZE if @p len > max_payload, -EAGAIN if the
	 * ring is full, -EPROTO if the peer's tail is not within slot_count of
	 * our head.  On an error nothing is written.
	 */
	status send(const u8 *bytes, usize len) noexcept
	{
		// Refusals are [[unlikely]], which GCC cannot guess through a status
		// as it does for C's return -EAGAIN (include/ioview/doc/README.md).
		if (len > wire::max_payload) [[unlikely]]
			return fail(emsgsize);
		// The consumer's tail, once: how far it has freed slots.
		u32 tail = detail::load(IOVIEW_PROJECT(ring_, indices.tail));
		u32 used = head_ - tail;
		if (used > wire::slot_count) [[unlikely]]
			return fail(eproto);
		if (used == wire::slot_count) [[unlikely]]
			return fail(eagain);
		// Control dependency on the tail: the slot stores below happen only
		// on this branch (ordering note (c) at the top of this file).
		auto slot = IOVIEW_PROJECT(ring_, slots).try_at(detail::slot_index(head_));
		if (!slot)
			return slot.to_status();
		auto s = slot.value();
		if (len != 0) [[likely]] {
			auto payload = IOVIEW_PROJECT(s, payload).try_subrange(0, len);
			if (!payload)
				return payload.to_status();
			status copied = copy_from_slice(payload.value(), bytes, len);
			if (!copied)
				return copied;
		}
		detail::store(IOVIEW_PROJECT(s, length), static_cast<u32>(len));
		detail::store(IOVIEW_PROJECT(s, sequence), head_);
		// (a) the slot before the head that publishes it.
		policy_.publish();
		head_ += 1;
		detail::store(IOVIEW_PROJECT(ring_, indices.head), head_);
		return status::success();
	}

	/**
	 * Slots free for send() now (reads the peer's tail).
	 * @return 0..slot_count; -EPROTO as send().
	 */
	result<u32> free_slots() const noexcept
	{
		u32 tail = detail::load(IOVIEW_PROJECT(ring_, indices.tail));
		u32 used = head_ - tail;
		if (used > wire::slot_count)
			return fail(eproto);
		return wire::slot_count - used;
	}

	/// Our head: messages published so far (free-running).
	u32 head() const noexcept { return head_; }

private:
	producer(ring_view ring, P policy, u32 head) noexcept : ring_(ring), policy_(policy), head_(head) {}

	ring_view ring_;
	[[no_unique_address]] P policy_;
	u32 head_;
};

/**
 * The consuming end of one ring: reads the peer's head and the slots,
 * writes the tail.  Keeps its own tail; shared memory's copy is only
 * written.
 *
 *     u8 buf[wire::max_payload];
 *     auto n = c.receive(buf, sizeof(buf));   // length, or -EAGAIN when empty
 */
template <mailbox_backend B, ordering_policy P> class consumer {
public:
	/// A view of the ring this end consumes.
	using ring_view = view<B, wire::ring>;

	/**
	 * Start the ring empty at counter @p first, as producer::start(); for
	 * init() only, while the peer cannot be attached.
	 */
	static consumer start(ring_view ring, P policy, u32 first) noexcept
	{
		detail::reset_ring(ring, first);
		return consumer(ring, policy, first);
	}

	/**
	 * Take over the ring as shared memory has it: the tail there is ours,
	 * the head the peer's.
	 * @return the consumer; -EPROTO if head - tail > slot_count.
	 */
	static result<consumer> adopt(ring_view ring, P policy) noexcept
	{
		auto c = detail::consistent_counters(ring);
		if (!c)
			return failure{ c.error() };
		return consumer(ring, policy, c.value().tail);
	}

	/**
	 * Take the next message into @p out (@p cap bytes; max_payload always
	 * suffices).
	 * @return its length (0..max_payload); -EAGAIN if the ring is empty;
	 * -EPROTO if the peer's head is more than slot_count ahead of our tail
	 * (nothing read but the head); -ENOBUFS if @p cap is shorter than the
	 * message (nothing consumed, @p out untouched); -EBADMSG if the slot's
	 * length exceeds max_payload or its sequence is not our tail (the slot
	 * is consumed and dropped, @p out untouched).
	 */
	result<usize> receive(u8 *out, usize cap) noexcept
	{
		// The producer's head, once.
		u32 head = detail::load(IOVIEW_PROJECT(ring_, indices.head));
		u32 avail = head - tail_;
		if (avail > wire::slot_count)
			return fail(eproto);
		if (avail == 0)
			return fail(eagain);
		// (b) the head before the slot it publishes.
		policy_.acquire();
		auto slot = IOVIEW_PROJECT(ring_, slots).try_at(detail::slot_index(tail_));
		if (!slot)
			return failure{ slot.error() };
		auto s = slot.value();
		u32 len = detail::load(IOVIEW_PROJECT(s, length));
		u32 seq = detail::load(IOVIEW_PROJECT(s, sequence));
		if (len > wire::max_payload || seq != tail_) {
			retire();
			return fail(ebadmsg);
		}
		if (len > cap)
			return fail(enobufs);
		if (len != 0) {
			auto payload = IOVIEW_PROJECT(s, payload).try_subrange(0, len);
			if (!payload)
				return failure{ payload.error() };
			status copied = copy_to_slice(payload.value(), out, len);
			if (!copied)
				return failure{ copied.error() };
		}
		retire();
		return static_cast<usize>(len);
	}

	/**
	 * Messages waiting now (reads the peer's head).
	 * @return 0..slot_count; -EPROTO as receive().
	 */
	result<u32> pending() const noexcept
	{
		u32 head = detail::load(IOVIEW_PROJECT(ring_, indices.head));
		u32 avail = head - tail_;
		if (avail > wire::slot_count)
			return fail(eproto);
		return avail;
	}

	/// Our tail: messages consumed so far (free-running).
	u32 tail() const noexcept { return tail_; }

private:
	consumer(ring_view ring, P policy, u32 tail) noexcept : ring_(ring), policy_(policy), tail_(tail) {}

	// Hand the slot back: (c) every read of it before the tail that frees it.
	void retire() noexcept
	{
		policy_.release();
		tail_ += 1;
		detail::store(IOVIEW_PROJECT(ring_, indices.tail), tail_);
	}

	ring_view ring_;
	[[no_unique_address]] P policy_;
	u32 tail_;
};

/// What the peer's sides[] entry says, read field by field (not a snapshot).
struct peer_info {
	u32 state;		///< a wire::side_status value, or garbage
	u32 generation;		///< the peer's generation
	u32 heartbeat;		///< the peer's heartbeat count
};

/// What endpoint::watch_peer() noticed since its previous call.
enum class peer_event {
	none,		///< nothing changed (or the peer is still absent)
	arrived,	///< the peer became ready
	left,		///< the peer was ready and is not any more (closed, absent, garbage)
	restarted,	///< the peer is ready with another generation: it attached again
	stalled,	///< the peer is ready but its heartbeat stood still for stall_after
	resumed,	///< a stalled peer's heartbeat moves again
	reinitialised,	///< our own state was wiped (the peer ran init()): call resync()
};

/**
 * One side's end of the mailbox: the producer of rings[self], the consumer
 * of rings[peer], and the side states.  Trivially copyable; keep one per
 * attached mailbox (it holds the counters), used by one thread at a time.
 *
 *     auto r = endpoint<kmmio, ivshmem_barriers>::init(mem, wire::side::guest);
 *     if (!r)
 *             return r.error();
 *     st->mbox = r.value();
 */
template <mailbox_backend B, ordering_policy P> class endpoint {
public:
	/// A view of the whole mailbox.
	using layout_view = view<B, wire::layout>;

	/**
	 * Initialise the mailbox as side @p self and attach to it: both rings
	 * empty at counter @p first (0 normally; tests start near 2^32), our
	 * state ready with generation + 1, the peer's state absent.  The magic
	 * is cleared first and written last, so a peer cannot attach to a
	 * half-written header; our state becomes ready only after the rings
	 * are reset, so a peer that sees us ready also sees its own state
	 * wiped (send() acquires between the two).
	 *
	 * Meant for the side that comes up first.  An attached peer is wiped:
	 * it sees peer_event::reinitialised, its send() and receive() fail with
	 * -ECONNRESET until it resync()s, and what was in both rings is gone.
	 * To know exactly what was lost, re-initialise under an attached peer
	 * only after detach(), once the peer has consumed our messages and its
	 * heartbeat has moved (then each of its sends either ended before, or
	 * saw us closed, or sees us ready with its state wiped; see
	 * heartbeat()); what its ring still holds then (rx().pending()) is
	 * what init() discards.  user/mailbox-peer.cpp's init step does that,
	 * waiting for two beats where the peer's barrier may not hold.
	 * @return the endpoint; -EINVAL if @p self is not a side.
	 */
	static result<endpoint> init(layout_view mem, wire::side self, P policy = P{}, u32 first = 0) noexcept
	{
		auto parts = bind(mem, self);
		if (!parts)
			return failure{ parts.error() };
		const views &v = parts.value();
		detail::store(IOVIEW_PROJECT(mem, hdr.magic), 0);
		policy.publish();

		u32 generation = detail::load(IOVIEW_PROJECT(v.own, generation)) + 1;
		wire::header h{};
		h.version = le32::from_cpu(wire::version);
		h.layout_size = le32::from_cpu(sizeof(wire::layout));
		h.slot_size = le32::from_cpu(wire::slot_size);
		h.slot_count = le32::from_cpu(wire::slot_count);
		h.max_payload = le32::from_cpu(wire::max_payload);
		h.initialised_by = le32::from_cpu(static_cast<u32>(self) + 1);
		h.sides[static_cast<usize>(self)].generation = le32::from_cpu(generation);
		copy_write(IOVIEW_PROJECT(mem, hdr), h);	// magic still 0, both sides absent
		auto tx = producer<B, P>::start(v.tx, policy, first);
		auto rx = consumer<B, P>::start(v.rx, policy, first);

		// The wiped peer state and the reset rings before our ready state.
		policy.publish();
		detail::store(IOVIEW_PROJECT(v.own, state), static_cast<u32>(wire::side_status::ready));
		policy.publish();
		detail::store(IOVIEW_PROJECT(mem, hdr.magic), wire::magic);
		return endpoint(mem, v, policy, self, tx, rx, generation);
	}

	/**
	 * Attach as side @p self to a mailbox the peer initialised: check the
	 * header, take over both rings where shared memory has them, announce
	 * ourselves ready with generation + 1.
	 * @return the endpoint; -EINVAL if @p self is not a side or the
	 * geometry differs; -EAGAIN if the magic is 0 (not initialised yet:
	 * retry); -EPROTO if the magic is wrong or an index pair is
	 * inconsistent; -EPROTONOSUPPORT for another version.
	 */
	static result<endpoint> attach(layout_view mem, wire::side self, P policy = P{}) noexcept
	{
		auto parts = bind(mem, self);
		if (!parts)
			return failure{ parts.error() };
		const views &v = parts.value();
		status checked = check_header(mem, policy);
		if (!checked)
			return failure{ checked.error() };
		auto tx = producer<B, P>::adopt(v.tx, policy);
		if (!tx)
			return failure{ tx.error() };
		auto rx = consumer<B, P>::adopt(v.rx, policy);
		if (!rx)
			return failure{ rx.error() };
		u32 generation = detail::load(IOVIEW_PROJECT(v.own, generation)) + 1;
		endpoint ep(mem, v, policy, self, tx.value(), rx.value(), generation);
		ep.announce();
		return ep;
	}

	/**
	 * Send @p len bytes from @p bytes to the peer.
	 * @return success; -EMSGSIZE if @p len > max_payload; -ENOTCONN if the
	 * peer is not ready; -ECONNRESET if the peer re-initialised the mailbox
	 * (our state is wiped: resync() first); -EAGAIN if the ring is full;
	 * -EPROTO if the peer's tail is inconsistent.  Nothing is written on an
	 * error.
	 */
	status send(const u8 *bytes, usize len) noexcept
	{
		if (len > wire::max_payload)
			return fail(emsgsize);
		if (!peer_ready())
			return fail(enotconn);
		// The peer's state before ours: a peer that init()s writes its
		// ready state after wiping ours (see init()).  Our head is the old
		// rings' and must not land in the new ones.
		policy_.acquire();
		if (wiped())
			return fail(econnreset);
		return tx_.send(bytes, len);
	}

	/**
	 * Receive the next message from the peer into @p out (@p cap bytes).
	 * Works whatever the peer's state, so messages sent before it left can
	 * be drained.
	 * @return its length; -ECONNRESET as send() (our tail is the old
	 * rings'); errors as consumer::receive() (-EAGAIN empty, -EPROTO,
	 * -EBADMSG, -ENOBUFS).
	 */
	result<usize> receive(u8 *out, usize cap) noexcept
	{
		if (wiped())
			return fail(econnreset);
		return rx_.receive(out, cap);
	}

	/**
	 * Count one heartbeat in our state; call it from the polling loop, then
	 * a full barrier (store -> load), then watch_peer().  A peer that changes
	 * its state and then waits for our heartbeat to move (init()'s recipe)
	 * relies on that order: the look that follows the beat it saw sees its
	 * change.
	 */
	void heartbeat() noexcept
	{
		heartbeat_ += 1;
		detail::store(IOVIEW_PROJECT(own_, heartbeat), heartbeat_);
	}

	/**
	 * Leave: our state becomes closed (after our last head, ordering (a)).
	 * The peer's sends then fail with -ENOTCONN; attach() again to return.
	 */
	void detach() noexcept
	{
		policy_.publish();
		detail::store(IOVIEW_PROJECT(own_, state), static_cast<u32>(wire::side_status::closed));
		detached_ = true;
	}

	/**
	 * Take over the rings again and re-announce ourselves ready with the
	 * same generation: after peer_event::reinitialised (the peer ran init()
	 * and wiped our state) or an -EPROTO that the peer has since repaired.
	 * @return success; the errors of attach() (-EAGAIN while the peer's
	 * init() is still running); on an error nothing changes.
	 */
	status resync() noexcept
	{
		status checked = check_header(mem_, policy_);
		if (!checked)
			return checked;
		auto tx = producer<B, P>::adopt(tx_view_, policy_);
		if (!tx)
			return tx.to_status();
		auto rx = consumer<B, P>::adopt(rx_view_, policy_);
		if (!rx)
			return rx.to_status();
		tx_ = tx.value();
		rx_ = rx.value();
		announce();
		return status::success();
	}

	/// The peer's state, generation and heartbeat as shared memory has them now.
	peer_info peer() const noexcept
	{
		return peer_info{ detail::load(IOVIEW_PROJECT(peer_, state)), detail::load(IOVIEW_PROJECT(peer_, generation)),
				  detail::load(IOVIEW_PROJECT(peer_, heartbeat)) };
	}

	/**
	 * Whether our own state is no longer ready although we did not detach:
	 * the peer ran init() over us (or scribbled on it), and the rings are not
	 * the ones our counters belong to until resync().
	 */
	bool wiped() const noexcept
	{
		return !detached_ && detail::load(IOVIEW_PROJECT(own_, state)) != static_cast<u32>(wire::side_status::ready);
	}

	/// Whether the peer's state is ready (anything else, garbage included, is not).
	bool peer_ready() const noexcept
	{
		return detail::load(IOVIEW_PROJECT(peer_, state)) == static_cast<u32>(wire::side_status::ready);
	}

	/**
	 * Compare the peer's state with the previous call's and say what
	 * changed; call it from the polling loop.  @p now is the time of the
	 * call on a monotonic clock in any unit, @p stall_after how long in that
	 * unit the peer's heartbeat may stand still before it counts as
	 * stalled (0: never).  A time rather than a number of calls: a polling
	 * loop that runs late (a busy workqueue, a vCPU the host descheduled)
	 * must not stretch the threshold.  reinitialised is reported on every
	 * call until resync() succeeds.
	 */
	peer_event watch_peer(u64 now, u64 stall_after) noexcept
	{
		if (wiped())
			return peer_event::reinitialised;
		peer_info p = peer();
		if (p.state != static_cast<u32>(wire::side_status::ready)) {
			if (!watch_.seen_ready)
				return peer_event::none;
			watch_.seen_ready = false;
			return peer_event::left;
		}
		if (!watch_.seen_ready || p.generation != watch_.generation) {
			peer_event e = watch_.seen_ready ? peer_event::restarted : peer_event::arrived;
			watch_ = watch_state{ true, false, p.generation, p.heartbeat, now };
			return e;
		}
		if (p.heartbeat != watch_.heartbeat) {
			bool was_stalled = watch_.stalled;
			watch_.heartbeat = p.heartbeat;
			watch_.quiet_since = now;
			watch_.stalled = false;
			return was_stalled ? peer_event::resumed : peer_event::none;
		}
		if (watch_.stalled || stall_after == 0)
			return peer_event::none;
		if (now - watch_.quiet_since >= stall_after) {
			watch_.stalled = true;
			return peer_event::stalled;
		}
		return peer_event::none;
	}

	/// Which side this endpoint is.
	wire::side self() const noexcept { return self_; }
	/// Our generation, as announced.
	u32 generation() const noexcept { return generation_; }
	/// The producer of rings[self].
	const producer<B, P> &tx() const noexcept { return tx_; }
	/// The consumer of rings[peer].
	const consumer<B, P> &rx() const noexcept { return rx_; }

private:
	// The projections an endpoint uses, made once with their checks.
	struct views {
		view<B, wire::side_state> own;
		view<B, wire::side_state> peer;
		view<B, wire::ring> tx;
		view<B, wire::ring> rx;
	};

	struct watch_state {
		bool seen_ready;
		bool stalled;
		u32 generation;
		u32 heartbeat;
		u64 quiet_since;	// when the heartbeat last moved (or the peer arrived)
	};

	endpoint(layout_view mem, const views &v, P policy, wire::side self, producer<B, P> tx, consumer<B, P> rx,
		 u32 generation) noexcept
		: mem_(mem), own_(v.own), peer_(v.peer), tx_view_(v.tx), rx_view_(v.rx), tx_(tx), rx_(rx),
		  policy_(policy), self_(self), generation_(generation)
	{
	}

	static result<views> bind(layout_view mem, wire::side self) noexcept
	{
		usize me = static_cast<usize>(self);
		usize other = static_cast<usize>(wire::peer_of(self));
		auto sides = IOVIEW_PROJECT(mem, hdr.sides);
		auto rings = IOVIEW_PROJECT(mem, rings);
		auto own = sides.try_at(me);
		auto peer = sides.try_at(other);
		auto tx = rings.try_at(me);
		auto rx = rings.try_at(other);
		if (!own || !peer || !tx || !rx)
			return fail(einval);
		return views{ own.value(), peer.value(), tx.value(), rx.value() };
	}

	// Magic, then (b) before the geometry it vouches for.
	static status check_header(layout_view mem, P &policy) noexcept
	{
		u32 m = detail::load(IOVIEW_PROJECT(mem, hdr.magic));
		if (m == 0)
			return fail(eagain);
		if (m != wire::magic)
			return fail(eproto);
		policy.acquire();
		if (detail::load(IOVIEW_PROJECT(mem, hdr.version)) != wire::version)
			return fail(eprotonosupport);
		if (detail::load(IOVIEW_PROJECT(mem, hdr.layout_size)) != sizeof(wire::layout) ||
		    detail::load(IOVIEW_PROJECT(mem, hdr.slot_size)) != wire::slot_size ||
		    detail::load(IOVIEW_PROJECT(mem, hdr.slot_count)) != wire::slot_count ||
		    detail::load(IOVIEW_PROJECT(mem, hdr.max_payload)) != wire::max_payload)
			return fail(einval);
		return status::success();
	}

	// Our state: heartbeat and generation, then (a), then ready.
	void announce() noexcept
	{
		heartbeat_ = 0;
		detached_ = false;
		detail::store(IOVIEW_PROJECT(own_, heartbeat), 0);
		detail::store(IOVIEW_PROJECT(own_, generation), generation_);
		policy_.publish();
		detail::store(IOVIEW_PROJECT(own_, state), static_cast<u32>(wire::side_status::ready));
	}

	layout_view mem_;
	view<B, wire::side_state> own_;
	view<B, wire::side_state> peer_;
	view<B, wire::ring> tx_view_;
	view<B, wire::ring> rx_view_;
	producer<B, P> tx_;
	consumer<B, P> rx_;
	[[no_unique_address]] P policy_;
	wire::side self_;
	u32 generation_;
	u32 heartbeat_ = 0;
	bool detached_ = false;
	watch_state watch_{};
};

} // namespace ioview::driver::mailbox

#endif // IOVIEW_KMOD_DRIVER_MAILBOX_RING_H
