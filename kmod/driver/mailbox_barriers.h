// SPDX-License-Identifier: GPL-2.0
//
// The guest kernel's ordering policy for the ivshmem mailbox
// (mailbox_ring.h): BAR2 is __iomem (pci_iomap()), so the protocol's three
// barriers are the kernel's mandatory ones, which order MMIO on every
// architecture, not the dma_*() ones defined for coherent DMA memory (the
// reasoning is at the top of mailbox_ring.h, "Which barriers").
//
//     using guest_mailbox = ioview::driver::mailbox::endpoint<ioview::kernel::kmmio,
//                                                           ioview::driver::mailbox::ivshmem_barriers>;
#ifndef IOVIEW_KMOD_DRIVER_MAILBOX_BARRIERS_H
#define IOVIEW_KMOD_DRIVER_MAILBOX_BARRIERS_H

#include "kernel/barrier.h"

namespace ioview::driver::mailbox {

/// wmb()/rmb()/mb(): sfence/lfence/mfence on x86-64, the shim's wrappers elsewhere.
struct ivshmem_barriers {
	/// (a) slot stores (memcpy_toio(), writel()) before the head's writel().
	void publish() noexcept { ioview::kernel::wmb(); }
	/// (b) the head's readl() before the slot's reads (readl(), memcpy_fromio()).
	void acquire() noexcept { ioview::kernel::rmb(); }
	/// (c) the slot's reads before the tail's writel(): loads before a store needs the full barrier.
	void release() noexcept { ioview::kernel::mb(); }
};

} // namespace ioview::driver::mailbox

#endif // IOVIEW_KMOD_DRIVER_MAILBOX_BARRIERS_H
