// SPDX-License-Identifier: GPL-2.0
#include "ctl/commands.h"

#include <cerrno>
#include <cstdio>

#include "ctl/errors.h"
#include "ctl/ktap.h"
#include "ctl/pci_decode.h"
#include "ctl/pci_names.h"
#include "ctl/reply.h"
#include "ctl/request.h"
#include "ctl/session.h"
#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

// The name the module's PCI driver registers, which lspci -v shows as the driver in use.
constexpr const char driver_name[] = "ioview";

void print(std::FILE *out, const std::string &s)
{
	std::fwrite(s.data(), 1, s.size(), out);
}

nl_msg *one_reply(const std::vector<message> &replies)
{
	if (replies.empty())
		throw failure("the kernel sent no reply", EPROTO);
	return replies.front().get();
}

// A short device name needs the list of bound devices; a complete one is only made canonical.
std::string resolved_device(session &s, const std::string &given)
{
	if (is_complete_address(given))
		return canonical_name(*parse_pci_address(given));
	std::vector<std::string> names;
	for (const message &m : s.transact(dev_get_request(s.family(), std::nullopt)))
		names.push_back(decode_device(m.get()).name);
	return resolve_device(given, names);
}

void emit(std::FILE *out, const output_format &f, const std::string &text, const nlohmann::json &json)
{
	print(out, f.json ? json_document(json, f) : text);
}

int config_show(session &s, const command &c, const output_format &f, std::FILE *out)
{
	const std::string &dev = *c.dev;
	config_bytes bytes = decode_config(
		one_reply(s.transact(config_read_request(s.family(), dev, std::nullopt, config_show_length(c.view)))));
	if (bytes.offset != 0)
		throw failure("the kernel's reply starts at offset " + std::to_string(bytes.offset) + ", not 0", EPROTO);
	pci_function fn;
	fn.slot = lspci_slot(dev);
	fn.config = bytes.data;
	if (c.view != config_view::decoded) {
		if (f.json) {
			print(out, json_document(config_dump_json(bytes), f));
		} else {
			pci_names names;
			print(out, lspci_hex_block(fn, names));
		}
		return exit_ok;
	}
	// What lspci -v takes from sysfs besides the bytes: the interrupt and the BAR sizes.
	device_info info = decode_device(one_reply(s.transact(dev_get_request(s.family(), dev))));
	fn.irq = info.irq;
	for (const bar_info &b : info.bars)
		if (b.index < fn.bar_sizes.size())
			fn.bar_sizes[b.index] = b.size;
	fn.driver = driver_name;
	if (f.json) {
		nlohmann::json j = pci_decode_json(fn);
		j["dev"] = dev;
		print(out, json_document(j, f));
	} else {
		pci_names names;
		print(out, lspci_verbose(fn, names));
	}
	return exit_ok;
}

int reg_show(session &s, const command &c, const output_format &f, std::FILE *out)
{
	reg_map map = decode_reg_map(one_reply(s.transact(build_request(c, s.family()))));
	std::vector<reg_shown> shown;
	for (reg_desc &d : map.regs) {
		reg_shown r{ std::move(d), std::nullopt };
		if (reg_show_reads(r.desc))
			r.value = decode_reg_value(one_reply(s.transact(reg_read_request(s.family(), *c.dev, r.desc.name))))
					  .value;
		shown.push_back(std::move(r));
	}
	emit(out, f, reg_show_text(*c.dev, shown), reg_show_json(*c.dev, shown));
	return exit_ok;
}

int monitor(session &s, const output_format &f, std::FILE *out)
{
	std::optional<std::uint64_t> last;
	auto on_event = [&](nl_msg *m) {
		event e = decode_event(m);
		std::uint64_t lost = last && e.seq > *last + 1 ? e.seq - *last - 1 : 0;
		last = e.seq;
		if (f.json)
			print(out, nlohmann::json(event_json(e, lost)).dump() + "\n");	// one object a line, never indented
		else
			print(out, event_text(e, lost));
		std::fflush(out);
		return true;
	};
	auto on_overrun = [&] {
		if (f.json)
			print(out, "{\"overrun\":true}\n");
		else
			print(out, "(the receive buffer overflowed: events were lost)\n");
		std::fflush(out);
	};
	s.listen(on_event, on_overrun);
	return exit_ok;
}

} // namespace

std::string error_text(const std::string &message)
{
	if (!message.empty() && message.back() == '.')
		return message;
	return message + ".";
}

int run_command(command c, const output_format &f)
{
	if (c.what == action::help) {
		print(stdout, help_text(c.help_topic).value_or(""));
		return exit_ok;
	}
	session s;
	return run_command(std::move(c), f, s, stdout);
}

int run_command(command c, const output_format &f, session &s, std::FILE *out)
{
	if (c.what == action::help) {
		print(out, help_text(c.help_topic).value_or(""));
		return exit_ok;
	}
	if (c.dev)
		c.dev = resolved_device(s, *c.dev);
	const nlohmann::json nothing = nlohmann::json::object();
	switch (c.what) {
	case action::help:
		break;
	case action::dev_show: {
		std::vector<device_info> devs;
		for (const message &m : s.transact(build_request(c, s.family())))
			devs.push_back(decode_device(m.get()));
		emit(out, f, devices_text(devs), devices_json(devs));
		break;
	}
	case action::config_show:
		return config_show(s, c, f, out);
	case action::config_read: {
		config_bytes b = decode_config(one_reply(s.transact(build_request(c, s.family()))));
		// Fewer bytes than asked for: the kernel's rule for callers without CAP_SYS_ADMIN.
		if (b.data.size() != *c.width)
			throw failure("the kernel returned " + std::to_string(b.data.size()) + " of " +
					      std::to_string(*c.width) + " bytes (without CAP_SYS_ADMIN only the first " +
					      std::to_string(IOVIEW_CONFIG_UNPRIVILEGED_BYTES) + " bytes can be read)",
				      EPERM);
		if (b.dev.empty())
			b.dev = *c.dev;
		emit(out, f, config_value_text(b), config_value_json(b));
		break;
	}
	case action::reg_show:
		return reg_show(s, c, f, out);
	case action::reg_read: {
		reg_value v = decode_reg_value(one_reply(s.transact(build_request(c, s.family()))));
		if (v.dev.empty())
			v.dev = *c.dev;
		emit(out, f, reg_value_text(v), reg_value_json(v));
		break;
	}
	case action::edu_fact: {
		factorial_result r = decode_factorial(one_reply(s.transact(build_request(c, s.family()))));
		if (r.dev.empty())
			r.dev = *c.dev;
		emit(out, f, factorial_text(*c.value, r), factorial_json(*c.value, r));
		break;
	}
	case action::edu_dma: {
		std::vector<message> replies = s.transact(build_request(c, s.family()));
		if (*c.dma_op == IOVIEW_DMA_OP_WRITE) {
			emit(out, f, "", nothing);
			break;
		}
		data_reply r = decode_data(one_reply(replies));
		if (r.dev.empty())
			r.dev = *c.dev;
		if (!r.offset)
			r.offset = c.offset;
		std::optional<bool> match;
		if (*c.dma_op == IOVIEW_DMA_OP_ROUND_TRIP)
			match = r.data == *c.data;
		emit(out, f, dma_text(r, match), dma_json(r, match));
		return match && !*match ? exit_failure : exit_ok;
	}
	case action::shm_recv: {
		data_reply r = decode_data(one_reply(s.transact(build_request(c, s.family()))));
		if (r.dev.empty())
			r.dev = *c.dev;
		emit(out, f, mbox_text(r), mbox_json(r));
		break;
	}
	case action::selftest_run: {
		selftest_result r = decode_selftest(one_reply(s.transact(build_request(c, s.family()))));
		emit(out, f, selftest_ktap(r), selftest_json(r));
		bool any_failed = r.failed > 0;
		for (const case_result &k : r.cases)
			any_failed = any_failed || k.verdict == IOVIEW_VERDICT_FAIL;
		return any_failed ? exit_failure : exit_ok;
	}
	case action::stats_show: {
		std::vector<device_stats> all;
		for (const message &m : s.transact(build_request(c, s.family())))
			all.push_back(decode_stats(m.get()));
		emit(out, f, stats_text(all), stats_json(all));
		break;
	}
	case action::monitor:
		return monitor(s, f, out);
	case action::config_write:
	case action::reg_write:
	case action::edu_irq_raise:
	case action::shm_send:
	case action::shm_close:
		s.transact(build_request(c, s.family()));
		emit(out, f, "", nothing);
		break;
	}
	return exit_ok;
}

} // namespace ioviewctl
