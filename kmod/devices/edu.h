/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file devices/edu.h
 * @brief QEMU's educational PCI device "edu" (1234:11e8): BAR0's registers and the device's
 * constants, written once, for every user (the driver logic, its model, the self-tests).
 *
 * Read from QEMU 7.2's hw/misc/edu.c (what Debian bookworm ships) and docs/specs/edu.rst.
 * Facts that decide how a driver must behave:
 *
 * - BAR0 is 1 MiB of MMIO; edu decodes only the offsets below, everything else reads as all
 *   ones and ignores writes. Offsets below wide_registers_offset (0x80) accept 32-bit accesses
 *   only: a 64-bit read there returns all ones and a 64-bit write is dropped. From 0x80 on, 32
 *   and 64-bit accesses are accepted (a 32-bit write to a 64-bit register replaces all of it,
 *   zero-extended; its upper half, 0x84 and so on, is not a register). QEMU's memory core refuses
 *   8 and 16-bit accesses everywhere (the region's minimum access size is 4). So every register
 *   below 0x80 is declared u32 and every one from 0x80 on u64; the static_asserts at the end
 *   keep it so.
 * - Nothing is read-to-clear: no register here has read side effects.
 * - The factorial unit ignores a new operand while it computes; the DMA engine ignores writes
 *   to all four of its registers while a transfer runs. Software must look before it writes.
 * - The DMA engine ANDs host (bus) addresses with its DMA mask (28 bits by default), silently:
 *   a buffer above 256 MiB is aliased to another address. It copies between host memory and a
 *   4 KiB buffer at device address 0x40000 that is not visible through BAR0.
 * - QEMU 7.2 checks a transfer against that buffer only when it completes, with an off-by-one
 *   (fixed in QEMU 9.1): a transfer whose end is the buffer's end (0x41000) is out of bounds,
 *   and out of bounds is hw_error(), which aborts the whole virtual machine. So the last byte of
 *   the buffer can never be transferred; see dma_window_bytes.
 *
 * Field access kinds follow what QEMU does, not what the register's name suggests; each
 * register says why. Example (the only place a raw number is compared is the identification):
 * ```cpp
 * template <typename B> bool looks_like_edu(ioview::view<B, ioview::devices::edu::bar0> bar)
 * {
 *         namespace edu = ioview::devices::edu;
 *         auto id = edu::identification::read(bar);
 *         return id.get(edu::identification::magic) == edu::magic && id.get(edu::identification::major) == edu::major;
 * }
 * ```
 */
#ifndef IOVIEW_KMOD_DEVICES_EDU_H
#define IOVIEW_KMOD_DEVICES_EDU_H

#include <ioview/register.h>

#include "devices/describe.h"

namespace ioview::devices::edu {

/** @name PCI identity (hw/misc/edu.c, edu_class_init) */
///@{
inline constexpr u16 vendor_id = 0x1234;   ///< PCI_VENDOR_ID_QEMU
inline constexpr u16 device_id = 0x11e8;
inline constexpr u8 revision = 0x10;
/** Class and sub-class word: PCI_CLASS_OTHERS (0x00ff), lspci's "Unclassified device [00ff]". */
inline constexpr u16 class_word = 0x00ff;
inline constexpr unsigned bar_number = 0;  ///< the registers are BAR0, the only BAR
inline constexpr usize bar_bytes = 0x100000; ///< BAR0 is 1 MiB of MMIO
inline constexpr unsigned msi_vectors = 1; ///< one MSI vector, no per-vector masking; else INTx pin A
///@}

/**
 * @brief BAR0 as a region type: registers below are bound to it, so they cannot be used on
 * another device's view. 8-byte aligned (a PCI BAR is) for the 64-bit DMA registers.
 */
struct bar0_tag;
using bar0 = ioview::region<bar_bytes, bar0_tag, 8>;

/** @brief Offsets below this accept only 32-bit accesses; from it on, 32 or 64-bit ones. */
inline constexpr usize wide_registers_offset = 0x80;

/** @name What identification reads: 0x010000ed */
///@{
inline constexpr u32 identification_value = 0x010000ed;
inline constexpr u32 major = 1;    ///< bits 31:24
inline constexpr u32 minor = 0;    ///< bits 23:16
inline constexpr u32 magic = 0xed; ///< bits 7:0
///@}

/** @name Interrupt status bits the device raises itself (anything else only by irq_raise) */
///@{
inline constexpr u32 irq_factorial = 0x001; ///< a factorial ended with status.irq_on_completion set
inline constexpr u32 irq_dma = 0x100;       ///< a transfer ended whose command had raise_irq set
///@}

/** @name The DMA engine */
///@{
inline constexpr u64 buffer_address = 0x40000; ///< device address of edu's buffer (its first byte)
inline constexpr u64 buffer_bytes = 4096;      ///< the buffer, 0x40000..0x40fff
/**
 * @brief Bytes of the buffer a transfer may use: it must end at or before buffer_address +
 * dma_window_bytes.
 *
 * One less than the buffer: QEMU 7.2's range check (edu_check_range) wants the transfer's end
 * strictly below the buffer's end, and a failed check aborts QEMU (hw_error), so the buffer's
 * last byte is out of reach there. QEMU 9.1 fixed the check and only logs; this stays 4095
 * for as long as the 7.2 device is a target.
 */
inline constexpr u64 dma_window_bytes = buffer_bytes - 1;
inline constexpr unsigned dma_mask_bits = 28;                      ///< -device edu's default dma_mask
inline constexpr u64 dma_mask = (u64(1) << dma_mask_bits) - 1;     ///< ANDed into every host address
///@}

/**
 * @brief 0x00, read-only: 0x010000ed. Writes are ignored.
 *
 * Bits 15:8 read 0 but are not documented: reserved, and no check looks at them.
 */
struct identification : ioview::reg<identification, u32, 0x00, bar0> {
	static constexpr field<31, 24, ro> major{};
	static constexpr field<23, 16, ro> minor{};
	static constexpr field<15, 8, rsvd_zero> reserved{};
	static constexpr field<7, 0, ro> magic{};
	IOVIEW_FIELDS(major, minor, reserved, magic);
};

/**
 * @brief 0x04: reads back the bitwise NOT of the last value written (0 before the first write).
 *
 * rw, because both directions mean something; but a read does not return what was written, so
 * update() on it is meaningless (it would write the complement back). Write, then read.
 */
struct liveness : ioview::reg<liveness, u32, 0x04, bar0> {
	static constexpr field<31, 0> data{};
	IOVIEW_FIELDS(data);
};

/**
 * @brief 0x08: write n to compute n!; read the result once status.computing is clear.
 *
 * rw. A write while status.computing is set is dropped (edu does not queue); while computing,
 * a read returns the operand. The result is 32 bits and wraps (13! reads 0x7328cc00).
 */
struct factorial : ioview::reg<factorial, u32, 0x08, bar0> {
	static constexpr field<31, 0> data{};
	IOVIEW_FIELDS(data);
};

/**
 * @brief 0x20: the factorial unit's status.
 *
 * computing is set by edu when an operand is written and cleared when the result is stored:
 * writes do not touch it (ro). irq_on_completion is a plain rw bit that edu looks at after it
 * clears computing: set it before writing the operand, or a quick computation ends unnoticed.
 * A write stores bit 7 only (set or clear); the other bits read 0 and are reserved.
 */
struct status : ioview::reg<status, u32, 0x20, bar0> {
	static constexpr field<0, 0, ro> computing{};
	static constexpr field<7, 7> irq_on_completion{};
	static constexpr field<6, 1, rsvd_zero> reserved_6_1{};
	static constexpr field<31, 8, rsvd_zero> reserved_31_8{};
	IOVIEW_FIELDS(computing, irq_on_completion, reserved_6_1, reserved_31_8);
};

/**
 * @brief 0x24, read-only: the pending interrupt bits; nonzero keeps INTx asserted.
 *
 * ro, not w1c: writes to 0x24 are ignored; bits are cleared through irq_ack. Every bit can be
 * pending, since irq_raise ORs in any value; edu itself raises only factorial and dma.
 */
struct irq_status : ioview::reg<irq_status, u32, 0x24, bar0> {
	static constexpr field<0, 0, ro> factorial{};
	static constexpr field<7, 1, ro> software_7_1{};
	static constexpr field<8, 8, ro> dma{};
	static constexpr field<31, 9, ro> software_31_9{};
	IOVIEW_FIELDS(factorial, software_7_1, dma, software_31_9);
};

/**
 * @brief 0x60: writing v ORs v into irq_status and signals the interrupt if any bit is then
 * pending (one MSI per write, or INTx asserted).
 *
 * wo, although the effect is "write 1 to set": the bits set are irq_status's, and a read of
 * 0x60 returns all ones (edu does not decode reads there). w1s would let get() read that.
 */
struct irq_raise : ioview::reg<irq_raise, u32, 0x60, bar0> {
	static constexpr field<31, 0, wo> bits{};
	IOVIEW_FIELDS(bits);
};

/**
 * @brief 0x64: writing v clears v's bits in irq_status; INTx is deasserted once none is left.
 *
 * wo for the reason irq_raise is: "write 1 to clear" acts on irq_status, and 0x64 itself reads
 * as all ones. (w1c would also make get() claim every bit pending.)
 */
struct irq_ack : ioview::reg<irq_ack, u32, 0x64, bar0> {
	static constexpr field<31, 0, wo> bits{};
	IOVIEW_FIELDS(bits);
};

/**
 * @brief 0x80: the transfer's source, a host bus address (RAM to device) or a device address
 * in the buffer (device to RAM). rw; writes are dropped while a transfer runs.
 */
struct dma_source : ioview::reg<dma_source, u64, 0x80, bar0> {
	static constexpr field<63, 0> address{};
	IOVIEW_FIELDS(address);
};

/** @brief 0x88: the transfer's destination, the other side of dma_source. rw, dropped while running. */
struct dma_destination : ioview::reg<dma_destination, u64, 0x88, bar0> {
	static constexpr field<63, 0> address{};
	IOVIEW_FIELDS(address);
};

/**
 * @brief 0x90: bytes to transfer. rw, dropped while running. edu stores all 64 bits and checks
 * the range only when the transfer ends, fatally on 7.2: keeping the transfer inside the buffer
 * (dma_window_bytes) is the driver's job.
 */
struct dma_count : ioview::reg<dma_count, u64, 0x90, bar0> {
	static constexpr field<63, 0> bytes{};
	IOVIEW_FIELDS(bytes);
};

/**
 * @brief 0x98: the command; writing it with start set begins a transfer, which ends about
 * 100 ms (virtual clock) later.
 *
 * start is w1s: writing 1 starts, it reads 1 until the transfer is done and a 0 does not stop
 * anything. In fact edu drops a whole command write whose start bit is 0, and every write
 * while a transfer runs: so update() here, which writes start as 0, changes nothing.
 * device_to_ram (0: host memory to the buffer, 1: the buffer to host memory) and raise_irq
 * (raise irq_dma when done) are stored by the write that starts and read back: rw. The rest
 * is stored too but means nothing: written as 0.
 */
struct dma_command : ioview::reg<dma_command, u64, 0x98, bar0> {
	static constexpr field<0, 0, w1s> start{};
	static constexpr field<1, 1> device_to_ram{};
	static constexpr field<2, 2> raise_irq{};
	static constexpr field<63, 3, rsvd_zero> reserved{};
	IOVIEW_FIELDS(start, device_to_ram, raise_irq, reserved);
};

/**
 * @brief Every register of BAR0, in offset order: what the control interface describes to
 * userspace (names, offsets, widths, fields) and reaches by name or offset.
 */
IOVIEW_REGISTER_MAP(registers, identification, liveness, factorial, status, irq_status, irq_raise, irq_ack,
		    dma_source, dma_destination, dma_count, dma_command);

namespace detail {
/* edu's access-width rule, per register: 32-bit below 0x80, 32 or 64-bit from there. */
template <typename Reg> consteval bool width_accepted_by_edu()
{
	return Reg::offset < wide_registers_offset ? Reg::width == 32 : (Reg::width == 32 || Reg::width == 64);
}
template <typename... Reg> consteval bool all_widths_accepted()
{
	return (width_accepted_by_edu<Reg>() && ...);
}
} // namespace detail

static_assert(detail::all_widths_accepted<identification, liveness, factorial, status, irq_status, irq_raise,
					  irq_ack, dma_source, dma_destination, dma_count, dma_command>(),
	      "edu: a register's width is one edu does not accept at its offset");
static_assert(!identification::has_read_side_effects && !irq_status::has_read_side_effects &&
	      !dma_command::has_read_side_effects, "edu has no read-to-clear register");
static_assert(identification_value == (major << 24 | minor << 16 | magic));

} // namespace ioview::devices::edu

#endif /* IOVIEW_KMOD_DEVICES_EDU_H */
