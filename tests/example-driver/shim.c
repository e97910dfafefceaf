// SPDX-License-Identifier: GPL-2.0
/*
 * edu_example's C shim, the only code of the module that calls the kernel:
 * the PCI driver, BAR0 mapped for the C++ probe, the accessors and the log.
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "edu_example.h"

unsigned char edu_example_readb(const volatile void *addr)
{
	return readb((const volatile void __iomem __force *)addr);
}

unsigned short edu_example_readw(const volatile void *addr)
{
	return readw((const volatile void __iomem __force *)addr);
}

unsigned int edu_example_readl(const volatile void *addr)
{
	return readl((const volatile void __iomem __force *)addr);
}

void edu_example_writeb(unsigned char value, volatile void *addr)
{
	writeb(value, (volatile void __iomem __force *)addr);
}

void edu_example_writew(unsigned short value, volatile void *addr)
{
	writew(value, (volatile void __iomem __force *)addr);
}

void edu_example_writel(unsigned int value, volatile void *addr)
{
	writel(value, (volatile void __iomem __force *)addr);
}

void edu_example_log(struct pci_dev *pdev, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_info(&pdev->dev, "%pV", &vaf);
	va_end(args);
}

/* Enabled and mapped with managed calls: unbinding releases both. */
static int edu_example_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err = pcim_enable_device(pdev);

	if (!err)
		err = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (err)
		return err;
	return edu_example_probe(pdev, (volatile void __force *)pcim_iomap_table(pdev)[0],
				 pci_resource_len(pdev, 0));
}

static void edu_example_pci_remove(struct pci_dev *pdev)
{
	dev_info(&pdev->dev, "unbound\n");
}

static const struct pci_device_id edu_example_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU edu */
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_example_ids);

static struct pci_driver edu_example_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_example_ids,
	.probe = edu_example_pci_probe,
	.remove = edu_example_pci_remove,
};
module_pci_driver(edu_example_driver);

MODULE_DESCRIPTION("Example C++ driver on ioview: QEMU edu's identification and liveness");
MODULE_LICENSE("GPL");
