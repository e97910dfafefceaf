// SPDX-License-Identifier: GPL-2.0
#include "ctl/pci_names.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

extern "C" {
#include <pci/pci.h>
}

#include "ctl/errors.h"

namespace ioviewctl {

namespace {

// pci.ids missing or unreadable is not an error here: lspci then prints
// numbers, and so does this tool.  libpci reports it as a warning.
void quiet(char *, ...) {}

// libpci's errors do not return (and cannot unwind through it): say it the tool's way and exit.
[[noreturn]] void fatal(char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	std::fprintf(stderr, "Error: libpci: %s.\n", buf);
	std::exit(exit_failure);
}

} // namespace

pci_names::pci_names() : access_(pci_alloc())
{
	if (!access_)
		throw failure("out of memory", ENOMEM);
	// pci_init() would set these, but it also probes for a way to reach the
	// bus, which name lookups do not need.
	access_->error = fatal;
	access_->warning = quiet;
	access_->debug = quiet;
}

pci_names::~pci_names()
{
	pci_cleanup(access_);
}

std::string pci_names::class_name(std::uint16_t class_id)
{
	char buf[256];
	return pci_lookup_name(access_, buf, sizeof(buf), PCI_LOOKUP_CLASS, class_id);
}

std::string pci_names::device_name(std::uint16_t vendor, std::uint16_t device)
{
	char buf[256];
	return pci_lookup_name(access_, buf, sizeof(buf), PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, vendor, device);
}

std::string pci_names::subsystem_name(std::uint16_t vendor, std::uint16_t device, std::uint16_t sub_vendor,
				      std::uint16_t sub_device)
{
	char buf[256];
	return pci_lookup_name(access_, buf, sizeof(buf), PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
			       vendor, device, sub_vendor, sub_device);
}

std::optional<std::string> pci_names::prog_if_name(std::uint16_t class_id, std::uint8_t prog_if)
{
	char buf[256];
	const char *name = pci_lookup_name(access_, buf, sizeof(buf), PCI_LOOKUP_PROGIF | PCI_LOOKUP_NO_NUMBERS,
					   class_id, prog_if);
	if (!name)
		return std::nullopt;
	return std::string(name);
}

} // namespace ioviewctl
