// SPDX-License-Identifier: GPL-2.0
//
// ioviewctl's command line, in the style of iproute2's devlink:
//
//     ioviewctl [OPTIONS] OBJECT COMMAND [ARGS]
//
// Every keyword (object, command, sub-command, option word) may be
// abbreviated to any prefix that names only one of the words allowed at
// that place; an exact match always wins.  Devices are PCI addresses,
// "0000:00:03.0", or a shorter form that leaves out the domain, or the
// domain and the bus ("00:03.0", "03.0"); a short form names the one
// bound device it matches, which needs the kernel's device list, so it is
// resolved later (resolve_device()).
//
// Parsing is pure: it turns words into a command and never talks to the
// kernel, so it is tested on its own.  What is sent for a command is in
// request.h.
#ifndef IOVIEWCTL_GRAMMAR_H
#define IOVIEWCTL_GRAMMAR_H

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ioviewctl {

enum class action {
	help,
	dev_show,
	config_show,
	config_read,
	config_write,
	reg_show,
	reg_read,
	reg_write,
	edu_fact,
	edu_dma,
	edu_irq_raise,
	shm_send,
	shm_recv,
	shm_close,
	selftest_run,
	stats_show,
	monitor,
};

/// config show's forms: decoded like lspci -v, or a hex dump of 64, 256 or all bytes (-x, -xxx, -xxxx).
enum class config_view { decoded, hex64, hex256, hex_all };

/// One parsed command line.  Which members mean something depends on `what`;
/// the others stay empty.  Widths are in bytes (the command line takes bits).
struct command {
	action what = action::help;
	std::string help_topic;			///< action::help: the object ("" for the top level)
	std::optional<std::string> dev;		///< the device as given, or resolved
	config_view view = config_view::decoded;
	std::optional<std::string> reg;		///< a register by name
	std::optional<std::uint32_t> offset;
	std::optional<std::uint8_t> width;
	std::optional<std::uint64_t> value;
	std::optional<std::uint32_t> length;
	std::optional<std::vector<std::uint8_t>> data;
	std::optional<std::uint32_t> completion;	///< enum ioview_completion
	std::optional<std::uint32_t> dma_op;		///< enum ioview_dma_op
	std::optional<std::uint32_t> timeout_ms;
	std::optional<std::string> suite;
};

/// The command named by the words after the global options; throws usage_error.
command parse_command(std::span<const std::string_view> words);

/// The word of `choices` that `given` names: the one equal to it, else the
/// only one it is a prefix of.  `what` names the kind of word in the error
/// ("object", "command"); topic is the help topic the error points to.
std::string_view match_word(std::string_view given, std::initializer_list<std::string_view> choices,
			    std::string_view what, const std::string &topic = "");

/// A number: decimal, or hexadecimal with 0x; at most max.
std::uint64_t parse_number(std::string_view given, std::uint64_t max, std::string_view what,
			   const std::string &topic = "");

/// A PCI address, whole or shortened: which parts were given.
struct pci_address {
	std::optional<std::uint32_t> domain;
	std::optional<std::uint32_t> bus;
	std::uint32_t slot = 0;
	std::uint32_t function = 0;
};

/// Parses [[DOMAIN:]BUS:]SLOT.FUNCTION (hexadecimal, as lspci writes them); nullopt if it is not one.
std::optional<pci_address> parse_pci_address(std::string_view given);

/// The canonical name, DDDD:BB:SS.F, of a complete address.
std::string canonical_name(const pci_address &a);

/// True when the device as given is a complete address that needs no lookup.
bool is_complete_address(std::string_view given);

/// The one name in `bound` (canonical names of the bound devices) that
/// `given` names; throws failure when none or several match.
std::string resolve_device(std::string_view given, const std::vector<std::string> &bound);

/// Bytes from a command line's DATA: the text itself, or with hex, pairs of
/// hexadecimal digits (spaces and colons between bytes allowed).
std::vector<std::uint8_t> parse_data(std::string_view given, bool hex, const std::string &topic);

/// The help text of an object ("" for the top level); nullopt for an unknown topic.
std::optional<std::string> help_text(const std::string &topic);

/// The options before the object, as iproute2 takes them: -j, -p, -V, -h,
/// clustered (-jp) or as words with one or two dashes, each word any prefix
/// of json, pretty, version (or Version) or help (-json, --pretty, -Ver).  "--" ends them.
struct global_options {
	bool json = false;
	bool pretty = false;
	bool version = false;		///< print the version and stop
	bool help = false;		///< print the top-level help and stop
	std::size_t first_word = 0;	///< index in argv of the object
};

/// Reads the options in args (argv without the program's name); throws
/// usage_error naming the first option it does not know.
global_options parse_global_options(std::span<const std::string_view> args);

} // namespace ioviewctl

#endif // IOVIEWCTL_GRAMMAR_H
