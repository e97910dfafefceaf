// SPDX-License-Identifier: GPL-2.0
#include "ctl/grammar.h"

#include <cctype>
#include <cstdio>
#include <map>

#include "ctl/errors.h"
#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

std::string quoted(std::string_view s)
{
	return "\"" + std::string(s) + "\"";
}

std::string joined(std::initializer_list<std::string_view> words)
{
	std::string out;
	for (std::string_view w : words) {
		if (!out.empty())
			out += ", ";
		out += w;
	}
	return out;
}

// The words of one command line, taken from the front.  Options (words that
// start with '-') are pulled out first by take_options(), wherever they
// stand, so "config show DEV -xxx" and "config show -xxx DEV" are the same.
class words_left {
public:
	words_left(std::span<const std::string_view> w, std::string topic) : topic_(std::move(topic))
	{
		for (std::string_view s : w)
			words_.push_back(s);
	}

	bool empty() const { return pos_ == words_.size(); }
	std::string_view peek() const { return words_[pos_]; }

	std::string_view next(std::string_view what)
	{
		if (empty())
			throw usage_error("missing " + std::string(what), topic_);
		return words_[pos_++];
	}

	std::optional<std::string_view> maybe()
	{
		if (empty())
			return std::nullopt;
		return words_[pos_++];
	}

	void finish()
	{
		if (!empty())
			throw usage_error("unexpected argument " + quoted(peek()), topic_);
	}

	/// Removes the options among the words left; each is matched against
	/// `names` (without the dashes) and, when takes_value says so, takes the
	/// next word as its value.  Calls on_option(name, value) for each.
	template <typename F>
	void take_options(std::initializer_list<std::string_view> names, std::initializer_list<std::string_view> with_value,
			  F on_option)
	{
		std::vector<std::string_view> kept(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(pos_));
		for (std::size_t i = pos_; i < words_.size(); ++i) {
			std::string_view w = words_[i];
			if (w == "--") {	// the end of the options: DATA may start with a dash
				kept.insert(kept.end(), words_.begin() + static_cast<std::ptrdiff_t>(i + 1), words_.end());
				break;
			}
			if (w.size() < 2 || w[0] != '-' || std::isdigit(static_cast<unsigned char>(w[1]))) {
				kept.push_back(w);
				continue;
			}
			std::string_view body = w.substr(w[1] == '-' ? 2 : 1);
			std::optional<std::string_view> value;
			if (auto eq = body.find('='); eq != std::string_view::npos) {
				value = body.substr(eq + 1);
				body = body.substr(0, eq);
			}
			std::string_view name = option_name(w, body, names);
			bool wants_value = false;
			for (std::string_view v : with_value)
				wants_value = wants_value || v == name;
			if (wants_value && !value) {
				if (i + 1 == words_.size())
					throw usage_error("option " + quoted(w) + " needs a value", topic_);
				value = words_[++i];
			} else if (!wants_value && value) {
				throw usage_error("option " + quoted(w) + " takes no value", topic_);
			}
			on_option(name, value.value_or(std::string_view{}));
		}
		words_ = std::move(kept);
	}

	const std::string &topic() const { return topic_; }

private:
	// The option `body` names (exactly, or as the prefix of only one), as in match_word().
	std::string_view option_name(std::string_view word, std::string_view body,
				     std::initializer_list<std::string_view> names) const
	{
		std::vector<std::string_view> hits;
		for (std::string_view n : names) {
			if (n == body)
				return n;
			if (!body.empty() && n.substr(0, body.size()) == body)
				hits.push_back(n);
		}
		if (hits.size() == 1)
			return hits.front();
		std::string known;
		for (std::string_view n : (hits.empty() ? std::vector<std::string_view>(names) : hits))
			known += (known.empty() ? "--" : ", --") + std::string(n);
		if (hits.empty())
			throw usage_error("unknown option " + quoted(word) + (known.empty() ? "" : " (one of: " + known + ")"),
					  topic_);
		throw usage_error("option " + quoted(word) + " is ambiguous: " + known, topic_);
	}

	std::vector<std::string_view> words_;
	std::size_t pos_ = 0;
	std::string topic_;
};

std::string device_word(words_left &w)
{
	std::string_view d = w.next("DEV");
	if (!parse_pci_address(d))
		throw usage_error("DEV " + quoted(d) + " is not a PCI address (e.g. 0000:00:03.0 or 03.0)", w.topic());
	return std::string(d);
}

// Command lines take widths in bits, as "32 by default" says; the protocol carries bytes.
std::uint8_t width_word(std::string_view given, const std::string &topic)
{
	if (given == "8")
		return 1;
	if (given == "16")
		return 2;
	if (given == "32")
		return 4;
	if (given == "64")
		return 8;
	throw usage_error("WIDTH " + quoted(given) + " is not one of 8, 16, 32, 64 (bits)", topic);
}

bool looks_numeric(std::string_view s)
{
	return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]));
}

// A register named or addressed: NAME, or OFFSET (a number).
void register_word(words_left &w, command &c)
{
	std::string_view r = w.next("NAME or OFFSET");
	if (looks_numeric(r))
		c.offset = static_cast<std::uint32_t>(parse_number(r, UINT32_MAX, "OFFSET", w.topic()));
	else if (r.size() >= IOVIEW_REG_NAME_LEN)
		throw usage_error("register name " + quoted(r) + " is too long", w.topic());
	else
		c.reg = std::string(r);
}

void parse_dev(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "show", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "dev";
		return;
	}
	c.what = action::dev_show;
	if (!w.empty())
		c.dev = device_word(w);
}

void parse_config(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "show", "read", "write", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "config";
		return;
	}
	if (verb == "show") {
		c.what = action::config_show;
		// lspci's forms, taken literally: -x and -xx show 64 bytes, -xxx 256, -xxxx all.
		std::vector<std::string_view> rest;
		while (!w.empty()) {
			std::string_view a = w.next("");
			if (a == "-x" || a == "-xx")
				c.view = config_view::hex64;
			else if (a == "-xxx")
				c.view = config_view::hex256;
			else if (a == "-xxxx")
				c.view = config_view::hex_all;
			else if (!a.empty() && a[0] == '-')
				throw usage_error("unknown option " + quoted(a) + " (-x, -xxx or -xxxx)", w.topic());
			else
				rest.push_back(a);
		}
		words_left r(rest, w.topic());
		c.dev = device_word(r);
		r.finish();
		return;
	}
	c.what = verb == "read" ? action::config_read : action::config_write;
	c.dev = device_word(w);
	c.offset = static_cast<std::uint32_t>(parse_number(w.next("OFFSET"), IOVIEW_CONFIG_MAX_BYTES - 1, "OFFSET", w.topic()));
	c.width = width_word(w.next("WIDTH"), w.topic());
	if (c.what == action::config_write)
		c.value = parse_number(w.next("VALUE"), UINT64_MAX, "VALUE", w.topic());
}

void parse_reg(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "show", "read", "write", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "reg";
		return;
	}
	c.dev = device_word(w);
	if (verb == "show") {
		c.what = action::reg_show;
		if (auto name = w.maybe()) {
			if (name->size() >= IOVIEW_REG_NAME_LEN)
				throw usage_error("register name " + quoted(*name) + " is too long", w.topic());
			c.reg = std::string(*name);
		}
		return;
	}
	c.what = verb == "read" ? action::reg_read : action::reg_write;
	register_word(w, c);
	if (c.what == action::reg_write)
		c.value = parse_number(w.next("VALUE"), UINT64_MAX, "VALUE", w.topic());
	if (auto width = w.maybe())
		c.width = width_word(*width, w.topic());
	else if (c.offset)
		c.width = 4;	// an offset alone: 32 bits, as the help says
}

void parse_edu(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "fact", "dma", "irq", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "edu";
		return;
	}
	if (verb == "fact") {
		bool irq = false;
		w.take_options({ "irq" }, {}, [&](std::string_view, std::string_view) { irq = true; });
		c.what = action::edu_fact;
		c.dev = device_word(w);
		c.value = parse_number(w.next("N"), UINT32_MAX, "N", w.topic());
		c.completion = irq ? IOVIEW_COMPLETION_INTERRUPT : IOVIEW_COMPLETION_POLL;
		return;
	}
	if (verb == "irq") {
		match_word(w.next("command"), { "raise" }, "command", w.topic());
		c.what = action::edu_irq_raise;
		c.dev = device_word(w);
		c.value = parse_number(w.next("VALUE"), UINT32_MAX, "VALUE", w.topic());
		return;
	}
	bool hex = false;
	w.take_options({ "hex" }, {}, [&](std::string_view, std::string_view) { hex = true; });
	c.what = action::edu_dma;
	c.dev = device_word(w);
	std::string_view op = match_word(w.next("write, read or roundtrip"), { "write", "read", "roundtrip" }, "DMA operation",
					 w.topic());
	c.offset = static_cast<std::uint32_t>(parse_number(w.next("OFFSET"), UINT32_MAX, "OFFSET", w.topic()));
	if (op == "read") {
		c.dma_op = IOVIEW_DMA_OP_READ;
		c.length = static_cast<std::uint32_t>(parse_number(w.next("LENGTH"), UINT32_MAX, "LENGTH", w.topic()));
		if (hex)
			throw usage_error("--hex is for the data of write and roundtrip", w.topic());
	} else {
		c.dma_op = op == "write" ? IOVIEW_DMA_OP_WRITE : IOVIEW_DMA_OP_ROUND_TRIP;
		c.data = parse_data(w.next("DATA"), hex, w.topic());
	}
}

void parse_shm(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "send", "recv", "close", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "shm";
		return;
	}
	if (verb == "send") {
		bool hex = false;
		w.take_options({ "hex" }, {}, [&](std::string_view, std::string_view) { hex = true; });
		c.what = action::shm_send;
		c.dev = device_word(w);
		c.data = parse_data(w.next("DATA"), hex, w.topic());
		return;
	}
	if (verb == "close") {
		c.what = action::shm_close;
		c.dev = device_word(w);
		return;
	}
	std::optional<std::uint32_t> timeout;
	w.take_options({ "timeout" }, { "timeout" }, [&](std::string_view, std::string_view v) {
		timeout = static_cast<std::uint32_t>(parse_number(v, UINT32_MAX, "MS", w.topic()));
	});
	c.what = action::shm_recv;
	c.dev = device_word(w);
	c.timeout_ms = timeout;
}

void parse_selftest(words_left &w, command &c)
{
	std::string_view verb = match_word(w.next("command"), { "run", "help" }, "command", w.topic());
	if (verb == "help") {
		c.what = action::help;
		c.help_topic = "selftest";
		return;
	}
	c.what = action::selftest_run;
	if (auto suite = w.maybe()) {
		if (suite->size() >= IOVIEW_SUITE_NAME_LEN)
			throw usage_error("suite name " + quoted(*suite) + " is too long", w.topic());
		c.suite = std::string(*suite);
	}
}

void parse_stats(words_left &w, command &c)
{
	c.what = action::stats_show;
	if (w.empty())
		return;
	if (!looks_numeric(w.peek())) {
		std::string_view verb = match_word(w.next("command"), { "show", "help" }, "command", w.topic());
		if (verb == "help") {
			c.what = action::help;
			c.help_topic = "stats";
			return;
		}
	}
	if (!w.empty())
		c.dev = device_word(w);
}

void parse_monitor(words_left &w, command &c)
{
	c.what = action::monitor;
	if (!w.empty() && match_word(w.next(""), { "help" }, "command", w.topic()) == "help") {
		c.what = action::help;
		c.help_topic = "monitor";
	}
}

const std::map<std::string, std::string> &help_texts()
{
	static const std::map<std::string, std::string> texts = {
		{ "",
		  "Usage: ioviewctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		  "       ioviewctl [ -V | -h ]\n"
		  "where  OBJECT := { dev | config | reg | edu | shm | selftest | stats | monitor }\n"
		  "       OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		  "       DEV := a bound PCI function: 0000:00:03.0, or a unique short form (00:03.0, 03.0)\n"
		  "Words may be shortened to any unique prefix: ioviewctl c s -xxx 03.0\n" },
		{ "dev",
		  "Usage: ioviewctl dev show [ DEV ]\n" },
		{ "config",
		  "Usage: ioviewctl config show [ -x | -xxx | -xxxx ] DEV\n"
		  "       ioviewctl config read DEV OFFSET WIDTH\n"
		  "       ioviewctl config write DEV OFFSET WIDTH VALUE\n"
		  "where  WIDTH := { 8 | 16 | 32 | 64 } (bits)\n"
		  "config show decodes the header and capabilities as lspci -v does; -x, -xxx and\n"
		  "-xxxx print 64, 256 or all bytes as lspci does (64 without CAP_SYS_ADMIN).\n" },
		{ "reg",
		  "Usage: ioviewctl reg show DEV [ NAME ]\n"
		  "       ioviewctl reg read DEV { NAME | OFFSET } [ WIDTH ]\n"
		  "       ioviewctl reg write DEV { NAME | OFFSET } VALUE [ WIDTH ]\n"
		  "where  WIDTH := { 8 | 16 | 32 | 64 } (bits; 32 for an OFFSET without one)\n"
		  "reg show lists the registers and the fields of their current values; a register\n"
		  "whose read clears it is only described, never read.\n" },
		{ "edu",
		  "Usage: ioviewctl edu fact DEV N [ --irq ]\n"
		  "       ioviewctl edu dma DEV write OFFSET DATA [ --hex ]\n"
		  "       ioviewctl edu dma DEV read OFFSET LENGTH\n"
		  "       ioviewctl edu dma DEV roundtrip OFFSET DATA [ --hex ]\n"
		  "       ioviewctl edu irq raise DEV VALUE\n"
		  "where  DATA := text, or with --hex bytes in hexadecimal (\"de ad be ef\")\n" },
		{ "shm",
		  "Usage: ioviewctl shm send DEV DATA [ --hex ]\n"
		  "       ioviewctl shm recv DEV [ --timeout MS ]\n"
		  "       ioviewctl shm close DEV\n"
		  "where  DATA := text, or with --hex bytes in hexadecimal (\"de ad be ef\")\n"
		  "The first send or recv opens the mailbox; it stays open, holding its part of\n"
		  "BAR2, until close (or the unbind).\n" },
		{ "selftest",
		  "Usage: ioviewctl selftest run [ SUITE ]\n"
		  "Prints KTAP version 1; the exit status is 1 when a case failed.\n" },
		{ "stats",
		  "Usage: ioviewctl stats [ show ] [ DEV ]\n" },
		{ "monitor",
		  "Usage: ioviewctl monitor\n"
		  "Prints the events group's events as they come, one a line, until interrupted.\n" },
	};
	return texts;
}

} // namespace

std::string_view match_word(std::string_view given, std::initializer_list<std::string_view> choices, std::string_view what,
			    const std::string &topic)
{
	std::vector<std::string_view> prefixed;
	for (std::string_view c : choices) {
		if (c == given)
			return c;
		if (!given.empty() && c.substr(0, given.size()) == given)
			prefixed.push_back(c);
	}
	if (prefixed.size() == 1)
		return prefixed.front();
	if (prefixed.empty())
		throw usage_error("unknown " + std::string(what) + " " + quoted(given) + " (one of: " + joined(choices) + ")",
				  topic);
	std::string which;
	for (std::string_view p : prefixed)
		which += (which.empty() ? "" : ", ") + std::string(p);
	throw usage_error(std::string(what) + " " + quoted(given) + " is ambiguous: " + which, topic);
}

std::uint64_t parse_number(std::string_view given, std::uint64_t max, std::string_view what, const std::string &topic)
{
	std::string_view digits = given;
	unsigned base = 10;
	if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
		base = 16;
		digits.remove_prefix(2);
	}
	if (digits.empty())
		throw usage_error(std::string(what) + " " + quoted(given) + " is not a number", topic);
	std::uint64_t v = 0;
	for (char ch : digits) {
		unsigned d;
		if (ch >= '0' && ch <= '9')
			d = static_cast<unsigned>(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = static_cast<unsigned>(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = static_cast<unsigned>(ch - 'A' + 10);
		else
			throw usage_error(std::string(what) + " " + quoted(given) + " is not a number", topic);
		if (v > (UINT64_MAX - d) / base)
			throw usage_error(std::string(what) + " " + quoted(given) + " is too large", topic);
		v = v * base + d;
	}
	if (v > max) {
		char limit[32];
		std::snprintf(limit, sizeof(limit), "%#llx", static_cast<unsigned long long>(max));
		throw usage_error(std::string(what) + " " + quoted(given) + " is too large (at most " + limit + ")", topic);
	}
	return v;
}

std::optional<pci_address> parse_pci_address(std::string_view given)
{
	// Split into the colon-separated parts; the last is SLOT.FUNCTION.
	std::vector<std::string_view> parts;
	std::size_t start = 0;
	for (std::size_t i = 0; i <= given.size(); ++i) {
		if (i == given.size() || given[i] == ':') {
			parts.push_back(given.substr(start, i - start));
			start = i + 1;
		}
	}
	if (parts.size() > 3)
		return std::nullopt;
	auto hex = [](std::string_view s, std::size_t max_digits, std::uint32_t max) -> std::optional<std::uint32_t> {
		if (s.empty() || s.size() > max_digits)
			return std::nullopt;
		std::uint32_t v = 0;
		for (char ch : s) {
			if (!std::isxdigit(static_cast<unsigned char>(ch)))
				return std::nullopt;
			v = v * 16 + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(ch))
									 ? ch - '0'
									 : std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10);
		}
		if (v > max)
			return std::nullopt;
		return v;
	};
	std::string_view last = parts.back();
	std::size_t dot = last.find('.');
	if (dot == std::string_view::npos)
		return std::nullopt;
	auto slot = hex(last.substr(0, dot), 2, 0x1f);
	auto function = hex(last.substr(dot + 1), 1, 7);
	if (!slot || !function)
		return std::nullopt;
	pci_address a;
	a.slot = *slot;
	a.function = *function;
	if (parts.size() >= 2) {
		a.bus = hex(parts[parts.size() - 2], 2, 0xff);
		if (!a.bus)
			return std::nullopt;
	}
	if (parts.size() == 3) {
		a.domain = hex(parts[0], 8, UINT32_MAX);
		if (!a.domain)
			return std::nullopt;
	}
	return a;
}

std::string canonical_name(const pci_address &a)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%04x:%02x:%02x.%x", a.domain.value_or(0), a.bus.value_or(0), a.slot, a.function);
	return buf;
}

bool is_complete_address(std::string_view given)
{
	auto a = parse_pci_address(given);
	return a && a->domain && a->bus;
}

std::string resolve_device(std::string_view given, const std::vector<std::string> &bound)
{
	auto want = parse_pci_address(given);
	if (!want)
		throw usage_error("DEV " + quoted(given) + " is not a PCI address");
	std::vector<std::string> hits;
	for (const std::string &name : bound) {
		auto have = parse_pci_address(name);
		if (!have || !have->domain || !have->bus)
			continue;
		if (have->slot == want->slot && have->function == want->function &&
		    (!want->bus || *want->bus == *have->bus) && (!want->domain || *want->domain == *have->domain))
			hits.push_back(canonical_name(*have));
	}
	auto list = [](const std::vector<std::string> &names) {
		std::string out;
		for (const std::string &n : names)
			out += (out.empty() ? "" : ", ") + n;
		return out;
	};
	if (hits.size() == 1)
		return hits.front();
	if (hits.empty())
		throw failure("no bound device matches " + quoted(given) +
			      (bound.empty() ? std::string(" (none is bound)") : " (bound: " + list(bound) + ")"), ENODEV);
	throw failure("device " + quoted(given) + " is ambiguous: " + list(hits), EINVAL);
}

std::vector<std::uint8_t> parse_data(std::string_view given, bool hex, const std::string &topic)
{
	std::vector<std::uint8_t> out;
	if (!hex) {
		out.assign(given.begin(), given.end());
		return out;
	}
	int high = -1;
	for (char ch : given) {
		if (ch == ' ' || ch == ':') {
			if (high >= 0)
				throw usage_error("DATA " + quoted(given) + " has an odd hexadecimal digit", topic);
			continue;
		}
		if (!std::isxdigit(static_cast<unsigned char>(ch)))
			throw usage_error("DATA " + quoted(given) + " is not hexadecimal", topic);
		int d = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
								     : std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10;
		if (high < 0) {
			high = d;
		} else {
			out.push_back(static_cast<std::uint8_t>(high << 4 | d));
			high = -1;
		}
	}
	if (high >= 0)
		throw usage_error("DATA " + quoted(given) + " has an odd hexadecimal digit", topic);
	return out;
}

std::optional<std::string> help_text(const std::string &topic)
{
	auto it = help_texts().find(topic);
	if (it == help_texts().end())
		return std::nullopt;
	return it->second;
}

command parse_command(std::span<const std::string_view> words)
{
	command c;
	if (words.empty())
		throw usage_error("missing OBJECT");
	std::string_view object = match_word(words[0], { "dev", "config", "reg", "edu", "shm", "selftest", "stats",
							 "monitor", "help" },
					     "object");
	if (object == "help") {
		if (words.size() > 1)
			throw usage_error("unexpected argument " + quoted(words[1]));
		return c;
	}
	words_left w(words.subspan(1), std::string(object));
	if (object == "dev")
		parse_dev(w, c);
	else if (object == "config")
		parse_config(w, c);
	else if (object == "reg")
		parse_reg(w, c);
	else if (object == "edu")
		parse_edu(w, c);
	else if (object == "shm")
		parse_shm(w, c);
	else if (object == "selftest")
		parse_selftest(w, c);
	else if (object == "stats")
		parse_stats(w, c);
	else
		parse_monitor(w, c);
	w.finish();
	return c;
}

namespace {

// Sets the option a one-letter cluster's letter names; false for any other.
bool set_short_option(global_options &o, char letter)
{
	switch (letter) {
	case 'j': o.json = true; return true;
	case 'p': o.pretty = true; return true;
	case 'V': o.version = true; return true;
	case 'h': o.help = true; return true;
	default: return false;
	}
}

// Sets the option whose long name `word` is a prefix of; false for none.
bool set_long_option(global_options &o, std::string_view word)
{
	struct long_option {
		std::string_view name;
		bool global_options::*flag;
	};
	static constexpr long_option longs[] = {
		{ "json", &global_options::json },
		{ "pretty", &global_options::pretty },
		{ "version", &global_options::version },
		{ "Version", &global_options::version },	// -V[ersion], as the help spells it
		{ "help", &global_options::help },
	};
	// The names start with different letters: a prefix names one option at most.
	for (const long_option &l : longs) {
		if (!word.empty() && l.name.starts_with(word)) {
			o.*l.flag = true;
			return true;
		}
	}
	return false;
}

} // namespace

global_options parse_global_options(std::span<const std::string_view> args)
{
	global_options o;
	std::size_t i = 0;
	for (; i < args.size(); ++i) {
		std::string_view a = args[i];
		if (a == "--") {
			++i;
			break;
		}
		if (a.size() < 2 || a[0] != '-')
			break;
		std::string_view body = a.substr(a.starts_with("--") ? 2 : 1);
		if (set_long_option(o, body))
			continue;
		// A cluster of one-letter options (-jp) has one dash and no other letters.
		bool cluster = !a.starts_with("--") && !body.empty();
		global_options with = o;
		for (char c : body)
			cluster = cluster && set_short_option(with, c);
		if (!cluster)
			throw usage_error("unknown option " + quoted(a) + " (-j[son], -p[retty], -V[ersion], -h[elp])", "");
		o = with;
	}
	o.first_word = i;
	return o;
}

} // namespace ioviewctl
