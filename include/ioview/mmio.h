/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file mmio.h
 * @brief The MMIO backend, parameterized by the accessors that reach the bus.
 *
 * `mmio<A>` turns a set of readl()/writel()-like accessors into a backend: its handle is the
 * `__iomem` address, its byte order little endian (readl() returns the CPU value of a
 * little-endian device word), its capabilities exactly those @p A provides. The library itself
 * never names a kernel function: the kernel module supplies accessors that match the kernel's
 * own (kmod/kernel/mmio.h), tests supply ones that work on ordinary memory.
 *
 * What an accessor policy @p A provides (static functions, argument order as the kernel's):
 *
 * | required | optional |
 * | --- | --- |
 * | `read8/16/32(const volatile void *)`, `write8/16/32(uN, volatile void *)` | `read64`/`write64` (used on 64-bit targets only) |
 * | | `read8_relaxed` ... `write64_relaxed` (per width, both directions) |
 * | | `copy_from_io(void *dst, const volatile void *src, usize n)`, `copy_to_io(volatile void *dst, const void *src, usize n)` |
 *
 * With the block copies, copy_read()/copy_write() and friends use them (memcpy_fromio() and
 * memcpy_toio() pick access widths the bus tolerates); without them, copies go access by access.
 *
 * Example (accessors over ordinary memory, as a test would write them):
 * ```cpp
 * struct plain_accessors {
 *         static ioview::u8 read8(const volatile void *a) { return *static_cast<const volatile ioview::u8 *>(a); }
 *         static ioview::u16 read16(const volatile void *a) { return *static_cast<const volatile ioview::u16 *>(a); }
 *         static ioview::u32 read32(const volatile void *a) { return *static_cast<const volatile ioview::u32 *>(a); }
 *         static void write8(ioview::u8 v, volatile void *a) { *static_cast<volatile ioview::u8 *>(a) = v; }
 *         static void write16(ioview::u16 v, volatile void *a) { *static_cast<volatile ioview::u16 *>(a) = v; }
 *         static void write32(ioview::u32 v, volatile void *a) { *static_cast<volatile ioview::u32 *>(a) = v; }
 * };
 * using plain_mmio = ioview::mmio<plain_accessors>;
 * static_assert(ioview::capable<plain_mmio, 4>);
 * static_assert(!ioview::capable<plain_mmio, 8>);           // the policy has no read64
 * static_assert(!ioview::relaxed_capable<plain_mmio, 4>);   // nor relaxed forms
 *
 * ioview::u32 mmio_example()
 * {
 *         alignas(8) ioview::u32 regs[4] = { 0x010000ed, 0, 0, 0 };
 *         auto bar = plain_mmio::try_view<ioview::region<16>>(regs, sizeof(regs));
 *         if (!bar)
 *                 return 0;
 *         bar.value().write32<4>(1);
 *         return bar.value().read32<0>();   // 0x010000ed on a little-endian CPU
 * }
 * ```
 */
#ifndef IOVIEW_MMIO_H
#define IOVIEW_MMIO_H

#include <ioview/view.h>

namespace ioview {

/**
 * @brief The accessors every MMIO policy must have: 8, 16 and 32-bit reads and writes.
 *
 * ```cpp
 * struct only_reads {
 *         static ioview::u32 read32(const volatile void *) { return 0; }
 * };
 * static_assert(!ioview::mmio_accessors<only_reads>);
 * ```
 */
template <typename A>
concept mmio_accessors = requires(const volatile void *src, volatile void *dst) {
	{ A::read8(src) } -> detail::same_as<u8>;
	{ A::read16(src) } -> detail::same_as<u16>;
	{ A::read32(src) } -> detail::same_as<u32>;
	A::write8(u8{}, dst);
	A::write16(u16{}, dst);
	A::write32(u32{}, dst);
};

namespace detail {
template <typename A>
concept mmio_has_64 = requires(const volatile void *src, volatile void *dst) {
	{ A::read64(src) } -> same_as<u64>;
	A::write64(u64{}, dst);
};
template <typename A>
concept mmio_has_relaxed8 = requires(const volatile void *src, volatile void *dst) {
	{ A::read8_relaxed(src) } -> same_as<u8>;
	A::write8_relaxed(u8{}, dst);
};
template <typename A>
concept mmio_has_relaxed16 = requires(const volatile void *src, volatile void *dst) {
	{ A::read16_relaxed(src) } -> same_as<u16>;
	A::write16_relaxed(u16{}, dst);
};
template <typename A>
concept mmio_has_relaxed32 = requires(const volatile void *src, volatile void *dst) {
	{ A::read32_relaxed(src) } -> same_as<u32>;
	A::write32_relaxed(u32{}, dst);
};
template <typename A>
concept mmio_has_relaxed64 = requires(const volatile void *src, volatile void *dst) {
	{ A::read64_relaxed(src) } -> same_as<u64>;
	A::write64_relaxed(u64{}, dst);
};
template <typename A>
concept mmio_has_block_copy = requires(const volatile void *src, volatile void *dst, void *mem, const void *cmem,
				       usize n) {
	A::copy_from_io(mem, src, n);
	A::copy_to_io(dst, cmem, n);
};
} // namespace detail

/**
 * @brief The MMIO backend over accessor policy @p A. Handle: the mapped (`__iomem`) address.
 *
 * 64-bit accessors exist only where @p A has them and the target has native 64-bit accesses
 * (has_64bit_access), so a u64 register is never split into halves behind the caller's back.
 * Relaxed accessors and the block copy exist where @p A has them.
 *
 * Invariant of its views: the address stays mapped for as long as the view is used (an owner
 * such as the kernel module's BAR mapping guarantees it; the view does not).
 */
template <mmio_accessors A> struct mmio {
	/** @brief A location: the mapped (`__iomem`) address. */
	using handle = volatile void *;
	/** @brief The accessor policy the backend calls. */
	using accessors = A;
	/** @brief MMIO registers are little endian (what readl() returns). */
	static constexpr byte_order order = byte_order::little;

	/** @brief The mapped address as a number. */
	static uptr address(handle h) noexcept { return reinterpret_cast<uptr>(h); }
	/** @brief The handle @p n bytes further on. */
	static handle offset(handle h, usize n) noexcept { return static_cast<volatile u8 *>(h) + n; }

	/** @name Scalar accessors */
	///@{
	/** @brief One call of the policy's accessor of the width in the name (readb() ... readq()). */
	static u8 read8(handle h) noexcept { return A::read8(h); }
	static u16 read16(handle h) noexcept { return A::read16(h); }
	static u32 read32(handle h) noexcept { return A::read32(h); }
	static u64 read64(handle h) noexcept
		requires(has_64bit_access && detail::mmio_has_64<A>)
	{
		return A::read64(h);
	}
	static void write8(handle h, u8 v) noexcept { A::write8(v, h); }
	static void write16(handle h, u16 v) noexcept { A::write16(v, h); }
	static void write32(handle h, u32 v) noexcept { A::write32(v, h); }
	static void write64(handle h, u64 v) noexcept
		requires(has_64bit_access && detail::mmio_has_64<A>)
	{
		A::write64(v, h);
	}

	///@}
	/** @name Relaxed scalar accessors */
	///@{
	/** @brief One call of the policy's relaxed accessor of that width (readl_relaxed() and friends). */
	static u8 read8_relaxed(handle h) noexcept requires detail::mmio_has_relaxed8<A> { return A::read8_relaxed(h); }
	static u16 read16_relaxed(handle h) noexcept requires detail::mmio_has_relaxed16<A>
	{
		return A::read16_relaxed(h);
	}
	static u32 read32_relaxed(handle h) noexcept requires detail::mmio_has_relaxed32<A>
	{
		return A::read32_relaxed(h);
	}
	static u64 read64_relaxed(handle h) noexcept
		requires(has_64bit_access && detail::mmio_has_relaxed64<A>)
	{
		return A::read64_relaxed(h);
	}
	static void write8_relaxed(handle h, u8 v) noexcept requires detail::mmio_has_relaxed8<A>
	{
		A::write8_relaxed(v, h);
	}
	static void write16_relaxed(handle h, u16 v) noexcept requires detail::mmio_has_relaxed16<A>
	{
		A::write16_relaxed(v, h);
	}
	static void write32_relaxed(handle h, u32 v) noexcept requires detail::mmio_has_relaxed32<A>
	{
		A::write32_relaxed(v, h);
	}
	static void write64_relaxed(handle h, u64 v) noexcept
		requires(has_64bit_access && detail::mmio_has_relaxed64<A>)
	{
		A::write64_relaxed(v, h);
	}

	///@}
	/** @brief Block copy out of MMIO (memcpy_fromio()); see block_copy_capable in copy.h. */
	static void copy_from(handle h, void *dst, usize n) noexcept requires detail::mmio_has_block_copy<A>
	{
		A::copy_from_io(dst, h, n);
	}
	/** @brief Block copy into MMIO (memcpy_toio()). */
	static void copy_to(handle h, const void *src, usize n) noexcept requires detail::mmio_has_block_copy<A>
	{
		A::copy_to_io(h, src, n);
	}

	/**
	 * @brief A view of T over @p bytes of mapped I/O memory at @p base, checked.
	 *
	 * T may be a fixed-size type, a region (the view then covers @p bytes) or a slice.
	 * @return the view; -EFAULT for a null @p base; -EINVAL if @p base is not aligned to
	 * known_size<T>::min_align, if @p bytes is below the minimum size, or for a region not a
	 * multiple of 4, or for a slice not a multiple of the element size.
	 *
	 * ```cpp
	 * template <typename Mmio>
	 * ioview::result<ioview::view<Mmio, ioview::region<0x100>>> registers(volatile void *base, ioview::usize len)
	 * {
	 *         return Mmio::template try_view<ioview::region<0x100>>(base, len);
	 * }
	 * ```
	 */
	template <typename T> static result<view<mmio, T>> try_view(volatile void *base, usize bytes) noexcept
	{
		if (base == nullptr) [[unlikely]]
			return result<view<mmio, T>>(fail(efault));
		return detail::checked_view<mmio, T>(backend_key<mmio>{}, base, bytes);
	}

	/**
	 * @brief A slice of @p count elements E of mapped I/O memory at @p base; errors as
	 * sysmem::try_slice().
	 */
	template <typename E> static result<view<mmio, slice<E>>> try_slice(volatile void *base, usize count) noexcept
	{
		if (base == nullptr) [[unlikely]]
			return result<view<mmio, slice<E>>>(fail(efault));
		return detail::checked_slice<mmio, E>(backend_key<mmio>{}, base, count);
	}
};

} // namespace ioview

#endif /* IOVIEW_MMIO_H */
