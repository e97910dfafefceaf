// Access patterns on memory another agent writes (a device, through DMA): every access the
// program asks for must be emitted, once, in order. check.sh disassembles these functions and
// counts their loads and stores; a backend whose copies are plain memcpy fails it (the compiler
// merges the two reads of read_twice into none, turns poll into one load, drops a store).
#include <ioview/ioview.h>

using namespace ioview;

struct desc {
	u64 buf;
	u32 len;
	u32 status;
};
template <> inline constexpr bool ioview::enable_plain_data<desc> = true;

// MMIO accessors over ordinary memory, as a test policy writes them (volatile accesses).
struct volatile_accessors {
	template <typename W> static W load(const volatile void *a) { return *static_cast<const volatile W *>(a); }
	template <typename W> static void store(W v, volatile void *a) { *static_cast<volatile W *>(a) = v; }
	static u8 read8(const volatile void *a) { return load<u8>(a); }
	static u16 read16(const volatile void *a) { return load<u16>(a); }
	static u32 read32(const volatile void *a) { return load<u32>(a); }
	static u64 read64(const volatile void *a) { return load<u64>(a); }
	static void write8(u8 v, volatile void *a) { store(v, a); }
	static void write16(u16 v, volatile void *a) { store(v, a); }
	static void write32(u32 v, volatile void *a) { store(v, a); }
	static void write64(u64 v, volatile void *a) { store(v, a); }
};
using map = iosys_map_backend<mmio<volatile_accessors>>;

#define PATTERN extern "C" __attribute__((noinline))

// The checker's expectations follow each pattern's name: loads>=N, stores>=N, loop-load.
#define PATTERNS(name, B)                                                                         \
	PATTERN u32 name##_read_twice(view<B, desc> d) { return copy_read(d).len - copy_read(d).len; } \
	PATTERN void name##_poll(view<B, desc> d)                                                  \
	{                                                                                          \
		while (copy_read(d).status == 0) {                                                 \
		}                                                                                  \
	}                                                                                          \
	PATTERN void name##_write_twice(view<B, desc> d, desc a, desc b)                           \
	{                                                                                          \
		copy_write(d, a);                                                                  \
		copy_write(d, b);                                                                  \
	}                                                                                          \
	PATTERN void name##_slice_poll(view<B, u32[4]> w)                                          \
	{                                                                                          \
		u32 out[4];                                                                        \
		do {                                                                               \
			(void)copy_to_slice(w, out, 4);                                            \
		} while (out[3] == 0);                                                             \
	}

PATTERNS(coherent, coherent)
PATTERNS(iosys, map)
PATTERNS(sysmem, sysmem)
