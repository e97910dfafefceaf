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
template <usize N> struct width {};
template <usize N> struct base_alignment {};
template <usize N> struct needed_alignment {};

template <typename Backend, typename Width> struct backend_lacks_access_width; // Backend has no accessor of this many bytes
template <typename Backend, typename Width> struct backend_lacks_relaxed_access; // Backend has no relaxed accessor of this many bytes
template <typename T> struct write_through_read_only_view; // T is const: the view was made read-only (as_const, a const target) and cannot write
template <typename T> struct read_val_needs_scalar; // read_val/write_val move a naturally aligned plain-data T of 1, 2, 4 or 8 bytes; use copy_read/copy_write for larger types
template <typename T> struct untyped_access_needs_region_view; // read8..read64/write8..write64 exist only on region views; project to the field and use read_val/write_val
template <typename T, typename BaseAlignment, typename NeededAlignment> struct base_underaligned; // a view of T is only guaranteed base_alignment; use the try_ form or a more aligned region type
template <typename T> struct not_an_array; // at/try_at/subrange need a view of an array or slice
template <typename T> struct slice_index_needs_try_at; // a slice's length is known only at run time: use try_at/try_subrange
template <typename T> struct not_plain_data; // views, copies and casts need plain data (every bit pattern valid, no padding): specialize ioview::enable_plain_data if T is
} // namespace diag

namespace detail {
template <typename B, usize W>
using capable_check = check<capable<B, W>, diag::backend_lacks_access_width<B, diag::width<W>>>;
template <typename B, usize W>
using relaxed_capable_check = check<relaxed_capable<B, W>, diag::backend_lacks_relaxed_access<B, diag::width<W>>>;
template <typename B, usize W, bool Relaxed>
using width_check = conditional_t<Relaxed, relaxed_capable_check<B, W>, capable_check<B, W>>;
template <typename T> using writable_check = check<!is_const<T>, diag::write_through_read_only_view<T>>;
template <typename T> using scalar_check = check<io_scalar<remove_cv_t<T>>, diag::read_val_needs_scalar<T>>;
template <typename T> using region_check = check<is_region<T>, diag::untyped_access_needs_region_view<T>>;
template <typename T, usize Needed>
using base_align_check = check<(known_size<T>::min_align >= Needed),
			       diag::base_underaligned<T, diag::base_alignment<known_size<T>::min_align>,
						       diag::needed_alignment<Needed>>>;
template <typename T> using plain_check = check<plain_data<T>, diag::not_plain_data<T>>;

template <typename B, usize W> consteval bool check_capable()
{
	return expect_all<capable_check<B, W>>();
}
template <typename B, usize W> consteval bool check_relaxed_capable()
{
	return expect_all<relaxed_capable_check<B, W>>();
}
template <typename T> consteval bool check_writable()
{
	return expect_all<writable_check<T>>();
}
template <typename T> consteval bool check_plain()
{
	return expect_all<plain_check<T>>();
}
/* What a view may target: a region (plain bytes), or plain data, element-wise for a slice. */
template <typename T> consteval bool check_viewable()
{
	if constexpr (is_region<T>)
		return true;
	else if constexpr (is_slice<T>)
		return check_plain<typename slice_element<T>::type>();
	else
		return check_plain<T>();
}

/*
 * One access of W bytes through the backend, returning its raw result type. A missing accessor
 * was already diagnosed by check_capable()/check_relaxed_capable(); the fallback keeps that the
 * only error.
 */
template <typename B, usize W, bool Relaxed> inline auto backend_read(typename B::handle h)
{
	using missing = read_result_t<B, uint_of_size_t<W>>;
	if constexpr (Relaxed) {
		if constexpr (!relaxed_capable<B, W>) return unreachable_after_error<missing>();
		else if constexpr (W == 1) return B::read8_relaxed(h);
		else if constexpr (W == 2) return B::read16_relaxed(h);
		else if constexpr (W == 4) return B::read32_relaxed(h);
		else return B::read64_relaxed(h);
	} else {
		if constexpr (!capable<B, W>) return unreachable_after_error<missing>();
		else if constexpr (W == 1) return B::read8(h);
		else if constexpr (W == 2) return B::read16(h);
		else if constexpr (W == 4) return B::read32(h);
		else return B::read64(h);
	}
}
template <typename B, usize W, bool Relaxed>
inline auto backend_write(typename B::handle h, uint_of_size_t<W> v)
{
	using missing = write_result_t<B>;
	if constexpr (Relaxed) {
		if constexpr (!relaxed_capable<B, W>) return unreachable_after_error<missing>();
		else if constexpr (W == 1) return B::write8_relaxed(h, v);
		else if constexpr (W == 2) return B::write16_relaxed(h, v);
		else if constexpr (W == 4) return B::write32_relaxed(h, v);
		else return B::write64_relaxed(h, v);
	} else {
		if constexpr (!capable<B, W>) return unreachable_after_error<missing>();
		else if constexpr (W == 1) return B::write8(h, v);
		else if constexpr (W == 2) return B::write16(h, v);
		else if constexpr (W == 4) return B::write32(h, v);
		else return B::write64(h, v);
	}
}

/*
 * The byte-order rule of typed scalar access (doc/memory-order.md, "Byte order"):
 * - an integer (u8..u64, s8..s64) is a number in the backend's device order, the same number the
 *   untyped accessor of that width returns (readl() for a little-endian MMIO backend);
 * - any other plain data (le32, be16, a small struct) is bytes: read_val() returns what a byte
 *   copy of it gives, so le32::get() and copy_read() agree with it whatever the backend's order.
 */
template <typename T> inline constexpr bool is_number = is_integer<T>;

template <typename B, typename T, typename W> constexpr T from_backend(W v) noexcept
{
	if constexpr (is_number<T>)
		return bit_cast<T>(v);
	else
		return bit_cast<T>(convert_order<B::order>(v));
}
template <typename B, typename T> constexpr uint_of_size_t<sizeof(T)> to_backend(T value) noexcept
{
	using W = uint_of_size_t<sizeof(T)>;
	if constexpr (is_number<T>)
		return bit_cast<W>(value);
	else
		return convert_order<B::order>(bit_cast<W>(value));
}

template <typename B, typename T, bool Relaxed> inline read_result_t<B, T> scalar_read(typename B::handle h)
{
	if constexpr (!io_scalar<T>) {
		return unreachable_after_error<read_result_t<B, T>>(); // scalar_check reported it
	} else if constexpr (fallible<B>) {
		using W = uint_of_size_t<sizeof(T)>;
		result<W> r = backend_read<B, sizeof(T), Relaxed>(h);
		if (!r)
			return failure{ r.error() };
		return from_backend<B, T>(r.value());
	} else {
		uint_of_size_t<sizeof(T)> raw = backend_read<B, sizeof(T), Relaxed>(h);
		return from_backend<B, T>(raw);
	}
}
template <typename B, typename T, bool Relaxed>
inline write_result_t<B> scalar_write(typename B::handle h, T value)
{
	if constexpr (!io_scalar<T>)
		return unreachable_after_error<write_result_t<B>>(); // scalar_check reported it
	else
		return backend_write<B, sizeof(T), Relaxed>(h, to_backend<B>(value));
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
 * @brief Proof that the code making a view out of a raw handle is backend B's own.
 *
 * Only B can construct one: the constructor is private and B its one friend. view::from_handle()
 * takes it, so a driver cannot wrap an arbitrary pointer, a shortened size or the handle of a
 * read-only view into a new view; it goes through the backend's checked constructors (try_view,
 * view_of, an owner's view()) or through projection, which keeps the invariants by construction.
 *
 * ```cpp
 * struct window_backend {
 *         using handle = ioview::u32 *;
 *         static constexpr ioview::byte_order order = ioview::byte_order::native;
 *         static ioview::uptr address(handle h) { return reinterpret_cast<ioview::uptr>(h); }
 *         static handle offset(handle h, ioview::usize n) { return h + n / 4; }
 *         static ioview::u32 read32(handle h) { return *h; }
 *         static void write32(handle h, ioview::u32 v) { *h = v; }
 *         // The backend's own constructor: the array reference proves 16 bytes.
 *         static auto of(ioview::u32 (&words)[4])
 *         {
 *                 return ioview::view<window_backend, ioview::region<16>>::from_handle(
 *                         ioview::backend_key<window_backend>{}, words, sizeof(words));
 *         }
 * };
 * ```
 */
template <typename B> class backend_key {
	friend B;
	constexpr backend_key() noexcept {}
};

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
	static_assert(detail::check_viewable<T>());
	using size_info = known_size<T>;
	struct no_extent {};
	using extent_type = detail::conditional_t<size_info::is_dynamic, usize, no_extent>;

public:
	using backend_type = B;				///< the backend B
	using target_type = T;				///< what the view names, T
	using handle_type = typename B::handle;		///< the backend's handle

	/**
	 * @brief Wrap a backend handle of a fixed-size T; for backend B's own constructors only.
	 *
	 * Precondition, which B vouches for by holding the key: @p h names sizeof(T) bytes aligned
	 * to known_size<T>::min_align that stay valid while the view is used. Drivers use the
	 * backend's checked constructors instead.
	 */
	static constexpr view from_handle(backend_key<B>, handle_type h) noexcept
		requires(!size_info::is_dynamic)
	{
		return view(h, no_extent{});
	}
	/**
	 * @brief Wrap a handle of a region (@p extent = bytes) or slice (@p extent = elements); for
	 * backend B's own constructors only.
	 *
	 * The extent is checked here, whoever calls: a region below its minimum size or not a
	 * multiple of 4 is a contract violation (see support.h), never a view that reaches past the
	 * real bytes. Alignment remains B's to check (detail::checked_view does).
	 */
	static constexpr view from_handle(backend_key<B>, handle_type h, usize extent) noexcept
		requires(size_info::is_dynamic)
	{
		if constexpr (size_info::is_region) {
			if (extent < size_info::min_size || extent % 4 != 0) {
				detail::contract_violation("ioview: region view over fewer bytes than its minimum",
							   -einval);
				return view(handle_type{}, size_info::min_size); // handler returned: address 0
			}
		}
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
			static_assert(detail::reject<diag::not_an_array<T>>());
	}

	/** @brief The same location, read-only: writes through the result do not compile. */
	constexpr view<B, const T> as_const() const noexcept
	{
		if constexpr (size_info::is_dynamic)
			return view<B, const T>::project(h_, extent_);
		else
			return view<B, const T>::project(h_);
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
			static_assert(detail::reject<diag::slice_index_needs_try_at<T>>());
		} else if constexpr (!detail::array_traits<T>::is_array) {
			static_assert(detail::reject<diag::not_an_array<T>>());
		} else {
			using E = typename detail::array_traits<T>::element;
			static_assert(detail::check_index<T, I, detail::array_traits<T>::length>());
			return view<B, E>::project(B::offset(h_, I * sizeof(E)));
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
			if (i >= extent_) [[unlikely]]
				return R(fail(erange));
			return R(view<B, E>::project(B::offset(h_, i * sizeof(E))));
		} else if constexpr (detail::array_traits<T>::is_array) {
			using E = typename detail::array_traits<T>::element;
			using R = result<view<B, E>>;
			if (i >= detail::array_traits<T>::length) [[unlikely]]
				return R(fail(erange));
			return R(view<B, E>::project(B::offset(h_, i * sizeof(E))));
		} else {
			static_assert(detail::reject<diag::not_an_array<T>>());
		}
	}

	/**
	 * @brief Elements [Off, Off + Len) of an array view as a view of E[Len]; checked at compile
	 * time.
	 */
	template <usize Off, usize Len> constexpr auto subrange() const noexcept
	{
		if constexpr (size_info::is_slice) {
			static_assert(detail::reject<diag::slice_index_needs_try_at<T>>());
		} else if constexpr (!detail::array_traits<T>::is_array) {
			static_assert(detail::reject<diag::not_an_array<T>>());
		} else {
			using E = typename detail::array_traits<T>::element;
			constexpr usize n = detail::array_traits<T>::length;
			static_assert(detail::check_bounds<T, Off * sizeof(E), Len * sizeof(E), n * sizeof(E)>());
			using sub = detail::copy_const_t<E, detail::remove_cv_t<E>[Len]>;
			return view<B, sub>::project(B::offset(h_, Off * sizeof(E)));
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
			if (!detail::range_fits(off, len, length())) [[unlikely]]
				return R(fail(erange));
			return R(view<B, S>::project(B::offset(h_, off * sizeof(E)), len));
		} else {
			static_assert(detail::reject<diag::not_an_array<T>>());
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
		static_assert(detail::expect_all<detail::region_check<T>, detail::plain_check<U>,
						 detail::bounds_check<T, Off, sizeof(U), size_info::min_size>,
						 detail::aligned_check<T, Off, alignof(U)>,
						 detail::base_align_check<T, alignof(U)>>());
		return view<B, detail::copy_const_t<T, U>>::project(B::offset(h_, Off));
	}

	/**
	 * @brief A typed view of a plain-data U at byte offset @p off of a region, checked at run
	 * time against the real size and the real address.
	 * @return the view, -ERANGE if it does not fit, -EINVAL if the address is misaligned.
	 */
	template <typename U> constexpr auto try_at_offset(usize off) const noexcept
	{
		static_assert(detail::expect_all<detail::region_check<T>, detail::plain_check<U>>());
		using V = view<B, detail::copy_const_t<T, U>>;
		if (!detail::range_fits(off, sizeof(U), extent_)) [[unlikely]]
			return result<V>(fail(erange));
		handle_type h = B::offset(h_, off);
		if (!detail::is_aligned(B::address(h), alignof(U))) [[unlikely]]
			return result<V>(fail(einval));
		return result<V>(V::project(h));
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
		static_assert(detail::is_region<R>, "ioview: region_at needs a region type R");
		static_assert(detail::expect_all<detail::region_check<T>,
						 detail::bounds_check<T, Off, R::min_size, size_info::min_size>,
						 detail::aligned_check<T, Off, R::align>, detail::base_align_check<T, R::align>>());
		return view<B, detail::copy_const_t<T, R>>::project(B::offset(h_, Off), R::min_size);
	}

	/**
	 * @brief A sub-region R at runtime offset @p off (e.g. a per-instance base).
	 * @return the view, -ERANGE if R does not fit, -EINVAL if misaligned.
	 */
	template <typename R> constexpr auto try_region_at(usize off) const noexcept
	{
		static_assert(detail::expect_all<detail::region_check<T>>());
		static_assert(detail::is_region<R>, "ioview: try_region_at needs a region type R");
		using V = view<B, detail::copy_const_t<T, R>>;
		if (!detail::range_fits(off, R::min_size, extent_)) [[unlikely]]
			return result<V>(fail(erange));
		handle_type h = B::offset(h_, off);
		if (!detail::is_aligned(B::address(h), R::align)) [[unlikely]]
			return result<V>(fail(einval));
		return result<V>(V::project(h, R::min_size));
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
		if (sizeof(U) > size()) [[unlikely]]
			return result<V>(fail(einval));
		if (!detail::is_aligned(B::address(h_), alignof(U))) [[unlikely]]
			return result<V>(fail(einval));
		return result<V>(V::project(h_));
	}

	/**
	 * @brief The view of the U at @p Off; used by IOVIEW_PROJECT only.
	 *
	 * The macro derives U and Off from the member path with offsetof, so the member is known
	 * to exist; bounds and alignment are still checked here.
	 */
	template <typename U, usize Off>
	constexpr auto project_member(detail::member_projection_key) const noexcept
	{
		static_assert(!size_info::is_dynamic, "ioview: member projection needs a view of a struct");
		static_assert(detail::expect_all<detail::bounds_check<T, Off, sizeof(U), sizeof(T)>,
						 detail::aligned_check<T, Off, alignof(U)>,
						 detail::base_align_check<T, alignof(U)>>());
		return view<B, detail::copy_const_t<T, U>>::project(B::offset(h_, Off));
	}

	/* --- Typed scalar access --------------------------------------------------------------- */

	/**
	 * @brief Read the whole T in one access of sizeof(T) bytes; never torn.
	 *
	 * The value has T's memory representation, the same a byte copy would give.
	 */
	auto read_val() const noexcept
	{
		return scalar_read<false>();
	}

	/** @brief Write the whole T in one access of sizeof(T) bytes; never torn, never reads. */
	write_result_t<B> write_val(detail::remove_cv_t<T> value) const noexcept
	{
		return scalar_write<false>(value);
	}

	/** @brief read_val() without the ordering barriers of the default accessor. */
	auto read_val_relaxed() const noexcept
	{
		return scalar_read<true>();
	}

	/** @brief write_val() without the ordering barriers of the default accessor. */
	write_result_t<B> write_val_relaxed(detail::remove_cv_t<T> value) const noexcept
	{
		return scalar_write<true>(value);
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
	/** @brief One access of the width in the name at byte offset @p Off of the region. */
	template <usize Off> read_result_t<B, u8> read8() const noexcept { return untyped_read<u8, Off, false>(); }
	template <usize Off> read_result_t<B, u16> read16() const noexcept { return untyped_read<u16, Off, false>(); }
	template <usize Off> read_result_t<B, u32> read32() const noexcept { return untyped_read<u32, Off, false>(); }
	template <usize Off> read_result_t<B, u64> read64() const noexcept { return untyped_read<u64, Off, false>(); }
	template <usize Off> write_result_t<B> write8(u8 v) const noexcept { return untyped_write<u8, Off, false>(v); }
	template <usize Off> write_result_t<B> write16(u16 v) const noexcept { return untyped_write<u16, Off, false>(v); }
	template <usize Off> write_result_t<B> write32(u32 v) const noexcept { return untyped_write<u32, Off, false>(v); }
	template <usize Off> write_result_t<B> write64(u64 v) const noexcept { return untyped_write<u64, Off, false>(v); }
	///@}

	/**
	 * @name Relaxed untyped accessors at a constant offset (readl_relaxed() and friends).
	 *
	 * The same access without the backend's ordering barriers; they exist where the backend
	 * has relaxed accessors of that width.
	 */
	///@{
	/** @brief One relaxed access of the width in the name at byte offset @p Off of the region. */
	template <usize Off> read_result_t<B, u8> read8_relaxed() const noexcept { return untyped_read<u8, Off, true>(); }
	template <usize Off> read_result_t<B, u16> read16_relaxed() const noexcept { return untyped_read<u16, Off, true>(); }
	template <usize Off> read_result_t<B, u32> read32_relaxed() const noexcept { return untyped_read<u32, Off, true>(); }
	template <usize Off> read_result_t<B, u64> read64_relaxed() const noexcept { return untyped_read<u64, Off, true>(); }
	template <usize Off> write_result_t<B> write8_relaxed(u8 v) const noexcept { return untyped_write<u8, Off, true>(v); }
	template <usize Off> write_result_t<B> write16_relaxed(u16 v) const noexcept { return untyped_write<u16, Off, true>(v); }
	template <usize Off> write_result_t<B> write32_relaxed(u32 v) const noexcept { return untyped_write<u32, Off, true>(v); }
	template <usize Off> write_result_t<B> write64_relaxed(u64 v) const noexcept { return untyped_write<u64, Off, true>(v); }
	///@}

	/**
	 * @name Untyped accessors at a runtime offset.
	 *
	 * They return -ERANGE if [off, off + width) is outside the region and -EINVAL if the
	 * address is not width-aligned; in both cases nothing is accessed.
	 */
	///@{
	/** @brief One access of the width in the name at byte offset @p off, or -ERANGE/-EINVAL and none. */
	result<u8> try_read8(usize off) const noexcept { return untyped_try_read<u8, false>(off); }
	result<u16> try_read16(usize off) const noexcept { return untyped_try_read<u16, false>(off); }
	result<u32> try_read32(usize off) const noexcept { return untyped_try_read<u32, false>(off); }
	result<u64> try_read64(usize off) const noexcept { return untyped_try_read<u64, false>(off); }
	status try_write8(usize off, u8 v) const noexcept { return untyped_try_write<u8, false>(off, v); }
	status try_write16(usize off, u16 v) const noexcept { return untyped_try_write<u16, false>(off, v); }
	status try_write32(usize off, u32 v) const noexcept { return untyped_try_write<u32, false>(off, v); }
	status try_write64(usize off, u64 v) const noexcept { return untyped_try_write<u64, false>(off, v); }
	///@}

	/** @name Relaxed untyped accessors at a runtime offset; checks and errors as above. */
	///@{
	/** @brief One relaxed access of the width in the name at @p off, or -ERANGE/-EINVAL and none. */
	result<u8> try_read8_relaxed(usize off) const noexcept { return untyped_try_read<u8, true>(off); }
	result<u16> try_read16_relaxed(usize off) const noexcept { return untyped_try_read<u16, true>(off); }
	result<u32> try_read32_relaxed(usize off) const noexcept { return untyped_try_read<u32, true>(off); }
	result<u64> try_read64_relaxed(usize off) const noexcept { return untyped_try_read<u64, true>(off); }
	status try_write8_relaxed(usize off, u8 v) const noexcept { return untyped_try_write<u8, true>(off, v); }
	status try_write16_relaxed(usize off, u16 v) const noexcept { return untyped_try_write<u16, true>(off, v); }
	status try_write32_relaxed(usize off, u32 v) const noexcept { return untyped_try_write<u32, true>(off, v); }
	status try_write64_relaxed(usize off, u64 v) const noexcept { return untyped_try_write<u64, true>(off, v); }
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
		auto word = view<B, detail::copy_const_t<T, u32>>::project(B::offset(h_, off));
		if constexpr (fallible<B>)
			return word.update(detail::forward<F>(f));
		else {
			word.update(detail::forward<F>(f));
			return status::success();
		}
	}

private:
	template <typename, typename> friend class view;

	constexpr view(handle_type h, extent_type e) noexcept : h_(h), extent_(e) {}

	/* Projections: the parent's invariants imply the child's, so nothing is checked again. */
	static constexpr view project(handle_type h) noexcept requires(!size_info::is_dynamic)
	{
		return view(h, no_extent{});
	}
	static constexpr view project(handle_type h, usize extent) noexcept requires(size_info::is_dynamic)
	{
		return view(h, extent);
	}

	/* Untyped accesses are naturally aligned, which for every offered width is alignof(W). */
	template <typename W, usize Off> constexpr auto untyped_view() const noexcept
	{
		static_assert(alignof(W) == sizeof(W));
		return at_offset<W, Off>();
	}

	/*
	 * 0 if a W at runtime @p off is inside the region and aligned, else the negative errno of
	 * try_at_offset().  A plain int rather than a result<view>: the callers project the view
	 * themselves.
	 */
	template <typename W> constexpr int untyped_check(usize off) const noexcept
	{
		static_assert(alignof(W) == sizeof(W));
		if (!detail::range_fits(off, sizeof(W), extent_)) [[unlikely]]
			return -erange;
		if (!detail::is_aligned(B::address(B::offset(h_, off)), alignof(W))) [[unlikely]]
			return -einval;
		return 0;
	}

	/*
	 * Each access states all its checks in one expect_all, so only the first that fails is
	 * reported, and compiles the access itself only when they all pass: one mistake, one error.
	 */
	template <bool Relaxed> auto scalar_read() const noexcept
	{
		using V = detail::remove_cv_t<T>;
		using scalar = detail::scalar_check<T>;
		using width = detail::width_check<B, sizeof(T), Relaxed>;
		static_assert(detail::expect_all<scalar, width>());
		if constexpr (detail::all_ok<scalar, width>)
			return detail::scalar_read<B, V, Relaxed>(h_);
		else
			return detail::unreachable_after_error<read_result_t<B, V>>();
	}
	template <bool Relaxed> write_result_t<B> scalar_write(detail::remove_cv_t<T> value) const noexcept
	{
		using writable = detail::writable_check<T>;
		using scalar = detail::scalar_check<T>;
		using width = detail::width_check<B, sizeof(T), Relaxed>;
		static_assert(detail::expect_all<writable, scalar, width>());
		if constexpr (detail::all_ok<writable, scalar, width>)
			return detail::scalar_write<B, detail::remove_cv_t<T>, Relaxed>(h_, value);
		else
			return detail::unreachable_after_error<write_result_t<B>>();
	}

	/* The compile-time checks of an untyped access of a W at Off; the width comes first. */
	template <typename W, usize Off, bool Relaxed>
	static constexpr bool untyped_ok =
		detail::all_ok<detail::width_check<B, sizeof(W), Relaxed>, detail::region_check<T>,
			       detail::bounds_check<T, Off, sizeof(W), size_info::min_size>,
			       detail::aligned_check<T, Off, alignof(W)>, detail::base_align_check<T, alignof(W)>>;
	template <typename W, usize Off, bool Relaxed> static consteval bool check_untyped()
	{
		static_assert(alignof(W) == sizeof(W));
		return detail::expect_all<detail::width_check<B, sizeof(W), Relaxed>, detail::region_check<T>,
					  detail::bounds_check<T, Off, sizeof(W), size_info::min_size>,
					  detail::aligned_check<T, Off, alignof(W)>,
					  detail::base_align_check<T, alignof(W)>>();
	}

	/* Untyped reads return the CPU value in the backend's byte order, like readl(). */
	template <typename W, usize Off, bool Relaxed> read_result_t<B, W> untyped_read() const noexcept
	{
		static_assert(check_untyped<W, Off, Relaxed>());
		if constexpr (untyped_ok<W, Off, Relaxed>)
			return detail::backend_read<B, sizeof(W), Relaxed>(B::offset(h_, Off));
		else
			return detail::unreachable_after_error<read_result_t<B, W>>();
	}
	template <typename W, usize Off, bool Relaxed> write_result_t<B> untyped_write(W v) const noexcept
	{
		static_assert(check_untyped<W, Off, Relaxed>());
		static_assert(detail::check_writable<T>());
		if constexpr (untyped_ok<W, Off, Relaxed> && !detail::is_const<T>)
			return detail::backend_write<B, sizeof(W), Relaxed>(B::offset(h_, Off), v);
		else
			return detail::unreachable_after_error<write_result_t<B>>();
	}

	/* The runtime-offset forms need a region and the width; the rest is checked at run time. */
	template <typename W, bool Relaxed>
	static constexpr bool untyped_try_ok = detail::all_ok<detail::width_check<B, sizeof(W), Relaxed>, detail::region_check<T>>;

	template <typename W, bool Relaxed> result<W> untyped_try_read(usize off) const noexcept
	{
		static_assert(detail::expect_all<detail::width_check<B, sizeof(W), Relaxed>, detail::region_check<T>>());
		if constexpr (!untyped_try_ok<W, Relaxed>) {
			return detail::unreachable_after_error<result<W>>();
		} else {
			if (int err = untyped_check<W>(off))
				return failure{ err };
			return detail::backend_read<B, sizeof(W), Relaxed>(B::offset(h_, off));
		}
	}
	template <typename W, bool Relaxed> status untyped_try_write(usize off, W value) const noexcept
	{
		static_assert(detail::expect_all<detail::width_check<B, sizeof(W), Relaxed>, detail::region_check<T>,
						 detail::writable_check<T>>());
		if constexpr (!untyped_try_ok<W, Relaxed> || detail::is_const<T>) {
			return detail::unreachable_after_error<status>();
		} else {
			if (int err = untyped_check<W>(off))
				return failure{ err };
			if constexpr (fallible<B>) {
				return detail::backend_write<B, sizeof(W), Relaxed>(B::offset(h_, off), value);
			} else {
				detail::backend_write<B, sizeof(W), Relaxed>(B::offset(h_, off), value);
				return status::success();
			}
		}
	}

	handle_type h_;
	[[no_unique_address]] extent_type extent_;
};

namespace detail {

/*
 * The view of a T at handle h over `bytes` bytes, as every backend's try_view() makes it with its
 * own key: the address must have T's minimum alignment and the bytes its minimum size; a region's
 * length must be a multiple of 4 and a slice's a multiple of its element.  -EINVAL otherwise.
 */
template <typename B, typename T>
result<view<B, T>> checked_view(backend_key<B> key, typename B::handle h, usize bytes) noexcept
{
	using ks = known_size<T>;
	using R = result<view<B, T>>;
	if (!is_aligned(B::address(h), ks::min_align) || bytes < ks::min_size) [[unlikely]]
		return R(fail(einval));
	if constexpr (ks::is_region) {
		if (bytes % 4 != 0) [[unlikely]]
			return R(fail(einval));
		return R(view<B, T>::from_handle(key, h, bytes));
	} else if constexpr (ks::is_slice) {
		constexpr usize elem = sizeof(typename slice_element<T>::type);
		if (bytes % elem != 0) [[unlikely]]
			return R(fail(einval));
		return R(view<B, T>::from_handle(key, h, bytes / elem));
	} else {
		return R(view<B, T>::from_handle(key, h));
	}
}

/*
 * The view of `count` elements E at handle h, as the backends' try_slice() makes it: the address
 * must be aligned for E and count * sizeof(E) must be representable.  -EINVAL otherwise.  Taking
 * the count, not a byte length, spares a driver that knows its ring's length a multiplication
 * and a division the compiler cannot always fold.
 */
template <typename B, typename E>
result<view<B, slice<E>>> checked_slice(backend_key<B> key, typename B::handle h, usize count) noexcept
{
	using R = result<view<B, slice<E>>>;
	if (!is_aligned(B::address(h), alignof(E)) || count > static_cast<usize>(-1) / sizeof(E)) [[unlikely]]
		return R(fail(einval));
	return R(view<B, slice<E>>::from_handle(key, h, count));
}

} // namespace detail

} // namespace ioview

#endif /* IOVIEW_VIEW_H */
