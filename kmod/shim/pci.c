// SPDX-License-Identifier: GPL-2.0
/*
 * PCI functions for the C++ side: identification, enable, BARs and their
 * mappings, bus mastering, driver data and configuration space.
 */
#include <linux/pci.h>

#include "shim.h"

/* kernel/config.h maps these to errnos itself: they must be the kernel's. */
static_assert(IOVIEW_PCIBIOS_SUCCESSFUL == PCIBIOS_SUCCESSFUL);
static_assert(IOVIEW_PCIBIOS_FUNC_NOT_SUPPORTED == PCIBIOS_FUNC_NOT_SUPPORTED);
static_assert(IOVIEW_PCIBIOS_BAD_VENDOR_ID == PCIBIOS_BAD_VENDOR_ID);
static_assert(IOVIEW_PCIBIOS_DEVICE_NOT_FOUND == PCIBIOS_DEVICE_NOT_FOUND);
static_assert(IOVIEW_PCIBIOS_BAD_REGISTER_NUMBER == PCIBIOS_BAD_REGISTER_NUMBER);
static_assert(IOVIEW_PCIBIOS_SET_FAILED == PCIBIOS_SET_FAILED);
static_assert(IOVIEW_PCIBIOS_BUFFER_TOO_SMALL == PCIBIOS_BUFFER_TOO_SMALL);

/**
 * ioview_shim_pci_ids() - the identification of a PCI function
 * @pdev: the function
 * @ids: receives its vendor, device, revision and class code
 *
 * Reads the copies the PCI core keeps, not configuration space.  Any context.
 */
void ioview_shim_pci_ids(struct pci_dev *pdev, struct ioview_pci_ids *ids)
{
	ids->vendor = pdev->vendor;
	ids->device = pdev->device;
	ids->revision = pdev->revision;
	ids->class_code = pdev->class;
}

/**
 * ioview_shim_pci_bar_len() - the size of a BAR
 * @pdev: the function
 * @bar: BAR number, 0..5
 *
 * Return: its length in bytes; 0 for an unimplemented or out-of-range BAR.
 */
unsigned long long ioview_shim_pci_bar_len(struct pci_dev *pdev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return 0;
	return pci_resource_len(pdev, bar);
}

/**
 * ioview_shim_pci_enable() - pci_enable_device()
 * @pdev: the function, from probe()
 *
 * Process context.
 *
 * Return: 0 or a negative errno.
 */
int ioview_shim_pci_enable(struct pci_dev *pdev)
{
	return pci_enable_device(pdev);
}

/**
 * ioview_shim_pci_disable() - pci_disable_device(), undoing the enable
 * @pdev: the function
 *
 * Process context.
 */
void ioview_shim_pci_disable(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

/**
 * ioview_shim_pci_bar_is_mem() - whether a BAR is memory space
 * @pdev: PCI function
 * @bar: BAR number
 *
 * Return: non-zero for a memory BAR; zero for an I/O port, an unused or an
 * out-of-range BAR (the MMIO accessors must never get a port cookie).
 */
int ioview_shim_pci_bar_is_mem(struct pci_dev *pdev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return 0;
	return !!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM);
}

/**
 * ioview_shim_pci_request_region() - claim a BAR in the module's name
 * @pdev: the function
 * @bar: BAR number, 0..5
 *
 * Before ioview_shim_pci_iomap().  Process context.
 *
 * Return: 0, or -EBUSY if someone else holds the range.
 */
int ioview_shim_pci_request_region(struct pci_dev *pdev, int bar)
{
	return pci_request_region(pdev, bar, KBUILD_MODNAME);
}

/**
 * ioview_shim_pci_release_region() - give back a BAR claimed by
 * ioview_shim_pci_request_region()
 * @pdev: the function
 * @bar: BAR number
 *
 * After ioview_shim_pci_iounmap().  Process context.
 */
void ioview_shim_pci_release_region(struct pci_dev *pdev, int bar)
{
	pci_release_region(pdev, bar);
}

/**
 * ioview_shim_pci_iomap() - map all of a BAR
 * @pdev: the function
 * @bar: BAR number, claimed by ioview_shim_pci_request_region()
 *
 * Process context.
 *
 * Return: the __iomem address of its start, or NULL on failure.
 */
volatile void *ioview_shim_pci_iomap(struct pci_dev *pdev, int bar)
{
	return (volatile void __force *)pci_iomap(pdev, bar, 0);
}

/**
 * ioview_shim_pci_iounmap() - undo ioview_shim_pci_iomap()
 * @pdev: the function
 * @addr: what the map returned
 *
 * Process context.
 */
void ioview_shim_pci_iounmap(struct pci_dev *pdev, volatile void *addr)
{
	pci_iounmap(pdev, (void __iomem __force *)addr);
}

/**
 * ioview_shim_set_drvdata() - pci_set_drvdata()
 * @pdev: the function
 * @data: the driver's state of it, or NULL
 *
 * From probe() and remove(), under the device lock.
 */
void ioview_shim_set_drvdata(struct pci_dev *pdev, void *data)
{
	pci_set_drvdata(pdev, data);
}

/**
 * ioview_shim_get_drvdata() - pci_get_drvdata()
 * @pdev: the function
 *
 * Return: what ioview_shim_set_drvdata() stored last, or NULL.
 */
void *ioview_shim_get_drvdata(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

/**
 * ioview_shim_pci_set_master() - let the function start DMA (pci_set_master())
 * @pdev: PCI function, enabled
 */
void ioview_shim_pci_set_master(struct pci_dev *pdev)
{
	pci_set_master(pdev);
}

/**
 * ioview_shim_pci_clear_master() - stop the function from starting DMA
 * @pdev: PCI function
 *
 * A transfer the device starts afterwards no longer reaches memory.
 */
void ioview_shim_pci_clear_master(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
}

/**
 * ioview_shim_pci_bar_start() - physical start of a memory BAR
 * @pdev: PCI function
 * @bar: BAR number
 * @start: where the address goes; untouched on error
 *
 * Return: 0; -EINVAL for a BAR number out of 0..5; -ENODEV for an unused
 * or I/O port BAR (its start is no memory address).
 */
int ioview_shim_pci_bar_start(struct pci_dev *pdev, int bar, unsigned long long *start)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return -EINVAL;
	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) || !pci_resource_len(pdev, bar))
		return -ENODEV;
	*start = pci_resource_start(pdev, bar);
	return 0;
}

/**
 * ioview_shim_pcibios_err_to_errno() - the kernel's pcibios_err_to_errno()
 * @err: any int; a result of pci_{read,write}_config_*() in particular
 *
 * The C++ side maps the codes inline (kernel/config.h); the config self-test
 * compares that mapping with this one over a range of codes, so a kernel
 * whose mapping differs fails a test instead of returning other errnos.
 *
 * Return: @err if it is 0 or negative, else the negative errno it stands for.
 */
int ioview_shim_pcibios_err_to_errno(int err)
{
	return pcibios_err_to_errno(err);
}

/**
 * ioview_shim_pci_cfg_size() - size of a function's configuration space
 * @pdev: PCI function
 *
 * Return: 256 (PCI_CFG_SPACE_SIZE), or 4096 (PCI_CFG_SPACE_EXP_SIZE) when the
 * PCI core found the extended space when it enumerated the function.
 */
int ioview_shim_pci_cfg_size(struct pci_dev *pdev)
{
	return pdev->cfg_size;
}

/**
 * ioview_shim_pci_find_capability() - the kernel's capability-list walk
 * @pdev: PCI function
 * @cap: capability id (PCI_CAP_ID_*)
 *
 * For the self-tests, as an independent witness of ioview's own walk.
 *
 * Return: the capability's offset, or 0 if the function does not have it.
 */
int ioview_shim_pci_find_capability(struct pci_dev *pdev, int cap)
{
	return pci_find_capability(pdev, cap);
}

/**
 * ioview_shim_pci_dev_get() - pci_dev_get(): pin the struct pci_dev
 * @pdev: the function; the caller holds a reference or the device lock
 *
 * Keeps the structure, not its binding: the function may still be unbound.
 * Any context.
 */
void ioview_shim_pci_dev_get(struct pci_dev *pdev)
{
	pci_dev_get(pdev);
}

/**
 * ioview_shim_pci_dev_put() - pci_dev_put(): drop ioview_shim_pci_dev_get()'s pin
 * @pdev: the function
 *
 * The last put frees the structure, so @pdev is not used after it.
 */
void ioview_shim_pci_dev_put(struct pci_dev *pdev)
{
	pci_dev_put(pdev);
}

/**
 * ioview_shim_pci_name() - pci_name()
 * @pdev: the function
 *
 * Return: its name, e.g. "0000:00:04.0", valid while @pdev is.
 */
const char *ioview_shim_pci_name(const struct pci_dev *pdev)
{
	return pci_name(pdev);
}

/**
 * ioview_shim_pci_unbind() - unbind @pdev from its driver, as sysfs "unbind" does
 * @pdev: the function, pinned by the caller
 *
 * device_release_driver() takes the device lock and runs the driver's
 * remove(); a function bound to no driver is left alone.  Process context;
 * the caller must not hold the device lock.
 */
void ioview_shim_pci_unbind(struct pci_dev *pdev)
{
	device_release_driver(&pdev->dev);
}

/**
 * ioview_shim_pci_device_lock_interruptible() - take @pdev's device lock
 * @pdev: the function, pinned by the caller
 *
 * The lock the driver core holds around probe() and remove(): while it is
 * held the function is neither bound nor unbound.  Process context.
 *
 * Return: 0 with the lock held, or -EINTR.
 */
int ioview_shim_pci_device_lock_interruptible(struct pci_dev *pdev)
{
	return device_lock_interruptible(&pdev->dev);
}

/**
 * ioview_shim_pci_device_unlock() - release ioview_shim_pci_device_lock_interruptible()
 * @pdev: the function
 */
void ioview_shim_pci_device_unlock(struct pci_dev *pdev)
{
	device_unlock(&pdev->dev);
}

/**
 * ioview_shim_pci_rebind() - let the driver core bind @pdev again
 * @pdev: the function, pinned by the caller
 *
 * Return: 1 when a driver bound it, 0 when none did (no match, or its
 * probe failed: the driver core logs that), or a negative errno.
 */
int ioview_shim_pci_rebind(struct pci_dev *pdev)
{
	return device_attach(&pdev->dev);
}
