// SPDX-License-Identifier: GPL-2.0
//
// What each command prints, as text for people and as JSON for programs
// (-j; -p indents it).  Text is one line per object in iproute2's
// "name: key value ..." manner, with nested things indented below; JSON
// has numbers as numbers, names as the spec spells them, and widths in
// bits, as on the command line.  Every function here is pure: it formats
// decoded replies and never prints, so each format is tested on its own.
#ifndef IOVIEWCTL_OUTPUT_H
#define IOVIEWCTL_OUTPUT_H

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctl/reply.h"

namespace ioviewctl {

struct output_format {
	bool json = false;
	bool pretty = false;
};

/// A JSON document as -j prints it: one line, or indented with -p; with its newline.
std::string json_document(const nlohmann::json &j, const output_format &f);

/// A size the way lspci writes BAR sizes: 1M, 4K, 256.
std::string size_text(std::uint64_t bytes);

std::string devices_text(const std::vector<device_info> &devs);
nlohmann::json devices_json(const std::vector<device_info> &devs);

/// config read's value, from the bytes read (little-endian, as configuration space is).
std::uint64_t config_value(const config_bytes &c);
std::string config_value_text(const config_bytes &c);
nlohmann::json config_value_json(const config_bytes &c);
/// config show -x's JSON: the bytes as a hex string.
nlohmann::json config_dump_json(const config_bytes &c);

/// One register with its current value when it was read, for reg show.
struct reg_shown {
	reg_desc desc;
	std::optional<std::uint64_t> value;
};
std::uint64_t field_value(const field_desc &f, std::uint64_t reg);
/// Whether reg show reads this register: not when a read clears it or means nothing.
bool reg_show_reads(const reg_desc &r);
std::string reg_show_text(const std::string &dev, const std::vector<reg_shown> &regs);
nlohmann::json reg_show_json(const std::string &dev, const std::vector<reg_shown> &regs);

std::string reg_value_text(const reg_value &v);
nlohmann::json reg_value_json(const reg_value &v);

std::string factorial_text(std::uint64_t n, const factorial_result &r);
nlohmann::json factorial_json(std::uint64_t n, const factorial_result &r);

/// Bytes as "0000: 48 65 6c ..." lines of 16, addresses from base.
std::string hex_lines(const std::vector<std::uint8_t> &data, std::uint32_t base);
/// Bytes as one string of hexadecimal digit pairs.
std::string hex_string(const std::vector<std::uint8_t> &data);
/// True when the bytes are printable ASCII (and tabs), so text shows them as they are.
bool printable(const std::vector<std::uint8_t> &data);

/// edu dma read and roundtrip; match is set for a round trip.
std::string dma_text(const data_reply &r, std::optional<bool> match);
nlohmann::json dma_json(const data_reply &r, std::optional<bool> match);

std::string mbox_text(const data_reply &r);
nlohmann::json mbox_json(const data_reply &r);

nlohmann::json selftest_json(const selftest_result &r);

std::string stats_text(const std::vector<device_stats> &s);
nlohmann::json stats_json(const std::vector<device_stats> &s);

/// One monitor line; lost is how many events the sequence numbers say were missed before it.
std::string event_text(const event &e, std::uint64_t lost);
nlohmann::json event_json(const event &e, std::uint64_t lost);

} // namespace ioviewctl

#endif // IOVIEWCTL_OUTPUT_H
