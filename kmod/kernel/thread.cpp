// SPDX-License-Identifier: GPL-2.0
//
// The C++ end of shim/thread.c: a started thread's context is the
// thread_job it was given (kernel/thread.h).
#include "kernel/thread.h"

void ioview_driver_thread(void *ctx)
{
	auto *job = static_cast<ioview::kernel::thread_job *>(ctx);

	job->run(job);
}
