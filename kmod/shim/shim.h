/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boundary between the C++ part of ioview.ko and the kernel.
 *
 * Plain C declarations, included by both sides: the C files next to this
 * one (compiled as C with the kernel headers, one file per kernel
 * subsystem) define the ioview_shim_*() functions, and the C++ objects
 * define the ioview_driver_*() callbacks.  Because both sides see the same
 * prototypes, a mismatch is a compile error on whichever side drifted.
 * C++ includes no kernel header; everything it needs from the kernel is
 * reached through this file, or inline on x86-64 through kernel/mmio.h and
 * kernel/barrier.h, which emit what the kernel's own headers emit.
 *
 * Only builtin types appear here so that the header means the same thing
 * to the C compiler (with <linux/types.h> around it) and to the C++ one
 * (with nothing around it).
 */
#ifndef IOVIEW_KMOD_SHIM_H
#define IOVIEW_KMOD_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct pci_dev;

typedef __SIZE_TYPE__ ioview_size_t;
/*
 * The compiler's own va_list type: the same in C and C++, checked against
 * va_list in shim/module.c.
 */
typedef __builtin_va_list ioview_va_list;

/**
 * enum ioview_gfp - allocation context, mapped to gfp_t by the shim
 * @IOVIEW_GFP_KERNEL: GFP_KERNEL: may sleep
 * @IOVIEW_GFP_ATOMIC: GFP_ATOMIC: must not sleep
 */
enum ioview_gfp {
	IOVIEW_GFP_KERNEL = 1,
	IOVIEW_GFP_ATOMIC = 2,
};

/**
 * enum ioview_device_kind - which device a PCI id table entry matched
 * @IOVIEW_DEVICE_EDU: QEMU edu, 1234:11e8
 * @IOVIEW_DEVICE_IVSHMEM: QEMU ivshmem-plain, 1af4:1110
 */
enum ioview_device_kind {
	IOVIEW_DEVICE_EDU = 1,
	IOVIEW_DEVICE_IVSHMEM = 2,
};

/**
 * struct ioview_pci_ids - identification of a PCI function
 * @vendor: vendor id
 * @device: device id
 * @revision: revision id
 * @class_code: 24-bit class code (base class, sub class, prog-if)
 */
struct ioview_pci_ids {
	unsigned short vendor;
	unsigned short device;
	unsigned char revision;
	unsigned int class_code;
};

/* Memory.  kmalloc()/kfree(); ioview_shim_kmalloc() returns NULL on failure. */
void *ioview_shim_kmalloc(ioview_size_t size, enum ioview_gfp gfp);
void ioview_shim_kfree(const void *ptr);

/*
 * The C++ runtime (operator new and delete, __cxa_pure_virtual, the view
 * library's contract-violation handler) is the Kbuild glue's:
 * kbuild/runtime/ioview_cxxrt_abi.h, linked in by kbuild/ioview.mk.
 */

/**
 * enum ioview_log_level - kernel log level of a driver message
 * @IOVIEW_LOG_INFO: KERN_INFO, dev_info()
 * @IOVIEW_LOG_ERR: KERN_ERR, dev_err()
 */
enum ioview_log_level {
	IOVIEW_LOG_INFO = 1,
	IOVIEW_LOG_ERR = 2,
};

/* Logs one message for the PCI function, like dev_info()/dev_err(). */
void ioview_shim_dev_log(struct pci_dev *pdev, enum ioview_log_level level,
			 const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

/* Logs one line of the module's own, not tied to a device: printk() with no prefix. */
void ioview_shim_log(enum ioview_log_level level, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/*
 * vsnprintf(): formats into @buf of @size bytes, always NUL-terminated when
 * @size > 0; returns the length the whole output would have had.
 */
int ioview_shim_vsnprintf(char *buf, ioview_size_t size, const char *fmt, ioview_va_list args)
	__attribute__((__format__(__printf__, 3, 0)));

/*
 * MMIO accessors: readb()..readq(), writeb()..writeq() and their _relaxed
 * forms, memcpy_fromio()/memcpy_toio().  @addr is an __iomem address (the
 * annotation is the kernel's; C++ sees a plain volatile pointer).  On
 * x86-64 the C++ side inlines the single-access ones (kernel/mmio.h), so
 * these are the portable fallback; the block copies are always called.
 */

/**
 * ioview_shim_readb() - readb(): one 8-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 *
 * Return: the value read.
 */
unsigned char ioview_shim_readb(const volatile void *addr);

/**
 * ioview_shim_readw() - readw(): one 16-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 *
 * Return: the value read.
 */
unsigned short ioview_shim_readw(const volatile void *addr);

/**
 * ioview_shim_readl() - readl(): one 32-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 *
 * Return: the value read.
 */
unsigned int ioview_shim_readl(const volatile void *addr);

/**
 * ioview_shim_readb_relaxed() - readb_relaxed(): one 8-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 *
 * Return: the value read.
 */
unsigned char ioview_shim_readb_relaxed(const volatile void *addr);

/**
 * ioview_shim_readw_relaxed() - readw_relaxed(): one 16-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 *
 * Return: the value read.
 */
unsigned short ioview_shim_readw_relaxed(const volatile void *addr);

/**
 * ioview_shim_readl_relaxed() - readl_relaxed(): one 32-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 *
 * Return: the value read.
 */
unsigned int ioview_shim_readl_relaxed(const volatile void *addr);

/**
 * ioview_shim_writeb() - writeb(): one 8-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 */
void ioview_shim_writeb(unsigned char value, volatile void *addr);

/**
 * ioview_shim_writew() - writew(): one 16-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 */
void ioview_shim_writew(unsigned short value, volatile void *addr);

/**
 * ioview_shim_writel() - writel(): one 32-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 */
void ioview_shim_writel(unsigned int value, volatile void *addr);

/**
 * ioview_shim_writeb_relaxed() - writeb_relaxed(): one 8-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 */
void ioview_shim_writeb_relaxed(unsigned char value, volatile void *addr);

/**
 * ioview_shim_writew_relaxed() - writew_relaxed(): one 16-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 */
void ioview_shim_writew_relaxed(unsigned short value, volatile void *addr);

/**
 * ioview_shim_writel_relaxed() - writel_relaxed(): one 32-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 */
void ioview_shim_writel_relaxed(unsigned int value, volatile void *addr);
#if __SIZEOF_POINTER__ == 8
/* Only where the kernel has a native readq (64-bit): never two halves. */

/**
 * ioview_shim_readq() - readq(): one 64-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 *
 * Return: the value read.
 */
unsigned long long ioview_shim_readq(const volatile void *addr);

/**
 * ioview_shim_readq_relaxed() - readq_relaxed(): one 64-bit MMIO read
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 *
 * Return: the value read.
 */
unsigned long long ioview_shim_readq_relaxed(const volatile void *addr);

/**
 * ioview_shim_writeq() - writeq(): one 64-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Ordered against accesses to normal (DMA) memory, as the kernel's
 * accessor is.  Any context.
 */
void ioview_shim_writeq(unsigned long long value, volatile void *addr);

/**
 * ioview_shim_writeq_relaxed() - writeq_relaxed(): one 64-bit MMIO write
 * @value: what to write
 * @addr: __iomem address, naturally aligned
 *
 * Not ordered against accesses to normal (DMA) memory; ordered against
 * other MMIO to the same device.  Any context.
 */
void ioview_shim_writeq_relaxed(unsigned long long value, volatile void *addr);
#endif
/* The portable path; x86-64's inline accessors call memcpy_*io() directly. */
void ioview_shim_memcpy_fromio(void *dst, const volatile void *src, ioview_size_t n);
void ioview_shim_memcpy_toio(volatile void *dst, const void *src, ioview_size_t n);

/*
 * Memory barriers: mb(), rmb(), wmb(), dma_mb(), dma_rmb(), dma_wmb(),
 * smp_mb(), smp_rmb(), smp_wmb(), one call each.  On x86-64 the C++ side
 * inlines them (kernel/barrier.h), so these are the portable fallback; the
 * compiler barrier barrier() needs none.
 */

/**
 * ioview_shim_mb() - mb(): orders all earlier memory and MMIO accesses before all later ones
 *
 * Any context.
 */
void ioview_shim_mb(void);

/**
 * ioview_shim_rmb() - rmb(): orders earlier reads of memory and MMIO before later ones
 *
 * Any context.
 */
void ioview_shim_rmb(void);

/**
 * ioview_shim_wmb() - wmb(): orders earlier writes to memory and MMIO before later ones
 *
 * Any context.
 */
void ioview_shim_wmb(void);

/**
 * ioview_shim_dma_mb() - dma_mb(): orders accesses to coherent DMA memory
 *
 * Any context.
 */
void ioview_shim_dma_mb(void);

/**
 * ioview_shim_dma_rmb() - dma_rmb(): orders reads of coherent DMA memory
 *
 * E.g. a status word the device wrote before the data it describes.
 *
 * Any context.
 */
void ioview_shim_dma_rmb(void);

/**
 * ioview_shim_dma_wmb() - dma_wmb(): orders writes to coherent DMA memory
 *
 * E.g. a descriptor's data before the word that hands it to the device.
 *
 * Any context.
 */
void ioview_shim_dma_wmb(void);

/**
 * ioview_shim_smp_mb() - smp_mb(): orders all accesses to normal memory between CPUs (not devices)
 *
 * Any context.
 */
void ioview_shim_smp_mb(void);

/**
 * ioview_shim_smp_rmb() - smp_rmb(): orders reads of normal memory between CPUs
 *
 * Any context.
 */
void ioview_shim_smp_rmb(void);

/**
 * ioview_shim_smp_wmb() - smp_wmb(): orders writes to normal memory between CPUs
 *
 * Any context.
 */
void ioview_shim_smp_wmb(void);

/*
 * Kernel functions the C++ side calls directly: exported functions (not
 * macros, not inline functions) with nothing to adapt, declared here with
 * the kernel's own prototypes.  A forwarding wrapper would only cost a call
 * that C does not pay.  The shim's C files include the kernel's header and
 * this one, so a declaration that drifts from the kernel's is a compile
 * error there (pci.c and mmio.c); check-module.sh lets the C++ objects refer
 * to exactly the names declared between the two markers below and to
 * nothing else outside the module.
 */
/* ioview: direct kernel calls begin */
int pci_read_config_byte(const struct pci_dev *dev, int where, unsigned char *val);
int pci_read_config_word(const struct pci_dev *dev, int where, unsigned short *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, unsigned int *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, unsigned char val);
int pci_write_config_word(const struct pci_dev *dev, int where, unsigned short val);
int pci_write_config_dword(const struct pci_dev *dev, int where, unsigned int val);
#if defined(__x86_64__)
/* x86's are exported functions; elsewhere they may be inline (the shim's then). */
void memcpy_fromio(void *dst, const volatile void *src, ioview_size_t count);
void memcpy_toio(volatile void *dst, const void *src, ioview_size_t count);
#endif
/* ioview: direct kernel calls end */

/**
 * enum ioview_pcibios - what the pci_*_config_*() calls above return
 * @IOVIEW_PCIBIOS_SUCCESSFUL: success
 * @IOVIEW_PCIBIOS_FUNC_NOT_SUPPORTED: the platform cannot make the access
 * @IOVIEW_PCIBIOS_BAD_VENDOR_ID: bad vendor id
 * @IOVIEW_PCIBIOS_DEVICE_NOT_FOUND: no function answers (e.g. surprise-removed)
 * @IOVIEW_PCIBIOS_BAD_REGISTER_NUMBER: misaligned or out-of-range register
 * @IOVIEW_PCIBIOS_SET_FAILED: the write did not take
 * @IOVIEW_PCIBIOS_BUFFER_TOO_SMALL: buffer too small
 *
 * The kernel's PCIBIOS_* codes (include/linux/pci.h), checked equal in
 * shim/pci.c, so that kernel/config.h maps them to errnos inline, as C's
 * inline pcibios_err_to_errno() does, instead of calling out for it.  A
 * negative result is an errno already.
 */
enum ioview_pcibios {
	IOVIEW_PCIBIOS_SUCCESSFUL = 0x00,
	IOVIEW_PCIBIOS_FUNC_NOT_SUPPORTED = 0x81,
	IOVIEW_PCIBIOS_BAD_VENDOR_ID = 0x83,
	IOVIEW_PCIBIOS_DEVICE_NOT_FOUND = 0x86,
	IOVIEW_PCIBIOS_BAD_REGISTER_NUMBER = 0x87,
	IOVIEW_PCIBIOS_SET_FAILED = 0x88,
	IOVIEW_PCIBIOS_BUFFER_TOO_SMALL = 0x89,
};

/*
 * The kernel's own pcibios_err_to_errno() (an inline function), for the
 * self-test that holds kernel/config.h's mapping to it for every code.
 */
int ioview_shim_pcibios_err_to_errno(int err);

/* PCI function state.  Return 0 or a negative errno. */
void ioview_shim_pci_ids(struct pci_dev *pdev, struct ioview_pci_ids *ids);
unsigned long long ioview_shim_pci_bar_len(struct pci_dev *pdev, int bar);
int ioview_shim_pci_enable(struct pci_dev *pdev);
void ioview_shim_pci_disable(struct pci_dev *pdev);

/*
 * BAR mappings.  Request, then map; unmap, then release.  @bar is 0..5.
 * ioview_shim_pci_bar_is_mem() is non-zero for a memory (not I/O port)
 * BAR; ioview_shim_pci_iomap() maps the whole BAR and returns NULL on
 * failure; the request is made in the module's name.
 */
int ioview_shim_pci_bar_is_mem(struct pci_dev *pdev, int bar);
int ioview_shim_pci_request_region(struct pci_dev *pdev, int bar);
void ioview_shim_pci_release_region(struct pci_dev *pdev, int bar);
volatile void *ioview_shim_pci_iomap(struct pci_dev *pdev, int bar);
void ioview_shim_pci_iounmap(struct pci_dev *pdev, volatile void *addr);

void ioview_shim_set_drvdata(struct pci_dev *pdev, void *data);
void *ioview_shim_get_drvdata(struct pci_dev *pdev);

/*
 * Lifetime of a PCI function, for the driver's counted handles and the
 * lifetime self-tests.  ioview_shim_pci_dev_get()/put() pin the struct
 * pci_dev (pci_dev_get()/pci_dev_put()), not its binding.
 * ioview_shim_pci_name() is pci_name(): "0000:00:04.0".
 * ioview_shim_pci_unbind() unbinds the function from whatever driver has
 * it (device_release_driver(): remove() runs, under the device lock) and
 * ioview_shim_pci_rebind() asks the driver core to bind it again
 * (device_attach(): 1 if a driver took it, 0 if none did, e.g. because its
 * probe failed, or a negative errno).  Process context, no device lock held.
 */
void ioview_shim_pci_dev_get(struct pci_dev *pdev);
void ioview_shim_pci_dev_put(struct pci_dev *pdev);
const char *ioview_shim_pci_name(const struct pci_dev *pdev);
void ioview_shim_pci_unbind(struct pci_dev *pdev);
int ioview_shim_pci_rebind(struct pci_dev *pdev);
/*
 * The function's device lock (device_lock_interruptible()/device_unlock()),
 * which the driver core holds around probe() and remove(): held, the
 * function stays bound or unbound as it is.  Lock returns 0 or -EINTR.
 * Process context; never with the driver lock or a device's own lock held.
 */
int ioview_shim_pci_device_lock_interruptible(struct pci_dev *pdev);
void ioview_shim_pci_device_unlock(struct pci_dev *pdev);

/*
 * The driver's own lock (a static mutex in shim/module.c): guards the list
 * of bound functions that driver/probe.cpp keeps, so that a lookup and a
 * remove() never interleave.  Process context; never held across a wait.
 */
void ioview_shim_driver_lock(void);
void ioview_shim_driver_unlock(void);

/*
 * The function of @kind bound to this driver, for self-tests: returned
 * with a reference and its device lock held, so it can neither be unbound
 * nor freed until ioview_shim_selftest_device_put().  NULL if none.
 */
struct pci_dev *ioview_shim_selftest_device_get(enum ioview_device_kind kind);
void ioview_shim_selftest_device_put(struct pci_dev *pdev);

/*
 * Benchmarks (bench=1).  Each pattern is a pair with one prototype: the C
 * baseline in bench_c.c, written with the kernel's own accessors as a C
 * driver would, and the same work through ioview views in bench.cpp.  Both
 * are out of line and compiled in the same build with the same flags, so
 * tests/bench/module compares their instructions and the in-kernel run
 * times them against each other.  @regs is an __iomem register block laid
 * out like edu's BAR0 (see bench.cpp).
 */
#define IOVIEW_BENCH_PAIR(ret, name, ...)				\
	ret ioview_bench_c_##name(__VA_ARGS__);				\
	ret ioview_bench_cxx_##name(__VA_ARGS__)
IOVIEW_BENCH_PAIR(unsigned int, read32, const volatile void *regs);
IOVIEW_BENCH_PAIR(void, write32, volatile void *regs, unsigned int value);
IOVIEW_BENCH_PAIR(unsigned int, read32_relaxed, const volatile void *regs);
IOVIEW_BENCH_PAIR(void, write32_relaxed, volatile void *regs, unsigned int value);
IOVIEW_BENCH_PAIR(unsigned char, read8, const volatile void *regs);
IOVIEW_BENCH_PAIR(void, write16, volatile void *regs, unsigned short value);
#if __SIZEOF_POINTER__ == 8
IOVIEW_BENCH_PAIR(unsigned long long, read64, const volatile void *regs);
IOVIEW_BENCH_PAIR(void, write64, volatile void *regs, unsigned long long value);
#endif
IOVIEW_BENCH_PAIR(void, set_bits32, volatile void *regs, unsigned int bits);
IOVIEW_BENCH_PAIR(int, read_slot, const volatile void *regs, ioview_size_t index,
		  unsigned int *value);
IOVIEW_BENCH_PAIR(int, read_at, const volatile void *regs, ioview_size_t len, ioview_size_t offset,
		  unsigned int *value);
IOVIEW_BENCH_PAIR(void, copy_block_to_io, volatile void *regs, const void *src);
IOVIEW_BENCH_PAIR(unsigned int, read32_loop, const volatile void *regs, unsigned int count);
IOVIEW_BENCH_PAIR(int, copy_to_io, volatile void *dst, ioview_size_t len, const void *src);
/* Coherent memory: fill descriptor @index of a ring of @count, give its DMA address. */
IOVIEW_BENCH_PAIR(int, post_desc, void *ring, unsigned long long ring_dma, ioview_size_t count,
		  ioview_size_t index, unsigned long long buf, unsigned int len,
		  unsigned long long *desc_dma);
/*
 * Coherent memory, then a doorbell: fill descriptor @index of the queue at
 * @queue, dma_wmb(), store @index + 1 as the queue's producer index, then
 * writel() the same index to the doorbell of @regs.  0 or -ERANGE.
 */
IOVIEW_BENCH_PAIR(int, publish_desc, void *queue, volatile void *regs, ioview_size_t index,
		  unsigned long long buf, unsigned int len);
/*
 * Coherent memory the device wrote: if the completion at @completion says
 * done, dma_rmb(), then its length and data.  0, or -EAGAIN if not done.
 */
IOVIEW_BENCH_PAIR(int, read_completion, const void *completion, unsigned int *len,
		  unsigned long long *data);
/* Configuration space: the command register of @pdev. */
IOVIEW_BENCH_PAIR(int, config_command, struct pci_dev *pdev, unsigned short *value);
/*
 * The driver's own sequences, the C++ halves calling driver/edu_logic.h and
 * driver/mailbox_ring.h.  @regs is then all of edu's 1 MiB BAR0 (its map is
 * kmod/devices/edu.h).  factorial_start: -EBUSY while the factorial unit
 * computes, else status with the completion interrupt requested, then the
 * operand @n.  dma_start: a transfer of @len bytes between @bus_addr and
 * @offset in edu's buffer (into it, or out of it if @from_device), with the
 * completion interrupt; -EINVAL, -ERANGE for a window edu cannot take,
 * -EBUSY while a transfer runs, else source, destination, count and command.
 * mailbox_send: one message of @len bytes from @msg into @ring, a ring of
 * kmod/devices/ivshmem_mailbox.h (struct ring), whose producer's count the
 * caller keeps in *@head, advanced on success; -EMSGSIZE, -EAGAIN when
 * full, -EPROTO when the peer's tail is off.  Nothing is written on an error.
 */
IOVIEW_BENCH_PAIR(int, factorial_start, volatile void *regs, unsigned int n);
IOVIEW_BENCH_PAIR(int, dma_start, volatile void *regs, int from_device, unsigned long long bus_addr,
		  unsigned long long offset, unsigned long long len);
IOVIEW_BENCH_PAIR(int, mailbox_send, volatile void *ring, unsigned int *head, const void *msg,
		  ioview_size_t len);
/*
 * Barrier probes for tests/modcheck/run.sh: the same plain accesses through
 * @p around one barrier, the kernel's macro in C, ioview::kernel:: in C++.
 */
IOVIEW_BENCH_PAIR(unsigned int, barrier_mb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_rmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_wmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_dma_mb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_dma_rmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_dma_wmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_smp_mb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_smp_rmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_smp_wmb, unsigned int *p);
IOVIEW_BENCH_PAIR(unsigned int, barrier_barrier, unsigned int *p);
#undef IOVIEW_BENCH_PAIR

/* ktime_get_ns(): monotonic nanoseconds, for the benchmarks' timing. */
unsigned long long ioview_shim_ktime_ns(void);

/* Non-zero when the module was loaded with bench=1. */
int ioview_shim_bench_requested(void);

/*
 * DMA-coherent memory of a PCI function, bus mastering and sleeping waits.
 * ioview_shim_dma_set_mask_and_coherent() takes the number of address bits
 * the device drives (1..64).  ioview_shim_dma_alloc_coherent() stores the
 * CPU and DMA addresses of a zeroed buffer of @size bytes; free it with the
 * same pdev, size and both addresses, from process context, before the
 * function is unbound.  Return 0 or a negative errno.
 */
int ioview_shim_dma_set_mask_and_coherent(struct pci_dev *pdev, unsigned int bits);
int ioview_shim_dma_alloc_coherent(struct pci_dev *pdev, ioview_size_t size, void **cpu,
				   unsigned long long *dma);
void ioview_shim_dma_free_coherent(struct pci_dev *pdev, ioview_size_t size, void *cpu,
				   unsigned long long dma);
void ioview_shim_pci_set_master(struct pci_dev *pdev);
void ioview_shim_pci_clear_master(struct pci_dev *pdev);
void ioview_shim_msleep(unsigned int ms);
/*
 * usleep_range(): sleep at least @min_us microseconds and about @max_us at
 * most (the range is slack for coalescing wakeups); for waits shorter than a
 * tick, which msleep() rounds up to two jiffies.  Process context.
 */
void ioview_shim_usleep_range(unsigned int min_us, unsigned int max_us);

/*
 * Physical memory ranges, for mappings that are not a whole BAR: a BAR's
 * physical start, request_mem_region()/release_mem_region() in the module's
 * name, ioremap()/iounmap().  Request, then map; unmap, then release.
 * Addresses and lengths are unsigned long long, wide enough for any
 * phys_addr_t; a range that does not fit the kernel's types, is empty or
 * wraps around is refused with -EINVAL.
 */
int ioview_shim_pci_bar_start(struct pci_dev *pdev, int bar, unsigned long long *start);
int ioview_shim_request_mem_region(unsigned long long start, unsigned long long len);
void ioview_shim_release_mem_region(unsigned long long start, unsigned long long len);
int ioview_shim_ioremap(unsigned long long start, unsigned long long len, volatile void **addr);
void ioview_shim_iounmap(volatile void *addr);

/*
 * PCI configuration space.  The accessors themselves are the kernel's
 * pci_{read,write}_config_*(), called directly (see the direct calls
 * above).  ioview_shim_pci_cfg_size() is the function's size in bytes: 256,
 * or 4096 for a function with the extended space (what the views of
 * kernel/config.h are given, so their try_ checks refuse anything past it
 * before the kernel is asked).  ioview_shim_pci_find_capability() is the
 * kernel's own pci_find_capability(): an offset, or 0 if absent.
 */
int ioview_shim_pci_cfg_size(struct pci_dev *pdev);
int ioview_shim_pci_find_capability(struct pci_dev *pdev, int cap);

/*
 * Interrupts (shim/irq.c): one vector per function, MSI first (unless
 * @allow_msi is 0), INTx as the fallback.  Allocate the vector, then
 * request it; free it, then free the vectors.  The handler installed by
 * ioview_shim_irq_request() calls ioview_driver_irq(@ctx) below in
 * hard-interrupt context.  Return 0 or a negative errno.
 */
int ioview_shim_irq_alloc_vector(struct pci_dev *pdev, int allow_msi);
void ioview_shim_irq_free_vectors(struct pci_dev *pdev);
int ioview_shim_irq_uses_msi(struct pci_dev *pdev);
int ioview_shim_irq_number(struct pci_dev *pdev);
int ioview_shim_irq_request(struct pci_dev *pdev, void *ctx);
void ioview_shim_irq_free(struct pci_dev *pdev, void *ctx);
void ioview_shim_irq_synchronize(struct pci_dev *pdev);

/**
 * ioview_driver_irq() - the interrupt handler's body, in C++
 * @ctx: what was given to ioview_shim_irq_request()
 *
 * Called by the shim's trampoline in hard-interrupt context: must not
 * sleep or take a mutex.
 *
 * Return: non-zero if the interrupt was the device's (IRQ_HANDLED), zero if
 * not (IRQ_NONE: on a shared INTx line it was another device's).
 */
int ioview_driver_irq(void *ctx);

/*
 * Synchronisation (shim/sync.c).  A mutex and an event (a struct
 * completion) are opaque: the kernel's configuration decides their size, so
 * the shim allocates them; each create may fail with -ENOMEM, each destroy
 * takes NULL.  The event is one-shot: reset before starting what signals
 * it, signal from any context (the interrupt handler), wait in process
 * context with a bound in milliseconds (0, or -ETIMEDOUT).
 */
struct ioview_mutex;
struct ioview_event;
int ioview_shim_mutex_create(struct ioview_mutex **out);
void ioview_shim_mutex_destroy(struct ioview_mutex *m);
void ioview_shim_mutex_lock(struct ioview_mutex *m);
int ioview_shim_mutex_lock_interruptible(struct ioview_mutex *m);
int ioview_shim_mutex_trylock(struct ioview_mutex *m);
void ioview_shim_mutex_unlock(struct ioview_mutex *m);
int ioview_shim_event_create(struct ioview_event **out);
void ioview_shim_event_destroy(struct ioview_event *e);
void ioview_shim_event_reset(struct ioview_event *e);
void ioview_shim_event_signal(struct ioview_event *e);
int ioview_shim_event_wait(struct ioview_event *e, unsigned int timeout_ms);

/**
 * struct ioview_counter - a 64-bit counter laid out as atomic64_t (checked
 * in shim/sync.c), for counts an interrupt handler updates while process
 * context reads them.  Zero-initialise; touch only through the two calls.
 * @value: the count; do not access directly
 */
struct ioview_counter {
	long long value __attribute__((__aligned__(8)));
};

void ioview_shim_counter_inc(struct ioview_counter *c);
void ioview_shim_counter_set(struct ioview_counter *c, unsigned long long v);
unsigned long long ioview_shim_counter_read(const struct ioview_counter *c);

/**
 * struct ioview_refcount - a reference count laid out as refcount_t
 * (checked in shim/sync.c): saturating, WARNs on an increment from zero or
 * an underflow.  Set once, then only get and put.
 * @value: the count; do not access directly
 */
struct ioview_refcount {
	int value;
};

void ioview_shim_refcount_set(struct ioview_refcount *r, unsigned int n);
void ioview_shim_refcount_get(struct ioview_refcount *r);
/* Drops one reference: non-zero when it was the last (refcount_dec_and_test()). */
int ioview_shim_refcount_put(struct ioview_refcount *r);

/**
 * struct ioview_flag - a flag one context raises for good and others test
 * @value: non-zero once raised; do not access directly
 *
 * Full ordering (smp_mb() on both sides): what a test after
 * ioview_shim_flag_test() reads happened after the raise it saw, and a
 * raise followed by a wake-up is never missed by a waiter that resets its
 * event and then tests.
 */
struct ioview_flag {
	int value;
};

void ioview_shim_flag_raise(struct ioview_flag *f);
int ioview_shim_flag_test(const struct ioview_flag *f);

/*
 * Deferred work (shim/work.c): one delayed_work per object, run on the
 * system workqueue, whose callback calls ioview_driver_poll(@ctx) below in
 * process context.  Create (not scheduled), schedule a run @delay_ms from
 * now (also from the callback, to re-arm it), cancel synchronously (no run
 * pending or running afterwards, even a re-arming one), destroy.  Create
 * returns 0 or -ENOMEM; destroy takes NULL.
 */
struct ioview_work;
int ioview_shim_work_create(void *ctx, struct ioview_work **out);
void ioview_shim_work_schedule(struct ioview_work *w, unsigned int delay_ms);
void ioview_shim_work_cancel_sync(struct ioview_work *w);
void ioview_shim_work_destroy(struct ioview_work *w);

/**
 * ioview_driver_poll() - one run of a deferred work, in C++
 * @ctx: what was given to ioview_shim_work_create()
 *
 * Process context, on the system workqueue: may sleep and take a mutex,
 * but not one held around ioview_shim_work_cancel_sync() of this work.
 */
void ioview_driver_poll(void *ctx);

/*
 * Kernel threads (shim/thread.c), for self-tests that need a second
 * context: start runs ioview_driver_thread(@ctx) below in a new kthread;
 * join waits until that call has returned and frees the thread.  Every
 * started thread must be joined.  Start returns 0, -ENOMEM or -EINTR.
 * Process context.
 */
struct ioview_thread;
int ioview_shim_thread_start(void *ctx, const char *name, struct ioview_thread **out);
void ioview_shim_thread_join(struct ioview_thread *t);

/**
 * ioview_driver_thread() - the body of a kernel thread, in C++
 * @ctx: what was given to ioview_shim_thread_start()
 *
 * Process context, in the new thread; ioview_shim_thread_join() waits for
 * its return.
 */
void ioview_driver_thread(void *ctx);

/*
 * Module parameters read by the C++ side (shim/module.c).
 * ioview_shim_mailbox_peer_expected(): non-zero when loaded with
 * mailbox_peer=1, i.e. a host peer serves the ivshmem mailbox.
 * ioview_shim_selftest_suite(): the suite named by selftest_suite=NAME, or
 * NULL when none was named (then every default suite runs).
 */
int ioview_shim_mailbox_peer_expected(void);
/* ioview_shim_edu_msi(): zero when loaded with edu_msi=0 (edu then uses its INTx pin). */
int ioview_shim_edu_msi(void);
const char *ioview_shim_selftest_suite(void);

/*
 * The control interface: the generic netlink family "ioview"
 * (include/uapi/ioview.yaml), registered by shim/netlink.c.  netlink.c
 * parses and checks each request, checks the caller's capabilities and
 * builds the reply; the device work is done in C++ by the
 * ioview_driver_ctl_*() functions below (driver/control.cpp, and
 * driver/probe.cpp for the list of bound functions).  Devices are named by
 * their PCI name ("0000:00:03.0").  Each function returns 0 or a negative
 * errno; on an error it says in *@st why (a fault) and which request
 * attribute was wrong, so that netlink.c can name it in the extended ACK.
 * All of them are process context and may sleep.  Counted references keep
 * the state of a function that is unbound during a call: the call then
 * returns -ENODEV (IOVIEW_CTL_NO_DEVICE).
 */

/* Bytes of a PCI device name, the NUL included (IOVIEW_DEV_NAME_LEN, checked in netlink.c). */
#define IOVIEW_CTL_NAME_LEN 32
/*
 * Bytes of a register or field name, the NUL included (IOVIEW_REG_NAME_LEN,
 * checked in netlink.c).
 */
#define IOVIEW_CTL_REG_NAME_LEN 32
/* The standard BARs of a function. */
#define IOVIEW_CTL_BARS 6
/*
 * The longest mailbox message (IOVIEW_MBOX_MAX_BYTES; checked in
 * control.cpp against the layout).
 */
#define IOVIEW_CTL_MBOX_MAX 248

/**
 * enum ioview_ctl_fault - why a control call failed; the errno it returned
 * comes with it (the usual one is given here)
 * @IOVIEW_CTL_OK: no failure
 * @IOVIEW_CTL_NO_DEVICE: -ENODEV: no function of that name is bound, or it
 *	was unbound during the call
 * @IOVIEW_CTL_NOT_EDU: -EOPNOTSUPP: the operation needs an edu function
 * @IOVIEW_CTL_NOT_IVSHMEM: -EOPNOTSUPP: the operation needs an ivshmem one
 * @IOVIEW_CTL_INTERRUPTED: -EINTR: a signal came while waiting for the device
 * @IOVIEW_CTL_CONFIG_OFFSET: -ERANGE: the offset is at or past the end of
 *	the configuration space
 * @IOVIEW_CTL_CONFIG_LENGTH: -ERANGE: offset + length passes its end
 * @IOVIEW_CTL_CONFIG_PRIVILEGED: -EPERM: the offset is past the first 64
 *	bytes and the caller lacks CAP_SYS_ADMIN
 * @IOVIEW_CTL_CONFIG_WIDTH: -EINVAL: a configuration access is 1, 2 or 4 bytes
 * @IOVIEW_CTL_CONFIG_ACCESS: the kernel's configuration accessor failed
 * @IOVIEW_CTL_MISALIGNED: -EINVAL: the offset is not a multiple of the width
 * @IOVIEW_CTL_VALUE_TOO_WIDE: -ERANGE: the value has more bits than the width
 * @IOVIEW_CTL_REG_UNKNOWN: -ENOENT: the device has no register of that name
 * @IOVIEW_CTL_REG_OFFSET: -ERANGE: the offset is past the register BAR
 * @IOVIEW_CTL_REG_NONE_AT: -ENOENT: no register starts at that offset
 * @IOVIEW_CTL_REG_WIDTH: -EINVAL: the width is not the register's
 * @IOVIEW_CTL_REG_READ_CLEARS: -EPERM: reading the register clears it, which
 *	needs CAP_NET_ADMIN
 * @IOVIEW_CTL_REG_WRITE_ONLY: -EOPNOTSUPP: a read of it means nothing
 * @IOVIEW_CTL_REG_READ_ONLY: -EOPNOTSUPP: a write to it does nothing
 * @IOVIEW_CTL_BAR_BUSY: -EBUSY: someone else holds the BAR (a self-test)
 * @IOVIEW_CTL_BAR_MAP: the BAR could not be mapped (-ENXIO, -ENOMEM, ...)
 * @IOVIEW_CTL_FACTORIAL_ARG: -ERANGE: the operand has more than 32 bits
 * @IOVIEW_CTL_BUSY: -EBUSY: the unit still works on an earlier request
 * @IOVIEW_CTL_TIMEOUT: -ETIMEDOUT: the device did not finish in time
 * @IOVIEW_CTL_DEVICE_DEAD: -EIO: edu was shut off after a transfer that
 *	would not end
 * @IOVIEW_CTL_DMA_LENGTH: -EINVAL: a transfer is 1 to 4095 bytes
 * @IOVIEW_CTL_DMA_WINDOW: -ERANGE: the transfer leaves edu's usable 4095 bytes
 * @IOVIEW_CTL_IRQ_BITS: -EINVAL: no bit to raise, or -ERANGE: more than 32
 * @IOVIEW_CTL_MBOX_SIZE: -EMSGSIZE: the message is longer than 248 bytes
 * @IOVIEW_CTL_MBOX_NOT_CONNECTED: -ENOTCONN: the host peer is not attached
 * @IOVIEW_CTL_MBOX_FULL: -EAGAIN: the ring to the host is full
 * @IOVIEW_CTL_MBOX_EMPTY: -EAGAIN (no wait asked) or -ETIMEDOUT: no message
 * @IOVIEW_CTL_MBOX_PROTOCOL: -EPROTO, -EBADMSG: the host's data is bad
 * @IOVIEW_CTL_MBOX_BUSY: -EBUSY: the mailbox's bytes are held by someone
 *	else (a self-test mapping all of BAR2)
 * @IOVIEW_CTL_MBOX_NOT_OPEN: -ENOTCONN: a close found the mailbox not open
 * @IOVIEW_CTL_MBOX_CLOSED: -ENOTCONN: a close came between the open a send
 *	or receive did and its work (a waiting receive included)
 * @IOVIEW_CTL_SUITE_UNKNOWN: -ENOENT: no self-test suite of that name
 * @IOVIEW_CTL_FAILED: any other errno, from the device or the kernel
 */
enum ioview_ctl_fault {
	IOVIEW_CTL_OK = 0,
	IOVIEW_CTL_NO_DEVICE,
	IOVIEW_CTL_NOT_EDU,
	IOVIEW_CTL_NOT_IVSHMEM,
	IOVIEW_CTL_INTERRUPTED,
	IOVIEW_CTL_CONFIG_OFFSET,
	IOVIEW_CTL_CONFIG_LENGTH,
	IOVIEW_CTL_CONFIG_PRIVILEGED,
	IOVIEW_CTL_CONFIG_WIDTH,
	IOVIEW_CTL_CONFIG_ACCESS,
	IOVIEW_CTL_MISALIGNED,
	IOVIEW_CTL_VALUE_TOO_WIDE,
	IOVIEW_CTL_REG_UNKNOWN,
	IOVIEW_CTL_REG_OFFSET,
	IOVIEW_CTL_REG_NONE_AT,
	IOVIEW_CTL_REG_WIDTH,
	IOVIEW_CTL_REG_READ_CLEARS,
	IOVIEW_CTL_REG_WRITE_ONLY,
	IOVIEW_CTL_REG_READ_ONLY,
	IOVIEW_CTL_BAR_BUSY,
	IOVIEW_CTL_BAR_MAP,
	IOVIEW_CTL_FACTORIAL_ARG,
	IOVIEW_CTL_BUSY,
	IOVIEW_CTL_TIMEOUT,
	IOVIEW_CTL_DEVICE_DEAD,
	IOVIEW_CTL_DMA_LENGTH,
	IOVIEW_CTL_DMA_WINDOW,
	IOVIEW_CTL_IRQ_BITS,
	IOVIEW_CTL_MBOX_SIZE,
	IOVIEW_CTL_MBOX_NOT_CONNECTED,
	IOVIEW_CTL_MBOX_FULL,
	IOVIEW_CTL_MBOX_EMPTY,
	IOVIEW_CTL_MBOX_PROTOCOL,
	IOVIEW_CTL_MBOX_BUSY,
	IOVIEW_CTL_MBOX_NOT_OPEN,
	IOVIEW_CTL_MBOX_CLOSED,
	IOVIEW_CTL_SUITE_UNKNOWN,
	IOVIEW_CTL_FAILED,
};

/**
 * enum ioview_ctl_arg - the request attribute a fault is about
 * @IOVIEW_CTL_ARG_NONE: none: the device's state, not an argument
 * @IOVIEW_CTL_ARG_DEV: dev-name
 * @IOVIEW_CTL_ARG_OFFSET: offset
 * @IOVIEW_CTL_ARG_WIDTH: width
 * @IOVIEW_CTL_ARG_LENGTH: length
 * @IOVIEW_CTL_ARG_VALUE: value
 * @IOVIEW_CTL_ARG_DATA: data
 * @IOVIEW_CTL_ARG_REGISTER: register
 * @IOVIEW_CTL_ARG_TIMEOUT: timeout-ms
 * @IOVIEW_CTL_ARG_SUITE: suite
 */
enum ioview_ctl_arg {
	IOVIEW_CTL_ARG_NONE = 0,
	IOVIEW_CTL_ARG_DEV,
	IOVIEW_CTL_ARG_OFFSET,
	IOVIEW_CTL_ARG_WIDTH,
	IOVIEW_CTL_ARG_LENGTH,
	IOVIEW_CTL_ARG_VALUE,
	IOVIEW_CTL_ARG_DATA,
	IOVIEW_CTL_ARG_REGISTER,
	IOVIEW_CTL_ARG_TIMEOUT,
	IOVIEW_CTL_ARG_SUITE,
};

/**
 * struct ioview_ctl_status - what a failed control call says about itself
 * @fault: why
 * @arg: the request attribute to name, IOVIEW_CTL_ARG_NONE if none
 */
struct ioview_ctl_status {
	enum ioview_ctl_fault fault;
	enum ioview_ctl_arg arg;
};

/**
 * enum ioview_ctl_irq - a function's interrupt (the values of the UAPI's
 * ioview_irq_kind)
 * @IOVIEW_CTL_IRQ_NONE: none allocated
 * @IOVIEW_CTL_IRQ_MSI: an MSI vector
 * @IOVIEW_CTL_IRQ_INTX: the INTx pin, a line that may be shared
 */
enum ioview_ctl_irq {
	IOVIEW_CTL_IRQ_NONE = 0,
	IOVIEW_CTL_IRQ_MSI = 1,
	IOVIEW_CTL_IRQ_INTX = 2,
};

/**
 * struct ioview_ctl_dev - a bound function as dev-get reports it
 * @name: its PCI name
 * @kind: edu or ivshmem
 * @ids: vendor, device, revision, class
 * @irq_kind: its interrupt
 * @irq: the Linux interrupt number, unless @irq_kind is IOVIEW_CTL_IRQ_NONE
 * @bar_len: bytes of each BAR, 0 for one not implemented
 * @bar_mem: non-zero for a memory BAR (else I/O ports)
 */
struct ioview_ctl_dev {
	char name[IOVIEW_CTL_NAME_LEN];
	enum ioview_device_kind kind;
	struct ioview_pci_ids ids;
	enum ioview_ctl_irq irq_kind;
	int irq;
	unsigned long long bar_len[IOVIEW_CTL_BARS];
	unsigned char bar_mem[IOVIEW_CTL_BARS];
};

/**
 * ioview_driver_ctl_dev_get() - a bound function, by name (driver/probe.cpp)
 * @name: the function's PCI name
 * @out: receives its description
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0, or -ENODEV if no function of that name is bound.
 */
int ioview_driver_ctl_dev_get(const char *name, struct ioview_ctl_dev *out,
			      struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_dev_at() - a bound function, by position (driver/probe.cpp)
 * @index: 0 for the oldest binding
 * @generation: receives the list's generation, never 0, which changes
 *	whenever a function is bound or unbound: a dump that sees it change
 *	between two calls knows it may have skipped or repeated one
 * @out: receives its description
 *
 * Return: 0, or -ENOENT past the last bound function.
 */
int ioview_driver_ctl_dev_at(unsigned long index, unsigned int *generation,
			     struct ioview_ctl_dev *out);

/**
 * ioview_driver_ctl_config_span() - how many bytes a configuration read
 * returns
 * @name: the function's PCI name
 * @offset: the first byte
 * @length: bytes asked for; 0 for up to the end
 * @privileged: non-zero for a caller with CAP_SYS_ADMIN, who may read all
 *	of the function's space (256 or 4096 bytes); others get only the bytes
 *	below 64, as from the sysfs config file
 * @count: receives the number of bytes the read returns
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0; -ENODEV; -ERANGE at or past the end of the space; -EPERM
 * when nothing below 64 is left for an unprivileged caller.
 */
int ioview_driver_ctl_config_span(const char *name, unsigned int offset, unsigned int length,
				  int privileged, unsigned int *count,
				  struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_config_read() - read configuration space
 * @name: the function's PCI name
 * @offset: the first byte
 * @count: bytes to read, as ioview_driver_ctl_config_span() counted them
 * @buf: receives them
 * @st: receives the fault and the attribute to name, on an error
 *
 * Reads in the accesses the sysfs config file makes: aligned dwords, and a
 * word and a byte at the edges.
 *
 * Return: 0 or a negative errno (-ENODEV, -ERANGE, or the configuration
 * accessor's).
 */
int ioview_driver_ctl_config_read(const char *name, unsigned int offset, unsigned int count,
				  unsigned char *buf, struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_config_write() - one configuration space write
 * @name: the function's PCI name
 * @offset: where, aligned to @width and inside the space
 * @width: bytes, 1, 2 or 4
 * @value: what to write; it must fit @width
 * @st: receives the fault and the attribute to name, on an error
 *
 * Nothing is written unless every condition holds.
 *
 * Return: 0; -EINVAL for a bad width or a misaligned offset; -ERANGE past
 * the end or for a value too wide; or another negative errno.
 */
int ioview_driver_ctl_config_write(const char *name, unsigned int offset, unsigned int width,
				   unsigned long long value, struct ioview_ctl_status *st);

/**
 * enum ioview_ctl_access - an access kind (the values of the UAPI's
 * ioview_access)
 * @IOVIEW_CTL_ACCESS_RW: read and write
 * @IOVIEW_CTL_ACCESS_RO: read only: a write does nothing
 * @IOVIEW_CTL_ACCESS_WO: write only: a read means nothing
 * @IOVIEW_CTL_ACCESS_W1C: writing 1 clears the bit
 * @IOVIEW_CTL_ACCESS_W1S: writing 1 sets the bit
 * @IOVIEW_CTL_ACCESS_RC: reading clears it
 * @IOVIEW_CTL_ACCESS_RSVD_ZERO: reserved, written as zero
 * @IOVIEW_CTL_ACCESS_RSVD_KEEP: reserved, written back as read
 */
enum ioview_ctl_access {
	IOVIEW_CTL_ACCESS_RW = 0,
	IOVIEW_CTL_ACCESS_RO = 1,
	IOVIEW_CTL_ACCESS_WO = 2,
	IOVIEW_CTL_ACCESS_W1C = 3,
	IOVIEW_CTL_ACCESS_W1S = 4,
	IOVIEW_CTL_ACCESS_RC = 5,
	IOVIEW_CTL_ACCESS_RSVD_ZERO = 6,
	IOVIEW_CTL_ACCESS_RSVD_KEEP = 7,
};

/**
 * struct ioview_ctl_field - one field of a register, from the register map
 * @name: its name
 * @hi: its highest bit
 * @lo: its lowest bit
 * @access: what an access does to it
 */
struct ioview_ctl_field {
	const char *name;
	unsigned char hi;
	unsigned char lo;
	enum ioview_ctl_access access;
};

/**
 * struct ioview_ctl_reg - one register of a device's register map
 * @name: its name
 * @offset: its byte offset in the register BAR
 * @width: its width in bytes
 * @access: what an access does as a whole: rc if a field clears on read,
 *	else ro, wo or rw
 * @fields: its fields, highest bit first, covering every bit
 * @field_count: how many
 */
struct ioview_ctl_reg {
	const char *name;
	unsigned int offset;
	unsigned int width;
	enum ioview_ctl_access access;
	const struct ioview_ctl_field *fields;
	unsigned int field_count;
};

/**
 * ioview_driver_ctl_reg_map() - the register map of a function
 * @name: the function's PCI name
 * @regs: receives the table (edu: BAR0 of devices/edu.h; ivshmem: BAR0 of
 *	devices/ivshmem.h), static and in offset order
 * @count: receives its length
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0, or -ENODEV.
 */
int ioview_driver_ctl_reg_map(const char *name, const struct ioview_ctl_reg **regs,
			      unsigned int *count, struct ioview_ctl_status *st);

/**
 * struct ioview_ctl_reg_request - which register a read or write is for
 * @reg: its name, or NULL to name it by @offset
 * @offset: its offset, when @reg is NULL
 * @width: bytes; 0 for the register's own (by name) or 4 (by offset)
 * @may_clear: the caller may read a register that clears on read
 *	(CAP_NET_ADMIN); a read of one is -EPERM otherwise
 */
struct ioview_ctl_reg_request {
	const char *reg;
	unsigned int offset;
	unsigned int width;
	int may_clear;
};

/*
 * One register access through the device's register map.  By offset, the
 * offset is first checked against the BAR by the view, then a register
 * must start there with that width.
 */

/**
 * ioview_driver_ctl_reg_read() - read one register
 * @name: the function's PCI name
 * @req: which register, and whether the caller may read one that clears
 *	on read
 * @reg: receives the register read, on success
 * @value: receives its value
 * @st: receives the fault and the attribute to name, on an error
 *
 * A register whose read means nothing (write-only) is not read.
 *
 * Return: 0; -ENODEV; by offset, -ERANGE past the BAR or -EINVAL
 * misaligned; -ENOENT for no register of that name or at that offset;
 * -EINVAL for another width; -EOPNOTSUPP for a write-only register; -EPERM
 * for one that clears on read, unless @req allows it.
 */
int ioview_driver_ctl_reg_read(const char *name, const struct ioview_ctl_reg_request *req,
			       const struct ioview_ctl_reg **reg, unsigned long long *value,
			       struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_reg_write() - write one register
 * @name: the function's PCI name
 * @req: which register
 * @value: what to write
 * @reg: receives the register written, on success
 * @st: receives the fault and the attribute to name, on an error
 *
 * A register whose write does nothing (read-only) is not written.
 *
 * Return: 0; -ENODEV; by offset, -ERANGE past the BAR or -EINVAL
 * misaligned; -ENOENT for no register of that name or at that offset;
 * -EINVAL for another width; -ERANGE for a value too wide; -EOPNOTSUPP for
 * a read-only register.
 */
int ioview_driver_ctl_reg_write(const char *name, const struct ioview_ctl_reg_request *req,
				unsigned long long value, const struct ioview_ctl_reg **reg,
				struct ioview_ctl_status *st);

/*
 * edu's units; driver/edu.h has what each errno means.  A completed
 * factorial or transfer is also an event.
 */

/**
 * ioview_driver_ctl_edu_factorial() - have edu compute a factorial
 * @name: the function's PCI name
 * @n: the operand, at most 32 bits
 * @by_interrupt: non-zero to wait for edu's completion interrupt, zero to
 *	poll its status
 * @result: receives @n! mod 2^32
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not edu; -ERANGE
 * for an operand too wide; -EBUSY while the unit works on an earlier
 * request; -ETIMEDOUT; -EINTR; or another negative errno.
 */
int ioview_driver_ctl_edu_factorial(const char *name, unsigned long long n, int by_interrupt,
				    unsigned int *result, struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_edu_dma() - a DMA transfer by edu
 * @name: the function's PCI name
 * @op: 0 writes @len bytes of @src into edu's buffer at @offset, 1 reads
 *	@len bytes of it into @dst, 2 does both under one lock (what came back
 *	is in @dst)
 * @offset: in edu's buffer
 * @src: the bytes to write, for ops 0 and 2
 * @dst: receives the bytes read, for ops 1 and 2
 * @len: bytes, 1 to 4095
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not edu; -EINVAL
 * for a bad length; -ERANGE for a window past edu's usable 4095 bytes;
 * -EBUSY; -ETIMEDOUT; -EIO once edu was shut off; or another negative
 * errno.
 */
int ioview_driver_ctl_edu_dma(const char *name, unsigned int op, unsigned int offset,
			      const void *src, void *dst, unsigned int len,
			      struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_edu_irq_raise() - raise edu's interrupt
 * @name: the function's PCI name
 * @bits: the status bits to raise, 1 to 32 of them
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not edu; -EINVAL
 * for no bit; -ERANGE for more than 32 bits; -EINTR; or another negative
 * errno.
 */
int ioview_driver_ctl_edu_irq_raise(const char *name, unsigned long long bits,
				    struct ioview_ctl_status *st);

/*
 * The ivshmem mailbox (driver/mailbox.h), opened by the first send or
 * receive and open until close or unbind.
 */

/**
 * ioview_driver_ctl_mbox_send() - send one message to the host
 * @name: the function's PCI name
 * @data: the message
 * @len: its bytes, at most IOVIEW_CTL_MBOX_MAX
 * @st: receives the fault and the attribute to name, on an error
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not ivshmem;
 * -EMSGSIZE for a message too long; -ENOTCONN when the host peer is not
 * attached; -EAGAIN when the ring to the host is full; -EBUSY while a
 * self-test holds the mailbox's bytes; or another negative errno.
 */
int ioview_driver_ctl_mbox_send(const char *name, const void *data, unsigned int len,
				struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_mbox_recv() - take the next message from the host
 * @name: the function's PCI name
 * @timeout_ms: how long to wait for one; 0 for one try
 * @buf: receives the message
 * @cap: bytes at @buf, at least IOVIEW_CTL_MBOX_MAX
 * @len: receives the message's length
 * @st: receives the fault and the attribute to name, on an error
 *
 * A message taken is also an event.
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not ivshmem;
 * -EAGAIN (no wait asked) or -ETIMEDOUT when no message came; -EPROTO or
 * -EBADMSG for bad data from the host; -ENOTCONN when a close came first;
 * -EINTR; or another negative errno.
 */
int ioview_driver_ctl_mbox_recv(const char *name, unsigned int timeout_ms, void *buf,
				unsigned int cap, unsigned int *len,
				struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_mbox_close() - close the mailbox
 * @name: the function's PCI name
 * @st: receives the fault and the attribute to name, on an error
 *
 * Stops its worker, detaches the guest, and unmaps and releases the
 * mailbox's part of BAR2.
 *
 * Return: 0; -ENODEV; -EOPNOTSUPP for a function that is not ivshmem;
 * -ENOTCONN if the mailbox was not open; -ETIMEDOUT; -EINTR; or another
 * negative errno.
 */
int ioview_driver_ctl_mbox_close(const char *name, struct ioview_ctl_status *st);

/**
 * enum ioview_ctl_verdict - a self-test case's outcome (the values of the
 * UAPI's ioview_verdict)
 * @IOVIEW_CTL_PASS: passed
 * @IOVIEW_CTL_FAIL: failed
 * @IOVIEW_CTL_SKIP: skipped
 */
enum ioview_ctl_verdict {
	IOVIEW_CTL_PASS = 0,
	IOVIEW_CTL_FAIL = 1,
	IOVIEW_CTL_SKIP = 2,
};

/**
 * struct ioview_ctl_case - one self-test case of the last run
 * @suite: its suite's name
 * @name: its name
 * @verdict: its outcome
 * @diag: one line, empty on a pass
 */
struct ioview_ctl_case {
	const char *suite;
	const char *name;
	enum ioview_ctl_verdict verdict;
	const char *diag;
};

/**
 * struct ioview_ctl_totals - the cases of a self-test run
 * @passed: how many passed
 * @failed: how many failed
 * @skipped: how many were skipped
 * @recorded: how many ioview_driver_ctl_selftest_case() returns (the runner
 *	keeps a bounded number of records)
 */
struct ioview_ctl_totals {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;
	unsigned int recorded;
};

/**
 * ioview_driver_ctl_selftest_run() - run self-tests
 * @suite: the suite's name, or NULL for every default suite
 * @totals: receives the run's counts
 * @st: receives the fault and the attribute to name, on an error
 *
 * The caller holds the self-test lock of shim/netlink.h across this call
 * and the ioview_driver_ctl_selftest_case() calls that read the run back.
 *
 * Return: 0 (whatever the verdicts), or -ENOENT for no such suite.
 */
int ioview_driver_ctl_selftest_run(const char *suite, struct ioview_ctl_totals *totals,
				   struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_selftest_case() - one record of the last self-test run
 * @index: 0 for the first
 * @out: receives it; its strings live until the next run
 *
 * Under the self-test lock, as ioview_driver_ctl_selftest_run().
 *
 * Return: 0, or -ENOENT past the last record.
 */
int ioview_driver_ctl_selftest_case(unsigned int index, struct ioview_ctl_case *out);

/**
 * struct ioview_ctl_stats - a function's counters since it was bound; those
 * of the other kind are 0
 * @name: its PCI name
 * @kind: edu or ivshmem
 * @interrupts: edu: interrupts its handler took
 * @foreign_interrupts: edu: handler calls with nothing pending
 * @factorials: edu: factorials completed
 * @dma_transfers: edu: transfers completed
 * @dma_bytes: edu: bytes they moved
 * @refused: edu: operations refused before the device was touched
 * @busy: edu: operations that found the unit busy
 * @timeouts: edu: operations that waited out their bound
 * @mbox_sent: ivshmem: messages published to the host
 * @mbox_sent_bytes: ivshmem: their bytes
 * @mbox_received: ivshmem: messages taken from the host
 * @mbox_received_bytes: ivshmem: their bytes
 * @mbox_not_connected: ivshmem: sends refused, the host not ready
 * @mbox_full: ivshmem: sends refused, the ring full
 * @mbox_errors: ivshmem: bad data from the host
 */
struct ioview_ctl_stats {
	char name[IOVIEW_CTL_NAME_LEN];
	enum ioview_device_kind kind;
	unsigned long long interrupts;
	unsigned long long foreign_interrupts;
	unsigned long long factorials;
	unsigned long long dma_transfers;
	unsigned long long dma_bytes;
	unsigned long long refused;
	unsigned long long busy;
	unsigned long long timeouts;
	unsigned long long mbox_sent;
	unsigned long long mbox_sent_bytes;
	unsigned long long mbox_received;
	unsigned long long mbox_received_bytes;
	unsigned long long mbox_not_connected;
	unsigned long long mbox_full;
	unsigned long long mbox_errors;
};

/**
 * ioview_driver_ctl_stats_get() - the counters of a function, by name
 * @name: the function's PCI name
 * @out: receives them
 * @st: receives the fault and the attribute to name, on an error
 *
 * Waits for the device's running operation.
 *
 * Return: 0, or -ENODEV.
 */
int ioview_driver_ctl_stats_get(const char *name, struct ioview_ctl_stats *out,
				struct ioview_ctl_status *st);

/**
 * ioview_driver_ctl_stats_at() - the counters of a function, by position
 * @index: as ioview_driver_ctl_dev_at() counts
 * @generation: receives the list's generation, as from
 *	ioview_driver_ctl_dev_at()
 * @out: receives them
 * @st: receives the fault and the attribute to name, on an error
 *
 * Waits for the device's running operation.
 *
 * Return: 0, or -ENOENT past the last bound function.
 */
int ioview_driver_ctl_stats_at(unsigned long index, unsigned int *generation,
			       struct ioview_ctl_stats *out, struct ioview_ctl_status *st);

/**
 * enum ioview_shim_event_kind - an event of the family's "events" group
 * (the UAPI's ioview_event_kind)
 * @IOVIEW_SHIM_EVENT_INTERRUPT: value: the status bits edu's handler
 *	acknowledged
 * @IOVIEW_SHIM_EVENT_FACTORIAL_DONE: value: the result
 * @IOVIEW_SHIM_EVENT_DMA_DONE: value: the bytes moved
 * @IOVIEW_SHIM_EVENT_MBOX_MESSAGE: value: the message's length
 * @IOVIEW_SHIM_EVENT_DEV_ADD: a function was bound; no value
 * @IOVIEW_SHIM_EVENT_DEV_REMOVE: a function was unbound; no value
 */
enum ioview_shim_event_kind {
	IOVIEW_SHIM_EVENT_INTERRUPT = 1,
	IOVIEW_SHIM_EVENT_FACTORIAL_DONE = 2,
	IOVIEW_SHIM_EVENT_DMA_DONE = 3,
	IOVIEW_SHIM_EVENT_MBOX_MESSAGE = 4,
	IOVIEW_SHIM_EVENT_DEV_ADD = 5,
	IOVIEW_SHIM_EVENT_DEV_REMOVE = 6,
};

/*
 * Reports an event about @pdev (shim/netlink.c).  Any context, the
 * interrupt handler included: it only records the event, with @pdev's name,
 * and a work item sends it from process context.  Nothing is recorded
 * unless the family is registered and the group has listeners.
 */
void ioview_shim_event(enum ioview_shim_event_kind kind, struct pci_dev *pdev,
		       unsigned long long value);

/**
 * ioview_driver_probe() - bind a function, in C++
 * @pdev: the function
 * @kind: the id table entry it matched
 *
 * Called by the shim's struct pci_driver probe(), in process context with
 * the device lock held.  Leaves nothing behind on failure.
 *
 * Return: 0 or a negative errno.
 */
int ioview_driver_probe(struct pci_dev *pdev, enum ioview_device_kind kind);

/**
 * ioview_driver_remove() - unbind a function, in C++
 * @pdev: a function ioview_driver_probe() bound
 *
 * Called by the shim's struct pci_driver remove(), in process context with
 * the device lock held.  Undoes all the probe did.
 */
void ioview_driver_remove(struct pci_dev *pdev);

/**
 * ioview_driver_loaded() - the end of module init, in C++
 *
 * Called once the PCI driver is registered (so functions present at boot
 * are already bound) and the load-time self-tests have run.  Process
 * context.  It cannot fail the load: a self-test or benchmark result is a
 * result, not an error.
 */
void ioview_driver_loaded(void);

/**
 * ioview_driver_selftest() - run the module's self-test suites, in C++
 *
 * Logs KTAP.  The shim calls it at load with selftest=1 and on each write
 * of 1 to the selftest parameter, in process context with the self-test
 * lock held, so never two at once.
 */
void ioview_driver_selftest(void);

#ifdef __cplusplus
}
#endif

#endif /* IOVIEW_KMOD_SHIM_H */
