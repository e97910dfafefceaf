/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file testing/memory.h
 * @brief A plain-memory device for unit tests: a byte array behind a backend that counts every
 * access and stores values in a chosen device byte order.
 *
 * Use it to test driver code written against views without hardware: set the bytes a device
 * would hold, run the code, then look at the bytes and at how many accesses of which width
 * happened (a torn access shows up as two narrow ones).
 *
 * Example:
 * ```cpp
 * void memory_example()
 * {
 *         ioview::testing::memory<16, 8, ioview::byte_order::big> dev;
 *         auto r = dev.region<ioview::region<16>>();
 *         r.write32<4>(0x11223344);
 *         // Big-endian device: the most significant byte comes first in memory.
 *         bool msb_first = dev.bytes()[4] == 0x11;
 *         bool one_write = dev.counts().writes_of(4) == 1;
 *         (void)msb_first;
 *         (void)one_write;
 * }
 * ```
 */
#ifndef IOVIEW_TESTING_MEMORY_H
#define IOVIEW_TESTING_MEMORY_H

#include <ioview/view.h>

namespace ioview::testing {

/** @brief Number of reads and writes seen per access width. */
struct access_counts {
	usize reads[4];  ///< index 0: 1 byte, 1: 2 bytes, 2: 4 bytes, 3: 8 bytes
	usize writes[4]; ///< the same for writes

	/** @brief The index into reads and writes of an access of @p width bytes. */
	static constexpr usize slot(usize width) noexcept { return width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : 3; }
	/** @brief Reads of @p width bytes so far. */
	constexpr usize reads_of(usize width) const noexcept { return reads[slot(width)]; }
	/** @brief Writes of @p width bytes so far. */
	constexpr usize writes_of(usize width) const noexcept { return writes[slot(width)]; }
	/** @brief All accesses of any width. */
	constexpr usize total() const noexcept
	{
		usize n = 0;
		for (usize i = 0; i < 4; i++)
			n += reads[i] + writes[i];
		return n;
	}
};

template <usize Size, usize Align, byte_order Order> class memory;

/**
 * @brief Backend over plain memory with device byte order @p Order and access counting.
 *
 * Handle: (byte pointer, counter pointer). Not volatile: it models a device in tests, not
 * memory shared with one. Its views come from memory.
 */
template <byte_order Order = byte_order::little> struct memory_backend {
	/** @brief A location: the byte in the test memory and the counters to bump. */
	struct handle {
		/** @brief The byte the handle names. */
		unsigned char *bytes;
		/** @brief The counts of the memory the byte belongs to. */
		access_counts *counts;
	};
	/** @brief The device byte order the test models. */
	static constexpr byte_order order = Order;

	/** @brief The byte's address as a number. */
	static uptr address(handle h) noexcept { return reinterpret_cast<uptr>(h.bytes); }
	/** @brief The handle @p n bytes further on, same counters. */
	static handle offset(handle h, usize n) noexcept { return handle{ h.bytes + n, h.counts }; }

	/** @brief Read a W in the device order and count the read. */
	template <typename W> static W load(handle h) noexcept
	{
		W raw;
		__builtin_memcpy(&raw, h.bytes, sizeof(W));
		h.counts->reads[access_counts::slot(sizeof(W))]++;
		return convert_order<Order>(raw);
	}
	/** @brief Write @p v in the device order and count the write. */
	template <typename W> static void store(handle h, W v) noexcept
	{
		W raw = convert_order<Order>(v);
		__builtin_memcpy(h.bytes, &raw, sizeof(W));
		h.counts->writes[access_counts::slot(sizeof(W))]++;
	}

	/** @name Scalar accessors */
	///@{
	/** @brief load() or store() of the width in the name. */
	static u8 read8(handle h) noexcept { return load<u8>(h); }
	static u16 read16(handle h) noexcept { return load<u16>(h); }
	static u32 read32(handle h) noexcept { return load<u32>(h); }
	static u64 read64(handle h) noexcept { return load<u64>(h); }
	static void write8(handle h, u8 v) noexcept { store(h, v); }
	static void write16(handle h, u16 v) noexcept { store(h, v); }
	static void write32(handle h, u32 v) noexcept { store(h, v); }
	static void write64(handle h, u64 v) noexcept { store(h, v); }
	///@}

private:
	/* The test memory below hands out the views; it lends this backend's key, nothing else does. */
	template <usize, usize, byte_order> friend class memory;
	template <typename T, typename... Extent> static view<memory_backend, T> adopt(handle h, Extent... extent) noexcept
	{
		return view<memory_backend, T>::from_handle(backend_key<memory_backend>{}, h, extent...);
	}
};

/**
 * @brief @p Size bytes of @p Align-aligned storage that hands out views of memory_backend.
 *
 * Invariant: every view it returns lies inside its storage.
 */
template <usize Size, usize Align = 8, byte_order Order = byte_order::little> class memory {
public:
	/** @brief The backend of the views it hands out. */
	using backend_type = memory_backend<Order>;

	constexpr memory() noexcept : bytes_{}, counts_{} {}
	memory(const memory &) = delete;
	memory &operator=(const memory &) = delete;

	/** @brief A view of the whole storage as region type R (R::min_size <= Size). */
	template <typename R> view<backend_type, R> region() noexcept
	{
		static_assert(detail::is_region<R>, "ioview: memory::region needs a region type");
		static_assert(R::min_size <= Size, "ioview: region does not fit the test memory");
		static_assert(R::align <= Align, "ioview: test memory is less aligned than the region");
		return backend_type::template adopt<R>(handle_at(0), Size - Size % 4);
	}

	/** @brief A view of a T at constant offset @p Off, checked at compile time. */
	template <typename T, usize Off> view<backend_type, T> at() noexcept
	{
		static_assert(detail::check_bounds<T, Off, sizeof(T), Size>());
		static_assert(detail::check_aligned<T, Off, alignof(T)>());
		static_assert(alignof(T) <= Align, "ioview: test memory is less aligned than T");
		return backend_type::template adopt<T>(handle_at(Off));
	}

	/** @brief The raw bytes, in device order. */
	unsigned char *bytes() noexcept { return bytes_; }
	/** @brief Accesses counted so far. */
	const access_counts &counts() const noexcept { return counts_; }
	/** @brief Forget the counted accesses. */
	void reset_counts() noexcept { counts_ = access_counts{}; }

private:
	typename backend_type::handle handle_at(usize off) noexcept { return { bytes_ + off, &counts_ }; }

	alignas(Align) unsigned char bytes_[Size];
	access_counts counts_;
};

} // namespace ioview::testing

#endif /* IOVIEW_TESTING_MEMORY_H */
