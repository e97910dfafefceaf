/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file coherent.h
 * @brief Backend for DMA-coherent memory: system memory that a device also reaches, at a bus
 * address of its own.
 *
 * What dma_alloc_coherent() returns is two addresses for the same bytes: the CPU's and the
 * device's (the DMA address, which an IOMMU or a bus offset may make differ from the physical
 * one). A view of this backend carries both, and every projection moves both by the same number
 * of bytes, so the view of a field or an element knows the address to hand to the device for
 * exactly that field or element. dma_address() reads it out of any view.
 *
 * CPU accesses are those of sysmem: one volatile load or store of the access width, native byte
 * order, no CPU barrier; 64-bit accesses only where the target has them. The relaxed forms are
 * the same accesses. Copies, block copies included, are made of those volatile accesses, so the
 * compiler keeps every one of them even though the memory looks like ordinary RAM. Ordering
 * against the device is the caller's business (see doc/memory-order.md: the kernel's dma_wmb()
 * and dma_rmb(), or a non-relaxed MMIO access).
 *
 * Works in the kernel and in userspace; the library never allocates. The kernel module's
 * owner of an allocation is kmod/kernel/coherent_buffer.h.
 *
 * Example (a descriptor ring; the device is told where descriptor 2's buffer address lives):
 * ```cpp
 * struct tx_desc {
 *         ioview::u64 buf;
 *         ioview::u32 len;
 *         ioview::u32 flags;
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<tx_desc> = true;
 *
 * ioview::u64 coherent_example()
 * {
 *         tx_desc ring[4] = {};   // stands for memory from dma_alloc_coherent()
 *         auto v = ioview::coherent::view_of(ring, 0x1000'0000);
 *         auto d2 = v.at<2>();
 *         IOVIEW_PROJECT(d2, len).write_val(64);              // one 32-bit store at ring[2].len
 *         return ioview::dma_address(IOVIEW_PROJECT(d2, buf)); // 0x1000'0000 + 2 * 16
 * }
 * ```
 */
#ifndef IOVIEW_COHERENT_H
#define IOVIEW_COHERENT_H

#include <ioview/sysmem.h>

namespace ioview {

/**
 * @brief The DMA-coherent backend. Handle: the CPU address and the DMA address of one location.
 *
 * Invariants of its views, besides those of every view:
 * - `cpu` and `dma_addr` name the same bytes, the first for the CPU, the second for the device
 *   the memory was allocated for; offset() moves both, so for a view projected @p X bytes into
 *   an allocation, `dma_addr` is the allocation's DMA address plus @p X;
 * - the memory stays allocated for as long as the view is used (the view does not own it).
 *
 * The alignment checks of the try_ tier look at the CPU address, as for every backend;
 * try_view() also checks the DMA address against T's minimum alignment. dma_alloc_coherent()
 * returns both addresses page-aligned, so the two agree on every alignment below a page.
 */
struct coherent {
	/** @brief A location: its CPU address and the DMA address of the same bytes. */
	struct handle {
		void *cpu;	///< where the CPU reads and writes
		u64 dma_addr;	///< where the device reads and writes the same bytes
	};
	/** @brief The CPU side is ordinary memory: the CPU's byte order. */
	static constexpr byte_order order = byte_order::native;

	/** @brief The CPU address as a number (the try_ tier checks its alignment). */
	static uptr address(handle h) noexcept { return sysmem::address(h.cpu); }
	/** @brief The handle @p n bytes further on: both addresses move. */
	static handle offset(handle h, usize n) noexcept { return { sysmem::offset(h.cpu, n), h.dma_addr + n }; }

	/** @name Scalar accessors */
	///@{
	/** @brief One volatile access of the width in the name at the CPU address, as sysmem's. */
	static u8 read8(handle h) noexcept { return sysmem::read8(h.cpu); }
	static u16 read16(handle h) noexcept { return sysmem::read16(h.cpu); }
	static u32 read32(handle h) noexcept { return sysmem::read32(h.cpu); }
	static void write8(handle h, u8 v) noexcept { sysmem::write8(h.cpu, v); }
	static void write16(handle h, u16 v) noexcept { sysmem::write16(h.cpu, v); }
	static void write32(handle h, u32 v) noexcept { sysmem::write32(h.cpu, v); }
#if __SIZEOF_POINTER__ == 8
	static u64 read64(handle h) noexcept { return sysmem::read64(h.cpu); }
	static void write64(handle h, u64 v) noexcept { sysmem::write64(h.cpu, v); }
#endif
///@}

	/* The CPU side is ordinary memory: relaxed and default accesses are the same instruction. */
	/** @name Relaxed scalar accessors */
	///@{
	/** @brief The same access as without `_relaxed`: the CPU side has no barrier to drop. */
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

	/*
	 * No block copy (copy_from/copy_to) on purpose: the device writes this memory behind the
	 * compiler's back, and a plain memcpy lets the compiler merge two copies of a descriptor
	 * into one, hoist a copy out of a polling loop or drop the first of two stores. Copies go
	 * through the volatile accessors above instead, each at most 8 bytes (copy.h), so every
	 * access the program asks for happens, once, in program order.
	 */

	/**
	 * @brief A view of an object the caller owns, which the device reaches at @p dma_addr.
	 *
	 * The reference proves the CPU side's size and alignment; the caller vouches for the
	 * DMA address (e.g. in a test, or for memory it mapped itself).
	 *
	 * ```cpp
	 * ioview::u64 view_of_coherent_example()
	 * {
	 *         ioview::u32 doorbell_copy = 0;
	 *         auto v = ioview::coherent::view_of(doorbell_copy, 0x2000);
	 *         v.write_val(1);
	 *         return ioview::dma_address(v);   // 0x2000
	 * }
	 * ```
	 */
	template <typename T> static view<coherent, T> view_of(T &object, u64 dma_addr) noexcept
	{
		return view<coherent, T>::from_handle(
			backend_key<coherent>{}, { const_cast<void *>(static_cast<const volatile void *>(&object)), dma_addr });
	}

	/**
	 * @brief A view of T over @p bytes of coherent memory at CPU address @p cpu and DMA
	 * address @p dma_addr (the two results of dma_alloc_coherent()), checked.
	 *
	 * T may be a fixed-size type, a region or a slice, as for sysmem::try_view().
	 * @return the view; -EFAULT for a null @p cpu; -EINVAL if either address is not aligned
	 * to known_size<T>::min_align, if @p bytes is below the minimum size, or for a region not a
	 * multiple of 4, or for a slice not a multiple of the element size.
	 *
	 * ```cpp
	 * ioview::status clear_ring(void *cpu, ioview::u64 dma, ioview::usize bytes)
	 * {
	 *         auto ring = ioview::coherent::try_view<ioview::slice<ioview::u64>>(cpu, dma, bytes);
	 *         if (!ring)
	 *                 return ring.to_status();   // -EFAULT or -EINVAL
	 *         for (ioview::usize i = 0; i < ring.value().length(); i++)
	 *                 ring.value().try_at(i).value().write_val(0);
	 *         return ioview::status::success();
	 * }
	 * ```
	 */
	template <typename T> static result<view<coherent, T>> try_view(void *cpu, u64 dma_addr, usize bytes) noexcept
	{
		if (cpu == nullptr) [[unlikely]]
			return result<view<coherent, T>>(fail(efault));
		if ((dma_addr & (known_size<T>::min_align - 1)) != 0) [[unlikely]]
			return result<view<coherent, T>>(fail(einval));
		return detail::checked_view<coherent, T>(backend_key<coherent>{}, { cpu, dma_addr }, bytes);
	}

	/**
	 * @brief A ring of @p count elements E at CPU address @p cpu and DMA address @p dma_addr.
	 * @return the view; -EFAULT for a null @p cpu; -EINVAL if either address is not aligned for
	 * E or @p count elements do not fit in the address space.
	 *
	 * ```cpp
	 * ioview::u64 last_slot_address(void *cpu, ioview::u64 dma)
	 * {
	 *         auto ring = ioview::coherent::try_slice<ioview::u64>(cpu, dma, 64);
	 *         if (!ring)
	 *                 return 0;
	 *         return ioview::dma_address(ring.value().try_at(63).value());   // dma + 63 * 8
	 * }
	 * ```
	 */
	template <typename E>
	static result<view<coherent, slice<E>>> try_slice(void *cpu, u64 dma_addr, usize count) noexcept
	{
		if (cpu == nullptr) [[unlikely]]
			return result<view<coherent, slice<E>>>(fail(efault));
		if ((dma_addr & (alignof(E) - 1)) != 0) [[unlikely]]
			return result<view<coherent, slice<E>>>(fail(einval));
		return detail::checked_slice<coherent, E>(backend_key<coherent>{}, { cpu, dma_addr }, count);
	}

	/** @brief The CPU side of @p v as a sysmem view; see the free to_sysmem(). */
	template <typename T> static constexpr view<sysmem, T> to_sysmem(view<coherent, T> v) noexcept
	{
		if constexpr (known_size<T>::is_region)
			return sysmem::adopt<T>(v.handle().cpu, v.size());
		else if constexpr (known_size<T>::is_slice)
			return sysmem::adopt<T>(v.handle().cpu, v.length());
		else
			return sysmem::adopt<T>(v.handle().cpu);
	}
};

/**
 * @brief The DMA address of the first byte of @p v: what to give the device for exactly this
 * field, element or sub-range. Pure arithmetic on the handle; nothing is accessed.
 *
 * ```cpp
 * struct rx_ring {
 *         ioview::u32 head;
 *         ioview::u32 tail;
 *         ioview::u64 slots[8];
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<rx_ring> = true;
 *
 * ioview::u64 slot_address(ioview::view<ioview::coherent, rx_ring> ring, ioview::usize i)
 * {
 *         auto slot = IOVIEW_PROJECT(ring, slots).try_at(i);    // -ERANGE past slot 7
 *         return slot ? ioview::dma_address(slot.value()) : 0;  // ring's DMA address + 8 + 8 * i
 * }
 * ```
 */
template <typename T> [[nodiscard]] constexpr u64 dma_address(view<coherent, T> v) noexcept
{
	return v.handle().dma_addr;
}

/**
 * @brief The same bytes as a plain system-memory view of the same T.
 *
 * For code written against sysmem (a parser, a checksum). The result has no DMA address:
 * projections of it cannot tell the device where they are, so keep the coherent view for
 * anything the device must be told about. Accesses and the ordering rules are unchanged (both
 * backends make the same volatile accesses).
 *
 * ```cpp
 * ioview::u32 sum_words(ioview::view<ioview::sysmem, const ioview::u32[4]> w)
 * {
 *         return w.at<0>().read_val() + w.at<1>().read_val() + w.at<2>().read_val() + w.at<3>().read_val();
 * }
 *
 * ioview::u32 to_sysmem_example(ioview::view<ioview::coherent, const ioview::u32[4]> status_block)
 * {
 *         return sum_words(ioview::to_sysmem(status_block));
 * }
 * ```
 */
template <typename T> [[nodiscard]] constexpr view<sysmem, T> to_sysmem(view<coherent, T> v) noexcept
{
	return coherent::to_sysmem(v);
}

} // namespace ioview

#endif /* IOVIEW_COHERENT_H */
