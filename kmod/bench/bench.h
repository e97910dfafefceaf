// SPDX-License-Identifier: GPL-2.0
//
// The in-kernel micro-benchmark of ioview.ko (bench=1): the same MMIO work
// through views and through the kernel's C accessors, timed in one run on
// the devices the module is bound to, reported as ratios.
//
//     if (ioview_shim_bench_requested())
//             ioview::kernel::bench::run();   // logs "ioview bench: ..." lines
#ifndef IOVIEW_KMOD_BENCH_H
#define IOVIEW_KMOD_BENCH_H

#include <ioview/support.h>

namespace ioview::kernel::bench {

/**
 * Runs every benchmark whose device is bound and logs one line per figure:
 *
 *     ioview bench: mmio_read32 ... view <ns>/op, C <ns>/op, ratio <view/C>
 *     ioview bench: memcpy_toio_64k ... view <ns>, C <ns>, ratio <view/C>
 *
 * and "ioview bench: done" last.  A benchmark whose device is missing logs
 * "skipped" with the reason.  Returns the number of benchmarks that ran.
 * Takes the device lock of each function for the length of its benchmark.
 */
usize run() noexcept;

} // namespace ioview::kernel::bench

#endif // IOVIEW_KMOD_BENCH_H
