// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for ioview.ko: binds edu and ivshmem and logs the lines the real
 * driver logs, nothing else. It lets tests/vm/selftest.sh show that the module
 * case passes on a correct driver and that a real kernel warning from a
 * module fails the log scan, without depending on the real driver.
 */
#include <linux/module.h>
#include <linux/pci.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "raise a kernel warning in probe");

static const char *fake_kind(const struct pci_dev *pdev)
{
	return pdev->vendor == 0x1234 ? "edu" : "ivshmem";
}

static int fake_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	WARN(warn, "fake ioview asked to warn\n");
	dev_info(&pdev->dev, "bound %s %04x:%04x rev 0x%02x\n", fake_kind(pdev),
		 pdev->vendor, pdev->device, pdev->revision);
	return 0;
}

static void fake_remove(struct pci_dev *pdev)
{
	dev_info(&pdev->dev, "unbound %s\n", fake_kind(pdev));
}

static const struct pci_device_id fake_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, fake_ids);

static struct pci_driver fake_driver = {
	.name = "ioview",
	.id_table = fake_ids,
	.probe = fake_probe,
	.remove = fake_remove,
};
module_pci_driver(fake_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("test double of ioview for the VM test bed");
