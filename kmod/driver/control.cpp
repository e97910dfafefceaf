// SPDX-License-Identifier: GPL-2.0
//
// The device work behind the generic netlink family "ioview": the
// ioview_driver_ctl_*() functions of shim/shim.h, called by the handlers of
// shim/netlink.c once a request has passed its policy and its permission
// checks.  Each finds its function by PCI name (a counted reference, see
// driver/control.h), does the work through the driver's own operations or
// through views, and on an error says why in an ioview_ctl_status.
//
// - Configuration space: kernel/config.h's views, 256 bytes or, where the
//   PCI core found it, 4096.  Offsets are checked by the view before
//   anything is accessed; reads use the accesses the sysfs config file uses.
// - Registers: the device's register map (devices/edu.h, devices/ivshmem.h)
//   is the one description: reg-get's tables are built from it at compile
//   time, and every access goes through the register's own type (its width,
//   its read-side-effect rule, its reserved bits written as zero).  An
//   access by offset is checked against the BAR by the runtime-checked view
//   first.  edu's BAR0 is the edu driver's mapping, reached under its
//   operation lock (edu::with_registers()); ivshmem's BAR0 is mapped for
//   the one access, under the function's device lock, since the self-tests
//   map it too.
// - edu's units and the mailbox: the drivers' operations (driver/edu.h,
//   driver/mailbox.h); the mailbox is opened by its first use and closed by
//   mbox-close (or the unbind).
// - Completed factorials and transfers and messages taken from the host are
//   events of the family (ioview_shim_event()); the interrupts themselves
//   are reported by edu's handler, binding and unbinding by probe.cpp.
#include <ioview/ioview.h>

#include "devices/describe.h"
#include "devices/edu.h"
#include "devices/ivshmem.h"
#include "devices/ivshmem_mailbox.h"
#include "driver/control.h"
#include "driver/driver_errno.h"
#include "driver/edu.h"
#include "driver/mailbox.h"
#include "driver/mailbox_errno.h"
#include "kernel/bar_mapping.h"
#include "kernel/config.h"
#include "kernel/errno.h"
#include "selftest/selftest.h"
#include "shim/shim.h"

namespace ioview::kernel::control {

namespace {

namespace desc = ioview::devices;
namespace edu_hw = ioview::devices::edu;
namespace ivshmem_hw = ioview::devices::ivshmem;
namespace mbx = ioview::driver::mailbox;

static_assert(IOVIEW_CTL_MBOX_MAX == devices::mailbox::max_payload, "shim.h's mailbox limit is the layout's");

// What an unprivileged reader of configuration space gets, as from the sysfs config file.
constexpr unsigned int config_unprivileged_bytes = 64;

int fail(ioview_ctl_status *st, int err, ioview_ctl_fault fault, ioview_ctl_arg arg) noexcept
{
	st->fault = fault;
	st->arg = arg;
	return err;
}

// The function called @name, still bound; else -ENODEV.
int find(const char *name, bound_ref &ref, ioview_ctl_status *st) noexcept
{
	ref = acquire_named(name);
	if (!ref || ref.gone())
		return fail(st, -enodev, IOVIEW_CTL_NO_DEVICE, IOVIEW_CTL_ARG_DEV);
	return 0;
}

int find_edu(const char *name, bound_ref &ref, ioview_ctl_status *st) noexcept
{
	if (int err = find(name, ref, st))
		return err;
	if (!ref.edu)
		return fail(st, -eopnotsupp, IOVIEW_CTL_NOT_EDU, IOVIEW_CTL_ARG_DEV);
	return 0;
}

int find_ivshmem(const char *name, bound_ref &ref, ioview_ctl_status *st) noexcept
{
	if (int err = find(name, ref, st))
		return err;
	if (!ref.mbox)
		return fail(st, -eopnotsupp, IOVIEW_CTL_NOT_IVSHMEM, IOVIEW_CTL_ARG_DEV);
	return 0;
}

// The errors every operation on a held device shares, and any other as such.
int device_fault(ioview_ctl_status *st, int err) noexcept
{
	switch (-err) {
	case enodev:
		return fail(st, err, IOVIEW_CTL_NO_DEVICE, IOVIEW_CTL_ARG_DEV);
	case eintr:
		return fail(st, err, IOVIEW_CTL_INTERRUPTED, IOVIEW_CTL_ARG_NONE);
	case drivers::ebusy:
		return fail(st, err, IOVIEW_CTL_BUSY, IOVIEW_CTL_ARG_NONE);
	case drivers::etimedout:
		return fail(st, err, IOVIEW_CTL_TIMEOUT, IOVIEW_CTL_ARG_NONE);
	case eio:
		return fail(st, err, IOVIEW_CTL_DEVICE_DEAD, IOVIEW_CTL_ARG_NONE);
	}
	return fail(st, err, IOVIEW_CTL_FAILED, IOVIEW_CTL_ARG_NONE);
}

/* ---- configuration space ---------------------------------------------------------------- */

unsigned int config_size(pci_dev *pdev) noexcept
{
	int n = ioview_shim_pci_cfg_size(pdev);
	return n > 0 ? static_cast<unsigned int>(n) : 0;
}

// Calls @fn with the view of @pdev's whole configuration space, 256 or 4096 bytes.
template <typename F> int with_config(pci_dev *pdev, F &&fn) noexcept
{
	if (config_size(pdev) >= pci::extended_config_size) {
		auto cfg = extended_config_view(pdev);
		return cfg ? fn(cfg.value()) : cfg.error();
	}
	auto cfg = config_view(pdev);
	return cfg ? fn(cfg.value()) : cfg.error();
}

void put_bytes(u8 *out, u32 v, unsigned int n) noexcept
{
	for (unsigned int i = 0; i < n; ++i)
		out[i] = static_cast<u8>(v >> (8 * i));
}

// [@off, @off + @count), known to lie inside @cfg: a byte up to a word boundary, a word up to
// a dword boundary, dwords, then a word and a byte, as the sysfs config file reads.
template <typename V> int read_config_span(V cfg, unsigned int off, unsigned int count, u8 *buf) noexcept
{
	unsigned int at = off, end = off + count;
	auto take = [&](auto r, unsigned int n) noexcept {
		if (!r)
			return r.error();
		put_bytes(buf + (at - off), r.value(), n);
		at += n;
		return 0;
	};
	int err = 0;

	if ((at & 1) && at < end)
		err = take(cfg.try_read8(at), 1);
	if (!err && (at & 3) && end - at > 2)
		err = take(cfg.try_read16(at), 2);
	while (!err && end - at > 3)
		err = take(cfg.try_read32(at), 4);
	if (!err && end - at >= 2)
		err = take(cfg.try_read16(at), 2);
	if (!err && end - at == 1)
		err = take(cfg.try_read8(at), 1);
	return err;
}

// One write of @width bytes: the view checks the offset (-ERANGE, -EINVAL) before the accessor runs.
template <typename W, typename V> int write_config(V cfg, unsigned int off, u64 value, ioview_ctl_status *st) noexcept
{
	auto word = cfg.template try_at_offset<W>(off);
	if (!word)
		return word.error() == -erange ? fail(st, -erange, IOVIEW_CTL_CONFIG_OFFSET, IOVIEW_CTL_ARG_OFFSET)
					       : fail(st, -einval, IOVIEW_CTL_MISALIGNED, IOVIEW_CTL_ARG_OFFSET);
	status written = word.value().write_val(static_cast<W>(value));
	return written ? 0 : fail(st, written.error(), IOVIEW_CTL_CONFIG_ACCESS, IOVIEW_CTL_ARG_NONE);
}

/* ---- registers -------------------------------------------------------------------------- */

constexpr ioview_ctl_access access_code(field_access a) noexcept
{
	switch (a) {
	case field_access::rw:
		return IOVIEW_CTL_ACCESS_RW;
	case field_access::ro:
		return IOVIEW_CTL_ACCESS_RO;
	case field_access::wo:
		return IOVIEW_CTL_ACCESS_WO;
	case field_access::w1c:
		return IOVIEW_CTL_ACCESS_W1C;
	case field_access::w1s:
		return IOVIEW_CTL_ACCESS_W1S;
	case field_access::rc:
		return IOVIEW_CTL_ACCESS_RC;
	case field_access::rsvd_zero:
		return IOVIEW_CTL_ACCESS_RSVD_ZERO;
	case field_access::rsvd_keep:
		return IOVIEW_CTL_ACCESS_RSVD_KEEP;
	}
	return IOVIEW_CTL_ACCESS_RW;
}

template <typename... R> constexpr usize total_fields(desc::type_list<R...>) noexcept
{
	return (decltype(R::fields)::size + ... + 0);
}

template <typename T, usize N> struct table {
	T items[N];
};

// Every field of Map's registers, register after register, each highest bit first.
template <typename Map> constexpr auto build_fields() noexcept
{
	table<ioview_ctl_field, total_fields(typename Map::types{})> out{};
	usize k = 0;
	desc::for_each_register<Map>([&](auto t) {
		using R = typename decltype(t)::type;
		for (const desc::field_description &f : desc::fields_of<R>.items)
			out.items[k++] = { f.name, static_cast<unsigned char>(f.hi), static_cast<unsigned char>(f.lo),
					   access_code(f.access) };
	});
	return out;
}

template <typename Map> inline constexpr auto field_table = build_fields<Map>();

// Map's registers, in the map's order, each pointing at its fields in field_table<Map>.
template <typename Map> constexpr auto build_registers() noexcept
{
	table<ioview_ctl_reg, Map::size> out{};
	usize i = 0, k = 0;
	desc::for_each_register<Map>([&](auto t) {
		using R = typename decltype(t)::type;
		constexpr usize n = decltype(desc::fields_of<R>)::size;
		static_assert(R::width <= 64 && R::offset <= 0xffffffff);
		out.items[i] = { Map::names[i], static_cast<unsigned int>(R::offset), R::width / 8,
				 access_code(desc::access_of<R>()), field_table<Map>.items + k, static_cast<unsigned int>(n) };
		++i;
		k += n;
	});
	return out;
}

template <typename Map> inline constexpr auto register_table = build_registers<Map>();

// Every register and field name of Map fits the UAPI's name length (reply sizes count on it).
template <typename Map> constexpr bool names_fit() noexcept
{
	auto fits = [](const char *s) {
		usize n = 0;
		while (s[n])
			++n;
		return n < IOVIEW_CTL_REG_NAME_LEN;
	};
	bool ok = true;
	for (const ioview_ctl_reg &r : register_table<Map>.items) {
		ok = ok && fits(r.name);
		for (unsigned int f = 0; f < r.field_count; ++f)
			ok = ok && fits(r.fields[f].name);
	}
	return ok;
}
static_assert(names_fit<edu_hw::registers>() && names_fit<ivshmem_hw::registers>(),
	      "a register or field name is longer than IOVIEW_CTL_REG_NAME_LEN allows");

// A register's place in Map, resolved from a request, and how it was named.
struct resolved {
	usize index;
	ioview_ctl_arg named_by;	// IOVIEW_CTL_ARG_REGISTER or IOVIEW_CTL_ARG_OFFSET
};

// The checks of the view for an access of @width bytes at @off: -ERANGE past the BAR, -EINVAL
// misaligned, nothing accessed.
template <typename V> int check_offset(V bar, usize off, unsigned int width) noexcept
{
	switch (width) {
	case 1:
		return bar.template try_at_offset<u8>(off).error();
	case 2:
		return bar.template try_at_offset<u16>(off).error();
	case 4:
		return bar.template try_at_offset<u32>(off).error();
	case 8:
		return bar.template try_at_offset<u64>(off).error();
	}
	return -einval;
}

// Which register of Map @req names, and whether @req may do what it asks (@writing or not) on it.
template <typename Map, typename V>
int resolve(V bar, const ioview_ctl_reg_request *req, bool writing, resolved *out, ioview_ctl_status *st) noexcept
{
	const auto &regs = register_table<Map>.items;
	usize i = Map::size;

	if (req->reg) {
		i = desc::register_named<Map>(req->reg);
		if (i == Map::size)
			return fail(st, -enoent, IOVIEW_CTL_REG_UNKNOWN, IOVIEW_CTL_ARG_REGISTER);
		if (req->width && req->width != regs[i].width)
			return fail(st, -einval, IOVIEW_CTL_REG_WIDTH, IOVIEW_CTL_ARG_WIDTH);
		out->named_by = IOVIEW_CTL_ARG_REGISTER;
	} else {
		unsigned int width = req->width ? req->width : 4;
		int err = check_offset(bar, req->offset, width);
		if (err == -erange)
			return fail(st, err, IOVIEW_CTL_REG_OFFSET, IOVIEW_CTL_ARG_OFFSET);
		if (err && (width == 1 || width == 2 || width == 4 || width == 8))
			return fail(st, err, IOVIEW_CTL_MISALIGNED, IOVIEW_CTL_ARG_OFFSET);
		if (err)
			return fail(st, err, IOVIEW_CTL_REG_WIDTH, IOVIEW_CTL_ARG_WIDTH);
		for (usize j = 0; j < Map::size; ++j)
			if (regs[j].offset == req->offset)
				i = j;
		if (i == Map::size)
			return fail(st, -enoent, IOVIEW_CTL_REG_NONE_AT, IOVIEW_CTL_ARG_OFFSET);
		// Without a width, 4 was assumed: then the offset is what names the wrong register.
		if (regs[i].width != width)
			return fail(st, -einval, IOVIEW_CTL_REG_WIDTH, req->width ? IOVIEW_CTL_ARG_WIDTH : IOVIEW_CTL_ARG_OFFSET);
		out->named_by = IOVIEW_CTL_ARG_OFFSET;
	}
	out->index = i;
	if (!writing && regs[i].access == IOVIEW_CTL_ACCESS_WO)
		return fail(st, -eopnotsupp, IOVIEW_CTL_REG_WRITE_ONLY, out->named_by);
	if (writing && regs[i].access == IOVIEW_CTL_ACCESS_RO)
		return fail(st, -eopnotsupp, IOVIEW_CTL_REG_READ_ONLY, out->named_by);
	if (!writing && regs[i].access == IOVIEW_CTL_ACCESS_RC && !req->may_clear)
		return fail(st, -eperm, IOVIEW_CTL_REG_READ_CLEARS, out->named_by);
	return 0;
}

// One read or write of register @index of Map, through the register's own type.
template <typename Map, typename V> void access_register(V bar, usize index, bool writing, u64 *value) noexcept
{
	desc::visit_register<Map>(index, [&](auto t) {
		using R = typename decltype(t)::type;
		using raw = typename R::raw_type;
		if (writing) {
			R::write(bar, R::value::from_raw(static_cast<raw>(*value)));
		} else if constexpr (R::has_read_side_effects) {
			*value = R::read_with_side_effects(bar).raw();
		} else {
			*value = R::read(bar).raw();
		}
	});
}

// A register request on Map's BAR, resolved and done in one go (under whatever lock the caller holds).
template <typename Map> struct register_op {
	const ioview_ctl_reg_request *req;
	bool writing;
	u64 value;
	const ioview_ctl_reg *reg;
	ioview_ctl_status *st;

	template <typename V> int run(V bar) noexcept
	{
		resolved r{};
		if (int err = resolve<Map>(bar, req, writing, &r, st))
			return err;
		access_register<Map>(bar, r.index, writing, &value);
		reg = &register_table<Map>.items[r.index];
		return 0;
	}
};

int edu_register_access(view<kmmio, edu_hw::bar0> bar, void *ctx) noexcept
{
	return static_cast<register_op<edu_hw::registers> *>(ctx)->run(bar);
}

int edu_registers(const bound_ref &ref, register_op<edu_hw::registers> &op) noexcept
{
	op.st->fault = IOVIEW_CTL_OK;
	int err = edu::with_registers(ref.edu.get(), edu_register_access, &op);
	// A fault set by resolve() is the request's; none means the lock refused.
	return err && op.st->fault == IOVIEW_CTL_OK ? device_fault(op.st, err) : err;
}

// ivshmem's BAR0 is nobody's for long: mapped for this access, with the device lock held so the
// function stays bound (remove() runs under that lock) and no self-test maps it meanwhile.
int ivshmem_registers(const bound_ref &ref, register_op<ivshmem_hw::registers> &op) noexcept
{
	pci_dev *pdev = ref.pdev();

	if (ioview_shim_pci_device_lock_interruptible(pdev))
		return fail(op.st, -eintr, IOVIEW_CTL_INTERRUPTED, IOVIEW_CTL_ARG_NONE);
	int err;
	if (ref.gone()) {
		err = fail(op.st, -enodev, IOVIEW_CTL_NO_DEVICE, IOVIEW_CTL_ARG_DEV);
	} else {
		auto m = bar_mapping<ivshmem_hw::bar0>::map(pdev, ivshmem_hw::registers_bar);
		if (!m)
			err = fail(op.st, m.error(), m.error() == -ebusy ? IOVIEW_CTL_BAR_BUSY : IOVIEW_CTL_BAR_MAP,
				   IOVIEW_CTL_ARG_DEV);
		else
			err = op.run(m.value().view());
	}
	ioview_shim_pci_device_unlock(pdev);
	return err;
}

template <typename Map> bool value_fits(const ioview_ctl_reg_request *req, u64 value) noexcept
{
	unsigned int width = req->width;
	if (req->reg) {
		usize i = desc::register_named<Map>(req->reg);
		width = i < Map::size ? register_table<Map>.items[i].width : 8;
	} else if (!width) {
		width = 4;
	}
	return width >= 8 || (value >> (8 * width)) == 0;
}

int register_request(const char *name, const ioview_ctl_reg_request *req, bool writing, u64 *value,
		     const ioview_ctl_reg **reg, ioview_ctl_status *st) noexcept
{
	bound_ref ref;
	if (int err = find(name, ref, st))
		return err;
	int err;
	if (ref.edu) {
		if (writing && !value_fits<edu_hw::registers>(req, *value))
			return fail(st, -erange, IOVIEW_CTL_VALUE_TOO_WIDE, IOVIEW_CTL_ARG_VALUE);
		register_op<edu_hw::registers> op{ req, writing, *value, nullptr, st };
		err = edu_registers(ref, op);
		*value = op.value;
		*reg = op.reg;
	} else {
		if (writing && !value_fits<ivshmem_hw::registers>(req, *value))
			return fail(st, -erange, IOVIEW_CTL_VALUE_TOO_WIDE, IOVIEW_CTL_ARG_VALUE);
		register_op<ivshmem_hw::registers> op{ req, writing, *value, nullptr, st };
		err = ivshmem_registers(ref, op);
		*value = op.value;
		*reg = op.reg;
	}
	return err;
}

/* ---- the mailbox -------------------------------------------------------------------------- */

// The mailbox is opened by the first send or receive and stays open until
// ioview_driver_ctl_mbox_close() (mbox-close) or the unbind closes it: open
// is the guest's listening state (driver/mailbox.h), and closing it after
// each request would show the host a guest that keeps leaving.  While it is
// open its part of BAR2 is requested, so whatever takes all of BAR2 (the
// ivshmem self-tests) gets -EBUSY until it is closed.
int ensure_open(mailbox::device *dev, ioview_ctl_status *st) noexcept
{
	if (mailbox::is_open(dev))
		return 0;
	int err = mailbox::open(dev);
	// Another request may have opened it between the two calls.
	if (err == -ebusy && mailbox::is_open(dev))
		return 0;
	if (err == -ebusy)
		return fail(st, err, IOVIEW_CTL_MBOX_BUSY, IOVIEW_CTL_ARG_DEV);
	return err ? device_fault(st, err) : 0;
}

// @closed: the mailbox was found closed after the call (ensure_open() had opened it).
int mailbox_fault(ioview_ctl_status *st, int err, ioview_ctl_arg data, bool closed) noexcept
{
	switch (-err) {
	case mbx::enotconn:
		// A close between ensure_open() and the call is no fault of the host's.
		if (closed)
			return fail(st, err, IOVIEW_CTL_MBOX_CLOSED, IOVIEW_CTL_ARG_NONE);
		return fail(st, err, IOVIEW_CTL_MBOX_NOT_CONNECTED, IOVIEW_CTL_ARG_NONE);
	case mbx::emsgsize:
		return fail(st, err, IOVIEW_CTL_MBOX_SIZE, data);
	case mbx::eproto:
	case mbx::ebadmsg:
		return fail(st, err, IOVIEW_CTL_MBOX_PROTOCOL, IOVIEW_CTL_ARG_NONE);
	}
	return device_fault(st, err);
}

/* ---- counters ----------------------------------------------------------------------------- */

void fill_stats(const bound_ref &ref, ioview_ctl_stats *out) noexcept
{
	*out = {};
	copy_name(out->name, ioview_shim_pci_name(ref.pdev()));
	out->kind = ref.kind;
	if (ref.edu) {
		edu::counter_set c = edu::counters(ref.edu.get());
		out->interrupts = c.interrupts;
		out->foreign_interrupts = c.foreign_interrupts;
		out->factorials = c.factorials;
		out->dma_transfers = c.dma_transfers;
		out->dma_bytes = c.dma_bytes;
		out->refused = c.refused;
		out->busy = c.busy;
		out->timeouts = c.timeouts;
	}
	if (ref.mbox) {
		mailbox::counter_set c = mailbox::counters(ref.mbox.get());
		out->mbox_sent = c.sent;
		out->mbox_sent_bytes = c.sent_bytes;
		out->mbox_received = c.received;
		out->mbox_received_bytes = c.received_bytes;
		out->mbox_not_connected = c.not_connected;
		out->mbox_full = c.full;
		out->mbox_errors = c.errors;
	}
}

ioview_ctl_verdict verdict_code(selftest::verdict v) noexcept
{
	switch (v) {
	case selftest::verdict::pass:
		return IOVIEW_CTL_PASS;
	case selftest::verdict::fail:
		return IOVIEW_CTL_FAIL;
	case selftest::verdict::skip:
		return IOVIEW_CTL_SKIP;
	}
	return IOVIEW_CTL_FAIL;
}

} // namespace

} // namespace ioview::kernel::control

namespace ctl = ioview::kernel::control;
using ioview::u32;
using ioview::u64;

int ioview_driver_ctl_config_span(const char *name, unsigned int offset, unsigned int length, int privileged,
				  unsigned int *count, ioview_ctl_status *st)
{
	ctl::bound_ref ref;
	if (int err = ctl::find(name, ref, st))
		return err;
	unsigned int size = ctl::config_size(ref.pdev());
	if (offset >= size)
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_CONFIG_OFFSET, IOVIEW_CTL_ARG_OFFSET);
	unsigned int n = length ? length : size - offset;
	if (n > size - offset)
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_CONFIG_LENGTH, IOVIEW_CTL_ARG_LENGTH);
	if (!privileged) {
		if (offset >= ctl::config_unprivileged_bytes)
			return ctl::fail(st, -ioview::kernel::eperm, IOVIEW_CTL_CONFIG_PRIVILEGED, IOVIEW_CTL_ARG_OFFSET);
		if (n > ctl::config_unprivileged_bytes - offset)
			n = ctl::config_unprivileged_bytes - offset;
	}
	*count = n;
	return 0;
}

int ioview_driver_ctl_config_read(const char *name, unsigned int offset, unsigned int count, unsigned char *buf,
				  ioview_ctl_status *st)
{
	ctl::bound_ref ref;
	if (int err = ctl::find(name, ref, st))
		return err;
	unsigned int size = ctl::config_size(ref.pdev());
	if (offset >= size || count > size - offset)
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_CONFIG_LENGTH, IOVIEW_CTL_ARG_LENGTH);
	int err = ctl::with_config(ref.pdev(), [&](auto cfg) { return ctl::read_config_span(cfg, offset, count, buf); });
	return err ? ctl::fail(st, err, IOVIEW_CTL_CONFIG_ACCESS, IOVIEW_CTL_ARG_NONE) : 0;
}

int ioview_driver_ctl_config_write(const char *name, unsigned int offset, unsigned int width, unsigned long long value,
				   ioview_ctl_status *st)
{
	if (width != 1 && width != 2 && width != 4)
		return ctl::fail(st, -ioview::einval, IOVIEW_CTL_CONFIG_WIDTH, IOVIEW_CTL_ARG_WIDTH);
	if (value >> (8 * width))
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_VALUE_TOO_WIDE, IOVIEW_CTL_ARG_VALUE);
	ctl::bound_ref ref;
	if (int err = ctl::find(name, ref, st))
		return err;
	return ctl::with_config(ref.pdev(), [&](auto cfg) {
		if (width == 1)
			return ctl::write_config<ioview::u8>(cfg, offset, value, st);
		if (width == 2)
			return ctl::write_config<ioview::u16>(cfg, offset, value, st);
		return ctl::write_config<ioview::u32>(cfg, offset, value, st);
	});
}

int ioview_driver_ctl_reg_map(const char *name, const ioview_ctl_reg **regs, unsigned int *count,
			      ioview_ctl_status *st)
{
	ctl::bound_ref ref;
	if (int err = ctl::find(name, ref, st))
		return err;
	if (ref.edu) {
		*regs = ctl::register_table<ctl::edu_hw::registers>.items;
		*count = ctl::edu_hw::registers::size;
	} else {
		*regs = ctl::register_table<ctl::ivshmem_hw::registers>.items;
		*count = ctl::ivshmem_hw::registers::size;
	}
	return 0;
}

int ioview_driver_ctl_reg_read(const char *name, const ioview_ctl_reg_request *req, const ioview_ctl_reg **reg,
			       unsigned long long *value, ioview_ctl_status *st)
{
	u64 v = 0;
	int err = ctl::register_request(name, req, false, &v, reg, st);
	if (!err)
		*value = v;
	return err;
}

int ioview_driver_ctl_reg_write(const char *name, const ioview_ctl_reg_request *req, unsigned long long value,
				const ioview_ctl_reg **reg, ioview_ctl_status *st)
{
	u64 v = value;
	return ctl::register_request(name, req, true, &v, reg, st);
}

int ioview_driver_ctl_edu_factorial(const char *name, unsigned long long n, int by_interrupt, unsigned int *result,
				    ioview_ctl_status *st)
{
	namespace edu = ioview::kernel::edu;

	if (n > 0xffffffffull)
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_FACTORIAL_ARG, IOVIEW_CTL_ARG_VALUE);
	ctl::bound_ref ref;
	if (int err = ctl::find_edu(name, ref, st))
		return err;
	u32 v = 0;
	int err = edu::factorial(ref.edu.get(), static_cast<u32>(n),
				 by_interrupt ? edu::completion::interrupt : edu::completion::poll, &v);
	if (err)
		return ctl::device_fault(st, err);
	*result = v;
	ioview_shim_event(IOVIEW_SHIM_EVENT_FACTORIAL_DONE, ref.pdev(), v);
	return 0;
}

int ioview_driver_ctl_edu_dma(const char *name, unsigned int op, unsigned int offset, const void *src, void *dst,
			      unsigned int len, ioview_ctl_status *st)
{
	namespace edu = ioview::kernel::edu;

	ctl::bound_ref ref;
	if (int err = ctl::find_edu(name, ref, st))
		return err;
	// What the transfer's size came in: length for a read, data for the others.
	ioview_ctl_arg size_arg = op == 1 ? IOVIEW_CTL_ARG_LENGTH : IOVIEW_CTL_ARG_DATA;
	int err;
	switch (op) {
	case 0:
		err = edu::dma_write(ref.edu.get(), offset, src, len);
		break;
	case 1:
		err = edu::dma_read(ref.edu.get(), offset, dst, len);
		break;
	case 2:
		err = edu::dma_round_trip(ref.edu.get(), offset, src, dst, len);
		break;
	default:
		return ctl::fail(st, -ioview::einval, IOVIEW_CTL_FAILED, IOVIEW_CTL_ARG_NONE);
	}
	if (err == -ioview::einval)
		return ctl::fail(st, err, IOVIEW_CTL_DMA_LENGTH, size_arg);
	if (err == -ioview::erange)
		return ctl::fail(st, err, IOVIEW_CTL_DMA_WINDOW,
				 offset >= ctl::edu_hw::dma_window_bytes ? IOVIEW_CTL_ARG_OFFSET : size_arg);
	if (err)
		return ctl::device_fault(st, err);
	for (unsigned int transfers = op == 2 ? 2 : 1; transfers; --transfers)
		ioview_shim_event(IOVIEW_SHIM_EVENT_DMA_DONE, ref.pdev(), len);
	return 0;
}

int ioview_driver_ctl_edu_irq_raise(const char *name, unsigned long long bits, ioview_ctl_status *st)
{
	if (bits > 0xffffffffull)
		return ctl::fail(st, -ioview::erange, IOVIEW_CTL_IRQ_BITS, IOVIEW_CTL_ARG_VALUE);
	ctl::bound_ref ref;
	if (int err = ctl::find_edu(name, ref, st))
		return err;
	int err = ioview::kernel::edu::irq_raise(ref.edu.get(), static_cast<u32>(bits));
	if (err == -ioview::einval)
		return ctl::fail(st, err, IOVIEW_CTL_IRQ_BITS, IOVIEW_CTL_ARG_VALUE);
	return err ? ctl::device_fault(st, err) : 0;
}

int ioview_driver_ctl_mbox_send(const char *name, const void *data, unsigned int len, ioview_ctl_status *st)
{
	namespace mailbox = ioview::kernel::mailbox;

	if (len > IOVIEW_CTL_MBOX_MAX)
		return ctl::fail(st, -ctl::mbx::emsgsize, IOVIEW_CTL_MBOX_SIZE, IOVIEW_CTL_ARG_DATA);
	ctl::bound_ref ref;
	if (int err = ctl::find_ivshmem(name, ref, st))
		return err;
	if (int err = ctl::ensure_open(ref.mbox.get(), st))
		return err;
	int err = mailbox::send(ref.mbox.get(), data, len);
	if (err == -ctl::mbx::eagain)
		return ctl::fail(st, err, IOVIEW_CTL_MBOX_FULL, IOVIEW_CTL_ARG_NONE);
	// -ENOTCONN is the host not being ready, or the mailbox closed meanwhile: is_open() tells.
	bool closed = err == -ctl::mbx::enotconn && !mailbox::is_open(ref.mbox.get());
	return err ? ctl::mailbox_fault(st, err, IOVIEW_CTL_ARG_DATA, closed) : 0;
}

int ioview_driver_ctl_mbox_recv(const char *name, unsigned int timeout_ms, void *buf, unsigned int cap,
				unsigned int *len, ioview_ctl_status *st)
{
	namespace mailbox = ioview::kernel::mailbox;

	ctl::bound_ref ref;
	if (int err = ctl::find_ivshmem(name, ref, st))
		return err;
	if (int err = ctl::ensure_open(ref.mbox.get(), st))
		return err;
	ioview::usize n = 0;
	int err = mailbox::receive(ref.mbox.get(), buf, cap, timeout_ms, &n);
	if (err == -ctl::mbx::eagain || err == -ioview::drivers::etimedout)
		return ctl::fail(st, err, IOVIEW_CTL_MBOX_EMPTY, IOVIEW_CTL_ARG_NONE);
	// receive() gives -ENOTCONN only for a mailbox that is not open: closed after ensure_open(),
	// or while the receive waited.
	if (err)
		return ctl::mailbox_fault(st, err, IOVIEW_CTL_ARG_NONE, err == -ctl::mbx::enotconn);
	*len = static_cast<unsigned int>(n);
	ioview_shim_event(IOVIEW_SHIM_EVENT_MBOX_MESSAGE, ref.pdev(), n);
	return 0;
}

int ioview_driver_ctl_mbox_close(const char *name, ioview_ctl_status *st)
{
	namespace mailbox = ioview::kernel::mailbox;

	ctl::bound_ref ref;
	if (int err = ctl::find_ivshmem(name, ref, st))
		return err;
	// close() waits for the lock uninterruptibly (a close must happen once asked for); a
	// receive that waits drops the lock between its tries, so this waits one try at most.
	int err = mailbox::close(ref.mbox.get());
	if (err == -ctl::mbx::enotconn)
		return ctl::fail(st, err, IOVIEW_CTL_MBOX_NOT_OPEN, IOVIEW_CTL_ARG_DEV);
	return err ? ctl::device_fault(st, err) : 0;
}

int ioview_driver_ctl_selftest_run(const char *suite, ioview_ctl_totals *totals, ioview_ctl_status *st)
{
	namespace selftest = ioview::kernel::selftest;

	if (selftest::run_named(suite) == -ioview::enoent)
		return ctl::fail(st, -ioview::enoent, IOVIEW_CTL_SUITE_UNKNOWN, IOVIEW_CTL_ARG_SUITE);
	selftest::result_list r = selftest::results();
	totals->passed = static_cast<unsigned int>(r.passed);
	totals->failed = static_cast<unsigned int>(r.failed);
	totals->skipped = static_cast<unsigned int>(r.skipped);
	totals->recorded = static_cast<unsigned int>(r.count);
	return 0;
}

int ioview_driver_ctl_selftest_case(unsigned int index, ioview_ctl_case *out)
{
	namespace selftest = ioview::kernel::selftest;

	selftest::result_list r = selftest::results();
	if (index >= r.count)
		return -ioview::enoent;
	const selftest::record &rec = r.records[index];
	*out = { rec.suite, rec.name, ctl::verdict_code(rec.status), rec.diag };
	return 0;
}

int ioview_driver_ctl_stats_get(const char *name, ioview_ctl_stats *out, ioview_ctl_status *st)
{
	ctl::bound_ref ref;
	if (int err = ctl::find(name, ref, st))
		return err;
	ctl::fill_stats(ref, out);
	return 0;
}

int ioview_driver_ctl_stats_at(unsigned long index, unsigned int *generation, ioview_ctl_stats *out,
			       ioview_ctl_status *st)
{
	ctl::bound_ref ref = ctl::acquire_at(index, generation);
	if (!ref)
		return -ioview::enoent;
	ctl::fill_stats(ref, out);
	return 0;
}
