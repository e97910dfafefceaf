// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of ioview.ko: module and PCI driver registration, and the
 * ioview_shim_*() functions declared in shim.h, which are the only way the
 * C++ objects reach kernel APIs.
 */
#include <linux/build_bug.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "shim.h"

static_assert(__builtin_types_compatible_p(ioview_size_t, size_t),
	      "ioview_size_t must be the kernel's size_t");
static_assert(__builtin_types_compatible_p(ioview_va_list, va_list),
	      "ioview_va_list must be the kernel's va_list");

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the in-kernel self-tests at load and log them as KTAP (default: off)");

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

/**
 * ioview_shim_log() - log one line of the module, not tied to a device
 * @level: %IOVIEW_LOG_INFO or %IOVIEW_LOG_ERR
 * @fmt: printf format; the line ends with its own newline
 *
 * No prefix is added: KTAP lines must reach the log exactly as formatted
 * so that a parser can strip one constant prefix (the timestamp) from each.
 */
void ioview_shim_log(enum ioview_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level == IOVIEW_LOG_ERR)
		printk(KERN_ERR "%pV", &vaf);
	else
		printk(KERN_INFO "%pV", &vaf);
	va_end(args);
}

/**
 * ioview_shim_vsnprintf() - vsnprintf() for the C++ side
 * @buf: destination
 * @size: bytes at @buf
 * @fmt: printf format
 * @args: its arguments
 *
 * Return: the length the whole output would have had, as vsnprintf().
 */
int ioview_shim_vsnprintf(char *buf, ioview_size_t size, const char *fmt, ioview_va_list args)
{
	return vsnprintf(buf, size, fmt, args);
}

/**
 * ioview_shim_selftest_requested() - whether selftest=1 was given at load
 *
 * Return: non-zero if the self-tests should run.
 */
int ioview_shim_selftest_requested(void)
{
	return selftest;
}

/*
 * MMIO accessors, one exported function per kernel accessor.  Generated so
 * that every one is the same one-line forwarder; the __force casts only
 * restore the __iomem annotation that shim.h cannot spell.
 */
#define IOVIEW_SHIM_MMIO_READ(name, type)					\
	type ioview_shim_##name(const volatile void *addr)			\
	{									\
		return name((const volatile void __iomem __force *)addr);	\
	}
#define IOVIEW_SHIM_MMIO_WRITE(name, type)					\
	void ioview_shim_##name(type value, volatile void *addr)		\
	{									\
		name(value, (volatile void __iomem __force *)addr);		\
	}

IOVIEW_SHIM_MMIO_READ(readb, unsigned char)
IOVIEW_SHIM_MMIO_READ(readw, unsigned short)
IOVIEW_SHIM_MMIO_READ(readl, unsigned int)
IOVIEW_SHIM_MMIO_READ(readb_relaxed, unsigned char)
IOVIEW_SHIM_MMIO_READ(readw_relaxed, unsigned short)
IOVIEW_SHIM_MMIO_READ(readl_relaxed, unsigned int)
IOVIEW_SHIM_MMIO_WRITE(writeb, unsigned char)
IOVIEW_SHIM_MMIO_WRITE(writew, unsigned short)
IOVIEW_SHIM_MMIO_WRITE(writel, unsigned int)
IOVIEW_SHIM_MMIO_WRITE(writeb_relaxed, unsigned char)
IOVIEW_SHIM_MMIO_WRITE(writew_relaxed, unsigned short)
IOVIEW_SHIM_MMIO_WRITE(writel_relaxed, unsigned int)
#if __SIZEOF_POINTER__ == 8
IOVIEW_SHIM_MMIO_READ(readq, unsigned long long)
IOVIEW_SHIM_MMIO_READ(readq_relaxed, unsigned long long)
IOVIEW_SHIM_MMIO_WRITE(writeq, unsigned long long)
IOVIEW_SHIM_MMIO_WRITE(writeq_relaxed, unsigned long long)
#endif

/**
 * ioview_shim_memcpy_fromio() - memcpy_fromio() for the C++ side
 * @dst: normal memory
 * @src: mapped I/O memory
 * @n: bytes
 */
void ioview_shim_memcpy_fromio(void *dst, const volatile void *src, ioview_size_t n)
{
	memcpy_fromio(dst, (const volatile void __iomem __force *)src, n);
}

/**
 * ioview_shim_memcpy_toio() - memcpy_toio() for the C++ side
 * @dst: mapped I/O memory
 * @src: normal memory
 * @n: bytes
 */
void ioview_shim_memcpy_toio(volatile void *dst, const void *src, ioview_size_t n)
{
	memcpy_toio((volatile void __iomem __force *)dst, src, n);
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

int ioview_shim_pci_request_region(struct pci_dev *pdev, int bar)
{
	return pci_request_region(pdev, bar, KBUILD_MODNAME);
}

void ioview_shim_pci_release_region(struct pci_dev *pdev, int bar)
{
	pci_release_region(pdev, bar);
}

volatile void *ioview_shim_pci_iomap(struct pci_dev *pdev, int bar)
{
	return (volatile void __force *)pci_iomap(pdev, bar, 0);
}

void ioview_shim_pci_iounmap(struct pci_dev *pdev, volatile void *addr)
{
	pci_iounmap(pdev, (void __iomem __force *)addr);
}

void ioview_shim_set_drvdata(struct pci_dev *pdev, void *data)
{
	pci_set_drvdata(pdev, data);
}

void *ioview_shim_get_drvdata(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

/*
 * PCI configuration space accessors, one exported function per kernel
 * accessor, generated so that each is the same bounded forwarder: an access
 * reaching past the function's configuration space is -ERANGE (the kernel's
 * own accessors do not check pdev->cfg_size), any other result of the
 * kernel's accessor goes through pcibios_err_to_errno(), so the C++ side
 * sees 0 or a negative errno only.  A failed read leaves *val as the kernel
 * set it (all ones).
 */
static bool ioview_cfg_access_fits(struct pci_dev *pdev, unsigned int where, size_t size)
{
	return pdev->cfg_size > 0 && size <= (unsigned int)pdev->cfg_size &&
	       where <= (unsigned int)pdev->cfg_size - size;
}

#define IOVIEW_SHIM_CFG_READ(name, type)						\
	int ioview_shim_pci_##name(struct pci_dev *pdev, unsigned int where, type *val)	\
	{										\
		if (!ioview_cfg_access_fits(pdev, where, sizeof(type)))			\
			return -ERANGE;							\
		return pcibios_err_to_errno(pci_##name(pdev, where, val));		\
	}
#define IOVIEW_SHIM_CFG_WRITE(name, type)						\
	int ioview_shim_pci_##name(struct pci_dev *pdev, unsigned int where, type val)	\
	{										\
		if (!ioview_cfg_access_fits(pdev, where, sizeof(type)))			\
			return -ERANGE;							\
		return pcibios_err_to_errno(pci_##name(pdev, where, val));		\
	}

IOVIEW_SHIM_CFG_READ(read_config_byte, unsigned char)
IOVIEW_SHIM_CFG_READ(read_config_word, unsigned short)
IOVIEW_SHIM_CFG_READ(read_config_dword, unsigned int)
IOVIEW_SHIM_CFG_WRITE(write_config_byte, unsigned char)
IOVIEW_SHIM_CFG_WRITE(write_config_word, unsigned short)
IOVIEW_SHIM_CFG_WRITE(write_config_dword, unsigned int)

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
/**
 * ioview_shim_selftest_device_get() - a function of @kind bound to this driver
 * @kind: which entry of the id table
 *
 * Return: the function, referenced and with its device lock held (so
 * remove() cannot run under a self-test), or NULL if none is bound.
 */
struct pci_dev *ioview_shim_selftest_device_get(enum ioview_device_kind kind)
{
	const struct pci_device_id *id;
	struct pci_dev *pdev = NULL;

	for (id = ioview_pci_ids; id->vendor; id++)
		if (id->driver_data == kind)
			break;
	if (!id->vendor)
		return NULL;
	while ((pdev = pci_get_device(id->vendor, id->device, pdev))) {
		device_lock(&pdev->dev);
		if (pdev->dev.driver == &ioview_pci_driver.driver)
			return pdev;
		device_unlock(&pdev->dev);
	}
	return NULL;
}

/**
 * ioview_shim_selftest_device_put() - undo ioview_shim_selftest_device_get()
 * @pdev: what it returned (not NULL)
 */
void ioview_shim_selftest_device_put(struct pci_dev *pdev)
{
	device_unlock(&pdev->dev);
	pci_dev_put(pdev);
}

static int __init ioview_init(void)
{
	int err = pci_register_driver(&ioview_pci_driver);

	if (err)
		return err;
	ioview_driver_loaded();
	return 0;
}
module_init(ioview_init);

static void __exit ioview_exit(void)
{
	pci_unregister_driver(&ioview_pci_driver);
}
module_exit(ioview_exit);

MODULE_DESCRIPTION("Typed, projected I/O views for PCI drivers in C++ (sample driver for QEMU edu and ivshmem)");
MODULE_LICENSE("GPL");
