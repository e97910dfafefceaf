/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file driver/edu_logic.h
 * @brief The device-independent half of the edu driver: identification, the factorial unit,
 * interrupt status, the DMA engine. Sequencing and validation only.
 *
 * Every function is a template over the backend B of a `view<B, devices::edu::bar0>`: in the
 * module B is the kernel MMIO backend (kmod/kernel/mmio.h, kmmio), in the unit tests a
 * behavioural model of edu or the scripted mock. B must not be fallible (MMIO reads do not
 * fail) and must have 32-bit accessors; the DMA functions also need 64-bit ones (edu's DMA
 * registers are written in one 64-bit access each, never two halves).
 *
 * Nothing here sleeps, allocates, takes a lock or calls the kernel. Where the driver must wait
 * it takes a wait policy (see wait_policy): the kernel passes one that sleeps or waits for the
 * interrupt, the tests one that advances the model. Register layout comes only from
 * kmod/devices/edu.h. Errors are negative errno values in ioview::status / ioview::result:
 * -ENODEV, -EBUSY, -ETIMEDOUT, -EINVAL, -ERANGE.
 *
 * Concurrency, which the caller provides: calls that start or wait for the factorial unit are
 * serialized against each other, and so are those of the DMA engine (one mutex per unit, or one
 * for the device); handle_irq() may run at any time alongside any of them, because it only
 * reads irq_status and writes irq_ack, never read-modify-write.
 *
 * Ordering: every access is the backend's default (non-relaxed) accessor. In the module that is
 * readl()/writel()/readq()/writeq(), so the command write that starts a transfer comes after
 * the CPU's stores to the source buffer, and the read that sees the engine idle comes before
 * the CPU's loads from the destination (doc/memory-order.md, "Coherent memory and the device").
 *
 * Example, the whole of a synchronous transfer out of a coherent buffer:
 * ```cpp
 * template <typename B>
 * ioview::status send(ioview::view<B, ioview::devices::edu::bar0> bar, ioview::view<ioview::coherent, ioview::slice<ioview::u8>> buf)
 * {
 *         namespace edu = ioview::drivers::edu;
 *         auto wait = edu::poll_every([] {}, 500);   // the kernel's step sleeps: msleep(10)
 *         return edu::dma_run(bar, edu::to_device(buf, 0), wait);  // -EINVAL/-ERANGE/-EBUSY/-ETIMEDOUT
 * }
 * ```
 */
#ifndef IOVIEW_KMOD_DRIVER_EDU_LOGIC_H
#define IOVIEW_KMOD_DRIVER_EDU_LOGIC_H

#include <ioview/coherent.h>
#include <ioview/register.h>

#include "../devices/edu.h"
#include "driver_errno.h"

namespace ioview::drivers::edu {

namespace hw = ioview::devices::edu;

/** @brief A backend edu's logic runs on: infallible, with 32-bit accessors. */
template <typename B>
concept bar_backend = ioview::backend<B> && !ioview::fallible<B> && ioview::capable<B, 4>;

/** @brief A backend that also reaches edu's 64-bit DMA registers in single accesses. */
template <typename B>
concept dma_backend = bar_backend<B> && ioview::capable<B, 8>;

/** @brief edu's BAR0 on backend B. */
template <typename B> using bar_view = ioview::view<B, hw::bar0>;

/* ---- waiting ------------------------------------------------------------------------------ */

namespace detail {
/* Stands for the condition a wait policy is given, to state the concept. */
struct probe_done {
	constexpr bool operator()() const noexcept { return true; }
};
} // namespace detail

/**
 * wait_policy - how a caller waits: `bool wait(done)`.
 *
 * The driver calls `wait(done)` with a callable `bool done()` that reads the device (no side
 * effects, no sleeping, safe to call often). The policy returns true as soon as done()
 * returned true, or false when it gives up; it chooses how long and how to pass the time:
 * poll_every() below, or in the kernel a wait_event_timeout() on the queue the interrupt
 * handler wakes, with done() as the condition.
 *
 * ```cpp
 * struct give_up_at_once {
 *         template <typename Done> bool operator()(Done &&done) { return done(); }
 * };
 * static_assert(ioview::drivers::edu::wait_policy<give_up_at_once>);
 * ```
 */
template <typename W>
concept wait_policy = requires(W &w, detail::probe_done d) { static_cast<bool>(w(d)); };

/**
 * poller - a wait policy that checks, then calls a step, at most max_steps times.
 *
 * done() is called up to max_steps + 1 times and step() up to max_steps times, between two
 * checks; so max_steps = 0 means "check once". The step passes the time: a sleep in the kernel
 * (bounded total: max_steps times the sleep), a model tick in tests.
 */
template <typename Step> class poller {
public:
	constexpr poller(Step step, u32 max_steps) : step_(step), max_steps_(max_steps) {}

	/** operator()() - poll @done; true once it is, false after the last step. */
	template <typename Done> bool operator()(Done &&done)
	{
		for (u32 steps = 0;; ++steps) {
			if (done())
				return true;
			if (steps == max_steps_)
				return false;
			step_();
		}
	}

private:
	Step step_;
	u32 max_steps_;
};

/**
 * poll_every() - a poller calling @step between checks, at most @max_steps times
 * @step: a callable `void step()` that passes time (usleep_range(), msleep(), a model tick)
 * @max_steps: the budget; exhausting it is a timeout (-ETIMEDOUT from the caller)
 *
 * ```cpp
 * auto make_ten_ms_poller()
 * {
 *         return ioview::drivers::edu::poll_every([] {}, 500);   // with a step of msleep(10): 5 s at most
 * }
 * ```
 */
template <typename Step> constexpr poller<Step> poll_every(Step step, u32 max_steps)
{
	return poller<Step>(step, max_steps);
}

namespace detail {
/* The snapshot of the register of F, whose one field F spans it all, holding v: cannot fail. */
template <typename F> constexpr auto whole(F f, u64 v) noexcept
{
	using reg = typename F::register_type;
	static_assert(F::width == reg::width, "whole() is for a field that is the whole register");
	return reg::zero().try_set(f, v).value_or(reg::zero());
}
} // namespace detail

/* ---- identification ----------------------------------------------------------------------- */

/**
 * struct identify_result - the verdict of identify()
 * @error: 0, or -ENODEV when the function is not a working edu
 * @reason: why not (a static string, for dev_err()); nullptr on success
 * @expected: what should have been read (the identification or the liveness complement)
 * @got: what was read instead
 */
struct [[nodiscard]] identify_result {
	int error;
	const char *reason;
	u32 expected;
	u32 got;

	constexpr bool ok() const noexcept { return error == 0; }
	constexpr explicit operator bool() const noexcept { return ok(); }
	/** to_status() - the verdict as an ioview::status (0 or -ENODEV) */
	constexpr status to_status() const noexcept { return ok() ? status::success() : status(failure{ error }); }
};

namespace detail {
constexpr identify_result not_edu(const char *why, u32 expected, u32 got) noexcept
{
	return { -enodev, why, expected, got };
}
constexpr identify_result is_edu() noexcept
{
	return { 0, nullptr, 0, 0 };
}
} // namespace detail

/**
 * check_identification() - is @raw, as read from identification, edu's?
 * @raw: the 32-bit value read at identification
 *
 * Magic, major and minor must be edu's (0xed, 1, 0); the reserved bits 15:8 are not looked at.
 * All ones gets its own reason: that is what a read returns when nothing answers.
 *
 * Context: any; pure, no access.
 * Return: success, or -ENODEV with the reason.
 *
 * ```cpp
 * static_assert(ioview::drivers::edu::check_identification(0x010000ed).ok());
 * static_assert(ioview::drivers::edu::check_identification(0x020000ed).error == -ioview::enodev);
 * ```
 */
constexpr identify_result check_identification(u32 raw) noexcept
{
	auto id = hw::identification::value::from_raw(raw);
	if (raw == 0xffffffff)
		return detail::not_edu("identification reads all ones: nothing answers at BAR0", hw::identification_value, raw);
	if (id.get(hw::identification::magic) != hw::magic)
		return detail::not_edu("identification's magic byte is not 0xed", hw::identification_value, raw);
	if (id.get(hw::identification::major) != hw::major)
		return detail::not_edu("unknown edu major version", hw::identification_value, raw);
	if (id.get(hw::identification::minor) != hw::minor)
		return detail::not_edu("unknown edu minor version", hw::identification_value, raw);
	return detail::is_edu();
}

/**
 * liveness_patterns - what check_liveness() writes: complements of each other, so every bit of
 * liveness is seen both as 0 and as 1 (a stuck bit or a constant read-back fails one of them).
 */
inline constexpr u32 liveness_patterns[2] = { 0x5aa5c33c, 0xa55a3cc3 };
static_assert(liveness_patterns[0] == ~liveness_patterns[1]);

/**
 * check_liveness() - does the function compute the complement of what it is given?
 * @bar: BAR0
 *
 * Writes each of liveness_patterns to liveness and reads it back, expecting the complement: a
 * register that only stores (a RAM-like BAR, a different device) fails. Leaves the last
 * pattern written.
 *
 * Context: any; does not sleep.
 * Return: success, or -ENODEV with the pattern's complement as @expected and the read as @got.
 * Accesses: write, read, write, read of liveness (32-bit); stops at the first mismatch.
 */
template <bar_backend B> identify_result check_liveness(bar_view<B> bar)
{
	for (u32 pattern : liveness_patterns) {
		hw::liveness::write(bar, detail::whole(hw::liveness::data, pattern));
		u32 got = hw::liveness::read(bar).get(hw::liveness::data);
		if (got != static_cast<u32>(~pattern))
			return detail::not_edu("liveness does not return the complement of what was written",
					       static_cast<u32>(~pattern), got);
	}
	return detail::is_edu();
}

/**
 * identify() - is @bar a working edu? For probe, before anything else touches the device.
 * @bar: BAR0
 *
 * Reads identification (check_identification()), and only if it is edu's writes liveness
 * (check_liveness()): a function that is not edu is never written to.
 *
 * Context: any; does not sleep.
 * Return: success, or -ENODEV with a reason and the values that differed.
 *
 * ```cpp
 * template <typename B> int probe_step(ioview::view<B, ioview::devices::edu::bar0> bar)
 * {
 *         auto id = ioview::drivers::edu::identify(bar);
 *         if (!id)
 *                 return id.error;   // dev_err("%s: read %#x, want %#x", id.reason, id.got, id.expected)
 *         return 0;
 * }
 * ```
 */
template <bar_backend B> identify_result identify(bar_view<B> bar)
{
	identify_result id = check_identification(hw::identification::read(bar).raw());
	if (!id)
		return id;
	return check_liveness(bar);
}

/* ---- the factorial unit ------------------------------------------------------------------- */

/** enum notify - how the caller learns that the device finished: it polls, or edu interrupts. */
enum class notify : u8 {
	poll,      ///< no interrupt requested
	interrupt, ///< edu raises its irq bit (irq_factorial, irq_dma) when done
};

/**
 * factorial_busy() - is the factorial unit computing?
 * @bar: BAR0
 *
 * Context: any. Return: status.computing. Accesses: one read of status.
 */
template <bar_backend B> bool factorial_busy(bar_view<B> bar)
{
	return hw::status::read(bar).get(hw::status::computing) != 0;
}

/**
 * factorial_start() - start computing @n! on edu's factorial unit
 * @bar: BAR0
 * @n: the operand
 * @how: notify::interrupt sets status.irq_on_completion, notify::poll clears it (so a request
 *       left by an earlier call cannot raise a stray interrupt)
 *
 * edu drops an operand written while it computes, and a later read would return the other
 * computation's result: so the unit is checked idle first. status is written before the
 * operand because edu looks at irq_on_completion once it has finished: set afterwards, a quick
 * computation would end without an interrupt.
 *
 * Context: any; does not sleep; serialized with the other factorial calls by the caller.
 * Return: success; -EBUSY while computing (nothing written); -EINVAL for an unknown @how.
 * Accesses: read status; write status; write factorial.
 */
template <bar_backend B> status factorial_start(bar_view<B> bar, u32 n, notify how = notify::poll)
{
	if (how != notify::poll && how != notify::interrupt)
		return fail(einval);
	if (factorial_busy(bar))
		return fail(ebusy);
	auto request = hw::status::zero();
	if (how == notify::interrupt)
		request = request.set(hw::status::irq_on_completion, 1);
	hw::status::write(bar, request);
	hw::factorial::write(bar, detail::whole(hw::factorial::data, n));
	return status::success();
}

/**
 * factorial_result() - the result, if the unit has finished: for after the interrupt
 * @bar: BAR0
 *
 * Context: any, the interrupt handler's bottom half included; does not sleep.
 * Return: n! modulo 2^32; -EBUSY if still computing (while computing, factorial reads back the
 * operand, not a result). Accesses: read status; read factorial if idle.
 */
template <bar_backend B> result<u32> factorial_result(bar_view<B> bar)
{
	if (factorial_busy(bar))
		return fail(ebusy);
	return hw::factorial::read(bar).get(hw::factorial::data);
}

/**
 * factorial_wait() - wait for the running computation, then read its result
 * @bar: BAR0
 * @wait: the wait policy; its condition is "status.computing is clear"
 *
 * Context: whatever @wait needs (process context if it sleeps).
 * Return: n! modulo 2^32; -ETIMEDOUT if @wait gave up (the unit may still finish later, and
 * until then factorial_start() returns -EBUSY).
 */
template <bar_backend B, wait_policy W> result<u32> factorial_wait(bar_view<B> bar, W &&wait)
{
	if (!wait([bar] { return !factorial_busy(bar); }))
		return fail(etimedout);
	return hw::factorial::read(bar).get(hw::factorial::data);
}

/**
 * factorial() - compute @n! by polling: factorial_start() then factorial_wait()
 * @bar: BAR0
 * @n: the operand
 * @wait: the wait policy
 *
 * Return: n! modulo 2^32 (13! is 0x7328cc00); -EBUSY, -ETIMEDOUT as the two steps.
 *
 * ```cpp
 * template <typename B> ioview::u32 five_factorial(ioview::view<B, ioview::devices::edu::bar0> bar)
 * {
 *         auto wait = ioview::drivers::edu::poll_every([] {}, 1000);   // step: usleep_range(100, 200)
 *         return ioview::drivers::edu::factorial(bar, 5, wait).value_or(0);   // 120
 * }
 * ```
 */
template <bar_backend B, wait_policy W> result<u32> factorial(bar_view<B> bar, u32 n, W &&wait)
{
	status started = factorial_start(bar, n, notify::poll);
	if (!started)
		return failure{ started.error() };
	return factorial_wait(bar, wait);
}

/* ---- interrupts --------------------------------------------------------------------------- */

/**
 * struct irq_bits - interrupt status bits, as handle_irq() read and acknowledged them
 * @raw: the bits; 0 means the interrupt was not edu's (IRQ_NONE)
 */
struct [[nodiscard]] irq_bits {
	u32 raw;

	/** none() - nothing was pending: return IRQ_NONE */
	constexpr bool none() const noexcept { return raw == 0; }
	constexpr explicit operator bool() const noexcept { return raw != 0; }
	/** factorial() - a factorial requested with notify::interrupt ended */
	constexpr bool factorial() const noexcept { return (raw & hw::irq_factorial) != 0; }
	/** dma() - a transfer started with notify::interrupt ended */
	constexpr bool dma() const noexcept { return (raw & hw::irq_dma) != 0; }
	/** software() - bits only irq_raise sets (raise_irq()) */
	constexpr u32 software() const noexcept { return raw & ~(hw::irq_factorial | hw::irq_dma); }
};

/**
 * pending_irqs() - the interrupt status, without acknowledging anything
 * @bar: BAR0
 *
 * Context: any. Accesses: one read of irq_status.
 */
template <bar_backend B> irq_bits pending_irqs(bar_view<B> bar)
{
	return irq_bits{ hw::irq_status::read(bar).raw() };
}

/**
 * ack_irq() - acknowledge @bits: clear them in irq_status
 * @bar: BAR0
 * @bits: the bits to clear; others stay pending
 *
 * Context: any. Accesses: one write of irq_ack.
 */
template <bar_backend B> void ack_irq(bar_view<B> bar, u32 bits)
{
	hw::irq_ack::write(bar, detail::whole(hw::irq_ack::bits, bits));
}

/**
 * raise_irq() - make edu raise @bits, as if the device had: for testing the interrupt path
 * @bar: BAR0
 * @bits: ORed into irq_status; edu signals (an MSI, or INTx) if any bit is then pending
 *
 * Context: any. Accesses: one write of irq_raise.
 */
template <bar_backend B> void raise_irq(bar_view<B> bar, u32 bits)
{
	hw::irq_raise::write(bar, detail::whole(hw::irq_raise::bits, bits));
}

/**
 * handle_irq() - the interrupt handler's device part: read, acknowledge, report
 * @bar: BAR0
 *
 * Acknowledges exactly the bits it read, never more: a bit raised after the read stays pending
 * and signals again (a new MSI, or INTx still asserted), so no event is lost and none is
 * acknowledged unseen. With nothing pending it writes nothing: on a shared INTx line the
 * interrupt was another device's. Acknowledging matters with MSI too: a bit left set stays in
 * irq_status and would be taken for a new event by the next interrupt; with INTx the line
 * stays asserted until every bit is acknowledged.
 *
 * Context: hard interrupt; does not sleep, takes no lock.
 * Return: the bits handled; none() means IRQ_NONE. The caller wakes whoever waits on
 * factorial() / dma() bits. Accesses: read irq_status; write irq_ack if nonzero.
 *
 * ```cpp
 * template <typename B> int edu_isr(ioview::view<B, ioview::devices::edu::bar0> bar)
 * {
 *         ioview::drivers::edu::irq_bits bits = ioview::drivers::edu::handle_irq(bar);
 *         if (bits.none())
 *                 return 0;          // IRQ_NONE
 *         // if (bits.dma()) complete(&dma_done); if (bits.factorial()) complete(&fact_done);
 *         return 1;                  // IRQ_HANDLED
 * }
 * ```
 */
template <bar_backend B> irq_bits handle_irq(bar_view<B> bar)
{
	irq_bits pending = pending_irqs(bar);
	if (pending.none())
		return pending;
	ack_irq(bar, pending.raw);
	return pending;
}

/* ---- the DMA engine ----------------------------------------------------------------------- */

/** enum dma_direction - which way a transfer copies (dma_command.device_to_ram) */
enum class dma_direction : u8 {
	to_device = 0,   ///< host memory into edu's buffer
	from_device = 1, ///< edu's buffer into host memory
};

/**
 * struct dma_transfer - one transfer, as the caller asks for it
 * @direction: to_device or from_device
 * @bus_address: the host memory's first byte as the device addresses it (a dma_addr_t, the
 *               DMA address of a coherent view)
 * @device_offset: the first byte in edu's buffer, from 0
 * @length: bytes, 1..hw::dma_window_bytes
 * @completion: notify::interrupt to have edu raise irq_dma when done
 *
 * to_device() and from_device() build one from a coherent view, so the address and the length
 * come from the same buffer.
 */
struct dma_transfer {
	dma_direction direction;
	u64 bus_address;
	u64 device_offset;
	u64 length;
	notify completion;
};

/**
 * dma_validate() - may @t be given to edu? Checked before any register is touched.
 * @t: the transfer
 *
 * edu checks nothing it can recover from: it masks host addresses to 28 bits (an address above
 * is silently another one) and QEMU 7.2 aborts on a transfer outside its buffer, including one
 * that reaches the buffer's last byte (hw::dma_window_bytes). So:
 * - the length must be 1..hw::buffer_bytes and the direction and completion known: -EINVAL;
 * - the device range [offset, offset + length) must lie in the first hw::dma_window_bytes of
 *   the buffer: -ERANGE (so a 4096-byte transfer is refused: there are only 4095 usable bytes);
 * - the host range [bus_address, bus_address + length) must lie under hw::dma_mask, its last
 *   byte included: -ERANGE.
 *
 * Context: any; pure, no access. Overflow-safe for every input.
 *
 * ```cpp
 * namespace edu = ioview::drivers::edu;
 * static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 0, 4095, edu::notify::poll }).ok());
 * static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 1, 4095, edu::notify::poll }).error() == -ioview::erange);
 * static_assert(edu::dma_validate({ edu::dma_direction::to_device, 0x100000, 0, 0, edu::notify::poll }).error() == -ioview::einval);
 * ```
 */
constexpr status dma_validate(const dma_transfer &t) noexcept
{
	if (t.length == 0 || t.length > hw::buffer_bytes)
		return fail(einval);
	if (t.direction != dma_direction::to_device && t.direction != dma_direction::from_device)
		return fail(einval);
	if (t.completion != notify::poll && t.completion != notify::interrupt)
		return fail(einval);
	if (t.device_offset >= hw::buffer_bytes || t.length > hw::dma_window_bytes ||
	    t.device_offset > hw::dma_window_bytes - t.length)
		return fail(erange);
	if (t.bus_address > hw::dma_mask || t.length - 1 > hw::dma_mask - t.bus_address)
		return fail(erange);
	return status::success();
}

/**
 * to_device() - the transfer of all of @source into edu's buffer at @device_offset
 * @source: coherent memory the device reads; its DMA address and size become the transfer's
 * @device_offset: where in edu's buffer
 * @how: completion
 *
 * Not validated: dma_start() does that.
 */
template <typename T>
constexpr dma_transfer to_device(view<coherent, T> source, u64 device_offset, notify how = notify::poll) noexcept
{
	return { dma_direction::to_device, dma_address(source), device_offset, source.size(), how };
}

/**
 * from_device() - the transfer from edu's buffer at @device_offset into all of @destination
 * @device_offset: where in edu's buffer
 * @destination: coherent memory the device writes: not a read-only view
 * @how: completion
 */
template <typename T>
constexpr dma_transfer from_device(u64 device_offset, view<coherent, T> destination, notify how = notify::poll) noexcept
{
	static_assert(!ioview::detail::is_const<T>, "edu writes the destination: it cannot be a read-only view");
	return { dma_direction::from_device, dma_address(destination), device_offset, destination.size(), how };
}

namespace detail {
/* What the four DMA registers receive for a transfer. */
struct dma_programme {
	u64 source;
	u64 destination;
	u64 count;
	hw::dma_command::value command;
};

constexpr dma_programme programme_of(const dma_transfer &t) noexcept
{
	u64 in_buffer = hw::buffer_address + t.device_offset;
	auto command = hw::dma_command::zero().set(hw::dma_command::start, 1);
	if (t.direction == dma_direction::from_device)
		command = command.set(hw::dma_command::device_to_ram, 1);
	if (t.completion == notify::interrupt)
		command = command.set(hw::dma_command::raise_irq, 1);
	if (t.direction == dma_direction::to_device)
		return { t.bus_address, in_buffer, t.length, command };
	return { in_buffer, t.bus_address, t.length, command };
}
} // namespace detail

/**
 * dma_busy() - is a transfer running?
 * @bar: BAR0
 *
 * Context: any. Return: dma_command.start, which edu clears when the transfer is done.
 * Accesses: one 64-bit read of dma_command.
 */
template <dma_backend B> bool dma_busy(bar_view<B> bar)
{
	return hw::dma_command::read(bar).get(hw::dma_command::start) != 0;
}

/**
 * dma_start() - validate @t, then start it
 * @bar: BAR0
 * @t: the transfer
 *
 * Nothing is accessed unless dma_validate() accepts @t. edu ignores writes to its DMA
 * registers while a transfer runs, so the engine is checked idle before them: programming it
 * anyway would silently start nothing, or restart the old transfer. Source, destination and
 * count are each one 64-bit write; the command comes last, since writing it starts the engine
 * with whatever the others hold, and as a writeq() it also makes the CPU's earlier stores to a
 * source buffer visible to the device first.
 *
 * Context: any; does not sleep; serialized with the other DMA calls by the caller. The host
 * memory must stay allocated until the transfer is over (dma_wait(), dma_quiesce()).
 * Return: success; -EINVAL, -ERANGE from dma_validate(); -EBUSY while a transfer runs (only
 * dma_command was read).
 * Accesses: read dma_command; write dma_source, dma_destination, dma_count, dma_command.
 */
template <dma_backend B> status dma_start(bar_view<B> bar, const dma_transfer &t)
{
	status valid = dma_validate(t);
	if (!valid)
		return valid;
	if (dma_busy(bar))
		return fail(ebusy);
	detail::dma_programme p = detail::programme_of(t);
	hw::dma_source::write(bar, detail::whole(hw::dma_source::address, p.source));
	hw::dma_destination::write(bar, detail::whole(hw::dma_destination::address, p.destination));
	hw::dma_count::write(bar, detail::whole(hw::dma_count::bytes, p.count));
	hw::dma_command::write(bar, p.command);
	return status::success();
}

/**
 * dma_wait() - wait until the engine is idle (the transfer started last is done)
 * @bar: BAR0
 * @wait: the wait policy; its condition is "dma_command.start is clear"
 *
 * When it returns success the destination holds the data: the 64-bit read that saw the engine
 * idle is ordered before the CPU's later reads of it.
 *
 * Context: whatever @wait needs.
 * Return: success; -ETIMEDOUT if @wait gave up (the transfer is still running: see
 * dma_quiesce() before freeing its memory).
 */
template <dma_backend B, wait_policy W> status dma_wait(bar_view<B> bar, W &&wait)
{
	if (!wait([bar] { return !dma_busy(bar); }))
		return fail(etimedout);
	return status::success();
}

/**
 * dma_run() - a synchronous transfer: dma_start(), then dma_wait()
 * @bar: BAR0
 * @t: the transfer
 * @wait: the wait policy
 *
 * Return: as dma_start(), then as dma_wait().
 */
template <dma_backend B, wait_policy W> status dma_run(bar_view<B> bar, const dma_transfer &t, W &&wait)
{
	status started = dma_start(bar, t);
	if (!started)
		return started;
	return dma_wait(bar, wait);
}

/**
 * dma_quiesce() - before freeing DMA memory or unbinding: wait, bounded, for the engine to idle
 * @bar: BAR0
 * @wait: the wait policy (bounded: teardown must end)
 *
 * edu has no way to cancel a transfer: the engine can only be waited for. An idle engine costs
 * one read and no wait at all.
 *
 * Context: whatever @wait needs; typically remove() or an error path, before
 * dma_free_coherent().
 * Return: success: no transfer runs, the memory may be freed; -ETIMEDOUT: one still may. Then
 * the caller must not free the memory the device may still write, unless it first stops the
 * device from mastering the bus (pci_clear_master(): edu's accesses then reach no memory).
 * Either way it also synchronizes with the interrupt handler (synchronize_irq() or free_irq())
 * before freeing what the handler touches.
 */
template <dma_backend B, wait_policy W> status dma_quiesce(bar_view<B> bar, W &&wait)
{
	if (!dma_busy(bar))
		return status::success();
	return dma_wait(bar, wait);
}

} // namespace ioview::drivers::edu

#endif /* IOVIEW_KMOD_DRIVER_EDU_LOGIC_H */
