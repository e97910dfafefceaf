// SPDX-License-Identifier: GPL-2.0
//
// The edu driver (driver/edu.cpp) on the bound edu function: the factorial
// unit by polling and by interrupt, an interrupt raised on request reaching
// the handler, DMA round trips through the driver's coherent buffer, bad
// windows refused before the device is touched, and a transfer refused while
// the engine is busy.  Every case compares the driver's counters before and
// after, so a path that silently did nothing (no interrupt, no transfer)
// fails.  The function is held (device lock) for the length of each case,
// so the driver cannot be removed underneath it.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/edu_logic.h"
#include "kernel/coherent_buffer.h"
#include "kernel/thread.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;
namespace logic = ioview::drivers::edu;
using edu::completion;

constexpr const char *no_edu = "no edu function bound to ioview";
constexpr int etimedout = -drivers::etimedout;

unsigned long long ull(u64 v)
{
	return static_cast<unsigned long long>(v);
}

u8 pattern_byte(usize i, u8 seed)
{
	return static_cast<u8>(i * 29 + (i >> 8) + seed);
}

// Runs body(pdev, dev) with edu held and its driver state; skips when no edu is bound.
template <typename Body> verdict on_driver(context &t, Body body)
{
	selftest_device held(IOVIEW_DEVICE_EDU);
	if (!held)
		return t.skip("%s", no_edu);
	edu::device *dev = edu::of(held.get());
	if (!dev)
		return t.fail("edu is bound but has no driver state");
	return body(held.get(), dev);
}

verdict factorial_by_polling(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		static constexpr struct { u32 n, want; } cases[] = { { 5, 120 }, { 12, 479001600 }, { 0, 1 } };
		edu::counter_set before = edu::counters(dev);
		for (const auto &c : cases) {
			u32 got = 0;
			int err = edu::factorial(dev, c.n, completion::poll, &got);
			if (err || got != c.want)
				return t.fail("%u! by polling gave %d, %u; want 0, %u", c.n, err, got, c.want);
		}
		edu::counter_set after = edu::counters(dev);
		if (after.factorials != before.factorials + 3)
			return t.fail("factorials counted %llu -> %llu, want +3", ull(before.factorials), ull(after.factorials));
		// Polling asks for no interrupt: none may have come.
		if (after.interrupts != before.interrupts)
			return t.fail("polled factorials raised %llu interrupts", ull(after.interrupts - before.interrupts));
		return t.pass();
	});
}

verdict factorial_by_interrupt(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		edu::counter_set before = edu::counters(dev);
		u32 got = 0;
		u64 t0 = ioview_shim_ktime_ns();
		int err = edu::factorial(dev, 10, completion::interrupt, &got);
		u64 ns = ioview_shim_ktime_ns() - t0;
		if (err || got != 3628800)
			return t.fail("10! by interrupt gave %d, %u; want 0, 3628800", err, got);
		edu::counter_set after = edu::counters(dev);
		if (after.interrupts != before.interrupts + 1)
			return t.fail("interrupts counted %llu -> %llu, want +1", ull(before.interrupts), ull(after.interrupts));
		if (after.factorials != before.factorials + 1)
			return t.fail("factorials counted %llu -> %llu, want +1", ull(before.factorials), ull(after.factorials));
		// The handler acknowledged the factorial bit: nothing is left pending.
		u32 pending = logic::pending_irqs(edu::bar(dev)).raw;
		if (pending)
			return t.fail("interrupt status %#x after the factorial, want 0", pending);
		ioview_shim_log(IOVIEW_LOG_INFO, "ioview edu: factorial by interrupt (%s): %llu us\n",
				edu::uses_msi(dev) ? "MSI" : "INTx", ull(ns / 1000));
		// A bad mode is refused and counted.
		int bad = edu::factorial(dev, 3, static_cast<completion>(7), &got);
		if (bad != -einval || edu::counters(dev).refused != after.refused + 1)
			return t.fail("an unknown completion mode gave %d, want %d and one refusal", bad, -einval);
		return t.pass();
	});
}

verdict raised_interrupt_reaches_the_handler(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		constexpr u32 software_bit = 0x40;	// a bit only irq_raise sets: signals no event
		edu::counter_set before = edu::counters(dev);
		int err = edu::irq_raise(dev, software_bit);
		if (err)
			return t.fail("irq_raise(%#x) gave %d", software_bit, err);
		// An MSI or INTx is delivered asynchronously: wait, bounded, for the handler's count.
		u64 seen = before.interrupts;
		for (unsigned int waited = 0; waited < 2000 && seen == before.interrupts; ++waited) {
			ioview_shim_msleep(1);
			seen = edu::counters(dev).interrupts;
		}
		if (seen != before.interrupts + 1)
			return t.fail("interrupts counted %llu -> %llu after irq_raise, want +1", ull(before.interrupts),
				      ull(seen));
		u32 pending = logic::pending_irqs(edu::bar(dev)).raw;
		if (pending)
			return t.fail("interrupt status %#x after the handler ran, want 0 (acknowledged)", pending);
		if (edu::irq_raise(dev, 0) != -einval)
			return t.fail("irq_raise(0) was not refused");
		return t.pass();
	});
}

// The time from irq_raise() to the handler, as the handler stamps it, over a few raises: the
// figure is logged, not judged, but every raise must reach the handler with a stamp after it.
verdict interrupt_latency(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		constexpr u32 software_bit = 0x40;
		constexpr unsigned int raises = 16;
		u64 ns[raises];

		for (unsigned int i = 0; i < raises; ++i) {
			edu::counter_set before = edu::counters(dev);
			u64 t0 = ioview_shim_ktime_ns();
			int err = edu::irq_raise(dev, software_bit);
			if (err)
				return t.fail("irq_raise %u gave %d", i, err);
			edu::counter_set now = before;
			for (unsigned int waited = 0; waited < 2000; ++waited) {
				now = edu::counters(dev);
				if (now.interrupts != before.interrupts && now.last_interrupt_ns > t0)
					break;
				ioview_shim_msleep(1);
			}
			if (now.interrupts != before.interrupts + 1 || now.last_interrupt_ns <= t0)
				return t.fail("raise %u: %llu interrupts, stamp %llu ns after the raise; want 1, > 0", i,
					      ull(now.interrupts - before.interrupts), ull(now.last_interrupt_ns - t0));
			ns[i] = now.last_interrupt_ns - t0;
		}
		for (unsigned int i = 1; i < raises; ++i)	// insertion sort: 16 values
			for (unsigned int j = i; j > 0 && ns[j - 1] > ns[j]; --j) {
				u64 x = ns[j];
				ns[j] = ns[j - 1];
				ns[j - 1] = x;
			}
		ioview_shim_log(IOVIEW_LOG_INFO,
				"ioview edu: interrupt raise to handler (%s): min %llu us, median %llu us, max %llu us over %u\n",
				edu::uses_msi(dev) ? "MSI" : "INTx", ull(ns[0] / 1000), ull(ns[raises / 2] / 1000),
				ull(ns[raises - 1] / 1000), raises);
		return t.pass();
	});
}

// Interrupts raised back to back, as fast as the driver takes them: each handler run acknowledges
// what is pending, so the storm ends when the raising does, the line stays enabled and the
// driver's next interrupt-completed operation works.  Raises that land while an earlier one is
// still pending merge into it (edu ORs them into its status), and an MSI that finds nothing
// pending any more is answered IRQ_NONE and counted as foreign: together they account for
// every raise at most once.
verdict interrupt_storm_ends_with_the_raising(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		constexpr u32 software_bit = 0x40;
		constexpr unsigned int raises = 5000;
		edu::counter_set before = edu::counters(dev);
		u64 t0 = ioview_shim_ktime_ns();

		for (unsigned int i = 0; i < raises; ++i) {
			int err = edu::irq_raise(dev, software_bit);
			if (err)
				return t.fail("raise %u of the storm gave %d", i, err);
		}
		u64 raising_ns = ioview_shim_ktime_ns() - t0;
		// Delivery is asynchronous: wait, bounded, until the counts stop moving.
		edu::counter_set now = edu::counters(dev), last = before;
		for (unsigned int waited = 0; waited < 2000; waited += 10) {
			last = now;
			ioview_shim_msleep(10);
			now = edu::counters(dev);
			if (now.interrupts == last.interrupts && now.foreign_interrupts == last.foreign_interrupts)
				break;
		}
		u64 handled = now.interrupts - before.interrupts;
		u64 foreign = now.foreign_interrupts - before.foreign_interrupts;
		if (handled == 0 || handled + foreign > raises)
			return t.fail("%u raises: %llu handled, %llu foreign; want at least 1 handled and at most %u in all",
				      raises, ull(handled), ull(foreign), raises);
		u32 pending = logic::pending_irqs(edu::bar(dev)).raw;
		if (pending)
			return t.fail("interrupt status %#x after the storm, want 0", pending);
		u32 v = 0;
		int err = edu::factorial(dev, 6, completion::interrupt, &v);
		if (err || v != 720)
			return t.fail("6! by interrupt after the storm gave %d, %u; want 0, 720", err, v);
		ioview_shim_log(IOVIEW_LOG_INFO,
				"ioview edu: storm of %u raises (%s) in %llu us: %llu handled, %llu foreign\n", raises,
				edu::uses_msi(dev) ? "MSI" : "INTx", ull(raising_ns / 1000), ull(handled), ull(foreign));
		return t.pass();
	});
}

// Writes @len pattern bytes at @offset of edu's buffer and reads them back; checks every byte,
// the counters (two transfers, 2 * @len bytes, two interrupts) and that the read really came
// from the device (the destination starts as the complement).
verdict round_trip(context &t, edu::device *dev, u64 offset, usize len, u8 seed, u64 *ns)
{
	static u8 out[hw::buffer_bytes];
	static u8 in[hw::buffer_bytes];	// static: 8 KiB is too much for a kernel stack

	for (usize i = 0; i < len; ++i) {
		out[i] = pattern_byte(i, seed);
		in[i] = static_cast<u8>(~out[i]);
	}
	edu::counter_set before = edu::counters(dev);
	u64 t0 = ioview_shim_ktime_ns();
	int w = edu::dma_write(dev, offset, out, len);
	int r = w ? 0 : edu::dma_read(dev, offset, in, len);
	*ns = ioview_shim_ktime_ns() - t0;
	if (w || r)
		return t.fail("%zu bytes at %#llx: dma_write %d, dma_read %d", len, ull(offset), w, r);
	for (usize i = 0; i < len; ++i)
		if (in[i] != out[i])
			return t.fail("byte %zu of %zu at %#llx read back %#x, want %#x", i, len, ull(offset), in[i], out[i]);
	edu::counter_set after = edu::counters(dev);
	if (after.dma_transfers != before.dma_transfers + 2 || after.dma_bytes != before.dma_bytes + 2 * len)
		return t.fail("counted %llu transfers of %llu bytes, want 2 of %zu", ull(after.dma_transfers - before.dma_transfers),
			      ull(after.dma_bytes - before.dma_bytes), 2 * len);
	if (after.interrupts != before.interrupts + 2)
		return t.fail("the two transfers raised %llu interrupts, want 2", ull(after.interrupts - before.interrupts));
	return t.pass();
}

verdict dma_round_trip_64_bytes(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		u64 ns;
		return round_trip(t, dev, 0x100, 64, 0x21, &ns);
	});
}

verdict dma_round_trip_largest_window(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		u64 ns;
		verdict v = round_trip(t, dev, 0, hw::dma_window_bytes, 0x37, &ns);
		if (v == verdict::pass)
			ioview_shim_log(IOVIEW_LOG_INFO, "ioview edu: DMA round trip of %llu bytes: %llu us\n",
					ull(hw::dma_window_bytes), ull(ns / 1000));
		return v;
	});
}

verdict dma_bad_windows_are_refused(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		static constexpr struct { u64 offset; usize len; int want; } bad[] = {
			{ 0, 0, -einval },			// nothing to move
			{ 0, hw::buffer_bytes + 1, -einval },	// longer than the buffer
			{ 0, hw::buffer_bytes, -erange },	// the buffer's last byte is out of reach
			{ 1, hw::dma_window_bytes, -erange },	// one past the window
			{ hw::dma_window_bytes, 1, -erange },	// the last byte alone
			{ hw::buffer_bytes, 1, -erange },	// past the buffer
			{ ~0ull, 1, -erange },			// far away
			{ ~0ull - 0x3f, 0x100, -erange },	// offset + length wraps around
		};
		static u8 bytes[hw::buffer_bytes + 1];
		auto bar = edu::bar(dev);
		edu::counter_set before = edu::counters(dev);
		u64 count_reg = hw::dma_count::read(bar).raw();
		u64 source_reg = hw::dma_source::read(bar).raw();
		usize refusals = 0;

		for (const auto &b : bad) {
			int w = edu::dma_write(dev, b.offset, bytes, b.len);
			int r = edu::dma_read(dev, b.offset, bytes, b.len);
			refusals += 2;
			if (w != b.want || r != b.want)
				return t.fail("%zu bytes at %#llx: write %d, read %d, want %d", b.len, ull(b.offset), w, r,
					      b.want);
		}
		int null_src = edu::dma_write(dev, 0, nullptr, 16);
		int null_dst = edu::dma_read(dev, 0, nullptr, 16);
		refusals += 2;
		if (null_src != -einval || null_dst != -einval)
			return t.fail("no buffer: write %d, read %d, want %d", null_src, null_dst, -einval);

		edu::counter_set after = edu::counters(dev);
		if (after.dma_transfers != before.dma_transfers || after.dma_bytes != before.dma_bytes)
			return t.fail("refused windows counted %llu transfers", ull(after.dma_transfers - before.dma_transfers));
		if (after.refused != before.refused + refusals)
			return t.fail("refusals counted %llu, want %zu", ull(after.refused - before.refused), refusals);
		// Not one DMA register was written.
		if (hw::dma_count::read(bar).raw() != count_reg || hw::dma_source::read(bar).raw() != source_reg ||
		    logic::dma_busy(bar))
			return t.fail("a refused window reached the engine (count %#llx, was %#llx)",
				      ull(hw::dma_count::read(bar).raw()), ull(count_reg));
		return t.pass();
	});
}

// A transfer the driver did not start (edu_logic's dma_start() on the driver's view, polled,
// RAM to device so that nothing is written to memory) keeps the engine busy for ~100 ms of
// virtual time: the driver's next transfer must be refused with -EBUSY and counted, and work
// again once the engine is idle.
verdict dma_refused_while_the_engine_runs(context &t)
{
	return on_driver(t, [&](pci_dev *pdev, edu::device *dev) {
		auto src = coherent_buffer<slice<u8>>::allocate_slice(pdev, 256);
		if (!src)
			return t.fail("allocating the outside transfer's source failed with %d", src.error());
		auto bar = edu::bar(dev);
		auto idle = logic::poll_every([] { ioview_shim_msleep(10); }, 500);
		static u8 bytes[16];

		edu::counter_set before = edu::counters(dev);
		status started = logic::dma_start(bar, logic::to_device(src.value().view(), 0x800));
		if (!started)
			return t.fail("the outside transfer could not start: %d", started.error());
		int busy = edu::dma_write(dev, 0, bytes, sizeof(bytes));
		edu::counter_set during = edu::counters(dev);
		// The source buffer may be freed only once the engine is done with it.
		status quiet = logic::dma_quiesce(bar, idle);
		if (!quiet) {
			ioview_shim_pci_clear_master(pdev);
			return t.fail("the outside transfer did not end: bus mastering shut off");
		}
		if (busy != -ebusy)
			return t.fail("dma_write while the engine ran gave %d, want %d", busy, -ebusy);
		if (during.busy != before.busy + 1 || during.dma_transfers != before.dma_transfers)
			return t.fail("counted %llu busy, %llu transfers; want 1 and 0", ull(during.busy - before.busy),
				      ull(during.dma_transfers - before.dma_transfers));
		int again = edu::dma_write(dev, 0, bytes, sizeof(bytes));
		if (again)
			return t.fail("dma_write after the engine went idle gave %d", again);
		return t.pass();
	});
}

// Waits, bounded (2 s), until edu's handler has counted @want interrupts in all.
u64 wait_interrupts(edu::device *dev, u64 want)
{
	u64 seen = edu::counters(dev).interrupts;
	for (unsigned int waited = 0; waited < 2000 && seen < want; ++waited) {
		ioview_shim_msleep(1);
		seen = edu::counters(dev).interrupts;
	}
	return seen;
}

// A transfer that does not complete in time, which edu's emulation never does by itself (every
// transfer it starts ends ~100 ms later), injected with edu::inject_dma_stall(): once never
// started, so the wait runs out with the engine idle, and once started but waited for 1 ms, so
// the wait runs out with the engine running.  Each time the operation returns -ETIMEDOUT,
// counts one timeout and no transfer, and the engine is idle when it returns (the driver waited
// for it, so the buffer is never reused or freed under a running transfer); the device is not
// given up: the next round trip moves the right bytes with exactly its own two interrupts, once
// the late interrupt of the transfer that outlived its wait has been taken.
verdict dma_stall_times_out(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		static const struct { edu::dma_stall how; unsigned int wait_ms; const char *what; } stalls[] = {
			{ edu::dma_stall::never_started, 100, "a transfer never started" },
			{ edu::dma_stall::outlives_wait, 1, "a transfer outliving its 1 ms wait" },
		};
		static u8 bytes[32];
		auto bar = edu::bar(dev);
		u8 seed = 0x4b;

		for (const auto &s : stalls) {
			for (usize i = 0; i < sizeof(bytes); ++i)
				bytes[i] = pattern_byte(i, seed);
			edu::counter_set before = edu::counters(dev);
			int injected = edu::inject_dma_stall(dev, s.how, s.wait_ms);
			if (injected)
				return t.fail("%s: inject_dma_stall gave %d", s.what, injected);
			int err = edu::dma_write(dev, 0x300, bytes, sizeof(bytes));
			bool running = logic::dma_busy(bar);
			edu::counter_set after = edu::counters(dev);
			if (err != etimedout)
				return t.fail("%s: dma_write gave %d, want %d", s.what, err, etimedout);
			if (running)
				return t.fail("%s: the engine still ran when dma_write returned", s.what);
			if (after.timeouts != before.timeouts + 1 || after.dma_transfers != before.dma_transfers ||
			    after.dma_bytes != before.dma_bytes || after.busy != before.busy)
				return t.fail("%s: counted %llu timeouts, %llu transfers, %llu busy; want 1, 0, 0", s.what,
					      ull(after.timeouts - before.timeouts), ull(after.dma_transfers - before.dma_transfers),
					      ull(after.busy - before.busy));
			// A transfer that ran raises its interrupt when it ends, after the wait gave up.
			u64 want = before.interrupts + (s.how == edu::dma_stall::outlives_wait ? 1 : 0);
			u64 seen = wait_interrupts(dev, want);
			if (seen != want)
				return t.fail("%s: %llu interrupts after it, want %llu", s.what, ull(seen - before.interrupts),
					      ull(want - before.interrupts));
			u64 ns;
			if (round_trip(t, dev, 0x300, 64, ++seed, &ns) == verdict::fail)
				return verdict::fail;
		}
		return t.pass();
	});
}

// A transfer in a kernel thread of its own, for a case to act while it waits.
struct transfer_job : thread_job {
	edu::device *dev;
	int result = 1;
	static u8 bytes[48];

	explicit transfer_job(edu::device *d) noexcept : thread_job{ run_transfer }, dev(d) {}

	static void run_transfer(thread_job *self)
	{
		auto *j = static_cast<transfer_job *>(self);
		j->result = edu::dma_write(j->dev, 0x500, bytes, sizeof(bytes));
	}
};
u8 transfer_job::bytes[48];

// edu's completion bits can also be raised on request (irq_raise, netlink's edu-irq-raise, a
// register write): the DMA bit raised while a transfer runs wakes the operation's wait before
// the engine is done.  That wake-up is not the completion: the operation must go on waiting for
// the engine, not give up with -ETIMEDOUT.  The bit is raised through the driver's view of BAR0
// (edu::irq_raise() would wait for the operation lock the transfer holds).
verdict raised_completion_bit_ends_no_wait(context &t)
{
	return on_driver(t, [&](pci_dev *, edu::device *dev) {
		auto bar = edu::bar(dev);
		edu::counter_set before = edu::counters(dev);
		transfer_job job(dev);
		thread worker;
		if (int err = worker.start(&job, "ioview-st-dma"))
			return t.fail("starting the transfer's thread gave %d", err);
		// The engine runs ~100 ms: raise the bit once it started.
		bool started = false;
		for (unsigned int waited = 0; waited < 2000 && !started; ++waited) {
			started = logic::dma_busy(bar);
			if (!started)
				ioview_shim_msleep(1);
		}
		if (started)
			logic::raise_irq(bar, hw::irq_dma);
		worker.join();
		edu::counter_set after = edu::counters(dev);
		if (!started)
			return t.fail("the transfer did not start within 2 s (it gave %d)", job.result);
		if (job.result)
			return t.fail("a transfer whose DMA bit was raised while it ran gave %d, want 0", job.result);
		if (after.dma_transfers != before.dma_transfers + 1 || after.timeouts != before.timeouts)
			return t.fail("counted %llu transfers and %llu timeouts, want 1 and 0",
				      ull(after.dma_transfers - before.dma_transfers), ull(after.timeouts - before.timeouts));
		return t.pass();
	});
}

constinit const test_case edu_driver_cases[] = {
	{ "factorial_by_polling", factorial_by_polling },
	{ "factorial_by_interrupt", factorial_by_interrupt },
	{ "raised_interrupt_reaches_the_handler", raised_interrupt_reaches_the_handler },
	{ "interrupt_latency", interrupt_latency },
	{ "interrupt_storm_ends_with_the_raising", interrupt_storm_ends_with_the_raising },
	{ "dma_round_trip_64_bytes", dma_round_trip_64_bytes },
	{ "dma_round_trip_largest_window", dma_round_trip_largest_window },
	{ "dma_bad_windows_are_refused", dma_bad_windows_are_refused },
	{ "dma_refused_while_the_engine_runs", dma_refused_while_the_engine_runs },
	{ "dma_stall_times_out", dma_stall_times_out },
	{ "raised_completion_bit_ends_no_wait", raised_completion_bit_ends_no_wait },
};

} // namespace

constinit const suite edu_driver_suite{ "ioview_edu_driver", edu_driver_cases };

} // namespace ioview::kernel::selftest
