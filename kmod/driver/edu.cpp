// SPDX-License-Identifier: GPL-2.0
//
// The edu driver's kernel half (see edu.h): probe and remove, the
// operations, and the interrupt handler, all through ioview views and
// edu_logic.h; the kernel is reached only through shim/shim.h.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/edu_logic.h"
#include "kernel/bar_mapping.h"
#include "kernel/coherent_buffer.h"
#include "ioview_cxxrt.h"
#include "kernel/errno.h"
#include "kernel/mutex.h"
#include "kernel/revocable.h"

template class ioview::kernel::bar_mapping<ioview::devices::edu::bar0>;
template class ioview::kernel::coherent_buffer<ioview::slice<ioview::u8>>;

namespace ioview::kernel::edu {

namespace logic = ioview::drivers::edu;
namespace hw = ioview::devices::edu;

namespace {

// The factorial unit is a QEMU thread: microseconds.  2000 steps of msleep(1) bound a polled
// wait at a few seconds on a loaded TCG host, as does the interrupt's timeout.
constexpr unsigned int factorial_step_ms = 1;
constexpr u32 factorial_steps = 2000;
constexpr unsigned int factorial_irq_timeout_ms = 2000;
// A transfer ends about 100 ms of virtual time after it starts; TCG can stretch that.
constexpr unsigned int dma_irq_timeout_ms = 5000;
constexpr unsigned int quiesce_step_ms = 10;
constexpr u64 ns_per_ms = 1000000;
constexpr u32 quiesce_steps = 500;
// A factorial a caller gave up on (the unbind cut its wait) goes on computing: edu's longest,
// 2^32 - 1 steps, took 4 to 7 s here, so remove() waits up to 10 s for the unit to be idle.
constexpr u32 factorial_quiesce_steps = 1000;
// The whole of edu's buffer: every window dma_validate() accepts fits at the start of it.
constexpr usize dma_buffer_bytes = hw::buffer_bytes;

} // namespace

struct device {
	revocable life;			// the function (pinned), the references, the revoked flag
	ioview_mutex *lock;		// serialises the operations; never taken by the handler
	ioview_event *factorial_done;	// signalled by the handler on irq_factorial
	ioview_event *dma_done;		// signalled by the handler on irq_dma
	bar_mapping<hw::bar0> bar0;
	coherent_buffer<slice<u8>> dma_buffer;
	probe_stage reached;
	bool msi;
	// A transfer outlived its quiesce and bus mastering was shut off: the
	// engine cannot be trusted any more, every operation is -EIO.
	bool dead;
	// inject_dma_stall()'s request for the next transfer; set and consumed with the lock held.
	dma_stall stall;
	unsigned int stall_wait_ms;
	// Written by the handler while process context reads them: atomics.
	ioview_counter interrupts;
	ioview_counter foreign_interrupts;
	ioview_counter last_interrupt_ns;	// ktime of the last interrupt that was edu's
	// Only ever touched with the lock held: plain integers.
	u64 factorials;
	u64 dma_transfers;
	u64 dma_bytes;
	u64 refused;
	u64 busy;
	u64 timeouts;
	u64 gone;
};

namespace {

#define edu_err(dev, fmt, ...) ioview_shim_dev_log((dev).life.pdev(), IOVIEW_LOG_ERR, "edu: " fmt "\n" __VA_OPT__(, ) __VA_ARGS__)
#define edu_info(dev, fmt, ...) ioview_shim_dev_log((dev).life.pdev(), IOVIEW_LOG_INFO, "edu: " fmt "\n" __VA_OPT__(, ) __VA_ARGS__)

bool is_revoked(const device &dev)
{
	return dev.life.revoked();
}

// For waits that must run to their bound whatever happens (quiescing the DMA engine before its
// buffer can be freed): sleeps @step_ms between looks, @steps times at most.
auto sleeping_poller(unsigned int step_ms, u32 steps)
{
	return logic::poll_every([step_ms] { ioview_shim_msleep(step_ms); }, steps);
}

// The same, for a caller's operation: also gives up as soon as remove() revoked the device,
// which then turns the operation's -ETIMEDOUT into -ENODEV (account()).
struct revocable_poller {
	const device *dev;
	unsigned int step_ms;
	u32 steps;

	template <typename Done> bool operator()(Done &&done) const
	{
		for (u32 i = 0; i < steps; ++i) {
			if (done())
				return true;
			if (is_revoked(*dev))
				return false;
			ioview_shim_msleep(step_ms);
		}
		return done();
	}
};

// A wait policy for an operation started with notify::interrupt: the interrupt is the
// completion, so it is waited for even if the device already looks done (edu clears its busy
// bit just before it raises the interrupt).  Then the handler has run, and counted, by the
// time the operation returns, and done() (a non-relaxed read) orders the caller's later reads
// of what the device wrote.  remove() signals the event too, after raising the revoked flag:
// then this gives up, and the operation reports -ENODEV.
//
// A signal with the device still busy is not this operation's completion, and the wait goes on
// to its deadline: edu's completion bits can be raised on request (irq_raise(), a register
// write), and the late interrupt of a transfer that outlived its wait (quiesce() waited for the
// engine, not for the handler) can come after the next operation reset the event.  Giving up
// on such a signal made a transfer fail with -ETIMEDOUT while the engine still ran.
struct interrupt_wait {
	const device *dev;
	ioview_event *event;
	unsigned int timeout_ms;

	template <typename Done> bool operator()(Done &&done) const
	{
		u64 deadline = ioview_shim_ktime_ns() + u64{ timeout_ms } * ns_per_ms;
		for (;;) {
			u64 now = ioview_shim_ktime_ns();
			if (now >= deadline)
				return false;
			u64 left_ms = (deadline - now + ns_per_ms - 1) / ns_per_ms;
			if (ioview_shim_event_wait(event, static_cast<unsigned int>(left_ms)) || is_revoked(*dev))
				return false;
			if (done())
				return true;
		}
	}
};

// The operation lock for the length of a scope, unless a signal came first; a revoked device
// refuses everything, and so does one whose DMA could not be stopped.
class op_lock {
public:
	explicit op_lock(device &dev) noexcept : dev_(dev), lock_(dev.lock, dev.life) {}

	/// 0 with the lock held, else -EINTR; -ENODEV or -EIO (lock held) for a revoked or dead device.
	int error() const noexcept
	{
		int err = lock_.error();
		if (err == -enodev)
			++dev_.gone;
		if (err)
			return err;
		return dev_.dead ? -eio : 0;
	}

private:
	device &dev_;
	revocable_lock lock_;
};

// Counts a failed operation by kind (with the lock held) and returns @err, or -ENODEV for
// any failure once the device is revoked (it was cut short by remove(), not by the device).
int account(device &dev, int err)
{
	if (err && is_revoked(dev)) {
		++dev.gone;
		return -enodev;
	}
	if (err == -einval || err == -erange)
		++dev.refused;
	else if (err == -ebusy)
		++dev.busy;
	else if (err == -drivers::etimedout)
		++dev.timeouts;
	return err;
}

// The failure inject_probe_failure() asked for: one-shot, set and consumed in process
// context by the self-test that binds the function (device_attach() probes synchronously).
probe_stage injected_after = probe_stage::none;
int injected_err = 0;

const char *stage_name(probe_stage s)
{
	switch (s) {
	case probe_stage::none:
		return "none";
	case probe_stage::mapped:
		return "mapped";
	case probe_stage::identified:
		return "identified";
	case probe_stage::buffer:
		return "buffer";
	case probe_stage::master:
		return "master";
	case probe_stage::vector:
		return "vector";
	case probe_stage::irq:
		return "irq";
	}
	return "?";
}

// Records that probe reached @s; the injected failure, if it is for @s, as the next stage's error.
int reach(device &dev, probe_stage s)
{
	dev.reached = s;
	if (injected_after != s || !injected_err)
		return 0;
	int err = injected_err;
	injected_after = probe_stage::none;
	injected_err = 0;
	edu_err(dev, "probe failure injected after stage %s: %d", stage_name(s), err);
	return err;
}

// After a transfer's wait failed: wait for the engine, bounded; if it still runs, stop it
// from reaching memory, since the buffer is reused (and freed at remove).
void quiesce(device &dev)
{
	if (logic::dma_quiesce(dev.bar0.view(), sleeping_poller(quiesce_step_ms, quiesce_steps)))
		return;
	edu_err(dev, "a DMA transfer is still running after %u ms: bus mastering off, device disabled",
		quiesce_step_ms * quiesce_steps);
	ioview_shim_pci_clear_master(dev.life.pdev());
	dev.dead = true;
}

// Waits, bounded, for a factorial nobody waits for any more.  Without this the next binding
// found the unit still computing the one an unbind had cut short and refused its first
// factorial with -EBUSY ("the unit is still busy with an earlier request").
void quiesce_factorial(device &dev)
{
	auto bar = dev.bar0.view();

	if (sleeping_poller(quiesce_step_ms, factorial_quiesce_steps)([bar] { return !logic::factorial_busy(bar); }))
		return;
	edu_err(dev, "the factorial unit still computes after %u ms: the next binding may find it busy",
		quiesce_step_ms * factorial_quiesce_steps);
}

// Stops edu from interrupting again: no completion interrupt requested, no transfer running,
// nothing pending; and leaves it idle for the next binding.  Before free_irq() (a pending INTx
// bit would keep the shared line asserted).  With irq_on_completion cleared first, a factorial
// that ends during the wait raises nothing.
void silence(device &dev)
{
	auto bar = dev.bar0.view();

	hw::status::write(bar, hw::status::zero());
	if (dev.reached >= probe_stage::master && !dev.dead)
		quiesce(dev);
	quiesce_factorial(dev);
	logic::ack_irq(bar, logic::pending_irqs(bar).raw);
}

// Undoes setup() from the last stage it reached, in reverse order.
void teardown(device &dev)
{
	if (dev.reached >= probe_stage::identified)
		silence(dev);
	// The handler goes before everything it touches (BAR0, the events).
	if (dev.reached >= probe_stage::irq)
		ioview_shim_irq_free(dev.life.pdev(), &dev);
	if (dev.reached >= probe_stage::vector)
		ioview_shim_irq_free_vectors(dev.life.pdev());
	if (dev.reached >= probe_stage::master)
		ioview_shim_pci_clear_master(dev.life.pdev());
	dev.dma_buffer.reset();
	// The DMA mask has nothing to undo; the mapping goes last of the device state.
	dev.bar0.reset();
	dev.reached = probe_stage::none;
}

// Frees the state itself, after teardown() and with the last reference: what a revoked
// device's callers still touch (the lock, the events, the pinned pci_dev) lives until here.
void release(device *dev)
{
	ioview_shim_event_destroy(dev->dma_done);
	ioview_shim_event_destroy(dev->factorial_done);
	ioview_shim_mutex_destroy(dev->lock);
	dev->life.finish();
	delete dev;
}

int create_sync(device &dev)
{
	int err = ioview_shim_mutex_create(&dev.lock);
	if (!err)
		err = ioview_shim_event_create(&dev.factorial_done);
	if (!err)
		err = ioview_shim_event_create(&dev.dma_done);
	if (err)
		edu_err(dev, "no memory for the lock and events: %d", err);
	return err;
}

int map_and_identify(device &dev)
{
	auto m = bar_mapping<hw::bar0>::map(dev.life.pdev(), hw::bar_number);
	if (!m) {
		edu_err(dev, "cannot map BAR%u: %d", hw::bar_number, m.error());
		return m.error();
	}
	dev.bar0 = m.take();
	if (int err = reach(dev, probe_stage::mapped))
		return err;
	logic::identify_result id = logic::identify(dev.bar0.view());
	if (!id) {
		edu_err(dev, "not a working edu: %s (got %#010x, expected %#010x)", id.reason, id.got, id.expected);
		return id.error;
	}
	int err = ioview_shim_dma_set_mask_and_coherent(dev.life.pdev(), hw::dma_mask_bits);
	if (err) {
		edu_err(dev, "cannot set a %u-bit DMA mask: %d", hw::dma_mask_bits, err);
		return err;
	}
	return reach(dev, probe_stage::identified);
}

// The buffer comes before bus mastering, so that teardown (the reverse) shuts mastering off
// before the memory a stray transfer could write is freed.
int enable_dma(device &dev)
{
	auto b = coherent_buffer<slice<u8>>::allocate_slice(dev.life.pdev(), dma_buffer_bytes);
	if (!b) {
		edu_err(dev, "cannot allocate the %zu-byte DMA buffer: %d", dma_buffer_bytes, b.error());
		return b.error();
	}
	dev.dma_buffer = b.take();
	if (int err = reach(dev, probe_stage::buffer))
		return err;
	ioview_shim_pci_set_master(dev.life.pdev());
	return reach(dev, probe_stage::master);
}

int enable_irq(device &dev)
{
	int err = ioview_shim_irq_alloc_vector(dev.life.pdev(), ioview_shim_edu_msi());
	if (err) {
		edu_err(dev, "no interrupt vector: %d", err);
		return err;
	}
	err = reach(dev, probe_stage::vector);
	if (err)
		return err;
	dev.msi = ioview_shim_irq_uses_msi(dev.life.pdev());
	// Nothing edu left pending from before the driver may look like this driver's event.
	logic::ack_irq(dev.bar0.view(), logic::pending_irqs(dev.bar0.view()).raw);
	err = ioview_shim_irq_request(dev.life.pdev(), &dev);
	if (err) {
		edu_err(dev, "cannot install the interrupt handler: %d", err);
		return err;
	}
	return reach(dev, probe_stage::irq);
}

int setup(device &dev)
{
	int err = create_sync(dev);
	if (!err)
		err = map_and_identify(dev);
	if (!err)
		err = enable_dma(dev);
	if (!err)
		err = enable_irq(dev);
	return err;
}

// One transfer, completed by interrupt; on a timeout the engine is quiesced before returning.
int run_transfer(device &dev, const logic::dma_transfer &t)
{
	auto bar = dev.bar0.view();

	// Reset, then test: remove() raises the flag, then signals, so either this sees the flag
	// or the wait below sees the signal (both sides have a full barrier).
	ioview_shim_event_reset(dev.dma_done);
	if (is_revoked(dev))
		return -enodev;
	// An injected stall (inject_dma_stall()), consumed by this transfer.
	dma_stall stall = dev.stall;
	unsigned int wait_ms = stall == dma_stall::none ? dma_irq_timeout_ms : dev.stall_wait_ms;
	dev.stall = dma_stall::none;
	if (stall != dma_stall::none)
		edu_info(dev, "DMA stall injected: %s, waited for %u ms",
			 stall == dma_stall::never_started ? "the transfer is not started" : "the engine outlives the wait",
			 wait_ms);
	if (stall != dma_stall::never_started) {
		status started = logic::dma_start(bar, t);
		if (!started)
			return started.error();
	}
	status done = logic::dma_wait(bar, interrupt_wait{ &dev, dev.dma_done, wait_ms });
	if (!done) {
		quiesce(dev);
		return done.error();
	}
	++dev.dma_transfers;
	dev.dma_bytes += t.length;
	return 0;
}

// The first @len bytes of the DMA buffer; @len already validated (at most 4095).
view<coherent, slice<u8>> window(device &dev, usize len)
{
	return dev.dma_buffer.view().try_subrange(0, len).value();
}

logic::dma_transfer transfer_of(device &dev, logic::dma_direction dir, u64 device_offset, usize len)
{
	return { dir, dev.dma_buffer.dma_address(), device_offset, len, logic::notify::interrupt };
}

result<u32> factorial_by_interrupt(device &dev, u32 n)
{
	auto bar = dev.bar0.view();

	ioview_shim_event_reset(dev.factorial_done);	// then test: as in run_transfer()
	if (is_revoked(dev))
		return failure{ -enodev };
	status started = logic::factorial_start(bar, n, logic::notify::interrupt);
	if (!started)
		return failure{ started.error() };
	return logic::factorial_wait(bar, interrupt_wait{ &dev, dev.factorial_done, factorial_irq_timeout_ms });
}

// With the lock held: @len bytes at @src into edu's buffer at @device_offset, window checked
// before anything is copied or the device touched.
int write_locked(device &dev, u64 device_offset, const void *src, usize len)
{
	status valid = logic::dma_validate(transfer_of(dev, logic::dma_direction::to_device, device_offset, len));
	if (!valid)
		return valid.error();
	if (!src)
		return -einval;
	auto buf = window(dev, len);
	status copied = copy_from_slice(buf, static_cast<const u8 *>(src), len);
	if (!copied)
		return copied.error();
	return run_transfer(dev, logic::to_device(buf, device_offset, logic::notify::interrupt));
}

// With the lock held: @len bytes of edu's buffer at @device_offset to @dst, checked the same way.
int read_locked(device &dev, u64 device_offset, void *dst, usize len)
{
	status valid = logic::dma_validate(transfer_of(dev, logic::dma_direction::from_device, device_offset, len));
	if (!valid)
		return valid.error();
	if (!dst)
		return -einval;
	auto buf = window(dev, len);
	int err = run_transfer(dev, logic::from_device(device_offset, buf, logic::notify::interrupt));
	if (err)
		return err;
	return copy_to_slice(buf, static_cast<u8 *>(dst), len).error();
}

} // namespace

void inject_probe_failure(probe_stage after, int err) noexcept
{
	injected_after = err ? after : probe_stage::none;
	injected_err = after == probe_stage::none ? 0 : err;
}

int inject_dma_stall(device *dev, dma_stall how, unsigned int wait_ms) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	dev->stall = how;
	dev->stall_wait_ms = wait_ms;
	return 0;
}

int probe(pci_dev *pdev, device **out) noexcept
{
	auto *dev = new (gfp::kernel) device{};
	if (!dev)
		return -enomem;
	dev->life.start(pdev);
	int err = setup(*dev);
	if (err) {
		teardown(*dev);
		release(dev);
		return err;
	}
	edu_info(*dev, "ready: %s interrupt (IRQ %d), DMA buffer at %#llx", dev->msi ? "MSI" : "shared INTx",
		 ioview_shim_irq_number(pdev), static_cast<unsigned long long>(dev->dma_buffer.dma_address()));
	*out = dev;
	return 0;
}

void remove(device *dev) noexcept
{
	// Revoke first, then wake: an operation that waits sees the flag once woken (and one that
	// is about to wait sees it after its reset, see run_transfer()).
	dev->life.revoke();
	ioview_shim_event_signal(dev->factorial_done);
	ioview_shim_event_signal(dev->dma_done);
	// The operation inside, if any, leaves (having waited for a running transfer); any later
	// one sees the flag under the lock and never reaches the hardware released below.
	ioview_shim_mutex_lock(dev->lock);
	teardown(*dev);
	ioview_shim_mutex_unlock(dev->lock);
	ref_put(dev);
}

void ref_get(device *dev) noexcept
{
	dev->life.get();
}

void ref_put(device *dev) noexcept
{
	if (dev->life.put())
		release(dev);
}

bool gone(const device *dev) noexcept
{
	return is_revoked(*dev);
}

pci_dev *pci_device(const device *dev) noexcept
{
	return dev->life.pdev();
}

view<kmmio, hw::bar0> bar(const device *dev) noexcept
{
	return dev->bar0.view();
}

bool uses_msi(const device *dev) noexcept
{
	return dev->msi;
}

int factorial(device *dev, u32 n, completion how, u32 *out) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;

	result<u32> r = failure{ -einval };
	if (how == completion::poll)
		r = logic::factorial(dev->bar0.view(), n, revocable_poller{ dev, factorial_step_ms, factorial_steps });
	else if (how == completion::interrupt)
		r = factorial_by_interrupt(*dev, n);
	if (!r)
		return account(*dev, r.error());
	++dev->factorials;
	*out = r.value();
	return 0;
}

int dma_write(device *dev, u64 device_offset, const void *src, usize len) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	return account(*dev, write_locked(*dev, device_offset, src, len));
}

int dma_read(device *dev, u64 device_offset, void *dst, usize len) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	return account(*dev, read_locked(*dev, device_offset, dst, len));
}

int dma_round_trip(device *dev, u64 device_offset, const void *src, void *dst, usize len) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	// The window first, as dma_write() and dma_read() refuse it, then the second buffer.
	status valid = logic::dma_validate(transfer_of(*dev, logic::dma_direction::to_device, device_offset, len));
	if (!valid)
		return account(*dev, valid.error());
	if (!dst)
		return account(*dev, -einval);
	int err = write_locked(*dev, device_offset, src, len);
	if (!err) {
		// Cleared in between, so that what comes back is what edu sent, not what is still here.
		static const u8 zeros[dma_buffer_bytes] = {};
		err = copy_from_slice(window(*dev, len), zeros, len).error();
	}
	if (!err)
		err = read_locked(*dev, device_offset, dst, len);
	return account(*dev, err);
}

int with_registers(device *dev, register_access fn, void *ctx) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	return fn(dev->bar0.view(), ctx);
}

int irq_raise(device *dev, u32 bits) noexcept
{
	op_lock lock(*dev);
	if (int err = lock.error())
		return err;
	if (!bits)
		return account(*dev, -einval);
	logic::raise_irq(dev->bar0.view(), bits);
	return 0;
}

counter_set counters(device *dev) noexcept
{
	ioview_shim_mutex_lock(dev->lock);
	counter_set c{
		ioview_shim_counter_read(&dev->interrupts), ioview_shim_counter_read(&dev->foreign_interrupts),
		dev->factorials, dev->dma_transfers, dev->dma_bytes, dev->refused, dev->busy, dev->timeouts,
		dev->gone, ioview_shim_counter_read(&dev->last_interrupt_ns),
	};
	ioview_shim_mutex_unlock(dev->lock);
	return c;
}

} // namespace ioview::kernel::edu

// The interrupt handler (shim/irq.c's trampoline calls it): hard interrupt context, so it
// takes no lock and never sleeps (the event's spinlock is the shim's, taken with interrupts off).  edu_logic's handle_irq() reads and acknowledges exactly the
// pending bits; the counter is bumped before the event is signalled, so a woken waiter sees it.
int ioview_driver_irq(void *ctx)
{
	namespace edu = ioview::kernel::edu;
	auto *dev = static_cast<edu::device *>(ctx);

	ioview::drivers::edu::irq_bits bits = ioview::drivers::edu::handle_irq(dev->bar0.view());
	if (bits.none()) {
		ioview_shim_counter_inc(&dev->foreign_interrupts);
		return 0;
	}
	ioview_shim_counter_set(&dev->last_interrupt_ns, ioview_shim_ktime_ns());
	ioview_shim_counter_inc(&dev->interrupts);
	// Only recorded here: the netlink event is sent later, from process context.
	ioview_shim_event(IOVIEW_SHIM_EVENT_INTERRUPT, dev->life.pdev(), bits.raw);
	if (bits.factorial())
		ioview_shim_event_signal(dev->factorial_done);
	if (bits.dma())
		ioview_shim_event_signal(dev->dma_done);
	return 1;
}
