// SPDX-License-Identifier: GPL-2.0
// The command line: prefix matching, ambiguity, devices, numbers, each command's form.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "ctl/errors.h"
#include "ctl/grammar.h"
#include "uapi/ioview.h"

using namespace ioviewctl;

namespace {

command parse(std::initializer_list<std::string_view> words)
{
	std::vector<std::string_view> v(words);
	return parse_command(v);
}

// The message of the usage error parsing the words throws.
std::string usage_message(std::initializer_list<std::string_view> words)
{
	try {
		parse(words);
	} catch (const usage_error &e) {
		return e.what();
	}
	return "(no usage error)";
}

std::string usage_topic(std::initializer_list<std::string_view> words)
{
	try {
		parse(words);
	} catch (const usage_error &e) {
		return e.help_topic;
	}
	return "(no usage error)";
}

} // namespace

TEST_CASE("grammar: a unique prefix names the word, an exact match always wins")
{
	CHECK(match_word("dev", { "dev", "devices" }, "object") == "dev");
	CHECK(match_word("d", { "dev", "config" }, "object") == "dev");
	CHECK(match_word("conf", { "dev", "config" }, "object") == "config");
	CHECK(parse({ "d", "s" }).what == action::dev_show);
	CHECK(parse({ "c", "s", "-xxx", "03.0" }).what == action::config_show);
	CHECK(parse({ "se", "r" }).what == action::selftest_run);
	CHECK(parse({ "st" }).what == action::stats_show);
	CHECK(parse({ "m" }).what == action::monitor);
	CHECK(parse({ "e", "f", "02.0", "5" }).what == action::edu_fact);
	CHECK(parse({ "sh", "rec", "03.0" }).what == action::shm_recv);
}

TEST_CASE("grammar: an ambiguous prefix lists the words it could be")
{
	CHECK(usage_message({ "s" }) == "object \"s\" is ambiguous: shm, selftest, stats");
	CHECK(usage_message({ "edu", "dma", "02.0", "r", "0", "4" }) == "DMA operation \"r\" is ambiguous: read, roundtrip");
	CHECK(usage_message({ "config", "s" }) == "missing DEV");
}

TEST_CASE("grammar: an unknown word names the choices and the help topic")
{
	CHECK(usage_message({ "frob" }) ==
	      "unknown object \"frob\" (one of: dev, config, reg, edu, shm, selftest, stats, monitor, help)");
	CHECK(usage_topic({ "frob" }) == "");
	CHECK(usage_message({ "dev", "list" }) == "unknown command \"list\" (one of: show, help)");
	CHECK(usage_topic({ "dev", "list" }) == "dev");
	CHECK(usage_topic({ "edu", "fact", "02.0" }) == "edu");
	CHECK(usage_message({}) == "missing OBJECT");
	CHECK(usage_message({ "dev", "show", "02.0", "extra" }) == "unexpected argument \"extra\"");
}

TEST_CASE("grammar: help, for the top level and for each object")
{
	command top = parse({ "help" });
	CHECK(top.what == action::help);
	CHECK(top.help_topic == "");
	for (std::string_view object : { "dev", "config", "reg", "edu", "shm", "selftest", "stats", "monitor" }) {
		command c = parse({ object, "help" });
		CHECK(c.what == action::help);
		CHECK(c.help_topic == object);
		REQUIRE(help_text(c.help_topic));
		CHECK(help_text(c.help_topic)->rfind("Usage: ioviewctl " + std::string(object), 0) == 0);
	}
	CHECK(parse({ "config", "h" }).help_topic == "config");
	CHECK(!help_text("frob"));
	CHECK(help_text("")->find("OBJECT := { dev | config | reg | edu | shm | selftest | stats | monitor }") !=
	      std::string::npos);
}

TEST_CASE("grammar: PCI addresses whole and short")
{
	auto a = parse_pci_address("0000:00:03.0");
	REQUIRE(a);
	CHECK(*a->domain == 0);
	CHECK(*a->bus == 0);
	CHECK(a->slot == 3);
	CHECK(a->function == 0);
	auto s = parse_pci_address("03.0");
	REQUIRE(s);
	CHECK(!s->domain);
	CHECK(!s->bus);
	CHECK(s->slot == 3);
	auto b = parse_pci_address("1f:1f.7");
	REQUIRE(b);
	CHECK(*b->bus == 0x1f);
	CHECK(b->function == 7);
	CHECK(parse_pci_address("3.0"));
	CHECK(!parse_pci_address("20.0"));	// slots end at 0x1f
	CHECK(!parse_pci_address("03.8"));	// functions at 7
	CHECK(!parse_pci_address("03"));
	CHECK(!parse_pci_address("0:0:0:03.0"));
	CHECK(!parse_pci_address("xx:03.0"));
	CHECK(!parse_pci_address(""));
	CHECK(canonical_name(*parse_pci_address("0000:00:03.0")) == "0000:00:03.0");
	CHECK(canonical_name(*parse_pci_address("1:A:1F.7")) == "0001:0a:1f.7");
	CHECK(is_complete_address("0000:00:03.0"));
	CHECK(!is_complete_address("00:03.0"));
	CHECK(!is_complete_address("03.0"));
	CHECK(usage_message({ "dev", "show", "edu0" }) ==
	      "DEV \"edu0\" is not a PCI address (e.g. 0000:00:03.0 or 03.0)");
}

TEST_CASE("grammar: a short device name resolves to the one bound device it matches")
{
	std::vector<std::string> bound = { "0000:00:02.0", "0000:00:03.0", "0001:00:03.0", "0000:01:03.1" };
	CHECK(resolve_device("02.0", bound) == "0000:00:02.0");
	CHECK(resolve_device("2.0", bound) == "0000:00:02.0");
	CHECK(resolve_device("00:02.0", bound) == "0000:00:02.0");
	CHECK(resolve_device("03.1", bound) == "0000:01:03.1");
	CHECK(resolve_device("0001:00:03.0", bound) == "0001:00:03.0");
	CHECK_THROWS_WITH(resolve_device("03.0", bound), "device \"03.0\" is ambiguous: 0000:00:03.0, 0001:00:03.0");
	CHECK_THROWS_WITH(resolve_device("00:03.0", bound),
			  "device \"00:03.0\" is ambiguous: 0000:00:03.0, 0001:00:03.0");
	CHECK_THROWS_WITH(resolve_device("04.0", bound),
			  "no bound device matches \"04.0\" (bound: 0000:00:02.0, 0000:00:03.0, 0001:00:03.0, 0000:01:03.1)");
	CHECK_THROWS_WITH(resolve_device("04.0", {}), "no bound device matches \"04.0\" (none is bound)");
	CHECK_THROWS_AS(resolve_device("04.0", {}), failure);
}

TEST_CASE("grammar: numbers in decimal and hexadecimal, bounded")
{
	CHECK(parse_number("10", 100, "N") == 10);
	CHECK(parse_number("0x10", 100, "N") == 16);
	CHECK(parse_number("0XfF", 0xff, "N") == 255);
	CHECK(parse_number("010", 100, "N") == 10);	// decimal, not octal
	CHECK(parse_number("18446744073709551615", UINT64_MAX, "N") == UINT64_MAX);
	CHECK_THROWS_WITH(parse_number("18446744073709551616", UINT64_MAX, "N"), "N \"18446744073709551616\" is too large");
	CHECK_THROWS_WITH(parse_number("101", 100, "N"), "N \"101\" is too large (at most 0x64)");
	CHECK_THROWS_WITH(parse_number("-1", 100, "N"), "N \"-1\" is not a number");
	CHECK_THROWS_WITH(parse_number("0x", 100, "N"), "N \"0x\" is not a number");
	CHECK_THROWS_WITH(parse_number("12a", 1000, "N"), "N \"12a\" is not a number");
	CHECK_THROWS_AS(parse_number("", 1, "N"), usage_error);
}

TEST_CASE("grammar: dev show and stats, with and without a device")
{
	command all = parse({ "dev", "show" });
	CHECK(all.what == action::dev_show);
	CHECK(!all.dev);
	command one = parse({ "dev", "show", "03.0" });
	CHECK(one.dev == "03.0");
	CHECK(parse({ "stats" }).what == action::stats_show);
	CHECK(!parse({ "stats" }).dev);
	CHECK(parse({ "stats", "02.0" }).dev == "02.0");
	CHECK(parse({ "stats", "show", "0000:00:02.0" }).dev == "0000:00:02.0");
	CHECK(parse({ "stats", "help" }).what == action::help);
}

TEST_CASE("grammar: config show's forms are lspci's, before or after DEV")
{
	CHECK(parse({ "config", "show", "03.0" }).view == config_view::decoded);
	CHECK(parse({ "config", "show", "-x", "03.0" }).view == config_view::hex64);
	CHECK(parse({ "config", "show", "-xx", "03.0" }).view == config_view::hex64);
	CHECK(parse({ "config", "show", "-xxx", "03.0" }).view == config_view::hex256);
	CHECK(parse({ "config", "show", "03.0", "-xxxx" }).view == config_view::hex_all);
	CHECK(usage_message({ "config", "show", "-v", "03.0" }) == "unknown option \"-v\" (-x, -xxx or -xxxx)");
}

TEST_CASE("grammar: config read and write take widths in bits and send bytes")
{
	command r = parse({ "config", "read", "02.0", "0x04", "16" });
	CHECK(r.what == action::config_read);
	CHECK(r.offset == 4u);
	CHECK(r.width == 2);
	command w = parse({ "config", "write", "02.0", "0x3c", "8", "0x0b" });
	CHECK(w.what == action::config_write);
	CHECK(w.offset == 0x3cu);
	CHECK(w.width == 1);
	CHECK(w.value == 0x0bu);
	CHECK(parse({ "config", "read", "02.0", "0", "32" }).width == 4);
	CHECK(parse({ "config", "read", "02.0", "0", "64" }).width == 8);
	CHECK(usage_message({ "config", "read", "02.0", "0", "4" }) == "WIDTH \"4\" is not one of 8, 16, 32, 64 (bits)");
	CHECK(usage_message({ "config", "read", "02.0", "4096", "8" }) == "OFFSET \"4096\" is too large (at most 0xfff)");
	CHECK(usage_message({ "config", "write", "02.0", "0", "8" }) == "missing VALUE");
}

TEST_CASE("grammar: reg read and write by name or offset, 32 bits by default for an offset")
{
	command byname = parse({ "reg", "read", "02.0", "identification" });
	CHECK(byname.reg == "identification");
	CHECK(!byname.offset);
	CHECK(!byname.width);
	command byoffset = parse({ "reg", "read", "02.0", "0x8" });
	CHECK(byoffset.offset == 8u);
	CHECK(byoffset.width == 4);
	CHECK(parse({ "reg", "read", "02.0", "0x8", "64" }).width == 8);
	command w = parse({ "reg", "write", "02.0", "liveness", "0x12345678" });
	CHECK(w.what == action::reg_write);
	CHECK(w.reg == "liveness");
	CHECK(w.value == 0x12345678u);
	CHECK(!w.width);
	command w16 = parse({ "reg", "write", "02.0", "0x4", "1", "16" });
	CHECK(w16.offset == 4u);
	CHECK(w16.width == 2);
	command show = parse({ "reg", "show", "02.0" });
	CHECK(show.what == action::reg_show);
	CHECK(!show.reg);
	CHECK(parse({ "reg", "show", "02.0", "status" }).reg == "status");
	CHECK(usage_message({ "reg", "read", "02.0", std::string(40, 'a') }) ==
	      "register name \"" + std::string(40, 'a') + "\" is too long");
}

TEST_CASE("grammar: edu fact, dma and irq raise")
{
	command poll = parse({ "edu", "fact", "02.0", "10" });
	CHECK(poll.value == 10u);
	CHECK(poll.completion == static_cast<std::uint32_t>(IOVIEW_COMPLETION_POLL));
	CHECK(parse({ "edu", "fact", "02.0", "10", "--irq" }).completion ==
	      static_cast<std::uint32_t>(IOVIEW_COMPLETION_INTERRUPT));
	CHECK(parse({ "edu", "fact", "--i", "02.0", "10" }).completion ==
	      static_cast<std::uint32_t>(IOVIEW_COMPLETION_INTERRUPT));
	CHECK(usage_message({ "edu", "fact", "02.0", "10", "--poll" }) == "unknown option \"--poll\" (one of: --irq)");

	command w = parse({ "edu", "dma", "02.0", "write", "0x40", "hello" });
	CHECK(w.dma_op == static_cast<std::uint32_t>(IOVIEW_DMA_OP_WRITE));
	CHECK(w.offset == 0x40u);
	CHECK(w.data == std::vector<std::uint8_t>{ 'h', 'e', 'l', 'l', 'o' });
	command r = parse({ "edu", "dma", "02.0", "read", "0", "16" });
	CHECK(r.dma_op == static_cast<std::uint32_t>(IOVIEW_DMA_OP_READ));
	CHECK(r.length == 16u);
	CHECK(!r.data);
	command rt = parse({ "edu", "dma", "02.0", "ro", "8", "de ad be ef", "--hex" });
	CHECK(rt.dma_op == static_cast<std::uint32_t>(IOVIEW_DMA_OP_ROUND_TRIP));
	CHECK(rt.data == std::vector<std::uint8_t>{ 0xde, 0xad, 0xbe, 0xef });

	command irq = parse({ "edu", "irq", "raise", "02.0", "0x1" });
	CHECK(irq.what == action::edu_irq_raise);
	CHECK(irq.value == 1u);
	CHECK(usage_message({ "edu", "irq", "lower", "02.0", "1" }) == "unknown command \"lower\" (one of: raise)");
}

TEST_CASE("grammar: shm send and recv; data as text or hex; -- ends the options")
{
	command s = parse({ "shm", "send", "03.0", "ping" });
	CHECK(s.what == action::shm_send);
	CHECK(s.data == std::vector<std::uint8_t>{ 'p', 'i', 'n', 'g' });
	CHECK(parse({ "shm", "send", "03.0", "00:ff", "--hex" }).data == std::vector<std::uint8_t>{ 0x00, 0xff });
	CHECK(parse({ "shm", "send", "03.0", "--", "-dash" }).data == std::vector<std::uint8_t>{ '-', 'd', 'a', 's', 'h' });
	CHECK(parse({ "shm", "send", "03.0", "" }).data == std::vector<std::uint8_t>{});
	CHECK(usage_message({ "shm", "send", "03.0", "abc", "--hex" }) == "DATA \"abc\" has an odd hexadecimal digit");
	CHECK(usage_message({ "shm", "send", "03.0", "zz", "--hex" }) == "DATA \"zz\" is not hexadecimal");

	command r = parse({ "shm", "recv", "03.0" });
	CHECK(r.what == action::shm_recv);
	CHECK(!r.timeout_ms);
	CHECK(parse({ "shm", "recv", "03.0", "--timeout", "500" }).timeout_ms == 500u);
	CHECK(parse({ "shm", "recv", "--timeout=250", "03.0" }).timeout_ms == 250u);
	CHECK(usage_message({ "shm", "recv", "03.0", "--timeout" }) == "option \"--timeout\" needs a value");
}

TEST_CASE("grammar: shm close takes the device and nothing else")
{
	command c = parse({ "shm", "close", "03.0" });
	CHECK(c.what == action::shm_close);
	CHECK(c.dev == "03.0");
	CHECK(!c.data);
	CHECK(!c.timeout_ms);
	CHECK(parse({ "sh", "c", "0000:00:03.0" }).what == action::shm_close);
	CHECK(usage_message({ "shm", "close" }) == "missing DEV");
	CHECK(usage_topic({ "shm", "close" }) == "shm");
	CHECK(usage_message({ "shm", "close", "03.0", "now" }) == "unexpected argument \"now\"");
	CHECK(usage_message({ "shm", "close", "03.0", "--timeout", "5" }) == "unexpected argument \"--timeout\"");
	CHECK(usage_message({ "shm", "close", "ivshmem" }) ==
	      "DEV \"ivshmem\" is not a PCI address (e.g. 0000:00:03.0 or 03.0)");
	CHECK(usage_message({ "shm", "open", "03.0" }) == "unknown command \"open\" (one of: send, recv, close, help)");
	REQUIRE(help_text("shm"));
	CHECK(help_text("shm")->find("       ioviewctl shm close DEV\n") != std::string::npos);
}

TEST_CASE("grammar: selftest run, of every default suite or one")
{
	command all = parse({ "selftest", "run" });
	CHECK(all.what == action::selftest_run);
	CHECK(!all.suite);
	CHECK(parse({ "selftest", "run", "ioview_mailbox" }).suite == "ioview_mailbox");
	CHECK(usage_message({ "selftest", "run", std::string(70, 's') }) ==
	      "suite name \"" + std::string(70, 's') + "\" is too long");
}

namespace {

global_options options(std::initializer_list<std::string_view> args)
{
	std::vector<std::string_view> v(args);
	return parse_global_options(v);
}

std::string options_error(std::initializer_list<std::string_view> args)
{
	try {
		options(args);
	} catch (const usage_error &e) {
		return e.what();
	}
	return "(no usage error)";
}

} // namespace

TEST_CASE("grammar: global options as letters, clusters and prefixes of their names")
{
	for (auto spelling : { "-j", "-json", "--json", "-js", "--j" }) {
		INFO(spelling);
		global_options o = options({ spelling, "dev", "show" });
		CHECK(o.json);
		CHECK_FALSE(o.pretty);
		CHECK(o.first_word == 1);
	}
	global_options jp = options({ "-jp", "stats" });
	CHECK((jp.json && jp.pretty && !jp.version && !jp.help && jp.first_word == 1));
	global_options two = options({ "-json", "-pretty", "stats" });
	CHECK((two.json && two.pretty && two.first_word == 2));
	CHECK(options({ "-V" }).version);
	CHECK(options({ "-Version" }).version);
	CHECK(options({ "-Ver" }).version);
	CHECK(options({ "-version" }).version);
	CHECK(options({ "--ver" }).version);
	CHECK(options({ "-help" }).help);
	CHECK(options({ "-h" }).help);
	// "--" ends the options; a command's own options after the object stay its own.
	global_options dashes = options({ "-j", "--", "-x" });
	CHECK((dashes.json && dashes.first_word == 2));
	global_options own = options({ "config", "show", "-xxx", "03.0" });
	CHECK((!own.json && own.first_word == 0));
	CHECK(options({}).first_word == 0);
}

TEST_CASE("grammar: an unknown global option is named as given")
{
	CHECK(options_error({ "-x", "dev" }) == "unknown option \"-x\" (-j[son], -p[retty], -V[ersion], -h[elp])");
	CHECK(options_error({ "-jx", "dev" }) == "unknown option \"-jx\" (-j[son], -p[retty], -V[ersion], -h[elp])");
	CHECK(options_error({ "--jp" }) == "unknown option \"--jp\" (-j[son], -p[retty], -V[ersion], -h[elp])");
	CHECK(options_error({ "-jsonx" }) == "unknown option \"-jsonx\" (-j[son], -p[retty], -V[ersion], -h[elp])");
}
