// SPDX-License-Identifier: GPL-2.0
/*
 * C baselines of the benchmark pairs declared in shim.h: each function does
 * what its ioview_bench_cxx_*() counterpart in bench.cpp does, written the
 * way a C driver writes it, with the kernel's own accessors and its own
 * bounds checks.  The offsets are those of struct bench_regs in bench.cpp,
 * and for the driver's sequences those of edu's BAR0 and of the mailbox's
 * ring, spelled out as the C driver for each device would.
 */
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/types.h>
#include <asm/barrier.h>

#include "shim/shim.h"

#define BENCH_LIVENESS		0x04
#define BENCH_DOORBELL		0x08
#define BENCH_STATUS		0x20
#define BENCH_SLOTS		0x40
#define BENCH_SLOT_COUNT	16
#define BENCH_WIDE		0x80
#define BENCH_BYTE		0x89
#define BENCH_HALF		0x92
#define BENCH_BLOCK		0x100
#define BENCH_BLOCK_LEN		64

#define io(regs) ((void __iomem __force *)(regs))
#define cio(regs) ((const void __iomem __force *)(regs))

unsigned int ioview_bench_c_read32(const volatile void *regs)
{
	return readl(cio(regs) + BENCH_LIVENESS);
}

void ioview_bench_c_write32(volatile void *regs, unsigned int value)
{
	writel(value, io(regs) + BENCH_LIVENESS);
}

unsigned int ioview_bench_c_read32_relaxed(const volatile void *regs)
{
	return readl_relaxed(cio(regs) + BENCH_LIVENESS);
}

void ioview_bench_c_write32_relaxed(volatile void *regs, unsigned int value)
{
	writel_relaxed(value, io(regs) + BENCH_LIVENESS);
}

unsigned char ioview_bench_c_read8(const volatile void *regs)
{
	return readb(cio(regs) + BENCH_BYTE);
}

void ioview_bench_c_write16(volatile void *regs, unsigned short value)
{
	writew(value, io(regs) + BENCH_HALF);
}

#if __SIZEOF_POINTER__ == 8
unsigned long long ioview_bench_c_read64(const volatile void *regs)
{
	return readq(cio(regs) + BENCH_WIDE);
}

void ioview_bench_c_write64(volatile void *regs, unsigned long long value)
{
	writeq(value, io(regs) + BENCH_WIDE);
}
#endif

void ioview_bench_c_set_bits32(volatile void *regs, unsigned int bits)
{
	writel(readl(io(regs) + BENCH_STATUS) | bits, io(regs) + BENCH_STATUS);
}

int ioview_bench_c_read_slot(const volatile void *regs, size_t index, unsigned int *value)
{
	if (index >= BENCH_SLOT_COUNT)
		return -ERANGE;
	*value = readl(cio(regs) + BENCH_SLOTS + 4 * index);
	return 0;
}

int ioview_bench_c_read_at(const volatile void *regs, size_t len, size_t offset,
			   unsigned int *value)
{
	if (offset > len || len - offset < 4)
		return -ERANGE;
	if (((unsigned long)regs + offset) % 4)
		return -EINVAL;
	*value = readl(cio(regs) + offset);
	return 0;
}

void ioview_bench_c_copy_block_to_io(volatile void *regs, const void *src)
{
	memcpy_toio(io(regs) + BENCH_BLOCK, src, BENCH_BLOCK_LEN);
}

unsigned int ioview_bench_c_read32_loop(const volatile void *regs, unsigned int count)
{
	unsigned int sum = 0;

	while (count--)
		sum ^= readl(cio(regs) + BENCH_LIVENESS);
	return sum;
}

int ioview_bench_c_copy_to_io(volatile void *dst, size_t len, const void *src)
{
	memcpy_toio(io(dst), src, len);
	return 0;
}

/* A DMA descriptor as a C driver declares it; bench.cpp has the same layout. */
struct bench_desc {
	u64 addr;
	u32 len;
	u32 flags;
};

#define BENCH_DESC_OWNED_BY_DEVICE 1

int ioview_bench_c_post_desc(void *ring, unsigned long long ring_dma, size_t count, size_t index,
			     unsigned long long buf, unsigned int len, unsigned long long *desc_dma)
{
	struct bench_desc *d;

	if (index >= count)
		return -ERANGE;
	d = (struct bench_desc *)ring + index;
	WRITE_ONCE(d->addr, buf);
	WRITE_ONCE(d->len, len);
	WRITE_ONCE(d->flags, BENCH_DESC_OWNED_BY_DEVICE);
	*desc_dma = ring_dma + index * sizeof(*d);
	return 0;
}

/* A queue in coherent memory: the descriptors, then the index that hands them to the device. */
#define BENCH_QUEUE_LEN 8
struct bench_queue {
	struct bench_desc desc[BENCH_QUEUE_LEN];
	u32 producer;
	u32 reserved;
};

int ioview_bench_c_publish_desc(void *queue, volatile void *regs, size_t index,
				unsigned long long buf, unsigned int len)
{
	struct bench_queue *q = queue;

	if (index >= BENCH_QUEUE_LEN)
		return -ERANGE;
	WRITE_ONCE(q->desc[index].addr, buf);
	WRITE_ONCE(q->desc[index].len, len);
	WRITE_ONCE(q->desc[index].flags, BENCH_DESC_OWNED_BY_DEVICE);
	/* The device may read the index at any time: the descriptor must be complete by then. */
	dma_wmb();
	WRITE_ONCE(q->producer, index + 1);
	writel(index + 1, io(regs) + BENCH_DOORBELL);
	return 0;
}

/* A completion the device writes into coherent memory, the status word last. */
struct bench_completion {
	u32 status;
	u32 len;
	u64 data;
};

#define BENCH_COMPLETION_DONE 1

int ioview_bench_c_read_completion(const void *completion, unsigned int *len,
				   unsigned long long *data)
{
	const struct bench_completion *c = completion;

	if (!(READ_ONCE(c->status) & BENCH_COMPLETION_DONE))
		return -EAGAIN;
	/* What the status vouches for must not be read before the status. */
	dma_rmb();
	*len = READ_ONCE(c->len);
	*data = READ_ONCE(c->data);
	return 0;
}

int ioview_bench_c_config_command(struct pci_dev *pdev, unsigned short *value)
{
	u16 v;
	int err = pci_read_config_word(pdev, PCI_COMMAND, &v);

	if (err)
		return pcibios_err_to_errno(err);
	*value = v;
	return 0;
}

/* edu's BAR0 (QEMU's hw/misc/edu.c), as a C driver for it defines it. */
#define EDU_FACTORIAL		0x08
#define EDU_STATUS		0x20
#define EDU_STATUS_COMPUTING	BIT(0)
#define EDU_STATUS_IRQ		BIT(7)
#define EDU_DMA_SOURCE		0x80
#define EDU_DMA_DESTINATION	0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_COMMAND		0x98
#define EDU_DMA_START		BIT(0)
#define EDU_DMA_FROM_DEVICE	BIT(1)
#define EDU_DMA_IRQ		BIT(2)
#define EDU_BUFFER		0x40000
#define EDU_BUFFER_SIZE		4096
/* QEMU 7.2 aborts on a transfer that reaches the buffer's last byte. */
#define EDU_DMA_WINDOW		(EDU_BUFFER_SIZE - 1)
#define EDU_DMA_MASK		DMA_BIT_MASK(28)

int ioview_bench_c_factorial_start(volatile void *regs, unsigned int n)
{
	/* edu drops an operand written while it computes. */
	if (readl(io(regs) + EDU_STATUS) & EDU_STATUS_COMPUTING)
		return -EBUSY;
	/* Before the operand: edu looks at the interrupt bit when it finishes. */
	writel(EDU_STATUS_IRQ, io(regs) + EDU_STATUS);
	writel(n, io(regs) + EDU_FACTORIAL);
	return 0;
}

int ioview_bench_c_dma_start(volatile void *regs, int from_device, unsigned long long bus_addr,
			     unsigned long long offset, unsigned long long len)
{
	u64 in_buffer = EDU_BUFFER + offset;

	if (!len || len > EDU_BUFFER_SIZE)
		return -EINVAL;
	if (offset > EDU_DMA_WINDOW || len > EDU_DMA_WINDOW - offset)
		return -ERANGE;
	/* edu masks bus addresses to 28 bits: anything above would alias. */
	if (bus_addr > EDU_DMA_MASK || len - 1 > EDU_DMA_MASK - bus_addr)
		return -ERANGE;
	/* edu ignores its DMA registers while a transfer runs. */
	if (readq(io(regs) + EDU_DMA_COMMAND) & EDU_DMA_START)
		return -EBUSY;
	writeq(from_device ? in_buffer : bus_addr, io(regs) + EDU_DMA_SOURCE);
	writeq(from_device ? bus_addr : in_buffer, io(regs) + EDU_DMA_DESTINATION);
	writeq(len, io(regs) + EDU_DMA_COUNT);
	/* Last: writing the command starts the engine with what the others hold. */
	writeq(EDU_DMA_START | EDU_DMA_IRQ | (from_device ? EDU_DMA_FROM_DEVICE : 0),
	       io(regs) + EDU_DMA_COMMAND);
	return 0;
}

/* One ring of the ivshmem mailbox (kmod/devices/ivshmem_mailbox.h), as a C driver defines it. */
#define MBOX_HEAD		0x00
#define MBOX_TAIL		0x40
#define MBOX_SLOTS		0x80
#define MBOX_SLOT_SIZE		256
#define MBOX_SLOT_COUNT		64
#define MBOX_SLOT_LENGTH	0x00
#define MBOX_SLOT_SEQUENCE	0x04
#define MBOX_SLOT_PAYLOAD	0x08
#define MBOX_MAX_PAYLOAD	(MBOX_SLOT_SIZE - MBOX_SLOT_PAYLOAD)

int ioview_bench_c_mailbox_send(volatile void *ring, unsigned int *head, const void *msg,
				size_t len)
{
	void __iomem *slot;
	u32 h = *head;
	u32 used;

	if (len > MBOX_MAX_PAYLOAD)
		return -EMSGSIZE;
	/* The consumer's tail, read once; the stores below depend on it. */
	used = h - readl(io(ring) + MBOX_TAIL);
	if (used > MBOX_SLOT_COUNT)
		return -EPROTO;
	if (used == MBOX_SLOT_COUNT)
		return -EAGAIN;
	slot = io(ring) + MBOX_SLOTS + (h % MBOX_SLOT_COUNT) * MBOX_SLOT_SIZE;
	memcpy_toio(slot + MBOX_SLOT_PAYLOAD, msg, len);
	writel(len, slot + MBOX_SLOT_LENGTH);
	writel(h, slot + MBOX_SLOT_SEQUENCE);
	/* The slot before the head that publishes it. */
	wmb();
	writel(++h, io(ring) + MBOX_HEAD);
	*head = h;
	return 0;
}

/*
 * Barrier probes: one kernel barrier between plain accesses, the same as the
 * ioview::kernel:: ones in bench.cpp.  Plain, not volatile, on purpose:
 * without the barrier's "memory" clobber the compiler would drop the first
 * store and load p[1] only once, so a barrier that lost its compiler
 * barrier shows in the code as plainly as one that lost its instruction.
 */
#define BENCH_BARRIER_PROBE(name)					\
	unsigned int ioview_bench_c_barrier_##name(unsigned int *p)	\
	{								\
		unsigned int before;					\
									\
		p[0] = 1;						\
		before = p[1];						\
		name();							\
		p[0] = 2;						\
		return before + p[1];					\
	}

BENCH_BARRIER_PROBE(mb)
BENCH_BARRIER_PROBE(rmb)
BENCH_BARRIER_PROBE(wmb)
BENCH_BARRIER_PROBE(dma_mb)
BENCH_BARRIER_PROBE(dma_rmb)
BENCH_BARRIER_PROBE(dma_wmb)
BENCH_BARRIER_PROBE(smp_mb)
BENCH_BARRIER_PROBE(smp_rmb)
BENCH_BARRIER_PROBE(smp_wmb)
BENCH_BARRIER_PROBE(barrier)

/**
 * ioview_shim_ktime_ns() - ktime_get_ns() for the C++ side
 *
 * Return: monotonic time in nanoseconds.
 */
unsigned long long ioview_shim_ktime_ns(void)
{
	return ktime_get_ns();
}
