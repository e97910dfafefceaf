/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file sysmem.h
 * @brief Backend for ordinary system memory accessed with volatile loads and stores.
 *
 * For memory shared with a device or another agent (DMA buffers, shared pages) and for tests.
 * Works in the kernel and in userspace. Byte order: native. Every access is a single volatile
 * load or store of the access width, so the compiler neither elides, merges, splits nor
 * reorders it against other volatile accesses; there is no CPU barrier (see doc/memory-order.md).
 *
 * Example:
 * ```cpp
 * ioview::u32 sysmem_example()
 * {
 *         alignas(8) unsigned char buf[64] = {};
 *         auto r = ioview::sysmem::try_view<ioview::region<64>>(buf, sizeof(buf));
 *         if (!r)
 *                 return 0;
 *         r.value().write32<8>(0xabcd);
 *         return r.value().read32<8>();
 * }
 * ```
 */
#ifndef IOVIEW_SYSMEM_H
#define IOVIEW_SYSMEM_H

#include <ioview/view.h>

namespace ioview {

struct coherent;

/**
 * @brief The system-memory backend. Handle: a plain pointer.
 *
 * Invariant of its views: the pointer refers to memory that stays valid and mapped for as
 * long as the view is used; alignment and size as for every view.
 */
struct sysmem {
	/** @brief A location: a plain pointer. */
	using handle = void *;
	/** @brief The scalar accessors use the CPU's byte order. */
	static constexpr byte_order order = byte_order::native;

	/** @brief The pointer as a number (its low bits give the alignment). */
	static uptr address(handle h) noexcept { return reinterpret_cast<uptr>(h); }
	/** @brief The handle @p n bytes further on. */
	static handle offset(handle h, usize n) noexcept { return static_cast<unsigned char *>(h) + n; }

	/** @name Scalar accessors */
	///@{
	/** @brief One volatile load or store of the width in the name: compiler order only. */
	static u8 read8(handle h) noexcept { return *static_cast<volatile u8 *>(h); }
	static u16 read16(handle h) noexcept { return *static_cast<volatile u16 *>(h); }
	static u32 read32(handle h) noexcept { return *static_cast<volatile u32 *>(h); }
	static void write8(handle h, u8 v) noexcept { *static_cast<volatile u8 *>(h) = v; }
	static void write16(handle h, u16 v) noexcept { *static_cast<volatile u16 *>(h) = v; }
	static void write32(handle h, u32 v) noexcept { *static_cast<volatile u32 *>(h) = v; }
#if __SIZEOF_POINTER__ == 8
	static u64 read64(handle h) noexcept { return *static_cast<volatile u64 *>(h); }
	static void write64(handle h, u64 v) noexcept { *static_cast<volatile u64 *>(h) = v; }
#endif
	///@}

	/** @name Relaxed scalar accessors */
	///@{
	/** @brief The same access as without `_relaxed`: a volatile access carries no barrier already. */
	static u8 read8_relaxed(handle h) noexcept { return read8(h); }
	static u16 read16_relaxed(handle h) noexcept { return read16(h); }
	static u32 read32_relaxed(handle h) noexcept { return read32(h); }
	static void write8_relaxed(handle h, u8 v) noexcept { write8(h, v); }
	static void write16_relaxed(handle h, u16 v) noexcept { write16(h, v); }
	static void write32_relaxed(handle h, u32 v) noexcept { write32(h, v); }
#if __SIZEOF_POINTER__ == 8
	static u64 read64_relaxed(handle h) noexcept { return read64(h); }
	static void write64_relaxed(handle h, u64 v) noexcept { write64(h, v); }
#endif
	///@}

	/**
	 * @brief A view of an object the caller owns; the reference proves size and alignment.
	 *
	 * ```cpp
	 * void view_of_example()
	 * {
	 *         ioview::u64 counter = 0;
	 *         ioview::sysmem::view_of(counter).write_val(1);
	 * }
	 * ```
	 */
	template <typename T> static view<sysmem, T> view_of(T &object) noexcept
	{
		return view<sysmem, T>::from_handle(backend_key<sysmem>{},
						    const_cast<void *>(static_cast<const volatile void *>(&object)));
	}

	/**
	 * @brief A view of T over @p bytes bytes at @p base, checked.
	 *
	 * T may be a fixed-size type, a region (then @p bytes is its size) or a slice (then
	 * @p bytes / sizeof(E) elements).
	 * @return the view; -EFAULT for a null @p base; -EINVAL if @p base is not aligned to
	 * known_size<T>::min_align, if @p bytes is below the minimum size, or for a region not a
	 * multiple of 4, or for a slice not a multiple of the element size.
	 */
	template <typename T> static result<view<sysmem, T>> try_view(void *base, usize bytes) noexcept
	{
		if (base == nullptr) [[unlikely]]
			return result<view<sysmem, T>>(fail(efault));
		return detail::checked_view<sysmem, T>(backend_key<sysmem>{}, base, bytes);
	}

	/**
	 * @brief A slice of @p count elements E at @p base, checked.
	 * @return the view; -EFAULT for a null @p base; -EINVAL if @p base is not aligned for E or
	 * @p count elements do not fit in the address space.
	 *
	 * ```cpp
	 * ioview::usize ring_length(ioview::u64 (&ring)[16])
	 * {
	 *         auto v = ioview::sysmem::try_slice<ioview::u64>(ring, 16);
	 *         return v ? v.value().length() : 0;   // 16
	 * }
	 * ```
	 */
	template <typename E> static result<view<sysmem, slice<E>>> try_slice(void *base, usize count) noexcept
	{
		if (base == nullptr) [[unlikely]]
			return result<view<sysmem, slice<E>>>(fail(efault));
		return detail::checked_slice<sysmem, E>(backend_key<sysmem>{}, base, count);
	}

private:
	/* coherent::to_sysmem(): a coherent view's CPU side is system memory with the same invariants. */
	friend struct coherent;
	template <typename T, typename... Extent> static view<sysmem, T> adopt(void *cpu, Extent... extent) noexcept
	{
		return view<sysmem, T>::from_handle(backend_key<sysmem>{}, cpu, extent...);
	}
};

} // namespace ioview

#endif /* IOVIEW_SYSMEM_H */
