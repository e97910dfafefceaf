// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::coherent_buffer<T>: owned DMA-coherent memory of a PCI
// function (dma_alloc_coherent()/dma_free_coherent()), handing out views
// that carry the DMA address along with the CPU address.
//
//     struct ring { u32 head; u32 tail; desc slots[64]; };
//
//     int setup(pci_dev *pdev, my_state &st)
//     {
//             int err = ioview_shim_dma_set_mask_and_coherent(pdev, 32);
//             if (err)
//                     return err;                     // -EIO: the platform cannot
//             auto r = ioview::kernel::coherent_buffer<ring>::allocate(pdev);
//             if (!r)
//                     return r.error();               // -ENOMEM
//             st.ring = r.take();                     // zeroed
//             auto tail = IOVIEW_PROJECT(st.ring.view(), tail);
//             write_ring_tail_address(ioview::dma_address(tail));  // DMA address of that field
//             return 0;
//     }                                               // st.ring freed with st
//
// Lifetime: a buffer must be destroyed (or reset()) before its function is
// unbound, i.e. at the latest in the driver's remove(), because the memory
// belongs to the device's DMA setup (its mask, its IOMMU domain).  Keep it
// in per-device driver data torn down by remove(), or in a scope that
// holds the device, as the self-tests do with selftest_device.  Destruction
// may sleep (dma_free_coherent() is process context only), and must come
// after the device has stopped using the memory.  Views are plain handles
// and do not keep the buffer alive.
//
// Moving hands the memory over and leaves the source empty; copying does
// not compile.
#ifndef IOVIEW_KMOD_COHERENT_BUFFER_H
#define IOVIEW_KMOD_COHERENT_BUFFER_H

#include <ioview/coherent.h>

#include "kernel/errno.h"
#include "kernel/owned_result.h"
#include "shim/shim.h"

namespace ioview::kernel {

/// The smallest alignment dma_alloc_coherent() gives both addresses: a page.
inline constexpr usize coherent_alignment = 4096;

/**
 * An owned DMA-coherent allocation viewed as a T: a fixed-size plain-data
 * type (allocate()) or a slice<E> of plain-data elements (allocate_slice()).
 *
 * Invariants while it owns memory: view() covers exactly size() bytes, its
 * CPU and DMA addresses are the ones dma_alloc_coherent() returned, and the
 * destructor frees them with that same size and device.
 *
 *     auto b = coherent_buffer<slice<u64>>::allocate_slice(pdev, 512);
 *     if (b)
 *             b.value().view().try_at(7).value().write_val(0);
 */
template <typename T> class coherent_buffer {
	using size_info = known_size<T>;

	static consteval bool plain_target()
	{
		if constexpr (size_info::is_slice)
			return plain_data<typename ioview::detail::slice_element<T>::type>;
		else
			return plain_data<T>;
	}

	// The device can write any bytes here, so every bit pattern must be a valid T.
	static_assert(!size_info::is_region, "ioview: coherent_buffer holds a typed T or a slice<E>, not a region");
	static_assert(plain_target(), "ioview: coherent_buffer needs plain data (specialize enable_plain_data)");
	static_assert(size_info::min_align <= coherent_alignment,
		      "ioview: coherent memory is only page-aligned; T needs more");

public:
	using view_type = ioview::view<coherent, T>;

	/**
	 * Allocates one zeroed T for @p pdev's DMA.  May sleep.  (dma_alloc_coherent()
	 * clears what it returns, since 5.0; the self-tests check it.)
	 *
	 * Errors, leaving nothing allocated: -ENOMEM (no memory, or none within
	 * the device's coherent DMA mask).
	 */
	static owned_result<coherent_buffer> allocate(pci_dev *pdev) noexcept
		requires(!size_info::is_dynamic)
	{
		return allocate_bytes(pdev, sizeof(T));
	}

	/**
	 * Allocates a zeroed slice of @p n elements for @p pdev's DMA.  May sleep.
	 *
	 * Errors, leaving nothing allocated: -EINVAL for @p n == 0; -ENOMEM when
	 * @p n elements do not fit in a size_t, or no memory can be had.
	 */
	static owned_result<coherent_buffer> allocate_slice(pci_dev *pdev, usize n) noexcept
		requires(size_info::is_slice)
	{
		using E = typename ioview::detail::slice_element<T>::type;
		usize bytes;

		if (n == 0)
			return fail(einval);
		if (__builtin_mul_overflow(n, sizeof(E), &bytes))
			return fail(enomem);
		return allocate_bytes(pdev, bytes);
	}

	/// An empty buffer: owns nothing, has no view.
	coherent_buffer() noexcept = default;

	coherent_buffer(coherent_buffer &&other) noexcept
		: pdev_(other.pdev_), cpu_(other.cpu_), dma_(other.dma_), bytes_(other.bytes_)
	{
		other.forget();
	}

	coherent_buffer &operator=(coherent_buffer &&other) noexcept
	{
		if (this != &other) {
			reset();
			pdev_ = other.pdev_;
			cpu_ = other.cpu_;
			dma_ = other.dma_;
			bytes_ = other.bytes_;
			other.forget();
		}
		return *this;
	}

	coherent_buffer(const coherent_buffer &) = delete;
	coherent_buffer &operator=(const coherent_buffer &) = delete;

	~coherent_buffer() { reset(); }

	/// Frees the memory now (may sleep); the buffer is empty afterwards.
	void reset() noexcept
	{
		if (cpu_)
			ioview_shim_dma_free_coherent(pdev_, bytes_, cpu_, dma_);
		forget();
	}

	/// Whether this owns memory.
	bool allocated() const noexcept { return cpu_ != nullptr; }
	explicit operator bool() const noexcept { return allocated(); }

	/// The view of the whole buffer, carrying its DMA address; precondition allocated().
	view_type view() const noexcept
	{
		// dma_alloc_coherent() memory is page-aligned on both sides and bytes_ is the exact
		// size, so the backend's checked constructor cannot refuse (or trap) here.
		return ioview::coherent::try_view<T>(cpu_, dma_, bytes_).value();
	}

	/// The DMA address of the first byte (what dma_alloc_coherent() returned); 0 when empty.
	u64 dma_address() const noexcept { return dma_; }
	/// Bytes allocated (sizeof(T), or n * sizeof(E)); 0 when empty.
	usize size() const noexcept { return bytes_; }

private:
	static owned_result<coherent_buffer> allocate_bytes(pci_dev *pdev, usize bytes) noexcept
	{
		void *cpu = nullptr;
		unsigned long long dma = 0;
		int err = ioview_shim_dma_alloc_coherent(pdev, bytes, &cpu, &dma);
		if (err)
			return failure{ err };

		coherent_buffer b;
		b.pdev_ = pdev;
		b.cpu_ = cpu;
		b.dma_ = dma;
		b.bytes_ = bytes;
		// From here on the destructor of b frees the memory.  The kernel
		// returns page-aligned addresses; the check keeps the view's
		// invariants from resting on that alone.
		auto checked = coherent::try_view<T>(cpu, dma, bytes);
		if (!checked)
			return failure{ checked.error() };
		return static_cast<coherent_buffer &&>(b);
	}

	void forget() noexcept
	{
		pdev_ = nullptr;
		cpu_ = nullptr;
		dma_ = 0;
		bytes_ = 0;
	}

	pci_dev *pdev_ = nullptr;
	void *cpu_ = nullptr;
	u64 dma_ = 0;
	usize bytes_ = 0;	// sizeof(T), or the slice's count * sizeof(E): view() derives the count
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_COHERENT_BUFFER_H
