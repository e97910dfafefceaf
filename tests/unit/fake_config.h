// A PCI function's configuration space as a byte array behind pci_read_config_*()-shaped
// accessors, for ioview::config_space: it counts accesses, can fail every access or the accesses
// at one offset with a chosen errno (as a removed device does), and records any access the
// library should never make (past the function's size, or misaligned).
#ifndef IOVIEW_TESTS_FAKE_CONFIG_H
#define IOVIEW_TESTS_FAKE_CONFIG_H

#include <ioview/ioview.h>

namespace fake_cfg {

using namespace ioview;

struct function {
	u8 bytes[pci::extended_config_size];
	usize size = pci::normal_config_size;	// 256 or 4096
	int fail_all = 0;			// negative errno returned by every access, 0: none
	int fail_at_offset = -1;		// offset whose accesses fail with fail_errno
	int fail_errno = 0;
	usize reads = 0;
	usize writes = 0;
	usize bad_accesses = 0;			// out of size or misaligned: the library must not do them

	function() { __builtin_memset(bytes, 0, sizeof(bytes)); }

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
	// A capability at @p off with @p id whose next pointer is @p next.
	void cap(usize off, u8 id, u8 next)
	{
		put8(off, id);
		put8(off + 1, next);
	}
	// Status with the capability-list bit and the pointer at 0x34.
	void cap_list(u8 first)
	{
		put16(pci::status_offset, pci::status_cap_list);
		put8(pci::capabilities_pointer_offset, first);
	}
	usize accesses() const { return reads + writes; }
};

struct accessors {
	using device = function;

	template <typename W> static int check(function *f, unsigned off)
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
	template <typename W> static int load(function *f, unsigned off, W *v)
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
	template <typename W> static int store(function *f, unsigned off, W v)
	{
		f->writes++;
		int err = check<W>(f, off);
		if (err)
			return err;
		for (usize i = 0; i < sizeof(W); i++)
			f->bytes[off + i] = static_cast<u8>(v >> (8 * i));
		return 0;
	}

	static int read8(function *f, unsigned off, u8 *v) { return load(f, off, v); }
	static int read16(function *f, unsigned off, u16 *v) { return load(f, off, v); }
	static int read32(function *f, unsigned off, u32 *v) { return load(f, off, v); }
	static int write8(function *f, unsigned off, u8 v) { return store(f, off, v); }
	static int write16(function *f, unsigned off, u16 v) { return store(f, off, v); }
	static int write32(function *f, unsigned off, u32 v) { return store(f, off, v); }
};

using config = config_space<accessors>;

inline view<config, pci::normal_config> normal(function &f)
{
	return config::try_view<pci::normal_config>(&f, f.size).value();
}
inline view<config, pci::extended_config> extended(function &f)
{
	return config::try_view<pci::extended_config>(&f, f.size).value();
}

} // namespace fake_cfg

#endif
