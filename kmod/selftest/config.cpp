// SPDX-License-Identifier: GPL-2.0
//
// PCI configuration space through ioview views, on QEMU's edu and
// ivshmem-plain: the typed type 0 header against the values QEMU gives and
// against the PCI core's own copies, the capability walk against the
// kernel's pci_find_capability(), the BAR flags of ivshmem's shared memory,
// a write to the interrupt line register read back and restored, the try_
// accessors refusing bad offsets without calling the kernel, and the
// extended view refused on these 256-byte functions (QEMU's `pc` machine
// has no ECAM, so the PCI core finds no extended space), and the inline
// PCIBIOS-to-errno mapping of kernel/config.h against the kernel's.
#include <ioview/ioview.h>

#include "kernel/config.h"
#include "selftest/device.h"
#include "selftest/suites.h"

namespace ioview::kernel::selftest {

namespace {

constexpr u16 edu_vendor = 0x1234;
constexpr u16 edu_device = 0x11e8;
constexpr u8 edu_revision = 0x10;
constexpr u32 edu_class = 0x00ff00;	// PCI_CLASS_OTHERS as QEMU sets it: base 0x00, sub 0xff

constexpr u16 ivshmem_vendor = 0x1af4;
constexpr u16 ivshmem_device = 0x1110;
constexpr u8 ivshmem_revision = 0x01;
constexpr u32 ivshmem_class = 0x050000;	// memory controller, RAM

constexpr const char *no_edu = "no edu function bound to ioview";
constexpr const char *no_ivshmem = "no ivshmem-plain function bound to ioview";

// The start of an MSI capability: id, next, message control.
struct msi_head {
	u8 id;
	u8 next;
	le16 control;
};
constexpr u16 msi_control_64bit = 0x0080;

// The kernel accessors, counting calls, to show that a refused try_ access
// never reaches the PCI core.
struct counting_config_accessors : kernel_config_accessors {
	static inline usize calls;
	static int read8(pci_dev *d, unsigned off, u8 *v) noexcept
	{
		++calls;
		return kernel_config_accessors::read8(d, off, v);
	}
	static int read16(pci_dev *d, unsigned off, u16 *v) noexcept
	{
		++calls;
		return kernel_config_accessors::read16(d, off, v);
	}
	static int read32(pci_dev *d, unsigned off, u32 *v) noexcept
	{
		++calls;
		return kernel_config_accessors::read32(d, off, v);
	}
	static int write8(pci_dev *d, unsigned off, u8 v) noexcept
	{
		++calls;
		return kernel_config_accessors::write8(d, off, v);
	}
	static int write16(pci_dev *d, unsigned off, u16 v) noexcept
	{
		++calls;
		return kernel_config_accessors::write16(d, off, v);
	}
	static int write32(pci_dev *d, unsigned off, u32 v) noexcept
	{
		++calls;
		return kernel_config_accessors::write32(d, off, v);
	}
};
using counting_config = config_space<counting_config_accessors>;

} // namespace

} // namespace ioview::kernel::selftest

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::selftest::msi_head> = true;

namespace ioview::kernel::selftest {

namespace {

// Runs body(pdev, cfg) with the function of @kind held and its 256-byte
// view open; skips when no such function is bound.
template <typename Body> verdict on_config(context &t, ioview_device_kind kind, const char *missing, Body body)
{
	selftest_device dev(kind);
	if (!dev)
		return t.skip("%s", missing);
	auto cfg = config_view(dev.get());
	if (!cfg)
		return t.fail("config_view failed with %d", cfg.error());
	return body(dev.get(), cfg.value());
}

using config_view_type = view<kconfig, pci::normal_config>;

// Vendor, device and revision through the typed header, checked against
// the wanted values and against what the PCI core read at enumeration.
verdict ids_match(context &t, pci_dev *pdev, config_view_type cfg, u16 want_vendor, u16 want_device, u8 want_rev)
{
	auto hdr = pci::header(cfg);
	auto vendor = IOVIEW_PROJECT(hdr, vendor_id).read_val();
	auto device = IOVIEW_PROJECT(hdr, device_id).read_val();
	auto rev = IOVIEW_PROJECT(hdr, revision_id).read_val();
	if (!vendor || !device || !rev)
		return t.fail("header reads failed: %d/%d/%d", vendor.error(), device.error(), rev.error());
	if (vendor.value().get() != want_vendor || device.value().get() != want_device || rev.value() != want_rev)
		return t.fail("ids %04x:%04x rev %#x, want %04x:%04x rev %#x", vendor.value().get(),
			      device.value().get(), rev.value(), want_vendor, want_device, want_rev);
	ioview_pci_ids ids;
	ioview_shim_pci_ids(pdev, &ids);
	if (ids.vendor != want_vendor || ids.device != want_device || ids.revision != want_rev)
		return t.fail("the PCI core has %04x:%04x rev %#x", ids.vendor, ids.device, ids.revision);
	return t.pass();
}

// The three class code bytes through the header, as one 24-bit number,
// against the wanted value and the PCI core's pdev->class.
verdict class_matches(context &t, pci_dev *pdev, config_view_type cfg, u32 want)
{
	auto hdr = pci::header(cfg);
	auto base = IOVIEW_PROJECT(hdr, base_class).read_val();
	auto sub = IOVIEW_PROJECT(hdr, subclass).read_val();
	auto prog = IOVIEW_PROJECT(hdr, prog_if).read_val();
	if (!base || !sub || !prog)
		return t.fail("class reads failed: %d/%d/%d", base.error(), sub.error(), prog.error());
	u32 code = static_cast<u32>(base.value()) << 16 | static_cast<u32>(sub.value()) << 8 | prog.value();
	if (code != want)
		return t.fail("class code %#08x, want %#08x", code, want);
	ioview_pci_ids ids;
	ioview_shim_pci_ids(pdev, &ids);
	if (ids.class_code != code)
		return t.fail("class code %#08x, the PCI core has %#08x", code, ids.class_code);
	return t.pass();
}

verdict edu_ids_through_the_header(context &t)
{
	return on_config(t, IOVIEW_DEVICE_EDU, no_edu, [&](pci_dev *pdev, config_view_type cfg) {
		return ids_match(t, pdev, cfg, edu_vendor, edu_device, edu_revision);
	});
}

verdict edu_class_and_header_type(context &t)
{
	return on_config(t, IOVIEW_DEVICE_EDU, no_edu, [&](pci_dev *pdev, config_view_type cfg) {
		if (class_matches(t, pdev, cfg, edu_class) != verdict::pass)
			return verdict::fail;
		auto type = IOVIEW_PROJECT(pci::header(cfg), header_type).read_val();
		if (!type)
			return t.fail("header type read failed with %d", type.error());
		// A single-function type 0 header: no multi-function bit either.
		if (type.value() != pci::header_type_normal)
			return t.fail("header type %#x, want %#x", type.value(), pci::header_type_normal);
		return t.pass();
	});
}

verdict edu_capability_walk_finds_msi(context &t)
{
	return on_config(t, IOVIEW_DEVICE_EDU, no_edu, [&](pci_dev *pdev, config_view_type cfg) {
		auto st = IOVIEW_PROJECT(pci::header(cfg), status).read_val();
		if (!st || !(st.value().get() & pci::status_cap_list))
			return t.fail("status %#x (error %d): no capability list", st.value_or(le16{}).get(), st.error());
		auto pos = pci::find_capability(cfg, pci::cap_msi);
		if (!pos)
			return t.fail("find_capability(MSI) failed with %d", pos.error());
		usize off = pos.value();
		if (off < pci::first_capability_offset || off >= pci::normal_config_size || off % 4 != 0)
			return t.fail("MSI at %#zx: not a capability offset", off);
		int kernel = ioview_shim_pci_find_capability(pdev, pci::cap_msi);
		if (static_cast<usize>(kernel) != off)
			return t.fail("MSI at %#zx, pci_find_capability() says %#x", off, kernel);

		// The capability's own bytes, projected at the runtime offset.
		auto cap = pci::find_capability_header(cfg, pci::cap_msi);
		if (!cap || cap.value().address() != off)
			return t.fail("find_capability_header: error %d", cap.error());
		auto id = IOVIEW_PROJECT(cap.value(), id).read_val();
		if (!id || id.value() != pci::cap_msi)
			return t.fail("id byte at %#zx reads %#x (error %d), want %#x", off, id.value_or(0), id.error(),
				      pci::cap_msi);
		auto msi = cfg.try_at_offset<msi_head>(off);
		if (!msi)
			return t.fail("try_at_offset<msi_head>(%#zx) failed with %d", off, msi.error());
		auto control = IOVIEW_PROJECT(msi.value(), control).read_val();
		// QEMU's edu asks for a 64-bit capable MSI.
		if (!control || !(control.value().get() & msi_control_64bit))
			return t.fail("MSI control %#x (error %d): not 64-bit capable", control.value_or(le16{}).get(),
				      control.error());
		return t.pass();
	});
}

verdict edu_absent_capabilities_are_enoent(context &t)
{
	return on_config(t, IOVIEW_DEVICE_EDU, no_edu, [&](pci_dev *pdev, config_view_type cfg) {
		// On the `pc` machine edu is a conventional PCI function: no PCI
		// Express capability, and QEMU gives it no power management one.
		static constexpr u8 absent[] = { pci::cap_pcie, pci::cap_pm, pci::cap_msix };
		for (u8 cap : absent) {
			auto pos = pci::find_capability(cfg, cap);
			if (pos.error() != -enoent)
				return t.fail("capability %#x: offset %#zx / error %d, want %d", cap, pos.value_or(0),
					      pos.error(), -enoent);
			int kernel = ioview_shim_pci_find_capability(pdev, cap);
			if (kernel != 0)
				return t.fail("capability %#x: pci_find_capability() found it at %#x", cap, kernel);
		}
		return t.pass();
	});
}

verdict ivshmem_ids_and_class(context &t)
{
	return on_config(t, IOVIEW_DEVICE_IVSHMEM, no_ivshmem, [&](pci_dev *pdev, config_view_type cfg) {
		if (ids_match(t, pdev, cfg, ivshmem_vendor, ivshmem_device, ivshmem_revision) != verdict::pass)
			return verdict::fail;
		return class_matches(t, pdev, cfg, ivshmem_class);
	});
}

verdict ivshmem_bar2_is_64bit_prefetchable_memory(context &t)
{
	return on_config(t, IOVIEW_DEVICE_IVSHMEM, no_ivshmem, [&](pci_dev *pdev, config_view_type cfg) {
		auto hdr = pci::header(cfg);
		auto bar0 = IOVIEW_PROJECT(hdr, bars[0]).read_val();
		auto bar2 = IOVIEW_PROJECT(hdr, bars[2]).read_val();
		auto bar3 = IOVIEW_PROJECT(hdr, bars[3]).read_val();
		if (!bar0 || !bar2 || !bar3)
			return t.fail("BAR reads failed: %d/%d/%d", bar0.error(), bar2.error(), bar3.error());
		u32 lo = bar2.value().get();
		constexpr u32 want_flags = pci::bar_mem_type_64 | pci::bar_mem_prefetch;	// memory space: bit 0 clear
		if ((lo & ~pci::bar_mem_mask) != want_flags)
			return t.fail("BAR2 flags %#x, want %#x (64-bit prefetchable memory)", lo & ~pci::bar_mem_mask,
				      want_flags);
		// The register block in BAR0 is 32-bit, non-prefetchable memory.
		if ((bar0.value().get() & ~pci::bar_mem_mask) != 0)
			return t.fail("BAR0 flags %#x, want 0", bar0.value().get() & ~pci::bar_mem_mask);
		u64 addr = static_cast<u64>(bar3.value().get()) << 32 | (lo & pci::bar_mem_mask);
		unsigned long long len = ioview_shim_pci_bar_len(pdev, 2);
		// A BAR is aligned to its (power of two) size.
		if (addr == 0 || len == 0 || addr % len != 0)
			return t.fail("BAR2 at %#llx, %llu bytes: not a placed BAR", static_cast<unsigned long long>(addr),
				      len);
		return t.pass();
	});
}

verdict ivshmem_has_no_capability_list(context &t)
{
	// QEMU's ivshmem-plain registers no capability (MSI-X comes only with
	// ivshmem-doorbell) and is conventional PCI on the `pc` machine: the
	// status register says there is no list, so every walk is -ENOENT.
	return on_config(t, IOVIEW_DEVICE_IVSHMEM, no_ivshmem, [&](pci_dev *pdev, config_view_type cfg) {
		auto st = IOVIEW_PROJECT(pci::header(cfg), status).read_val();
		if (!st)
			return t.fail("status read failed with %d", st.error());
		if (st.value().get() & pci::status_cap_list)
			return t.fail("status %#x has the capability-list bit", st.value().get());
		static constexpr u8 ids[] = { pci::cap_msi, pci::cap_msix, pci::cap_pm, pci::cap_pcie };
		for (u8 cap : ids) {
			auto pos = pci::find_capability(cfg, cap);
			if (pos.error() != -enoent)
				return t.fail("capability %#x: offset %#zx / error %d, want %d", cap, pos.value_or(0),
					      pos.error(), -enoent);
			if (ioview_shim_pci_find_capability(pdev, cap) != 0)
				return t.fail("capability %#x: pci_find_capability() disagrees", cap);
		}
		return t.pass();
	});
}

// Runs the refusals through counting accessors on edu's configuration
// space; none may reach the kernel, and the interrupt line (which a
// misaligned write at 0x3d would overlap) must be unchanged.
template <typename Refusals> verdict refused_without_access(context &t, Refusals refusals)
{
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);
	auto cfg = counting_config::try_view<pci::normal_config>(edu.get(), pci::normal_config_size);
	if (!cfg)
		return t.fail("try_view failed with %d", cfg.error());
	auto before = cfg.value().try_read8(0x3c);
	if (!before)
		return t.fail("an in-range try_read8 failed with %d", before.error());
	counting_config_accessors::calls = 0;
	verdict v = refusals(t, cfg.value());
	if (v != verdict::pass)
		return v;
	if (counting_config_accessors::calls != 0)
		return t.fail("%zu refused accesses reached the kernel", counting_config_accessors::calls);
	auto after = cfg.value().try_read8(0x3c);
	if (!after || after.value() != before.value())
		return t.fail("interrupt line changed: %#x -> %#x", before.value(), after.value_or(0));
	return t.pass();
}

verdict try_refuses_out_of_range(context &t)
{
	return refused_without_access(t, [](context &c, view<counting_config, pci::normal_config> cfg) {
		auto r8 = cfg.try_read8(0x100);
		auto r32 = cfg.try_read32(0x100);
		auto w16 = cfg.try_write16(0xff, 0xffff);	// straddles the end
		auto w32 = cfg.try_write32(static_cast<usize>(-4), 0);
		if (r8.error() != -erange || r32.error() != -erange || w16.error() != -erange || w32.error() != -erange)
			return c.fail("errors %d/%d/%d/%d, want %d", r8.error(), r32.error(), w16.error(), w32.error(),
				      -erange);
		return c.pass();
	});
}

verdict try_refuses_misaligned(context &t)
{
	return refused_without_access(t, [](context &c, view<counting_config, pci::normal_config> cfg) {
		auto r16 = cfg.try_read16(0x3d);
		auto r32 = cfg.try_read32(0x3e);
		auto w32 = cfg.try_write32(0x3d, 0xdeadbeef);	// would overlap the interrupt line
		auto w16 = cfg.try_write16(0x3b, 0xbeef);
		if (r16.error() != -einval || r32.error() != -einval || w32.error() != -einval || w16.error() != -einval)
			return c.fail("errors %d/%d/%d/%d, want %d", r16.error(), r32.error(), w32.error(), w16.error(),
				      -einval);
		return c.pass();
	});
}

verdict interrupt_line_write_reads_back(context &t)
{
	// The interrupt line register is read/write scratch for the OS (the
	// kernel keeps the IRQ in pdev->irq and this driver uses none), so a
	// write is harmless; the original value is put back.
	return on_config(t, IOVIEW_DEVICE_EDU, no_edu, [&](pci_dev *, config_view_type cfg) {
		auto line = IOVIEW_PROJECT(pci::header(cfg), interrupt_line);
		auto orig = line.read_val();
		if (!orig)
			return t.fail("read failed with %d", orig.error());
		u8 pattern = static_cast<u8>(orig.value() ^ 0xa5);
		auto w = line.write_val(pattern);
		auto got = line.read_val();
		auto restore = line.write_val(orig.value());
		auto restored = line.read_val();
		if (!w || !got || got.value() != pattern)
			return t.fail("wrote %#x (error %d), read %#x (error %d)", pattern, w.error(), got.value_or(0),
				      got.error());
		if (!restore || !restored || restored.value() != orig.value())
			return t.fail("restoring %#x: error %d, reads %#x", orig.value(), restore.error(),
				      restored.value_or(0));
		return t.pass();
	});
}

verdict extended_view_refused(context &t)
{
	static constexpr struct {
		ioview_device_kind kind;
		const char *missing;
	} functions[] = { { IOVIEW_DEVICE_EDU, no_edu }, { IOVIEW_DEVICE_IVSHMEM, no_ivshmem } };
	for (const auto &f : functions) {
		selftest_device dev(f.kind);
		if (!dev)
			return t.skip("%s", f.missing);
		int size = ioview_shim_pci_cfg_size(dev.get());
		if (size != static_cast<int>(pci::normal_config_size))
			return t.fail("cfg_size %d, want %zu (the pc machine has no extended space)", size,
				      pci::normal_config_size);
		auto ext = extended_config_view(dev.get());
		if (ext.error() != -eopnotsupp)
			return t.fail("extended_config_view gave %d, want %d", ext.error(), -eopnotsupp);
	}
	auto none = extended_config_view(nullptr);
	auto none_normal = config_view(nullptr);
	if (none.error() != -efault || none_normal.error() != -efault)
		return t.fail("null device: %d/%d, want %d", none.error(), none_normal.error(), -efault);
	return t.pass();
}

verdict kernel_refuses_past_the_function(context &t)
{
	// A view that claims 4096 bytes of a 256-byte function: the backend's
	// raw constructor trusts the size it is given (kernel/config.h's views
	// ask the PCI core instead), so this is what a wrong caller could make.
	// The accessors are the kernel's own pci_*_config_*(), called directly:
	// on this machine (type 1 access, no ECAM) the kernel refuses every
	// offset past 255, and its error reaches the caller, through the walk
	// too, while the last word inside still reads.
	selftest_device edu(IOVIEW_DEVICE_EDU);
	if (!edu)
		return t.skip("%s", no_edu);
	auto lying = kconfig::try_view<pci::extended_config>(edu.get(), pci::extended_config_size).value();
	auto r32 = lying.try_read32(0x100);
	auto w8 = lying.try_write8(0xfff, 0);
	auto r16 = lying.try_read16(0xfe);	// the last word inside: allowed
	auto walk = pci::find_ext_capability(lying, pci::ext_cap_aer);
	if (r32.ok() || w8.ok() || walk.ok() || walk.error() != r32.error())
		return t.fail("results %d/%d/%d, want three errors, the walk's the read's", r32.error(), w8.error(),
			      walk.error());
	if (!r16)
		return t.fail("read16 at 0xfe failed with %d", r16.error());
	return t.pass();
}

// kernel/config.h maps PCIBIOS codes to errnos itself, inline; the kernel's
// pcibios_err_to_errno() must agree on every code, the PCIBIOS ones
// (0x81..0x89), those around and between them, and errnos passing through.
verdict pcibios_mapping_matches_the_kernel(context &t)
{
	usize differ = 0;
	int first = 0;
	for (int err = -200; err <= 300; ++err) {
		if (pcibios_err_to_errno(err) != ioview_shim_pcibios_err_to_errno(err)) {
			if (differ++ == 0)
				first = err;
		}
	}
	if (differ != 0)
		return t.fail("%zu codes map differently, first %d: C++ %d, kernel %d", differ, first,
			      pcibios_err_to_errno(first), ioview_shim_pcibios_err_to_errno(first));
	// Not vacuous: the kernel's mapping was really consulted for the codes that matter.
	if (ioview_shim_pcibios_err_to_errno(IOVIEW_PCIBIOS_DEVICE_NOT_FOUND) != -enodev ||
	    ioview_shim_pcibios_err_to_errno(IOVIEW_PCIBIOS_BAD_VENDOR_ID) != -enotty)
		return t.fail("the kernel maps DEVICE_NOT_FOUND to %d, BAD_VENDOR_ID to %d",
			      ioview_shim_pcibios_err_to_errno(IOVIEW_PCIBIOS_DEVICE_NOT_FOUND),
			      ioview_shim_pcibios_err_to_errno(IOVIEW_PCIBIOS_BAD_VENDOR_ID));
	return t.pass();
}

constinit const test_case config_cases[] = {
	{ "edu_ids_through_the_header", edu_ids_through_the_header },
	{ "edu_class_and_header_type", edu_class_and_header_type },
	{ "edu_capability_walk_finds_msi", edu_capability_walk_finds_msi },
	{ "edu_absent_capabilities_are_enoent", edu_absent_capabilities_are_enoent },
	{ "ivshmem_ids_and_class", ivshmem_ids_and_class },
	{ "ivshmem_bar2_is_64bit_prefetchable_memory", ivshmem_bar2_is_64bit_prefetchable_memory },
	{ "ivshmem_has_no_capability_list", ivshmem_has_no_capability_list },
	{ "try_refuses_out_of_range", try_refuses_out_of_range },
	{ "try_refuses_misaligned", try_refuses_misaligned },
	{ "interrupt_line_write_reads_back", interrupt_line_write_reads_back },
	{ "extended_view_refused", extended_view_refused },
	{ "kernel_refuses_past_the_function", kernel_refuses_past_the_function },
	{ "pcibios_mapping_matches_the_kernel", pcibios_mapping_matches_the_kernel },
};

} // namespace

constinit const suite config_suite{ "ioview_config", config_cases };

} // namespace ioview::kernel::selftest
