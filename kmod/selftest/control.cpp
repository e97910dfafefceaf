// SPDX-License-Identifier: GPL-2.0
//
// The device side of the netlink family (driver/control.cpp), called the
// way shim/netlink.c calls it, by PCI name: the device list, configuration
// space under the sysfs file's rules, the register map and its accesses,
// edu's units and the mailbox's refusals.  Every refusal is checked for
// its errno, its fault and the attribute it names, and, where it matters,
// for having touched nothing (the value read back afterwards).
//
// Unlike the other device suites these cases do not hold the function's
// device lock: ivshmem's register accesses take it themselves, as they do
// for a netlink request.
//
// ioview_control never opens the mailbox: an open shows the guest to the
// host (init() writes the header the host peer attaches to), and a host
// that waits for the guest, as 60-mailbox's first peer does from boot on,
// would take a self-test's open for the guest's.  What needs it open (a
// send opening it, the close that frees BAR2 again, a close cutting short
// a waiting receive) is ioview_control_mailbox, run only by name, by
// tests/vm's 65-shm-ctl once its host peer has left.
#include <ioview/ioview.h>

#include "devices/edu.h"
#include "devices/ivshmem.h"
#include "driver/control.h"
#include "driver/mailbox.h"
#include "driver/mailbox_errno.h"
#include "kernel/bar_mapping.h"
#include "kernel/errno.h"
#include "kernel/thread.h"
#include "selftest/suites.h"
#include "shim/shim.h"

namespace ioview::kernel::selftest {

namespace {

namespace hw = ioview::devices::edu;

constexpr const char *no_device = "edu and ivshmem are not both bound to ioview";
constexpr const char *absent = "0000:ff:1f.7";
constexpr int emsgsize = ioview::driver::mailbox::emsgsize;
constexpr int enotconn = ioview::driver::mailbox::enotconn;

// ivshmem-plain's shared memory BAR, and the first page of it: mapping any T maps the whole BAR.
constexpr int bar2_number = 2;
struct bar2_tag;
using bar2_page = region<0x1000, bar2_tag>;

// The names of the bound edu and ivshmem functions, from the device list itself.
struct functions {
	char edu[IOVIEW_CTL_NAME_LEN];
	char ivshmem[IOVIEW_CTL_NAME_LEN];
	bool found;
};

functions find_functions()
{
	functions f{};
	bool edu = false, ivshmem = false;
	unsigned int generation;
	ioview_ctl_dev d;

	for (unsigned long i = 0; !ioview_driver_ctl_dev_at(i, &generation, &d); ++i) {
		if (d.kind == IOVIEW_DEVICE_EDU && !edu) {
			control::copy_name(f.edu, d.name);
			edu = true;
		}
		if (d.kind == IOVIEW_DEVICE_IVSHMEM && !ivshmem) {
			control::copy_name(f.ivshmem, d.name);
			ivshmem = true;
		}
	}
	f.found = edu && ivshmem;
	return f;
}

// A refusal: the errno, the fault and the attribute expected.
bool refused(context &t, const char *what, int err, const ioview_ctl_status &st, int want_err, ioview_ctl_fault fault,
	     ioview_ctl_arg arg)
{
	if (err == want_err && st.fault == fault && st.arg == arg)
		return true;
	t.fail("%s: %d, fault %d, attribute %d; want %d, fault %d, attribute %d", what, err, st.fault, st.arg, want_err,
	       fault, arg);
	return false;
}

// Maps all of ivshmem's BAR2 and lets it go again, as the ioview_ivshmem_bar2 self-tests do:
// -EBUSY while any part of it is requested (an open mailbox's).  Under the device lock, as
// control.cpp maps ivshmem's BAR0, so that the function stays bound meanwhile.
int take_bar2(const control::bound_ref &ref)
{
	pci_dev *pdev = ref.pdev();

	if (ioview_shim_pci_device_lock_interruptible(pdev))
		return -eintr;
	int err = ref.gone() ? -enodev : bar_mapping<bar2_page>::map(pdev, bar2_number).error();
	ioview_shim_pci_device_unlock(pdev);
	return err;
}

verdict device_list_has_both_functions(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	unsigned int first = 0, generation = 0;
	ioview_ctl_dev d;
	unsigned long n = 0;
	for (; !ioview_driver_ctl_dev_at(n, &generation, &d); ++n) {
		if (n == 0)
			first = generation;
		if (generation != first || !generation)
			return t.fail("the generation went %u -> %u with nothing bound or unbound", first, generation);
	}
	if (n != 2)
		return t.fail("%lu functions listed, want 2", n);

	ioview_ctl_status st{};
	if (int err = ioview_driver_ctl_dev_get(f.edu, &d, &st))
		return t.fail("dev_get(%s) = %d", f.edu, err);
	if (d.ids.vendor != hw::vendor_id || d.ids.device != hw::device_id || d.bar_len[0] != hw::bar_bytes ||
	    !d.bar_mem[0])
		return t.fail("edu reads as %04x:%04x, BAR0 %llu bytes (mem %u)", d.ids.vendor, d.ids.device, d.bar_len[0],
			      d.bar_mem[0]);
	if (d.irq_kind == IOVIEW_CTL_IRQ_NONE || d.irq <= 0)
		return t.fail("edu's interrupt is kind %d, number %d", d.irq_kind, d.irq);
	if (int err = ioview_driver_ctl_dev_get(f.ivshmem, &d, &st))
		return t.fail("dev_get(%s) = %d", f.ivshmem, err);
	if (d.irq_kind != IOVIEW_CTL_IRQ_NONE || d.bar_len[0] != devices::ivshmem::registers_bytes || !d.bar_len[2])
		return t.fail("ivshmem: interrupt kind %d, BAR0 %llu bytes, BAR2 %llu", d.irq_kind, d.bar_len[0],
			      d.bar_len[2]);
	int err = ioview_driver_ctl_dev_get(absent, &d, &st);
	if (!refused(t, "an absent function", err, st, -enodev, IOVIEW_CTL_NO_DEVICE, IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	return t.pass();
}

verdict config_span_follows_the_sysfs_rule(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	ioview_ctl_status st{};
	unsigned int n = 0;
	int err = ioview_driver_ctl_config_span(f.edu, 0, 0, 1, &n, &st);
	if (err || (n != 256 && n != 4096))
		return t.fail("a privileged read of everything: %d, %u bytes", err, n);
	unsigned int size = n;
	static constexpr struct {
		unsigned int offset, length, want;
	} unprivileged[] = { { 0, 0, 64 }, { 60, 8, 4 }, { 16, 8, 8 }, { 63, 0, 1 } };
	for (const auto &c : unprivileged) {
		err = ioview_driver_ctl_config_span(f.edu, c.offset, c.length, 0, &n, &st);
		if (err || n != c.want)
			return t.fail("unprivileged %u bytes at %u: %d, %u bytes; want %u", c.length, c.offset, err, n, c.want);
	}
	err = ioview_driver_ctl_config_span(f.edu, 64, 4, 0, &n, &st);
	if (!refused(t, "unprivileged at 64", err, st, -eperm, IOVIEW_CTL_CONFIG_PRIVILEGED, IOVIEW_CTL_ARG_OFFSET))
		return verdict::fail;
	err = ioview_driver_ctl_config_span(f.edu, size, 0, 1, &n, &st);
	if (!refused(t, "at the end", err, st, -erange, IOVIEW_CTL_CONFIG_OFFSET, IOVIEW_CTL_ARG_OFFSET))
		return verdict::fail;
	err = ioview_driver_ctl_config_span(f.edu, size - 4, 8, 1, &n, &st);
	if (!refused(t, "across the end", err, st, -erange, IOVIEW_CTL_CONFIG_LENGTH, IOVIEW_CTL_ARG_LENGTH))
		return verdict::fail;
	return t.pass();
}

verdict config_read_matches_the_accessors(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	control::bound_ref ref = control::acquire_named(f.ivshmem);
	if (!ref)
		return t.skip("ivshmem went away");
	pci_dev *pdev = ref.pdev();
	u8 buf[256];
	ioview_ctl_status st{};
	// The whole header and capabilities, then a span with a byte and a word at each edge.
	static constexpr struct {
		unsigned int offset, count;
	} spans[] = { { 0, 256 }, { 1, 6 }, { 3, 9 }, { 250, 6 } };
	for (const auto &s : spans) {
		if (int err = ioview_driver_ctl_config_read(f.ivshmem, s.offset, s.count, buf, &st))
			return t.fail("%u bytes at %u: %d", s.count, s.offset, err);
		for (unsigned int i = 0; i < s.count; ++i) {
			u8 want = 0;
			if (pci_read_config_byte(pdev, static_cast<int>(s.offset + i), &want))
				return t.fail("pci_read_config_byte(%u) failed", s.offset + i);
			if (buf[i] != want)
				return t.fail("byte %u of %u at %u: %#x, the accessor reads %#x", i, s.count, s.offset, buf[i], want);
		}
	}
	return t.pass();
}

verdict config_write_refuses_before_writing(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	control::bound_ref ref = control::acquire_named(f.edu);
	if (!ref)
		return t.skip("edu went away");
	pci_dev *pdev = ref.pdev();
	constexpr unsigned int interrupt_line = 0x3c;
	u8 saved = 0, now = 0;
	pci_read_config_byte(pdev, interrupt_line, &saved);
	ioview_ctl_status st{};
	int err = ioview_driver_ctl_config_write(f.edu, interrupt_line, 8, 1, &st);
	if (!refused(t, "width 8", err, st, -einval, IOVIEW_CTL_CONFIG_WIDTH, IOVIEW_CTL_ARG_WIDTH))
		return verdict::fail;
	err = ioview_driver_ctl_config_write(f.edu, interrupt_line + 1, 2, 1, &st);
	if (!refused(t, "a misaligned word", err, st, -einval, IOVIEW_CTL_MISALIGNED, IOVIEW_CTL_ARG_OFFSET))
		return verdict::fail;
	err = ioview_driver_ctl_config_write(f.edu, interrupt_line, 1, 0x100 | (saved ^ 0xff), &st);
	if (!refused(t, "a value wider than a byte", err, st, -erange, IOVIEW_CTL_VALUE_TOO_WIDE, IOVIEW_CTL_ARG_VALUE))
		return verdict::fail;
	err = ioview_driver_ctl_config_write(f.edu, 4096, 4, 0, &st);
	if (!refused(t, "past the end", err, st, -erange, IOVIEW_CTL_CONFIG_OFFSET, IOVIEW_CTL_ARG_OFFSET))
		return verdict::fail;
	pci_read_config_byte(pdev, interrupt_line, &now);
	if (now != saved)
		return t.fail("a refused write changed interrupt_line %#x -> %#x", saved, now);
	u8 other = static_cast<u8>(saved ^ 0x5a);
	err = ioview_driver_ctl_config_write(f.edu, interrupt_line, 1, other, &st);
	pci_read_config_byte(pdev, interrupt_line, &now);
	pci_write_config_byte(pdev, interrupt_line, saved);
	if (err || now != other)
		return t.fail("writing %#x to interrupt_line: %d, reads back %#x", other, err, now);
	return t.pass();
}

verdict register_map_is_the_typed_one(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	const ioview_ctl_reg *regs = nullptr;
	unsigned int count = 0;
	ioview_ctl_status st{};
	if (int err = ioview_driver_ctl_reg_map(f.edu, &regs, &count, &st))
		return t.fail("edu's map: %d", err);
	if (count != hw::registers::size)
		return t.fail("edu's map has %u registers, devices/edu.h %zu", count, hw::registers::size);
	const ioview_ctl_reg &status = regs[3];
	if (!devices::same_name(status.name, "status") || status.offset != hw::status::offset || status.width != 4 ||
	    status.field_count != 4 || status.access != IOVIEW_CTL_ACCESS_RW)
		return t.fail("register 3 is %s at %#x, %u bytes, %u fields, access %d", status.name, status.offset,
			      status.width, status.field_count, status.access);
	static constexpr struct {
		const char *name;
		unsigned char hi, lo;
		ioview_ctl_access access;
	} fields[] = { { "reserved_31_8", 31, 8, IOVIEW_CTL_ACCESS_RSVD_ZERO },
		       { "irq_on_completion", 7, 7, IOVIEW_CTL_ACCESS_RW },
		       { "reserved_6_1", 6, 1, IOVIEW_CTL_ACCESS_RSVD_ZERO },
		       { "computing", 0, 0, IOVIEW_CTL_ACCESS_RO } };
	for (unsigned int i = 0; i < 4; ++i) {
		const ioview_ctl_field &g = status.fields[i];
		if (!devices::same_name(g.name, fields[i].name) || g.hi != fields[i].hi || g.lo != fields[i].lo ||
		    g.access != fields[i].access)
			return t.fail("status field %u is %s %u:%u access %d, want %s", i, g.name, g.hi, g.lo, g.access,
				      fields[i].name);
	}
	if (regs[7].width != 8 || regs[7].offset != hw::dma_source::offset || regs[5].access != IOVIEW_CTL_ACCESS_WO)
		return t.fail("dma_source %u bytes at %#x, irq_raise access %d", regs[7].width, regs[7].offset,
			      regs[5].access);
	if (int err = ioview_driver_ctl_reg_map(f.ivshmem, &regs, &count, &st))
		return t.fail("ivshmem's map: %d", err);
	if (count != 4 || regs[1].access != IOVIEW_CTL_ACCESS_RC || regs[3].access != IOVIEW_CTL_ACCESS_WO)
		return t.fail("ivshmem: %u registers, interrupt_status access %d, doorbell %d", count, regs[1].access,
			      regs[3].access);
	return t.pass();
}

verdict register_access_is_checked(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	const ioview_ctl_reg *reg = nullptr;
	unsigned long long v = 0;
	ioview_ctl_status st{};
	ioview_ctl_reg_request by_name{ "identification", 0, 0, 0 };
	int err = ioview_driver_ctl_reg_read(f.edu, &by_name, &reg, &v, &st);
	if (err || v != hw::identification_value || reg->offset != 0)
		return t.fail("identification by name: %d, %#llx", err, v);
	ioview_ctl_reg_request by_offset{ nullptr, 0, 0, 0 };
	const ioview_ctl_reg *same = nullptr;
	err = ioview_driver_ctl_reg_read(f.edu, &by_offset, &same, &v, &st);
	if (err || same != reg || v != hw::identification_value)
		return t.fail("identification by offset: %d, %#llx", err, v);

	static constexpr struct {
		const char *what;
		ioview_ctl_reg_request req;
		int err;
		ioview_ctl_fault fault;
		ioview_ctl_arg arg;
	} refusals[] = {
		{ "no such name", { "nope", 0, 0, 0 }, -enoent, IOVIEW_CTL_REG_UNKNOWN, IOVIEW_CTL_ARG_REGISTER },
		{ "the wrong width by name", { "liveness", 0, 8, 0 }, -einval, IOVIEW_CTL_REG_WIDTH, IOVIEW_CTL_ARG_WIDTH },
		{ "a 64-bit register read as 32", { nullptr, 0x80, 0, 0 }, -einval, IOVIEW_CTL_REG_WIDTH,
		  IOVIEW_CTL_ARG_OFFSET },
		{ "a width of 3", { nullptr, 0, 3, 0 }, -einval, IOVIEW_CTL_REG_WIDTH, IOVIEW_CTL_ARG_WIDTH },
		{ "misaligned", { nullptr, 2, 4, 0 }, -einval, IOVIEW_CTL_MISALIGNED, IOVIEW_CTL_ARG_OFFSET },
		{ "no register there", { nullptr, 0x10, 4, 0 }, -enoent, IOVIEW_CTL_REG_NONE_AT, IOVIEW_CTL_ARG_OFFSET },
		{ "past the BAR", { nullptr, 0x100000, 4, 0 }, -erange, IOVIEW_CTL_REG_OFFSET, IOVIEW_CTL_ARG_OFFSET },
		{ "a write-only register", { "irq_ack", 0, 0, 0 }, -eopnotsupp, IOVIEW_CTL_REG_WRITE_ONLY,
		  IOVIEW_CTL_ARG_REGISTER },
	};
	for (const auto &r : refusals) {
		err = ioview_driver_ctl_reg_read(f.edu, &r.req, &reg, &v, &st);
		if (!refused(t, r.what, err, st, r.err, r.fault, r.arg))
			return verdict::fail;
	}
	ioview_ctl_reg_request ro{ "identification", 0, 0, 0 };
	err = ioview_driver_ctl_reg_write(f.edu, &ro, 1, &reg, &st);
	if (!refused(t, "a read-only register", err, st, -eopnotsupp, IOVIEW_CTL_REG_READ_ONLY, IOVIEW_CTL_ARG_REGISTER))
		return verdict::fail;
	ioview_ctl_reg_request live{ "liveness", 0, 0, 0 };
	err = ioview_driver_ctl_reg_write(f.edu, &live, 0x100000000ull, &reg, &st);
	if (!refused(t, "a value wider than the register", err, st, -erange, IOVIEW_CTL_VALUE_TOO_WIDE,
		     IOVIEW_CTL_ARG_VALUE))
		return verdict::fail;
	// liveness reads back the complement of what was written.
	err = ioview_driver_ctl_reg_write(f.edu, &live, 0x12345678, &reg, &st);
	if (!err)
		err = ioview_driver_ctl_reg_read(f.edu, &live, &reg, &v, &st);
	if (err || v != 0xedcba987ull)
		return t.fail("liveness after writing 0x12345678: %d, %#llx", err, v);
	return t.pass();
}

verdict read_to_clear_needs_permission(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	const ioview_ctl_reg *reg = nullptr;
	unsigned long long v = 0;
	ioview_ctl_status st{};
	ioview_ctl_reg_request status{ "interrupt_status", 0, 0, 0 };
	int err = ioview_driver_ctl_reg_write(f.ivshmem, &status, 5, &reg, &st);
	if (err)
		return t.fail("writing interrupt_status: %d (fault %d)", err, st.fault);
	err = ioview_driver_ctl_reg_read(f.ivshmem, &status, &reg, &v, &st);
	if (!refused(t, "a read that clears, unpermitted", err, st, -eperm, IOVIEW_CTL_REG_READ_CLEARS,
		     IOVIEW_CTL_ARG_REGISTER))
		return verdict::fail;
	status.may_clear = 1;
	err = ioview_driver_ctl_reg_read(f.ivshmem, &status, &reg, &v, &st);
	if (err || v != 5)
		return t.fail("the permitted read after the refused one: %d, %#llx; want 0, 0x5", err, v);
	err = ioview_driver_ctl_reg_read(f.ivshmem, &status, &reg, &v, &st);
	if (err || v != 0)
		return t.fail("interrupt_status after being read: %d, %#llx; want 0, 0", err, v);
	return t.pass();
}

verdict edu_operations_by_name(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	ioview_ctl_status st{};
	ioview_ctl_stats before{}, after{};
	ioview_driver_ctl_stats_get(f.edu, &before, &st);
	unsigned int result = 0;
	int err = ioview_driver_ctl_edu_factorial(f.edu, 5, 0, &result, &st);
	if (err || result != 120)
		return t.fail("5! by polling: %d, %u", err, result);
	err = ioview_driver_ctl_edu_factorial(f.edu, 0x100000000ull, 0, &result, &st);
	if (!refused(t, "a 33-bit operand", err, st, -erange, IOVIEW_CTL_FACTORIAL_ARG, IOVIEW_CTL_ARG_VALUE))
		return verdict::fail;
	err = ioview_driver_ctl_edu_factorial(f.ivshmem, 5, 0, &result, &st);
	if (!refused(t, "a factorial on ivshmem", err, st, -eopnotsupp, IOVIEW_CTL_NOT_EDU, IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	u8 out[16], back[16];
	for (unsigned int i = 0; i < sizeof(out); ++i)
		out[i] = static_cast<u8>(0xa0 + i * 3);
	err = ioview_driver_ctl_edu_dma(f.edu, 2, 100, out, back, sizeof(out), &st);
	if (err)
		return t.fail("a 16-byte round trip: %d (fault %d)", err, st.fault);
	for (unsigned int i = 0; i < sizeof(out); ++i)
		if (back[i] != out[i])
			return t.fail("round trip byte %u: %#x, sent %#x", i, back[i], out[i]);
	err = ioview_driver_ctl_edu_dma(f.edu, 0, 0, out, nullptr, 0, &st);
	if (!refused(t, "an empty write", err, st, -einval, IOVIEW_CTL_DMA_LENGTH, IOVIEW_CTL_ARG_DATA))
		return verdict::fail;
	err = ioview_driver_ctl_edu_dma(f.edu, 1, hw::dma_window_bytes, nullptr, back, 1, &st);
	if (!refused(t, "a read at the buffer's last byte", err, st, -erange, IOVIEW_CTL_DMA_WINDOW,
		     IOVIEW_CTL_ARG_OFFSET))
		return verdict::fail;
	err = ioview_driver_ctl_edu_irq_raise(f.edu, 0, &st);
	if (!refused(t, "raising no bit", err, st, -einval, IOVIEW_CTL_IRQ_BITS, IOVIEW_CTL_ARG_VALUE))
		return verdict::fail;
	ioview_driver_ctl_stats_get(f.edu, &after, &st);
	if (after.factorials != before.factorials + 1 || after.dma_transfers != before.dma_transfers + 2)
		return t.fail("counted %llu factorials and %llu transfers, want 1 and 2",
			      after.factorials - before.factorials, after.dma_transfers - before.dma_transfers);
	return t.pass();
}

verdict mailbox_refusals_open_nothing(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	control::bound_ref ref = control::acquire_named(f.ivshmem);
	if (!ref)
		return t.skip("ivshmem went away");
	if (mailbox::is_open(ref.mbox.get()))
		return t.skip("the mailbox is open already");
	static constexpr u8 message[IOVIEW_CTL_MBOX_MAX + 1] = {};
	ioview_ctl_status st{};
	int err = ioview_driver_ctl_mbox_send(f.ivshmem, message, sizeof(message), &st);
	if (!refused(t, "a message of 249 bytes", err, st, -emsgsize, IOVIEW_CTL_MBOX_SIZE, IOVIEW_CTL_ARG_DATA))
		return verdict::fail;
	err = ioview_driver_ctl_mbox_send(f.edu, message, 1, &st);
	if (!refused(t, "a message to edu", err, st, -eopnotsupp, IOVIEW_CTL_NOT_IVSHMEM, IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	if (mailbox::is_open(ref.mbox.get()))
		return t.fail("a refused send opened the mailbox");
	return t.pass();
}

// A close of a mailbox that is not open, of edu's and of an absent function's: each refused by
// name, none opening anything, and BAR2 free to be taken whole all along.
verdict mailbox_close_refusals_open_nothing(context &t)
{
	functions f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	control::bound_ref ref = control::acquire_named(f.ivshmem);
	if (!ref)
		return t.skip("ivshmem went away");
	if (mailbox::is_open(ref.mbox.get()))
		return t.skip("the mailbox is open already");
	ioview_ctl_status st{};
	int err = ioview_driver_ctl_mbox_close(f.ivshmem, &st);
	if (!refused(t, "closing a mailbox that is not open", err, st, -enotconn, IOVIEW_CTL_MBOX_NOT_OPEN,
		     IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	err = ioview_driver_ctl_mbox_close(f.edu, &st);
	if (!refused(t, "closing edu's mailbox", err, st, -eopnotsupp, IOVIEW_CTL_NOT_IVSHMEM, IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	err = ioview_driver_ctl_mbox_close(absent, &st);
	if (!refused(t, "closing an absent function's mailbox", err, st, -enodev, IOVIEW_CTL_NO_DEVICE,
		     IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	if (mailbox::is_open(ref.mbox.get()))
		return t.fail("a refused close opened the mailbox");
	if (int taken = take_bar2(ref))
		return t.fail("with the mailbox closed, mapping all of BAR2 gave %d", taken);
	return t.pass();
}

constinit const test_case control_cases[] = {
	{ "device_list_has_both_functions", device_list_has_both_functions },
	{ "config_span_follows_the_sysfs_rule", config_span_follows_the_sysfs_rule },
	{ "config_read_matches_the_accessors", config_read_matches_the_accessors },
	{ "config_write_refuses_before_writing", config_write_refuses_before_writing },
	{ "register_map_is_the_typed_one", register_map_is_the_typed_one },
	{ "register_access_is_checked", register_access_is_checked },
	{ "read_to_clear_needs_permission", read_to_clear_needs_permission },
	{ "edu_operations_by_name", edu_operations_by_name },
	{ "mailbox_refusals_open_nothing", mailbox_refusals_open_nothing },
	{ "mailbox_close_refusals_open_nothing", mailbox_close_refusals_open_nothing },
};

/* ---- ioview_control_mailbox: the cases that open the mailbox (on demand) ------------------ */

// The state these cases start from: the mailbox closed, as the module leaves it.
verdict with_closed_mailbox(context &t, functions &f, control::bound_ref &ref)
{
	f = find_functions();
	if (!f.found)
		return t.skip("%s", no_device);
	ref = control::acquire_named(f.ivshmem);
	if (!ref)
		return t.skip("ivshmem went away");
	if (mailbox::is_open(ref.mbox.get()))
		return t.skip("the mailbox is open already (shm close first)");
	return verdict::pass;
}

// A send opens the mailbox whether or not a host takes the message, and the open mailbox
// holds its part of BAR2; the close by name gives all of BAR2 back, and a second close is
// refused.
verdict close_after_a_send_frees_bar2(context &t)
{
	functions f;
	control::bound_ref ref;
	if (verdict v = with_closed_mailbox(t, f, ref); v != verdict::pass)
		return v;
	static constexpr u8 message[] = { 0x5a };
	ioview_ctl_status st{};
	int err = ioview_driver_ctl_mbox_send(f.ivshmem, message, sizeof(message), &st);
	// No host peer attached is the usual case here: the open is what is under test.
	if (err && !(err == -enotconn && st.fault == IOVIEW_CTL_MBOX_NOT_CONNECTED))
		return t.fail("the send that opens the mailbox gave %d, fault %d", err, st.fault);
	verdict v = [&] {
		if (!mailbox::is_open(ref.mbox.get()))
			return t.fail("the send (%d) left the mailbox closed", err);
		int taken = take_bar2(ref);
		if (taken != -ebusy)
			return t.fail("with the mailbox open, mapping all of BAR2 gave %d, want %d", taken, -ebusy);
		return verdict::pass;
	}();
	int closed = ioview_driver_ctl_mbox_close(f.ivshmem, &st);
	if (v != verdict::pass)
		return v;
	if (closed || mailbox::is_open(ref.mbox.get()))
		return t.fail("the close gave %d (fault %d), open afterwards: %d", closed, st.fault,
			      mailbox::is_open(ref.mbox.get()));
	if (int taken = take_bar2(ref))
		return t.fail("after the close, mapping all of BAR2 gave %d", taken);
	err = ioview_driver_ctl_mbox_close(f.ivshmem, &st);
	if (!refused(t, "a second close", err, st, -enotconn, IOVIEW_CTL_MBOX_NOT_OPEN, IOVIEW_CTL_ARG_DEV))
		return verdict::fail;
	return t.pass();
}

// mbox-recv by name in a kernel thread of its own, for the close to cut short.
struct waiting_receive : thread_job {
	const char *name;
	ioview_flag started{};
	int result = 1;
	ioview_ctl_status st{};
	u64 returned_ns = 0;
	u8 buf[IOVIEW_CTL_MBOX_MAX];

	explicit waiting_receive(const char *n) noexcept : thread_job{ run_receive }, name(n) {}

	static void run_receive(thread_job *self)
	{
		auto *w = static_cast<waiting_receive *>(self);
		unsigned int len = 0;

		ioview_shim_flag_raise(&w->started);
		w->result = ioview_driver_ctl_mbox_recv(w->name, receive_ms, w->buf, sizeof(w->buf), &len, &w->st);
		w->returned_ns = ioview_shim_ktime_ns();
	}

	static constexpr unsigned int receive_ms = 20000;
};

// A receive waiting for a message no host sends, and a close by name meanwhile: the receive
// comes back at its next try (long before its 20 s), refused as closed under it, not as a
// host that is not attached.
verdict close_cuts_a_waiting_receive_short(context &t)
{
	functions f;
	control::bound_ref ref;
	if (verdict v = with_closed_mailbox(t, f, ref); v != verdict::pass)
		return v;
	ioview_ctl_status st{};
	static constexpr u8 message[] = { 0xa5 };
	int err = ioview_driver_ctl_mbox_send(f.ivshmem, message, sizeof(message), &st);
	if (err && err != -enotconn)
		return t.fail("the send that opens the mailbox gave %d, fault %d", err, st.fault);
	waiting_receive job(f.ivshmem);
	thread receiver;
	err = receiver.start(&job, "ioview-st-close");
	if (err) {
		ioview_driver_ctl_mbox_close(f.ivshmem, &st);
		return t.fail("starting the receiving thread gave %d", err);
	}
	for (unsigned int waited = 0; waited < 2000 && !ioview_shim_flag_test(&job.started); ++waited)
		ioview_shim_msleep(1);
	// Well into its wait: had the close come before the receive's own open check, the
	// receive would open the mailbox again and wait out its 20 s (a failure below).
	ioview_shim_msleep(200);
	u64 t0 = ioview_shim_ktime_ns();
	int closed = ioview_driver_ctl_mbox_close(f.ivshmem, &st);
	receiver.join();
	if (mailbox::is_open(ref.mbox.get()))
		ioview_driver_ctl_mbox_close(f.ivshmem, &st);
	if (closed)
		return t.fail("the close gave %d (fault %d)", closed, st.fault);
	if (!refused(t, "the receive waiting at the close", job.result, job.st, -enotconn, IOVIEW_CTL_MBOX_CLOSED,
		     IOVIEW_CTL_ARG_NONE))
		return verdict::fail;
	u64 took_ms = (job.returned_ns - t0) / 1000000;
	if (took_ms >= waiting_receive::receive_ms / 2)
		return t.fail("the receive came back %llu ms after the close", static_cast<unsigned long long>(took_ms));
	return t.pass();
}

constinit const test_case control_mailbox_cases[] = {
	{ "close_after_a_send_frees_bar2", close_after_a_send_frees_bar2 },
	{ "close_cuts_a_waiting_receive_short", close_cuts_a_waiting_receive_short },
};

} // namespace

constinit const suite control_suite{ "ioview_control", control_cases };
constinit const suite control_mailbox_suite{ "ioview_control_mailbox", control_mailbox_cases };

} // namespace ioview::kernel::selftest
