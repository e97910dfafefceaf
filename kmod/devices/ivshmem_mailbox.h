// SPDX-License-Identifier: GPL-2.0
//
// The mailbox in ivshmem-plain's BAR2: the one definition of its bytes,
// shared by the guest driver (BAR2 through ioview's MMIO backend) and the
// host peer (the backing file mapped, through ioview::sysmem).  Nothing
// else in the tree spells out these offsets; kmod/driver/mailbox_ring.h
// holds the logic that reads and writes them.
//
// Byte order.  Every multi-byte field is an explicit little-endian type
// (le32): under ioview's byte-order rule (include/ioview/doc/memory-order.md)
// an endian type is bytes, whichever backend reads it, so the kernel's
// readl()-based backend (device order little) and the host's native
// sysmem backend agree on every byte on any CPU.  A plain u32 here would be
// "a number in the backend's device order" and could disagree between the
// two sides on a big-endian host.
//
// Layout (offsets from the start of the mailbox, which the glue places at
// bar2_offset = 0x20000 in BAR2, i.e. at 0x20000 of the backing file; see
// bar2_offset below for why there):
//
//   offset   size    field
//   0x0000   4       hdr.magic            "IVMB" (0x424d5649), written last by init
//   0x0004   4       hdr.version          1
//   0x0008   4       hdr.layout_size      0x8200, sizeof(layout)
//   0x000c   4       hdr.slot_size        256, sizeof(slot)
//   0x0010   4       hdr.slot_count       64 slots per ring
//   0x0014   4       hdr.max_payload      248 bytes per message
//   0x0018   4       hdr.initialised_by   1 + the side that ran init
//   0x001c   36      hdr.reserved0        zero
//   0x0040   64      hdr.sides[guest]     state, generation, heartbeat, 52 reserved bytes
//   0x0080   64      hdr.sides[host]      the same for the host
//   0x00c0   64      hdr.reserved1        zero
//   0x0100   16512   rings[guest]         guest -> host (the guest produces)
//   0x0100   4         .indices.head      producer's free-running count
//   0x0140   4         .indices.tail      consumer's free-running count
//   0x0180   256       .slots[0]          length, sequence, payload[248]
//   ...
//   0x4080   256       .slots[63]
//   0x4180   16512   rings[host]          host -> guest (the host produces)
//   0x4180   4         .indices.head
//   0x41c0   4         .indices.tail
//   0x4200   256       .slots[0]
//   0x8100   256       .slots[63]
//   0x8200           end (33,280 bytes)
//
// Geometry.  256-byte slots, 64 per ring:
// - a slot is four 64-byte cache lines and starts on one, so a producer
//   filling slot i+1 never shares a line with a consumer reading slot i;
// - 248 payload bytes (256 less the 8-byte length/sequence header) carry a
//   control message or a small request whole; bulk data belongs elsewhere
//   in BAR2, named by offset in a message;
// - 64 is a power of two, so "counter % 64" stays continuous when the
//   free-running u32 counters wrap (2^32 is a multiple of 64), and 64
//   messages in flight cover a guest polling worker that runs once a tick;
// - both rings together are 32 KiB plus 512 bytes of header and indices,
//   far inside the 256 KiB (0x40000) the layout may use.
// head and tail sit on different cache lines (and away from the header),
// since each is written by a different side at message rate.
//
// Sides and states.  Each side writes only its own sides[] entry, the head
// of the ring it produces into (rings[self]) and the tail of the ring it
// consumes (rings[peer]); everything the peer wrote is untrusted input.
// A zeroed BAR (a fresh backing file) reads as "no mailbox": magic 0, both
// sides absent.
#ifndef IOVIEW_KMOD_DEVICES_IVSHMEM_MAILBOX_H
#define IOVIEW_KMOD_DEVICES_IVSHMEM_MAILBOX_H

#include <ioview/endian.h>
#include <ioview/support.h>

namespace ioview::devices::mailbox {

/// "IVMB" in memory order: the bytes 'I' 'V' 'M' 'B' read as a little-endian u32.
inline constexpr u32 magic = 0x424d5649;
/// The protocol version this header describes; attach() refuses any other.
inline constexpr u32 version = 1;
/// Bytes of one slot: the 8-byte slot header and the payload.
inline constexpr usize slot_size = 256;
/// Bytes of a slot in front of its payload (length, sequence).
inline constexpr usize slot_header_size = 8;
/// The longest message, in bytes.
inline constexpr usize max_payload = slot_size - slot_header_size;
/// Slots per ring; a power of two (see the top of this file).
inline constexpr u32 slot_count = 64;
/// The cache line the layout keeps independently written fields apart by.
inline constexpr usize cache_line = 64;
/**
 * Where the kernel glue puts the mailbox in BAR2, and the host peer's default offset in the
 * file: 0x20000-0x281ff.  Inside BAR2's first 256 KiB (bar2_window), so clear of the
 * self-tests' patterns at 0x40000, 0x80000 and 0xc0000; above tests/vm's 10-witness bytes
 * (0x1000, 0x2000, written before any module loads) and the self-tests' scratch at
 * 0x10000-0x11fff.  A VM case that runs the mailbox adds 0x20000-0x281ff to the table in
 * tests/vm/README.md and to what 40-ivshmem-witness expects to be zero in 0x10000-0x3ffff.
 */
inline constexpr usize bar2_offset = 0x20000;
/// The part of BAR2 the mailbox may occupy: [0, 0x40000), below the self-tests' patterns.
inline constexpr usize bar2_window = 0x40000;

static_assert((slot_count & (slot_count - 1)) == 0, "mailbox: slot_count must be a power of two");

/// The two parties; the value indexes hdr.sides[] and rings[] (a side produces into rings[side]).
enum class side : u32 {
	guest = 0,	///< the kernel driver in the VM
	host = 1,	///< the peer program on the host, through the backing file
};

/// Number of sides, the length of hdr.sides[] and rings[].
inline constexpr usize side_count = 2;

/// The other side.
constexpr side peer_of(side s) noexcept
{
	return s == side::guest ? side::host : side::guest;
}

/// Values of side_state::state.  Any other value (garbage) means "not ready".
enum class side_status : u32 {
	absent = 0,	///< never attached (a zeroed BAR), or wiped by the other side's init
	ready = 1,	///< attached: sends to it are accepted
	closed = 2,	///< detached cleanly; may attach again later
};

/// What one side publishes about itself; written by that side only.
struct side_state {
	le32 state;		///< a side_status
	le32 generation;	///< +1 each time the side initialises or attaches (a restart shows as a change)
	le32 heartbeat;		///< +1 each time the side calls heartbeat(); stops when the side dies
	le32 reserved[13];	///< zero; pads the entry to its own cache line
};

/// The mailbox header: geometry written once by init(), then each side's state.
struct header {
	le32 magic;		///< mailbox::magic once initialised; 0 while init() runs
	le32 version;		///< mailbox::version
	le32 layout_size;	///< sizeof(layout)
	le32 slot_size;		///< mailbox::slot_size
	le32 slot_count;	///< mailbox::slot_count
	le32 max_payload;	///< mailbox::max_payload
	le32 initialised_by;	///< 1 + the side that ran init(), for diagnostics
	le32 reserved0[9];	///< zero
	side_state sides[side_count];	///< indexed by side
	le32 reserved1[16];	///< zero
};

/// A ring's indices: free-running u32 counters, slot = counter % slot_count.
struct ring_indices {
	le32 head;		///< written by the producer: messages published so far
	le32 reserved0[15];	///< zero; head alone on its cache line
	le32 tail;		///< written by the consumer: messages consumed so far
	le32 reserved1[15];	///< zero; tail alone on its cache line
};

/// One message slot.
struct slot {
	le32 length;			///< payload bytes in use, at most max_payload
	le32 sequence;			///< the producer's counter this message was published at
	u8 payload[max_payload];	///< the message; bytes past length are unspecified
};

/// A single-producer, single-consumer ring of fixed-size slots.
struct ring {
	ring_indices indices;		///< head and tail
	slot slots[slot_count];		///< message storage
};

/// The whole mailbox.
struct layout {
	header hdr;			///< magic, geometry, side states
	ring rings[side_count];		///< rings[s] carries messages from side s to its peer
};

} // namespace ioview::devices::mailbox

template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::side_state> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::header> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::ring_indices> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::slot> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::ring> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::devices::mailbox::layout> = true;

namespace ioview::devices::mailbox {

// Plain data: every bit pattern valid, no padding (the library checks
// __has_unique_object_representations), so views and copies accept it.
static_assert(plain_data<side_state> && plain_data<header> && plain_data<ring_indices>);
static_assert(plain_data<slot> && plain_data<ring> && plain_data<layout>);

// Sizes.
static_assert(sizeof(side_state) == 64 && alignof(side_state) == 4);
static_assert(sizeof(header) == 0x100);
static_assert(sizeof(ring_indices) == 2 * cache_line);
static_assert(sizeof(slot) == slot_size && slot_size % cache_line == 0);
static_assert(sizeof(ring) == 0x80 + slot_count * slot_size && sizeof(ring) == 0x4080);
static_assert(sizeof(layout) == 0x8200 && alignof(layout) == 4);
static_assert(bar2_offset % cache_line == 0 && bar2_offset + sizeof(layout) <= bar2_window,
	      "mailbox: the layout must stay inside BAR2's first 256 KiB");

// Offsets: side_state.
static_assert(__builtin_offsetof(side_state, state) == 0x0);
static_assert(__builtin_offsetof(side_state, generation) == 0x4);
static_assert(__builtin_offsetof(side_state, heartbeat) == 0x8);
static_assert(__builtin_offsetof(side_state, reserved) == 0xc);

// Offsets: header.
static_assert(__builtin_offsetof(header, magic) == 0x00);
static_assert(__builtin_offsetof(header, version) == 0x04);
static_assert(__builtin_offsetof(header, layout_size) == 0x08);
static_assert(__builtin_offsetof(header, slot_size) == 0x0c);
static_assert(__builtin_offsetof(header, slot_count) == 0x10);
static_assert(__builtin_offsetof(header, max_payload) == 0x14);
static_assert(__builtin_offsetof(header, initialised_by) == 0x18);
static_assert(__builtin_offsetof(header, reserved0) == 0x1c);
static_assert(__builtin_offsetof(header, sides) == 0x40);
static_assert(__builtin_offsetof(header, sides[1]) == 0x80);
static_assert(__builtin_offsetof(header, reserved1) == 0xc0);

// Offsets: ring_indices, slot, ring.
static_assert(__builtin_offsetof(ring_indices, head) == 0x00);
static_assert(__builtin_offsetof(ring_indices, reserved0) == 0x04);
static_assert(__builtin_offsetof(ring_indices, tail) == 0x40);
static_assert(__builtin_offsetof(ring_indices, reserved1) == 0x44);
static_assert(__builtin_offsetof(slot, length) == 0x0);
static_assert(__builtin_offsetof(slot, sequence) == 0x4);
static_assert(__builtin_offsetof(slot, payload) == slot_header_size);
static_assert(__builtin_offsetof(ring, indices) == 0x00);
static_assert(__builtin_offsetof(ring, slots) == 0x80);

// Offsets: layout, the table at the top of this file.
static_assert(__builtin_offsetof(layout, hdr) == 0x0000);
static_assert(__builtin_offsetof(layout, hdr.sides[0].heartbeat) == 0x0048);
static_assert(__builtin_offsetof(layout, hdr.sides[1].state) == 0x0080);
static_assert(__builtin_offsetof(layout, rings[0]) == 0x0100);
static_assert(__builtin_offsetof(layout, rings[0].indices.head) == 0x0100);
static_assert(__builtin_offsetof(layout, rings[0].indices.tail) == 0x0140);
static_assert(__builtin_offsetof(layout, rings[0].slots[0]) == 0x0180);
static_assert(__builtin_offsetof(layout, rings[0].slots[63]) == 0x4080);
static_assert(__builtin_offsetof(layout, rings[1]) == 0x4180);
static_assert(__builtin_offsetof(layout, rings[1].indices.head) == 0x4180);
static_assert(__builtin_offsetof(layout, rings[1].indices.tail) == 0x41c0);
static_assert(__builtin_offsetof(layout, rings[1].slots[0]) == 0x4200);
static_assert(__builtin_offsetof(layout, rings[1].slots[63].payload) == 0x8108);
// Every slot starts on a cache line.
static_assert(__builtin_offsetof(layout, rings[0].slots) % cache_line == 0);
static_assert(__builtin_offsetof(layout, rings[1].slots) % cache_line == 0);

} // namespace ioview::devices::mailbox

#endif // IOVIEW_KMOD_DEVICES_IVSHMEM_MAILBOX_H
