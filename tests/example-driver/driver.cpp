// SPDX-License-Identifier: GPL-2.0
//
// edu_example's driver: QEMU edu's identification and liveness registers,
// read through a typed view of BAR0.  The kernel is reached only through
// edu_example.h.
#include <ioview/ioview.h>

#include "edu_example.h"

namespace {

// The shim's accessors, as the view library's MMIO backend.
struct shim_accessors {
	static ioview::u8 read8(const volatile void *a) { return edu_example_readb(a); }
	static ioview::u16 read16(const volatile void *a) { return edu_example_readw(a); }
	static ioview::u32 read32(const volatile void *a) { return edu_example_readl(a); }
	static void write8(ioview::u8 v, volatile void *a) { edu_example_writeb(v, a); }
	static void write16(ioview::u16 v, volatile void *a) { edu_example_writew(v, a); }
	static void write32(ioview::u32 v, volatile void *a) { edu_example_writel(v, a); }
};
using mmio = ioview::mmio<shim_accessors>;

// BAR0, 1 MiB; its first two registers (QEMU's docs/specs/edu.rst).
struct bar0_tag;
using bar0 = ioview::region<0x100000, bar0_tag>;

struct identification : ioview::reg<identification, ioview::u32, 0x00, bar0> {
	static constexpr field<31, 24, ioview::ro> major{};
	static constexpr field<23, 16, ioview::ro> minor{};
	static constexpr field<15, 8, ioview::rsvd_zero> reserved{};
	static constexpr field<7, 0, ioview::ro> magic{};
	static constexpr field_list<major, minor, reserved, magic> fields{};
};

// Reads back the bitwise NOT of the last value written.
struct liveness : ioview::reg<liveness, ioview::u32, 0x04, bar0> {
	static constexpr field<31, 0> data{};
	static constexpr field_list<data> fields{};
};

constexpr ioview::u32 edu_magic = 0xed;
constexpr ioview::u32 liveness_pattern = 0x5aa5c33c;

} // namespace

// extern "C" again, so a definition that drifts from edu_example.h conflicts
// with it (a compile error) instead of declaring a C++ overload.
extern "C" int edu_example_probe(struct pci_dev *pdev, volatile void *base, unsigned long len)
{
	auto bar = mmio::try_view<bar0>(base, len);	// -EINVAL if BAR0 is smaller
	if (!bar)
		return bar.error();
	auto id = identification::read(bar.value());
	if (id.get(identification::magic) != edu_magic)
		return -ioview::enodev;
	liveness::write(bar.value(), liveness::value::from_raw(liveness_pattern));
	ioview::u32 echo = liveness::read(bar.value()).get(liveness::data);
	edu_example_log(pdev, "edu %u.%u (identification 0x%08x), liveness 0x%08x -> 0x%08x\n",
			id.get(identification::major), id.get(identification::minor), id.raw(),
			liveness_pattern, echo);
	return echo == static_cast<ioview::u32>(~liveness_pattern) ? 0 : -ioview::enodev;
}
