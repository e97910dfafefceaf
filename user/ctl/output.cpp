// SPDX-License-Identifier: GPL-2.0
#include "ctl/output.h"

#include <cstdio>

#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

std::string hex(std::uint64_t v, int digits)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "0x%0*llx", digits, static_cast<unsigned long long>(v));
	return buf;
}

int bits_of(std::uint8_t width_bytes)
{
	return width_bytes * 8;
}

} // namespace

std::string json_document(const nlohmann::json &j, const output_format &f)
{
	return j.dump(f.pretty ? 4 : -1) + "\n";
}

std::string size_text(std::uint64_t x)
{
	static const char *const suffix[] = { "", "K", "M", "G", "T" };
	unsigned i = 0;
	for (; x && i < 4; ++i) {
		if (x % 1024)
			break;
		x /= 1024;
	}
	return std::to_string(x) + suffix[i];
}

std::string devices_text(const std::vector<device_info> &devs)
{
	std::string out;
	for (const device_info &d : devs) {
		out += d.name + ": kind " + dev_kind_name(d.kind) + " vendor " + hex(d.vendor, 4) + " device " +
		       hex(d.device, 4) + " revision " + hex(d.revision, 2) + " class " + hex(d.class_code, 6) + " irq " +
		       irq_kind_name(d.irq_kind);
		if (d.irq)
			out += " " + std::to_string(*d.irq);
		out += "\n";
		for (const bar_info &b : d.bars)
			out += "  bar " + std::to_string(b.index) + (b.mem ? " mem" : " io") + " size " + size_text(b.size) +
			       "\n";
	}
	return out;
}

nlohmann::json devices_json(const std::vector<device_info> &devs)
{
	nlohmann::json all = nlohmann::json::object();
	for (const device_info &d : devs) {
		nlohmann::json j;
		j["kind"] = dev_kind_name(d.kind);
		j["vendor"] = d.vendor;
		j["device"] = d.device;
		j["revision"] = d.revision;
		j["class"] = d.class_code;
		j["irq_kind"] = irq_kind_name(d.irq_kind);
		if (d.irq)
			j["irq"] = *d.irq;
		nlohmann::json bars = nlohmann::json::array();
		for (const bar_info &b : d.bars)
			bars.push_back({ { "index", b.index }, { "type", b.mem ? "mem" : "io" }, { "size", b.size } });
		j["bars"] = bars;
		all[d.name] = j;
	}
	return { { "dev", all } };
}

std::uint64_t config_value(const config_bytes &c)
{
	std::uint64_t v = 0;
	for (std::size_t i = c.data.size(); i-- > 0;)
		v = v << 8 | c.data[i];
	return v;
}

std::string config_value_text(const config_bytes &c)
{
	return hex(config_value(c), static_cast<int>(c.data.size() * 2)) + "\n";
}

nlohmann::json config_value_json(const config_bytes &c)
{
	return { { "dev", c.dev },
		 { "offset", c.offset },
		 { "width", c.data.size() * 8 },
		 { "value", config_value(c) } };
}

nlohmann::json config_dump_json(const config_bytes &c)
{
	return { { "dev", c.dev }, { "offset", c.offset }, { "length", c.data.size() }, { "data", hex_string(c.data) } };
}

std::uint64_t field_value(const field_desc &f, std::uint64_t reg)
{
	unsigned bits = static_cast<unsigned>(f.hi - f.lo + 1);
	std::uint64_t mask = bits >= 64 ? ~std::uint64_t{ 0 } : (std::uint64_t{ 1 } << bits) - 1;
	return reg >> f.lo & mask;
}

bool reg_show_reads(const reg_desc &r)
{
	return r.access != IOVIEW_ACCESS_RC && r.access != IOVIEW_ACCESS_WO;
}

std::string reg_show_text(const std::string &dev, const std::vector<reg_shown> &regs)
{
	std::string out = dev + ":\n";
	for (const reg_shown &r : regs) {
		const reg_desc &d = r.desc;
		out += "  " + d.name + " " + hex(d.offset, 2) + " " + std::to_string(bits_of(d.width)) + " " +
		       access_name(d.access);
		if (r.value)
			out += " = " + hex(*r.value, d.width * 2);
		else if (d.access == IOVIEW_ACCESS_RC)
			out += " (not read: a read clears it)";
		else if (d.access == IOVIEW_ACCESS_WO)
			out += " (write-only)";
		out += "\n";
		for (const field_desc &f : d.fields) {
			out += "    " + f.name + " " + std::to_string(f.hi) +
			       (f.hi == f.lo ? "" : ":" + std::to_string(f.lo)) + " " + access_name(f.access);
			if (r.value)
				out += " = " + hex(field_value(f, *r.value), (f.hi - f.lo + 4) / 4);
			out += "\n";
		}
	}
	return out;
}

nlohmann::json reg_show_json(const std::string &dev, const std::vector<reg_shown> &regs)
{
	nlohmann::json list = nlohmann::json::array();
	for (const reg_shown &r : regs) {
		const reg_desc &d = r.desc;
		nlohmann::json j = { { "name", d.name },
				     { "offset", d.offset },
				     { "width", bits_of(d.width) },
				     { "access", access_name(d.access) } };
		if (r.value)
			j["value"] = *r.value;
		nlohmann::json fields = nlohmann::json::array();
		for (const field_desc &f : d.fields) {
			nlohmann::json fj = { { "name", f.name }, { "hi", f.hi }, { "lo", f.lo }, { "access", access_name(f.access) } };
			if (r.value)
				fj["value"] = field_value(f, *r.value);
			fields.push_back(fj);
		}
		j["fields"] = fields;
		list.push_back(j);
	}
	return { { "dev", dev }, { "registers", list } };
}

std::string reg_value_text(const reg_value &v)
{
	std::string where = v.name ? *v.name + " " + hex(v.offset, 2) : hex(v.offset, 2);
	return where + " = " + hex(v.value, v.width * 2) + "\n";
}

nlohmann::json reg_value_json(const reg_value &v)
{
	nlohmann::json j = { { "dev", v.dev }, { "offset", v.offset }, { "width", bits_of(v.width) }, { "value", v.value } };
	if (v.name)
		j["register"] = *v.name;
	return j;
}

std::string factorial_text(std::uint64_t n, const factorial_result &r)
{
	return std::to_string(n) + "! = " + std::to_string(r.value) + "\n";
}

nlohmann::json factorial_json(std::uint64_t n, const factorial_result &r)
{
	return { { "dev", r.dev }, { "n", n }, { "value", r.value } };
}

std::string hex_lines(const std::vector<std::uint8_t> &data, std::uint32_t base)
{
	std::string out;
	char buf[16];
	for (std::size_t i = 0; i < data.size(); ++i) {
		if (!(i & 15)) {
			std::snprintf(buf, sizeof(buf), "%04zx:", static_cast<std::size_t>(base) + i);
			out += buf;
		}
		std::snprintf(buf, sizeof(buf), " %02x", data[i]);
		out += buf;
		if ((i & 15) == 15 || i + 1 == data.size())
			out += '\n';
	}
	return out;
}

std::string hex_string(const std::vector<std::uint8_t> &data)
{
	static const char digits[] = "0123456789abcdef";
	std::string out;
	for (std::uint8_t b : data) {
		out += digits[b >> 4];
		out += digits[b & 15];
	}
	return out;
}

bool printable(const std::vector<std::uint8_t> &data)
{
	for (std::uint8_t b : data)
		if ((b < 0x20 || b > 0x7e) && b != '\t')
			return false;
	return true;
}

std::string dma_text(const data_reply &r, std::optional<bool> match)
{
	std::string out = hex_lines(r.data, r.offset.value_or(0));
	if (match)
		out += *match ? "round trip: " + std::to_string(r.data.size()) + " bytes came back as written\n"
			      : "round trip: the bytes that came back differ from those written\n";
	return out;
}

nlohmann::json dma_json(const data_reply &r, std::optional<bool> match)
{
	nlohmann::json j = { { "dev", r.dev },
			     { "offset", r.offset.value_or(0) },
			     { "length", r.data.size() },
			     { "data", hex_string(r.data) } };
	if (match)
		j["match"] = *match;
	return j;
}

std::string mbox_text(const data_reply &r)
{
	if (printable(r.data))
		return std::string(r.data.begin(), r.data.end()) + "\n";
	return hex_lines(r.data, 0);
}

nlohmann::json mbox_json(const data_reply &r)
{
	nlohmann::json j = { { "dev", r.dev }, { "length", r.data.size() }, { "data", hex_string(r.data) } };
	if (printable(r.data))
		j["text"] = std::string(r.data.begin(), r.data.end());
	return j;
}

nlohmann::json selftest_json(const selftest_result &r)
{
	nlohmann::json cases = nlohmann::json::array();
	for (const case_result &c : r.cases) {
		nlohmann::json j = { { "suite", c.suite }, { "name", c.name }, { "verdict", verdict_name(c.verdict) } };
		if (!c.diag.empty())
			j["diag"] = c.diag;
		cases.push_back(j);
	}
	return { { "cases", cases }, { "passed", r.passed }, { "failed", r.failed }, { "skipped", r.skipped } };
}

std::string stats_text(const std::vector<device_stats> &all)
{
	std::string out;
	for (const device_stats &s : all) {
		out += s.dev + ": kind " + dev_kind_name(s.kind) + "\n ";
		for (const auto &[name, value] : s.counters)
			out += " " + name + " " + std::to_string(value);
		out += "\n";
	}
	return out;
}

nlohmann::json stats_json(const std::vector<device_stats> &all)
{
	nlohmann::json out = nlohmann::json::object();
	for (const device_stats &s : all) {
		nlohmann::json j = { { "kind", dev_kind_name(s.kind) } };
		for (const auto &[name, value] : s.counters)
			j[name] = value;
		out[s.dev] = j;
	}
	return { { "stats", out } };
}

std::string event_text(const event &e, std::uint64_t lost)
{
	std::string out;
	if (lost)
		out += "[" + std::to_string(e.seq) + "] (" + std::to_string(lost) + " events lost before this one)\n";
	out += "[" + std::to_string(e.seq) + "] " + event_kind_name(e.kind);
	if (e.dev)
		out += " " + *e.dev;
	if (e.value)
		out += " value " + hex(*e.value, 1);
	return out + "\n";
}

nlohmann::json event_json(const event &e, std::uint64_t lost)
{
	nlohmann::json j = { { "seq", e.seq }, { "event", event_kind_name(e.kind) } };
	if (e.dev)
		j["dev"] = *e.dev;
	if (e.value)
		j["value"] = *e.value;
	if (lost)
		j["lost"] = lost;
	return j;
}

} // namespace ioviewctl
