// SPDX-License-Identifier: GPL-2.0
//
// The suites ioview.ko runs with selftest=1, in KTAP order, and those it
// runs only by name (selftest_suite=NAME).  Each is
// defined (with constant initialisation only) in its own selftest_*.cpp.
#ifndef IOVIEW_KMOD_SELFTEST_SUITES_H
#define IOVIEW_KMOD_SELFTEST_SUITES_H

#include "selftest/selftest.h"

namespace ioview::kernel::selftest {

/// The harness checking itself: diagnostics, verdicts (selftest/core.cpp).
extern const suite harness_suite;
/// The view library on kernel memory: projection, checks, copies (selftest/core.cpp).
extern const suite sysmem_suite;
/// The kernel MMIO backend on kernel memory: inline vs shim accessors (selftest/mmio.cpp).
extern const suite mmio_suite;
/// bar_mapping on ivshmem's BAR0 (size check, exclusivity, ownership) and on edu's, held by the driver (selftest/bar.cpp).
extern const suite bar_suite;
/// edu's BAR0 registers through the driver's view (selftest/edu.cpp).
extern const suite edu_suite;
/// The benchmark pairs doing the same work in C and C++ (selftest/bench_pairs.cpp).
extern const suite bench_pairs_suite;
/// DMA-coherent memory of edu: allocation, DMA addresses of views, edu's DMA engine (selftest/coherent.cpp).
extern const suite coherent_suite;
/// ivshmem's BAR2 through views, bar_mapping and iomem_mapping; leaves the host witness (selftest/ivshmem.cpp).
extern const suite ivshmem_suite;
/// The edu driver: factorial, interrupts, DMA through its operations (selftest/edu_driver.cpp).
extern const suite edu_driver_suite;
/// PCI configuration space of edu and ivshmem-plain through views (selftest/config.cpp).
extern const suite config_suite;
/// The netlink family's device side, by PCI name: lists, config space, registers, refusals (selftest/control.cpp).
extern const suite control_suite;
/// Unbinding and binding the driver's functions under held references (selftest/lifetime.cpp).
extern const suite lifetime_suite;

/// The ivshmem mailbox against the host peer (selftest/mailbox.cpp); on demand only.
extern const suite mailbox_suite;
/// The netlink family's mailbox operations that open it: send, close, BAR2 given back (selftest/control.cpp); on demand only.
extern const suite control_mailbox_suite;

/// Every suite of the module, in the order they run and are numbered.
inline constexpr const suite *module_suites[] = {
	&harness_suite,
	&sysmem_suite,
	&mmio_suite,
	&bar_suite,
	&edu_suite,
	&bench_pairs_suite,
	&coherent_suite,
	&ivshmem_suite,
	&config_suite,
	&edu_driver_suite,
	&control_suite,
	&lifetime_suite,
};

/**
 * Suites run only when named (selftest_suite=NAME, or selftest-run with a
 * suite): the mailbox's cases need a host peer (mailbox_peer=1), which only
 * the VM case that starts one provides, and a run of every suite counts a
 * skipped case as a failure; ioview_control_mailbox opens the mailbox,
 * which a host peer waiting for the guest (60-mailbox's, from boot) would
 * take for the guest coming up.
 */
inline constexpr const suite *on_demand_suites[] = {
	&mailbox_suite,
	&control_mailbox_suite,
};

} // namespace ioview::kernel::selftest

#endif // IOVIEW_KMOD_SELFTEST_SUITES_H
