// SPDX-License-Identifier: GPL-2.0
//
// A PCI function bound to ioview, held for the length of a self-test case:
// referenced and device-locked, so remove() cannot run underneath it.
//
//     selftest_device edu(IOVIEW_DEVICE_EDU);
//     if (!edu)
//             return t.skip("no edu function bound to ioview");
//     auto bar = bar_mapping<edu_bar0>::map(edu.get(), 0);
#ifndef IOVIEW_KMOD_SELFTEST_DEVICE_H
#define IOVIEW_KMOD_SELFTEST_DEVICE_H

#include "shim/shim.h"

namespace ioview::kernel::selftest {

/// Holds the first bound function of a kind (see ioview_shim_selftest_device_get()).
class selftest_device {
public:
	explicit selftest_device(ioview_device_kind kind) noexcept : pdev_(ioview_shim_selftest_device_get(kind)) {}
	~selftest_device()
	{
		if (pdev_)
			ioview_shim_selftest_device_put(pdev_);
	}
	selftest_device(const selftest_device &) = delete;
	selftest_device &operator=(const selftest_device &) = delete;

	/// Whether a bound function was found.
	explicit operator bool() const noexcept { return pdev_ != nullptr; }
	/// The function; precondition: found.
	pci_dev *get() const noexcept { return pdev_; }

private:
	pci_dev *pdev_;
};

} // namespace ioview::kernel::selftest

#endif // IOVIEW_KMOD_SELFTEST_DEVICE_H
