// SPDX-License-Identifier: GPL-2.0
//
// QEMU ivshmem-plain's BAR2 through ioview views.  BAR2 is 1 MiB of RAM
// shared with a file on the host (build/vm/<release>/ivshmem.bin), so what
// the views write can be read back here, through another path, and by the
// host after the VM is gone (tests/vm/cases/40-ivshmem-witness.host.sh).
//
// Layout of BAR2 (offsets into the BAR and into the file):
//
//   0x00000-0x0ffff  tests/vm/cases/10-witness: bytes the host and the guest
//                    write through the file and /dev/mem; never touched here
//   0x10000-0x3ffff  scratch of the cases below; each case clears what it
//                    wrote, so this range ends all zero
//   0x40000-0x4ffff  the benchmark's memcpy_toio() target (bench=1,
//                    kmod/bench/bench.cpp; checked by tests/vm/cases/50-bench)
//   0x50000-0x7ffff  unused, zero
//   0x80000-0x80fff  witness page, written by scalar accesses of one width
//                    per quarter (witness_page below)
//   0xc0000-0xcffff  witness block, written by one memcpy_toio() of 64 KiB
//                    from a kernel buffer
//   0xf0000-0xfffff  tests/vm/cases/10-witness again (0xfffe0)
//
// Every other byte is zero after the run.  The witness values are computed
// from these formulas, all arithmetic modulo the width, every value stored
// little-endian (so the host can recompute them without this code):
//
//   0x80000 + i     u8  bytes[i],  i < 1024:  i * 0x25 + 0x0b
//   0x80400 + 2*i   u16 halves[i], i < 512:   i * 0x9e37 + 0x1234
//   0x80800 + 4*i   u32 words[i],  i < 256:   i * 0x9e3779b1 + 0x01234567
//   0x80c00 + 8*i   u64 quads[i],  i < 128:   hi * 2^32 + lo, where (mod 2^32)
//                                             lo = i * 0x85ebca77 + 0x89abcdef
//                                             hi = i * 0xc2b2ae3d + 0x76543210
//   0xc0000 + i     u8  block[i],  i < 65536: i * 0xa7 + (i >> 8) * 0x0d + 0x5a
//
// The witness case runs last so that nothing overwrites the pattern; it
// also reads the pattern back here, by scalars and by memcpy_fromio().
#include <ioview/ioview.h>

#include "kernel/bar_mapping.h"
#include "ioview_cxxrt.h"
#include "kernel/iomem_mapping.h"
#include "selftest/counting.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

struct ivshmem_tag;
constexpr int bar2_number = 2;
constexpr usize bar2_len = 0x100000;
using bar2 = region<bar2_len, ivshmem_tag, 8>;
using larger_than_bar2 = region<2 * bar2_len, ivshmem_tag, 8>;
using page_region = region<0x1000, ivshmem_tag, 8>;
using small_region = region<0x100, ivshmem_tag, 8>;

// Scratch, inside 0x10000-0x3ffff.
constexpr usize scalar_off = 0x10000;	// a scalar_block
constexpr usize copy_off = 0x10100;	// a copy_block
constexpr usize iomem_off = 0x11000;	// one page, seen through both kinds of mapping

// The witness (see the top of this file).
constexpr usize witness_page_off = 0x80000;
constexpr usize witness_block_off = 0xc0000;
constexpr usize witness_block_len = 0x10000;

struct scalar_block {
	u8 b[8];
	u16 h[8];
	u32 w[8];
	u64 q[8];
};

struct copy_block {
	u32 words[64];
};

struct witness_page {
	u8 bytes[1024];
	u16 halves[512];
	u32 words[256];
	u64 quads[128];
};

constexpr const char *no_ivshmem = "no ivshmem function bound to ioview";


} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::scalar_block> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::copy_block> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::witness_page> = true;

namespace ioview::kernel::selftest {

namespace {

using ull = unsigned long long;

// The witness formulas, as documented at the top of this file.
constexpr u8 witness_byte(usize i) { return static_cast<u8>(i * 0x25 + 0x0b); }
constexpr u16 witness_half(usize i) { return static_cast<u16>(i * 0x9e37 + 0x1234); }
constexpr u32 witness_word(usize i) { return static_cast<u32>(i * 0x9e3779b1u + 0x01234567u); }
constexpr u64 witness_quad(usize i)
{
	u32 lo = static_cast<u32>(i * 0x85ebca77u + 0x89abcdefu);
	u32 hi = static_cast<u32>(i * 0xc2b2ae3du + 0x76543210u);
	return static_cast<u64>(hi) << 32 | lo;
}
constexpr u8 witness_block_byte(usize i) { return static_cast<u8>(i * 0xa7 + (i >> 8) * 0x0d + 0x5a); }

// Spot checks of the formulas against values worked out by hand, so a
// change to them cannot go unnoticed by the host's copy of them.
static_assert(witness_byte(1) == 0x30 && witness_half(1) == 0xb06b && witness_word(1) == 0x9f5abf18);
static_assert(witness_quad(1) == 0x3906e04d0f979866ull && witness_block_byte(0x101) == 0x0e);

// Distinct values of each width for the scratch cases.
constexpr u8 pattern8(usize i) { return static_cast<u8>(0xa0 + i); }
constexpr u16 pattern16(usize i) { return static_cast<u16>(0xb000 + i * 0x0101); }
constexpr u32 pattern32(usize i) { return static_cast<u32>(0xc0000000u + i * 0x01020304u); }
constexpr u64 pattern64(usize i) { return 0xd000000000000000ull + i * 0x0102030405060708ull; }

// A kernel buffer of N bytes, freed with its owner.
class kbuffer {
public:
	explicit kbuffer(usize n) noexcept : p_(new (gfp::kernel) u8[n]) {}
	~kbuffer() { delete[] p_; }
	kbuffer(const kbuffer &) = delete;
	kbuffer &operator=(const kbuffer &) = delete;
	u8 *get() const noexcept { return p_; }

private:
	u8 *p_;
};

// Runs body(mapping) with BAR2 mapped as T for the length of the call;
// skips when no ivshmem function is bound.
template <typename T, typename Body> verdict on_bar2(context &t, Body body)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);
	auto m = bar_mapping<T>::map(shm.get(), bar2_number);
	if (!m)
		return t.fail("map BAR2 failed with %d", m.error());
	return body(m.value());
}

// The first of n bytes at a that is not zero, or n.
usize first_nonzero(const u8 *a, usize n)
{
	usize i = 0;

	while (i < n && a[i] == 0)
		++i;
	return i;
}

// The first index where a and b differ, or n.
usize first_difference(const u8 *a, const u8 *b, usize n)
{
	usize i = 0;

	while (i < n && a[i] == b[i])
		++i;
	return i;
}

verdict scalar_widths_round_trip(context &t)
{
	return on_bar2<bar2>(t, [&](bar_mapping<bar2> &m) {
		auto bar = m.view();
		auto blk = bar.at_offset<scalar_block, scalar_off>();
		constexpr usize b_off = scalar_off + __builtin_offsetof(scalar_block, b);
		constexpr usize h_off = scalar_off + __builtin_offsetof(scalar_block, h);
		constexpr usize w_off = scalar_off + __builtin_offsetof(scalar_block, w);
		constexpr usize q_off = scalar_off + __builtin_offsetof(scalar_block, q);
		scalar_block want{};

		// Even elements through typed projections, odd ones through the
		// region's untyped accessors; each is then read back the other way.
		for (usize i = 0; i < 8; ++i) {
			want.b[i] = pattern8(i);
			want.h[i] = pattern16(i);
			want.w[i] = pattern32(i);
			want.q[i] = pattern64(i);
			if (i % 2 == 0) {
				IOVIEW_PROJECT(blk, b).try_at(i).value().write_val(want.b[i]);
				IOVIEW_PROJECT(blk, h).try_at(i).value().write_val(want.h[i]);
				IOVIEW_PROJECT(blk, w).try_at(i).value().write_val_relaxed(want.w[i]);
				IOVIEW_PROJECT(blk, q).try_at(i).value().write_val(want.q[i]);
			} else if (!bar.try_write8(b_off + i, want.b[i]) || !bar.try_write16(h_off + 2 * i, want.h[i]) ||
				   !bar.try_write32(w_off + 4 * i, want.w[i]) || !bar.try_write64(q_off + 8 * i, want.q[i])) {
				return t.fail("an in-range try_write of element %zu was refused", i);
			}
		}
		for (usize i = 0; i < 8; ++i) {
			u8 b;
			u16 h;
			u32 w;
			u64 q;
			if (i % 2 == 0) {
				b = bar.try_read8(b_off + i).value_or(0);
				h = bar.try_read16(h_off + 2 * i).value_or(0);
				w = bar.try_read32(w_off + 4 * i).value_or(0);
				q = bar.try_read64(q_off + 8 * i).value_or(0);
			} else {
				b = IOVIEW_PROJECT(blk, b).try_at(i).value().read_val();
				h = IOVIEW_PROJECT(blk, h).try_at(i).value().read_val_relaxed();
				w = IOVIEW_PROJECT(blk, w).try_at(i).value().read_val();
				q = IOVIEW_PROJECT(blk, q).try_at(i).value().read_val();
			}
			if (b != want.b[i] || h != want.h[i] || w != want.w[i] || q != want.q[i])
				return t.fail("element %zu read back %#x %#x %#x %#llx", i, b, h, w, static_cast<ull>(q));
		}
		// Constant paths, checked at compile time, agree with the runtime ones.
		if (IOVIEW_PROJECT(blk, q[5]).read_val() != bar.read64<q_off + 40>() ||
		    IOVIEW_PROJECT(blk, h[3]).read_val() != bar.read16<h_off + 6>() ||
		    bar.read32<w_off + 28>() != pattern32(7) || bar.read8<b_off>() != pattern8(0))
			return t.fail("constant-path reads disagree");

		scalar_block copy = copy_read(blk);	// memcpy_fromio()
		usize at = first_difference(reinterpret_cast<const u8 *>(&copy), reinterpret_cast<const u8 *>(&want),
					    sizeof(want));
		if (at != sizeof(want))
			return t.fail("block copy differs at byte %zu of the block", at);
		u64 before = bar.read64<scalar_off - 8>();
		u64 after = bar.read64<scalar_off + sizeof(scalar_block)>();
		if (before || after)
			return t.fail("neighbours changed: %#llx before, %#llx after", static_cast<ull>(before),
				      static_cast<ull>(after));

		copy_write(blk, scalar_block{});
		copy = copy_read(blk);
		at = first_nonzero(reinterpret_cast<const u8 *>(&copy), sizeof(copy));
		if (at != sizeof(copy))
			return t.fail("clearing the block left byte %zu non-zero", at);
		return t.pass();
	});
}

verdict memcpy_toio_into_a_projected_subrange(context &t)
{
	static constexpr u32 zeros[64] = {};
	return on_bar2<bar2>(t, [&](bar_mapping<bar2> &m) {
		auto bar = m.view();
		auto cb = bar.at_offset<copy_block, copy_off>();
		auto words = IOVIEW_PROJECT(cb, words);
		u32 src[16];
		u32 out[16];

		for (usize i = 0; i < 16; ++i)
			src[i] = pattern32(i) ^ 0x00ff00ffu;
		auto sub = words.subrange<8, 16>();
		copy_write(sub, src);	// memcpy_toio() of 64 bytes
		for (usize i = 0; i < 16; ++i) {
			u32 typed = words.try_at(8 + i).value().read_val();
			u32 untyped = bar.try_read32(copy_off + 4 * (8 + i)).value_or(0);
			if (typed != src[i] || untyped != src[i])
				return t.fail("word %zu reads %#x/%#x, want %#x", 8 + i, typed, untyped, src[i]);
		}
		if (words.at<7>().read_val() != 0 || words.at<24>().read_val() != 0)
			return t.fail("the copy spilled: word 7 %#x, word 24 %#x", words.at<7>().read_val(),
				      words.at<24>().read_val());
		if (!copy_to_slice(sub, out, 16))	// memcpy_fromio()
			return t.fail("copy_to_slice of 16 words was refused");
		usize at = first_difference(reinterpret_cast<const u8 *>(out), reinterpret_cast<const u8 *>(src),
					    sizeof(src));
		if (at != sizeof(src))
			return t.fail("memcpy_fromio copy differs at byte %zu", at);

		// The same through a sub-range chosen at run time.
		auto rt = words.try_subrange(40, 8);
		if (!rt)
			return t.fail("try_subrange(40, 8) of 64 words failed with %d", rt.error());
		if (!copy_from_slice(rt.value(), src + 8, 8))
			return t.fail("copy_from_slice of 8 words was refused");
		for (usize i = 0; i < 8; ++i) {
			u32 got = bar.try_read32(copy_off + 4 * (40 + i)).value_or(0);
			if (got != src[8 + i])
				return t.fail("word %zu reads %#x after copy_from_slice, want %#x", 40 + i, got, src[8 + i]);
		}
		if (words.at<39>().read_val() != 0 || words.at<48>().read_val() != 0)
			return t.fail("the runtime copy spilled");
		if (copy_to_slice(rt.value(), out, 16).error() != -einval)
			return t.fail("copy_to_slice with a wrong count was not refused with -EINVAL");

		if (!copy_from_slice(words, zeros, 64))
			return t.fail("clearing the block was refused");
		for (usize k = 0; k < 64; k += 16) {
			auto quarter = words.try_subrange(k, 16);
			if (!quarter || !copy_to_slice(quarter.value(), out, 16))
				return t.fail("reading words %zu.. back was refused", k);
			at = first_nonzero(reinterpret_cast<const u8 *>(out), sizeof(out));
			if (at != sizeof(out))
				return t.fail("clearing the block left byte %zu non-zero", 4 * k + at);
		}
		return t.pass();
	});
}

verdict subrange_offsets_add_up(context &t)
{
	return on_bar2<bar2>(t, [&](bar_mapping<bar2> &m) {
		auto bar = m.view();
		uptr base = bar.address();
		auto blk = bar.at_offset<scalar_block, scalar_off>();
		auto cb = bar.at_offset<copy_block, copy_off>();
		auto words = IOVIEW_PROJECT(cb, words);

		if (blk.address() != base + scalar_off || cb.address() != base + copy_off)
			return t.fail("at_offset: %#lx/%#lx from base %#lx", blk.address(), cb.address(), base);
		if (IOVIEW_PROJECT(blk, q[2]).address() != base + scalar_off + __builtin_offsetof(scalar_block, q) + 16)
			return t.fail("member projection q[2] is at %#lx from base %#lx",
				      IOVIEW_PROJECT(blk, q[2]).address(), base);

		auto s = words.subrange<5, 10>();	// words 5..14
		auto s2 = s.subrange<2, 3>();		// words 7..9
		auto r = words.try_subrange(9, 20);	// words 9..28
		if (!r)
			return t.fail("try_subrange(9, 20) failed with %d", r.error());
		auto r2 = r.value().try_subrange(4, 6);	// words 13..18
		if (!r2)
			return t.fail("nested try_subrange(4, 6) failed with %d", r2.error());
		uptr w0 = words.address();
		if (w0 != base + copy_off || s.address() != w0 + 20 || s2.address() != w0 + 28 ||
		    r.value().address() != w0 + 36 || r2.value().address() != w0 + 52)
			return t.fail("sub-ranges at +%#lx +%#lx +%#lx +%#lx", s.address() - w0, s2.address() - w0,
				      r.value().address() - w0, r2.value().address() - w0);
		if (s.length() != 10 || s2.length() != 3 || r.value().length() != 20 || r2.value().length() != 6 ||
		    r2.value().size() != 24)
			return t.fail("sub-range lengths %zu %zu %zu %zu", s.length(), s2.length(), r.value().length(),
				      r2.value().length());

		// Writes through the sub-views land at the summed index.
		s2.at<1>().write_val(0x5eed0008);			// word 8
		r2.value().try_at(5).value().write_val(0x5eed0018);	// word 18
		if (words.at<8>().read_val() != 0x5eed0008 || bar.read32<copy_off + 4 * 18>() != 0x5eed0018)
			return t.fail("words 8/18 read %#x/%#x", words.at<8>().read_val(), bar.read32<copy_off + 4 * 18>());
		if (words.at<7>().read_val() || words.at<9>().read_val() || words.at<17>().read_val() ||
		    words.at<19>().read_val())
			return t.fail("a write through a sub-view landed next to its target");

		// Sub-regions of the BAR, at constant and runtime offsets.
		auto sr = bar.region_at<small_region, copy_off>();
		auto tr = bar.try_region_at<small_region>(copy_off + 0x40);
		if (!tr)
			return t.fail("try_region_at(copy_off + 0x40) failed with %d", tr.error());
		if (sr.address() != base + copy_off || sr.size() != 0x100 || tr.value().address() != base + copy_off + 0x40)
			return t.fail("sub-regions at %#lx/%#lx from base %#lx", sr.address(), tr.value().address(), base);
		if (sr.read32<32>() != 0x5eed0008 || tr.value().try_read32(8).value_or(0) != 0x5eed0018)
			return t.fail("sub-regions read words 8/18 as %#x/%#x", sr.read32<32>(),
				      tr.value().try_read32(8).value_or(0));

		words.at<8>().write_val(0);
		tr.value().write32<8>(0);
		if (bar.read32<copy_off + 32>() || bar.read32<copy_off + 72>())
			return t.fail("clearing words 8/18 did not stick");
		return t.pass();
	});
}

verdict bounds_errors_make_no_access(context &t)
{
	return on_bar2<bar2>(t, [&](bar_mapping<bar2> &m) {
		constexpr usize huge = static_cast<usize>(-1);
		auto bar = counting_mmio::try_view<bar2>(m.view().handle(), m.size()).value();
		auto cb = bar.at_offset<copy_block, copy_off>();
		auto words = IOVIEW_PROJECT(cb, words);

		// Sentinels at both ends of the block and just past it.
		words.at<0>().write_val(0x5e000000);
		words.at<63>().write_val(0x5e00003f);
		bar.write32<copy_off + sizeof(copy_block)>(0x5e000040);
		counting_mmio_accessors::accesses = 0;

		int errs[16];
		usize n = 0;
		auto note = [&](auto r) {
			// A refused projection must not be usable; write through it if it was not refused.
			if (r)
				(void)r.value().try_write8(0, 0xff);
			errs[n++] = r.error();
		};
		auto word = [&](auto r) {
			if (r)
				r.value().write_val(0xffffffff);
			errs[n++] = r.error();
		};
		auto slice = [&](auto r) {
			if (r)
				r.value().try_at(0).value().write_val(0xffffffff);
			errs[n++] = r.error();
		};
		word(words.try_at(64));
		word(words.try_at(huge));
		slice(words.try_subrange(64, 1));
		slice(words.try_subrange(0, 65));
		slice(words.try_subrange(1, huge));		// 1 + huge wraps
		slice(words.try_subrange(huge, 2));
		auto tail = words.try_subrange(60, 4);
		if (!tail)
			return t.fail("try_subrange(60, 4) of 64 words failed with %d", tail.error());
		word(tail.value().try_at(4));
		slice(tail.value().try_subrange(2, 3));
		slice(tail.value().try_subrange(huge - 1, 3));	// wraps to 1
		note(bar.try_region_at<small_region>(bar2_len - 0x80));
		note(bar.try_region_at<small_region>(huge - 0x7f));
		errs[n++] = bar.try_read64(bar2_len).error();
		errs[n++] = bar.try_write32(bar2_len - 2, 0xffffffff).error();
		errs[n++] = bar.try_write64(huge - 7, ~0ull).error();
		for (usize i = 0; i < n; ++i)
			if (errs[i] != -erange)
				return t.fail("refusal %zu gave %d, want %d", i, errs[i], -erange);
		if (counting_mmio_accessors::accesses != 0)
			return t.fail("%zu accesses reached the BAR", counting_mmio_accessors::accesses);

		u32 first = words.at<0>().read_val();
		u32 last = words.at<63>().read_val();
		u32 past = bar.read32<copy_off + sizeof(copy_block)>();
		words.at<0>().write_val(0);
		words.at<63>().write_val(0);
		bar.write32<copy_off + sizeof(copy_block)>(0);
		if (first != 0x5e000000 || last != 0x5e00003f || past != 0x5e000040)
			return t.fail("sentinels changed: %#x %#x %#x", first, last, past);
		return t.pass();
	});
}

verdict too_large_minimum_fails_and_stays_free(context &t)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);

	auto big = bar_mapping<larger_than_bar2>::map(shm.get(), bar2_number);
	if (big.ok())
		return t.fail("mapping 1 MiB BAR2 as 2 MiB succeeded (%zu bytes)", big.value().size());
	if (big.error() != -enxio)
		return t.fail("mapping 1 MiB BAR2 as 2 MiB failed with %d, want %d", big.error(), -enxio);
	// Had the refused map kept its request, this one would get -EBUSY.
	auto right = bar_mapping<bar2>::map(shm.get(), bar2_number);
	if (!right)
		return t.fail("mapping BAR2 right after the refused one failed with %d", right.error());
	if (right.value().size() != bar2_len || right.value().bar() != bar2_number)
		return t.fail("mapped %zu bytes of BAR%d, want %zu of BAR2", right.value().size(), right.value().bar(),
			      bar2_len);
	return t.pass();
}

// BAR2's physical range, for the iomem_mapping cases.
struct phys_range {
	ull start;
	ull len;
};

// Runs body(pdev, range) with BAR2's physical range, the ivshmem function
// held for the length of the call; skips when none is bound.
template <typename Body> verdict on_bar2_range(context &t, Body body)
{
	selftest_device shm(IOVIEW_DEVICE_IVSHMEM);
	if (!shm)
		return t.skip("%s", no_ivshmem);
	phys_range r;
	int err = ioview_shim_pci_bar_start(shm.get(), bar2_number, &r.start);
	r.len = ioview_shim_pci_bar_len(shm.get(), bar2_number);
	if (err)
		return t.fail("BAR2 start: %d", err);
	if (r.len != bar2_len || r.start == 0)
		return t.fail("BAR2 at %#llx, %llu bytes; want %zu bytes", r.start, r.len, bar2_len);
	return body(shm.get(), r);
}

verdict iomem_mapping_sees_the_bar(context &t)
{
	return on_bar2_range(t, [&](pci_dev *pdev, const phys_range &r) {
		ull bad;
		if (ioview_shim_pci_bar_start(pdev, 6, &bad) != -einval ||
		    ioview_shim_pci_bar_start(pdev, 1, &bad) != -enodev)
			return t.fail("BAR start of BAR6/BAR1 was not refused with -EINVAL/-ENODEV");
		{
			auto b = bar_mapping<bar2>::map(pdev, bar2_number);
			if (!b)
				return t.fail("map BAR2 failed with %d", b.error());
			auto page = b.value().view().region_at<page_region, iomem_off>();
			for (usize i = 0; i < 8; ++i)
				if (!page.try_write64(8 * i, pattern64(i)))
					return t.fail("an in-range try_write64 at +%zu was refused", 8 * i);
			page.write32<0x800>(0x10e0e0e0);
		}	// BAR2 released: iomem_mapping may request it now

		{
			auto im = iomem_mapping<bar2>::map(r.start, r.len);
			if (!im)
				return t.fail("iomem map of BAR2 (%#llx, %llu bytes) failed with %d", r.start, r.len, im.error());
			if (im.value().size() != bar2_len || im.value().phys() != r.start)
				return t.fail("iomem mapping has %zu bytes at %#llx", im.value().size(), im.value().phys());
			auto page = im.value().view().region_at<page_region, iomem_off>();
			for (usize i = 0; i < 8; ++i) {
				u64 got = page.try_read64(8 * i).value_or(0);
				if (got != pattern64(i))
					return t.fail("iomem reads %#llx at +%zu, want %#llx", static_cast<ull>(got), 8 * i,
						      static_cast<ull>(pattern64(i)));
			}
			u64 copied[8];
			if (!copy_to_slice(page.at_offset<u64[8], 0>(), copied, 8))
				return t.fail("copy_to_slice over the iomem mapping was refused");
			for (usize i = 0; i < 8; ++i)
				if (copied[i] != pattern64(i))
					return t.fail("iomem block copy word %zu is %#llx", i, static_cast<ull>(copied[i]));
			if (page.read32<0x800>() != 0x10e0e0e0)
				return t.fail("iomem reads %#x at +0x800", page.read32<0x800>());
			page.write32<0x804>(0x0e0e0e01);
		}

		// Part of the BAR: one page at its physical address.
		{
			auto part = iomem_mapping<page_region>::map(r.start + iomem_off, 0x1000);
			if (!part)
				return t.fail("iomem map of one page of BAR2 failed with %d", part.error());
			auto page = part.value().view();
			if (page.size() != 0x1000 || page.read64<56>() != pattern64(7) || page.read32<0x804>() != 0x0e0e0e01)
				return t.fail("one-page iomem mapping: %zu bytes, reads %#llx/%#x", page.size(),
					      static_cast<ull>(page.read64<56>()), page.read32<0x804>());
		}

		auto b = bar_mapping<bar2>::map(pdev, bar2_number);
		if (!b)
			return t.fail("map BAR2 after the iomem mappings failed with %d", b.error());
		auto page = b.value().view().region_at<page_region, iomem_off>();
		u32 written = page.read32<0x804>();
		for (usize i = 0; i < 8; ++i)
			if (!page.try_write64(8 * i, 0))
				return t.fail("clearing +%zu was refused", 8 * i);
		page.write64<0x800>(0);
		if (written != 0x0e0e0e01)
			return t.fail("the BAR mapping reads %#x where the iomem mapping wrote 0x0e0e0e01", written);
		return t.pass();
	});
}

verdict iomem_mapping_refuses_cleanly(context &t)
{
	return on_bar2_range(t, [&](pci_dev *pdev, const phys_range &r) {
		auto big = iomem_mapping<larger_than_bar2>::map(r.start, r.len);
		if (big.ok() || big.error() != -enxio)
			return t.fail("1 MiB mapped as 2 MiB gave %d, want %d", big.error(), -enxio);
		// Had the refused map kept its request, this one would get -EBUSY.
		auto right = iomem_mapping<bar2>::map(r.start, r.len);
		if (!right)
			return t.fail("iomem map of BAR2 right after the refused one failed with %d", right.error());
		right.value().reset();
		auto empty = iomem_mapping<region<4>>::map(r.start, 0);
		auto wraps = iomem_mapping<region<4>>::map(~0ull - 0xfff, 0x2000);
		if (empty.error() != -einval || wraps.error() != -einval)
			return t.fail("empty/wrapping ranges gave %d/%d, want %d", empty.error(), wraps.error(), -einval);
		// Mapped, then refused for T's alignment (BAR2 + 4 is not 8-aligned): must be unmapped and released.
		auto misaligned = iomem_mapping<page_region>::map(r.start + 4, 0x1000);
		if (misaligned.error() != -einval)
			return t.fail("a 4-aligned mapping of an 8-aligned region gave %d, want %d", misaligned.error(), -einval);
		auto aligned4 = iomem_mapping<region<0x1000, ivshmem_tag, 4>>::map(r.start + 4, 0x1000);
		if (!aligned4)
			return t.fail("the same range as a 4-aligned region failed with %d (left requested?)", aligned4.error());
		aligned4.value().reset();
		// Nothing of the refused ones is still requested: the whole BAR maps both ways.
		auto whole = iomem_mapping<bar2>::map(r.start, r.len);
		if (!whole)
			return t.fail("iomem map of BAR2 after the refusals failed with %d", whole.error());
		whole.value().reset();
		auto b = bar_mapping<bar2>::map(pdev, bar2_number);
		if (!b)
			return t.fail("map BAR2 after the refusals failed with %d", b.error());
		return t.pass();
	});
}

verdict iomem_mapping_is_exclusive(context &t)
{
	return on_bar2_range(t, [&](pci_dev *pdev, const phys_range &r) {
		auto first = iomem_mapping<bar2>::map(r.start, r.len);
		if (!first)
			return t.fail("first iomem map failed with %d", first.error());
		auto again = iomem_mapping<bar2>::map(r.start, r.len);
		auto part = iomem_mapping<page_region>::map(r.start + iomem_off, 0x1000);
		auto bar = bar_mapping<bar2>::map(pdev, bar2_number);
		if (again.error() != -ebusy || part.error() != -ebusy || bar.error() != -ebusy)
			return t.fail("while held: iomem/part/BAR map gave %d/%d/%d, want %d", again.error(), part.error(),
				      bar.error(), -ebusy);

		// Move construction hands the request over; destroying the target gives it back.
		{
			iomem_mapping<bar2> inner = first.take();
			if (first.value().mapped() || first.value().size() != 0 || inner.size() != bar2_len)
				return t.fail("move left source size %zu, target size %zu", first.value().size(), inner.size());
			if (iomem_mapping<bar2>::map(r.start, r.len).error() != -ebusy)
				return t.fail("the moved-to mapping does not hold the request");
		}
		auto held_by_bar = bar_mapping<bar2>::map(pdev, bar2_number);
		if (!held_by_bar)
			return t.fail("map BAR2 after the iomem owner's destruction failed with %d", held_by_bar.error());
		if (iomem_mapping<page_region>::map(r.start, 0x1000).error() != -ebusy)
			return t.fail("iomem map of a page of a mapped BAR was not refused with -EBUSY");
		held_by_bar.value().reset();

		// Move assignment releases what the target held before.
		auto a = iomem_mapping<page_region>::map(r.start, 0x1000);
		auto c = iomem_mapping<page_region>::map(r.start + 0x1000, 0x1000);
		if (!a || !c)
			return t.fail("two page mappings gave %d/%d", a.error(), c.error());
		a.value() = c.take();
		if (a.value().phys() != r.start + 0x1000 || c.value().mapped())
			return t.fail("move assignment: target at %#llx, source mapped=%d", a.value().phys(), c.value().mapped());
		auto first_page = iomem_mapping<page_region>::map(r.start, 0x1000);
		auto second_page = iomem_mapping<page_region>::map(r.start + 0x1000, 0x1000);
		if (!first_page || second_page.error() != -ebusy)
			return t.fail("after move assignment: old page %d, new page %d", first_page.error(), second_page.error());
		return t.pass();
	});
}

// Writes the witness (see the top of this file) and reads it back by
// scalars and by memcpy_fromio().  The host checks the same bytes in the
// file after the VM is gone.
verdict witness_pattern(context &t)
{
	kbuffer buf(witness_block_len);
	if (!buf.get())
		return t.fail("no memory for a %zu-byte buffer", witness_block_len);
	u8 *mem = buf.get();

	return on_bar2<bar2>(t, [&](bar_mapping<bar2> &m) {
		auto bar = m.view();
		auto page = bar.at_offset<witness_page, witness_page_off>();
		auto bytes = IOVIEW_PROJECT(page, bytes);
		auto halves = IOVIEW_PROJECT(page, halves);
		auto words = IOVIEW_PROJECT(page, words);
		auto quads = IOVIEW_PROJECT(page, quads);

		// The page: one scalar access per element, through typed projections.
		for (usize i = 0; i < bytes.length(); ++i)
			bytes.try_at(i).value().write_val(witness_byte(i));
		for (usize i = 0; i < halves.length(); ++i)
			halves.try_at(i).value().write_val(witness_half(i));
		for (usize i = 0; i < words.length(); ++i)
			words.try_at(i).value().write_val(witness_word(i));
		for (usize i = 0; i < quads.length(); ++i)
			quads.try_at(i).value().write_val(witness_quad(i));

		// Read back through the region's untyped accessors...
		for (usize i = 0; i < 1024; ++i)
			if (bar.try_read8(witness_page_off + i).value_or(0) != witness_byte(i))
				return t.fail("witness byte %zu reads %#x", i, bar.try_read8(witness_page_off + i).value_or(0));
		for (usize i = 0; i < 128; ++i) {
			u64 q = bar.try_read64(witness_page_off + 0xc00 + 8 * i).value_or(0);
			if (q != witness_quad(i))
				return t.fail("witness quad %zu reads %#llx", i, static_cast<ull>(q));
		}
		// ...and as one block, against the page rebuilt in memory.
		if (!copy_to_slice(bar.at_offset<u8[0x1000], witness_page_off>(), mem, 0x1000))
			return t.fail("copy_to_slice of the witness page was refused");
		for (usize i = 0; i < 0x1000; ++i) {
			u8 want;
			if (i < 0x400)
				want = witness_byte(i);
			else if (i < 0x800)
				want = static_cast<u8>(witness_half((i - 0x400) / 2) >> 8 * (i % 2));
			else if (i < 0xc00)
				want = static_cast<u8>(witness_word((i - 0x800) / 4) >> 8 * (i % 4));
			else
				want = static_cast<u8>(witness_quad((i - 0xc00) / 8) >> 8 * (i % 8));
			if (mem[i] != want)
				return t.fail("witness page byte %#zx copies as %#x, want %#x", i, mem[i], want);
		}

		// The block: one memcpy_toio() of the whole buffer.
		auto block = bar.at_offset<u8[witness_block_len], witness_block_off>();
		for (usize i = 0; i < witness_block_len; ++i)
			mem[i] = witness_block_byte(i);
		if (!copy_from_slice(block, mem, witness_block_len))
			return t.fail("copy_from_slice of the witness block was refused");
		for (usize i = 0; i < witness_block_len; ++i)
			mem[i] = 0;
		for (usize i = 0; i < witness_block_len; i += 0x1001) {
			u8 got = block.try_at(i).value().read_val();
			if (got != witness_block_byte(i))
				return t.fail("witness block byte %#zx reads %#x, want %#x", i, got, witness_block_byte(i));
		}
		if (!copy_to_slice(block, mem, witness_block_len))
			return t.fail("copy_to_slice of the witness block was refused");
		for (usize i = 0; i < witness_block_len; ++i)
			if (mem[i] != witness_block_byte(i))
				return t.fail("witness block byte %#zx copies as %#x, want %#x", i, mem[i],
					      witness_block_byte(i));
		return t.pass();
	});
}

constinit const test_case ivshmem_cases[] = {
	{ "scalar_widths_round_trip", scalar_widths_round_trip },
	{ "memcpy_toio_into_a_projected_subrange", memcpy_toio_into_a_projected_subrange },
	{ "subrange_offsets_add_up", subrange_offsets_add_up },
	{ "bounds_errors_make_no_access", bounds_errors_make_no_access },
	{ "too_large_minimum_fails_and_stays_free", too_large_minimum_fails_and_stays_free },
	{ "iomem_mapping_sees_the_bar", iomem_mapping_sees_the_bar },
	{ "iomem_mapping_refuses_cleanly", iomem_mapping_refuses_cleanly },
	{ "iomem_mapping_is_exclusive", iomem_mapping_is_exclusive },
	// Last: nothing may write BAR2 after it.
	{ "witness_pattern", witness_pattern },
};

} // namespace

constinit const suite ivshmem_suite{ "ioview_ivshmem_bar2", ivshmem_cases };

} // namespace ioview::kernel::selftest
