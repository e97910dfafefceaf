// Backends that stand in for the kernel ones, to show they fit the backend concept unchanged:
// a PCI config space (not memory at all: device + offset, fallible, no 64-bit access) and
// an MMIO region whose accessors are readl/writel-like function calls with barriers.
// DMA-coherent memory needs no stand-in: <ioview/coherent.h> is freestanding and is tested
// directly (test_coherent.cpp).
#ifndef IOVIEW_TESTS_FAKE_BACKENDS_H
#define IOVIEW_TESTS_FAKE_BACKENDS_H

#include <ioview/ioview.h>

namespace fake {

using namespace ioview;

/* ---- PCI config space ---------------------------------------------------------------------- */

struct pci_dev {
	u8 cfg[256];
	bool unplugged; // every access then fails, as pci_read_config_* does on a removed device
	usize accesses;
};

// Little-endian register file reached only through function calls; like pci_{read,write}_config_*.
struct config_space {
	struct handle {
		pci_dev *dev;
		usize offset;
	};
	static constexpr bool fallible = true;
	static constexpr byte_order order = byte_order::little;

	static uptr address(handle h) { return h.offset; }
	static handle offset(handle h, usize n) { return { h.dev, h.offset + n }; }

	template <typename W> static result<W> load(handle h)
	{
		h.dev->accesses++;
		if (h.dev->unplugged)
			return fail(eio);
		W v = 0;
		for (usize i = 0; i < sizeof(W); i++)
			v = static_cast<W>(v | static_cast<W>(static_cast<W>(h.dev->cfg[h.offset + i]) << (8 * i)));
		return v;
	}
	template <typename W> static status store(handle h, W v)
	{
		h.dev->accesses++;
		if (h.dev->unplugged)
			return fail(eio);
		for (usize i = 0; i < sizeof(W); i++)
			h.dev->cfg[h.offset + i] = static_cast<u8>(v >> (8 * i));
		return status::success();
	}
	static result<u8> read8(handle h) { return load<u8>(h); }
	static result<u16> read16(handle h) { return load<u16>(h); }
	static result<u32> read32(handle h) { return load<u32>(h); }
	static status write8(handle h, u8 v) { return store(h, v); }
	static status write16(handle h, u16 v) { return store(h, v); }
	static status write32(handle h, u32 v) { return store(h, v); }

	using standard = region<64>;
	using extended = region<256>;
	template <typename R = standard> static view<config_space, R> open(pci_dev &dev)
	{
		return view<config_space, R>::from_handle(backend_key<config_space>{}, { &dev, 0 }, sizeof(dev.cfg));
	}
};

/* ---- MMIO ---------------------------------------------------------------------------------- */

// Counters of the fake readl/writel: barriers stand for the rmb()/wmb() a non-relaxed accessor has.
struct mmio_stats {
	usize accesses;
	usize barriers;
};
inline mmio_stats mmio_counters = {};

template <typename W> inline W fake_read(const volatile void *addr, bool barrier)
{
	W raw;
	__builtin_memcpy(&raw, const_cast<const void *>(addr), sizeof(W));
	mmio_counters.accesses++;
	if (barrier)
		mmio_counters.barriers++;
	return convert_order<byte_order::little>(raw);
}
template <typename W> inline void fake_write(volatile void *addr, W v, bool barrier)
{
	W raw = convert_order<byte_order::little>(v);
	if (barrier)
		mmio_counters.barriers++;
	__builtin_memcpy(const_cast<void *>(addr), &raw, sizeof(W));
	mmio_counters.accesses++;
}

// An "__iomem" address with readl/writel-like accessors supplied from outside the library.
struct mmio {
	using handle = volatile void *;
	static constexpr byte_order order = byte_order::little;
	static uptr address(handle h) { return reinterpret_cast<uptr>(h); }
	static handle offset(handle h, usize n) { return static_cast<volatile u8 *>(h) + n; }
	static u8 read8(handle h) { return fake_read<u8>(h, true); }
	static u16 read16(handle h) { return fake_read<u16>(h, true); }
	static u32 read32(handle h) { return fake_read<u32>(h, true); }
	static u64 read64(handle h) { return fake_read<u64>(h, true); }
	static void write8(handle h, u8 v) { fake_write(h, v, true); }
	static void write16(handle h, u16 v) { fake_write(h, v, true); }
	static void write32(handle h, u32 v) { fake_write(h, v, true); }
	static void write64(handle h, u64 v) { fake_write(h, v, true); }
	static u32 read32_relaxed(handle h) { return fake_read<u32>(h, false); }
	static void write32_relaxed(handle h, u32 v) { fake_write(h, v, false); }

	/* A view of T at @p base: for a region or slice @p extent is its size, for a fixed T nothing. */
	template <typename T, typename... Extent> static view<mmio, T> map(void *base, Extent... extent)
	{
		return view<mmio, T>::from_handle(backend_key<mmio>{}, base, extent...);
	}
};

/* ---- MMIO with a block copy (memcpy_fromio/memcpy_toio) ----------------------------------- */

// The fake mmio backend plus copy_from/copy_to hooks that record each call, standing for the
// kernel's memcpy_fromio()/memcpy_toio().
struct block_copy_calls {
	usize from_calls, from_bytes, to_calls, to_bytes;
};
inline block_copy_calls block_copies = {};

struct mmio_block : mmio {
	static handle offset(handle h, usize n) { return mmio::offset(h, n); }
	static void copy_from(handle h, void *dst, usize n)
	{
		__builtin_memcpy(dst, const_cast<const void *>(h), n);
		block_copies.from_calls++;
		block_copies.from_bytes += n;
	}
	static void copy_to(handle h, const void *src, usize n)
	{
		__builtin_memcpy(const_cast<void *>(h), src, n);
		block_copies.to_calls++;
		block_copies.to_bytes += n;
	}
	template <typename R> static view<mmio_block, R> map(void *base, usize size)
	{
		return view<mmio_block, R>::from_handle(backend_key<mmio_block>{}, base, size);
	}
};

} // namespace fake

#endif
