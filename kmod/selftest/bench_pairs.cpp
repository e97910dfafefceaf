// SPDX-License-Identifier: GPL-2.0
//
// The benchmark pairs (shim.h, bench_c.c, bench.cpp) run on kernel memory:
// each C++ half must do exactly what its C half does (same return value,
// same bytes left behind, same errors), or comparing their instruction
// counts and times would compare different work.
#include <ioview/support.h>

#include "devices/edu.h"
#include "devices/ivshmem_mailbox.h"
#include "driver/mailbox_errno.h"
#include "kernel/errno.h"
#include "selftest/device.h"
#include "selftest/suites.h"
#include "shim/shim.h"

namespace ioview::kernel::selftest {

namespace {

constexpr usize regs_size = 0x140;	// sizeof(bench_regs) in bench.cpp

// One block per side, in .bss; x86-64 MMIO accessors work on RAM too.
alignas(64) u8 c_side[regs_size];
alignas(64) u8 cxx_side[regs_size];

void fill_both(u8 seed)
{
	for (usize i = 0; i < regs_size; ++i)
		c_side[i] = cxx_side[i] = static_cast<u8>(i * 13 + seed);
}

// Offset of the first differing byte, or regs_size if none.
usize first_difference()
{
	for (usize i = 0; i < regs_size; ++i)
		if (c_side[i] != cxx_side[i])
			return i;
	return regs_size;
}

verdict scalar_pairs_agree(context &t)
{
	fill_both(5);
	if (ioview_bench_c_read32(c_side) != ioview_bench_cxx_read32(cxx_side) ||
	    ioview_bench_c_read32_relaxed(c_side) != ioview_bench_cxx_read32_relaxed(cxx_side) ||
	    ioview_bench_c_read8(c_side) != ioview_bench_cxx_read8(cxx_side))
		return t.fail("a read pair disagrees");
#if __SIZEOF_POINTER__ == 8
	if (ioview_bench_c_read64(c_side) != ioview_bench_cxx_read64(cxx_side))
		return t.fail("read64 pair disagrees");
#endif
	ioview_bench_c_write32(c_side, 0x11223344);
	ioview_bench_cxx_write32(cxx_side, 0x11223344);
	ioview_bench_c_write16(c_side, 0x5566);
	ioview_bench_cxx_write16(cxx_side, 0x5566);
	ioview_bench_c_set_bits32(c_side, 0x80000001);
	ioview_bench_cxx_set_bits32(cxx_side, 0x80000001);
#if __SIZEOF_POINTER__ == 8
	ioview_bench_c_write64(c_side, 0x0102030405060708ull);
	ioview_bench_cxx_write64(cxx_side, 0x0102030405060708ull);
#endif
	usize at = first_difference();
	if (at != regs_size)
		return t.fail("after the writes the blocks differ at %#zx: C %#x, C++ %#x", at, c_side[at], cxx_side[at]);
	// The writes landed where bench_regs says (so neither side was a no-op).
	if (ioview_bench_c_read32(c_side) != 0x11223344 || c_side[0x92] != 0x66 || c_side[0x93] != 0x55 ||
	    (c_side[0x20] & 1) != 1 || (c_side[0x23] & 0x80) != 0x80)
		return t.fail("the writes did not reach liveness/halves[1]/status");
	ioview_bench_c_write32_relaxed(c_side, 0xcafe0001);
	ioview_bench_cxx_write32_relaxed(cxx_side, 0xcafe0001);
	if (first_difference() != regs_size || ioview_bench_cxx_read32_relaxed(cxx_side) != 0xcafe0001)
		return t.fail("the relaxed write pair disagrees");
	if (ioview_bench_c_read32_loop(c_side, 3) != ioview_bench_cxx_read32_loop(cxx_side, 3) ||
	    ioview_bench_cxx_read32_loop(cxx_side, 3) != 0xcafe0001)
		return t.fail("the read loop pair disagrees");
	return t.pass();
}

verdict checked_pairs_agree(context &t)
{
	static constexpr usize indices[] = { 0, 1, 15, 16, 17, 1000, static_cast<usize>(-1) };
	static constexpr usize offsets[] = { 0, 4, 0x13c, 0x13d, 0x13e, 0x140, 0x141, 2, 0xfe, 0x100,
					      static_cast<usize>(-4) };
	static constexpr usize lengths[] = { regs_size, 0x100, 4, 0 };

	fill_both(9);
	for (usize i : indices) {
		unsigned int vc = 0xdead, vx = 0xdead;
		int rc = ioview_bench_c_read_slot(c_side, i, &vc);
		int rx = ioview_bench_cxx_read_slot(cxx_side, i, &vx);
		if (rc != rx || vc != vx)
			return t.fail("read_slot(%zu): C %d/%#x, C++ %d/%#x", i, rc, vc, rx, vx);
		if ((i < 16) != (rc == 0))
			return t.fail("read_slot(%zu) returned %d", i, rc);
	}
	usize refused = 0;
	for (usize len : lengths) {
		for (usize off : offsets) {
			unsigned int vc = 0xdead, vx = 0xdead;
			int rc = ioview_bench_c_read_at(c_side, len, off, &vc);
			int rx = ioview_bench_cxx_read_at(cxx_side, len, off, &vx);
			if (rc != rx || vc != vx)
				return t.fail("read_at(len %#zx, off %#zx): C %d/%#x, C++ %d/%#x", len, off, rc, vc, rx, vx);
			refused += rc != 0;
		}
	}
	// Both error kinds were exercised: -ERANGE (past the end) and -EINVAL (misaligned).
	unsigned int v;
	if (ioview_bench_cxx_read_at(cxx_side, regs_size, 0x140, &v) != -erange ||
	    ioview_bench_cxx_read_at(cxx_side, regs_size, 2, &v) != -einval || refused == 0)
		return t.fail("read_at errors: past the end %d, misaligned %d", ioview_bench_cxx_read_at(cxx_side, regs_size, 0x140, &v),
			      ioview_bench_cxx_read_at(cxx_side, regs_size, 2, &v));
	return t.pass();
}

verdict copy_pairs_agree(context &t)
{
	u8 src[200];

	for (usize i = 0; i < sizeof(src); ++i)
		src[i] = static_cast<u8>(0xa0 ^ (i * 3));
	fill_both(1);
	ioview_bench_c_copy_block_to_io(c_side, src);
	ioview_bench_cxx_copy_block_to_io(cxx_side, src);
	if (first_difference() != regs_size || cxx_side[0x100] != src[0] || cxx_side[0x13f] != src[63])
		return t.fail("copy_block_to_io pair disagrees or missed block[]");
	int rc = ioview_bench_c_copy_to_io(c_side + 8, sizeof(src), src);
	int rx = ioview_bench_cxx_copy_to_io(cxx_side + 8, sizeof(src), src);
	if (rc != 0 || rx != 0 || first_difference() != regs_size || cxx_side[8] != src[0] ||
	    cxx_side[8 + sizeof(src) - 1] != src[sizeof(src) - 1])
		return t.fail("copy_to_io pair: C %d, C++ %d, first difference %#zx", rc, rx, first_difference());
	return t.pass();
}

verdict coherent_pairs_agree(context &t)
{
	constexpr usize count = regs_size / 16;		// descriptors of 16 bytes
	constexpr unsigned long long ring_dma = 0x12340000;	// any bus address: nothing is mapped
	static constexpr usize indices[] = { 0, 1, count - 1, count, count + 1, static_cast<usize>(-1) };

	fill_both(3);
	for (usize i : indices) {
		unsigned long long dc = 0, dx = 0;
		int rc = ioview_bench_c_post_desc(c_side, ring_dma, count, i, 0xabcdef0123ull + i, 0x600 + i, &dc);
		int rx = ioview_bench_cxx_post_desc(cxx_side, ring_dma, count, i, 0xabcdef0123ull + i, 0x600 + i, &dx);
		if (rc != rx || dc != dx)
			return t.fail("post_desc(%zu): C %d/%#llx, C++ %d/%#llx", i, rc, dc, rx, dx);
		if ((i < count) != (rc == 0) || (rc == 0 && dx != ring_dma + 16 * i))
			return t.fail("post_desc(%zu) returned %d, DMA address %#llx", i, rc, dx);
		usize at = first_difference();
		if (at != regs_size)
			return t.fail("post_desc(%zu): rings differ at %#zx", i, at);
	}
	if (cxx_side[16 + 8] != 0x01 || cxx_side[16 + 9] != 0x06 || cxx_side[16 + 12] != 1)
		return t.fail("descriptor 1 does not hold len 0x601 and flags 1");
	return t.pass();
}

// The queue of publish_desc (bench_queue in bench.cpp): 8 descriptors of 16 bytes, then the
// producer index.  Coherent memory in a driver; .bss here, which is the same to the CPU.
constexpr usize queue_len = 8;
constexpr usize queue_size = 0x88;
constexpr usize producer_at = 0x80;
constexpr usize doorbell_at = 0x08;	// bench_regs::doorbell
alignas(64) u8 c_queue[queue_size];
alignas(64) u8 cxx_queue[queue_size];

u32 load32(const u8 *p)
{
	u32 v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

verdict publish_pairs_agree(context &t)
{
	static constexpr usize indices[] = { 0, 1, queue_len - 1, queue_len, queue_len + 1, 3, static_cast<usize>(-1) };

	fill_both(7);
	for (usize i = 0; i < queue_size; ++i)
		c_queue[i] = cxx_queue[i] = static_cast<u8>(i * 5 + 2);
	u32 published = load32(cxx_queue + producer_at);
	for (usize i : indices) {
		int rc = ioview_bench_c_publish_desc(c_queue, c_side, i, 0x1122334455ull + i, 0x40 + i);
		int rx = ioview_bench_cxx_publish_desc(cxx_queue, cxx_side, i, 0x1122334455ull + i, 0x40 + i);
		if (rc != rx || (i < queue_len) != (rc == 0))
			return t.fail("publish_desc(%zu): C %d, C++ %d", i, rc, rx);
		usize at = first_difference();
		if (at != regs_size)
			return t.fail("publish_desc(%zu): registers differ at %#zx", i, at);
		for (at = 0; at < queue_size && c_queue[at] == cxx_queue[at]; ++at)
			;
		if (at != queue_size)
			return t.fail("publish_desc(%zu): queues differ at %#zx", i, at);
		if (rc == 0)
			published = static_cast<u32>(i + 1);
		// A refused index leaves the index and the doorbell as the last success left them.
		if (load32(cxx_queue + producer_at) != published || load32(cxx_side + doorbell_at) != published)
			return t.fail("publish_desc(%zu): producer %#x, doorbell %#x; want %#x", i,
				      load32(cxx_queue + producer_at), load32(cxx_side + doorbell_at), published);
	}
	// Descriptor 3, the last one filled: len 0x43, owned by the device.
	if (load32(cxx_queue + 3 * 16 + 8) != 0x43 || load32(cxx_queue + 3 * 16 + 12) != 1 ||
	    load32(cxx_queue + 3 * 16) != 0x22334458)
		return t.fail("descriptor 3 does not hold buf 0x1122334458, len 0x43 and flags 1");
	return t.pass();
}

verdict completion_pairs_agree(context &t)
{
	// bench_completion in bench.cpp, as the device would leave it.
	struct completion {
		u32 status;
		u32 len;
		u64 data;
	};
	// Done is bit 0; other bits of the status do not count.
	static constexpr u32 statuses[] = { 0, 2, 1, 3, 0x80000000, 0xffffffff };

	for (u32 status : statuses) {
		const completion c = { status, 0x1000 + status, 0x0102030405060708ull ^ status };
		unsigned int lc = 0xdead, lx = 0xdead;
		unsigned long long dc = 0xdead, dx = 0xdead;
		int rc = ioview_bench_c_read_completion(&c, &lc, &dc);
		int rx = ioview_bench_cxx_read_completion(&c, &lx, &dx);
		if (rc != rx || lc != lx || dc != dx)
			return t.fail("read_completion(status %#x): C %d/%#x/%#llx, C++ %d/%#x/%#llx", status, rc, lc,
				      dc, rx, lx, dx);
		bool done = status & 1;
		if (done ? rx != 0 || lx != c.len || dx != c.data : rx != -eagain || lx != 0xdead || dx != 0xdead)
			return t.fail("read_completion(status %#x) returned %d, len %#x, data %#llx", status, rx, lx, dx);
	}
	return t.pass();
}

verdict config_pairs_agree(context &t)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("no edu function bound to ioview");
	unsigned short vc = 0xdead, vx = 0xbeef;
	int rc = ioview_bench_c_config_command(edu.get(), &vc);
	int rx = ioview_bench_cxx_config_command(edu.get(), &vx);
	// Bound and enabled: memory space decoding (bit 1) is on.
	if (rc != 0 || rx != 0 || vc != vx || !(vx & 0x2))
		return t.fail("config_command: C %d/%#x, C++ %d/%#x", rc, vc, rx, vx);
	vx = 0xbeef;
	rx = ioview_bench_cxx_config_command(nullptr, &vx);
	if (rx != -efault || vx != 0xbeef)
		return t.fail("config_command(NULL): %d, value %#x; want %d, untouched", rx, vx, -efault);
	return t.pass();
}

// ---- the driver's sequences: edu's BAR0 and a mailbox ring, one block per side ----------

// Two kmalloc'ed blocks of the same size, one per side, freed with their owner.
class two_blocks {
public:
	explicit two_blocks(usize n) noexcept
		: n_(n), c_(static_cast<u8 *>(ioview_shim_kmalloc(n, IOVIEW_GFP_KERNEL))),
		  cxx_(static_cast<u8 *>(ioview_shim_kmalloc(n, IOVIEW_GFP_KERNEL)))
	{
	}
	~two_blocks()
	{
		ioview_shim_kfree(c_);
		ioview_shim_kfree(cxx_);
	}
	two_blocks(const two_blocks &) = delete;
	two_blocks &operator=(const two_blocks &) = delete;

	explicit operator bool() const noexcept { return c_ != nullptr && cxx_ != nullptr; }
	u8 *c() const noexcept { return c_; }
	u8 *cxx() const noexcept { return cxx_; }

	// Both blocks alike: byte i is i * 29 + seed.
	void fill(u8 seed) noexcept
	{
		for (usize i = 0; i < n_; ++i)
			c_[i] = cxx_[i] = static_cast<u8>(i * 29 + seed);
	}
	// The same 32 or 64-bit value at @off of both blocks (native order, as readl() sees it).
	void set32(usize off, u32 v) noexcept
	{
		__builtin_memcpy(c_ + off, &v, sizeof(v));
		__builtin_memcpy(cxx_ + off, &v, sizeof(v));
	}
	void set64(usize off, unsigned long long v) noexcept
	{
		__builtin_memcpy(c_ + off, &v, sizeof(v));
		__builtin_memcpy(cxx_ + off, &v, sizeof(v));
	}
	u32 get32(usize off) const noexcept
	{
		u32 v;
		__builtin_memcpy(&v, cxx_ + off, sizeof(v));
		return v;
	}
	unsigned long long get64(usize off) const noexcept
	{
		unsigned long long v;
		__builtin_memcpy(&v, cxx_ + off, sizeof(v));
		return v;
	}
	// Offset of the first byte below @limit where the blocks differ, or @limit if none.
	usize first_difference(usize limit) const noexcept
	{
		usize i = 0;
		while (i < limit && c_[i] == cxx_[i])
			++i;
		return i;
	}
	usize first_difference() const noexcept { return first_difference(n_); }

private:
	usize n_;
	u8 *c_;
	u8 *cxx_;
};

namespace edu_hw = ioview::devices::edu;

// Every register the two sequences touch lies in BAR0's first page; the whole block is
// compared at the end of each case.
constexpr usize edu_registers_end = 0x1000;

verdict factorial_start_pairs_agree(context &t)
{
	two_blocks bar(edu_hw::bar_bytes);
	if (!bar)
		return t.skip("no memory for two blocks as large as edu's BAR0");
	bar.fill(11);
	// The blocks are memory, not edu: status reads back what was last written, so a computing
	// bit left set is a unit that never finishes.
	bar.set32(edu_hw::status::offset, 0xffffffff);
	int rc = ioview_bench_c_factorial_start(bar.c(), 5);
	int rx = ioview_bench_cxx_factorial_start(bar.cxx(), 5);
	if (rc != -ebusy || rx != -ebusy || bar.first_difference() != edu_hw::bar_bytes ||
	    bar.get32(edu_hw::status::offset) != 0xffffffff)
		return t.fail("busy unit: C %d, C++ %d, want %d and nothing written", rc, rx, -ebusy);
	bar.set32(edu_hw::status::offset, 0);
	static constexpr u32 operands[] = { 10, 13, 0xffffffff };
	for (u32 n : operands) {
		rc = ioview_bench_c_factorial_start(bar.c(), n);
		rx = ioview_bench_cxx_factorial_start(bar.cxx(), n);
		usize at = bar.first_difference(edu_registers_end);
		if (rc != 0 || rx != 0 || at != edu_registers_end)
			return t.fail("factorial_start(%u): C %d, C++ %d, blocks differ at %#zx", n, rc, rx, at);
		// The interrupt requested (bit 7, which also leaves computing clear here) and the operand.
		if (bar.get32(edu_hw::status::offset) != 0x80 || bar.get32(edu_hw::factorial::offset) != n)
			return t.fail("factorial_start(%u) left status %#x, factorial %#x", n,
				      bar.get32(edu_hw::status::offset), bar.get32(edu_hw::factorial::offset));
	}
	if (bar.first_difference() != edu_hw::bar_bytes)
		return t.fail("the blocks differ at %#zx", bar.first_difference());
	return t.pass();
}

verdict dma_start_pairs_agree(context &t)
{
	struct transfer {
		int from_device;
		unsigned long long bus, offset, len;
		int want;
	};
	constexpr unsigned long long mask = edu_hw::dma_mask;
	static constexpr transfer transfers[] = {
		{ 0, 0x100000, 0, 4095, 0 },		// the whole window
		{ 1, mask - 99, 3995, 100, 0 },		// ending at the window's and the mask's last byte
		{ 1, 0x2000, 17, 1, 0 },
		{ 0, 0x100000, 0, 0, -einval },		// nothing to move
		{ 0, 0x100000, 0, 4097, -einval },	// more than the buffer
		{ 1, 0x100000, 0, 4096, -erange },	// the buffer's last byte, which QEMU 7.2 refuses
		{ 0, 0x100000, 1, 4095, -erange },
		{ 0, 0x100000, 4095, 1, -erange },
		{ 1, 0x100000, 4096, 1, -erange },
		{ 0, 0x100000, ~0ull, 2, -erange },	// an offset that wraps
		{ 0, mask + 1, 0, 1, -erange },		// above the 28-bit mask
		{ 1, mask, 0, 2, -erange },		// across it
		{ 0, ~0ull, 0, 4095, -erange },
	};
	two_blocks bar(edu_hw::bar_bytes);
	if (!bar)
		return t.skip("no memory for two blocks as large as edu's BAR0");
	bar.fill(23);
	for (const transfer &x : transfers) {
		// An idle engine: the command's start bit clear (memory keeps what the last start wrote).
		bar.set64(edu_hw::dma_command::offset, 0);
		unsigned long long before[3] = { bar.get64(edu_hw::dma_source::offset), bar.get64(edu_hw::dma_destination::offset),
				  bar.get64(edu_hw::dma_count::offset) };
		int rc = ioview_bench_c_dma_start(bar.c(), x.from_device, x.bus, x.offset, x.len);
		int rx = ioview_bench_cxx_dma_start(bar.cxx(), x.from_device, x.bus, x.offset, x.len);
		usize at = bar.first_difference(edu_registers_end);
		if (rc != rx || rx != x.want || at != edu_registers_end)
			return t.fail("dma_start(%d, %#llx, %#llx, %#llx): C %d, C++ %d, want %d; blocks differ at %#zx",
				      x.from_device, x.bus, x.offset, x.len, rc, rx, x.want, at);
		unsigned long long in_buffer = edu_hw::buffer_address + x.offset;
		unsigned long long src = x.from_device ? in_buffer : x.bus, dst = x.from_device ? x.bus : in_buffer;
		// start, device_to_ram for a transfer out of the buffer, raise_irq.
		unsigned long long cmd = 0x1 | 0x4 | (x.from_device ? 0x2 : 0);
		bool written = bar.get64(edu_hw::dma_source::offset) != before[0] ||
			       bar.get64(edu_hw::dma_destination::offset) != before[1] ||
			       bar.get64(edu_hw::dma_count::offset) != before[2] ||
			       bar.get64(edu_hw::dma_command::offset) != 0;
		if (rx == 0 ? bar.get64(edu_hw::dma_source::offset) != src ||
				      bar.get64(edu_hw::dma_destination::offset) != dst ||
				      bar.get64(edu_hw::dma_count::offset) != x.len ||
				      bar.get64(edu_hw::dma_command::offset) != cmd
			    : written)
			return t.fail("dma_start(%d, %#llx, %#llx, %#llx) returned %d and left %#llx/%#llx/%#llx/%#llx",
				      x.from_device, x.bus, x.offset, x.len, rx, bar.get64(edu_hw::dma_source::offset),
				      bar.get64(edu_hw::dma_destination::offset), bar.get64(edu_hw::dma_count::offset),
				      bar.get64(edu_hw::dma_command::offset));
	}
	// A transfer still running (start reads 1): refused, nothing written; the last accepted
	// transfer above was of 1 byte.
	bar.set64(edu_hw::dma_command::offset, 0x5);
	int rc = ioview_bench_c_dma_start(bar.c(), 0, 0x1000, 0, 8);
	int rx = ioview_bench_cxx_dma_start(bar.cxx(), 0, 0x1000, 0, 8);
	if (rc != -ebusy || rx != -ebusy || bar.get64(edu_hw::dma_count::offset) != 1 ||
	    bar.get64(edu_hw::dma_command::offset) != 0x5)
		return t.fail("busy engine: C %d, C++ %d, want %d and nothing written", rc, rx, -ebusy);
	if (bar.first_difference() != edu_hw::bar_bytes)
		return t.fail("the blocks differ at %#zx", bar.first_difference());
	return t.pass();
}

namespace wire = ioview::devices::mailbox;
namespace mbox = ioview::driver::mailbox;

constexpr usize ring_head = __builtin_offsetof(wire::ring, indices.head);
constexpr usize ring_tail = __builtin_offsetof(wire::ring, indices.tail);
constexpr usize slot_at(u32 counter)
{
	return __builtin_offsetof(wire::ring, slots) + (counter % wire::slot_count) * wire::slot_size;
}

verdict mailbox_send_pairs_agree(context &t)
{
	struct message {
		u32 head;	// the producer's count before the send
		u32 tail;	// what the consumer left in the ring
		usize len;
		int want;
	};
	static constexpr message messages[] = {
		{ 5, 5, 10, 0 },				// an empty ring
		{ 6, 5, 0, 0 },					// no payload
		{ 7, 5, wire::max_payload, 0 },			// the longest
		{ 8, 5, wire::max_payload + 1, -mbox::emsgsize },
		{ 8, 8 - wire::slot_count, 1, -mbox::eagain },	// full
		{ 8, 8 - wire::slot_count + 1, 1, 0 },		// one slot free
		{ 9, 9 - wire::slot_count - 1, 1, -mbox::eproto },	// a tail that no consumer could leave
		{ 9, 10, 1, -mbox::eproto },			// a tail ahead of the head
		{ 0xffffffff, 0xfffffffd, 33, 0 },		// slot 63, the count wrapping to 0
		{ 0, 0xfffffffd, 34, 0 },			// slot 0
	};
	u8 payload[wire::max_payload + 1];
	for (usize i = 0; i < sizeof(payload); ++i)
		payload[i] = static_cast<u8>(i * 7 + 3);
	two_blocks ring(sizeof(wire::ring));
	if (!ring)
		return t.skip("no memory for two mailbox rings");
	ring.fill(31);
	for (const message &m : messages) {
		ring.set32(ring_tail, m.tail);
		unsigned int hc = m.head, hx = m.head;
		u32 slot_before[2] = { ring.get32(slot_at(m.head)), ring.get32(slot_at(m.head) + 4) };
		u32 head_before = ring.get32(ring_head);
		const void *msg = m.len ? payload : nullptr;
		int rc = ioview_bench_c_mailbox_send(ring.c(), &hc, msg, m.len);
		int rx = ioview_bench_cxx_mailbox_send(ring.cxx(), &hx, msg, m.len);
		usize at = ring.first_difference();
		if (rc != rx || rx != m.want || hc != hx || at != sizeof(wire::ring))
			return t.fail("mailbox_send(head %#x, tail %#x, %zu bytes): C %d/%#x, C++ %d/%#x, want %d; rings differ at %#zx",
				      m.head, m.tail, m.len, rc, hc, rx, hx, m.want, at);
		usize slot = slot_at(m.head);
		if (rx != 0) {
			if (hx != m.head || ring.get32(ring_head) != head_before || ring.get32(slot) != slot_before[0] ||
			    ring.get32(slot + 4) != slot_before[1])
				return t.fail("refused mailbox_send(head %#x) wrote: count %#x, ring head %#x", m.head, hx,
					      ring.get32(ring_head));
			continue;
		}
		// Length, sequence, payload, then the head one past the message.
		bool payload_ok = true;
		for (usize i = 0; i < m.len; ++i)
			payload_ok &= ring.cxx()[slot + wire::slot_header_size + i] == payload[i];
		if (hx != m.head + 1 || ring.get32(ring_head) != hx || ring.get32(slot) != m.len ||
		    ring.get32(slot + 4) != m.head || !payload_ok)
			return t.fail("mailbox_send(head %#x) left count %#x, ring head %#x, slot %#x/%#x%s", m.head, hx,
				      ring.get32(ring_head), ring.get32(slot), ring.get32(slot + 4),
				      payload_ok ? "" : ", payload wrong");
	}
	return t.pass();
}

// The barrier probes order their accesses differently but must compute the same: p[0]
// left at 2, and p[1] read twice (nothing else writes it, so twice its value).
verdict barrier_pairs_agree(context &t)
{
	struct probe {
		const char *name;
		unsigned int (*c)(unsigned int *p);
		unsigned int (*cxx)(unsigned int *p);
	};
#define IOVIEW_PROBE(name) { #name, ioview_bench_c_barrier_##name, ioview_bench_cxx_barrier_##name }
	static constexpr probe probes[] = {
		IOVIEW_PROBE(mb),      IOVIEW_PROBE(rmb),     IOVIEW_PROBE(wmb),
		IOVIEW_PROBE(dma_mb),  IOVIEW_PROBE(dma_rmb), IOVIEW_PROBE(dma_wmb),
		IOVIEW_PROBE(smp_mb),  IOVIEW_PROBE(smp_rmb), IOVIEW_PROBE(smp_wmb),
		IOVIEW_PROBE(barrier),
	};
#undef IOVIEW_PROBE
	for (const probe &p : probes) {
		unsigned int mc[2] = { 7, 0x31 }, mx[2] = { 7, 0x31 };
		unsigned int rc = p.c(mc), rx = p.cxx(mx);
		if (rc != rx || mc[0] != mx[0] || mc[1] != mx[1] || rx != 0x62 || mx[0] != 2 || mx[1] != 0x31)
			return t.fail("barrier_%s: C %#x/{%#x, %#x}, C++ %#x/{%#x, %#x}", p.name, rc, mc[0], mc[1], rx,
				      mx[0], mx[1]);
	}
	return t.pass();
}

constinit const test_case bench_pair_cases[] = {
	{ "scalar_pairs_agree", scalar_pairs_agree },
	{ "checked_pairs_agree", checked_pairs_agree },
	{ "copy_pairs_agree", copy_pairs_agree },
	{ "coherent_pairs_agree", coherent_pairs_agree },
	{ "publish_pairs_agree", publish_pairs_agree },
	{ "completion_pairs_agree", completion_pairs_agree },
	{ "config_pairs_agree", config_pairs_agree },
	{ "factorial_start_pairs_agree", factorial_start_pairs_agree },
	{ "dma_start_pairs_agree", dma_start_pairs_agree },
	{ "mailbox_send_pairs_agree", mailbox_send_pairs_agree },
	{ "barrier_pairs_agree", barrier_pairs_agree },
};

} // namespace

constinit const suite bench_pairs_suite{ "ioview_bench_pairs", bench_pair_cases };

} // namespace ioview::kernel::selftest
