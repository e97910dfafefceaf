// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::iomem_mapping<T>: an owned, ioremap()ped range of
// physical I/O memory, handing out views of T (a typed register block or a
// region).  It is bar_mapping for what is not a whole PCI BAR: a window
// found in a table, a platform resource, part of a BAR.
//
//     struct window_tag;
//     using window = ioview::region<0x1000, window_tag, 8>;
//
//     int setup(unsigned long long phys, unsigned long long len)
//     {
//             auto m = ioview::kernel::iomem_mapping<window>::map(phys, len);
//             if (!m)
//                     return m.error();       // -ENXIO, -EBUSY, -EINVAL, -ENOMEM
//             auto win = m.take();
//             u64 v = win.view().read64<0x10>();
//             ...
//     }                                       // unmapped and released here
//
// map() checks the range first (non-empty, no wrap-around, at least
// known_size<T>::min_size bytes), so a range that is too short is refused
// before anything is requested.  Then it requests the range in the
// module's name (request_mem_region(), exclusive: a second request of any
// part of it, or a BAR mapping over it, gets -EBUSY) and ioremap()s it.
// Any later failure undoes what was done, in reverse order, so a failed
// map() leaves nothing requested and nothing mapped.  The destructor
// unmaps, then releases.  Moving hands the ownership over and leaves the
// source empty; copying does not compile.  As with bar_mapping, views do
// not keep the mapping alive: they must not be used after the mapping is
// destroyed or reset.
#ifndef IOVIEW_KMOD_IOMEM_MAPPING_H
#define IOVIEW_KMOD_IOMEM_MAPPING_H

#include <ioview/view.h>

#include "kernel/errno.h"
#include "kernel/mmio.h"
#include "kernel/mapping.h"
#include "kernel/owned_result.h"
#include "shim/shim.h"

namespace ioview::kernel {

/**
 * An owned ioremap() mapping of [phys, phys + len), viewed as a T.
 *
 *     auto m = iomem_mapping<regs>::map(phys, len);     // check ok() first
 *     IOVIEW_PROJECT(m.value().view(), ctrl).write_val(1);
 */
template <typename T> class iomem_mapping {
public:
	using view_type = ioview::view<kmmio, T>;

	/**
	 * Requests and maps the @p len bytes of physical memory at @p phys.
	 *
	 * Errors, each leaving nothing requested or mapped:
	 * -EINVAL: @p len is 0, phys + len wraps around or does not fit the
	 *  kernel's physical addresses, or the mapped address does not suit T;
	 * -ENXIO: @p len is below known_size<T>::min_size (or, on a 32-bit
	 *  kernel, 4 GiB or more); checked before anything is requested;
	 * -EBUSY: some part of the range is already requested (by this
	 *  module's other mappings too);
	 * -ENOMEM: ioremap() failed.
	 */
	static owned_result<iomem_mapping> map(unsigned long long phys, unsigned long long len) noexcept
	{
		if (len == 0 || len - 1 > ~0ull - phys)
			return fail(einval);
		int err = mapping_length_error<T>(len);
		if (err)
			return fail(err);
		err = ioview_shim_request_mem_region(phys, len);
		if (err)
			return failure{ err };

		iomem_mapping m;
		m.phys_ = phys;
		m.len_ = static_cast<usize>(len);
		// From here on the destructor of m undoes whatever was done.
		err = ioview_shim_ioremap(phys, len, &m.base_);
		if (err)
			return failure{ err };
		auto checked = kmmio::try_view<T>(m.base_, m.len_);
		if (!checked)
			return failure{ checked.error() };
		return static_cast<iomem_mapping &&>(m);
	}

	/// An empty mapping: owns nothing, has no view.
	iomem_mapping() noexcept = default;

	iomem_mapping(iomem_mapping &&other) noexcept
		: base_(other.base_), phys_(other.phys_), len_(other.len_)
	{
		other.forget();
	}

	iomem_mapping &operator=(iomem_mapping &&other) noexcept
	{
		if (this != &other) {
			reset();
			base_ = other.base_;
			phys_ = other.phys_;
			len_ = other.len_;
			other.forget();
		}
		return *this;
	}

	iomem_mapping(const iomem_mapping &) = delete;
	iomem_mapping &operator=(const iomem_mapping &) = delete;

	~iomem_mapping() { reset(); }

	/// Unmaps and releases now; the mapping is empty afterwards.
	void reset() noexcept
	{
		if (base_)
			ioview_shim_iounmap(base_);
		// len_ != 0 exactly while the range is requested.
		if (len_)
			ioview_shim_release_mem_region(phys_, len_);
		forget();
	}

	/// Whether this owns a mapping.
	bool mapped() const noexcept { return base_ != nullptr; }
	explicit operator bool() const noexcept { return mapped(); }

	/// The view of the whole range as a T; precondition mapped().
	view_type view() const noexcept { return whole_mapping_view<T>(base_, len_); }

	/// Bytes mapped; 0 when empty.
	usize size() const noexcept { return len_; }
	/// The physical start; 0 when empty.
	unsigned long long phys() const noexcept { return phys_; }

private:
	void forget() noexcept
	{
		base_ = nullptr;
		phys_ = 0;
		len_ = 0;
	}

	volatile void *base_ = nullptr;
	unsigned long long phys_ = 0;
	usize len_ = 0;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_IOMEM_MAPPING_H
