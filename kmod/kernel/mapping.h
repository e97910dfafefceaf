// SPDX-License-Identifier: GPL-2.0
//
// What the owned mappings (bar_mapping.h, iomem_mapping.h) share: the
// length check their map() makes before mapping anything, and the view of
// T over the whole mapping once it is mapped.
//
//     int err = mapping_length_error<T>(len);
//     if (err)
//             return fail(err);                       // -ENXIO, nothing mapped yet
//     ...
//     return whole_mapping_view<T>(base_, len_);      // in view()
#ifndef IOVIEW_KMOD_MAPPING_H
#define IOVIEW_KMOD_MAPPING_H

#include <ioview/view.h>

#include "kernel/errno.h"
#include "kernel/mmio.h"

namespace ioview::kernel {

/**
 * Why @p len bytes cannot be mapped and viewed as a T: ENXIO (positive, for
 * fail()) when they are fewer than known_size<T>::min_size or, on a 32-bit
 * kernel, 4 GiB or more (no single mapping that large); 0 when they can.
 *
 *     static_assert(mapping_length_error<region<0x1000>>(0x800) == enxio);
 */
template <typename T> constexpr int mapping_length_error(unsigned long long len) noexcept
{
	if (len < known_size<T>::min_size)
		return enxio;
	if constexpr (sizeof(usize) < sizeof(len)) {
		if (len > static_cast<usize>(-1))
			return enxio;
	}
	return 0;
}

/**
 * The view of T over a whole mapping of @p len bytes at @p base.
 * Precondition: kmmio::try_view<T>(base, len) succeeded (an owner checks
 * that once, in map(), and hands out this view afterwards).
 *
 *     view_type view() const noexcept { return whole_mapping_view<T>(base_, len_); }
 */
template <typename T> view<kmmio, T> whole_mapping_view(volatile void *base, usize len) noexcept
{
	// Only the backend makes views of raw addresses; its checks passed in map(), so value()
	// cannot trap here.
	return kmmio::try_view<T>(base, len).value();
}

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_MAPPING_H
