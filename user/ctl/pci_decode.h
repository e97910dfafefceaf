// SPDX-License-Identifier: GPL-2.0
//
// A PCI function's configuration space as lspci shows it: the hex dump of
// lspci -x/-xxx/-xxxx, byte for byte, and the decoded view of lspci -v
// (the first line, Subsystem, Flags, the BARs, the expansion ROM and the
// capability list) for a type 0 header.  Capabilities decoded as lspci -v
// decodes them: Power Management, MSI, MSI-X, Vendor Specific, Null;
// others are named by their ID.  Only bytes that were read are used: a
// capability past them shows as "<access denied>", as lspci shows it to a
// caller who may read only 64 bytes.
#ifndef IOVIEWCTL_PCI_DECODE_H
#define IOVIEWCTL_PCI_DECODE_H

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctl/pci_names.h"

namespace ioviewctl {

/// What lspci would know about a function besides its configuration bytes.
struct pci_function {
	std::string slot;			///< as lspci writes it: "00:02.0", with the domain when it is not 0
	std::vector<std::uint8_t> config;	///< the bytes read, from offset 0
	std::optional<std::uint32_t> irq;	///< the Linux interrupt (nullopt or 0: none shown)
	std::array<std::uint64_t, 6> bar_sizes{};	///< bytes, 0 when not known
	std::optional<std::string> driver;	///< the driver bound to it
};

/// lspci's slot name of a canonical device name: the domain only when it is not 0.
std::string lspci_slot(const std::string &canonical);

/// lspci -x's dump of bytes (lines of 16: "%02x:" then " %02x" per byte).
std::string lspci_hex_dump(std::span<const std::uint8_t> bytes);

/// lspci's first line for the function (verbose adds " (prog-if ...)" and the Subsystem line).
std::string lspci_terse(const pci_function &f, pci_names &names, bool verbose);

/// lspci -v's block for the function, ending with the empty line lspci prints after it.
std::string lspci_verbose(const pci_function &f, pci_names &names);

/// lspci -x/-xxx/-xxxx's block: the first line, the dump, the empty line.
std::string lspci_hex_block(const pci_function &f, pci_names &names);

/// The decoded header and capabilities as JSON (numbers as numbers).
nlohmann::json pci_decode_json(const pci_function &f);

} // namespace ioviewctl

#endif // IOVIEWCTL_PCI_DECODE_H
