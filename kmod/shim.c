// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of ioview.ko: module and PCI driver registration, and the
 * ioview_shim_*() functions declared in shim.h, which are the only way the
 * C++ objects reach kernel APIs.
 */
#include <linux/build_bug.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <asm/barrier.h>

#include "shim.h"

static_assert(__builtin_types_compatible_p(ioview_size_t, size_t),
	      "ioview_size_t must be the kernel's size_t");
static_assert(__builtin_types_compatible_p(ioview_va_list, va_list),
	      "ioview_va_list must be the kernel's va_list");

/*
 * selftest=1 at load runs the self-tests once the driver is registered;
 * writing 1 to /sys/module/ioview/parameters/selftest later runs them
 * again.  Runs are serialised: the runner keeps its records in static
 * storage.
 */
static bool selftest;
static bool ioview_live;
static DEFINE_MUTEX(ioview_selftest_lock);

static void ioview_run_selftests(void)
{
	mutex_lock(&ioview_selftest_lock);
	ioview_driver_selftest();
	mutex_unlock(&ioview_selftest_lock);
}

/*
 * Parsed like a bool.  At load it only records the request (the driver is
 * not registered yet); on a live module a true value runs the self-tests
 * before the write returns.  A value that is not a bool is refused with
 * -EINVAL and runs nothing.
 */
static int ioview_selftest_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_bool(val, kp);

	if (err)
		return err;
	if (selftest && READ_ONCE(ioview_live))
		ioview_run_selftests();
	return 0;
}

static const struct kernel_param_ops ioview_selftest_ops = {
	.set = ioview_selftest_set,
	.get = param_get_bool,
};
module_param_cb(selftest, &ioview_selftest_ops, &selftest, 0644);
MODULE_PARM_DESC(selftest, "Run the in-kernel self-tests and log them as KTAP: at load, or on each write of 1 (default: off)");

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "Run the in-kernel micro-benchmark at load and log its figures (default: off)");

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

void ioview_shim_contract_violation(const char *what, int err)
{
	WARN(1, "%s (error %d)\n", what, err);
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
 * ioview_shim_bench_requested() - whether bench=1 was given at load
 *
 * Return: non-zero if the benchmark should run.
 */
int ioview_shim_bench_requested(void)
{
	return bench;
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

/*
 * Memory barriers, one function per kernel barrier, each the kernel's macro
 * and nothing else.  Generated like the MMIO accessors so that no wrapper
 * can do more than its name says.
 */
#define IOVIEW_SHIM_BARRIER(name)	\
	void ioview_shim_##name(void)	\
	{				\
		name();			\
	}

IOVIEW_SHIM_BARRIER(mb)
IOVIEW_SHIM_BARRIER(rmb)
IOVIEW_SHIM_BARRIER(wmb)
IOVIEW_SHIM_BARRIER(dma_mb)
IOVIEW_SHIM_BARRIER(dma_rmb)
IOVIEW_SHIM_BARRIER(dma_wmb)
IOVIEW_SHIM_BARRIER(smp_mb)
IOVIEW_SHIM_BARRIER(smp_rmb)
IOVIEW_SHIM_BARRIER(smp_wmb)

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

/**
 * ioview_shim_dma_set_mask_and_coherent() - dma_set_mask_and_coherent() by width
 * @pdev: PCI function
 * @bits: address bits the device drives, 1..64
 *
 * Return: 0; -EINVAL for @bits outside 1..64 (nothing changed); the
 * kernel's error, -EIO, when the platform cannot serve a mask that narrow
 * (both masks are then left as they were).
 */
int ioview_shim_dma_set_mask_and_coherent(struct pci_dev *pdev, unsigned int bits)
{
	if (bits < 1 || bits > 64)
		return -EINVAL;
	return dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(bits));
}

/**
 * ioview_shim_dma_alloc_coherent() - dma_alloc_coherent() for the C++ side
 * @pdev: PCI function the memory is for
 * @size: bytes, at least 1
 * @cpu: receives the CPU address
 * @dma: receives the DMA address the function uses for the same bytes
 *
 * The memory is zeroed: dma_alloc_coherent() has cleared its buffers
 * since 5.0 (dma-direct memsets what it hands out).  Allocation may sleep
 * (GFP_KERNEL).  __GFP_NOWARN: a size the allocator cannot serve is the
 * caller's error to report, not a warning in the log.
 *
 * Return: 0 with *@cpu and *@dma set; -EINVAL for @size 0; -ENOMEM if the
 * memory cannot be had, including a @size so large that rounding it up to
 * whole pages would wrap.  On error *@cpu and *@dma are left untouched.
 */
int ioview_shim_dma_alloc_coherent(struct pci_dev *pdev, ioview_size_t size, void **cpu,
				   unsigned long long *dma)
{
	dma_addr_t handle;
	void *addr;

	if (!size)
		return -EINVAL;
	if (PAGE_ALIGN(size) < size)
		return -ENOMEM;
	addr = dma_alloc_coherent(&pdev->dev, size, &handle, GFP_KERNEL | __GFP_NOWARN);
	if (!addr)
		return -ENOMEM;
	*cpu = addr;
	*dma = handle;
	return 0;
}

/**
 * ioview_shim_dma_free_coherent() - dma_free_coherent() for the C++ side
 * @pdev: what ioview_shim_dma_alloc_coherent() was given
 * @size: likewise
 * @cpu: the CPU address it returned
 * @dma: the DMA address it returned
 *
 * Process context only, as dma_free_coherent().
 */
void ioview_shim_dma_free_coherent(struct pci_dev *pdev, ioview_size_t size, void *cpu,
				   unsigned long long dma)
{
	dma_free_coherent(&pdev->dev, size, cpu, (dma_addr_t)dma);
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
 * ioview_shim_msleep() - msleep() for the C++ side
 * @ms: at least this many milliseconds; process context
 */
void ioview_shim_msleep(unsigned int ms)
{
	msleep(ms);
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

/*
 * Whether [@start, @start + @len) is a non-empty range that does not wrap
 * and whose addresses fit phys_addr_t (32 bits on some 32-bit kernels).
 */
static bool ioview_phys_range_ok(unsigned long long start, unsigned long long len)
{
	unsigned long long last = start + (len - 1);

	return len && last >= start && (phys_addr_t)last == last;
}

/**
 * ioview_shim_request_mem_region() - request_mem_region() in the module's name
 * @start: physical start
 * @len: bytes
 *
 * Return: 0; -EINVAL for an empty, wrapping or unrepresentable range;
 * -EBUSY if any part of it is already requested.
 */
int ioview_shim_request_mem_region(unsigned long long start, unsigned long long len)
{
	if (!ioview_phys_range_ok(start, len))
		return -EINVAL;
	return request_mem_region(start, len, KBUILD_MODNAME) ? 0 : -EBUSY;
}

/**
 * ioview_shim_release_mem_region() - undo ioview_shim_request_mem_region()
 * @start: the start it was given
 * @len: the length it was given
 */
void ioview_shim_release_mem_region(unsigned long long start, unsigned long long len)
{
	release_mem_region(start, len);
}

/**
 * ioview_shim_ioremap() - ioremap() a physical range
 * @start: physical start
 * @len: bytes
 * @addr: where the mapped (__iomem) address goes; untouched on error
 *
 * Return: 0; -EINVAL for an empty, wrapping or unrepresentable range (the
 * length must also fit ioremap()'s unsigned long); -ENOMEM if the mapping
 * failed.
 */
int ioview_shim_ioremap(unsigned long long start, unsigned long long len, volatile void **addr)
{
	void __iomem *base;

	if (!ioview_phys_range_ok(start, len) || (unsigned long)len != len)
		return -EINVAL;
	base = ioremap(start, len);
	if (!base)
		return -ENOMEM;
	*addr = (volatile void __force *)base;
	return 0;
}

/**
 * ioview_shim_iounmap() - undo ioview_shim_ioremap()
 * @addr: the address it returned
 */
void ioview_shim_iounmap(volatile void *addr)
{
	iounmap((volatile void __iomem __force *)addr);
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
	if (selftest)
		ioview_run_selftests();
	WRITE_ONCE(ioview_live, true);
	ioview_driver_loaded();
	return 0;
}
module_init(ioview_init);

static void __exit ioview_exit(void)
{
	WRITE_ONCE(ioview_live, false);
	pci_unregister_driver(&ioview_pci_driver);
}
module_exit(ioview_exit);

MODULE_DESCRIPTION("Typed, projected I/O views for PCI drivers in C++ (sample driver for QEMU edu and ivshmem)");
MODULE_LICENSE("GPL");
