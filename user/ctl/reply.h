// SPDX-License-Identifier: GPL-2.0
//
// The kernel's replies, decoded from their messages into plain structs.
// Each decoder validates the attributes it reads against the types the
// spec gives them (a u32 of the wrong size, a nest that is not one, a
// missing attribute the spec always sends) and throws failure when the
// reply does not fit, so output code only ever sees well-formed values.
#ifndef IOVIEWCTL_REPLY_H
#define IOVIEWCTL_REPLY_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <netlink/msg.h>

namespace ioviewctl {

struct bar_info {
	std::uint8_t index = 0;
	std::uint64_t size = 0;
	bool mem = false;
};

struct device_info {
	std::string name;
	std::uint32_t kind = 0;		///< enum ioview_dev_kind
	std::uint16_t vendor = 0;
	std::uint16_t device = 0;
	std::uint8_t revision = 0;
	std::uint32_t class_code = 0;	///< 24 bits: base, sub, programming interface
	std::uint32_t irq_kind = 0;	///< enum ioview_irq_kind
	std::optional<std::uint32_t> irq;
	std::vector<bar_info> bars;
};

struct config_bytes {
	std::string dev;
	std::uint32_t offset = 0;
	std::vector<std::uint8_t> data;
};

struct field_desc {
	std::string name;
	std::uint8_t hi = 0;
	std::uint8_t lo = 0;
	std::uint32_t access = 0;	///< enum ioview_access
};

struct reg_desc {
	std::string name;
	std::uint32_t offset = 0;
	std::uint8_t width = 0;		///< bytes
	std::uint32_t access = 0;
	std::vector<field_desc> fields;
};

struct reg_map {
	std::string dev;
	std::vector<reg_desc> regs;
};

struct reg_value {
	std::string dev;
	std::optional<std::string> name;	///< absent for a read by offset of no named register
	std::uint32_t offset = 0;
	std::uint8_t width = 0;
	std::uint64_t value = 0;
};

/// edu-factorial's reply.
struct factorial_result {
	std::string dev;
	std::uint64_t value = 0;
};

/// edu-dma's and mbox-recv's replies: bytes (and where they came from, for DMA).
struct data_reply {
	std::string dev;
	std::optional<std::uint32_t> offset;
	std::vector<std::uint8_t> data;
};

struct case_result {
	std::string suite;
	std::string name;
	std::uint8_t verdict = 0;	///< enum ioview_verdict
	std::string diag;
};

struct selftest_result {
	std::vector<case_result> cases;
	std::uint32_t passed = 0;
	std::uint32_t failed = 0;
	std::uint32_t skipped = 0;
};

struct device_stats {
	std::string dev;
	std::uint32_t kind = 0;
	/// The counters present, in the spec's order, by their spec names.
	std::vector<std::pair<std::string, std::uint64_t>> counters;
};

struct event {
	std::uint32_t kind = 0;		///< enum ioview_event_kind
	std::uint64_t seq = 0;
	std::optional<std::string> dev;
	std::optional<std::uint64_t> value;
};

device_info decode_device(nl_msg *m);
config_bytes decode_config(nl_msg *m);
reg_map decode_reg_map(nl_msg *m);
reg_value decode_reg_value(nl_msg *m);
factorial_result decode_factorial(nl_msg *m);
data_reply decode_data(nl_msg *m);
selftest_result decode_selftest(nl_msg *m);
device_stats decode_stats(nl_msg *m);
event decode_event(nl_msg *m);

/// The spec's names, for text and JSON ("?" plus the number for one the tool does not know).
std::string dev_kind_name(std::uint32_t kind);
std::string irq_kind_name(std::uint32_t kind);
std::string access_name(std::uint32_t access);
std::string verdict_name(std::uint32_t verdict);
std::string event_kind_name(std::uint32_t kind);
/// The name of a request attribute of the ioview set, for errors that point at one.
std::string attribute_name(int type);

} // namespace ioviewctl

#endif // IOVIEWCTL_REPLY_H
