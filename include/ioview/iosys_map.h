/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file iosys_map.h
 * @brief A backend that is either MMIO or system memory, chosen at run time (like iosys_map).
 *
 * Framebuffers and firmware tables may sit in I/O memory or in RAM depending on the device.
 * One view type covers both: every accessor branches on the handle's kind and calls the MMIO
 * backend's or sysmem's accessor. Projection, copies, registers and the checks work unchanged,
 * so there is no need for iosys_map_rd_field()-style macros.
 *
 * Byte order: native. The MMIO half's accessors decode its device order (readl() is
 * little-endian); this backend re-encodes their result, so both halves give the same raw
 * representation and a view reads the same numbers whichever memory it points at.
 *
 * Example (with some MMIO backend `Io`, e.g. the kernel's):
 * ```cpp
 * template <typename Io>
 * void clear_header(ioview::view<ioview::iosys_map_backend<Io>, ioview::region<16>> map)
 * {
 *         map.template write32<0>(0);
 *         map.template write32<4>(0);
 * }
 * ```
 */
#ifndef IOVIEW_IOSYS_MAP_H
#define IOVIEW_IOSYS_MAP_H

#include <ioview/sysmem.h>

namespace ioview {

/**
 * @brief Sum of MMIO backend @p Io and sysmem. Capabilities: widths both halves have; relaxed
 * accessors where Io has them (sysmem has all).
 */
template <typename Io> struct iosys_map_backend {
	static_assert(backend<Io>, "ioview: iosys_map_backend needs an MMIO backend");
	static_assert(!fallible<Io>, "ioview: the MMIO half of an iosys map cannot fail");

	/** @brief A location: an I/O handle or a pointer, and which of the two it is. */
	struct handle {
		union {
			typename Io::handle io;
			sysmem::handle sys;
		};
		/** @brief True when the location is I/O memory (`io` is valid), false for system memory. */
		bool is_iomem;
	};
	/** @brief Native: the I/O half re-encodes from Io's order. */
	static constexpr byte_order order = byte_order::native;

	/** @brief The address of whichever half the handle holds. */
	static uptr address(handle h) noexcept { return h.is_iomem ? Io::address(h.io) : sysmem::address(h.sys); }
	/** @brief The handle @p n bytes further on, in the same half. */
	static handle offset(handle h, usize n) noexcept
	{
		handle r = h;
		if (h.is_iomem)
			r.io = Io::offset(h.io, n);
		else
			r.sys = sysmem::offset(h.sys, n);
		return r;
	}

	/** @brief One read of @p W bytes through the half the handle names. */
	template <usize W, bool Relaxed> static detail::uint_of_size_t<W> read(handle h) noexcept
		requires(Relaxed ? relaxed_capable<Io, W> : capable<Io, W>)
	{
		if (h.is_iomem)
			return convert_order<Io::order>(detail::backend_read<Io, W, Relaxed>(h.io));
		return detail::backend_read<sysmem, W, false>(h.sys);
	}
	/** @brief One write of @p W bytes through the half the handle names. */
	template <usize W, bool Relaxed> static void write(handle h, detail::uint_of_size_t<W> v) noexcept
		requires(Relaxed ? relaxed_capable<Io, W> : capable<Io, W>)
	{
		if (h.is_iomem)
			detail::backend_write<Io, W, Relaxed>(h.io, convert_order<Io::order>(v));
		else
			detail::backend_write<sysmem, W, false>(h.sys, v);
	}

	/** @name Scalar accessors */
	///@{
	/** @brief One access of the width in the name through Io or sysmem; `_relaxed` where Io has it. */
	static u8 read8(handle h) noexcept requires capable<Io, 1> { return read<1, false>(h); }
	static u16 read16(handle h) noexcept requires capable<Io, 2> { return read<2, false>(h); }
	static u32 read32(handle h) noexcept requires capable<Io, 4> { return read<4, false>(h); }
	static u64 read64(handle h) noexcept requires(capable<Io, 8> && capable<sysmem, 8>) { return read<8, false>(h); }
	static void write8(handle h, u8 v) noexcept requires capable<Io, 1> { write<1, false>(h, v); }
	static void write16(handle h, u16 v) noexcept requires capable<Io, 2> { write<2, false>(h, v); }
	static void write32(handle h, u32 v) noexcept requires capable<Io, 4> { write<4, false>(h, v); }
	static void write64(handle h, u64 v) noexcept requires(capable<Io, 8> && capable<sysmem, 8>) { write<8, false>(h, v); }
	static u8 read8_relaxed(handle h) noexcept requires relaxed_capable<Io, 1> { return read<1, true>(h); }
	static u16 read16_relaxed(handle h) noexcept requires relaxed_capable<Io, 2> { return read<2, true>(h); }
	static u32 read32_relaxed(handle h) noexcept requires relaxed_capable<Io, 4> { return read<4, true>(h); }
	static u64 read64_relaxed(handle h) noexcept requires(relaxed_capable<Io, 8> && capable<sysmem, 8>)
	{
		return read<8, true>(h);
	}
	static void write8_relaxed(handle h, u8 v) noexcept requires relaxed_capable<Io, 1> { write<1, true>(h, v); }
	static void write16_relaxed(handle h, u16 v) noexcept requires relaxed_capable<Io, 2> { write<2, true>(h, v); }
	static void write32_relaxed(handle h, u32 v) noexcept requires relaxed_capable<Io, 4> { write<4, true>(h, v); }
	static void write64_relaxed(handle h, u64 v) noexcept requires(relaxed_capable<Io, 8> && capable<sysmem, 8>)
	{
		write<8, true>(h, v);
	}
	///@}

	/**
	 * @brief A view of T over I/O memory; the Io view's invariants carry over.
	 */
	template <typename T> static view<iosys_map_backend, T> from_io(view<Io, T> v) noexcept
	{
		handle h;
		h.io = v.handle();
		h.is_iomem = true;
		return wrap<T>(h, v);
	}
	/** @brief A view of T over system memory; the sysmem view's invariants carry over. */
	template <typename T> static view<iosys_map_backend, T> from_sysmem(view<sysmem, T> v) noexcept
	{
		handle h;
		h.sys = v.handle();
		h.is_iomem = false;
		return wrap<T>(h, v);
	}
	/** @brief Whether a view of this backend points at I/O memory. */
	template <typename T> static bool is_iomem(view<iosys_map_backend, T> v) noexcept { return v.handle().is_iomem; }

private:
	template <typename T, typename V> static view<iosys_map_backend, T> wrap(handle h, V v) noexcept
	{
		constexpr backend_key<iosys_map_backend> key{};
		if constexpr (known_size<T>::is_region)
			return view<iosys_map_backend, T>::from_handle(key, h, v.size());
		else if constexpr (known_size<T>::is_slice)
			return view<iosys_map_backend, T>::from_handle(key, h, v.length());
		else
			return view<iosys_map_backend, T>::from_handle(key, h);
	}
};

} // namespace ioview

#endif /* IOVIEW_IOSYS_MAP_H */
