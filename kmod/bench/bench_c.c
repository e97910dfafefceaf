// SPDX-License-Identifier: GPL-2.0
/*
 * C baselines of the benchmark pairs declared in shim.h: each function does
 * what its ioview_bench_cxx_*() counterpart in bench.cpp does, written the
 * way a C driver writes it, with the kernel's own accessors and its own
 * bounds checks.  The offsets are those of struct bench_regs in bench.cpp.
 */
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

int ioview_bench_c_read_at(const volatile void *regs, size_t len, size_t offset, unsigned int *value)
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

int ioview_bench_c_publish_desc(void *queue, volatile void *regs, size_t index, unsigned long long buf,
				unsigned int len)
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

int ioview_bench_c_read_completion(const void *completion, unsigned int *len, unsigned long long *data)
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
