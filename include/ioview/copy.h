/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file copy.h
 * @brief memcpy-like copies between views and normal memory, and between two views.
 *
 * Copies move bytes: no byte swapping, no atomicity. They are always inlined, so a copy of a
 * small struct is the handful of accesses it is, visible to the compiler at the call site (and
 * every one of them is kept: each is a backend access, volatile on memory backends).
 *
 * A struct copied out is split into
 * accesses as wide as its alignment allows (at most 8 bytes), so another agent writing at the
 * same time can leave a mix of old and new fields. Use read_val/write_val for a value that must
 * be read or written in one piece. Fields that the device defines in a byte order should be
 * declared with the endian types (endian.h) so a copy and a scalar read agree.
 *
 * Example:
 * ```cpp
 * struct rx_desc {
 *         ioview::u64 addr;
 *         ioview::u32 len;
 *         ioview::u32 status;
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<rx_desc> = true;
 *
 * ioview::u32 copy_example()
 * {
 *         rx_desc ring[4] = {};
 *         auto v = ioview::sysmem::view_of(ring);
 *         ioview::copy_write(v.at<1>(), rx_desc{ 0x1000, 64, 1 });
 *         rx_desc d = ioview::copy_read(v.at<1>());
 *         // Move descriptors 0..2 one slot up: the ranges overlap, the copy handles it.
 *         ioview::status s = ioview::io_copy(v.subrange<1, 3>(), v.subrange<0, 3>());
 *         return s.ok() ? d.len : 0;
 * }
 * ```
 */
#ifndef IOVIEW_COPY_H
#define IOVIEW_COPY_H

#include <ioview/view.h>

namespace ioview {

/**
 * @brief A backend with its own block copy between its space and normal memory.
 *
 * `B::copy_from(h, dst, n)` copies @p n bytes at @p h into @p dst and `B::copy_to(h, src, n)`
 * copies them back, bytes in memory order, no swapping, any length and alignment. An MMIO
 * backend maps them to memcpy_fromio()/memcpy_toio(), which pick access widths the bus
 * tolerates. Copies between a view and normal memory use them; io_copy() between two views
 * does not (it must order its accesses for overlap).
 *
 * ```cpp
 * struct block_backend {
 *         using handle = unsigned char *;
 *         static constexpr ioview::byte_order order = ioview::byte_order::native;
 *         static ioview::uptr address(handle h) { return reinterpret_cast<ioview::uptr>(h); }
 *         static handle offset(handle h, ioview::usize n) { return h + n; }
 *         static void copy_from(handle h, void *dst, ioview::usize n) { __builtin_memcpy(dst, h, n); }
 *         static void copy_to(handle h, const void *src, ioview::usize n) { __builtin_memcpy(h, src, n); }
 * };
 * static_assert(ioview::block_copy_capable<block_backend>);
 * static_assert(ioview::copy_capable<block_backend>);
 * ```
 */
template <typename B>
concept block_copy_capable = backend<B> && requires(typename B::handle h, void *d, const void *s, usize n) {
	B::copy_from(h, d, n);
	B::copy_to(h, s, n);
};

/**
 * @brief A backend that copies can use: its own block copy, or byte accesses as the minimum
 * for arbitrary lengths and alignments, wider accessors where alignment allows.
 */
template <typename B>
concept copy_capable = backend<B> && (block_copy_capable<B> || capable<B, 1>);

namespace detail {

template <typename B> consteval usize widest_access(usize limit)
{
	if (limit >= 8 && capable<B, 8>)
		return 8;
	if (limit >= 4 && capable<B, 4>)
		return 4;
	if (limit >= 2 && capable<B, 2>)
		return 2;
	return 1;
}

/* Raw bytes of one access: the backend value turned back into memory order. */
template <typename B, usize W> [[gnu::always_inline]] inline status read_raw(typename B::handle h, unsigned char *out)
{
	using U = uint_of_size_t<W>;
	U value;
	if constexpr (fallible<B>) {
		result<U> r = backend_read<B, W, false>(h);
		if (!r)
			return r.to_status();
		value = r.value();
	} else {
		value = backend_read<B, W, false>(h);
	}
	U raw = convert_order<B::order>(value);
	__builtin_memcpy(out, &raw, W);
	return status::success();
}

template <typename B, usize W> [[gnu::always_inline]] inline status write_raw(typename B::handle h, const unsigned char *in)
{
	using U = uint_of_size_t<W>;
	U raw;
	__builtin_memcpy(&raw, in, W);
	if constexpr (fallible<B>) {
		return backend_write<B, W, false>(h, convert_order<B::order>(raw));
	} else {
		backend_write<B, W, false>(h, convert_order<B::order>(raw));
		return status::success();
	}
}

/* Width usable at address a with n bytes left: the widest the backend has and alignment allows. */
template <typename B> inline usize step_width(uptr a, usize n)
{
	if (capable<B, 8> && n >= 8 && (a & 7) == 0)
		return 8;
	if (capable<B, 4> && n >= 4 && (a & 3) == 0)
		return 4;
	if (capable<B, 2> && n >= 2 && (a & 1) == 0)
		return 2;
	return 1;
}

template <typename B, bool ToIo>
[[gnu::always_inline]] inline status transfer_step(typename B::handle h, unsigned char *mem, usize w)
{
	if constexpr (ToIo) {
		switch (w) {
		case 8: if constexpr (capable<B, 8>) return write_raw<B, 8>(h, mem); break;
		case 4: if constexpr (capable<B, 4>) return write_raw<B, 4>(h, mem); break;
		case 2: if constexpr (capable<B, 2>) return write_raw<B, 2>(h, mem); break;
		default: break;
		}
		return write_raw<B, 1>(h, mem);
	} else {
		switch (w) {
		case 8: if constexpr (capable<B, 8>) return read_raw<B, 8>(h, mem); break;
		case 4: if constexpr (capable<B, 4>) return read_raw<B, 4>(h, mem); break;
		case 2: if constexpr (capable<B, 2>) return read_raw<B, 2>(h, mem); break;
		default: break;
		}
		return read_raw<B, 1>(h, mem);
	}
}

/*
 * n bytes between a backend location and normal memory. When the location's alignment is known
 * at compile time (KnownAlign > 1) and n is a multiple of it, every step has the same width and
 * the loop folds to straight-line accesses for small constant n.
 */
template <typename B, bool ToIo, usize KnownAlign = 1>
[[gnu::always_inline]] inline status transfer(typename B::handle h, unsigned char *mem, usize n)
{
	if constexpr (block_copy_capable<B>) {
		if constexpr (ToIo)
			B::copy_to(h, mem, n);
		else
			B::copy_from(h, mem, n);
		return status::success();
	}
	constexpr usize w_fixed = widest_access<B>(KnownAlign);
	if (w_fixed > 1 && n % w_fixed == 0) {
		for (usize i = 0; i < n; i += w_fixed) {
			status s = transfer_step<B, ToIo>(B::offset(h, i), mem + i, w_fixed);
			if constexpr (fallible<B>)
				if (!s)
					return s;
		}
		return status::success();
	}
	for (usize i = 0; i < n;) {
		typename B::handle at = B::offset(h, i);
		usize w = step_width<B>(B::address(at), n - i);
		status s = transfer_step<B, ToIo>(at, mem + i, w);
		if constexpr (fallible<B>)
			if (!s)
				return s;
		i += w;
	}
	return status::success();
}

template <typename B> inline usize pair_width(uptr d, uptr s, usize n)
{
	usize wd = step_width<B>(d, n);
	usize ws = step_width<B>(s, n);
	return wd < ws ? wd : ws;
}

/* One chunk: read w bytes from src into a register-sized buffer, then write them to dst. */
template <typename BD, typename BS>
inline status move_chunk(typename BD::handle d, typename BS::handle s, usize w)
{
	unsigned char chunk[8];
	status r = transfer_step<BS, false>(s, chunk, w);
	if (!r)
		return r;
	return transfer_step<BD, true>(d, chunk, w);
}

} // namespace detail

/**
 * @brief Copy the whole T out of @p v, as memcpy would: no swapping, not atomic.
 *
 * For a fallible backend the result carries the first access error.
 *
 * ```cpp
 * struct pair { ioview::u32 a, b; };
 * template <> inline constexpr bool ioview::enable_plain_data<pair> = true;
 * pair copy_read_example(ioview::view<ioview::sysmem, pair> v) { return ioview::copy_read(v); }
 * ```
 */
template <typename B, typename T> [[gnu::always_inline]] inline auto copy_read(view<B, T> v)
{
	static_assert(!known_size<T>::is_dynamic, "ioview: copy_read takes a fixed-size T; use copy_to_slice");
	static_assert(!detail::array_traits<T>::is_array, "ioview: an array cannot be returned by value; use copy_to_slice");
	static_assert(detail::check_plain<detail::remove_cv_t<T>>());
	static_assert(copy_capable<B>, "ioview: the backend of this view cannot copy");
	using V = detail::remove_cv_t<T>;
	struct bytes {
		alignas(V) unsigned char b[sizeof(V)];
	} out;
	status s = detail::transfer<B, false, alignof(V)>(v.handle(), out.b, sizeof(V));
	if constexpr (fallible<B>) {
		if (!s)
			return result<V>(failure{ s.error() });
		return result<V>(bit_cast<V>(out));
	} else {
		(void)s;
		return bit_cast<V>(out);
	}
}

/**
 * @brief Copy @p value into @p v, as memcpy would: no swapping, not atomic.
 *
 * ```cpp
 * void copy_write_example(ioview::view<ioview::sysmem, ioview::u32[4]> v)
 * {
 *         const ioview::u32 zeros[4] = {};
 *         ioview::copy_write(v, zeros);
 * }
 * ```
 */
template <typename B, typename T>
[[gnu::always_inline]] inline write_result_t<B> copy_write(view<B, T> v, const detail::remove_cv_t<T> &value)
{
	static_assert(!known_size<T>::is_dynamic, "ioview: copy_write takes a fixed-size T; use copy_from_slice");
	static_assert(detail::check_writable<T>());
	static_assert(detail::check_plain<detail::remove_cv_t<T>>());
	static_assert(copy_capable<B>, "ioview: the backend of this view cannot copy");
	using V = detail::remove_cv_t<T>;
	// The bytes of value itself, not a copy: a block copy hands them straight to the backend.
	auto *in = const_cast<unsigned char *>(reinterpret_cast<const unsigned char *>(__builtin_addressof(value)));
	status s = detail::transfer<B, true, alignof(V)>(v.handle(), in, sizeof(V));
	if constexpr (fallible<B>)
		return s;
	else
		(void)s;
}

/**
 * @brief Copy an array or slice view into @p dst, which must have exactly length() elements.
 * @return success; -EINVAL if @p count differs from the view's length (nothing copied);
 * an access error from a fallible backend (then part may be copied).
 *
 * ```cpp
 * ioview::status drain(ioview::view<ioview::sysmem, ioview::slice<ioview::u16>> fifo, ioview::u16 (&out)[8])
 * {
 *         return ioview::copy_to_slice(fifo, out, 8);
 * }
 * ```
 */
template <typename B, typename T, typename E>
status copy_to_slice(view<B, T> v, E *dst, usize count)
{
	using VE = detail::remove_cv_t<typename detail::element_of<T>::type>;
	static_assert(detail::is_same<VE, E>, "ioview: destination element type differs from the view's");
	static_assert(detail::check_plain<VE>());
	static_assert(copy_capable<B>, "ioview: the backend of this view cannot copy");
	if (count != v.length()) [[unlikely]]
		return fail(einval);
	return detail::transfer<B, false, alignof(VE)>(v.handle(), reinterpret_cast<unsigned char *>(dst),
						      count * sizeof(VE));
}

/**
 * @brief Copy @p count elements from normal memory into an array or slice view of the same
 * length.
 * @return success; -EINVAL if @p count differs from the view's length (nothing copied);
 * an access error from a fallible backend.
 */
template <typename B, typename T, typename E>
status copy_from_slice(view<B, T> v, const E *src, usize count)
{
	using VE = typename detail::element_of<T>::type;
	static_assert(detail::check_writable<VE>());
	static_assert(detail::is_same<VE, E>, "ioview: source element type differs from the view's");
	static_assert(detail::check_plain<VE>());
	static_assert(copy_capable<B>, "ioview: the backend of this view cannot copy");
	if (count != v.length()) [[unlikely]]
		return fail(einval);
	return detail::transfer<B, true, alignof(VE)>(
		v.handle(), const_cast<unsigned char *>(reinterpret_cast<const unsigned char *>(src)), count * sizeof(VE));
}

/**
 * @brief Copy the bytes of @p src into @p dst (views of any backends), correct when they
 * overlap: like memmove, it copies forwards when dst starts at or below src and backwards
 * otherwise, each access at most 8 bytes and read before the write that could clobber it.
 * @return success; -EINVAL if the sizes differ (nothing copied); an access error from a
 * fallible backend.
 *
 * ```cpp
 * ioview::status shift_left(ioview::view<ioview::sysmem, ioview::u8[16]> buf)
 * {
 *         return ioview::io_copy(buf.subrange<0, 12>(), buf.subrange<4, 12>());
 * }
 * ```
 */
template <typename BD, typename TD, typename BS, typename TS>
status io_copy(view<BD, TD> dst, view<BS, TS> src)
{
	static_assert(detail::check_writable<TD>());
	static_assert(capable<BD, 1> && capable<BS, 1>,
		      "ioview: io_copy orders single accesses for overlap and needs byte accessors on both backends");
	usize n = dst.size();
	if (n != src.size())
		return fail(einval);
	uptr da = dst.address();
	uptr sa = src.address();
	if (da <= sa) {
		for (usize i = 0; i < n;) {
			usize wd = detail::pair_width<BD>(da + i, sa + i, n - i);
			usize ws = detail::pair_width<BS>(da + i, sa + i, n - i);
			usize w = wd < ws ? wd : ws;
			status s = detail::move_chunk<BD, BS>(BD::offset(dst.handle(), i), BS::offset(src.handle(), i), w);
			if (!s)
				return s;
			i += w;
		}
	} else {
		for (usize end = n; end > 0;) {
			/* Widest access that ends at `end` and is aligned at both places. */
			usize w = 1;
			for (usize cand = 8; cand > 1; cand /= 2) {
				if (cand <= end && detail::pair_width<BD>(da + end - cand, sa + end - cand, cand) == cand &&
				    detail::pair_width<BS>(da + end - cand, sa + end - cand, cand) == cand) {
					w = cand;
					break;
				}
			}
			status s = detail::move_chunk<BD, BS>(BD::offset(dst.handle(), end - w),
							      BS::offset(src.handle(), end - w), w);
			if (!s)
				return s;
			end -= w;
		}
	}
	return status::success();
}

} // namespace ioview

#endif /* IOVIEW_COPY_H */
