/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file region.h
 * @brief Sizes of viewable types: fixed-size types, arrays, slices and untyped regions.
 *
 * Every type a view can target has a known_size: a compile-time minimum size and minimum
 * alignment that the compile-time checks use, and whether its real size is only known at run
 * time (then the view carries it).
 *
 * Example:
 * ```cpp
 * struct bar0_tag;
 * using bar0 = ioview::region<0x100, bar0_tag>;  // at least 256 bytes, 4-byte aligned
 * static_assert(ioview::known_size<bar0>::min_size == 0x100);
 * static_assert(ioview::known_size<bar0>::min_align == 4);
 * static_assert(ioview::known_size<ioview::slice<ioview::u16>>::is_dynamic);
 * static_assert(ioview::known_size<ioview::u32[4]>::min_size == 16);
 * ```
 */
#ifndef IOVIEW_REGION_H
#define IOVIEW_REGION_H

#include <ioview/support.h>

namespace ioview {

/**
 * @brief An untyped I/O region of at least @p MinSize bytes, known exactly only at run time.
 *
 * It is a type-level description, never an object: views of it carry the runtime size.
 * Tag distinguishes one device's region from another's so registers bound to it cannot be
 * used elsewhere. Align is the guaranteed alignment of the base address (4 by default; raise it,
 * e.g. to 8 for a PCI BAR, to allow compile-time checked 64-bit accesses).
 *
 * Invariants of any view of a region: size >= MinSize, size % 4 == 0, base % Align == 0.
 *
 * Example:
 * ```cpp
 * struct nic_tag;
 * using nic_bar = ioview::region<0x1000, nic_tag, 8>;
 * static_assert(ioview::known_size<nic_bar>::min_align == 8);
 * ```
 */
template <usize MinSize, typename Tag = void, usize Align = 4> struct region {
	static_assert(MinSize % 4 == 0, "ioview: region minimum size must be a multiple of 4");
	static_assert(Align >= 4 && (Align & (Align - 1)) == 0,
		      "ioview: region alignment must be a power of two, at least 4");
	region() = delete;
	/** @brief Bytes every view of the region covers at least. */
	static constexpr usize min_size = MinSize;
	/** @brief Alignment of every view's base address. */
	static constexpr usize align = Align;
	/** @brief What tells regions of equal size apart (a device's register block). */
	using tag = Tag;
};

/**
 * @brief A run-time length sequence of E, like a pointer and a count.
 *
 * Type-level only; the view carries the element count.
 *
 * Example:
 * ```cpp
 * using ring = ioview::slice<ioview::u32>;
 * static_assert(ioview::known_size<ring>::min_size == 0);
 * static_assert(ioview::known_size<ring>::min_align == alignof(ioview::u32));
 * ```
 */
template <typename E> struct slice {
	slice() = delete;
	/** @brief The element type. */
	using element = E;
};

/**
 * @brief Size facts of a viewable type T.
 *
 * - `min_size`: bytes every view of T covers at least.
 * - `min_align`: alignment every view of T's base address has at least.
 * - `is_dynamic`: whether the exact size is a runtime value stored in the view.
 *
 * Example:
 * ```cpp
 * static_assert(ioview::known_size<ioview::u64>::min_size == 8);
 * static_assert(!ioview::known_size<ioview::u64>::is_dynamic);
 * ```
 */
template <typename T> struct known_size {
	/** @brief Bytes every view of T covers at least. */
	static constexpr usize min_size = sizeof(T);
	/** @brief Alignment every view of T's base address has at least. */
	static constexpr usize min_align = alignof(T);
	/** @brief Whether the exact size is a runtime value stored in the view. */
	static constexpr bool is_dynamic = false;
	/** @brief Whether T is a region<>. */
	static constexpr bool is_region = false;
	/** @brief Whether T is a slice<>. */
	static constexpr bool is_slice = false;
};

/** @brief A region: at least N bytes, aligned to A, its exact size held by the view. */
template <usize N, typename Tag, usize A> struct known_size<region<N, Tag, A>> {
	/** @brief The region's minimum size, N. */
	static constexpr usize min_size = N;
	/** @brief The region's alignment, A. */
	static constexpr usize min_align = A;
	/** @brief Always: the view holds the mapped size. */
	static constexpr bool is_dynamic = true;
	/** @brief Always. */
	static constexpr bool is_region = true;
	/** @brief Never. */
	static constexpr bool is_slice = false;
};

/** @brief A slice: any number of E, the count held by the view. */
template <typename E> struct known_size<slice<E>> {
	/** @brief An empty slice is a slice. */
	static constexpr usize min_size = 0;
	/** @brief The element's alignment. */
	static constexpr usize min_align = alignof(E);
	/** @brief Always: the view holds the element count. */
	static constexpr bool is_dynamic = true;
	/** @brief Never. */
	static constexpr bool is_region = false;
	/** @brief Always. */
	static constexpr bool is_slice = true;
};

/** @brief A const T has T's size facts. */
template <typename T> struct known_size<const T> : known_size<T> {};

namespace detail {
template <typename T> inline constexpr bool is_region = known_size<T>::is_region;
template <typename T> inline constexpr bool is_slice = known_size<T>::is_slice;

template <typename T> struct slice_element;
template <typename E> struct slice_element<slice<E>> { using type = E; };
template <typename E> struct slice_element<const slice<E>> { using type = const E; };

/* Element type of an array or a slice. */
template <typename T> struct element_of : slice_element<T> {};
template <typename E, usize N> struct element_of<E[N]> { using type = E; };
template <typename E, usize N> struct element_of<const E[N]> { using type = const E; };
} // namespace detail

} // namespace ioview

#endif /* IOVIEW_REGION_H */
