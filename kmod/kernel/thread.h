// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::thread: a kernel thread running one job, joined before
// it goes (shim/thread.c).  For self-tests that need a second context, e.g.
// to unbind a device while the first runs an operation on it.
//
//     struct counter_job : thread_job {
//             int runs = 0;
//             counter_job() : thread_job{ [](thread_job *j) { ++static_cast<counter_job *>(j)->runs; } } {}
//     } job;
//     thread t;
//     if (int err = t.start(&job, "ioview-test"))
//             return err;
//     t.join();                               // job.runs == 1; the destructor joins too
#ifndef IOVIEW_KMOD_THREAD_H
#define IOVIEW_KMOD_THREAD_H

#include "kernel/errno.h"
#include "shim/shim.h"

namespace ioview::kernel {

/// What a thread runs: run(self), once, in process context (it may sleep).
struct thread_job {
	void (*run)(thread_job *self);
};

class thread {
public:
	thread() noexcept = default;
	thread(const thread &) = delete;
	thread &operator=(const thread &) = delete;
	~thread() { join(); }

	/// Starts @job in a new kthread named @name.  0, or -ENOMEM/-EINTR (then nothing runs).
	int start(thread_job *job, const char *name) noexcept
	{
		if (t_)
			return -ebusy;	// one job per thread object
		return ioview_shim_thread_start(job, name, &t_);
	}

	/// Waits until the job has returned; nothing if not started or already joined.
	void join() noexcept
	{
		if (t_) {
			ioview_shim_thread_join(t_);
			t_ = nullptr;
		}
	}

private:
	ioview_thread *t_ = nullptr;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_THREAD_H
