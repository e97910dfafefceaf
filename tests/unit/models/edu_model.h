/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file models/edu_model.h
 * @brief A behavioural model of QEMU 7.2's edu device behind an ioview backend, for testing the
 * driver logic (kmod/driver/edu_logic.h) in userspace. A test double: not shipped in include/.
 *
 * BAR0 is 1 MiB but nothing is allocated for it: each access is decoded by offset and width,
 * as hw/misc/edu.c's edu_mmio_read()/edu_mmio_write() do, with the register offsets taken from
 * kmod/devices/edu.h. What is modelled:
 *
 * - identification, liveness (reads the complement of the last write);
 * - the factorial unit: a write starts a computation that lasts config::factorial_ticks ticks,
 *   during which writes of an operand are dropped and factorial reads back the operand; the
 *   result wraps at 32 bits; with status bit 7 set, irq_factorial is raised at the end;
 * - irq_status, irq_raise (ORs in, signals if anything is pending), irq_ack (clears);
 * - access widths: below 0x80 only 32-bit accesses reach a register, from 0x80 32 or 64-bit
 *   ones; any other width reads all ones and its write is dropped (8 and 16-bit accesses are
 *   really refused by QEMU's memory core, before edu; the model treats them the same way, and
 *   the driver never makes them). Offsets that are no register read all ones;
 * - the DMA engine: a 4 KiB buffer, host memory attached as bytes at a bus address (a coherent
 *   view's DMA address), host addresses ANDed with config::dma_mask, a transfer lasting
 *   config::dma_ticks ticks during which writes to the four DMA registers are dropped, irq_dma
 *   raised at the end if the command asked; QEMU 7.2's range check at completion, whose failure
 *   aborts QEMU (recorded as qemu_aborted(); the model copies nothing then).
 *
 * Time passes only through tick()/advance(). `never` as a duration stalls the unit, for
 * timeout paths. Counters report accesses per width, interrupts signalled, dropped writes, and
 * every way a transfer went wrong.
 *
 * ```cpp
 * edu_model::device dev;                       // fresh edu, 3-tick factorials, 5-tick transfers
 * auto bar = dev.bar();                        // ioview::view<edu_model::backend, devices::edu::bar0>
 * ioview::devices::edu::factorial::write(bar, ioview::devices::edu::factorial::zero());  // 0!
 * dev.advance(3);                              // now status.computing is clear, factorial reads 1
 * ```
 */
#ifndef IOVIEW_TESTS_MODELS_EDU_MODEL_H
#define IOVIEW_TESTS_MODELS_EDU_MODEL_H

#include <ioview/coherent.h>
#include <ioview/testing/memory.h>

#include <devices/edu.h>

namespace edu_model {

using ioview::u8;
using ioview::u16;
using ioview::u32;
using ioview::u64;
using ioview::uptr;
using ioview::usize;
namespace hw = ioview::devices::edu;

/** @brief A duration that never ends: the unit stays busy until the test gives up. */
inline constexpr u32 never = 0xffffffff;

/** @brief How the modelled device behaves; the defaults are -device edu on QEMU 7.2. */
struct config {
	u32 factorial_ticks = 3;                ///< ticks from the operand write to the result (at least 1)
	u32 dma_ticks = 5;                      ///< ticks from the command write to the end of a transfer (at least 1)
	u64 dma_mask = hw::dma_mask;            ///< -device edu,dma_mask=
	u32 identification = hw::identification_value; ///< what 0x00 reads (another revision, another device)
	bool qemu_7_2_range_check = true;       ///< false: QEMU 9.1's check (a transfer may end at the buffer's end)
};

class device;

/**
 * @brief The backend of the model's views: every access is a call into the device.
 *
 * Little endian with 8 to 64-bit accessors, like the kernel's MMIO backend; no relaxed
 * accessors, so driver code that used one would not compile against the model.
 */
struct backend {
	struct handle {
		device *dev;
		usize off;
	};
	static constexpr ioview::byte_order order = ioview::byte_order::little;
	/** @brief Where the fake BAR "is": page-aligned, so alignment checks behave as on a real BAR. */
	static constexpr uptr bar_address = 0xfe000000;

	static uptr address(handle h) noexcept { return bar_address + h.off; }
	static handle offset(handle h, usize n) noexcept { return { h.dev, h.off + n }; }

	static u8 read8(handle h) noexcept;
	static u16 read16(handle h) noexcept;
	static u32 read32(handle h) noexcept;
	static u64 read64(handle h) noexcept;
	static void write8(handle h, u8 v) noexcept;
	static void write16(handle h, u16 v) noexcept;
	static void write32(handle h, u32 v) noexcept;
	static void write64(handle h, u64 v) noexcept;

private:
	friend class device;
	static ioview::view<backend, hw::bar0> adopt(device *dev) noexcept
	{
		return ioview::view<backend, hw::bar0>::from_handle(ioview::backend_key<backend>{}, { dev, 0 }, hw::bar_bytes);
	}
};

/** @brief n! modulo 2^32, as edu's u32 loop computes it. From 34! on, 2^32 divides n!. */
constexpr u32 factorial_mod32(u32 n) noexcept
{
	if (n >= 34)
		return 0;
	u32 r = 1;
	for (u32 i = 2; i <= n; ++i)
		r *= i;
	return r;
}
static_assert(factorial_mod32(0) == 1 && factorial_mod32(5) == 120 && factorial_mod32(12) == 479001600);
static_assert(factorial_mod32(13) == static_cast<u32>(6227020800ull) && factorial_mod32(33) != 0);

/** @brief One modelled edu function. Not copyable: its views point at it. */
class device {
public:
	explicit device(config c = {}) noexcept : cfg_(c)
	{
		if (cfg_.factorial_ticks == 0)
			cfg_.factorial_ticks = 1;
		if (cfg_.dma_ticks == 0)
			cfg_.dma_ticks = 1;
	}
	device(const device &) = delete;
	device &operator=(const device &) = delete;

	/** @brief BAR0, as the driver sees it. */
	ioview::view<backend, hw::bar0> bar() noexcept { return backend::adopt(this); }

	/** @name Host memory the DMA engine reaches */
	///@{
	/** @brief @p bytes bytes at CPU address @p cpu are what the device reaches at @p bus_address. */
	void attach_host(void *cpu, usize bytes, u64 bus_address) noexcept
	{
		host_ = static_cast<unsigned char *>(cpu);
		host_bytes_ = bytes;
		host_bus_ = bus_address;
	}
	/** @brief The memory of a coherent view, at its DMA address. */
	template <typename T> void attach_host(ioview::view<ioview::coherent, T> memory) noexcept
	{
		attach_host(memory.handle().cpu, memory.size(), ioview::dma_address(memory));
	}
	///@}

	/** @name Time */
	///@{
	/** @brief One tick: running units advance; one that reaches its end finishes. */
	void tick() noexcept
	{
		++ticks_;
		if (computing_ && fact_left_ != never && --fact_left_ == 0)
			finish_factorial();
		if (dma_running() && dma_left_ != never && --dma_left_ == 0)
			finish_dma();
	}
	/** @brief @p n ticks. */
	void advance(u32 n) noexcept
	{
		while (n--)
			tick();
	}
	u64 ticks() const noexcept { return ticks_; }
	///@}

	/** @name What the test looks at */
	///@{
	const ioview::testing::access_counts &counts() const noexcept { return counts_; }
	/** @brief Writes of any width (dropped ones included). */
	usize writes() const noexcept
	{
		return counts_.writes[0] + counts_.writes[1] + counts_.writes[2] + counts_.writes[3];
	}
	void reset_counts() noexcept { counts_ = {}; }
	u32 irq_status() const noexcept { return irq_status_; }
	/** @brief The INTx level: asserted while any bit is pending. */
	bool irq_line() const noexcept { return irq_status_ != 0; }
	/** @brief Signals sent: one per raise that left a bit pending, as an MSI would be sent. */
	u32 interrupts() const noexcept { return interrupts_; }
	bool computing() const noexcept { return computing_; }
	bool dma_running() const noexcept { return (dma_.cmd & hw::dma_command::start.mask) != 0; }
	/** @brief Writes edu dropped: wrong width, no register, read-only, unit busy. */
	u32 ignored_writes() const noexcept { return ignored_; }
	u32 factorials_done() const noexcept { return factorials_; }
	u32 transfers_done() const noexcept { return transfers_; }
	/** @brief Transfers whose device range failed the range check. */
	u32 out_of_window_transfers() const noexcept { return out_of_window_; }
	/** @brief True once QEMU 7.2 would have aborted the virtual machine (hw_error). */
	bool qemu_aborted() const noexcept { return aborted_; }
	/** @brief Host addresses the DMA mask changed. */
	u32 clamped_addresses() const noexcept { return clamped_; }
	/** @brief Transfers whose (masked) host range was not in the attached memory. */
	u32 unbacked_transfers() const noexcept { return unbacked_; }
	/** @brief edu's 4 KiB buffer. */
	unsigned char *buffer() noexcept { return buffer_; }
	///@}

	/** @name Called by the backend for each access */
	///@{
	u64 read(usize off, usize width) noexcept
	{
		counts_.reads[ioview::testing::access_counts::slot(width)]++;
		if (!width_accepted(off, width))
			return all_ones(width);
		return register_value(off) & all_ones(width);
	}
	void write(usize off, usize width, u64 v) noexcept
	{
		counts_.writes[ioview::testing::access_counts::slot(width)]++;
		if (!width_accepted(off, width) || !store(off, v))
			++ignored_;
	}
	///@}

private:
	struct dma_registers {
		u64 src;
		u64 dst;
		u64 cnt;
		u64 cmd;
	};

	static constexpr u64 all_ones(usize width) noexcept { return width == 8 ? ~u64(0) : (u64(1) << (8 * width)) - 1; }

	/* edu_mmio_read/write's first test: 32-bit only below 0x80, 32 or 64 from there. */
	static constexpr bool width_accepted(usize off, usize width) noexcept
	{
		return off < hw::wide_registers_offset ? width == 4 : (width == 4 || width == 8);
	}

	u64 register_value(usize off) const noexcept
	{
		switch (off) {
		case hw::identification::offset:
			return cfg_.identification;
		case hw::liveness::offset:
			return liveness_;
		case hw::factorial::offset:
			return fact_;
		case hw::status::offset:
			return (computing_ ? hw::status::computing.mask : 0u) |
			       (irq_on_completion_ ? hw::status::irq_on_completion.mask : 0u);
		case hw::irq_status::offset:
			return irq_status_;
		case hw::dma_source::offset:
			return dma_.src;
		case hw::dma_destination::offset:
			return dma_.dst;
		case hw::dma_count::offset:
			return dma_.cnt;
		case hw::dma_command::offset:
			return dma_.cmd;
		default:
			return ~u64(0);
		}
	}

	/* A write of an accepted width; false if edu drops it. */
	bool store(usize off, u64 v) noexcept
	{
		switch (off) {
		case hw::liveness::offset:
			liveness_ = static_cast<u32>(~v);
			return true;
		case hw::factorial::offset:
			return start_factorial(static_cast<u32>(v));
		case hw::status::offset:
			irq_on_completion_ = (v & hw::status::irq_on_completion.mask) != 0;
			return true;
		case hw::irq_raise::offset:
			raise(static_cast<u32>(v));
			return true;
		case hw::irq_ack::offset:
			irq_status_ &= ~static_cast<u32>(v);
			return true;
		case hw::dma_source::offset:
			return store_dma(dma_.src, v);
		case hw::dma_destination::offset:
			return store_dma(dma_.dst, v);
		case hw::dma_count::offset:
			return store_dma(dma_.cnt, v);
		case hw::dma_command::offset:
			return start_dma(v);
		default:
			return false; // identification, irq_status, no register
		}
	}

	bool start_factorial(u32 n) noexcept
	{
		if (computing_)
			return false;
		fact_ = n;
		computing_ = true;
		fact_left_ = cfg_.factorial_ticks;
		return true;
	}
	void finish_factorial() noexcept
	{
		fact_ = factorial_mod32(fact_);
		computing_ = false;
		++factorials_;
		if (irq_on_completion_)
			raise(hw::irq_factorial);
	}

	void raise(u32 bits) noexcept
	{
		irq_status_ |= bits;
		if (irq_status_ != 0)
			++interrupts_;
	}

	bool store_dma(u64 &reg, u64 v) noexcept
	{
		if (dma_running())
			return false;
		reg = v;
		return true;
	}
	/* A command without start is dropped whole, as is any write while a transfer runs. */
	bool start_dma(u64 command) noexcept
	{
		if ((command & hw::dma_command::start.mask) == 0 || dma_running())
			return false;
		dma_.cmd = command;
		dma_left_ = cfg_.dma_ticks;
		return true;
	}

	/* edu_check_range: 7.2 wants the end strictly inside the buffer, 9.1 allows the buffer's end. */
	bool in_buffer(u64 addr, u64 count) const noexcept
	{
		const u64 start = hw::buffer_address;
		const u64 limit = hw::buffer_address + hw::buffer_bytes;
		const u64 end = addr + count;
		if (cfg_.qemu_7_2_range_check)
			return start <= addr && addr < limit && end > addr && start <= end && end < limit;
		return end >= addr && addr >= start && end <= limit;
	}

	/* The attached bytes at [bus, bus + count), or nullptr if they are not all attached. */
	unsigned char *host_at(u64 bus, u64 count) noexcept
	{
		if (host_ == nullptr || bus < host_bus_ || bus - host_bus_ > host_bytes_ || count > host_bytes_ - (bus - host_bus_))
			return nullptr;
		return host_ + (bus - host_bus_);
	}

	void finish_dma() noexcept
	{
		bool to_ram = (dma_.cmd & hw::dma_command::device_to_ram.mask) != 0;
		u64 in_device = to_ram ? dma_.src : dma_.dst;
		u64 in_host = to_ram ? dma_.dst : dma_.src;
		if (!in_buffer(in_device, dma_.cnt)) {
			++out_of_window_;
			aborted_ = aborted_ || cfg_.qemu_7_2_range_check;
		} else {
			copy(to_ram, in_device - hw::buffer_address, in_host, dma_.cnt);
		}
		dma_.cmd &= ~hw::dma_command::start.mask;
		++transfers_;
		if (dma_.cmd & hw::dma_command::raise_irq.mask)
			raise(hw::irq_dma);
	}
	void copy(bool to_ram, u64 buffer_offset, u64 in_host, u64 count) noexcept
	{
		u64 masked = in_host & cfg_.dma_mask;
		if (masked != in_host)
			++clamped_;
		unsigned char *host = host_at(masked, count);
		if (host == nullptr) {
			++unbacked_;
			return;
		}
		if (to_ram)
			__builtin_memcpy(host, buffer_ + buffer_offset, count);
		else
			__builtin_memcpy(buffer_ + buffer_offset, host, count);
	}

	config cfg_;
	u32 liveness_ = 0;
	u32 fact_ = 0;
	bool computing_ = false;
	bool irq_on_completion_ = false;
	u32 fact_left_ = 0;
	u32 irq_status_ = 0;
	dma_registers dma_ = {};
	u32 dma_left_ = 0;
	unsigned char buffer_[hw::buffer_bytes] = {};
	unsigned char *host_ = nullptr;
	usize host_bytes_ = 0;
	u64 host_bus_ = 0;

	u64 ticks_ = 0;
	ioview::testing::access_counts counts_ = {};
	u32 interrupts_ = 0;
	u32 ignored_ = 0;
	u32 factorials_ = 0;
	u32 transfers_ = 0;
	u32 out_of_window_ = 0;
	bool aborted_ = false;
	u32 clamped_ = 0;
	u32 unbacked_ = 0;
};

inline u8 backend::read8(handle h) noexcept { return static_cast<u8>(h.dev->read(h.off, 1)); }
inline u16 backend::read16(handle h) noexcept { return static_cast<u16>(h.dev->read(h.off, 2)); }
inline u32 backend::read32(handle h) noexcept { return static_cast<u32>(h.dev->read(h.off, 4)); }
inline u64 backend::read64(handle h) noexcept { return h.dev->read(h.off, 8); }
inline void backend::write8(handle h, u8 v) noexcept { h.dev->write(h.off, 1, v); }
inline void backend::write16(handle h, u16 v) noexcept { h.dev->write(h.off, 2, v); }
inline void backend::write32(handle h, u32 v) noexcept { h.dev->write(h.off, 4, v); }
inline void backend::write64(handle h, u64 v) noexcept { h.dev->write(h.off, 8, v); }

static_assert(ioview::backend<backend> && ioview::capable<backend, 4> && ioview::capable<backend, 8>);
static_assert(!ioview::relaxed_capable<backend, 4>);

} // namespace edu_model

#endif /* IOVIEW_TESTS_MODELS_EDU_MODEL_H */
