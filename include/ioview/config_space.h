/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file config_space.h
 * @brief The PCI configuration space backend, the type 0 header, and capability-list walks.
 *
 * `config_space<A>` turns a set of pci_read_config_*()-like accessors into a backend. Its handle
 * is a device pointer plus an offset, `address()` is the offset, its byte order little endian
 * (the accessors return CPU values of little-endian registers, as the kernel's do), and it is
 * fallible: reads return result<uN>, writes return status, because a configuration access can
 * fail (a removed device, a register number the platform rejects). It has 8, 16 and 32-bit
 * accessors only: a configuration transaction carries at most 32 bits, so a u64 read does not
 * compile rather than becoming two accesses behind the caller's back.
 *
 * What an accessor policy @p A provides (static functions, the shape of the kernel's
 * `pci_read_config_byte(dev, where, &val)`, with the PCIBIOS codes already turned into errnos):
 *
 * | member | meaning |
 * | --- | --- |
 * | `using device = D;` | what the handle points to (the kernel's `struct pci_dev`, a test double); the library never looks inside |
 * | `int read8(D *dev, unsigned off, u8 *val)`, `read16(..., u16 *)`, `read32(..., u32 *)` | one access of that width at @p off: 0 and `*val` set, or a negative errno (then `*val` is ignored) |
 * | `int write8(D *dev, unsigned off, u8 val)`, `write16(..., u16)`, `write32(..., u32)` | one access: 0 or a negative errno |
 *
 * A positive return (a PCIBIOS code left unconverted) is reported as -EIO, never as success.
 * The library calls an accessor only with an offset whose access lies inside the view, aligned
 * to the access width, so the policy sees no offset past 4095 and no misaligned access.
 *
 * The first 64 bytes are pci::type0_header (a typed, projectable struct); pci::find_capability()
 * and pci::find_ext_capability() walk the capability lists through the same views.
 *
 * Example (a policy over a byte array, as a test would write it):
 * ```cpp
 * struct cfg_bytes {
 *         alignas(4) ioview::u8 b[256];
 * };
 * struct array_accessors {
 *         using device = cfg_bytes;
 *         static int read8(cfg_bytes *d, unsigned off, ioview::u8 *v) { *v = d->b[off]; return 0; }
 *         static int read16(cfg_bytes *d, unsigned off, ioview::u16 *v)
 *         {
 *                 *v = static_cast<ioview::u16>(d->b[off] | d->b[off + 1] << 8);
 *                 return 0;
 *         }
 *         static int read32(cfg_bytes *d, unsigned off, ioview::u32 *v)
 *         {
 *                 *v = 0;
 *                 for (unsigned i = 0; i < 4; i++)
 *                         *v |= static_cast<ioview::u32>(d->b[off + i]) << (8 * i);
 *                 return 0;
 *         }
 *         static int write8(cfg_bytes *d, unsigned off, ioview::u8 v) { d->b[off] = v; return 0; }
 *         static int write16(cfg_bytes *d, unsigned off, ioview::u16 v)
 *         {
 *                 d->b[off] = static_cast<ioview::u8>(v);
 *                 d->b[off + 1] = static_cast<ioview::u8>(v >> 8);
 *                 return 0;
 *         }
 *         static int write32(cfg_bytes *d, unsigned off, ioview::u32 v)
 *         {
 *                 for (unsigned i = 0; i < 4; i++)
 *                         d->b[off + i] = static_cast<ioview::u8>(v >> (8 * i));
 *                 return 0;
 *         }
 * };
 * using array_config = ioview::config_space<array_accessors>;
 * static_assert(ioview::fallible<array_config>);
 * static_assert(!ioview::capable<array_config, 8>);
 *
 * ioview::u16 config_example()
 * {
 *         cfg_bytes dev = { { 0x34, 0x12, 0xe8, 0x11 } };
 *         auto cfg = array_config::try_view<ioview::pci::normal_config>(&dev, 256);
 *         if (!cfg)
 *                 return 0;
 *         auto hdr = ioview::pci::header(cfg.value());
 *         auto vendor = IOVIEW_PROJECT(hdr, vendor_id).read_val();  // result<le16>
 *         if (!vendor)
 *                 return 0;
 *         return vendor.value().get();                               // 0x1234
 * }
 * ```
 */
#ifndef IOVIEW_CONFIG_SPACE_H
#define IOVIEW_CONFIG_SPACE_H

#include <ioview/endian.h>
#include <ioview/project.h>
#include <ioview/view.h>

namespace ioview {

/**
 * @brief What a configuration space accessor policy must have; see the table at the top.
 *
 * ```cpp
 * struct reads_only {
 *         using device = void;
 *         static int read32(void *, unsigned, ioview::u32 *v) { *v = 0; return 0; }
 * };
 * static_assert(!ioview::config_accessors<reads_only>);
 * ```
 */
template <typename A>
concept config_accessors = requires(typename A::device *dev, unsigned off, u8 *v8, u16 *v16, u32 *v32) {
	{ A::read8(dev, off, v8) } -> detail::same_as<int>;
	{ A::read16(dev, off, v16) } -> detail::same_as<int>;
	{ A::read32(dev, off, v32) } -> detail::same_as<int>;
	{ A::write8(dev, off, u8{}) } -> detail::same_as<int>;
	{ A::write16(dev, off, u16{}) } -> detail::same_as<int>;
	{ A::write32(dev, off, u32{}) } -> detail::same_as<int>;
};

namespace pci {

/** @name Sizes and region types of a function's configuration space. */
///@{
/** @brief Bytes of the configuration space every PCI function has. */
inline constexpr usize normal_config_size = 256;
/** @brief Bytes of the configuration space of a PCI-X 2.0 or PCI Express function. */
inline constexpr usize extended_config_size = 4096;

/** @brief Tag shared by both region types, so registers bound to one fit views of either. */
struct config_tag;
/**
 * @brief The 256-byte configuration space every function has.
 *
 * ```cpp
 * static_assert(ioview::known_size<ioview::pci::normal_config>::min_size == 256);
 * ```
 */
using normal_config = region<normal_config_size, config_tag>;
/**
 * @brief The 4096-byte extended configuration space; the extended capability walk needs it.
 *
 * ```cpp
 * static_assert(ioview::known_size<ioview::pci::extended_config>::min_size == 4096);
 * ```
 */
using extended_config = region<extended_config_size, config_tag>;
///@}

/**
 * @brief The standard header of a type 0 (non-bridge) function: the first 64 bytes.
 *
 * Multi-byte fields are little endian as the specification defines them: read_val() gives an
 * le16/le32 whose get() is the number. Offsets 0x00-0x0f, capabilities_pointer and the
 * interrupt fields mean the same for every header type; the rest means what its name says only
 * when `header_type & header_type_mask` is header_type_normal.
 *
 * ```cpp
 * template <typename B, typename R>
 * bool is_64bit_prefetchable_bar2(ioview::view<B, R> cfg)
 * {
 *         auto bar = IOVIEW_PROJECT(ioview::pci::header(cfg), bars[2]).read_val();
 *         if (!bar)
 *                 return false;
 *         ioview::u32 flags = bar.value().get() & ~ioview::pci::bar_mem_mask;
 *         return flags == (ioview::pci::bar_mem_type_64 | ioview::pci::bar_mem_prefetch);
 * }
 * ```
 */
struct type0_header {
	le16 vendor_id;			///< 0x00
	le16 device_id;			///< 0x02
	le16 command;			///< 0x04, command_* bits
	le16 status;			///< 0x06, status_* bits
	u8 revision_id;			///< 0x08
	u8 prog_if;			///< 0x09, class code: programming interface
	u8 subclass;			///< 0x0a, class code: sub class
	u8 base_class;			///< 0x0b, class code: base class
	u8 cache_line_size;		///< 0x0c, in 32-bit words
	u8 latency_timer;		///< 0x0d
	u8 header_type;			///< 0x0e, header_type_* values
	u8 bist;			///< 0x0f
	le32 bars[6];			///< 0x10-0x27, bar_* bits; a 64-bit BAR takes two
	le32 cardbus_cis;		///< 0x28
	le16 subsystem_vendor_id;	///< 0x2c
	le16 subsystem_id;		///< 0x2e
	le32 expansion_rom;		///< 0x30
	u8 capabilities_pointer;	///< 0x34, valid when status has status_cap_list
	u8 reserved0[3];		///< 0x35
	le32 reserved1;			///< 0x38
	u8 interrupt_line;		///< 0x3c, read/write scratch for the OS
	u8 interrupt_pin;		///< 0x3d, 0 none, 1-4 INTA-INTD
	u8 min_gnt;			///< 0x3e
	u8 max_lat;			///< 0x3f
};

/**
 * @brief The two bytes every capability in the 256-byte space starts with.
 *
 * ```cpp
 * static_assert(sizeof(ioview::pci::cap_header) == 2);
 * ```
 */
struct cap_header {
	u8 id;		///< cap_* value
	u8 next;	///< offset of the next capability; below 0x40 ends the list
};

/**
 * @brief The 32-bit header of an extended capability (offset 0x100 and up), as two halves.
 *
 * Bits 15:0 are the id, 19:16 the version, 31:20 the next offset; ext_cap_id(),
 * ext_cap_version() and ext_cap_next() take the whole word as read_val/try_read32 give it.
 *
 * ```cpp
 * static_assert(ioview::pci::ext_cap_next(0x1481'0001u) == 0x148);
 * static_assert(ioview::pci::ext_cap_id(0x1481'0001u) == ioview::pci::ext_cap_aer);
 * ```
 */
struct ext_cap_header {
	le16 id;		///< ext_cap_* value
	le16 version_next;	///< bits 3:0 version, 15:4 next offset
};

/** @name Register offsets used by the walks. */
///@{
inline constexpr usize status_offset = 0x06;
inline constexpr usize header_type_offset = 0x0e;
inline constexpr usize capabilities_pointer_offset = 0x34;
/** @brief Where a CardBus bridge (header type 2) keeps its capabilities pointer. */
inline constexpr usize cardbus_capabilities_pointer_offset = 0x14;
/** @brief Capabilities in the 256-byte space live at or above this; a smaller pointer ends the list. */
inline constexpr usize first_capability_offset = 0x40;
/** @brief The first extended capability header. */
inline constexpr usize first_ext_capability_offset = 0x100;
///@}

/** @name Command register bits. */
///@{
inline constexpr u16 command_io = 0x0001;		///< respond to I/O space
inline constexpr u16 command_memory = 0x0002;		///< respond to memory space
inline constexpr u16 command_master = 0x0004;		///< bus mastering (DMA)
inline constexpr u16 command_parity = 0x0040;		///< parity error response
inline constexpr u16 command_serr = 0x0100;		///< SERR# driver enable
inline constexpr u16 command_intx_disable = 0x0400;	///< INTx emulation disable
///@}

/** @name Status register bits. */
///@{
inline constexpr u16 status_interrupt = 0x0008;		///< INTx asserted
inline constexpr u16 status_cap_list = 0x0010;		///< capabilities_pointer is valid
inline constexpr u16 status_66mhz = 0x0020;
inline constexpr u16 status_master_parity = 0x0100;
inline constexpr u16 status_sig_target_abort = 0x0800;
inline constexpr u16 status_rec_target_abort = 0x1000;
inline constexpr u16 status_rec_master_abort = 0x2000;
inline constexpr u16 status_sig_system_error = 0x4000;
inline constexpr u16 status_detected_parity = 0x8000;
///@}

/** @name Header type register. */
///@{
inline constexpr u8 header_type_mask = 0x7f;		///< the layout, without the multifunction bit
inline constexpr u8 header_type_multifunction = 0x80;	///< the device has more than one function
inline constexpr u8 header_type_normal = 0;		///< type 0: an endpoint
inline constexpr u8 header_type_bridge = 1;		///< type 1: a PCI-to-PCI bridge
inline constexpr u8 header_type_cardbus = 2;		///< type 2: a CardBus bridge
///@}

/** @name Base address register bits. */
///@{
inline constexpr u32 bar_space_io = 0x1;		///< set: I/O space BAR
inline constexpr u32 bar_mem_type_mask = 0x6;
inline constexpr u32 bar_mem_type_32 = 0x0;
inline constexpr u32 bar_mem_type_64 = 0x4;		///< this BAR and the next form one 64-bit address
inline constexpr u32 bar_mem_prefetch = 0x8;
inline constexpr u32 bar_mem_mask = ~u32{ 0xf };	///< address bits of a memory BAR
inline constexpr u32 bar_io_mask = ~u32{ 0x3 };		///< address bits of an I/O BAR
///@}

/** @name Capability ids (the 256-byte space). */
///@{
inline constexpr u8 cap_pm = 0x01;		///< power management
inline constexpr u8 cap_agp = 0x02;
inline constexpr u8 cap_vpd = 0x03;		///< vital product data
inline constexpr u8 cap_msi = 0x05;
inline constexpr u8 cap_pcix = 0x07;
inline constexpr u8 cap_vendor = 0x09;		///< vendor specific
inline constexpr u8 cap_pcie = 0x10;		///< PCI Express
inline constexpr u8 cap_msix = 0x11;
inline constexpr u8 cap_sata = 0x12;
inline constexpr u8 cap_af = 0x13;		///< advanced features
///@}

/** @name Extended capability ids (offset 0x100 and up). */
///@{
inline constexpr u16 ext_cap_aer = 0x0001;	///< advanced error reporting
inline constexpr u16 ext_cap_vc = 0x0002;	///< virtual channel
inline constexpr u16 ext_cap_dsn = 0x0003;	///< device serial number
inline constexpr u16 ext_cap_vendor = 0x000b;	///< vendor specific
inline constexpr u16 ext_cap_acs = 0x000d;	///< access control services
inline constexpr u16 ext_cap_ari = 0x000e;
inline constexpr u16 ext_cap_ats = 0x000f;
inline constexpr u16 ext_cap_sriov = 0x0010;
inline constexpr u16 ext_cap_rebar = 0x0015;	///< resizable BAR
inline constexpr u16 ext_cap_ltr = 0x0018;
inline constexpr u16 ext_cap_pasid = 0x001b;
inline constexpr u16 ext_cap_dvsec = 0x0023;	///< designated vendor specific
///@}

/** @name Fields of an extended capability header word. */
///@{
constexpr u16 ext_cap_id(u32 word) noexcept { return static_cast<u16>(word & 0xffff); }
constexpr u8 ext_cap_version(u32 word) noexcept { return static_cast<u8>((word >> 16) & 0xf); }
/** @brief The next offset, its two reserved low bits cleared. */
constexpr usize ext_cap_next(u32 word) noexcept { return (word >> 20) & 0xffc; }
///@}

/**
 * @brief Capability headers the walk reads at most before giving up with -ELOOP: the 192 bytes
 * above 0x40 hold at most 48 four-byte capabilities (the kernel's PCI_FIND_CAP_TTL is the same).
 */
inline constexpr usize cap_walk_budget = 48;
/**
 * @brief Extended capability headers read at most before -ELOOP: (4096 - 256) / 8, the bound
 * the kernel's pci_find_next_ext_capability() uses.
 */
inline constexpr usize ext_cap_walk_budget = (extended_config_size - normal_config_size) / 8;

} // namespace pci

template <> inline constexpr bool enable_plain_data<pci::type0_header> = true;
template <> inline constexpr bool enable_plain_data<pci::cap_header> = true;
template <> inline constexpr bool enable_plain_data<pci::ext_cap_header> = true;

namespace detail {
/* The layout the PCI specification gives, byte for byte. */
static_assert(sizeof(pci::type0_header) == 64);
static_assert(__builtin_offsetof(pci::type0_header, vendor_id) == 0x00);
static_assert(__builtin_offsetof(pci::type0_header, device_id) == 0x02);
static_assert(__builtin_offsetof(pci::type0_header, command) == 0x04);
static_assert(__builtin_offsetof(pci::type0_header, status) == pci::status_offset);
static_assert(__builtin_offsetof(pci::type0_header, revision_id) == 0x08);
static_assert(__builtin_offsetof(pci::type0_header, prog_if) == 0x09);
static_assert(__builtin_offsetof(pci::type0_header, subclass) == 0x0a);
static_assert(__builtin_offsetof(pci::type0_header, base_class) == 0x0b);
static_assert(__builtin_offsetof(pci::type0_header, cache_line_size) == 0x0c);
static_assert(__builtin_offsetof(pci::type0_header, latency_timer) == 0x0d);
static_assert(__builtin_offsetof(pci::type0_header, header_type) == pci::header_type_offset);
static_assert(__builtin_offsetof(pci::type0_header, bist) == 0x0f);
static_assert(__builtin_offsetof(pci::type0_header, bars) == 0x10);
static_assert(__builtin_offsetof(pci::type0_header, bars[5]) == 0x24);
static_assert(__builtin_offsetof(pci::type0_header, cardbus_cis) == 0x28);
static_assert(__builtin_offsetof(pci::type0_header, subsystem_vendor_id) == 0x2c);
static_assert(__builtin_offsetof(pci::type0_header, subsystem_id) == 0x2e);
static_assert(__builtin_offsetof(pci::type0_header, expansion_rom) == 0x30);
static_assert(__builtin_offsetof(pci::type0_header, capabilities_pointer) == pci::capabilities_pointer_offset);
static_assert(__builtin_offsetof(pci::type0_header, interrupt_line) == 0x3c);
static_assert(__builtin_offsetof(pci::type0_header, interrupt_pin) == 0x3d);
static_assert(__builtin_offsetof(pci::type0_header, min_gnt) == 0x3e);
static_assert(__builtin_offsetof(pci::type0_header, max_lat) == 0x3f);
static_assert(plain_data<pci::type0_header>, "the header must have no padding");
static_assert(sizeof(pci::ext_cap_header) == 4 && plain_data<pci::ext_cap_header>);
} // namespace detail

/**
 * @brief The PCI configuration space backend over accessor policy @p A.
 *
 * Handle: the device and the offset in its configuration space. Views come from try_view(),
 * which starts them at offset 0, so `view.address()` is the register offset.
 *
 * Invariant of its views: the device stays valid (referenced, not freed) for as long as the
 * view is used; the view covers at most 4096 bytes, so every access the library makes has an
 * offset below 4096.
 */
template <config_accessors A> struct config_space {
	/** @brief The accessor policy the backend calls. */
	using accessors = A;
	/** @brief The policy's device type (the kernel's `struct pci_dev`). */
	using device = typename A::device;
	/** @brief A location: the device and an offset in its configuration space. */
	struct handle {
		device *dev;	///< the function whose space is accessed
		usize offset;	///< the register offset
	};
	/** @brief Every access can fail: reads return result, writes status. */
	static constexpr bool fallible = true;
	/** @brief Configuration space is little endian. */
	static constexpr byte_order order = byte_order::little;

	/** @brief The register offset. */
	static uptr address(handle h) noexcept { return h.offset; }
	/** @brief The handle @p n bytes further on. */
	static handle offset(handle h, usize n) noexcept { return { h.dev, h.offset + n }; }

	/** @name Scalar accessors (8, 16 and 32 bits: configuration space has no 64-bit access) */
	///@{
	/** @brief One call of the policy's accessor of the width in the name; its error as a negative errno. */
	static result<u8> read8(handle h) noexcept { return load<u8>(h); }
	static result<u16> read16(handle h) noexcept { return load<u16>(h); }
	static result<u32> read32(handle h) noexcept { return load<u32>(h); }
	static status write8(handle h, u8 v) noexcept { return outcome(A::write8(h.dev, where(h), v)); }
	static status write16(handle h, u16 v) noexcept { return outcome(A::write16(h.dev, where(h), v)); }
	static status write32(handle h, u32 v) noexcept { return outcome(A::write32(h.dev, where(h), v)); }
	///@}

	/**
	 * @brief A view of T over the first @p bytes of @p dev's configuration space, checked.
	 *
	 * @p bytes is the function's configuration space size (256, or 4096 for an extended one).
	 * T is usually pci::normal_config or pci::extended_config; a fixed-size type works too.
	 * @return the view; -EFAULT for a null @p dev; -EINVAL if @p bytes exceeds 4096, is below
	 * known_size<T>::min_size (e.g. 256 bytes for pci::extended_config) or, for a region, is
	 * not a multiple of 4. Nothing is accessed.
	 *
	 * ```cpp
	 * template <typename Config>
	 * auto whole_space(typename Config::device *dev, ioview::usize cfg_size)
	 * {
	 *         return Config::template try_view<ioview::pci::normal_config>(dev, cfg_size);
	 * }
	 * ```
	 */
	template <typename T> static result<view<config_space, T>> try_view(device *dev, usize bytes) noexcept
	{
		if (dev == nullptr) [[unlikely]]
			return result<view<config_space, T>>(fail(efault));
		if (bytes > pci::extended_config_size) [[unlikely]]
			return result<view<config_space, T>>(fail(einval));
		return detail::checked_view<config_space, T>(backend_key<config_space>{}, handle{ dev, 0 }, bytes);
	}

private:
	/* Views never reach 4096 bytes, so the offset always fits the accessor's argument. */
	static unsigned where(handle h) noexcept { return static_cast<unsigned>(h.offset); }

	static status outcome(int err) noexcept
	{
		if (err == 0) [[likely]]
			return status::success();
		return failure{ err < 0 ? err : -eio };
	}

	template <typename W> static result<W> load(handle h) noexcept
	{
		W v = 0;
		int err;
		if constexpr (sizeof(W) == 1)
			err = A::read8(h.dev, where(h), &v);
		else if constexpr (sizeof(W) == 2)
			err = A::read16(h.dev, where(h), &v);
		else
			err = A::read32(h.dev, where(h), &v);
		if (err != 0) [[unlikely]]
			return failure{ err < 0 ? err : -eio };
		return v;
	}
};

namespace diag {
template <typename T> struct not_a_config_space_view; // a capability walk needs a view of pci::normal_config or pci::extended_config
template <typename T, typename Size> struct ext_walk_needs_extended_view; // the extended capability walk needs pci::extended_config (4096 bytes); T guarantees only this size
} // namespace diag

namespace detail {
template <typename R> consteval bool is_config_region()
{
	if constexpr (!is_region<R>)
		return false;
	else
		return is_same<typename remove_cv_t<R>::tag, pci::config_tag>;
}
template <typename R> consteval bool check_config_region()
{
	return expect<is_config_region<R>(), diag::not_a_config_space_view<R>>();
}
template <typename R> consteval bool check_extended_region()
{
	if constexpr (!is_config_region<R>())
		return check_config_region<R>();
	else
		return expect<(known_size<R>::min_size >= pci::extended_config_size),
			      diag::ext_walk_needs_extended_view<R, diag::size<known_size<R>::min_size>>>();
}
} // namespace detail

namespace pci {

/**
 * @brief The type 0 header at the start of a configuration space view; projection only, nothing
 * is accessed (see type0_header for which fields depend on the header type).
 *
 * ```cpp
 * template <typename B, typename R>
 * ioview::result<ioview::u8> revision(ioview::view<B, R> cfg)
 * {
 *         return IOVIEW_PROJECT(ioview::pci::header(cfg), revision_id).read_val();
 * }
 * ```
 */
template <typename B, typename R> constexpr auto header(view<B, R> cfg) noexcept
{
	static_assert(detail::check_config_region<R>());
	return cfg.template at_offset<type0_header, 0>();
}

/**
 * @brief The offset of the first capability with id @p id in the 256-byte space.
 *
 * The walk reads the status register, and only if status_cap_list is set the header type and
 * the capabilities pointer (0x34; 0x14 for a CardBus bridge). From there it follows the `next`
 * bytes with the two low bits of every pointer cleared; a pointer below 0x40 or an id of 0xff
 * (what a function that vanished reads as) ends the list. It reads at most cap_walk_budget
 * headers. Works on every backend whose views have a config region type.
 *
 * @return the offset (0x40..0xfc, a multiple of 4), or:
 * - -ENOENT: no such capability: status_cap_list is clear, the header type has no capability
 *   list, or the list ended without it;
 * - -ELOOP: cap_walk_budget headers read and the list has not ended: it loops;
 * - an accessor's error (e.g. -ENODEV for a removed device, -EIO), as it returned it, from the
 *   first access that failed; the walk stops there.
 *
 * ```cpp
 * template <typename B, typename R>
 * bool has_msix(ioview::view<B, R> cfg)
 * {
 *         return ioview::pci::find_capability(cfg, ioview::pci::cap_msix).ok();
 * }
 * ```
 */
template <typename B, typename R> result<usize> find_capability(view<B, R> cfg, u8 id) noexcept
{
	static_assert(detail::check_config_region<R>());
	result<u16> st = cfg.template read16<status_offset>();
	if (!st)
		return failure{ st.error() };
	if (!(st.value() & status_cap_list))
		return fail(enoent);
	result<u8> type = cfg.template read8<header_type_offset>();
	if (!type)
		return failure{ type.error() };
	usize start;
	switch (type.value() & header_type_mask) {
	case header_type_normal:
	case header_type_bridge:
		start = capabilities_pointer_offset;
		break;
	case header_type_cardbus:
		start = cardbus_capabilities_pointer_offset;
		break;
	default:
		return fail(enoent);
	}
	result<u8> ptr = cfg.try_read8(start);
	if (!ptr)
		return failure{ ptr.error() };
	usize pos = ptr.value();
	for (usize step = 0; step < cap_walk_budget; ++step) {
		pos &= ~usize{ 3 };
		if (pos < first_capability_offset)
			return fail(enoent);
		// One 16-bit read: id in the low byte, next in the high byte (little endian).
		result<u16> hdr = cfg.try_read16(pos);
		if (!hdr)
			return failure{ hdr.error() };
		u8 cap = static_cast<u8>(hdr.value() & 0xff);
		if (cap == 0xff)
			return fail(enoent);
		if (cap == id)
			return pos;
		pos = hdr.value() >> 8;
	}
	if ((pos & ~usize{ 3 }) < first_capability_offset)
		return fail(enoent);
	return fail(eloop);
}

/**
 * @brief find_capability() as a view of the capability's header, to project from.
 *
 * @return the view (its address() is the offset), or find_capability()'s errors.
 *
 * ```cpp
 * template <typename B, typename R>
 * ioview::result<ioview::u8> msi_next(ioview::view<B, R> cfg)
 * {
 *         auto msi = ioview::pci::find_capability_header(cfg, ioview::pci::cap_msi);
 *         if (!msi)
 *                 return ioview::failure{ msi.error() };
 *         return IOVIEW_PROJECT(msi.value(), next).read_val();
 * }
 * ```
 */
template <typename B, typename R> auto find_capability_header(view<B, R> cfg, u8 id) noexcept
{
	using V = view<B, detail::copy_const_t<R, cap_header>>;
	result<usize> pos = find_capability(cfg, id);
	if (!pos)
		return result<V>(failure{ pos.error() });
	return cfg.template try_at_offset<cap_header>(pos.value());
}

/**
 * @brief The offset of the first extended capability with id @p id; only on a view of the
 * 4096-byte space (a view of pci::normal_config does not compile).
 *
 * The walk starts at 0x100 and reads 32-bit headers; the next offset is bits 31:20 with the two
 * low bits cleared; a next offset below 0x100 ends the list, and a header of 0 at 0x100 means
 * there is none. It reads at most ext_cap_walk_budget headers.
 *
 * @return the offset (0x100..0xffc), or:
 * - -ENOENT: no such extended capability (none at all, or the list ended without it);
 * - -ELOOP: ext_cap_walk_budget headers read and the list has not ended;
 * - an accessor's error, as it returned it; the walk stops there.
 *
 * ```cpp
 * template <typename B>
 * bool has_aer(ioview::view<B, ioview::pci::extended_config> cfg)
 * {
 *         return ioview::pci::find_ext_capability(cfg, ioview::pci::ext_cap_aer).ok();
 * }
 * ```
 */
template <typename B, typename R> result<usize> find_ext_capability(view<B, R> cfg, u16 id) noexcept
{
	static_assert(detail::check_extended_region<R>());
	usize pos = first_ext_capability_offset;
	for (usize step = 0; step < ext_cap_walk_budget; ++step) {
		result<u32> hdr = cfg.try_read32(pos);
		if (!hdr)
			return failure{ hdr.error() };
		if (step == 0 && hdr.value() == 0)
			return fail(enoent);
		if (ext_cap_id(hdr.value()) == id)
			return pos;
		pos = ext_cap_next(hdr.value());
		if (pos < first_ext_capability_offset)
			return fail(enoent);
	}
	return fail(eloop);
}

/**
 * @brief find_ext_capability() as a view of the capability's header.
 *
 * ```cpp
 * template <typename B>
 * ioview::result<ioview::u16> first_ext_id(ioview::view<B, ioview::pci::extended_config> cfg)
 * {
 *         auto dsn = ioview::pci::find_ext_capability_header(cfg, ioview::pci::ext_cap_dsn);
 *         if (!dsn)
 *                 return ioview::failure{ dsn.error() };
 *         auto id = IOVIEW_PROJECT(dsn.value(), id).read_val();
 *         if (!id)
 *                 return ioview::failure{ id.error() };
 *         return id.value().get();
 * }
 * ```
 */
template <typename B, typename R> auto find_ext_capability_header(view<B, R> cfg, u16 id) noexcept
{
	using V = view<B, detail::copy_const_t<R, ext_cap_header>>;
	result<usize> pos = find_ext_capability(cfg, id);
	if (!pos)
		return result<V>(failure{ pos.error() });
	return cfg.template try_at_offset<ext_cap_header>(pos.value());
}

} // namespace pci

} // namespace ioview

#endif /* IOVIEW_CONFIG_SPACE_H */
