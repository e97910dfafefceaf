/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file devices/ivshmem.h
 * @brief QEMU's ivshmem-plain (1af4:1110): BAR0's registers, written once. BAR2, the shared
 * memory, holds the mailbox of devices/ivshmem_mailbox.h.
 *
 * Read from QEMU 7.2's hw/misc/ivshmem.c (what Debian bookworm ships) and
 * docs/specs/ivshmem-spec.rst. Facts that decide how software must use it:
 *
 * - BAR0 is 256 bytes of MMIO (IVSHMEM_REG_BAR_SIZE). Four 32-bit registers are decoded; any
 *   other offset reads 0 and ignores writes.
 * - The region is implemented for 4-byte accesses only: QEMU widens a narrower access to the
 *   enclosing 32-bit register, so even a 1-byte read of interrupt_status clears all of it. Every
 *   register is therefore declared u32 and is reached with 32-bit accesses only.
 * - Reading interrupt_status returns it and clears it: the one read-to-clear register here.
 * - ivshmem-plain has no interrupt (no MSI-X, no INTx pin in use): interrupt_mask and
 *   interrupt_status are plain storage that raises nothing, and the doorbell finds no peer
 *   (there is no ivshmem server), so ringing it is dropped.
 *
 * ```cpp
 * template <typename B> ioview::u32 take_status(ioview::view<B, ioview::devices::ivshmem::bar0> bar)
 * {
 *         namespace ivshmem = ioview::devices::ivshmem;
 *         return ivshmem::interrupt_status::read_with_side_effects(bar).get(ivshmem::interrupt_status::bits);
 * }
 * ```
 */
#ifndef IOVIEW_KMOD_DEVICES_IVSHMEM_H
#define IOVIEW_KMOD_DEVICES_IVSHMEM_H

#include <ioview/register.h>

#include "devices/describe.h"

namespace ioview::devices::ivshmem {

/** @name PCI identity (hw/misc/ivshmem.c, ivshmem_common_class_init) */
///@{
inline constexpr u16 vendor_id = 0x1af4;	///< PCI_VENDOR_ID_IVSHMEM (Red Hat, Inc.)
inline constexpr u16 device_id = 0x1110;
inline constexpr unsigned registers_bar = 0;	///< BAR0: the registers below
inline constexpr usize registers_bytes = 0x100;	///< IVSHMEM_REG_BAR_SIZE
inline constexpr unsigned shared_memory_bar = 2;	///< BAR2: the shared memory
///@}

/** @brief BAR0 as a region type; 4-byte aligned for its 32-bit registers. */
struct bar0_tag;
using bar0 = ioview::region<registers_bytes, bar0_tag, 4>;

/** @brief 0x00: interrupt mask. rw storage: ivshmem-plain raises no interrupt from it. */
struct interrupt_mask : ioview::reg<interrupt_mask, u32, 0x00, bar0> {
	static constexpr field<31, 0> bits{};
	IOVIEW_FIELDS(bits);
};

/**
 * @brief 0x04: interrupt status. A read returns it and clears it (rc); a write stores the value
 * written (QEMU's ivshmem_IntrStatus_write), which is how a bit is set for a test.
 */
struct interrupt_status : ioview::reg<interrupt_status, u32, 0x04, bar0> {
	static constexpr field<31, 0, rc> bits{};
	IOVIEW_FIELDS(bits);
};

/** @brief 0x08, read-only: this VM's peer id, given by an ivshmem server (none for ivshmem-plain). */
struct iv_position : ioview::reg<iv_position, u32, 0x08, bar0> {
	static constexpr field<31, 0, ro> id{};
	IOVIEW_FIELDS(id);
};

/**
 * @brief 0x0c, write-only: ring vector @c vector of peer @c peer. A read returns 0 and means
 * nothing; bits 15:8 are ignored.
 */
struct doorbell : ioview::reg<doorbell, u32, 0x0c, bar0> {
	static constexpr field<31, 16, wo> peer{};
	static constexpr field<15, 8, rsvd_zero> reserved{};
	static constexpr field<7, 0, wo> vector{};
	IOVIEW_FIELDS(peer, reserved, vector);
};

/** @brief Every register of BAR0, in offset order. */
IOVIEW_REGISTER_MAP(registers, interrupt_mask, interrupt_status, iv_position, doorbell);

static_assert(interrupt_status::has_read_side_effects, "reading interrupt_status clears it");
static_assert(!interrupt_mask::has_read_side_effects && !iv_position::has_read_side_effects &&
	      !doorbell::has_read_side_effects);

} // namespace ioview::devices::ivshmem

#endif /* IOVIEW_KMOD_DEVICES_IVSHMEM_H */
