// SPDX-License-Identifier: GPL-2.0
//
// The kernel's MMIO accessors for ioview::mmio<>, and the backend built on
// them: ioview::kernel::kmmio.
//
//     using ioview::kernel::kmmio;
//
//     u32 read_id(ioview::view<kmmio, ioview::region<0x100>> bar)
//     {
//             return bar.read32<0>();          // one movl on x86-64, as readl()
//     }
//
// Single accesses cost what they cost in C.  On x86-64 the kernel's
// readl() is a static inline "movl" from the __iomem address with a
// "memory" clobber (a compiler barrier: no memory access moves across it)
// and readl_relaxed() the same instruction without the clobber
// (arch/x86/include/asm/io.h, build_mmio_read/build_mmio_write, identical in
// 6.1 and 6.12).  An out-of-line call into the shim would add a call and
// return to every register access, so x86_64_mmio_accessors below repeats
// those instructions as inline asm.  This and kernel/barrier.h are the
// places C++ reaches the hardware without the shim: they include no kernel
// header and call no kernel function, they only emit the instruction the
// kernel's header would have emitted.  Other architectures (whose accessors add barriers, byte
// swaps or tracing) use the shim's exported wrappers of the real readl()
// family.  Block copies always go to the kernel's memcpy_fromio() and
// memcpy_toio(): they choose access widths, which is the kernel's call.
#ifndef IOVIEW_KMOD_KERNEL_MMIO_H
#define IOVIEW_KMOD_KERNEL_MMIO_H

#include <ioview/mmio.h>

#include "shim/shim.h"

namespace ioview::kernel {

/**
 * The readl() family through the shim: correct on every architecture, one
 * call per access.
 *
 *     u32 id = shim_mmio_accessors::read32(base);   // ioview_shim_readl(base)
 */
struct shim_mmio_accessors {
	static u8 read8(const volatile void *a) noexcept { return ioview_shim_readb(a); }
	static u16 read16(const volatile void *a) noexcept { return ioview_shim_readw(a); }
	static u32 read32(const volatile void *a) noexcept { return ioview_shim_readl(a); }
	static void write8(u8 v, volatile void *a) noexcept { ioview_shim_writeb(v, a); }
	static void write16(u16 v, volatile void *a) noexcept { ioview_shim_writew(v, a); }
	static void write32(u32 v, volatile void *a) noexcept { ioview_shim_writel(v, a); }
	static u8 read8_relaxed(const volatile void *a) noexcept { return ioview_shim_readb_relaxed(a); }
	static u16 read16_relaxed(const volatile void *a) noexcept { return ioview_shim_readw_relaxed(a); }
	static u32 read32_relaxed(const volatile void *a) noexcept { return ioview_shim_readl_relaxed(a); }
	static void write8_relaxed(u8 v, volatile void *a) noexcept { ioview_shim_writeb_relaxed(v, a); }
	static void write16_relaxed(u16 v, volatile void *a) noexcept { ioview_shim_writew_relaxed(v, a); }
	static void write32_relaxed(u32 v, volatile void *a) noexcept { ioview_shim_writel_relaxed(v, a); }
#if __SIZEOF_POINTER__ == 8
	static u64 read64(const volatile void *a) noexcept { return ioview_shim_readq(a); }
	static void write64(u64 v, volatile void *a) noexcept { ioview_shim_writeq(v, a); }
	static u64 read64_relaxed(const volatile void *a) noexcept { return ioview_shim_readq_relaxed(a); }
	static void write64_relaxed(u64 v, volatile void *a) noexcept { ioview_shim_writeq_relaxed(v, a); }
#endif
	static void copy_from_io(void *dst, const volatile void *src, usize n) noexcept
	{
		ioview_shim_memcpy_fromio(dst, src, n);
	}
	static void copy_to_io(volatile void *dst, const void *src, usize n) noexcept
	{
		ioview_shim_memcpy_toio(dst, src, n);
	}
};

#if defined(__x86_64__)
namespace detail {
// One mov of W bytes from/to addr.  The "m" operand names the exact bytes
// accessed; Barrier adds the "memory" clobber of readl()/writel().  The
// byte forms use "q" (a register with a byte part), as the kernel does.
#define IOVIEW_X86_MMIO_READ(name, type, suffix, reg, ...)						\
	[[gnu::always_inline]] inline type name(const volatile void *addr) noexcept		\
	{												\
		type v;											\
		asm volatile("mov" suffix " %1, %0"							\
			     : reg(v)									\
			     : "m"(*static_cast<const volatile type *>(addr)) __VA_ARGS__);		\
		return v;										\
	}
#define IOVIEW_X86_MMIO_WRITE(name, type, suffix, reg, ...)					\
	[[gnu::always_inline]] inline void name(type v, volatile void *addr) noexcept		\
	{												\
		asm volatile("mov" suffix " %0, %1"							\
			     :										\
			     : reg(v), "m"(*static_cast<volatile type *>(addr)) __VA_ARGS__);		\
	}
IOVIEW_X86_MMIO_READ(x86_readb, u8, "b", "=q", : "memory")
IOVIEW_X86_MMIO_READ(x86_readw, u16, "w", "=r", : "memory")
IOVIEW_X86_MMIO_READ(x86_readl, u32, "l", "=r", : "memory")
IOVIEW_X86_MMIO_READ(x86_readq, u64, "q", "=r", : "memory")
IOVIEW_X86_MMIO_READ(x86_readb_relaxed, u8, "b", "=q")
IOVIEW_X86_MMIO_READ(x86_readw_relaxed, u16, "w", "=r")
IOVIEW_X86_MMIO_READ(x86_readl_relaxed, u32, "l", "=r")
IOVIEW_X86_MMIO_READ(x86_readq_relaxed, u64, "q", "=r")
IOVIEW_X86_MMIO_WRITE(x86_writeb, u8, "b", "q", : "memory")
IOVIEW_X86_MMIO_WRITE(x86_writew, u16, "w", "r", : "memory")
IOVIEW_X86_MMIO_WRITE(x86_writel, u32, "l", "r", : "memory")
IOVIEW_X86_MMIO_WRITE(x86_writeq, u64, "q", "r", : "memory")
IOVIEW_X86_MMIO_WRITE(x86_writeb_relaxed, u8, "b", "q")
IOVIEW_X86_MMIO_WRITE(x86_writew_relaxed, u16, "w", "r")
IOVIEW_X86_MMIO_WRITE(x86_writel_relaxed, u32, "l", "r")
IOVIEW_X86_MMIO_WRITE(x86_writeq_relaxed, u64, "q", "r")
#undef IOVIEW_X86_MMIO_READ
#undef IOVIEW_X86_MMIO_WRITE
} // namespace detail

/**
 * The x86-64 kernel's single-access MMIO accessors, inline (see the top of
 * this file); block copies through the shim.
 *
 *     x86_64_mmio_accessors::write32(1, base + 4);   // movl %reg, 4(%base)
 */
struct x86_64_mmio_accessors {
	static u8 read8(const volatile void *a) noexcept { return detail::x86_readb(a); }
	static u16 read16(const volatile void *a) noexcept { return detail::x86_readw(a); }
	static u32 read32(const volatile void *a) noexcept { return detail::x86_readl(a); }
	static u64 read64(const volatile void *a) noexcept { return detail::x86_readq(a); }
	static void write8(u8 v, volatile void *a) noexcept { detail::x86_writeb(v, a); }
	static void write16(u16 v, volatile void *a) noexcept { detail::x86_writew(v, a); }
	static void write32(u32 v, volatile void *a) noexcept { detail::x86_writel(v, a); }
	static void write64(u64 v, volatile void *a) noexcept { detail::x86_writeq(v, a); }
	static u8 read8_relaxed(const volatile void *a) noexcept { return detail::x86_readb_relaxed(a); }
	static u16 read16_relaxed(const volatile void *a) noexcept { return detail::x86_readw_relaxed(a); }
	static u32 read32_relaxed(const volatile void *a) noexcept { return detail::x86_readl_relaxed(a); }
	static u64 read64_relaxed(const volatile void *a) noexcept { return detail::x86_readq_relaxed(a); }
	static void write8_relaxed(u8 v, volatile void *a) noexcept { detail::x86_writeb_relaxed(v, a); }
	static void write16_relaxed(u16 v, volatile void *a) noexcept { detail::x86_writew_relaxed(v, a); }
	static void write32_relaxed(u32 v, volatile void *a) noexcept { detail::x86_writel_relaxed(v, a); }
	static void write64_relaxed(u64 v, volatile void *a) noexcept { detail::x86_writeq_relaxed(v, a); }
	static void copy_from_io(void *dst, const volatile void *src, usize n) noexcept
	{
		memcpy_fromio(dst, src, n);	// exported on x86: called as C calls it
	}
	static void copy_to_io(volatile void *dst, const void *src, usize n) noexcept
	{
		memcpy_toio(dst, src, n);
	}
};

/// The accessors the module uses: inline where they can be, the shim elsewhere.
using kernel_mmio_accessors = x86_64_mmio_accessors;
#else
using kernel_mmio_accessors = shim_mmio_accessors;
#endif

/**
 * The kernel MMIO backend: views of ioremap()/pci_iomap() memory.
 *
 *     auto regs = kmmio::try_view<ioview::region<0x100>>(base, len);
 */
using kmmio = ioview::mmio<kernel_mmio_accessors>;

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_KERNEL_MMIO_H
