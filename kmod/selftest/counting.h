// SPDX-License-Identifier: GPL-2.0
//
// The kernel MMIO accessors, counting every access and block copy made
// through them, for self-tests that must show a refused access never
// reached the device.
//
//     auto bar = counting_mmio::try_view<regs>(mapping.view().handle(), mapping.size()).value();
//     counting_mmio_accessors::accesses = 0;
//     auto r = bar.try_read32(past_the_end);          // -ERANGE
//     if (counting_mmio_accessors::accesses != 0)
//             return t.fail("a refused read reached the device");
#ifndef IOVIEW_KMOD_SELFTEST_COUNTING_H
#define IOVIEW_KMOD_SELFTEST_COUNTING_H

#include <ioview/mmio.h>

#include "kernel/mmio.h"

namespace ioview::kernel::selftest {

/**
 * kernel_mmio_accessors plus a count of the calls made through them: every
 * width, relaxed or not, and both block copies.  Self-tests run one at a
 * time (selftest.h), so one counter serves them all; a case resets it
 * before the accesses it watches.
 */
struct counting_mmio_accessors {
	using base = kernel_mmio_accessors;

	/// Calls made since the last reset; defined in selftest/mmio.cpp.
	static usize accesses;

	template <typename R> static R counted(R value) noexcept
	{
		++accesses;
		return value;
	}

	static u8 read8(const volatile void *a) noexcept { return counted(base::read8(a)); }
	static u16 read16(const volatile void *a) noexcept { return counted(base::read16(a)); }
	static u32 read32(const volatile void *a) noexcept { return counted(base::read32(a)); }
	static void write8(u8 v, volatile void *a) noexcept { base::write8(counted(v), a); }
	static void write16(u16 v, volatile void *a) noexcept { base::write16(counted(v), a); }
	static void write32(u32 v, volatile void *a) noexcept { base::write32(counted(v), a); }
	static u8 read8_relaxed(const volatile void *a) noexcept { return counted(base::read8_relaxed(a)); }
	static u16 read16_relaxed(const volatile void *a) noexcept { return counted(base::read16_relaxed(a)); }
	static u32 read32_relaxed(const volatile void *a) noexcept { return counted(base::read32_relaxed(a)); }
	static void write8_relaxed(u8 v, volatile void *a) noexcept { base::write8_relaxed(counted(v), a); }
	static void write16_relaxed(u16 v, volatile void *a) noexcept { base::write16_relaxed(counted(v), a); }
	static void write32_relaxed(u32 v, volatile void *a) noexcept { base::write32_relaxed(counted(v), a); }
#if __SIZEOF_POINTER__ == 8
	static u64 read64(const volatile void *a) noexcept { return counted(base::read64(a)); }
	static void write64(u64 v, volatile void *a) noexcept { base::write64(counted(v), a); }
	static u64 read64_relaxed(const volatile void *a) noexcept { return counted(base::read64_relaxed(a)); }
	static void write64_relaxed(u64 v, volatile void *a) noexcept { base::write64_relaxed(counted(v), a); }
#endif
	static void copy_from_io(void *dst, const volatile void *src, usize n) noexcept
	{
		base::copy_from_io(dst, src, counted(n));
	}
	static void copy_to_io(volatile void *dst, const void *src, usize n) noexcept
	{
		base::copy_to_io(dst, src, counted(n));
	}
};

/// The kmmio backend over the counting accessors.
using counting_mmio = ioview::mmio<counting_mmio_accessors>;

} // namespace ioview::kernel::selftest

#endif // IOVIEW_KMOD_SELFTEST_COUNTING_H
