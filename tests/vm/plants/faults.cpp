// SPDX-License-Identifier: GPL-2.0
// The faults, in C++ with C++ linkage, so that the kernel's reports must name
// (mangled) C++ functions: KASAN instruments the accesses only if ioview.mk
// gave this object the kernel's KASAN flags, and the lockdep chain shows the
// functions only if ORC unwinds through C++ code.
#include "faults.h"

namespace ioview_faults {

// Declared first: the kernel's -Wmissing-declarations holds for C++ too.
void write_past_end(char *p, unsigned long size);
int read_after_free(const volatile char *p);
void take_in_order(faults_lock *first, faults_lock *second);

// noinline: each fault must happen in a function of its own name.
[[gnu::noinline]] void write_past_end(char *p, unsigned long size)
{
	p[size] = 1;   // one byte past the buffer: slab-out-of-bounds
}

[[gnu::noinline]] int read_after_free(const volatile char *p)
{
	return p[0];   // after kfree: slab-use-after-free
}

[[gnu::noinline]] void take_in_order(faults_lock *first, faults_lock *second)
{
	faults_acquire(first);
	faults_acquire(second);
	faults_release(second);
	faults_release(first);
}

} // namespace ioview_faults

extern "C" int ioview_faults_oob(unsigned long size)
{
	auto *p = static_cast<char *>(faults_kmalloc(size));
	if (!p)
		return -1;
	ioview_faults::write_past_end(p, size);
	faults_kfree(p);
	return 0;
}

extern "C" int ioview_faults_uaf(unsigned long size)
{
	auto *p = static_cast<char *>(faults_kmalloc(size));
	if (!p)
		return -1;
	faults_kfree(p);
	return ioview_faults::read_after_free(p) & 0;
}

// A then B, then B then A: lockdep reports the circular dependency on the
// second call although no deadlock happens in one thread.
extern "C" void ioview_faults_lock_inversion(void)
{
	ioview_faults::take_in_order(faults_lock_a(), faults_lock_b());
	ioview_faults::take_in_order(faults_lock_b(), faults_lock_a());
}
