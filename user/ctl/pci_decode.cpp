// SPDX-License-Identifier: GPL-2.0
#include "ctl/pci_decode.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>

#include "ctl/errors.h"

namespace ioviewctl {

namespace {

// Offsets and bits of the header and the capabilities, as the PCI Local Bus
// specification (and pciutils' header.h) names them.
constexpr unsigned vendor_id = 0x00, device_id = 0x02, command_reg = 0x04, status_reg = 0x06;
constexpr unsigned revision_id = 0x08, class_prog = 0x09, class_device = 0x0a;
constexpr unsigned latency_timer = 0x0d, header_type = 0x0e, bist_reg = 0x0f;
constexpr unsigned base_address_0 = 0x10, subsystem_vendor_id = 0x2c, subsystem_id = 0x2e;
constexpr unsigned rom_address = 0x30, capability_list = 0x34, interrupt_line = 0x3c;

constexpr unsigned command_io = 0x1, command_memory = 0x2, command_master = 0x4;
constexpr unsigned command_wait = 0x80, command_vga_palette = 0x20, command_fast_back = 0x200;
constexpr unsigned status_cap_list = 0x10, status_66mhz = 0x20, status_udf = 0x40, status_devsel_mask = 0x600;
constexpr unsigned bist_capable = 0x80, bist_start = 0x40, bist_code_mask = 0x0f;

constexpr std::uint32_t bar_space_io = 0x1, bar_mem_type_mask = 0x6, bar_mem_type_64 = 0x4, bar_mem_type_1m = 0x2;
constexpr std::uint32_t bar_mem_prefetch = 0x8;
constexpr std::uint64_t bar_io_mask = ~std::uint64_t{ 0x3 }, bar_mem_mask = ~std::uint64_t{ 0xf };
constexpr std::uint32_t rom_address_mask = ~std::uint32_t{ 0x7ff }, rom_address_enable = 0x1;

enum cap_id : unsigned {
	cap_null = 0x00, cap_pm = 0x01, cap_vpd = 0x03, cap_slotid = 0x04, cap_msi = 0x05, cap_chswp = 0x06,
	cap_vndr = 0x09, cap_dbg = 0x0a, cap_ccrc = 0x0b, cap_hotplug = 0x0c, cap_agp3 = 0x0e, cap_secure = 0x0f,
	cap_msix = 0x11,
};

constexpr unsigned msi_enable = 0x1, msi_qmask = 0x0e, msi_qsize = 0x70, msi_64bit = 0x80, msi_mask_bit = 0x100;
constexpr unsigned msix_enable = 0x8000, msix_mask = 0x4000, msix_tabsize = 0x07ff;

__attribute__((format(printf, 2, 3))) void put(std::string &out, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		out.append(buf, static_cast<std::size_t>(n) < sizeof(buf) ? static_cast<std::size_t>(n) : sizeof(buf) - 1);
}

char flag(unsigned value, unsigned bit)
{
	return (value & bit) ? '+' : '-';
}

// The bytes that were read; anything past them was not.
class config_reader {
public:
	explicit config_reader(std::span<const std::uint8_t> bytes) : b_(bytes)
	{
		if (b_.size() < 64)
			throw failure("configuration space shorter than its 64-byte header", EPROTO);
	}
	bool has(unsigned pos, unsigned len) const { return pos + len <= b_.size(); }
	std::uint8_t byte(unsigned pos) const { return b_[pos]; }
	std::uint16_t word(unsigned pos) const { return static_cast<std::uint16_t>(b_[pos] | b_[pos + 1] << 8); }
	std::uint32_t dword(unsigned pos) const
	{
		return static_cast<std::uint32_t>(b_[pos]) | static_cast<std::uint32_t>(b_[pos + 1]) << 8 |
		       static_cast<std::uint32_t>(b_[pos + 2]) << 16 | static_cast<std::uint32_t>(b_[pos + 3]) << 24;
	}

private:
	std::span<const std::uint8_t> b_;
};

struct bar_decoded {
	unsigned index = 0;
	bool io = false;
	std::uint64_t address = 0;	///< with the flag bits cleared
	std::uint32_t mem_type = 0;	///< bar_mem_type_*
	bool prefetchable = false;
	bool enabled = false;		///< the command register decodes its space
	std::uint64_t size = 0;
};

// The BARs of a type 0 header that lspci shows: the address as the
// function has it (both halves of a 64-bit BAR), the type from the
// low bits; the upper half of a 64-bit BAR is not a BAR of its own.
std::vector<bar_decoded> decode_bars(const config_reader &c, const pci_function &f)
{
	std::vector<bar_decoded> out;
	std::uint16_t cmd = c.word(command_reg);
	for (unsigned i = 0; i < 6; ++i) {
		std::uint32_t raw = c.dword(base_address_0 + 4 * i);
		std::uint32_t flags = raw == 0xffffffff ? 0 : raw;
		std::uint64_t pos = 0;
		bool upper_follows = false;
		if (raw != 0 && raw != 0xffffffff) {
			if ((raw & bar_space_io) || (raw & bar_mem_type_mask) != bar_mem_type_64) {
				pos = raw;
			} else if (i < 5) {
				pos = raw | static_cast<std::uint64_t>(c.dword(base_address_0 + 4 * (i + 1))) << 32;
				upper_follows = true;
			}
		}
		std::uint64_t size = f.bar_sizes[i];
		if (pos || flags || size) {
			bar_decoded b;
			b.index = i;
			b.io = flags & bar_space_io;
			b.address = pos & (b.io ? bar_io_mask : bar_mem_mask);
			b.mem_type = flags & bar_mem_type_mask;
			b.prefetchable = !b.io && (flags & bar_mem_prefetch);
			b.enabled = cmd & (b.io ? command_io : command_memory);
			b.size = size;
			out.push_back(b);
		}
		if (upper_follows)
			++i;
	}
	return out;
}

const char *mem_type_name(std::uint32_t t)
{
	return t == 0 ? "32-bit" : t == bar_mem_type_64 ? "64-bit" : t == bar_mem_type_1m ? "low-1M" : "type 3";
}

void put_size(std::string &out, std::uint64_t x)
{
	static const char *const suffix[] = { "", "K", "M", "G", "T" };
	if (!x)
		return;
	unsigned i = 0;
	for (; i < 4; ++i) {
		if (x % 1024)
			break;
		x /= 1024;
	}
	put(out, " [size=%u%s]", static_cast<unsigned>(x), suffix[i]);
}

void put_bars(std::string &out, const config_reader &c, const pci_function &f)
{
	std::uint16_t cmd = c.word(command_reg);
	for (const bar_decoded &b : decode_bars(c, f)) {
		out += '\t';
		if (b.io) {
			out += "I/O ports at ";
			if (b.address || (cmd & command_io))
				put(out, "%04llx", static_cast<unsigned long long>(b.address));
			else
				out += "<unassigned>";
			if (!b.enabled)
				out += " [disabled]";
		} else {
			out += "Memory at ";
			if (b.address)
				put(out, "%08llx", static_cast<unsigned long long>(b.address));
			else
				out += "<unassigned>";
			put(out, " (%s, %sprefetchable)", mem_type_name(b.mem_type), b.prefetchable ? "" : "non-");
			if (!b.enabled)
				out += " [disabled]";
		}
		put_size(out, b.size);
		out += '\n';
	}
}

void put_rom(std::string &out, const config_reader &c)
{
	std::uint32_t flags = c.dword(rom_address);
	std::uint32_t rom = flags == 0xffffffff ? 0 : flags;
	if (!rom && !flags)
		return;
	out += "\tExpansion ROM at ";
	if (rom & rom_address_mask)
		put(out, "%08x", rom & rom_address_mask);
	else if (flags & rom_address_mask)
		out += "<ignored>";
	else
		out += "<unassigned>";
	if (!(flags & rom_address_enable))
		out += " [disabled]";
	else if (!(c.word(command_reg) & command_memory))
		out += " [disabled by cmd]";
	out += '\n';
}

struct cap_decoded {
	unsigned offset = 0;
	unsigned id = 0;
	std::string text;	///< lspci -v's text after "[xx] "
};

// The capability list as lspci -v walks it; the last entry's text may be
// "<access denied>", "<chain looped>" or "<chain broken>" (offset 0 for the first).
std::vector<cap_decoded> decode_caps(const config_reader &c)
{
	std::vector<cap_decoded> out;
	if (!(c.word(status_reg) & status_cap_list))
		return out;
	bool seen[256] = {};
	unsigned where = c.byte(capability_list) & ~3u;
	while (where) {
		cap_decoded d;
		d.offset = where;
		if (!c.has(where, 4)) {
			d.offset = ~0u;	// lspci prints no offset before "<access denied>"
			d.text = "<access denied>";
			out.push_back(d);
			break;
		}
		d.id = c.byte(where);
		unsigned next = c.byte(where + 1) & ~3u;
		unsigned cap = c.word(where + 2);
		if (seen[where]) {
			d.text = "<chain looped>";
			out.push_back(d);
			break;
		}
		seen[where] = true;
		if (d.id == 0xff) {
			d.text = "<chain broken>";
			out.push_back(d);
			break;
		}
		switch (d.id) {
		case cap_null:
			d.text = "Null";
			break;
		case cap_pm:
			put(d.text, "Power Management version %u", cap & 0x7);
			break;
		case cap_vpd:
			d.text = "Vital Product Data";
			break;
		case cap_slotid:
			put(d.text, "Slot ID: %u slots, First%c, chassis %02x", cap & 0x1f, flag(cap, 0x20), cap >> 8);
			break;
		case cap_msi:
			put(d.text, "MSI: Enable%c Count=%u/%u Maskable%c 64bit%c", flag(cap, msi_enable),
			    1u << ((cap & msi_qsize) >> 4), 1u << ((cap & msi_qmask) >> 1), flag(cap, msi_mask_bit),
			    flag(cap, msi_64bit));
			break;
		case cap_chswp:
			d.text = "CompactPCI hot-swap <?>";
			break;
		case cap_vndr:
			put(d.text, "Vendor Specific Information: Len=%02x <?>", cap & 0xff);
			break;
		case cap_dbg:
			put(d.text, "Debug port: BAR=%u offset=%04x", cap >> 13, cap & 0x1fff);
			break;
		case cap_ccrc:
			d.text = "CompactPCI central resource control <?>";
			break;
		case cap_hotplug:
			d.text = "Hot-plug capable";
			break;
		case cap_agp3:
			d.text = "AGP3 <?>";
			break;
		case cap_secure:
			d.text = "Secure device <?>";
			break;
		case cap_msix:
			put(d.text, "MSI-X: Enable%c Count=%u Masked%c", flag(cap, msix_enable), (cap & msix_tabsize) + 1,
			    flag(cap, msix_mask));
			break;
		default:
			put(d.text, "Capability ID %#02x [%04x]", d.id, cap);
		}
		out.push_back(d);
		where = next;
	}
	return out;
}

std::uint16_t class_word(const config_reader &c)
{
	return c.word(class_device);
}

} // namespace

std::string lspci_slot(const std::string &canonical)
{
	if (canonical.rfind("0000:", 0) == 0)
		return canonical.substr(5);
	return canonical;
}

std::string lspci_hex_dump(std::span<const std::uint8_t> bytes)
{
	std::string out;
	for (std::size_t i = 0; i < bytes.size(); ++i) {
		if (!(i & 15))
			put(out, "%02zx:", i);
		put(out, " %02x", bytes[i]);
		if ((i & 15) == 15)
			out += '\n';
	}
	return out;
}

std::string lspci_terse(const pci_function &f, pci_names &names, bool verbose)
{
	config_reader c(f.config);
	std::string out = f.slot;
	out += ' ' + names.class_name(class_word(c)) + ": " + names.device_name(c.word(vendor_id), c.word(device_id));
	if (std::uint8_t rev = c.byte(revision_id))
		put(out, " (rev %02x)", rev);
	if (verbose) {
		std::uint8_t prog_if = c.byte(class_prog);
		std::optional<std::string> name = names.prog_if_name(class_word(c), prog_if);
		if (prog_if || name) {
			put(out, " (prog-if %02x", prog_if);
			if (name)
				out += " [" + *name + "]";
			out += ')';
		}
	}
	out += '\n';
	unsigned htype = c.byte(header_type) & 0x7f;
	if (verbose && htype == 0) {
		std::uint16_t sv = c.word(subsystem_vendor_id);
		if (sv && sv != 0xffff)
			out += "\tSubsystem: " +
			       names.subsystem_name(c.word(vendor_id), c.word(device_id), sv, c.word(subsystem_id)) + "\n";
	}
	return out;
}

std::string lspci_verbose(const pci_function &f, pci_names &names)
{
	config_reader c(f.config);
	std::string out = lspci_terse(f, names, true);
	unsigned htype = c.byte(header_type) & 0x7f;
	std::uint16_t cls = class_word(c);
	if (htype != 0) {
		put(out, "\t!!! Header type %02x is not decoded here (lspci -v decodes it)\n", htype);
	} else {
		if (cls == 0x0604)
			put(out, "\t!!! Invalid class %04x for header type %02x\n", cls, htype);
		std::uint16_t cmd = c.word(command_reg);
		std::uint16_t status = c.word(status_reg);
		out += "\tFlags: ";
		if (cmd & command_master)
			out += "bus master, ";
		if (cmd & command_vga_palette)
			out += "VGA palette snoop, ";
		if (cmd & command_wait)
			out += "stepping, ";
		if (cmd & command_fast_back)
			out += "fast Back2Back, ";
		if (status & status_66mhz)
			out += "66MHz, ";
		if (status & status_udf)
			out += "user-definable features, ";
		unsigned devsel = status & status_devsel_mask;
		out += devsel == 0x400 ? "slow" : devsel == 0x200 ? "medium" : devsel == 0 ? "fast" : "??";
		out += " devsel";
		if (cmd & command_master)
			put(out, ", latency %u", c.byte(latency_timer));
		if (f.irq && *f.irq)
			put(out, ", IRQ %u", *f.irq);
		out += '\n';
		std::uint8_t bist = c.byte(bist_reg);
		if (bist & bist_capable) {
			if (bist & bist_start)
				out += "\tBIST is running\n";
			else
				put(out, "\tBIST result: %02x\n", bist & bist_code_mask);
		}
		put_bars(out, c, f);
		put_rom(out, c);
		for (const cap_decoded &d : decode_caps(c)) {
			out += "\tCapabilities: ";
			if (d.offset != ~0u)
				put(out, "[%02x] ", d.offset);
			out += d.text + "\n";
		}
	}
	if (f.driver)
		out += "\tKernel driver in use: " + *f.driver + "\n";
	out += '\n';
	return out;
}

std::string lspci_hex_block(const pci_function &f, pci_names &names)
{
	return lspci_terse(f, names, false) + lspci_hex_dump(f.config) + "\n";
}

nlohmann::json pci_decode_json(const pci_function &f)
{
	config_reader c(f.config);
	nlohmann::json j;
	j["slot"] = f.slot;
	j["vendor"] = c.word(vendor_id);
	j["device"] = c.word(device_id);
	j["class"] = c.word(class_device);
	j["prog_if"] = c.byte(class_prog);
	j["revision"] = c.byte(revision_id);
	j["header_type"] = c.byte(header_type);
	j["command"] = c.word(command_reg);
	j["status"] = c.word(status_reg);
	j["interrupt_line"] = c.byte(interrupt_line);
	j["interrupt_pin"] = c.byte(interrupt_line + 1);
	if (f.irq)
		j["irq"] = *f.irq;
	if (f.driver)
		j["driver"] = *f.driver;
	if ((c.byte(header_type) & 0x7f) != 0)
		return j;
	j["subsystem_vendor"] = c.word(subsystem_vendor_id);
	j["subsystem_device"] = c.word(subsystem_id);
	nlohmann::json bars = nlohmann::json::array();
	for (const bar_decoded &b : decode_bars(c, f)) {
		nlohmann::json o;
		o["index"] = b.index;
		o["type"] = b.io ? "io" : "mem";
		o["address"] = b.address;
		if (!b.io) {
			o["bits"] = b.mem_type == bar_mem_type_64 ? 64 : b.mem_type == 0 ? 32 : 20;
			o["prefetchable"] = b.prefetchable;
		}
		o["enabled"] = b.enabled;
		if (b.size)
			o["size"] = b.size;
		bars.push_back(o);
	}
	j["bars"] = bars;
	nlohmann::json caps = nlohmann::json::array();
	for (const cap_decoded &d : decode_caps(c)) {
		nlohmann::json o;
		if (d.offset != ~0u) {
			o["offset"] = d.offset;
			o["id"] = d.id;
		}
		o["text"] = d.text;
		caps.push_back(o);
	}
	j["capabilities"] = caps;
	return j;
}

} // namespace ioviewctl
