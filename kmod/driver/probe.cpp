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
//
// The bound functions are also on one list, under the driver lock
// (shim/module.c), for acquire(): a counted reference to a function's
// state that callers without the device lock (the lifetime self-tests, and
// any interface that reaches a device by name) hold across an operation.
// Remove takes the function off the list first, so no new reference is
// handed out, then revokes the state (see driver/edu.h, Lifetime).
//
// The same list answers the netlink family's device list and dumps
// (ioview_driver_ctl_dev_get/_at(), control::acquire_named/_at()); its
// generation changes with every bind and unbind, so that a dump that spans
// one says so.  Binding and unbinding are also events of the family.
#include <ioview/support.h>

#include "bench/bench.h"
#include "driver/control.h"
#include "driver/edu.h"
#include "driver/mailbox.h"
#include "ioview_cxxrt.h"
#include "kernel/errno.h"
#include "selftest/selftest.h"
#include "shim/shim.h"

namespace {

using ioview::kernel::gfp;


struct bound_device {
	ioview_device_kind kind;
	const char *name;
	ioview_pci_ids ids;
	pci_dev *pdev;
	ioview::kernel::edu::device *edu;	// the edu driver's state; nullptr for ivshmem
	ioview::kernel::mailbox::device *mbox;	// ivshmem's mailbox state; nullptr for edu
	bound_device *next;			// on bound_list, under the driver lock
};

// Every function probe() completed for, newest first; under ioview_shim_driver_lock().
bound_device *bound_list = nullptr;
// Changed by every list_add() and list_del(), never 0 (netlink's "no check"); under the lock.
unsigned int bound_generation = 1;

void list_changed()
{
	if (++bound_generation == 0)
		bound_generation = 1;
}

void list_add(bound_device *dev)
{
	ioview_shim_driver_lock();
	dev->next = bound_list;
	bound_list = dev;
	list_changed();
	ioview_shim_driver_unlock();
}

void list_del(bound_device *dev)
{
	ioview_shim_driver_lock();
	for (bound_device **p = &bound_list; *p; p = &(*p)->next) {
		if (*p == dev) {
			*p = dev->next;
			break;
		}
	}
	list_changed();
	ioview_shim_driver_unlock();
}

bool same_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		++a;
		++b;
	}
	return *a == *b;
}

// The oldest bound function of @kind named @pci_name (any, if nullptr); driver lock held.
bound_device *find_locked(ioview_device_kind kind, const char *pci_name)
{
	bound_device *found = nullptr;

	for (bound_device *d = bound_list; d; d = d->next)
		if (d->kind == kind && (!pci_name || same_name(pci_name, ioview_shim_pci_name(d->pdev))))
			found = d;
	return found;
}

// The bound function called @pci_name, of any kind; driver lock held.
bound_device *named_locked(const char *pci_name)
{
	for (bound_device *d = bound_list; d; d = d->next)
		if (same_name(pci_name, ioview_shim_pci_name(d->pdev)))
			return d;
	return nullptr;
}

// The @index-th bound function, oldest first (the list is newest first); driver lock held.
bound_device *nth_oldest_locked(ioview::usize index)
{
	ioview::usize n = 0;

	for (bound_device *d = bound_list; d; d = d->next)
		++n;
	if (index >= n)
		return nullptr;
	bound_device *d = bound_list;
	for (ioview::usize skip = n - 1 - index; skip; --skip)
		d = d->next;
	return d;
}

// What dev-get reports of @d; driver lock held, so @d is bound and its interrupt allocated.
void describe_locked(const bound_device &d, ioview_ctl_dev *out)
{
	*out = {};
	ioview::kernel::control::copy_name(out->name, ioview_shim_pci_name(d.pdev));
	out->kind = d.kind;
	out->ids = d.ids;
	out->irq_kind = IOVIEW_CTL_IRQ_NONE;
	if (d.edu) {
		out->irq_kind = ioview::kernel::edu::uses_msi(d.edu) ? IOVIEW_CTL_IRQ_MSI : IOVIEW_CTL_IRQ_INTX;
		out->irq = ioview_shim_irq_number(d.pdev);
	}
	for (int bar = 0; bar < IOVIEW_CTL_BARS; ++bar) {
		out->bar_len[bar] = ioview_shim_pci_bar_len(d.pdev, bar);
		out->bar_mem[bar] = out->bar_len[bar] && ioview_shim_pci_bar_is_mem(d.pdev, bar);
	}
}

// A counted reference to @d's state; driver lock held (so @d's state is not released).
ioview::kernel::control::bound_ref ref_of_locked(bound_device *d)
{
	using ioview::kernel::counted_ref;
	ioview::kernel::control::bound_ref ref;

	if (!d)
		return ref;
	ref.kind = d->kind;
	if (d->edu) {
		ioview::kernel::edu::ref_get(d->edu);
		ref.edu = counted_ref<ioview::kernel::edu::device>::adopt(d->edu);
	}
	if (d->mbox) {
		ioview::kernel::mailbox::ref_get(d->mbox);
		ref.mbox = counted_ref<ioview::kernel::mailbox::device>::adopt(d->mbox);
	}
	return ref;
}

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

	auto *dev = new (gfp::kernel) bound_device{ kind, name, {}, pdev, nullptr, nullptr, nullptr };
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
	list_add(dev);
	ioview_shim_event(IOVIEW_SHIM_EVENT_DEV_ADD, pdev, 0);

	ioview_shim_dev_log(pdev, IOVIEW_LOG_INFO, "bound %s %04x:%04x rev 0x%02x\n", name,
			     dev->ids.vendor, dev->ids.device, dev->ids.revision);
	log_bars(pdev, *dev);
	return 0;
}

void ioview_driver_remove(pci_dev *pdev)
{
	auto *dev = static_cast<bound_device *>(ioview_shim_get_drvdata(pdev));

	list_del(dev);
	ioview_shim_event(IOVIEW_SHIM_EVENT_DEV_REMOVE, pdev, 0);
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

ioview::kernel::counted_ref<ioview::kernel::edu::device> ioview::kernel::edu::acquire(const char *pci_name) noexcept
{
	counted_ref<device> ref;

	ioview_shim_driver_lock();
	if (bound_device *d = find_locked(IOVIEW_DEVICE_EDU, pci_name)) {
		ref_get(d->edu);
		ref = counted_ref<device>::adopt(d->edu);
	}
	ioview_shim_driver_unlock();
	return ref;
}

ioview::kernel::counted_ref<ioview::kernel::mailbox::device> ioview::kernel::mailbox::acquire(const char *pci_name) noexcept
{
	counted_ref<device> ref;

	ioview_shim_driver_lock();
	if (bound_device *d = find_locked(IOVIEW_DEVICE_IVSHMEM, pci_name)) {
		ref_get(d->mbox);
		ref = counted_ref<device>::adopt(d->mbox);
	}
	ioview_shim_driver_unlock();
	return ref;
}

ioview::kernel::control::bound_ref ioview::kernel::control::acquire_named(const char *pci_name) noexcept
{
	ioview_shim_driver_lock();
	bound_ref ref = ref_of_locked(named_locked(pci_name));
	ioview_shim_driver_unlock();
	return ref;
}

ioview::kernel::control::bound_ref ioview::kernel::control::acquire_at(usize index, unsigned int *generation) noexcept
{
	ioview_shim_driver_lock();
	bound_ref ref = ref_of_locked(nth_oldest_locked(index));
	*generation = bound_generation;
	ioview_shim_driver_unlock();
	return ref;
}

int ioview_driver_ctl_dev_get(const char *name, ioview_ctl_dev *out, ioview_ctl_status *st)
{
	ioview_shim_driver_lock();
	bound_device *d = named_locked(name);
	if (d)
		describe_locked(*d, out);
	ioview_shim_driver_unlock();
	if (!d) {
		*st = { IOVIEW_CTL_NO_DEVICE, IOVIEW_CTL_ARG_DEV };
		return -ioview::enodev;
	}
	return 0;
}

int ioview_driver_ctl_dev_at(unsigned long index, unsigned int *generation, ioview_ctl_dev *out)
{
	ioview_shim_driver_lock();
	bound_device *d = nth_oldest_locked(index);
	if (d)
		describe_locked(*d, out);
	*generation = bound_generation;
	ioview_shim_driver_unlock();
	return d ? 0 : -ioview::enoent;
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
