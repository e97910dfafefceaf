// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of ioview.ko: module and PCI driver registration, and the
 * ioview_shim_*() functions declared in shim.h, which are the only way the
 * C++ objects reach kernel APIs.
 */
#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "shim.h"

static_assert(__builtin_types_compatible_p(ioview_size_t, size_t),
	      "ioview_size_t must be the kernel's size_t");

static gfp_t ioview_gfp_flags(enum ioview_gfp gfp)
{
	return gfp == IOVIEW_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL;
}

void *ioview_shim_kmalloc(ioview_size_t size, enum ioview_gfp gfp)
{
	return kmalloc(size, ioview_gfp_flags(gfp));
}

void ioview_shim_kfree(const void *ptr)
{
	kfree(ptr);
}

void ioview_shim_pure_virtual_called(void)
{
	pr_emerg("ioview: pure virtual function called\n");
	BUG();
}

void ioview_shim_dev_log(struct pci_dev *pdev, enum ioview_log_level level,
			const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level == IOVIEW_LOG_ERR)
		dev_err(&pdev->dev, "%pV", &vaf);
	else
		dev_info(&pdev->dev, "%pV", &vaf);
	va_end(args);
}

void ioview_shim_pci_ids(struct pci_dev *pdev, struct ioview_pci_ids *ids)
{
	ids->vendor = pdev->vendor;
	ids->device = pdev->device;
	ids->revision = pdev->revision;
	ids->class_code = pdev->class;
}

unsigned long long ioview_shim_pci_bar_len(struct pci_dev *pdev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return 0;
	return pci_resource_len(pdev, bar);
}

int ioview_shim_pci_enable(struct pci_dev *pdev)
{
	return pci_enable_device(pdev);
}

void ioview_shim_pci_disable(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

void ioview_shim_set_drvdata(struct pci_dev *pdev, void *data)
{
	pci_set_drvdata(pdev, data);
}

void *ioview_shim_get_drvdata(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

static const struct pci_device_id ioview_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8), .driver_data = IOVIEW_DEVICE_EDU },
	{ PCI_DEVICE(0x1af4, 0x1110), .driver_data = IOVIEW_DEVICE_IVSHMEM },
	{ }
};
MODULE_DEVICE_TABLE(pci, ioview_pci_ids);

static int ioview_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return ioview_driver_probe(pdev, (enum ioview_device_kind)id->driver_data);
}

static void ioview_pci_remove(struct pci_dev *pdev)
{
	ioview_driver_remove(pdev);
}

static struct pci_driver ioview_pci_driver = {
	.name = "ioview",
	.id_table = ioview_pci_ids,
	.probe = ioview_pci_probe,
	.remove = ioview_pci_remove,
};
module_pci_driver(ioview_pci_driver);

MODULE_DESCRIPTION("Typed, projected I/O views for PCI drivers in C++ (sample driver for QEMU edu and ivshmem)");
MODULE_LICENSE("GPL");
