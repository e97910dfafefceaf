// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO for the C++ side: the readl() family as out-of-line fallbacks (x86-64
 * inlines them, kernel/mmio.h), the memory barriers likewise, memcpy_fromio()/
 * memcpy_toio(), and physical ranges: request_mem_region() and ioremap().
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <asm/barrier.h>

#include "shim.h"

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
