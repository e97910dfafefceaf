// SPDX-License-Identifier: GPL-2.0
//
// The kernel's memory barriers for C++ driver code: mb(), rmb(), wmb(),
// dma_mb(), dma_rmb(), dma_wmb(), smp_mb(), smp_rmb(), smp_wmb() and the
// compiler barrier barrier(), as functions of ioview::kernel.
//
//     IOVIEW_PROJECT(desc, flags).write_val(owned_by_device);
//     ioview::kernel::dma_wmb();          // the descriptor before the index
//     IOVIEW_PROJECT(queue, producer).write_val(next);
//
// Views order nothing between two accesses to memory beyond program order
// of the volatile accesses themselves (include/ioview/doc/memory-order.md):
// only the driver knows the one point of its device protocol that needs a
// barrier, so the driver calls one there.  What each barrier orders is the
// kernel's Documentation/memory-barriers.txt.
//
// On x86-64 each function is the kernel's own macro repeated as inline asm:
// the same instruction and the same clobbers, the "memory" clobber making
// every one of them a compiler barrier too (no memory access moves across
// it).  From arch/x86/include/asm/barrier.h and include/asm-generic/barrier.h
// of both supported kernels (6.1 and 6.12, CONFIG_SMP=y, no KCSAN):
//
//     mb(), dma_mb()   mfence         x86 has no __dma_mb: the generic dma_mb() is mb()
//     rmb()            lfence
//     wmb()            sfence
//     smp_mb()         lock addl $0,-4(%rsp), clobbering "cc" as well
//     dma_rmb(), dma_wmb(), smp_rmb(), smp_wmb(), barrier()
//                      no instruction, only the compiler barrier: x86 keeps
//                      loads in order with loads and stores with stores
//
// The x86-64 kernel emits the fences unconditionally; the ALTERNATIVE()
// that falls back to "lock addl" on CPUs without SSE/SSE2 exists only under
// CONFIG_X86_32, and neither kernel has the old CONFIG_X86_PPRO_FENCE
// variants.  smp_mb() is written "lock; addl" in 6.1 and "lock addl" in
// 6.12, which assemble to the same bytes.  tests/modcheck/run.sh proves, for
// each built kernel, that every function here compiles to what the kernel's
// macro compiles to.
//
// Elsewhere every barrier except barrier() is an out-of-line call of the
// shim's wrapper of the kernel macro (shim.h): the instructions differ per
// architecture and are the kernel's business.  The call is itself a
// compiler barrier for any memory the callee could reach, as the macro's
// clobber is.  barrier() is inline everywhere because the kernel's is the
// compiler's, not the architecture's: include/linux/compiler.h defines it
// as an empty asm with a "memory" clobber for every GCC target.
#ifndef IOVIEW_KMOD_KERNEL_BARRIER_H
#define IOVIEW_KMOD_KERNEL_BARRIER_H

#include "shim/shim.h"

namespace ioview::kernel {

/// Compiler barrier: no memory access is moved across it by the compiler; the CPU may still reorder.
[[gnu::always_inline]] inline void barrier() noexcept
{
	asm volatile("" ::: "memory");
}

#if defined(__x86_64__)
/// Orders all earlier loads and stores, to memory and MMIO, before all later ones.
[[gnu::always_inline]] inline void mb() noexcept
{
	asm volatile("mfence" ::: "memory");
}

/// Orders earlier loads, from memory and MMIO, before later loads.
[[gnu::always_inline]] inline void rmb() noexcept
{
	asm volatile("lfence" ::: "memory");
}

/// Orders earlier stores, to memory and MMIO, before later stores.
[[gnu::always_inline]] inline void wmb() noexcept
{
	asm volatile("sfence" ::: "memory");
}

/// Orders earlier loads and stores of coherent DMA memory before later ones, as the device sees them.
[[gnu::always_inline]] inline void dma_mb() noexcept
{
	mb();
}

/// Orders earlier loads from coherent DMA memory before later ones (a status word before its payload).
[[gnu::always_inline]] inline void dma_rmb() noexcept
{
	barrier();
}

/// Orders earlier stores to coherent DMA memory before later ones, as the device sees them (a descriptor before its index).
[[gnu::always_inline]] inline void dma_wmb() noexcept
{
	barrier();
}

/// Orders earlier loads and stores before later ones as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_mb() noexcept
{
	asm volatile("lock addl $0,-4(%%rsp)" ::: "memory", "cc");
}

/// Orders earlier loads before later loads as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_rmb() noexcept
{
	barrier();
}

/// Orders earlier stores before later stores as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_wmb() noexcept
{
	barrier();
}
#else
/// Orders all earlier loads and stores, to memory and MMIO, before all later ones.
[[gnu::always_inline]] inline void mb() noexcept
{
	ioview_shim_mb();
}

/// Orders earlier loads, from memory and MMIO, before later loads.
[[gnu::always_inline]] inline void rmb() noexcept
{
	ioview_shim_rmb();
}

/// Orders earlier stores, to memory and MMIO, before later stores.
[[gnu::always_inline]] inline void wmb() noexcept
{
	ioview_shim_wmb();
}

/// Orders earlier loads and stores of coherent DMA memory before later ones, as the device sees them.
[[gnu::always_inline]] inline void dma_mb() noexcept
{
	ioview_shim_dma_mb();
}

/// Orders earlier loads from coherent DMA memory before later ones (a status word before its payload).
[[gnu::always_inline]] inline void dma_rmb() noexcept
{
	ioview_shim_dma_rmb();
}

/// Orders earlier stores to coherent DMA memory before later ones, as the device sees them (a descriptor before its index).
[[gnu::always_inline]] inline void dma_wmb() noexcept
{
	ioview_shim_dma_wmb();
}

/// Orders earlier loads and stores before later ones as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_mb() noexcept
{
	ioview_shim_smp_mb();
}

/// Orders earlier loads before later loads as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_rmb() noexcept
{
	ioview_shim_smp_rmb();
}

/// Orders earlier stores before later stores as other CPUs see them (not devices).
[[gnu::always_inline]] inline void smp_wmb() noexcept
{
	ioview_shim_smp_wmb();
}
#endif

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_KERNEL_BARRIER_H
