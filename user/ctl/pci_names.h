// SPDX-License-Identifier: GPL-2.0
//
// Names of PCI classes, vendors and devices, looked up the way lspci
// does: through libpci's pci_lookup_name() on the system's pci.ids, with
// the same fallbacks ("Class 00ff", "Device 1234:11e8") when a name is
// not known or the file is missing.  Using the same library is what makes
// config show's first line the same as lspci's.
#ifndef IOVIEWCTL_PCI_NAMES_H
#define IOVIEWCTL_PCI_NAMES_H

#include <cstdint>
#include <optional>
#include <string>

struct pci_access;

namespace ioviewctl {

class pci_names {
public:
	pci_names();
	~pci_names();
	pci_names(const pci_names &) = delete;
	pci_names &operator=(const pci_names &) = delete;

	/// lspci's class column: "Unclassified device [00ff]".
	std::string class_name(std::uint16_t class_id);
	/// lspci's device column: "Red Hat, Inc. Inter-VM shared memory".
	std::string device_name(std::uint16_t vendor, std::uint16_t device);
	/// lspci -v's Subsystem line.
	std::string subsystem_name(std::uint16_t vendor, std::uint16_t device, std::uint16_t sub_vendor,
				   std::uint16_t sub_device);
	/// The programming interface's name, if pci.ids has one.
	std::optional<std::string> prog_if_name(std::uint16_t class_id, std::uint8_t prog_if);

private:
	pci_access *access_;
};

} // namespace ioviewctl

#endif // IOVIEWCTL_PCI_NAMES_H
