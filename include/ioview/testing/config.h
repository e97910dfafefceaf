/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file testing/config.h
 * @brief A PCI function's configuration space for unit tests: a byte array behind
 * pci_read_config_*()-shaped accessors, as ioview::config_space expects them.
 *
 * It counts accesses, can fail every access or those at one offset with a chosen errno (as a
 * removed device does), and records any access the library should never make (past the
 * function's size, or misaligned), so config-space code of a driver can be tested without a
 * device: set the bytes a function would hold, run the code, check its result and the counts.
 *
 * Example:
 * ```cpp
 * #include <ioview/testing/config.h>
 *
 * int msi_offset_of_fake_function()
 * {
 *         ioview::testing::pci_function f;
 *         f.cap_list(0x40);                       // status.cap_list, pointer 0x40
 *         f.cap(0x40, ioview::pci::cap_msi, 0);   // MSI, end of the list
 *         auto msi = ioview::pci::find_capability(ioview::testing::config_of(f), ioview::pci::cap_msi);
 *         f.unplugged_errno(-ioview::enodev);     // now every access fails, like a removed device
 *         auto gone = ioview::pci::find_capability(ioview::testing::config_of(f), ioview::pci::cap_msi);
 *         return msi.value_or(0) + (gone.error() == -ioview::enodev && f.bad_accesses == 0);   // 0x41
 * }
 * ```
 */
#ifndef IOVIEW_TESTING_CONFIG_H
#define IOVIEW_TESTING_CONFIG_H

#include <ioview/ioview.h>

namespace ioview::testing {

/**
 * @brief A fake PCI function: its configuration bytes, access counts and injected errors.
 *
 * Every field is public so a test can set up a space and look at what happened.
 */
struct pci_function {
	u8 bytes[pci::extended_config_size];	///< the configuration space, little endian
	usize size = pci::normal_config_size;	///< 256 or 4096
	int fail_all = 0;			///< negative errno returned by every access, 0: none
	int fail_at_offset = -1;		///< offset whose accesses fail with fail_errno
	int fail_errno = 0;			///< negative errno of an access at fail_at_offset
	usize reads = 0;			///< reads attempted, failed ones included
	usize writes = 0;			///< writes attempted, failed ones included
	usize bad_accesses = 0;			///< out of size or misaligned: the library must not do them

	pci_function() { __builtin_memset(bytes, 0, sizeof(bytes)); }

	/** @name Set up the space: store a value little endian at @p off, counting no access. */
	///@{
	/** @brief Store @p v at @p off, little endian, without counting an access. */
	void put8(usize off, u8 v) { bytes[off] = v; }
	void put16(usize off, u16 v)
	{
		put8(off, static_cast<u8>(v));
		put8(off + 1, static_cast<u8>(v >> 8));
	}
	void put32(usize off, u32 v)
	{
		put16(off, static_cast<u16>(v));
		put16(off + 2, static_cast<u16>(v >> 16));
	}
	///@}
	/** @brief A capability at @p off with @p id whose next pointer is @p next. */
	void cap(usize off, u8 id, u8 next)
	{
		put8(off, id);
		put8(off + 1, next);
	}
	/** @brief Status with the capability-list bit, and @p first in the pointer at 0x34. */
	void cap_list(u8 first)
	{
		put16(pci::status_offset, pci::status_cap_list);
		put8(pci::capabilities_pointer_offset, first);
	}
	/** @brief Reads and writes attempted. */
	usize accesses() const { return reads + writes; }
	/** @brief Fail every access from now on with @p err (negative), as a removed device does. */
	void unplugged_errno(int err) { fail_all = err; }
};

/** @brief The config_space accessor policy over a pci_function, shaped like pci_read_config_*(). */
struct pci_config_accessors {
	/** @brief What the backend's handle points at. */
	using device = pci_function;

	/** @brief Count a bad access and return -EFAULT, or return the injected error, or 0. */
	template <typename W> static int check(pci_function *f, unsigned off)
	{
		if (off + sizeof(W) > f->size || off % sizeof(W) != 0) {
			f->bad_accesses++;
			return -efault;
		}
		if (f->fail_all)
			return f->fail_all;
		if (f->fail_at_offset >= 0 && off == static_cast<unsigned>(f->fail_at_offset))
			return f->fail_errno;
		return 0;
	}
	/** @brief Read a W at @p off into @p v: 0, or the error of check(). */
	template <typename W> static int load(pci_function *f, unsigned off, W *v)
	{
		f->reads++;
		int err = check<W>(f, off);
		if (err)
			return err;
		W r = 0;
		for (usize i = 0; i < sizeof(W); i++)
			r = static_cast<W>(r | static_cast<W>(static_cast<W>(f->bytes[off + i]) << (8 * i)));
		*v = r;
		return 0;
	}
	/** @brief Write @p v at @p off: 0, or the error of check(). */
	template <typename W> static int store(pci_function *f, unsigned off, W v)
	{
		f->writes++;
		int err = check<W>(f, off);
		if (err)
			return err;
		for (usize i = 0; i < sizeof(W); i++)
			f->bytes[off + i] = static_cast<u8>(v >> (8 * i));
		return 0;
	}

	/** @name Accessors */
	///@{
	/** @brief load() or store() of the width in the name, returning 0 or a negative errno. */
	static int read8(pci_function *f, unsigned off, u8 *v) { return load(f, off, v); }
	static int read16(pci_function *f, unsigned off, u16 *v) { return load(f, off, v); }
	static int read32(pci_function *f, unsigned off, u32 *v) { return load(f, off, v); }
	static int write8(pci_function *f, unsigned off, u8 v) { return store(f, off, v); }
	static int write16(pci_function *f, unsigned off, u16 v) { return store(f, off, v); }
	static int write32(pci_function *f, unsigned off, u32 v) { return store(f, off, v); }
	///@}
};

/** @brief The configuration-space backend over a pci_function. */
using pci_config = config_space<pci_config_accessors>;

/** @brief The normal (256-byte) configuration space of @p f. */
inline view<pci_config, pci::normal_config> config_of(pci_function &f)
{
	return pci_config::try_view<pci::normal_config>(&f, f.size).value();
}
/** @brief The extended (4096-byte) space of @p f; @p f.size must be 4096 (a contract, else it traps). */
inline view<pci_config, pci::extended_config> extended_config_of(pci_function &f)
{
	return pci_config::try_view<pci::extended_config>(&f, f.size).value();
}

} // namespace ioview::testing

#endif /* IOVIEW_TESTING_CONFIG_H */
