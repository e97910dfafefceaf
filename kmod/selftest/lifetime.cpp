// SPDX-License-Identifier: GPL-2.0
//
// Device lifetime: the driver's functions unbound and bound again while
// the suite holds counted references (driver/edu.h, Lifetime), the way the
// sysfs "unbind" file or a module unload removes them.
//
//  - operations in flight when edu is unbound (a DMA loop and a factorial
//    loop, each in a kernel thread of its own) end with -ENODEV, and so
//    does every later operation through the references they hold, without
//    touching the device; the references stay valid (KASAN on the debug
//    kernel would report a use after free);
//  - a factorial cut by the unbind while edu still computes it leaves the
//    unit idle for the next binding, whose first factorial is computed;
//  - a probe that fails at any of its stages leaves nothing behind: the
//    next probe gets the same BAR, interrupt vector and DMA memory again
//    (a leak would also be reported by kmemleak, VM case 95-kmemleak);
//  - the same holds for the ivshmem mailbox's state.
//
// These cases need no device lock: they hold references, never the
// binding.  They leave every function bound again, as they found it.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/mailbox.h"
#include "kernel/counted_ref.h"
#include "kernel/thread.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;
using edu::completion;

constexpr const char *no_edu = "no edu function bound to ioview";
constexpr const char *no_ivshmem = "no ivshmem function bound to ioview";
// How long a thread's loop may run before the unbind cuts it, and how long to wait for it to start.
constexpr unsigned int start_wait_ms = 10000;
constexpr unsigned int loop_limit = 100000;

unsigned long long ull(u64 v)
{
	return static_cast<unsigned long long>(v);
}

// A loop of one kind of operation on a held reference, in its own thread, until an operation
// fails: it records that first error and how many succeeded before it.
struct edu_loop : thread_job {
	enum kind_t : u8 { dma, factorial } kind;
	edu::device *dev;
	ioview_counter done{};		// operations that succeeded; read by the test while it runs
	ioview_flag stopped{};		// raised when the loop is over
	int error = 0;			// the first failure; read after the join
	u64 returned_ns = 0;		// when it came back; read after the join

	edu_loop(kind_t k, edu::device *d) noexcept : thread_job{ run_loop }, kind(k), dev(d) {}

	static void run_loop(thread_job *self)
	{
		auto *l = static_cast<edu_loop *>(self);
		static u8 bytes[hw::dma_window_bytes];

		for (u32 i = 0; i < loop_limit && !l->error; ++i) {
			u32 v = 0;
			int err = l->kind == dma ? edu::dma_write(l->dev, 0, bytes, sizeof(bytes))
						 : edu::factorial(l->dev, 12, (i & 1) ? completion::poll : completion::interrupt, &v);
			if (!err && l->kind == factorial && v != 479001600)
				err = -eio;	// a wrong result is as much a failure as an error
			if (err)
				l->error = err;
			else
				ioview_shim_counter_inc(&l->done);
		}
		l->returned_ns = ioview_shim_ktime_ns();
		ioview_shim_flag_raise(&l->stopped);
	}

	u32 count() const noexcept { return static_cast<u32>(ioview_shim_counter_read(&done)); }
};

// Waits, bounded, until @l has done at least @n operations (or stopped).
bool wait_for_progress(const edu_loop &l, u32 n)
{
	for (unsigned int waited = 0; waited < start_wait_ms; ++waited) {
		if (l.count() >= n || ioview_shim_flag_test(&l.stopped))
			return l.count() >= n;
		ioview_shim_msleep(1);
	}
	return false;
}

// Every operation through a revoked reference: -ENODEV, counted, nothing else.
verdict check_refuses_everything(context &t, edu::device *dev)
{
	static u8 bytes[64];
	u32 v = 0;
	edu::counter_set before = edu::counters(dev);
	int results[] = {
		edu::factorial(dev, 5, completion::poll, &v),
		edu::factorial(dev, 5, completion::interrupt, &v),
		edu::dma_write(dev, 0, bytes, sizeof(bytes)),
		edu::dma_read(dev, 0, bytes, sizeof(bytes)),
		edu::irq_raise(dev, 0x40),
	};
	for (usize i = 0; i < sizeof(results) / sizeof(results[0]); ++i)
		if (results[i] != -enodev)
			return t.fail("operation %zu on the revoked device gave %d, want %d", i, results[i], -enodev);
	edu::counter_set after = edu::counters(dev);
	if (after.gone != before.gone + 5 || after.factorials != before.factorials ||
	    after.dma_transfers != before.dma_transfers)
		return t.fail("revoked operations counted %llu gone, %llu factorials, %llu transfers; want 5, 0, 0",
			      ull(after.gone - before.gone), ull(after.factorials - before.factorials),
			      ull(after.dma_transfers - before.dma_transfers));
	return t.pass();
}

// The function is bound again and works: a factorial and a small DMA round trip.
verdict check_rebound_works(context &t, pci_dev *pdev, const edu::device *old)
{
	int bound = ioview_shim_pci_rebind(pdev);
	if (bound != 1)
		return t.fail("binding edu again gave %d, want 1", bound);
	counted_ref<edu::device> fresh = edu::acquire(ioview_shim_pci_name(pdev));
	if (!fresh)
		return t.fail("edu bound again but acquire() found nothing");
	if (fresh.get() == old || edu::gone(fresh.get()))
		return t.fail("acquire() handed out the revoked state");
	static u8 out[64], in[64];
	for (usize i = 0; i < sizeof(out); ++i)
		out[i] = static_cast<u8>(i * 7 + 1);
	u32 v = 0;
	int f = edu::factorial(fresh.get(), 5, completion::interrupt, &v);
	int w = edu::dma_write(fresh.get(), 0x200, out, sizeof(out));
	int r = edu::dma_read(fresh.get(), 0x200, in, sizeof(in));
	if (f || v != 120 || w || r)
		return t.fail("after binding again: factorial %d (%u), dma_write %d, dma_read %d", f, v, w, r);
	for (usize i = 0; i < sizeof(out); ++i)
		if (in[i] != out[i])
			return t.fail("after binding again: DMA byte %zu read back %#x, want %#x", i, in[i], out[i]);
	return t.pass();
}

verdict unbind_ends_operations_in_flight(context &t)
{
	counted_ref<edu::device> ref = edu::acquire(nullptr);
	if (!ref)
		return t.skip("%s", no_edu);
	pci_dev *pdev = edu::pci_device(ref.get());
	ioview_shim_pci_dev_get(pdev);

	edu_loop transfers(edu_loop::dma, ref.get());
	edu_loop factorials(edu_loop::factorial, ref.get());
	thread dma_thread, factorial_thread;
	verdict v = verdict::pass;
	int err = dma_thread.start(&transfers, "ioview-st-dma");
	if (!err)
		err = factorial_thread.start(&factorials, "ioview-st-fact");
	if (err) {
		v = t.fail("starting the operation threads gave %d", err);
	} else if (!wait_for_progress(transfers, 2) || !wait_for_progress(factorials, 2)) {
		v = t.fail("the loops did not get going: %u transfers, %u factorials", transfers.count(),
			   factorials.count());
	}
	// The unbind runs whatever happened above: the threads only end through it.
	u64 t0 = ioview_shim_ktime_ns();
	ioview_shim_pci_unbind(pdev);
	u64 unbound_ns = ioview_shim_ktime_ns() - t0;
	dma_thread.join();
	factorial_thread.join();

	if (v == verdict::pass) {
		if (transfers.error != -enodev || factorials.error != -enodev)
			v = t.fail("in flight at the unbind: the DMA loop ended with %d, the factorial loop with %d; want %d",
				   transfers.error, factorials.error, -enodev);
		else if (!edu::gone(ref.get()))
			v = t.fail("the held reference does not report the device gone");
		else
			v = check_refuses_everything(t, ref.get());
	}
	if (v == verdict::pass)
		ioview_shim_log(IOVIEW_LOG_INFO,
				"ioview lifetime: edu unbound under %u transfers and %u factorials in %llu us; loops back %llu and %llu us after\n",
				transfers.count(), factorials.count(), ull(unbound_ns / 1000),
				ull((transfers.returned_ns - t0) / 1000), ull((factorials.returned_ns - t0) / 1000));
	verdict again = check_rebound_works(t, pdev, ref.get());
	ioview_shim_pci_dev_put(pdev);
	return v == verdict::pass ? again : v;
}

// A factorial that keeps edu's unit computing for well over a second (about 1e9 steps a
// second here), by interrupt, in a thread of its own; records how it ended.
constexpr u32 long_factorial_n = 1500000000;

struct long_factorial : thread_job {
	edu::device *dev;
	int error = 1;			// read after the join
	ioview_flag stopped{};		// raised when the call has returned

	explicit long_factorial(edu::device *d) noexcept : thread_job{ run_once }, dev(d) {}

	static void run_once(thread_job *self)
	{
		auto *f = static_cast<long_factorial *>(self);
		u32 v = 0;

		f->error = edu::factorial(f->dev, long_factorial_n, completion::interrupt, &v);
		ioview_shim_flag_raise(&f->stopped);
	}
};

// Waits, bounded, until edu's factorial unit computes (or @f returned without it).
bool wait_computing(const edu::device *dev, const long_factorial &f)
{
	for (unsigned int waited = 0; waited < start_wait_ms; ++waited) {
		if (hw::status::read(edu::bar(dev)).get(hw::status::computing))
			return true;
		if (ioview_shim_flag_test(&f.stopped))
			return false;
		ioview_shim_msleep(1);
	}
	return false;
}

// An unbind cuts the wait of a factorial edu is still computing (-ENODEV at once), and hands
// the unit over idle: the next binding's first factorial is computed, not refused as busy.
verdict unbind_leaves_the_factorial_unit_idle(context &t)
{
	pci_dev *pdev = nullptr;
	long_factorial job(nullptr);
	thread runner;
	verdict v = verdict::pass;
	{
		counted_ref<edu::device> ref = edu::acquire(nullptr);
		if (!ref)
			return t.skip("%s", no_edu);
		pdev = edu::pci_device(ref.get());
		ioview_shim_pci_dev_get(pdev);
		job.dev = ref.get();
		int err = runner.start(&job, "ioview-st-longf");
		if (err)
			v = t.fail("starting the factorial thread gave %d", err);
		else if (!wait_computing(ref.get(), job))
			v = t.fail("the factorial of %u never showed the unit computing (it ended with %d)",
				   long_factorial_n, ioview_shim_flag_test(&job.stopped) ? job.error : 0);
		// The unbind runs whatever happened above: the thread only ends through it (or its timeout).
		ioview_shim_pci_unbind(pdev);
		runner.join();
		if (v == verdict::pass && job.error != -enodev)
			v = t.fail("the factorial cut by the unbind ended with %d, want %d", job.error, -enodev);
	}
	int bound = ioview_shim_pci_rebind(pdev);
	counted_ref<edu::device> fresh = edu::acquire(ioview_shim_pci_name(pdev));
	ioview_shim_pci_dev_put(pdev);
	if (bound != 1 || !fresh)
		return t.fail("binding edu again gave %d", bound);
	if (v != verdict::pass)
		return v;
	u32 value = 0;
	int err = edu::factorial(fresh.get(), 5, completion::interrupt, &value);
	if (err || value != 120)
		return t.fail("the first factorial of the new binding gave %d (%u), want 0 (120)", err, value);
	return t.pass();
}

verdict failed_probe_unwinds_every_stage(context &t)
{
	pci_dev *pdev = nullptr;
	{
		counted_ref<edu::device> ref = edu::acquire(nullptr);
		if (!ref)
			return t.skip("%s", no_edu);
		pdev = edu::pci_device(ref.get());
		ioview_shim_pci_dev_get(pdev);
	}
	static constexpr edu::probe_stage stages[] = {
		edu::probe_stage::mapped, edu::probe_stage::identified, edu::probe_stage::buffer,
		edu::probe_stage::master, edu::probe_stage::vector,	    edu::probe_stage::irq,
	};
	verdict v = verdict::pass;
	ioview_shim_pci_unbind(pdev);
	for (edu::probe_stage s : stages) {
		edu::inject_probe_failure(s, -enomem);
		int bound = ioview_shim_pci_rebind(pdev);
		edu::inject_probe_failure(edu::probe_stage::none, 0);
		if (bound != 0) {
			v = t.fail("a probe failing after stage %u: binding gave %d, want 0", static_cast<unsigned int>(s), bound);
			break;
		}
		if (edu::acquire(nullptr)) {
			v = t.fail("a probe failing after stage %u left a device to acquire", static_cast<unsigned int>(s));
			break;
		}
	}
	// The probe that follows needs everything the failed ones took back: BAR0, the vector, the buffer.
	verdict again = check_rebound_works(t, pdev, nullptr);
	ioview_shim_pci_dev_put(pdev);
	return v == verdict::pass ? again : v;
}

verdict mailbox_reference_outlives_unbind(context &t)
{
	counted_ref<mailbox::device> ref = mailbox::acquire(nullptr);
	if (!ref)
		return t.skip("%s", no_ivshmem);
	counted_ref<mailbox::device> second = ref;	// a copy is a reference of its own
	pci_dev *pdev = mailbox::pci_device(ref.get());
	ioview_shim_pci_dev_get(pdev);
	mailbox::counter_set before = mailbox::counters(ref.get());
	ioview_shim_pci_unbind(pdev);

	static u8 buf[16];
	usize n = 0;
	int results[] = {
		mailbox::open(ref.get()),
		mailbox::send(second.get(), buf, sizeof(buf)),
		mailbox::receive(ref.get(), buf, sizeof(buf), 0, &n),
		mailbox::wait_peer(second.get(), true, 100),
		mailbox::close(ref.get()),
	};
	verdict v = verdict::pass;
	for (usize i = 0; i < sizeof(results) / sizeof(results[0]) && v == verdict::pass; ++i)
		if (results[i] != -enodev)
			v = t.fail("mailbox operation %zu after the unbind gave %d, want %d", i, results[i], -enodev);
	if (v == verdict::pass && (!mailbox::gone(ref.get()) || mailbox::is_open(ref.get())))
		v = t.fail("the revoked mailbox is not reported gone and closed");
	if (v == verdict::pass && mailbox::counters(ref.get()).opens != before.opens)
		v = t.fail("an open on the revoked mailbox was counted");
	second.reset();
	int bound = ioview_shim_pci_rebind(pdev);
	if (v == verdict::pass && bound != 1)
		v = t.fail("binding ivshmem again gave %d, want 1", bound);
	if (v == verdict::pass) {
		counted_ref<mailbox::device> fresh = mailbox::acquire(ioview_shim_pci_name(pdev));
		if (!fresh || fresh.get() == ref.get() || mailbox::gone(fresh.get()))
			v = t.fail("ivshmem bound again, but acquire() gave no fresh state");
	}
	ioview_shim_pci_dev_put(pdev);
	return v;
}

constinit const test_case lifetime_cases[] = {
	{ "unbind_ends_operations_in_flight", unbind_ends_operations_in_flight },
	{ "unbind_leaves_the_factorial_unit_idle", unbind_leaves_the_factorial_unit_idle },
	{ "failed_probe_unwinds_every_stage", failed_probe_unwinds_every_stage },
	{ "mailbox_reference_outlives_unbind", mailbox_reference_outlives_unbind },
};

} // namespace

constinit const suite lifetime_suite{ "ioview_lifetime", lifetime_cases };

} // namespace ioview::kernel::selftest
