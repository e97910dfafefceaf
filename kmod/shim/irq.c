// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts for the C++ side: one vector per PCI function (MSI if the
 * function and the platform have it, else INTx), requested with a C
 * trampoline that hands each interrupt to the C++ handler
 * ioview_driver_irq().
 */
#include <linux/interrupt.h>
#include <linux/pci.h>

#include "shim.h"

/* 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX; 6.10 dropped the old name. */
#ifdef PCI_IRQ_INTX
#define IOVIEW_PCI_IRQ_INTX PCI_IRQ_INTX
#else
#define IOVIEW_PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

/**
 * ioview_shim_irq_alloc_vector() - one interrupt vector for @pdev
 * @pdev: PCI function, enabled
 * @allow_msi: zero to use the INTx pin even where MSI is available
 *
 * pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX): MSI is
 * tried first, the INTx pin is the fallback (the only kind without
 * @allow_msi).  Undo with ioview_shim_irq_free_vectors().
 *
 * Return: 0; a negative errno from the PCI core (-ENOSPC: neither kind is
 * available) with nothing allocated.
 */
int ioview_shim_irq_alloc_vector(struct pci_dev *pdev, int allow_msi)
{
	unsigned int kinds = IOVIEW_PCI_IRQ_INTX | (allow_msi ? PCI_IRQ_MSI : 0);
	int n = pci_alloc_irq_vectors(pdev, 1, 1, kinds);

	return n < 0 ? n : 0;
}

/**
 * ioview_shim_irq_free_vectors() - undo ioview_shim_irq_alloc_vector()
 * @pdev: PCI function whose handler, if any, is already freed
 */
void ioview_shim_irq_free_vectors(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
}

/**
 * ioview_shim_irq_uses_msi() - whether the vector is an MSI one
 * @pdev: PCI function with its vector allocated
 *
 * Return: non-zero for MSI, zero for INTx (a line that may be shared).
 */
int ioview_shim_irq_uses_msi(struct pci_dev *pdev)
{
	return pdev->msi_enabled;
}

/**
 * ioview_shim_irq_number() - the Linux IRQ number of the vector, for logs
 * @pdev: PCI function with its vector allocated
 *
 * Return: the IRQ number, or a negative errno.
 */
int ioview_shim_irq_number(struct pci_dev *pdev)
{
	return pci_irq_vector(pdev, 0);
}

/* Hard-interrupt context: hands the interrupt to C++, which never sleeps. */
static irqreturn_t ioview_irq_trampoline(int irq, void *ctx)
{
	return ioview_driver_irq(ctx) ? IRQ_HANDLED : IRQ_NONE;
}

/**
 * ioview_shim_irq_request() - install the handler on the vector
 * @pdev: PCI function with its vector allocated
 * @ctx: what ioview_driver_irq() is called with; also the dev_id that
 *       ioview_shim_irq_free() must be given
 *
 * INTx may be shared with other devices, so it is requested IRQF_SHARED and
 * the C++ handler must say "not mine" (0) when its device has nothing
 * pending.  The handler may run as soon as this is called (and, with
 * CONFIG_DEBUG_SHIRQ, once more at free time): everything it touches must
 * already be set up.
 *
 * Return: 0; a negative errno from request_irq() with nothing installed.
 */
int ioview_shim_irq_request(struct pci_dev *pdev, void *ctx)
{
	int irq = pci_irq_vector(pdev, 0);
	unsigned long flags = pdev->msi_enabled ? 0 : IRQF_SHARED;

	if (irq < 0)
		return irq;
	return request_irq(irq, ioview_irq_trampoline, flags, KBUILD_MODNAME, ctx);
}

/**
 * ioview_shim_irq_free() - remove the handler installed by ioview_shim_irq_request()
 * @pdev: the same function
 * @ctx: the same context
 *
 * Waits for a running handler to return (free_irq()): afterwards nothing
 * the handler touches is in use.  Process context.
 */
void ioview_shim_irq_free(struct pci_dev *pdev, void *ctx)
{
	free_irq(pci_irq_vector(pdev, 0), ctx);
}

/**
 * ioview_shim_irq_synchronize() - wait for a running handler of the vector
 * @pdev: PCI function with its vector allocated
 *
 * synchronize_irq(): a handler that started before the call has returned
 * when it returns.  Process context.
 */
void ioview_shim_irq_synchronize(struct pci_dev *pdev)
{
	int irq = pci_irq_vector(pdev, 0);

	if (irq >= 0)
		synchronize_irq(irq);
}
