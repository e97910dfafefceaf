/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file view.h
 * @brief Backends, views, projection, scalar access, in two checking tiers.
 *
 * A view<B, T> is a small copyable handle naming "a T living in backend B's address space".
 * It cannot be dereferenced; every access goes through the backend's accessor of the exact
 * width. Methods whose name starts with `try_` check at run time and return an error instead of
 * accessing; the others take constant offsets and indices and check them at compile time.
 *
 * Example:
 * ```cpp
 * struct queue_regs {
 *         ioview::u32 head;
 *         ioview::u32 tail;
 *         ioview::u32 slots[4];
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<queue_regs> = true;
 *
 * ioview::u32 view_example()
 * {
 *         queue_regs q{};
 *         auto v = ioview::sysmem::view_of(q);
 *         IOVIEW_PROJECT(v, tail).write_val(3);           // one 32-bit volatile store
 *         IOVIEW_PROJECT(v, slots).at<2>().write_val(7);  // index checked at compile time
 *         auto slot = IOVIEW_PROJECT(v, slots).try_at(9); // checked at run time: -ERANGE
 *         if (!slot)
 *                 return IOVIEW_PROJECT(v, tail).read_val() + IOVIEW_PROJECT(v, slots[2]).read_val();
 *         return 0;
 * }
 * ```
 */
#ifndef IOVIEW_VIEW_H
#define IOVIEW_VIEW_H

#include <ioview/support.h>
#include <ioview/region.h>

namespace ioview {

namespace detail {
template <typename A, typename B>
concept same_as = is_same<A, B> && is_same<B, A>;
} // namespace detail

/**
 * @brief What every backend provides: a handle, its address, narrowing, and a byte order.
 *
 * - `B::handle`: trivially copyable state naming a location (a pointer; an `__iomem` cookie;
 *   a (pci_dev*, offset) pair; a CPU address plus DMA address...).
 * - `B::address(h)`: a number whose low bits give the location's alignment and whose order
 *   gives the direction of overlapping copies. For non-memory spaces it is the offset.
 * - `B::offset(h, n)`: the handle @p n bytes further on; projecting must move every address the
 *   handle carries (a coherent backend moves the DMA address too).
 * - `B::order`: the byte_order its scalar accessors use.
 *
 * Scalar capabilities are separate: static functions `read8(h)`/`write8(h, v)` ... `read64`,
 * optionally `read32_relaxed`... A backend with `static constexpr bool fallible = true` returns
 * result<uN> from reads and status from writes (e.g. PCI config space).
 *
 * Example (a backend whose accessors are function calls into a fake device):
 * ```cpp
 * struct counter_backend {
 *         struct handle { ioview::u32 *regs; ioview::usize off; };
 *         static constexpr ioview::byte_order order = ioview::byte_order::little;
 *         static ioview::uptr address(handle h) { return h.off; }
 *         static handle offset(handle h, ioview::usize n) { return { h.regs, h.off + n }; }
 *         static ioview::u32 read32(handle h) { return h.regs[h.off / 4]++; }
 *         static void write32(handle h, ioview::u32 v) { h.regs[h.off / 4] = v; }
 * };
 * static_assert(ioview::backend<counter_backend>);
 * static_assert(ioview::capable<counter_backend, 4>);
 * static_assert(!ioview::capable<counter_backend, 8>);
 * ```
 */
template <typename B>
concept backend = requires(typename B::handle h, usize n) {
	{ B::address(h) } -> detail::same_as<uptr>;
	{ B::offset(h, n) } -> detail::same_as<typename B::handle>;
	{ B::order } -> detail::same_as<const byte_order &>;
} && __is_trivially_copyable(typename B::handle);

namespace detail {
template <typename B> consteval bool backend_is_fallible()
{
	if constexpr (requires { B::fallible; })
		return B::fallible;
	else
		return false;
}

template <typename B>
concept has_rw8 = requires(typename B::handle h) { B::read8(h); B::write8(h, u8{}); };
template <typename B>
concept has_rw16 = requires(typename B::handle h) { B::read16(h); B::write16(h, u16{}); };
template <typename B>
concept has_rw32 = requires(typename B::handle h) { B::read32(h); B::write32(h, u32{}); };
template <typename B>
concept has_rw64 = requires(typename B::handle h) { B::read64(h); B::write64(h, u64{}); };
template <typename B>
concept has_rw8_relaxed = requires(typename B::handle h) { B::read8_relaxed(h); B::write8_relaxed(h, u8{}); };
template <typename B>
concept has_rw16_relaxed = requires(typename B::handle h) { B::read16_relaxed(h); B::write16_relaxed(h, u16{}); };
template <typename B>
concept has_rw32_relaxed = requires(typename B::handle h) { B::read32_relaxed(h); B::write32_relaxed(h, u32{}); };
template <typename B>
concept has_rw64_relaxed = requires(typename B::handle h) { B::read64_relaxed(h); B::write64_relaxed(h, u64{}); };
} // namespace detail

/** @brief True when backend B is fallible (accessors return result/status). */
template <typename B> inline constexpr bool fallible = detail::backend_is_fallible<B>();

/**
 * @brief True when backend B can read and write @p Bytes (1, 2, 4, 8) in one access.
 *
 * Example:
 * ```cpp
 * static_assert(ioview::capable<ioview::sysmem, 4>);
 * ```
 */
template <typename B, usize Bytes>
concept capable = (Bytes == 1 && detail::has_rw8<B>) || (Bytes == 2 && detail::has_rw16<B>) ||
		  (Bytes == 4 && detail::has_rw32<B>) || (Bytes == 8 && detail::has_rw64<B>);

/** @brief True when backend B also has relaxed (barrier-free) accessors of @p Bytes. */
template <typename B, usize Bytes>
concept relaxed_capable =
	(Bytes == 1 && detail::has_rw8_relaxed<B>) || (Bytes == 2 && detail::has_rw16_relaxed<B>) ||
	(Bytes == 4 && detail::has_rw32_relaxed<B>) || (Bytes == 8 && detail::has_rw64_relaxed<B>);

/**
 * @brief A type read_val()/write_val() can move in a single access: plain data of 1, 2, 4 or 8
 * bytes, naturally aligned (so `u64` is one on 32-bit targets only if it is 8-byte aligned).
 */
template <typename T>
concept io_scalar = plain_data<T> && (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8) &&
		    alignof(T) == sizeof(T);

/** @brief What a read of a T returns on backend B: T, or result<T> if B is fallible. */
template <typename B, typename T>
using read_result_t = detail::conditional_t<fallible<B>, result<T>, T>;
/** @brief What a write returns on backend B: nothing, or status if B is fallible. */
template <typename B> using write_result_t = detail::conditional_t<fallible<B>, status, void>;

namespace diag {
template <typename Backend, usize Bytes> struct backend_lacks_access_width {
	static_assert(detail::always_false<Backend>, "ioview: Backend has no accessor of Bytes bytes");
	static constexpr bool ok = false;
};
template <typename Backend, usize Bytes> struct backend_lacks_relaxed_access {
	static_assert(detail::always_false<Backend>, "ioview: Backend has no relaxed accessor of Bytes bytes");
	static constexpr bool ok = false;
};
template <typename T> struct write_through_read_only_view {
	static_assert(detail::always_false<T>, "ioview: cannot write through a read-only view of T");
	static constexpr bool ok = false;
};
template <typename T> struct not_a_scalar {
	static_assert(detail::always_false<T>,
		      "ioview: read_val/write_val need a naturally aligned plain-data T of 1, 2, 4 or 8 "
		      "bytes; use copy_read/copy_write for larger types");
	static constexpr bool ok = false;
};
template <typename T> struct untyped_access_on_typed_view {
	static_assert(detail::always_false<T>,
		      "ioview: untyped read8..read64/write8..write64 exist only on region views; T is typed "
		      "(project to the field and use read_val/write_val)");
	static constexpr bool ok = false;
};
template <typename T, usize BaseAlign, usize Needed> struct base_underaligned {
	static_assert(detail::always_false<T>,
		      "ioview: the base of a view of T is only guaranteed BaseAlign-aligned, the access needs "
		      "Needed; use the try_ form or a more aligned type");
	static constexpr bool ok = false;
};
template <typename T> struct not_an_array {
	static_assert(detail::always_false<T>, "ioview: indexing needs a view of an array or slice; T is neither");
	static constexpr bool ok = false;
};
template <typename T> struct needs_runtime_check {
	static_assert(detail::always_false<T>,
		      "ioview: the length of slice T is known only at run time; use try_at/try_subrange");
	static constexpr bool ok = false;
};
template <typename T> struct not_plain_data {
	static_assert(detail::always_false<T>,
		      "ioview: T is not plain data (every bit pattern valid, no padding); "
		      "specialize ioview::enable_plain_data if it is");
	static constexpr bool ok = false;
};
} // namespace diag

namespace detail {
template <typename B, usize W> consteval bool check_capable()
{
	if constexpr (!capable<B, W>)
		return diag::backend_lacks_access_width<B, W>::ok;
	else
		return true;
}
template <typename B, usize W> consteval bool check_relaxed_capable()
{
	if constexpr (!relaxed_capable<B, W>)
		return diag::backend_lacks_relaxed_access<B, W>::ok;
	else
		return true;
}
template <typename T> consteval bool check_writable()
{
	if constexpr (is_const<T>)
		return diag::write_through_read_only_view<T>::ok;
	else
		return true;
}
template <typename T> consteval bool check_scalar()
{
	if constexpr (!io_scalar<remove_cv_t<T>>)
		return diag::not_a_scalar<T>::ok;
	else
		return true;
}
template <typename T> consteval bool check_region()
{
	if constexpr (!is_region<T>)
		return diag::untyped_access_on_typed_view<T>::ok;
	else
		return true;
}
template <typename T, usize Needed> consteval bool check_base_align()
{
	if constexpr (known_size<T>::min_align < Needed)
		return diag::base_underaligned<T, known_size<T>::min_align, Needed>::ok;
	else
		return true;
}
template <typename T> consteval bool check_plain()
{
	if constexpr (!plain_data<T>)
		return diag::not_plain_data<T>::ok;
	else
		return true;
}

/* One access of W bytes through the backend, returning its raw result type. */
template <typename B, usize W, bool Relaxed> inline auto backend_read(typename B::handle h)
{
	if constexpr (Relaxed) {
		if constexpr (W == 1) return B::read8_relaxed(h);
		else if constexpr (W == 2) return B::read16_relaxed(h);
		else if constexpr (W == 4) return B::read32_relaxed(h);
		else return B::read64_relaxed(h);
	} else {
		if constexpr (W == 1) return B::read8(h);
		else if constexpr (W == 2) return B::read16(h);
		else if constexpr (W == 4) return B::read32(h);
		else return B::read64(h);
	}
}
template <typename B, usize W, bool Relaxed>
inline auto backend_write(typename B::handle h, uint_of_size_t<W> v)
{
	if constexpr (Relaxed) {
		if constexpr (W == 1) return B::write8_relaxed(h, v);
		else if constexpr (W == 2) return B::write16_relaxed(h, v);
		else if constexpr (W == 4) return B::write32_relaxed(h, v);
		else return B::write64_relaxed(h, v);
	} else {
		if constexpr (W == 1) return B::write8(h, v);
		else if constexpr (W == 2) return B::write16(h, v);
		else if constexpr (W == 4) return B::write32(h, v);
		else return B::write64(h, v);
	}
}

/*
 * Typed scalar read: the backend returns a CPU value decoded from its byte order; turning it
 * back into memory representation makes read_val<T>() equal to what a byte copy of T gives.
 */
template <typename B, typename T, bool Relaxed> inline read_result_t<B, T> scalar_read(typename B::handle h)
{
	using W = uint_of_size_t<sizeof(T)>;
	if constexpr (fallible<B>) {
		result<W> r = backend_read<B, sizeof(T), Relaxed>(h);
		if (!r)
			return failure{ r.error() };
		return bit_cast<T>(convert_order<B::order>(r.value()));
	} else {
		W raw = backend_read<B, sizeof(T), Relaxed>(h);
		return bit_cast<T>(convert_order<B::order>(raw));
	}
}
template <typename B, typename T, bool Relaxed>
inline write_result_t<B> scalar_write(typename B::handle h, T value)
{
	using W = uint_of_size_t<sizeof(T)>;
	return backend_write<B, sizeof(T), Relaxed>(h, convert_order<B::order>(bit_cast<W>(value)));
}

constexpr bool is_aligned(uptr addr, usize align)
{
	return (addr & (align - 1)) == 0;
}

/* Overflow-safe "[off, off + len) fits in size". */
constexpr bool range_fits(usize off, usize len, usize size)
{
	return off <= size && len <= size - off;
}

/* Key that only IOVIEW_PROJECT passes: member projection trusts the offset it is given. */
struct member_projection_key {
	explicit constexpr member_projection_key() = default;
};
} // namespace detail

/**
 * @brief A typed handle to a T in backend B's address space.
 *
 * Trivially copyable, as small as the backend handle (plus a size for regions and slices).
 * Has no operator* or operator->: reads and writes name their width and go through the backend.
 *
 * Invariants (established by the backend's constructors, kept by every projection):
 * - the handle's address is aligned to known_size<T>::min_align;
 * - the view covers size() bytes, size() >= known_size<T>::min_size;
 * - for a region, size() is a multiple of 4.
 *
 * Example:
 * ```cpp
 * void view_basics()
 * {
 *         ioview::u32 words[4] = {};
 *         ioview::view<ioview::sysmem, ioview::u32[4]> v = ioview::sysmem::view_of(words);
 *         v.at<1>().write_val(5);
 *         ioview::u32 w = v.at<1>().read_val();  // 5
 *         (void)w;
 * }
 * ```
 */
template <typename B, typename T> class view {
	static_assert(backend<B>, "ioview: B does not satisfy the backend concept");
	using size_info = known_size<T>;
	struct no_extent {};
	using extent_type = detail::conditional_t<size_info::is_dynamic, usize, no_extent>;

public:
	using backend_type = B;
	using target_type = T;
	using handle_type = typename B::handle;

	/**
	 * @brief Wrap a backend handle of a fixed-size T. Precondition: the invariants above hold.
	 *
	 * Backends call this after checking; drivers use the backend's constructors instead.
	 */
	static constexpr view from_handle(handle_type h) noexcept
		requires(!size_info::is_dynamic)
	{
		return view(h, no_extent{});
	}
	/**
	 * @brief Wrap a handle of a region (@p extent = bytes) or slice (@p extent = elements).
	 * Precondition: the invariants above hold.
	 */
	static constexpr view from_handle(handle_type h, usize extent) noexcept
		requires(size_info::is_dynamic)
	{
		return view(h, extent);
	}

	/** @brief The backend handle, e.g. to reach a DMA address or the device. */
	constexpr handle_type handle() const noexcept { return h_; }
	/** @brief The address used for alignment and overlap decisions. */
	uptr address() const noexcept { return B::address(h_); }

	/** @brief Bytes covered by this view. */
	constexpr usize size() const noexcept
	{
		if constexpr (size_info::is_region)
			return extent_;
		else if constexpr (size_info::is_slice)
			return extent_ * sizeof(typename detail::slice_element<T>::type);
		else
			return sizeof(T);
	}

	/** @brief Number of elements of an array or slice view. */
	constexpr usize length() const noexcept
	{
		if constexpr (size_info::is_slice)
			return extent_;
		else if constexpr (detail::array_traits<T>::is_array)
			return detail::array_traits<T>::length;
		else
			static_assert(detail::always_false<T>, "ioview: length() needs an array or slice view");
	}

	/** @brief The same location, read-only: writes through the result do not compile. */
	constexpr view<B, const T> as_const() const noexcept
	{
		if constexpr (size_info::is_dynamic)
			return view<B, const T>::from_handle(h_, extent_);
		else
			return view<B, const T>::from_handle(h_);
	}

	/* --- Projection ---------------------------------------------------------------------- */

	/**
	 * @brief Element @p I of an array view; the index is checked at compile time.
	 *
	 * ```cpp
	 * void at_example(ioview::view<ioview::sysmem, ioview::u16[8]> v)
	 * {
	 *         v.at<7>().write_val(1);  // v.at<8>() would not compile
	 * }
	 * ```
	 */
	template <usize I> constexpr auto at() const noexcept
	{
		if constexpr (size_info::is_slice) {
			static_assert(diag::needs_runtime_check<T>::ok);
		} else if constexpr (!detail::array_traits<T>::is_array) {
			static_assert(diag::not_an_array<T>::ok);
		} else {
			using E = typename detail::array_traits<T>::element;
			static_assert(detail::check_index<T, I, detail::array_traits<T>::length>());
			return view<B, E>::from_handle(B::offset(h_, I * sizeof(E)));
		}
	}

	/**
	 * @brief Element @p i of an array or slice view, checked at run time.
	 * @return the element view, or -ERANGE if @p i >= length(); nothing is accessed.
	 *
	 * ```cpp
	 * ioview::status try_at_example(ioview::view<ioview::sysmem, ioview::slice<ioview::u32>> ring,
	 *                               ioview::usize i)
	 * {
	 *         auto slot = ring.try_at(i);
	 *         if (!slot)
	 *                 return slot.to_status();
	 *         slot.value().write_val(0);
	 *         return ioview::status::success();
	 * }
	 * ```
	 */
	constexpr auto try_at(usize i) const noexcept
	{
		if constexpr (size_info::is_slice) {
			using E = typename detail::slice_element<T>::type;
			using R = result<view<B, E>>;
			if (i >= extent_)
				return R(fail(erange));
			return R(view<B, E>::from_handle(B::offset(h_, i * sizeof(E))));
		} else if constexpr (detail::array_traits<T>::is_array) {
			using E = typename detail::array_traits<T>::element;
			using R = result<view<B, E>>;
			if (i >= detail::array_traits<T>::length)
				return R(fail(erange));
			return R(view<B, E>::from_handle(B::offset(h_, i * sizeof(E))));
		} else {
			static_assert(diag::not_an_array<T>::ok);
		}
	}

	/**
	 * @brief Elements [Off, Off + Len) of an array view as a view of E[Len]; checked at compile
	 * time.
	 */
	template <usize Off, usize Len> constexpr auto subrange() const noexcept
	{
		if constexpr (size_info::is_slice) {
			static_assert(diag::needs_runtime_check<T>::ok);
		} else if constexpr (!detail::array_traits<T>::is_array) {
			static_assert(diag::not_an_array<T>::ok);
		} else {
			using E = typename detail::array_traits<T>::element;
			constexpr usize n = detail::array_traits<T>::length;
			static_assert(detail::check_bounds<T, Off * sizeof(E), Len * sizeof(E), n * sizeof(E)>());
			using sub = detail::copy_const_t<E, detail::remove_cv_t<E>[Len]>;
			return view<B, sub>::from_handle(B::offset(h_, Off * sizeof(E)));
		}
	}

	/**
	 * @brief Elements [off, off + len) of an array or slice view as a slice view.
	 * @return the slice, or -ERANGE if the range does not fit; nothing is accessed.
	 */
	constexpr auto try_subrange(usize off, usize len) const noexcept
	{
		if constexpr (size_info::is_slice || detail::array_traits<T>::is_array) {
			using E = typename detail::element_of<T>::type;
			using S = detail::copy_const_t<E, slice<detail::remove_cv_t<E>>>;
			using R = result<view<B, S>>;
			if (!detail::range_fits(off, len, length()))
				return R(fail(erange));
			return R(view<B, S>::from_handle(B::offset(h_, off * sizeof(E)), len));
		} else {
			static_assert(diag::not_an_array<T>::ok);
		}
	}

	/**
	 * @brief A typed view of a plain-data U at constant byte offset @p Off of a region;
	 * bounds, offset alignment and base alignment are checked at compile time.
	 *
	 * ```cpp
	 * ioview::u32 at_offset_example(ioview::view<ioview::sysmem, ioview::region<16>> r)
	 * {
	 *         return r.at_offset<ioview::u32, 12>().read_val();
	 * }
	 * ```
	 */
	template <typename U, usize Off> constexpr auto at_offset() const noexcept
	{
		static_assert(detail::check_region<T>());
		static_assert(detail::check_plain<U>());
		static_assert(detail::check_bounds<T, Off, sizeof(U), size_info::min_size>());
		static_assert(detail::check_aligned<T, Off, alignof(U)>());
		static_assert(detail::check_base_align<T, alignof(U)>());
		return view<B, detail::copy_const_t<T, U>>::from_handle(B::offset(h_, Off));
	}

	/**
	 * @brief A typed view of a plain-data U at byte offset @p off of a region, checked at run
	 * time against the real size and the real address.
	 * @return the view, -ERANGE if it does not fit, -EINVAL if the address is misaligned.
	 */
	template <typename U> constexpr auto try_at_offset(usize off) const noexcept
	{
		static_assert(detail::check_region<T>());
		static_assert(detail::check_plain<U>());
		using V = view<B, detail::copy_const_t<T, U>>;
		if (!detail::range_fits(off, sizeof(U), extent_))
			return result<V>(fail(erange));
		handle_type h = B::offset(h_, off);
		if (!detail::is_aligned(B::address(h), alignof(U)))
			return result<V>(fail(einval));
		return result<V>(V::from_handle(h));
	}

	/**
	 * @brief A sub-region R (e.g. one engine's register block) at constant offset @p Off.
	 *
	 * ```cpp
	 * struct engine_tag;
	 * using engine_block = ioview::region<0x40, engine_tag>;
	 * auto engine1(ioview::view<ioview::sysmem, ioview::region<0x100>> bar)
	 * {
	 *         return bar.region_at<engine_block, 0x40>();
	 * }
	 * ```
	 */
	template <typename R, usize Off> constexpr auto region_at() const noexcept
	{
		static_assert(detail::check_region<T>());
		static_assert(detail::is_region<R>, "ioview: region_at needs a region type R");
		static_assert(detail::check_bounds<T, Off, R::min_size, size_info::min_size>());
		static_assert(detail::check_aligned<T, Off, R::align>());
		static_assert(detail::check_base_align<T, R::align>());
		return view<B, detail::copy_const_t<T, R>>::from_handle(B::offset(h_, Off), R::min_size);
	}

	/**
	 * @brief A sub-region R at runtime offset @p off (e.g. a per-instance base).
	 * @return the view, -ERANGE if R does not fit, -EINVAL if misaligned.
	 */
	template <typename R> constexpr auto try_region_at(usize off) const noexcept
	{
		static_assert(detail::check_region<T>());
		static_assert(detail::is_region<R>, "ioview: try_region_at needs a region type R");
		using V = view<B, detail::copy_const_t<T, R>>;
		if (!detail::range_fits(off, R::min_size, extent_))
			return result<V>(fail(erange));
		handle_type h = B::offset(h_, off);
		if (!detail::is_aligned(B::address(h), R::align))
			return result<V>(fail(einval));
		return result<V>(V::from_handle(h, R::min_size));
	}

	/**
	 * @brief Reinterpret this view as a plain-data U; size and alignment checked at run time.
	 *
	 * Both T and U must be plain data (a region counts as plain bytes), so no invalid value
	 * can be produced.
	 * @return the view, -EINVAL if U is larger than this view or the address is misaligned.
	 *
	 * ```cpp
	 * struct hdr { ioview::u16 kind; ioview::u16 len; };
	 * template <> inline constexpr bool ioview::enable_plain_data<hdr> = true;
	 * ioview::result<ioview::view<ioview::sysmem, hdr>> as_hdr(ioview::view<ioview::sysmem, ioview::u32> w)
	 * {
	 *         return w.try_cast<hdr>();
	 * }
	 * ```
	 */
	template <typename U> constexpr auto try_cast() const noexcept
	{
		if constexpr (!size_info::is_region) {
			if constexpr (size_info::is_slice)
				static_assert(detail::check_plain<typename detail::slice_element<T>::type>());
			else
				static_assert(detail::check_plain<T>());
		}
		static_assert(detail::check_plain<U>());
		using V = view<B, detail::copy_const_t<T, U>>;
		if (sizeof(U) > size())
			return result<V>(fail(einval));
		if (!detail::is_aligned(B::address(h_), alignof(U)))
			return result<V>(fail(einval));
		return result<V>(V::from_handle(h_));
	}

	/*
	 * Used by IOVIEW_PROJECT only: the macro derives U and Off from the member path with
	 * offsetof, so the member is known to exist; bounds and alignment are still checked here.
	 */
	template <typename U, usize Off>
	constexpr auto project_member(detail::member_projection_key) const noexcept
	{
		static_assert(!size_info::is_dynamic, "ioview: member projection needs a view of a struct");
		static_assert(detail::check_bounds<T, Off, sizeof(U), sizeof(T)>());
		static_assert(detail::check_aligned<T, Off, alignof(U)>());
		static_assert(detail::check_base_align<T, alignof(U)>());
		return view<B, detail::copy_const_t<T, U>>::from_handle(B::offset(h_, Off));
	}

	/* --- Typed scalar access --------------------------------------------------------------- */

	/**
	 * @brief Read the whole T in one access of sizeof(T) bytes; never torn.
	 *
	 * The value has T's memory representation, the same a byte copy would give.
	 */
	auto read_val() const noexcept
	{
		static_assert(detail::check_scalar<T>());
		static_assert(detail::check_capable<B, sizeof(T)>());
		return detail::scalar_read<B, detail::remove_cv_t<T>, false>(h_);
	}

	/** @brief Write the whole T in one access of sizeof(T) bytes; never torn, never reads. */
	write_result_t<B> write_val(detail::remove_cv_t<T> value) const noexcept
	{
		static_assert(detail::check_writable<T>());
		static_assert(detail::check_scalar<T>());
		static_assert(detail::check_capable<B, sizeof(T)>());
		return detail::scalar_write<B, detail::remove_cv_t<T>, false>(h_, value);
	}

	/** @brief read_val() without the ordering barriers of the default accessor. */
	auto read_val_relaxed() const noexcept
	{
		static_assert(detail::check_scalar<T>());
		static_assert(detail::check_relaxed_capable<B, sizeof(T)>());
		return detail::scalar_read<B, detail::remove_cv_t<T>, true>(h_);
	}

	/** @brief write_val() without the ordering barriers of the default accessor. */
	write_result_t<B> write_val_relaxed(detail::remove_cv_t<T> value) const noexcept
	{
		static_assert(detail::check_writable<T>());
		static_assert(detail::check_scalar<T>());
		static_assert(detail::check_relaxed_capable<B, sizeof(T)>());
		return detail::scalar_write<B, detail::remove_cv_t<T>, true>(h_, value);
	}

	/**
	 * @brief Read-modify-write: one read, then one write of @p f applied to the value.
	 *
	 * Not atomic with respect to the device or other CPUs; callers serialize.
	 *
	 * ```cpp
	 * void set_bit3(ioview::view<ioview::sysmem, ioview::u32> ctrl)
	 * {
	 *         ctrl.update([](ioview::u32 v) { return v | 8u; });
	 * }
	 * ```
	 */
	template <typename F> write_result_t<B> update(F &&f) const
	{
		static_assert(detail::check_writable<T>());
		if constexpr (fallible<B>) {
			auto r = read_val();
			if (!r)
				return r.to_status();
			return write_val(f(r.value()));
		} else {
			write_val(f(read_val()));
		}
	}

	/* --- Untyped access, regions only ------------------------------------------------------ */

	/** @name Untyped accessors at a constant offset, checked at compile time. */
	///@{
	template <usize Off> read_result_t<B, u8> read8() const noexcept { return untyped_read<u8, Off>(); }
	template <usize Off> read_result_t<B, u16> read16() const noexcept { return untyped_read<u16, Off>(); }
	template <usize Off> read_result_t<B, u32> read32() const noexcept { return untyped_read<u32, Off>(); }
	template <usize Off> read_result_t<B, u64> read64() const noexcept { return untyped_read<u64, Off>(); }
	template <usize Off> write_result_t<B> write8(u8 v) const noexcept { return untyped_write<u8, Off>(v); }
	template <usize Off> write_result_t<B> write16(u16 v) const noexcept { return untyped_write<u16, Off>(v); }
	template <usize Off> write_result_t<B> write32(u32 v) const noexcept { return untyped_write<u32, Off>(v); }
	template <usize Off> write_result_t<B> write64(u64 v) const noexcept { return untyped_write<u64, Off>(v); }
	///@}

	/**
	 * @name Untyped accessors at a runtime offset.
	 *
	 * They return -ERANGE if [off, off + width) is outside the region and -EINVAL if the
	 * address is not width-aligned; in both cases nothing is accessed.
	 */
	///@{
	result<u8> try_read8(usize off) const noexcept { return untyped_try_read<u8>(off); }
	result<u16> try_read16(usize off) const noexcept { return untyped_try_read<u16>(off); }
	result<u32> try_read32(usize off) const noexcept { return untyped_try_read<u32>(off); }
	result<u64> try_read64(usize off) const noexcept { return untyped_try_read<u64>(off); }
	status try_write8(usize off, u8 v) const noexcept { return untyped_try_write<u8>(off, v); }
	status try_write16(usize off, u16 v) const noexcept { return untyped_try_write<u16>(off, v); }
	status try_write32(usize off, u32 v) const noexcept { return untyped_try_write<u32>(off, v); }
	status try_write64(usize off, u64 v) const noexcept { return untyped_try_write<u64>(off, v); }
	///@}

	/**
	 * @brief Read-modify-write of the 32-bit word at constant @p Off of a region.
	 *
	 * ```cpp
	 * void enable(ioview::view<ioview::sysmem, ioview::region<8>> r)
	 * {
	 *         r.update32<4>([](ioview::u32 v) { return v | 1u; });
	 * }
	 * ```
	 */
	template <usize Off, typename F> write_result_t<B> update32(F &&f) const
	{
		auto word = untyped_view<u32, Off>();
		return word.update(detail::forward<F>(f));
	}

	/** @brief Read-modify-write of the 32-bit word at runtime @p off; errors as try_read32. */
	template <typename F> status try_update32(usize off, F &&f) const
	{
		if (int err = untyped_check<u32>(off))
			return failure{ err };
		auto word = view<B, detail::copy_const_t<T, u32>>::from_handle(B::offset(h_, off));
		if constexpr (fallible<B>)
			return word.update(detail::forward<F>(f));
		else {
			word.update(detail::forward<F>(f));
			return status::success();
		}
	}

private:
	constexpr view(handle_type h, extent_type e) noexcept : h_(h), extent_(e) {}

	/* Untyped accesses are naturally aligned, which for every offered width is alignof(W). */
	template <typename W, usize Off> constexpr auto untyped_view() const noexcept
	{
		static_assert(alignof(W) == sizeof(W));
		return at_offset<W, Off>();
	}

	/*
	 * 0 if a W at runtime @p off is inside the region and aligned, else the negative errno of
	 * try_at_offset().  A plain int rather than a result<view>: with the kernel's
	 * -ftrivial-auto-var-init=zero, GCC 12 keeps a stack slot (and so, under -pg, a frame) for
	 * a class-type local initialized from a call, which a check on the hot path should not cost.
	 */
	template <typename W> constexpr int untyped_check(usize off) const noexcept
	{
		static_assert(alignof(W) == sizeof(W));
		if (!detail::range_fits(off, sizeof(W), extent_))
			return -erange;
		if (!detail::is_aligned(B::address(B::offset(h_, off)), alignof(W)))
			return -einval;
		return 0;
	}

	/* Untyped reads return the CPU value in the backend's byte order, like readl(). */
	template <typename W, usize Off> read_result_t<B, W> untyped_read() const noexcept
	{
		static_assert(detail::check_capable<B, sizeof(W)>());
		return detail::backend_read<B, sizeof(W), false>(untyped_view<W, Off>().handle());
	}
	template <typename W, usize Off> write_result_t<B> untyped_write(W v) const noexcept
	{
		static_assert(detail::check_writable<T>());
		static_assert(detail::check_capable<B, sizeof(W)>());
		return detail::backend_write<B, sizeof(W), false>(untyped_view<W, Off>().handle(), v);
	}
	template <typename W> result<W> untyped_try_read(usize off) const noexcept
	{
		static_assert(detail::check_capable<B, sizeof(W)>());
		if (int err = untyped_check<W>(off))
			return failure{ err };
		return detail::backend_read<B, sizeof(W), false>(B::offset(h_, off));
	}
	template <typename W> status untyped_try_write(usize off, W value) const noexcept
	{
		static_assert(detail::check_writable<T>());
		static_assert(detail::check_capable<B, sizeof(W)>());
		if (int err = untyped_check<W>(off))
			return failure{ err };
		if constexpr (fallible<B>) {
			return detail::backend_write<B, sizeof(W), false>(B::offset(h_, off), value);
		} else {
			detail::backend_write<B, sizeof(W), false>(B::offset(h_, off), value);
			return status::success();
		}
	}

	handle_type h_;
	[[no_unique_address]] extent_type extent_;
};

namespace detail {

/*
 * The view of a T at handle h over `bytes` bytes, as every backend's try_view() makes it: the
 * address must have T's minimum alignment and the bytes its minimum size; a region's length must
 * be a multiple of 4 and a slice's a multiple of its element.  -EINVAL otherwise.
 */
template <typename B, typename T> result<view<B, T>> checked_view(typename B::handle h, usize bytes) noexcept
{
	using ks = known_size<T>;
	using R = result<view<B, T>>;
	if (!is_aligned(B::address(h), ks::min_align) || bytes < ks::min_size)
		return R(fail(einval));
	if constexpr (ks::is_region) {
		if (bytes % 4 != 0)
			return R(fail(einval));
		return R(view<B, T>::from_handle(h, bytes));
	} else if constexpr (ks::is_slice) {
		constexpr usize elem = sizeof(typename slice_element<T>::type);
		if (bytes % elem != 0)
			return R(fail(einval));
		return R(view<B, T>::from_handle(h, bytes / elem));
	} else {
		return R(view<B, T>::from_handle(h));
	}
}

} // namespace detail

} // namespace ioview

#endif /* IOVIEW_VIEW_H */
