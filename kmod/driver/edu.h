// SPDX-License-Identifier: GPL-2.0
//
// The edu driver's kernel half: one ioview::kernel::edu::device per bound
// edu function, holding what probe set up (BAR0, the DMA buffer, the
// interrupt, the lock and the events), and the operations on it.  The
// device logic itself (register sequences, validation) is edu_logic.h's;
// this file adds what only the kernel can: waiting, locking, memory.
//
//     u32 v;
//     int err = ioview::kernel::edu::factorial(dev, 5, ioview::kernel::edu::completion::interrupt, &v);
//     // err: 0 (v == 120), -EBUSY, -ETIMEDOUT, -EINTR, -EINVAL, -EIO
//
// Named ioview::kernel::edu, not ioview::drivers::edu: that namespace is
// the backend-generic logic that also builds in userspace, this one is the
// module's glue over it, next to ioview::kernel::bench and ::selftest.
//
// Concurrency: every operation takes the device's mutex, so factorial and
// DMA calls never overlap (edu ignores writes while it computes, and runs
// one transfer at a time); the interrupt handler takes no lock.
//
// Lifetime: a caller holds a counted reference (acquire(), kernel/
// counted_ref.h), which keeps the state's memory but not the binding.
// remove() revokes the device first: it raises the gone flag, wakes the
// operation that waits (which, if a transfer is running, waits for the
// engine before it returns), takes the mutex, so no operation is inside,
// and only then silences edu, frees the interrupt, turns bus mastering off
// and frees the buffer and the mapping.  From the revoke on, every
// operation returns -ENODEV without touching the device.  bar() is the one
// exception: its view is valid only while the caller holds the function's
// device lock (the self-tests and the benchmark do).
#ifndef IOVIEW_KMOD_DRIVER_EDU_H
#define IOVIEW_KMOD_DRIVER_EDU_H

#include <ioview/view.h>

#include "devices/edu.h"
#include "kernel/bar_mapping.h"
#include "kernel/coherent_buffer.h"
#include "kernel/counted_ref.h"
#include "kernel/mmio.h"
#include "shim/shim.h"

// The driver's owners are instantiated once, in driver/edu.cpp.  Every other
// object that uses these two types must include this header: the kernel's
// -mrecord-mcount puts each object's __mcount_loc outside the COMDAT groups
// of C++ template instantiations, so two objects with their own copy of one
// (out of line) fail the module's link with "defined in discarded section".
extern template class ioview::kernel::bar_mapping<ioview::devices::edu::bar0>;
extern template class ioview::kernel::coherent_buffer<ioview::slice<ioview::u8>>;

namespace ioview::kernel::edu {

/// One bound edu function; defined in driver/edu.cpp only.
struct device;

/// How an operation learns that edu finished.
enum class completion : u8 {
	poll,		///< sleep and look (msleep steps, bounded)
	interrupt,	///< edu raises its interrupt; the handler wakes the caller
};

/**
 * struct counter_set - what a device has done since probe
 * @interrupts: interrupts that were edu's (something pending), from the handler
 * @foreign_interrupts: calls of the handler with nothing pending (another
 *                      device on a shared INTx line): IRQ_NONE
 * @factorials: factorials completed
 * @dma_transfers: transfers completed
 * @dma_bytes: bytes they moved
 * @refused: operations refused before the device was touched (-EINVAL, -ERANGE)
 * @busy: operations that found the unit busy (-EBUSY)
 * @timeouts: operations that waited out their bound (-ETIMEDOUT)
 * @gone: operations refused or cut short because the function was unbound (-ENODEV)
 * @last_interrupt_ns: when the handler last took an interrupt of edu's
 *                     (ktime_get_ns(), stored before @interrupts counts it)
 */
struct counter_set {
	u64 interrupts;
	u64 foreign_interrupts;
	u64 factorials;
	u64 dma_transfers;
	u64 dma_bytes;
	u64 refused;
	u64 busy;
	u64 timeouts;
	u64 gone;
	u64 last_interrupt_ns;
};

/**
 * enum probe_stage - how far probe() got, in its order; remove() and a
 * failed probe undo from the last one reached, in reverse
 */
enum class probe_stage : u8 {
	none,
	mapped,		///< BAR0 mapped
	identified,	///< it is edu (only then is anything written), DMA mask set
	buffer,		///< DMA buffer allocated
	master,		///< bus mastering on
	vector,		///< interrupt vector allocated
	irq,		///< handler installed: probe is complete
};

/**
 * inject_probe_failure() - make the next probe() fail with @err right after @after
 *
 * For the lifetime self-tests, which prove that every stage unwinds: the
 * next probe() reaches @after, then fails with @err as if that stage's
 * successor had.  One-shot; @after == probe_stage::none (or @err == 0)
 * cancels.  Process context, with no probe running.
 */
void inject_probe_failure(probe_stage after, int err) noexcept;

/**
 * enum dma_stall - what inject_dma_stall() makes of the next transfer
 */
enum class dma_stall : u8 {
	none,		///< nothing: cancels an injection not yet consumed
	never_started,	///< the engine is not touched: no interrupt can come, the wait runs out
	outlives_wait,	///< started as usual, but waited for less time than the engine takes
};

/**
 * inject_dma_stall() - make @dev's next transfer stall as @how says, with a wait of @wait_ms
 *
 * For the self-tests of the timeout path, which edu's emulation never takes by itself (every
 * transfer it starts ends about 100 ms later): the next transfer of a dma_write(),
 * dma_read() or dma_round_trip() is not started (never_started), or is waited for only
 * @wait_ms (outlives_wait: the engine is still running when the wait gives up).  Either
 * way the operation goes down the path of a transfer that does not complete in time:
 * -ETIMEDOUT, counted in timeouts, the engine waited for (bounded) before the call
 * returns.  @wait_ms replaces the driver's 5 s bound for that one transfer, so that the
 * self-test does not spend it.  One-shot, consumed under the operation lock by the next
 * transfer that gets past validation.  Process context.
 * Return: 0; -EINTR, -ENODEV or -EIO as factorial() (nothing injected).
 */
int inject_dma_stall(device *dev, dma_stall how, unsigned int wait_ms) noexcept;

/**
 * probe() - set up edu function @pdev, already enabled, and return its device
 *
 * Maps BAR0, identifies the function (-ENODEV for anything that is not a
 * working edu), sets the 28-bit DMA mask, allocates the DMA buffer, turns on
 * bus mastering, allocates one interrupt vector (MSI, else INTx; INTx
 * only when the module was loaded with edu_msi=0) and
 * installs the handler.  On error nothing is left behind.
 * Return: 0 with *@out set, or a negative errno.  Process context.
 */
int probe(pci_dev *pdev, device **out) noexcept;

/**
 * remove() - revoke @dev, undo probe() in reverse order, drop the driver's reference
 *
 * Wakes a waiting operation (it returns -ENODEV), waits for the running
 * one to leave, waits (bounded) for a running transfer, and frees what
 * probe() took.  The state itself goes with the last counted reference.
 * Process context, under the function's device lock.
 */
void remove(device *dev) noexcept;

/// Counted references (kernel/counted_ref.h finds them): ref_get() while holding one.
void ref_get(device *dev) noexcept;
void ref_put(device *dev) noexcept;

/**
 * acquire() - a counted reference to a bound edu function
 * @pci_name: its PCI name ("0000:00:04.0"), or nullptr for the first bound
 *
 * Defined in driver/probe.cpp, which keeps the list of bound functions.
 * Return: the reference, or an empty one if no such function is bound.
 * Process context.
 */
counted_ref<device> acquire(const char *pci_name) noexcept;

/// Whether @dev was revoked (its function unbound): every operation is then -ENODEV.
bool gone(const device *dev) noexcept;

/// The function @dev belongs to, pinned while a reference to @dev is held.
pci_dev *pci_device(const device *dev) noexcept;

/**
 * of() - the device probe() made for @pdev, or nullptr if @pdev is not a
 * bound edu function.  Defined in driver/probe.cpp, which owns the driver
 * data.  Valid while the caller keeps @pdev bound (its device lock).
 */
device *of(pci_dev *pdev) noexcept;

/// The driver's view of BAR0, for self-tests and the benchmark: the driver owns the mapping,
/// so the view is valid only under the function's device lock (see Lifetime above).
view<kmmio, devices::edu::bar0> bar(const device *dev) noexcept;

/// Whether the interrupt is an MSI (else INTx, requested as shared).
bool uses_msi(const device *dev) noexcept;

/**
 * factorial() - compute @n! (modulo 2^32) into *@out
 * Return: 0; -EINVAL (unknown @how); -EBUSY (still computing an earlier
 * one); -ETIMEDOUT; -EINTR (a signal while waiting for the lock); -EIO
 * (the device was shut off after a transfer that would not end); -ENODEV
 * (the function was unbound before or during the call).
 */
int factorial(device *dev, u32 n, completion how, u32 *out) noexcept;

/**
 * dma_write() - copy @len bytes at @src into edu's buffer at @device_offset
 * dma_read() - copy @len bytes of edu's buffer at @device_offset to @dst
 *
 * Through the driver's coherent buffer, completed by interrupt.  The window
 * is checked (edu_logic's dma_validate()) before anything is copied or the
 * device touched.  Return: 0; -EINVAL (@len 0 or over 4096, no buffer);
 * -ERANGE (the window leaves edu's usable 4095 bytes); -EBUSY (a transfer
 * runs); -ETIMEDOUT (then the engine has been waited for, or bus mastering
 * shut off); -EINTR; -EIO and -ENODEV as factorial().
 */
int dma_write(device *dev, u64 device_offset, const void *src, usize len) noexcept;
int dma_read(device *dev, u64 device_offset, void *dst, usize len) noexcept;

/**
 * dma_round_trip() - dma_write() @len bytes at @src, then dma_read() them back into @dst
 *
 * Both transfers under one hold of the operation lock, so no other operation's data can land
 * in edu's buffer between them.  Return: as dma_write() and dma_read().
 */
int dma_round_trip(device *dev, u64 device_offset, const void *src, void *dst, usize len) noexcept;

/// Makes edu raise @bits (ORed into its interrupt status).  0, or -EINVAL for no bits, -EINTR, -ENODEV.
int irq_raise(device *dev, u32 bits) noexcept;

/// What with_registers() runs: one access (or a few) to BAR0, returning 0 or a negative errno.
using register_access = int (*)(view<kmmio, devices::edu::bar0> bar, void *ctx) noexcept;

/**
 * with_registers() - run @fn(BAR0, @ctx) with the operation lock held
 *
 * For register accesses on behalf of userspace: under the lock, a read or write never lands
 * between the accesses of a factorial or a transfer, and never after remove() released the
 * mapping.  Return: what @fn returned; -EINTR, -ENODEV or -EIO as factorial(), @fn not run.
 */
int with_registers(device *dev, register_access fn, void *ctx) noexcept;

/// A snapshot of @dev's counters.
counter_set counters(device *dev) noexcept;

} // namespace ioview::kernel::edu

#endif // IOVIEW_KMOD_DRIVER_EDU_H
