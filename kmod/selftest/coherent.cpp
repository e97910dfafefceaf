// SPDX-License-Identifier: GPL-2.0
//
// DMA-coherent memory of QEMU's edu function, end to end: the DMA mask,
// coherent_buffer's allocation (zeroed, refused sizes, ownership), the DMA
// addresses of projected views, the plain system-memory view of the same
// bytes, and edu's DMA engine moving bytes between two projected
// sub-ranges through its own buffer, addressed by those views.
//
// edu's DMA engine (its registers in devices/edu.h, driven by edu_logic.h's
// dma_run(), polled: these transfers never ask for an interrupt) copies
// between RAM and its 4 KiB buffer at device address 0x40000.  A transfer
// completes from a virtual-clock timer 100 ms after the command, and edu
// masks every RAM address to 28 bits, so the buffers must lie below 256 MiB:
// the driver sets that DMA mask at probe, and the tests set it again (a
// refused mask must leave it in place).  The test bed has no IOMMU, so the
// DMA address is the physical one and a mask narrower than the kernel's DMA
// zone (16 MiB) cannot be served.
//
// BAR0 and bus mastering are the edu driver's (driver/edu.cpp): the engine
// is reached through the driver's view, with the function's device lock
// held so that no driver operation runs meanwhile.  Every buffer is owned
// by a coherent_buffer in the case's scope and freed on every path, after
// the engine is idle; should a transfer outlive a bounded wait, bus
// mastering is shut off first, so that it cannot write into freed memory.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/edu_logic.h"
#include "kernel/coherent_buffer.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;
namespace edu_logic = ioview::drivers::edu;

constexpr u64 edu_buffer_size = hw::buffer_bytes;
constexpr unsigned int edu_dma_bits = hw::dma_mask_bits;
constexpr u64 edu_dma_limit = hw::dma_mask;

// edu needs ~100 ms of virtual time per transfer; TCG on a loaded host can
// stretch that, so the bound is generous.  Only a broken run waits it out.
constexpr unsigned int dma_poll_ms = 10;
constexpr unsigned int dma_timeout_ms = 5000;

constexpr const char *no_edu = "no edu function bound to ioview";

// A device-shared block with fields, a descriptor ring and a payload.
struct dma_desc {
	u64 addr;
	u32 len;
	u32 flags;
};
struct dma_block {
	u32 doorbell;
	u32 status;
	u64 base;
	dma_desc ring[8];
	u8 payload[200];
};

// The transfer's length and offsets are odd on purpose: a DMA address off
// by any number of bytes moves the pattern against the sentinels.
constexpr usize transfer_len = 0x2f3;
constexpr usize source_bytes = 2 * 4096;
constexpr usize source_offset = 0xe35;		// the sub-range crosses the first page boundary
constexpr u64 edu_offset = 0x123;

// The destination: the transfer must land exactly on `landing`.
struct landing_page {
	u8 before[0x41];
	u8 landing[transfer_len];
	u8 after[0x4c];
};

constexpr u8 sentinel = 0x5a;
constexpr u8 source_fill = 0xc3;

} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::dma_desc> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::dma_block> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::landing_page> = true;

namespace ioview::kernel::selftest {

namespace {

static_assert(__builtin_offsetof(landing_page, landing) == 0x41 && sizeof(landing_page) == 0x380);
static_assert(edu_offset + transfer_len <= hw::dma_window_bytes && transfer_len <= edu_buffer_size);
static_assert(source_offset + transfer_len <= source_bytes && source_offset < 4096 &&
	      source_offset + transfer_len > 4096);

unsigned long long ull(u64 v)
{
	return static_cast<unsigned long long>(v);
}

u8 pattern_byte(usize i)
{
	return static_cast<u8>(i * 37 + (i >> 8) + 0x11);
}

// Runs body(pdev) with edu held (bound, locked) and its DMA mask at the 28
// bits its engine drives; skips when no edu function is bound.
template <typename Body> verdict on_edu(context &t, Body body)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);
	int err = ioview_shim_dma_set_mask_and_coherent(edu.get(), edu_dma_bits);
	if (err)
		return t.fail("setting a %u-bit DMA mask failed with %d", edu_dma_bits, err);
	return body(edu.get());
}

// A byte view of a whole buffer, whatever its T.
template <typename T> result<view<coherent, slice<u8>>> bytes_of(const coherent_buffer<T> &b)
{
	return coherent::try_view<slice<u8>>(b.view().handle().cpu, b.dma_address(), b.size());
}

template <typename V> void fill(V bytes, u8 value)
{
	for (usize i = 0; i < bytes.length(); ++i)
		bytes.try_at(i).value().write_val(value);
}

template <typename V> void fill_pattern(V bytes)
{
	for (usize i = 0; i < bytes.length(); ++i)
		bytes.try_at(i).value().write_val(pattern_byte(i));
}

// The index of the first byte that is not @p value, or length() if none.
template <typename V> usize first_not(V bytes, u8 value)
{
	usize i = 0;

	while (i < bytes.length() && bytes.try_at(i).value().read_val() == value)
		++i;
	return i;
}

template <typename V> usize first_not_pattern(V bytes)
{
	usize i = 0;

	while (i < bytes.length() && bytes.try_at(i).value().read_val() == pattern_byte(i))
		++i;
	return i;
}

// Whether [dma, dma + bytes) lies where edu's engine can reach it.
bool edu_reaches(u64 dma, usize bytes)
{
	return dma <= edu_dma_limit && bytes - 1 <= edu_dma_limit - dma;
}

/* ---- the DMA mask and the allocation ------------------------------------- */

verdict dma_mask_width_is_checked(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		int none = ioview_shim_dma_set_mask_and_coherent(pdev, 0);
		int too_wide = ioview_shim_dma_set_mask_and_coherent(pdev, 65);
		if (none != -einval || too_wide != -einval)
			return t.fail("0 and 65 bits gave %d/%d, want %d", none, too_wide, -einval);
		// 4 KiB of address space: below the DMA zone, nothing can be allocated there.
		int tiny = ioview_shim_dma_set_mask_and_coherent(pdev, 12);
		if (tiny != -eio)
			return t.fail("a 12-bit mask gave %d, want %d", tiny, -eio);
		// The refused mask left the 28-bit one in place: allocations still work and fit it.
		auto b = coherent_buffer<slice<u8>>::allocate_slice(pdev, 3 * 4096);
		if (!b)
			return t.fail("allocation after the refused mask failed with %d", b.error());
		if (!edu_reaches(b.value().dma_address(), b.value().size()))
			return t.fail("buffer at DMA %#llx (+%zu) is beyond the %u-bit mask",
				      ull(b.value().dma_address()), b.value().size(), edu_dma_bits);
		return t.pass();
	});
}

verdict allocation_is_zeroed(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		constexpr usize words = 3 * 512;	// 12 KiB: more than a page
		auto first = coherent_buffer<slice<u64>>::allocate_slice(pdev, words);
		if (!first)
			return t.fail("allocating %zu words failed with %d", words, first.error());
		auto v = first.value().view();
		if (v.length() != words || first.value().size() != words * 8)
			return t.fail("slice of %zu words over %zu bytes, want %zu over %zu", v.length(),
				      first.value().size(), words, words * 8);
		for (usize i = 0; i < words; ++i) {
			u64 w = v.try_at(i).value().read_val();
			if (w != 0)
				return t.fail("word %zu of a new buffer is %#llx", i, ull(w));
		}
		// Dirty it and give it back: the next allocation (likely the same pages) is zeroed again.
		for (usize i = 0; i < words; ++i)
			v.try_at(i).value().write_val(0xa5a5a5a5a5a5a5a5ull);
		first.value().reset();
		auto second = coherent_buffer<slice<u64>>::allocate_slice(pdev, words);
		if (!second)
			return t.fail("second allocation failed with %d", second.error());
		auto w2 = second.value().view();
		for (usize i = 0; i < words; ++i) {
			u64 w = w2.try_at(i).value().read_val();
			if (w != 0)
				return t.fail("word %zu of a reallocated buffer is %#llx", i, ull(w));
		}

		auto block = coherent_buffer<dma_block>::allocate(pdev);
		if (!block)
			return t.fail("allocating a dma_block failed with %d", block.error());
		if (block.value().size() != sizeof(dma_block))
			return t.fail("dma_block buffer has %zu bytes, want %zu", block.value().size(),
				      sizeof(dma_block));
		auto bytes = bytes_of(block.value());
		if (!bytes)
			return t.fail("byte view of the dma_block failed with %d", bytes.error());
		usize nz = first_not(bytes.value(), 0);
		if (nz != sizeof(dma_block))
			return t.fail("byte %zu of a new dma_block is %#x", nz,
				      bytes.value().try_at(nz).value().read_val());
		return t.pass();
	});
}

verdict allocation_refusals(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		constexpr usize max = static_cast<usize>(-1);
		auto empty = coherent_buffer<slice<dma_desc>>::allocate_slice(pdev, 0);
		auto overflow = coherent_buffer<slice<dma_desc>>::allocate_slice(pdev, max / sizeof(dma_desc) + 1);
		// Fits a size_t, but not once rounded up to whole pages.
		auto wraps = coherent_buffer<slice<dma_desc>>::allocate_slice(pdev, max / sizeof(dma_desc));
		// 16 TiB: representable, far beyond what the allocator serves (and it must not warn).
		auto huge = coherent_buffer<slice<dma_desc>>::allocate_slice(pdev, usize{ 1 } << 40);
		if (empty.error() != -einval)
			return t.fail("0 elements gave %d, want %d", empty.error(), -einval);
		if (overflow.error() != -enomem || wraps.error() != -enomem || huge.error() != -enomem)
			return t.fail("overflowing/wrapping/huge sizes gave %d/%d/%d, want %d", overflow.error(),
				      wraps.error(), huge.error(), -enomem);
		if (empty.value().allocated() || huge.value().allocated() || huge.value().size() != 0)
			return t.fail("a refused allocation holds memory");
		return t.pass();
	});
}

verdict move_leaves_the_source_empty(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		auto r = coherent_buffer<dma_block>::allocate(pdev);
		if (!r)
			return t.fail("allocation failed with %d", r.error());
		u64 dma = r.value().dma_address();
		coherent_buffer<dma_block> a = r.take();
		if (r.value().allocated() || !a.allocated() || a.dma_address() != dma)
			return t.fail("take() did not move: source allocated=%d, target at %#llx, want %#llx",
				      r.value().allocated(), ull(a.dma_address()), ull(dma));

		coherent_buffer<dma_block> b = static_cast<coherent_buffer<dma_block> &&>(a);
		if (a.allocated() || a.size() != 0 || a.dma_address() != 0)
			return t.fail("move construction left the source with %zu bytes at %#llx", a.size(),
				      ull(a.dma_address()));
		if (!b.allocated() || b.dma_address() != dma || b.size() != sizeof(dma_block))
			return t.fail("moved-to buffer has %zu bytes at %#llx, want %zu at %#llx", b.size(),
				      ull(b.dma_address()), sizeof(dma_block), ull(dma));

		// Move assignment frees what the target held and takes the source's.
		auto other = coherent_buffer<dma_block>::allocate(pdev);
		if (!other)
			return t.fail("second allocation failed with %d", other.error());
		coherent_buffer<dma_block> c = other.take();
		IOVIEW_PROJECT(b.view(), status).write_val(0x600d);
		c = static_cast<coherent_buffer<dma_block> &&>(b);
		if (b.allocated() || c.dma_address() != dma || IOVIEW_PROJECT(c.view(), status).read_val() != 0x600d)
			return t.fail("move assignment: source allocated=%d, target at %#llx, want %#llx",
				      b.allocated(), ull(c.dma_address()), ull(dma));
		c.reset();
		if (c.allocated() || c.size() != 0)
			return t.fail("reset() left %zu bytes", c.size());
		return t.pass();
	});
}

/* ---- DMA addresses of projected views ------------------------------------ */

verdict struct_projection_adds_field_offsets(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		auto r = coherent_buffer<dma_block>::allocate(pdev);
		if (!r)
			return t.fail("allocation failed with %d", r.error());
		auto v = r.value().view();
		const u64 base = r.value().dma_address();
		const uptr cpu = v.address();

		if (dma_address(v) != base)
			return t.fail("view at DMA %#llx, buffer at %#llx", ull(dma_address(v)), ull(base));
		struct expect {
			const char *what;
			u64 dma;
			uptr cpu;
			usize offset;
		};
		const expect fields[] = {
			{ "doorbell", dma_address(IOVIEW_PROJECT(v, doorbell)), IOVIEW_PROJECT(v, doorbell).address(),
			  __builtin_offsetof(dma_block, doorbell) },
			{ "status", dma_address(IOVIEW_PROJECT(v, status)), IOVIEW_PROJECT(v, status).address(),
			  __builtin_offsetof(dma_block, status) },
			{ "base", dma_address(IOVIEW_PROJECT(v, base)), IOVIEW_PROJECT(v, base).address(),
			  __builtin_offsetof(dma_block, base) },
			{ "ring", dma_address(IOVIEW_PROJECT(v, ring)), IOVIEW_PROJECT(v, ring).address(),
			  __builtin_offsetof(dma_block, ring) },
			{ "ring[3].len", dma_address(IOVIEW_PROJECT(v, ring[3].len)),
			  IOVIEW_PROJECT(v, ring[3].len).address(), __builtin_offsetof(dma_block, ring[3].len) },
			{ "ring[7].flags", dma_address(IOVIEW_PROJECT(v, ring[7].flags)),
			  IOVIEW_PROJECT(v, ring[7].flags).address(), __builtin_offsetof(dma_block, ring[7].flags) },
			{ "payload", dma_address(IOVIEW_PROJECT(v, payload)), IOVIEW_PROJECT(v, payload).address(),
			  __builtin_offsetof(dma_block, payload) },
			{ "payload[199]", dma_address(IOVIEW_PROJECT(v, payload).at<199>()),
			  IOVIEW_PROJECT(v, payload).at<199>().address(), __builtin_offsetof(dma_block, payload[199]) },
		};
		for (const expect &f : fields) {
			if (f.dma != base + f.offset || f.cpu != cpu + f.offset)
				return t.fail("%s at DMA %#llx CPU +%zu, want %#llx and +%zu", f.what, ull(f.dma),
					      static_cast<usize>(f.cpu - cpu), ull(base + f.offset), f.offset);
		}
		auto ring = IOVIEW_PROJECT(v, ring);
		for (usize i = 0; i < 8; ++i) {
			auto d = ring.try_at(i);
			if (!d)
				return t.fail("try_at(%zu) of 8 descriptors failed with %d", i, d.error());
			u64 want = base + __builtin_offsetof(dma_block, ring) + i * sizeof(dma_desc) +
				   __builtin_offsetof(dma_desc, len);
			u64 got = dma_address(IOVIEW_PROJECT(d.value(), len));
			if (got != want)
				return t.fail("ring[%zu].len at DMA %#llx, want %#llx", i, ull(got), ull(want));
		}
		if (ring.try_at(8).error() != -erange)
			return t.fail("try_at(8) of 8 descriptors gave %d, want %d", ring.try_at(8).error(), -erange);
		return t.pass();
	});
}

verdict slice_projection_and_refusals(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		constexpr usize n = 16;
		auto r = coherent_buffer<slice<dma_desc>>::allocate_slice(pdev, n);
		if (!r)
			return t.fail("allocating %zu descriptors failed with %d", n, r.error());
		auto s = r.value().view();
		const u64 base = r.value().dma_address();

		if (s.length() != n || r.value().size() != n * sizeof(dma_desc))
			return t.fail("slice of %zu over %zu bytes, want %zu over %zu", s.length(), r.value().size(), n,
				      n * sizeof(dma_desc));
		for (usize i = 0; i < n; ++i) {
			auto e = s.try_at(i);
			if (!e)
				return t.fail("try_at(%zu) of %zu failed with %d", i, n, e.error());
			if (dma_address(e.value()) != base + i * sizeof(dma_desc))
				return t.fail("element %zu at DMA %#llx, want %#llx", i, ull(dma_address(e.value())),
					      ull(base + i * sizeof(dma_desc)));
		}
		auto past = s.try_at(n);
		auto far = s.try_at(static_cast<usize>(-1));
		if (past.error() != -erange || far.error() != -erange)
			return t.fail("try_at(%zu)/try_at(-1) gave %d/%d, want %d", n, past.error(), far.error(), -erange);

		auto mid = s.try_subrange(4, 8);
		if (!mid)
			return t.fail("try_subrange(4, 8) of %zu failed with %d", n, mid.error());
		auto last = mid.value().try_at(7);
		if (dma_address(mid.value()) != base + 4 * sizeof(dma_desc) || !last ||
		    dma_address(last.value()) != base + 11 * sizeof(dma_desc))
			return t.fail("sub-range at DMA %#llx, its element 7 at %#llx; want %#llx and %#llx",
				      ull(dma_address(mid.value())), ull(last ? dma_address(last.value()) : 0),
				      ull(base + 4 * sizeof(dma_desc)), ull(base + 11 * sizeof(dma_desc)));
		auto beyond_sub = mid.value().try_at(8);
		auto too_long = s.try_subrange(9, 8);
		if (beyond_sub.error() != -erange || too_long.error() != -erange)
			return t.fail("sub-range's try_at(8) and try_subrange(9, 8) gave %d/%d, want %d",
				      beyond_sub.error(), too_long.error(), -erange);

		// A write through the sub-range's element lands on element 11 of the whole slice.
		IOVIEW_PROJECT(last.value(), flags).write_val(0xf1a6);
		if (IOVIEW_PROJECT(s.try_at(11).value(), flags).read_val() != 0xf1a6)
			return t.fail("write through the sub-range did not reach element 11");
		return t.pass();
	});
}

/* ---- the CPU side: plain memory ------------------------------------------ */

verdict to_sysmem_sees_the_same_bytes(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		auto r = coherent_buffer<dma_block>::allocate(pdev);
		if (!r)
			return t.fail("allocation failed with %d", r.error());
		auto c = r.value().view();
		view<sysmem, dma_block> s = to_sysmem(c);

		if (s.address() != c.address())
			return t.fail("sysmem view at %#llx, coherent view at %#llx", ull(s.address()), ull(c.address()));
		IOVIEW_PROJECT(c, ring[5].addr).write_val(0x0123456789abcdefull);
		IOVIEW_PROJECT(s, doorbell).write_val(0xd00b);
		u64 addr = IOVIEW_PROJECT(s, ring[5].addr).read_val();
		u32 bell = IOVIEW_PROJECT(c, doorbell).read_val();
		if (addr != 0x0123456789abcdefull || bell != 0xd00b)
			return t.fail("crossed reads: ring[5].addr %#llx, doorbell %#x", ull(addr), bell);

		auto sys_payload = to_sysmem(IOVIEW_PROJECT(c, payload));
		fill_pattern(IOVIEW_PROJECT(c, payload));
		usize bad = first_not_pattern(sys_payload);
		if (bad != sys_payload.length())
			return t.fail("payload byte %zu reads %#x through sysmem, want %#x", bad,
				      sys_payload.try_at(bad).value().read_val(), pattern_byte(bad));

		auto sys_slice = to_sysmem(bytes_of(r.value()).value());
		if (sys_slice.length() != sizeof(dma_block) || sys_slice.address() != c.address())
			return t.fail("sysmem byte slice of %zu at %#llx, want %zu at %#llx", sys_slice.length(),
				      ull(sys_slice.address()), sizeof(dma_block), ull(c.address()));
		return t.pass();
	});
}

verdict copies_are_plain_memory_copies(context &t)
{
	return on_edu(t, [&](pci_dev *pdev) {
		auto r = coherent_buffer<dma_block>::allocate(pdev);
		if (!r)
			return t.fail("allocation failed with %d", r.error());
		auto v = r.value().view();
		auto ring = IOVIEW_PROJECT(v, ring);

		copy_write(ring.at<2>(), dma_desc{ 0xabcdef00ull, 1514, 3 });
		dma_desc d = copy_read(ring.at<2>());
		if (d.addr != 0xabcdef00ull || d.len != 1514 || d.flags != 3)
			return t.fail("copy_read after copy_write: %#llx/%u/%u", ull(d.addr), d.len, d.flags);

		u8 out[64];
		u8 in[64];
		for (usize i = 0; i < sizeof(in); ++i)
			in[i] = pattern_byte(i);
		auto part = IOVIEW_PROJECT(v, payload).try_subrange(7, 64);	// odd start: any alignment
		if (!part)
			return t.fail("try_subrange(7, 64) of the payload failed with %d", part.error());
		status put = copy_from_slice(part.value(), in, sizeof(in));
		status got = copy_to_slice(part.value(), out, sizeof(out));
		if (!put || !got || __builtin_memcmp(in, out, sizeof(in)) != 0)
			return t.fail("payload copies: %d/%d, bytes %s", put.error(), got.error(),
				      __builtin_memcmp(in, out, sizeof(in)) ? "differ" : "equal");
		if (IOVIEW_PROJECT(v, payload[6]).read_val() != 0 || IOVIEW_PROJECT(v, payload[71]).read_val() != 0)
			return t.fail("a slice copy wrote outside its sub-range");

		// Overlapping move inside coherent memory, then out to ordinary memory.
		status moved = io_copy(ring.subrange<3, 2>(), ring.subrange<2, 2>());
		dma_desc plain[8] = {};
		status out_all = io_copy(sysmem::view_of(plain), ring.as_const());
		if (!moved || !out_all || plain[3].len != 1514 || plain[2].len != 1514 || plain[4].len != 0)
			return t.fail("io_copy %d/%d: lengths %u %u %u", moved.error(), out_all.error(), plain[2].len,
				      plain[3].len, plain[4].len);
		return t.pass();
	});
}

/* ---- edu's DMA engine ---------------------------------------------------- */

auto dma_poller()
{
	return edu_logic::poll_every([] { ioview_shim_msleep(dma_poll_ms); }, dma_timeout_ms / dma_poll_ms);
}

// Declared after the buffers a transfer uses, so that it runs before they are freed: waits,
// bounded, for the engine to be idle, and if it is not, shuts bus mastering off (the driver
// is then unusable until it is rebound, but no transfer reaches freed memory).
// Templates, like edu_transfer(), so that they are only compiled where the engine's 64-bit
// registers can be reached.
template <typename Bar> class engine_idle_before_free {
public:
	engine_idle_before_free(pci_dev *pdev, Bar bar) noexcept : pdev_(pdev), bar_(bar) {}
	~engine_idle_before_free()
	{
		if (!edu_logic::dma_quiesce(bar_, dma_poller()))
			ioview_shim_pci_clear_master(pdev_);
	}
	engine_idle_before_free(const engine_idle_before_free &) = delete;
	engine_idle_before_free &operator=(const engine_idle_before_free &) = delete;

private:
	pci_dev *pdev_;
	Bar bar_;
};

// One transfer of edu's engine (edu_logic's dma_run(): the engine checked idle, source,
// destination and count each one writeq, the command last), waited for by polling the
// command register.  The command write is a non-relaxed writeq, so the CPU's stores to the
// source buffer are visible to the device before it starts; the completion read is a
// non-relaxed readq, so later reads of the destination see what the device wrote.
template <typename Bar> verdict edu_transfer(context &t, Bar bar, const edu_logic::dma_transfer &xfer, const char *what)
{
	if (edu_logic::dma_busy(bar))
		return t.fail("%s: the engine is still busy with an earlier transfer", what);
	status started = edu_logic::dma_start(bar, xfer);
	if (!started)
		return t.fail("%s: dma_start() refused the transfer with %d", what, started.error());
	// The engine took its registers (edu drops writes while it runs).
	u64 count = hw::dma_count::read(bar).get(hw::dma_count::bytes);
	if (count != xfer.length)
		return t.fail("%s: the engine did not take its registers (count %#llx)", what, ull(count));
	status done = edu_logic::dma_wait(bar, dma_poller());
	if (!done)
		return t.fail("%s: still running after %u ms", what, dma_timeout_ms);
	return t.pass();
}

verdict edu_dma_through_projected_views(context &t)
{
	if constexpr (!capable<kmmio, 8>) {
		return t.skip("no 64-bit MMIO access on this architecture");
	} else {
		return on_edu(t, [&](pci_dev *pdev) {
			edu::device *dev = edu::of(pdev);
			if (!dev)
				return t.fail("edu is bound but has no driver state");
			auto bar = edu::bar(dev);

			auto src = coherent_buffer<slice<u8>>::allocate_slice(pdev, source_bytes);
			if (!src)
				return t.fail("allocating the source failed with %d", src.error());
			auto dst = coherent_buffer<landing_page>::allocate(pdev);
			if (!dst)
				return t.fail("allocating the destination failed with %d", dst.error());

			// The projected views the device is pointed at.
			auto out = src.value().view().try_subrange(source_offset, transfer_len);
			if (!out)
				return t.fail("try_subrange(%#zx, %#zx) failed with %d", source_offset, transfer_len,
					      out.error());
			auto page = dst.value().view();
			auto in = IOVIEW_PROJECT(page, landing);
			const u64 out_dma = dma_address(out.value());
			const u64 in_dma = dma_address(in);
			if (out_dma != src.value().dma_address() + source_offset ||
			    in_dma != dst.value().dma_address() + __builtin_offsetof(landing_page, landing))
				return t.fail("projected DMA addresses %#llx/%#llx, want %#llx/%#llx", ull(out_dma),
					      ull(in_dma), ull(src.value().dma_address() + source_offset),
					      ull(dst.value().dma_address() + __builtin_offsetof(landing_page, landing)));
			if (!edu_reaches(src.value().dma_address(), source_bytes) ||
			    !edu_reaches(dst.value().dma_address(), sizeof(landing_page)))
				return t.fail("buffers at DMA %#llx/%#llx are beyond edu's %u bits",
					      ull(src.value().dma_address()), ull(dst.value().dma_address()),
					      edu_dma_bits);

			// The pattern exists only in the source sub-range; everything else is a sentinel.
			fill(src.value().view(), source_fill);
			fill_pattern(out.value());
			fill(IOVIEW_PROJECT(page, before), sentinel);
			fill(in, sentinel);
			fill(IOVIEW_PROJECT(page, after), sentinel);

			// Declared after the buffers: the engine is idle (or cut off) before they are freed.
			engine_idle_before_free<decltype(bar)> idle(pdev, bar);
			verdict v = edu_transfer(t, bar, edu_logic::to_device(out.value(), edu_offset), "RAM to edu");
			if (v != verdict::pass)
				return v;
			v = edu_transfer(t, bar, edu_logic::from_device(edu_offset, in), "edu to RAM");
			if (v != verdict::pass)
				return v;

			usize bad = first_not_pattern(in);
			if (bad != transfer_len)
				return t.fail("landing byte %zu is %#x, want %#x (DMA %#llx -> edu -> %#llx)", bad,
					      in.try_at(bad).value().read_val(), pattern_byte(bad), ull(out_dma),
					      ull(in_dma));
			usize before = first_not(IOVIEW_PROJECT(page, before), sentinel);
			usize after = first_not(IOVIEW_PROJECT(page, after), sentinel);
			if (before != sizeof(landing_page::before) || after != sizeof(landing_page::after))
				return t.fail("DMA wrote outside the landing field: before[%zu] after[%zu] changed",
					      before, after);
			usize src_left = first_not(src.value().view().try_subrange(0, source_offset).value(),
						   source_fill);
			if (src_left != source_offset)
				return t.fail("source byte %zu changed", src_left);
			return t.pass();
		});
	}
}

constinit const test_case coherent_cases[] = {
	{ "dma_mask_width_is_checked", dma_mask_width_is_checked },
	{ "allocation_is_zeroed", allocation_is_zeroed },
	{ "allocation_refusals", allocation_refusals },
	{ "move_leaves_the_source_empty", move_leaves_the_source_empty },
	{ "struct_projection_adds_field_offsets", struct_projection_adds_field_offsets },
	{ "slice_projection_and_refusals", slice_projection_and_refusals },
	{ "to_sysmem_sees_the_same_bytes", to_sysmem_sees_the_same_bytes },
	{ "copies_are_plain_memory_copies", copies_are_plain_memory_copies },
	{ "edu_dma_through_projected_views", edu_dma_through_projected_views },
};

} // namespace

constinit const suite coherent_suite{ "ioview_coherent", coherent_cases };

} // namespace ioview::kernel::selftest
