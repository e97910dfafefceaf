// SPDX-License-Identifier: GPL-2.0
//
// The sample PCI driver: binds QEMU's edu and ivshmem-plain functions.
//
// Probe keeps one bound_device per function (allocated through the C++
// runtime, stored as driver data) and logs what it found; an edu function
// is then handed to the edu driver (driver/edu.cpp), whose state the
// bound_device keeps; an ivshmem function gets the mailbox's state
// (driver/mailbox.cpp), which maps nothing until the mailbox is opened.
// Remove undoes exactly that, in reverse order.
#include <ioview/support.h>

#include "bench/bench.h"
#include "driver/edu.h"
#include "driver/mailbox.h"
#include "kernel/cxxrt.h"
#include "kernel/errno.h"
#include "selftest/selftest.h"
#include "shim/shim.h"

namespace {

using ioview::kernel::gfp;


struct bound_device {
	ioview_device_kind kind;
	const char *name;
	ioview_pci_ids ids;
	ioview::kernel::edu::device *edu;	// the edu driver's state; nullptr for ivshmem
	ioview::kernel::mailbox::device *mbox;	// ivshmem's mailbox state; nullptr for edu
};

const char *kind_name(ioview_device_kind kind)
{
	switch (kind) {
	case IOVIEW_DEVICE_EDU:
		return "edu";
	case IOVIEW_DEVICE_IVSHMEM:
		return "ivshmem";
	}
	return nullptr;
}

void log_bars(pci_dev *pdev, const bound_device &dev)
{
	for (int bar = 0; bar < 6; ++bar) {
		unsigned long long len = ioview_shim_pci_bar_len(pdev, bar);

		if (len)
			ioview_shim_dev_log(pdev, IOVIEW_LOG_INFO, "%s BAR%d: %llu bytes\n", dev.name, bar, len);
	}
}

} // namespace

int ioview_driver_probe(pci_dev *pdev, ioview_device_kind kind)
{
	const char *name = kind_name(kind);

	if (!name)
		return -ioview::enodev;

	auto *dev = new (gfp::kernel) bound_device{kind, name, {}, nullptr, nullptr};
	if (!dev)
		return -ioview::kernel::enomem;
	ioview_shim_pci_ids(pdev, &dev->ids);

	int err = ioview_shim_pci_enable(pdev);
	if (err) {
		ioview_shim_dev_log(pdev, IOVIEW_LOG_ERR, "cannot enable %s: %d\n", name, err);
		delete dev;
		return err;
	}
	if (kind == IOVIEW_DEVICE_EDU) {
		err = ioview::kernel::edu::probe(pdev, &dev->edu);
		if (err) {
			ioview_shim_pci_disable(pdev);
			delete dev;
			return err;
		}
	}
	if (kind == IOVIEW_DEVICE_IVSHMEM) {
		err = ioview::kernel::mailbox::probe(pdev, &dev->mbox);
		if (err) {
			ioview_shim_pci_disable(pdev);
			delete dev;
			return err;
		}
	}
	ioview_shim_set_drvdata(pdev, dev);

	ioview_shim_dev_log(pdev, IOVIEW_LOG_INFO, "bound %s %04x:%04x rev 0x%02x\n", name,
			     dev->ids.vendor, dev->ids.device, dev->ids.revision);
	log_bars(pdev, *dev);
	return 0;
}

void ioview_driver_remove(pci_dev *pdev)
{
	auto *dev = static_cast<bound_device *>(ioview_shim_get_drvdata(pdev));

	ioview_shim_set_drvdata(pdev, nullptr);
	// Closes an open mailbox: its worker stops before the mapping goes.
	if (dev->mbox)
		ioview::kernel::mailbox::remove(dev->mbox);
	if (dev->edu)
		ioview::kernel::edu::remove(dev->edu);
	ioview_shim_pci_disable(pdev);
	ioview_shim_dev_log(pdev, IOVIEW_LOG_INFO, "unbound %s\n", dev->name);
	delete dev;
}

ioview::kernel::edu::device *ioview::kernel::edu::of(pci_dev *pdev) noexcept
{
	auto *dev = static_cast<bound_device *>(ioview_shim_get_drvdata(pdev));

	return dev && dev->kind == IOVIEW_DEVICE_EDU ? dev->edu : nullptr;
}

ioview::kernel::mailbox::device *ioview::kernel::mailbox::of(pci_dev *pdev) noexcept
{
	auto *dev = static_cast<bound_device *>(ioview_shim_get_drvdata(pdev));

	return dev && dev->kind == IOVIEW_DEVICE_IVSHMEM ? dev->mbox : nullptr;
}

void ioview_driver_loaded()
{
	if (ioview_shim_bench_requested())
		ioview::kernel::bench::run();
}

void ioview_driver_selftest()
{
	ioview::kernel::selftest::run_module_suites();
}
