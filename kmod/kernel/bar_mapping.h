// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::bar_mapping<T>: an owned, mapped memory BAR of a PCI
// function, handing out views of T (a typed register block or a region).
//
//     struct edu_tag;
//     using edu_bar0 = ioview::region<0x100000, edu_tag, 8>;
//
//     int setup(pci_dev *pdev)
//     {
//             auto m = ioview::kernel::bar_mapping<edu_bar0>::map(pdev, 0);
//             if (!m)
//                     return m.error();       // -EBUSY, -ENXIO, -ENOMEM...
//             auto bar = m.take();
//             u32 id = bar.view().read32<0>();
//             ...
//     }                                       // unmapped and released here
//
// map() requests the BAR in the module's name, checks that it is a memory
// BAR at least known_size<T>::min_size long, and maps all of it.  The
// destructor unmaps and releases.  Moving hands the ownership over and
// leaves the source empty; copying does not compile.  Views are plain
// handles and do not keep the mapping alive: a view must not be used after
// its mapping is destroyed or reset (the owner, e.g. a driver's per-device
// state, outlives the code that uses its views).
#ifndef IOVIEW_KMOD_BAR_MAPPING_H
#define IOVIEW_KMOD_BAR_MAPPING_H

#include <ioview/view.h>

#include "kernel/errno.h"
#include "kernel/mmio.h"
#include "kernel/mapping.h"
#include "kernel/owned_result.h"
#include "shim/shim.h"

namespace ioview::kernel {

/// The number of standard BARs of a PCI function (PCI_STD_NUM_BARS).
inline constexpr int pci_bar_count = 6;

/**
 * An owned mapping of one memory BAR, viewed as a T.
 *
 *     bar_mapping<regs> bar = bar_mapping<regs>::map(pdev, 2).take();   // after checking ok()
 *     IOVIEW_PROJECT(bar.view(), ctrl).write_val(1);
 */
template <typename T> class bar_mapping {
public:
	using view_type = ioview::view<kmmio, T>;

	/**
	 * Requests, checks and maps BAR @p bar of @p pdev.
	 *
	 * Errors, each leaving nothing requested or mapped:
	 * -EINVAL: @p bar is not 0..5 or the mapped address does not suit T;
	 * -ENODEV: the BAR is not memory space (unused, or I/O ports);
	 * -EBUSY (from the PCI core): the BAR is already requested;
	 * -ENXIO: the BAR is shorter than known_size<T>::min_size (or, on a
	 *  32-bit kernel, 4 GiB or more);
	 * -ENOMEM: the mapping failed.
	 */
	static owned_result<bar_mapping> map(pci_dev *pdev, int bar) noexcept
	{
		if (bar < 0 || bar >= pci_bar_count)
			return fail(einval);
		if (!ioview_shim_pci_bar_is_mem(pdev, bar))
			return fail(enodev);
		// The length is known before the request: a BAR too short for T is
		// refused without requesting anything.
		unsigned long long len = ioview_shim_pci_bar_len(pdev, bar);
		int err = mapping_length_error<T>(len);
		if (err)
			return fail(err);
		err = ioview_shim_pci_request_region(pdev, bar);
		if (err)
			return failure{ err };

		bar_mapping m;
		m.pdev_ = pdev;
		m.bar_ = bar;
		// From here on the destructor of m undoes whatever was done.
		m.base_ = ioview_shim_pci_iomap(pdev, bar);
		if (!m.base_)
			return fail(enomem);
		m.len_ = static_cast<usize>(len);
		auto checked = kmmio::try_view<T>(m.base_, m.len_);
		if (!checked)
			return failure{ checked.error() };
		return static_cast<bar_mapping &&>(m);
	}

	/// An empty mapping: owns nothing, has no view.
	bar_mapping() noexcept = default;

	bar_mapping(bar_mapping &&other) noexcept
		: pdev_(other.pdev_), base_(other.base_), len_(other.len_), bar_(other.bar_)
	{
		other.forget();
	}

	bar_mapping &operator=(bar_mapping &&other) noexcept
	{
		if (this != &other) {
			reset();
			pdev_ = other.pdev_;
			base_ = other.base_;
			len_ = other.len_;
			bar_ = other.bar_;
			other.forget();
		}
		return *this;
	}

	bar_mapping(const bar_mapping &) = delete;
	bar_mapping &operator=(const bar_mapping &) = delete;

	~bar_mapping() { reset(); }

	/// Unmaps and releases now; the mapping is empty afterwards.
	void reset() noexcept
	{
		if (base_)
			ioview_shim_pci_iounmap(pdev_, base_);
		if (pdev_)
			ioview_shim_pci_release_region(pdev_, bar_);
		forget();
	}

	/// Whether this owns a mapping.
	bool mapped() const noexcept { return base_ != nullptr; }
	explicit operator bool() const noexcept { return mapped(); }

	/// The view of the whole BAR as a T; precondition mapped().
	view_type view() const noexcept { return whole_mapping_view<T>(base_, len_); }

	/// Bytes mapped (the whole BAR); 0 when empty.
	usize size() const noexcept { return len_; }
	/// The BAR number; -1 when empty.
	int bar() const noexcept { return bar_; }

private:
	void forget() noexcept
	{
		pdev_ = nullptr;
		base_ = nullptr;
		len_ = 0;
		bar_ = -1;
	}

	pci_dev *pdev_ = nullptr;
	volatile void *base_ = nullptr;
	usize len_ = 0;
	int bar_ = -1;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_BAR_MAPPING_H
