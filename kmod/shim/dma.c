// SPDX-License-Identifier: GPL-2.0
/*
 * DMA for the C++ side: the mask, and coherent memory.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "shim.h"

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
