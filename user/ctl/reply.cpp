// SPDX-License-Identifier: GPL-2.0
#include "ctl/reply.h"

#include <array>
#include <cerrno>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ctl/errors.h"
#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

// libnl checks a minimum length per type; an exact maximum makes an integer of the wrong size an error too.
constexpr nla_policy exactly(std::uint16_t type, std::uint16_t bytes)
{
	return nla_policy{ type, bytes, bytes };
}
constexpr nla_policy u8_attr = exactly(NLA_U8, 1);
constexpr nla_policy u16_attr = exactly(NLA_U16, 2);
constexpr nla_policy u32_attr = exactly(NLA_U32, 4);
constexpr nla_policy u64_attr = exactly(NLA_U64, 8);
constexpr nla_policy string_attr = { NLA_STRING, 0, 0 };
constexpr nla_policy nest_attr = { NLA_NESTED, 0, 0 };
constexpr nla_policy flag_attr = { NLA_FLAG, 0, 0 };
constexpr nla_policy binary_attr = { NLA_UNSPEC, 0, 0 };

// The reply attributes of the ioview set, as the spec types them.
const std::array<nla_policy, IOVIEW_A_MAX + 1> &top_policy()
{
	static const std::array<nla_policy, IOVIEW_A_MAX + 1> p = [] {
		std::array<nla_policy, IOVIEW_A_MAX + 1> a{};
		a[IOVIEW_A_DEV_NAME] = string_attr;
		a[IOVIEW_A_DEV_KIND] = u32_attr;
		a[IOVIEW_A_VENDOR] = u16_attr;
		a[IOVIEW_A_DEVICE] = u16_attr;
		a[IOVIEW_A_REVISION] = u8_attr;
		a[IOVIEW_A_CLASS] = u32_attr;
		a[IOVIEW_A_IRQ_KIND] = u32_attr;
		a[IOVIEW_A_IRQ] = u32_attr;
		a[IOVIEW_A_BAR] = nest_attr;
		a[IOVIEW_A_OFFSET] = u32_attr;
		a[IOVIEW_A_WIDTH] = u8_attr;
		a[IOVIEW_A_LENGTH] = u32_attr;
		a[IOVIEW_A_VALUE] = u64_attr;
		a[IOVIEW_A_DATA] = binary_attr;
		a[IOVIEW_A_REGISTER] = string_attr;
		a[IOVIEW_A_REG] = nest_attr;
		a[IOVIEW_A_COMPLETION] = u32_attr;
		a[IOVIEW_A_DMA_OP] = u32_attr;
		a[IOVIEW_A_TIMEOUT_MS] = u32_attr;
		a[IOVIEW_A_SUITE] = string_attr;
		a[IOVIEW_A_CASE] = nest_attr;
		a[IOVIEW_A_PASSED] = u32_attr;
		a[IOVIEW_A_FAILED] = u32_attr;
		a[IOVIEW_A_SKIPPED] = u32_attr;
		a[IOVIEW_A_STATS] = nest_attr;
		a[IOVIEW_A_EVENT_KIND] = u32_attr;
		a[IOVIEW_A_EVENT_SEQ] = u64_attr;
		return a;
	}();
	return p;
}

// The stats nest's counters, by attribute, with the spec's names.
constexpr std::array<const char *, IOVIEW_A_STATS_MAX + 1> stats_names = {
	nullptr,
	nullptr,
	"interrupts",
	"foreign-interrupts",
	"factorials",
	"dma-transfers",
	"dma-bytes",
	"refused",
	"busy",
	"timeouts",
	"mbox-sent",
	"mbox-sent-bytes",
	"mbox-received",
	"mbox-received-bytes",
	"mbox-not-connected",
	"mbox-full",
	"mbox-errors",
};

[[noreturn]] void malformed(const std::string &what)
{
	throw failure("the kernel's reply is malformed: " + what, EPROTO);
}

// The top-level attributes of a reply, validated.
struct attrs {
	std::array<nlattr *, IOVIEW_A_MAX + 1> tb{};
	nlmsghdr *hdr = nullptr;

	explicit attrs(nl_msg *m) : hdr(nlmsg_hdr(m))
	{
		// genlmsg_parse wants a mutable policy array; libnl never writes to it.
		if (genlmsg_parse(hdr, 0, tb.data(), IOVIEW_A_MAX, const_cast<nla_policy *>(top_policy().data())) < 0)
			malformed("an attribute has the wrong type or size");
	}

	nlattr *operator[](int type) const { return tb[static_cast<std::size_t>(type)]; }

	nlattr *need(int type, const char *name) const
	{
		if (!tb[static_cast<std::size_t>(type)])
			malformed(std::string("no ") + name);
		return tb[static_cast<std::size_t>(type)];
	}

	// Every attribute of this type, in order (the multi-attr nests).
	template <typename F> void each(int type, F f) const
	{
		nlattr *a;
		int rem;
		nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(hdr), 0), genlmsg_attrlen(genlmsg_hdr(hdr), 0), rem)
		{
			if (nla_type(a) == type)
				f(a);
		}
	}
};

template <std::size_t N>
void parse_nest(std::array<nlattr *, N> &tb, nlattr *nest, const std::array<nla_policy, N> &policy, const char *what)
{
	if (nla_parse_nested(tb.data(), static_cast<int>(N - 1), nest, const_cast<nla_policy *>(policy.data())) < 0)
		malformed(std::string("a ") + what + " attribute has the wrong type or size");
}

std::string string_of(nlattr *a)
{
	return nla_get_string(a);
}

std::vector<std::uint8_t> bytes_of(nlattr *a)
{
	const auto *p = static_cast<const std::uint8_t *>(nla_data(a));
	return std::vector<std::uint8_t>(p, p + nla_len(a));
}

std::string numbered(const char *base, std::uint32_t v)
{
	return std::string(base) + std::to_string(v);
}

} // namespace

device_info decode_device(nl_msg *m)
{
	attrs a(m);
	device_info d;
	d.name = string_of(a.need(IOVIEW_A_DEV_NAME, "dev-name"));
	d.kind = nla_get_u32(a.need(IOVIEW_A_DEV_KIND, "dev-kind"));
	d.vendor = nla_get_u16(a.need(IOVIEW_A_VENDOR, "vendor"));
	d.device = nla_get_u16(a.need(IOVIEW_A_DEVICE, "device"));
	if (a[IOVIEW_A_REVISION])
		d.revision = nla_get_u8(a[IOVIEW_A_REVISION]);
	if (a[IOVIEW_A_CLASS])
		d.class_code = nla_get_u32(a[IOVIEW_A_CLASS]);
	if (a[IOVIEW_A_IRQ_KIND])
		d.irq_kind = nla_get_u32(a[IOVIEW_A_IRQ_KIND]);
	if (a[IOVIEW_A_IRQ])
		d.irq = nla_get_u32(a[IOVIEW_A_IRQ]);
	static const std::array<nla_policy, IOVIEW_A_BAR_MAX + 1> bar_policy = [] {
		std::array<nla_policy, IOVIEW_A_BAR_MAX + 1> p{};
		p[IOVIEW_A_BAR_INDEX] = u8_attr;
		p[IOVIEW_A_BAR_SIZE] = u64_attr;
		p[IOVIEW_A_BAR_MEM] = flag_attr;
		return p;
	}();
	a.each(IOVIEW_A_BAR, [&](nlattr *nest) {
		std::array<nlattr *, IOVIEW_A_BAR_MAX + 1> tb{};
		parse_nest(tb, nest, bar_policy, "bar");
		if (!tb[IOVIEW_A_BAR_INDEX] || !tb[IOVIEW_A_BAR_SIZE])
			malformed("a bar without index or size");
		bar_info b;
		b.index = nla_get_u8(tb[IOVIEW_A_BAR_INDEX]);
		b.size = nla_get_u64(tb[IOVIEW_A_BAR_SIZE]);
		b.mem = tb[IOVIEW_A_BAR_MEM] != nullptr;
		d.bars.push_back(b);
	});
	return d;
}

config_bytes decode_config(nl_msg *m)
{
	attrs a(m);
	config_bytes c;
	if (a[IOVIEW_A_DEV_NAME])
		c.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	if (a[IOVIEW_A_OFFSET])
		c.offset = nla_get_u32(a[IOVIEW_A_OFFSET]);
	c.data = bytes_of(a.need(IOVIEW_A_DATA, "data"));
	if (c.offset > IOVIEW_CONFIG_MAX_BYTES || c.data.size() > IOVIEW_CONFIG_MAX_BYTES - c.offset)
		malformed("configuration space past 4096 bytes");
	return c;
}

reg_map decode_reg_map(nl_msg *m)
{
	attrs a(m);
	reg_map r;
	if (a[IOVIEW_A_DEV_NAME])
		r.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	static const std::array<nla_policy, IOVIEW_A_REG_MAX + 1> reg_policy = [] {
		std::array<nla_policy, IOVIEW_A_REG_MAX + 1> p{};
		p[IOVIEW_A_REG_NAME] = string_attr;
		p[IOVIEW_A_REG_OFFSET] = u32_attr;
		p[IOVIEW_A_REG_WIDTH] = u8_attr;
		p[IOVIEW_A_REG_ACCESS] = u32_attr;
		p[IOVIEW_A_REG_FIELD] = nest_attr;
		return p;
	}();
	static const std::array<nla_policy, IOVIEW_A_FIELD_MAX + 1> field_policy = [] {
		std::array<nla_policy, IOVIEW_A_FIELD_MAX + 1> p{};
		p[IOVIEW_A_FIELD_NAME] = string_attr;
		p[IOVIEW_A_FIELD_HI] = u8_attr;
		p[IOVIEW_A_FIELD_LO] = u8_attr;
		p[IOVIEW_A_FIELD_ACCESS] = u32_attr;
		return p;
	}();
	a.each(IOVIEW_A_REG, [&](nlattr *nest) {
		std::array<nlattr *, IOVIEW_A_REG_MAX + 1> tb{};
		parse_nest(tb, nest, reg_policy, "reg");
		if (!tb[IOVIEW_A_REG_NAME] || !tb[IOVIEW_A_REG_OFFSET] || !tb[IOVIEW_A_REG_WIDTH])
			malformed("a reg without name, offset or width");
		reg_desc d;
		d.name = string_of(tb[IOVIEW_A_REG_NAME]);
		d.offset = nla_get_u32(tb[IOVIEW_A_REG_OFFSET]);
		d.width = nla_get_u8(tb[IOVIEW_A_REG_WIDTH]);
		if (tb[IOVIEW_A_REG_ACCESS])
			d.access = nla_get_u32(tb[IOVIEW_A_REG_ACCESS]);
		nlattr *f;
		int rem;
		nla_for_each_nested(f, nest, rem)
		{
			if (nla_type(f) != IOVIEW_A_REG_FIELD)
				continue;
			std::array<nlattr *, IOVIEW_A_FIELD_MAX + 1> ft{};
			parse_nest(ft, f, field_policy, "field");
			if (!ft[IOVIEW_A_FIELD_NAME] || !ft[IOVIEW_A_FIELD_HI] || !ft[IOVIEW_A_FIELD_LO])
				malformed("a field without name, hi or lo");
			field_desc fd;
			fd.name = string_of(ft[IOVIEW_A_FIELD_NAME]);
			fd.hi = nla_get_u8(ft[IOVIEW_A_FIELD_HI]);
			fd.lo = nla_get_u8(ft[IOVIEW_A_FIELD_LO]);
			if (ft[IOVIEW_A_FIELD_ACCESS])
				fd.access = nla_get_u32(ft[IOVIEW_A_FIELD_ACCESS]);
			if (fd.lo > fd.hi || fd.hi >= 64)
				malformed("field " + fd.name + " has bits " + std::to_string(fd.hi) + ":" + std::to_string(fd.lo));
			d.fields.push_back(fd);
		}
		r.regs.push_back(std::move(d));
	});
	return r;
}

reg_value decode_reg_value(nl_msg *m)
{
	attrs a(m);
	reg_value v;
	if (a[IOVIEW_A_DEV_NAME])
		v.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	if (a[IOVIEW_A_REGISTER])
		v.name = string_of(a[IOVIEW_A_REGISTER]);
	if (a[IOVIEW_A_OFFSET])
		v.offset = nla_get_u32(a[IOVIEW_A_OFFSET]);
	if (a[IOVIEW_A_WIDTH])
		v.width = nla_get_u8(a[IOVIEW_A_WIDTH]);
	v.value = nla_get_u64(a.need(IOVIEW_A_VALUE, "value"));
	return v;
}

factorial_result decode_factorial(nl_msg *m)
{
	attrs a(m);
	factorial_result f;
	if (a[IOVIEW_A_DEV_NAME])
		f.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	f.value = nla_get_u64(a.need(IOVIEW_A_VALUE, "value"));
	return f;
}

data_reply decode_data(nl_msg *m)
{
	attrs a(m);
	data_reply d;
	if (a[IOVIEW_A_DEV_NAME])
		d.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	if (a[IOVIEW_A_OFFSET])
		d.offset = nla_get_u32(a[IOVIEW_A_OFFSET]);
	// An empty message is a message: data of length 0.
	d.data = bytes_of(a.need(IOVIEW_A_DATA, "data"));
	return d;
}

selftest_result decode_selftest(nl_msg *m)
{
	attrs a(m);
	selftest_result r;
	static const std::array<nla_policy, IOVIEW_A_CASE_MAX + 1> case_policy = [] {
		std::array<nla_policy, IOVIEW_A_CASE_MAX + 1> p{};
		p[IOVIEW_A_CASE_SUITE] = string_attr;
		p[IOVIEW_A_CASE_NAME] = string_attr;
		p[IOVIEW_A_CASE_VERDICT] = u8_attr;
		p[IOVIEW_A_CASE_DIAG] = string_attr;
		return p;
	}();
	a.each(IOVIEW_A_CASE, [&](nlattr *nest) {
		std::array<nlattr *, IOVIEW_A_CASE_MAX + 1> tb{};
		parse_nest(tb, nest, case_policy, "case");
		if (!tb[IOVIEW_A_CASE_SUITE] || !tb[IOVIEW_A_CASE_NAME] || !tb[IOVIEW_A_CASE_VERDICT])
			malformed("a case without suite, name or verdict");
		case_result c;
		c.suite = string_of(tb[IOVIEW_A_CASE_SUITE]);
		c.name = string_of(tb[IOVIEW_A_CASE_NAME]);
		c.verdict = nla_get_u8(tb[IOVIEW_A_CASE_VERDICT]);
		if (c.verdict > IOVIEW_VERDICT_SKIP)
			malformed("case " + c.name + " has verdict " + std::to_string(c.verdict));
		if (tb[IOVIEW_A_CASE_DIAG])
			c.diag = string_of(tb[IOVIEW_A_CASE_DIAG]);
		r.cases.push_back(std::move(c));
	});
	r.passed = nla_get_u32(a.need(IOVIEW_A_PASSED, "passed"));
	r.failed = nla_get_u32(a.need(IOVIEW_A_FAILED, "failed"));
	r.skipped = nla_get_u32(a.need(IOVIEW_A_SKIPPED, "skipped"));
	return r;
}

device_stats decode_stats(nl_msg *m)
{
	attrs a(m);
	device_stats s;
	s.dev = string_of(a.need(IOVIEW_A_DEV_NAME, "dev-name"));
	if (a[IOVIEW_A_DEV_KIND])
		s.kind = nla_get_u32(a[IOVIEW_A_DEV_KIND]);
	static const std::array<nla_policy, IOVIEW_A_STATS_MAX + 1> stats_policy = [] {
		std::array<nla_policy, IOVIEW_A_STATS_MAX + 1> p{};
		for (std::size_t i = IOVIEW_A_STATS_INTERRUPTS; i <= IOVIEW_A_STATS_MAX; ++i)
			p[i] = u64_attr;
		return p;
	}();
	std::array<nlattr *, IOVIEW_A_STATS_MAX + 1> tb{};
	parse_nest(tb, a.need(IOVIEW_A_STATS, "stats"), stats_policy, "stats");
	for (std::size_t i = IOVIEW_A_STATS_INTERRUPTS; i <= IOVIEW_A_STATS_MAX; ++i)
		if (tb[i])
			s.counters.emplace_back(stats_names[i], nla_get_u64(tb[i]));
	return s;
}

event decode_event(nl_msg *m)
{
	attrs a(m);
	event e;
	e.kind = nla_get_u32(a.need(IOVIEW_A_EVENT_KIND, "event-kind"));
	e.seq = nla_get_u64(a.need(IOVIEW_A_EVENT_SEQ, "event-seq"));
	if (a[IOVIEW_A_DEV_NAME])
		e.dev = string_of(a[IOVIEW_A_DEV_NAME]);
	if (a[IOVIEW_A_VALUE])
		e.value = nla_get_u64(a[IOVIEW_A_VALUE]);
	return e;
}

std::string dev_kind_name(std::uint32_t kind)
{
	switch (kind) {
	case IOVIEW_DEV_KIND_EDU: return "edu";
	case IOVIEW_DEV_KIND_IVSHMEM: return "ivshmem";
	}
	return numbered("?", kind);
}

std::string irq_kind_name(std::uint32_t kind)
{
	switch (kind) {
	case IOVIEW_IRQ_KIND_NONE: return "none";
	case IOVIEW_IRQ_KIND_MSI: return "msi";
	case IOVIEW_IRQ_KIND_INTX: return "intx";
	}
	return numbered("?", kind);
}

std::string access_name(std::uint32_t access)
{
	switch (access) {
	case IOVIEW_ACCESS_RW: return "rw";
	case IOVIEW_ACCESS_RO: return "ro";
	case IOVIEW_ACCESS_WO: return "wo";
	case IOVIEW_ACCESS_W1C: return "w1c";
	case IOVIEW_ACCESS_W1S: return "w1s";
	case IOVIEW_ACCESS_RC: return "rc";
	case IOVIEW_ACCESS_RSVD_ZERO: return "rsvd-zero";
	case IOVIEW_ACCESS_RSVD_KEEP: return "rsvd-keep";
	}
	return numbered("?", access);
}

std::string verdict_name(std::uint32_t verdict)
{
	switch (verdict) {
	case IOVIEW_VERDICT_PASS: return "pass";
	case IOVIEW_VERDICT_FAIL: return "fail";
	case IOVIEW_VERDICT_SKIP: return "skip";
	}
	return numbered("?", verdict);
}

std::string event_kind_name(std::uint32_t kind)
{
	switch (kind) {
	case IOVIEW_EVENT_KIND_INTERRUPT: return "interrupt";
	case IOVIEW_EVENT_KIND_FACTORIAL_DONE: return "factorial-done";
	case IOVIEW_EVENT_KIND_DMA_DONE: return "dma-done";
	case IOVIEW_EVENT_KIND_MBOX_MESSAGE: return "mbox-message";
	case IOVIEW_EVENT_KIND_DEV_ADD: return "dev-add";
	case IOVIEW_EVENT_KIND_DEV_REMOVE: return "dev-remove";
	}
	return numbered("?", kind);
}

std::string attribute_name(int type)
{
	static constexpr std::array<const char *, IOVIEW_A_MAX + 1> names = {
		"unspec",   "pad",	 "dev-name",   "dev-kind",   "vendor", "device",     "revision",
		"class",    "irq-kind",	 "irq",	       "bar",	     "offset", "width",	     "length",
		"value",    "data",	 "register",   "reg",	     "completion", "dma-op", "timeout-ms",
		"suite",    "case",	 "passed",     "failed",     "skipped", "stats",     "event-kind",
		"event-seq",
	};
	if (type >= 0 && type <= IOVIEW_A_MAX)
		return names[static_cast<std::size_t>(type)];
	return "attribute " + std::to_string(type);
}

} // namespace ioviewctl
