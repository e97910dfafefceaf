// SPDX-License-Identifier: GPL-2.0
//
// The C++ halves of the benchmark pairs declared in shim.h, and the timed
// in-kernel run.
//
// Every ioview_bench_cxx_*() does what its ioview_bench_c_*() twin in
// bench_c.c does, written as a driver using ioview would write it: a typed
// view of the register block, fields by projection, the try_ tier where
// the C code checks bounds.  tests/bench/module compares the instructions
// of each pair; the self-test suite ioview_bench_pairs runs both on memory
// and checks they agree; run() below times the two that touch real devices.
#include <ioview/ioview.h>

#include "driver/edu.h"
#include "driver/edu_logic.h"
#include "driver/mailbox_barriers.h"
#include "driver/mailbox_ring.h"
#include "kernel/bar_mapping.h"
#include "bench/bench.h"
#include "kernel/barrier.h"
#include "kernel/config.h"
#include "kernel/errno.h"
#include "selftest/device.h"
#include "shim/shim.h"

namespace ioview::kernel::bench {

/// The register block of the pairs (offsets as in bench_c.c); the first
/// two registers sit where edu's identification and liveness registers are.
struct bench_regs {
	u32 identification;	// 0x00
	u32 liveness;		// 0x04
	u32 doorbell;		// 0x08
	u32 reserved0[5];	// 0x0c
	u32 status;		// 0x20
	u32 reserved1[7];	// 0x24
	u32 slots[16];		// 0x40
	u64 wide;		// 0x80
	u8 bytes[8];		// 0x88
	u16 halves[4];		// 0x90
	u32 reserved2[26];	// 0x98
	u8 block[64];		// 0x100
};

/// A DMA descriptor in coherent memory (struct bench_desc in bench_c.c).
struct bench_desc {
	u64 addr;
	u32 len;
	u32 flags;
};
inline constexpr u32 desc_owned_by_device = 1;

/// A queue in coherent memory (struct bench_queue in bench_c.c).
inline constexpr usize queue_len = 8;
struct bench_queue {
	bench_desc desc[queue_len];
	u32 producer;
	u32 reserved;	// spelled out: views need plain data, and padding is not
};

/// A completion the device writes into coherent memory (struct bench_completion in bench_c.c).
struct bench_completion {
	u32 status;
	u32 len;
	u64 data;
};
inline constexpr u32 completion_done = 1;

struct bench_tag;
/// bench_regs as an untyped region, for the runtime-offset pattern.
using bench_region = region<sizeof(bench_regs), bench_tag, 8>;

} // namespace ioview::kernel::bench

template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::bench::bench_regs> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::bench::bench_desc> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::bench::bench_queue> = true;
template <> inline constexpr bool ioview::enable_plain_data<ioview::kernel::bench::bench_completion> = true;

namespace {

using ioview::kernel::kmmio;
using ioview::kernel::bench::bench_region;
using ioview::kernel::bench::bench_regs;

static_assert(__builtin_offsetof(bench_regs, liveness) == 0x04 && __builtin_offsetof(bench_regs, doorbell) == 0x08 &&
	      __builtin_offsetof(bench_regs, status) == 0x20 &&
	      __builtin_offsetof(bench_regs, slots) == 0x40 && __builtin_offsetof(bench_regs, wide) == 0x80 &&
	      __builtin_offsetof(bench_regs, bytes) == 0x88 && __builtin_offsetof(bench_regs, halves) == 0x90 &&
	      __builtin_offsetof(bench_regs, block) == 0x100 && sizeof(bench_regs) == 0x140,
	      "bench_regs must match the offsets in bench_c.c");
static_assert(__builtin_offsetof(ioview::kernel::bench::bench_queue, producer) == 0x80 &&
	      sizeof(ioview::kernel::bench::bench_queue) == 0x88 &&
	      __builtin_offsetof(ioview::kernel::bench::bench_completion, data) == 0x08 &&
	      sizeof(ioview::kernel::bench::bench_completion) == 0x10,
	      "the queue and the completion must be laid out as in bench_c.c");

/*
 * The C halves trust their pointers as a C driver trusts a mapping: non-NULL, aligned for the
 * block, as long as the block. The C++ halves state the same assumption to the compiler and
 * then go through the backends' checked constructors, whose checks it lets the compiler drop;
 * what is measured is the access pattern, not a check the C half does not make.
 */
template <ioview::usize Align> [[gnu::always_inline]] inline void assume_mapping(const volatile void *p, ioview::usize len, ioview::usize min_len)
{
	if (p == nullptr || (reinterpret_cast<ioview::uptr>(p) & (Align - 1)) != 0 || len < min_len || len % 4 != 0)
		__builtin_unreachable();
}

template <typename T> [[gnu::always_inline]] inline ioview::view<kmmio, T> assumed_view(const volatile void *regs, ioview::usize len)
{
	assume_mapping<ioview::known_size<T>::min_align>(regs, len, ioview::known_size<T>::min_size);
	return kmmio::try_view<T>(const_cast<volatile void *>(regs), len).value();
}

// The shim passes const-qualified __iomem addresses; views of MMIO hold
// plain volatile handles and express read-only-ness in their type instead.
[[gnu::always_inline]] inline ioview::view<kmmio, const bench_regs> regs_view(const volatile void *regs)
{
	return assumed_view<const bench_regs>(regs, sizeof(bench_regs));
}

[[gnu::always_inline]] inline ioview::view<kmmio, bench_regs> regs_view(volatile void *regs)
{
	return assumed_view<bench_regs>(regs, sizeof(bench_regs));
}

} // namespace

unsigned int ioview_bench_cxx_read32(const volatile void *regs)
{
	return IOVIEW_PROJECT(regs_view(regs), liveness).read_val();
}

void ioview_bench_cxx_write32(volatile void *regs, unsigned int value)
{
	IOVIEW_PROJECT(regs_view(regs), liveness).write_val(value);
}

unsigned int ioview_bench_cxx_read32_relaxed(const volatile void *regs)
{
	return IOVIEW_PROJECT(regs_view(regs), liveness).read_val_relaxed();
}

void ioview_bench_cxx_write32_relaxed(volatile void *regs, unsigned int value)
{
	IOVIEW_PROJECT(regs_view(regs), liveness).write_val_relaxed(value);
}

unsigned char ioview_bench_cxx_read8(const volatile void *regs)
{
	return IOVIEW_PROJECT(regs_view(regs), bytes[1]).read_val();
}

void ioview_bench_cxx_write16(volatile void *regs, unsigned short value)
{
	IOVIEW_PROJECT(regs_view(regs), halves[1]).write_val(value);
}

#if __SIZEOF_POINTER__ == 8
unsigned long long ioview_bench_cxx_read64(const volatile void *regs)
{
	return IOVIEW_PROJECT(regs_view(regs), wide).read_val();
}

void ioview_bench_cxx_write64(volatile void *regs, unsigned long long value)
{
	IOVIEW_PROJECT(regs_view(regs), wide).write_val(value);
}
#endif

void ioview_bench_cxx_set_bits32(volatile void *regs, unsigned int bits)
{
	IOVIEW_PROJECT(regs_view(regs), status).update([bits](ioview::u32 v) { return v | bits; });
}

int ioview_bench_cxx_read_slot(const volatile void *regs, ioview_size_t index, unsigned int *value)
{
	auto slot = IOVIEW_PROJECT(regs_view(regs), slots).try_at(index);
	if (!slot)
		return slot.error();
	*value = slot.value().read_val();
	return 0;
}

int ioview_bench_cxx_read_at(const volatile void *regs, ioview_size_t len, ioview_size_t offset, unsigned int *value)
{
	auto bar = assumed_view<const bench_region>(regs, len);
	auto word = bar.try_read32(offset);
	if (!word)
		return word.error();
	*value = word.value();
	return 0;
}

void ioview_bench_cxx_copy_block_to_io(volatile void *regs, const void *src)
{
	using block_type = ioview::u8[64];
	ioview::copy_write(IOVIEW_PROJECT(regs_view(regs), block), *static_cast<const block_type *>(src));
}

unsigned int ioview_bench_cxx_read32_loop(const volatile void *regs, unsigned int count)
{
	auto live = IOVIEW_PROJECT(regs_view(regs), liveness);
	unsigned int sum = 0;

	while (count--)
		sum ^= live.read_val();
	return sum;
}

int ioview_bench_cxx_copy_to_io(volatile void *dst, ioview_size_t len, const void *src)
{
	if (dst == nullptr)
		__builtin_unreachable();	// as trusted as in the C half
	auto bytes = kmmio::try_view<ioview::slice<ioview::u8>>(dst, len).value();
	return ioview::copy_from_slice(bytes, static_cast<const ioview::u8 *>(src), len).error();
}

int ioview_bench_cxx_post_desc(void *ring, unsigned long long ring_dma, ioview_size_t count, ioview_size_t index,
			       unsigned long long buf, unsigned int len, unsigned long long *desc_dma)
{
	using ioview::kernel::bench::bench_desc;
	assume_mapping<alignof(bench_desc)>(ring, count * sizeof(bench_desc), 0);
	if ((ring_dma & (alignof(bench_desc) - 1)) != 0 || count > static_cast<ioview::usize>(-1) / sizeof(bench_desc))
		__builtin_unreachable();	// the C half trusts the ring's size to be representable too
	auto descs = ioview::coherent::try_slice<bench_desc>(ring, ring_dma, count).value();
	auto d = descs.try_at(index);
	if (!d)
		return d.error();
	IOVIEW_PROJECT(d.value(), addr).write_val(buf);
	IOVIEW_PROJECT(d.value(), len).write_val(len);
	IOVIEW_PROJECT(d.value(), flags).write_val(ioview::kernel::bench::desc_owned_by_device);
	*desc_dma = ioview::dma_address(d.value());
	return 0;
}

int ioview_bench_cxx_publish_desc(void *queue, volatile void *regs, ioview_size_t index, unsigned long long buf,
				  unsigned int len)
{
	using ioview::kernel::bench::bench_queue;
	// The DMA address plays no part: the device was told where the queue is when it was set up.
	assume_mapping<alignof(bench_queue)>(queue, sizeof(bench_queue), sizeof(bench_queue));
	auto q = ioview::coherent::try_view<bench_queue>(queue, 0, sizeof(bench_queue)).value();
	auto d = IOVIEW_PROJECT(q, desc).try_at(index);
	if (!d)
		return d.error();
	IOVIEW_PROJECT(d.value(), addr).write_val(buf);
	IOVIEW_PROJECT(d.value(), len).write_val(len);
	IOVIEW_PROJECT(d.value(), flags).write_val(ioview::kernel::bench::desc_owned_by_device);
	// The device may read the index at any time: the descriptor must be complete by then.
	ioview::kernel::dma_wmb();
	auto producer = static_cast<ioview::u32>(index + 1);
	IOVIEW_PROJECT(q, producer).write_val(producer);
	IOVIEW_PROJECT(regs_view(regs), doorbell).write_val(producer);
	return 0;
}

int ioview_bench_cxx_read_completion(const void *completion, unsigned int *len, unsigned long long *data)
{
	using ioview::kernel::bench::bench_completion;
	assume_mapping<alignof(bench_completion)>(completion, sizeof(bench_completion), sizeof(bench_completion));
	auto c = ioview::coherent::try_view<const bench_completion>(const_cast<void *>(completion), 0,
								   sizeof(bench_completion)).value();
	if (!(IOVIEW_PROJECT(c, status).read_val() & ioview::kernel::bench::completion_done))
		return -ioview::kernel::eagain;
	// What the status vouches for must not be read before the status.
	ioview::kernel::dma_rmb();
	*len = IOVIEW_PROJECT(c, len).read_val();
	*data = IOVIEW_PROJECT(c, data).read_val();
	return 0;
}

int ioview_bench_cxx_config_command(pci_dev *pdev, unsigned short *value)
{
	auto cfg = ioview::kernel::config_view(pdev);
	if (!cfg)
		return cfg.error();
	auto command = IOVIEW_PROJECT(ioview::pci::header(cfg.value()), command).read_val();
	if (!command)
		return command.error();
	*value = command.value().get();
	return 0;
}

// The driver's own sequences, over views of the same memory the C halves
// are given: edu's BAR0 and a ring of the mailbox, each assumed as long as
// its type says, as the C half trusts it to be.
namespace {

[[gnu::always_inline]] inline ioview::drivers::edu::bar_view<kmmio> edu_bar(volatile void *regs)
{
	return assumed_view<ioview::devices::edu::bar0>(regs, ioview::devices::edu::bar_bytes);
}

using mailbox_ring = ioview::devices::mailbox::ring;
using guest_producer = ioview::driver::mailbox::producer<kmmio, ioview::driver::mailbox::ivshmem_barriers>;

} // namespace

int ioview_bench_cxx_factorial_start(volatile void *regs, unsigned int n)
{
	namespace edu = ioview::drivers::edu;
	return edu::factorial_start(edu_bar(regs), n, edu::notify::interrupt).error();
}

int ioview_bench_cxx_dma_start(volatile void *regs, int from_device, unsigned long long bus_addr,
			       unsigned long long offset, unsigned long long len)
{
	namespace edu = ioview::drivers::edu;
	const edu::dma_transfer t = {
		from_device ? edu::dma_direction::from_device : edu::dma_direction::to_device,
		bus_addr, offset, len, edu::notify::interrupt,
	};
	return edu::dma_start(edu_bar(regs), t).error();
}

int ioview_bench_cxx_mailbox_send(volatile void *ring, unsigned int *head, const void *msg, ioview_size_t len)
{
	// The producer is a temporary, as it is a member of the driver's state (mailbox.cpp), not a
	// named local: under the kernel's -ftrivial-auto-var-init=zero GCC 12 keeps a stack slot,
	// and so a frame, for a named class-type local that a call not inlined early (send()) takes
	// the address of.  A successful send() published at *head and moved its count on by one.
	ioview::status sent = guest_producer::resume(assumed_view<mailbox_ring>(ring, sizeof(mailbox_ring)), {}, *head)
				      .send(static_cast<const ioview::u8 *>(msg), len);
	if (sent)
		*head += 1;
	return sent.error();
}

// Barrier probes: the ioview::kernel:: barrier between the plain accesses
// of its twin in bench_c.c (plain so that a lost "memory" clobber shows, as
// explained there); tests/modcheck/run.sh requires the same instructions.
#define IOVIEW_BENCH_BARRIER_PROBE(name)					\
	unsigned int ioview_bench_cxx_barrier_##name(unsigned int *p)		\
	{									\
		p[0] = 1;							\
		unsigned int before = p[1];					\
		ioview::kernel::name();						\
		p[0] = 2;							\
		return before + p[1];						\
	}
IOVIEW_BENCH_BARRIER_PROBE(mb)
IOVIEW_BENCH_BARRIER_PROBE(rmb)
IOVIEW_BENCH_BARRIER_PROBE(wmb)
IOVIEW_BENCH_BARRIER_PROBE(dma_mb)
IOVIEW_BENCH_BARRIER_PROBE(dma_rmb)
IOVIEW_BENCH_BARRIER_PROBE(dma_wmb)
IOVIEW_BENCH_BARRIER_PROBE(smp_mb)
IOVIEW_BENCH_BARRIER_PROBE(smp_rmb)
IOVIEW_BENCH_BARRIER_PROBE(smp_wmb)
IOVIEW_BENCH_BARRIER_PROBE(barrier)
#undef IOVIEW_BENCH_BARRIER_PROBE

namespace ioview::kernel::bench {

namespace {

struct ivshmem_tag;
using ivshmem_bar2 = region<0x100000, ivshmem_tag, 8>;

constexpr unsigned int rounds = 51;
constexpr unsigned int reads_per_round = 20000;
constexpr usize copy_len = 64 * 1024;
constexpr unsigned int copies_per_round = 32;
// Where in BAR2 the copies go: 64 KiB that no self-test uses.  They are
// left holding the source pattern, byte i = i * 7 + 1 (mod 256), which the
// host checks in the ivshmem backing file after the VM run.
constexpr usize copy_offset = 0x40000;

// Each round times both sides back to back, alternating which goes first
// so that drift in the emulator favours neither.  The figures are the best
// (smallest) time of each side, and the median over the rounds of the
// ratio view/C within a round: pairing cancels what a whole round shares
// (a busy host, a slow emulator phase), the median drops the odd outlier.
struct best_of {
	u64 view = ~0ull;
	u64 c = ~0ull;
	u32 ratios[rounds] = {};	// view/C of each round, in thousandths

	template <typename ViewRun, typename CRun> void measure(ViewRun view_run, CRun c_run)
	{
		for (unsigned int r = 0; r < rounds; ++r) {
			u64 t0 = ioview_shim_ktime_ns();
			if (r % 2)
				c_run();
			else
				view_run();
			u64 t1 = ioview_shim_ktime_ns();
			if (r % 2)
				view_run();
			else
				c_run();
			u64 t2 = ioview_shim_ktime_ns();
			u64 first = t1 - t0, second = t2 - t1;
			u64 v = r % 2 ? second : first, c_time = r % 2 ? first : second;
			view = v < view ? v : view;
			c = c_time < c ? c_time : c;
			ratios[r] = c_time ? static_cast<u32>((v * 1000 + c_time / 2) / c_time) : 0;
		}
	}

	// The median of the per-round ratios, in hundredths, rounded.
	unsigned int ratio_x100()
	{
		for (unsigned int i = 1; i < rounds; ++i)
			for (unsigned int j = i; j > 0 && ratios[j - 1] > ratios[j]; --j) {
				u32 tmp = ratios[j];
				ratios[j] = ratios[j - 1];
				ratios[j - 1] = tmp;
			}
		return (ratios[rounds / 2] + 5) / 10;
	}
};

#define bench_line(fmt, ...) ioview_shim_log(IOVIEW_LOG_INFO, "ioview bench: " fmt "\n" __VA_OPT__(, ) __VA_ARGS__)

// Runs body(base) with BAR @p bar of the bound function of @p kind mapped
// as T, for the length of the call; logs why @p what is skipped and
// returns false when there is no such function or mapping.
template <typename T, typename Body> bool on_mapped_bar(const char *what, ioview_device_kind kind, int bar, Body body)
{
	selftest::selftest_device dev(kind);
	if (!dev) {
		bench_line("%s skipped: no %s function bound", what, kind == IOVIEW_DEVICE_EDU ? "edu" : "ivshmem");
		return false;
	}
	auto m = bar_mapping<T>::map(dev.get(), bar);
	if (!m) {
		bench_line("%s skipped: mapping BAR%d failed with %d", what, bar, m.error());
		return false;
	}
	return body(m.value().view().handle());
}

// Runs body(base) with the edu driver's mapping of BAR0 (the driver holds it, so it cannot be
// mapped again), the function held for the length of the call.
template <typename Body> bool on_edu_driver_bar(const char *what, Body body)
{
	selftest::selftest_device dev(IOVIEW_DEVICE_EDU);
	if (!dev) {
		bench_line("%s skipped: no edu function bound", what);
		return false;
	}
	edu::device *driver = edu::of(dev.get());
	if (!driver) {
		bench_line("%s skipped: edu is bound but has no driver state", what);
		return false;
	}
	return body(edu::bar(driver).handle());
}

bool bench_edu_read()
{
	return on_edu_driver_bar("mmio_read32", [](volatile void *regs) {
		unsigned int sink_view = 0, sink_c = 0;
		best_of b;
		b.measure([&] { sink_view ^= ioview_bench_cxx_read32_loop(regs, reads_per_round); },
			  [&] { sink_c ^= ioview_bench_c_read32_loop(regs, reads_per_round); });
		// Both loops read the same register the same number of times.
		if (sink_view != sink_c)
			bench_line("mmio_read32 disagreement: view %#x, C %#x", sink_view, sink_c);
		unsigned int r = b.ratio_x100();
		bench_line("mmio_read32 edu BAR0+0x04: view %llu ns/op, C readl %llu ns/op, ratio %u.%02u (best times; median ratio of %u rounds of %u reads)",
			   static_cast<unsigned long long>(b.view / reads_per_round),
			   static_cast<unsigned long long>(b.c / reads_per_round), r / 100, r % 100, rounds, reads_per_round);
		return true;
	});
}

bool bench_ivshmem_copy()
{
	return on_mapped_bar<ivshmem_bar2>("memcpy_toio_64k", IOVIEW_DEVICE_IVSHMEM, 2, [](volatile void *bar2) {
		auto *src = static_cast<u8 *>(ioview_shim_kmalloc(copy_len, IOVIEW_GFP_KERNEL));
		if (!src) {
			bench_line("memcpy_toio_64k skipped: no memory for the source buffer");
			return false;
		}
		for (usize i = 0; i < copy_len; ++i)
			src[i] = static_cast<u8>(i * 7 + 1);
		volatile void *dst = kmmio::offset(bar2, copy_offset);
		int err = 0;
		best_of b;
		b.measure(
			[&] {
				for (unsigned int i = 0; i < copies_per_round; ++i)
					err |= ioview_bench_cxx_copy_to_io(dst, copy_len, src);
			},
			[&] {
				for (unsigned int i = 0; i < copies_per_round; ++i)
					err |= ioview_bench_c_copy_to_io(dst, copy_len, src);
			});
		ioview_shim_kfree(src);
		if (err)
			bench_line("memcpy_toio_64k error %d", err);
		unsigned int r = b.ratio_x100();
		u64 bytes = static_cast<u64>(copy_len) * copies_per_round;
		// MiB/s = bytes / ns * 1e9 / 2^20.
		auto mib_s = [bytes](u64 ns) { return static_cast<unsigned long long>(ns ? bytes * 1000000000ull / ns >> 20 : 0); };
		bench_line("memcpy_toio_64k ivshmem BAR2: view %llu ns/copy (%llu MiB/s), C %llu ns/copy (%llu MiB/s), ratio %u.%02u (best times; median ratio of %u rounds of %u copies)",
			   static_cast<unsigned long long>(b.view / copies_per_round), mib_s(b.view),
			   static_cast<unsigned long long>(b.c / copies_per_round), mib_s(b.c), r / 100, r % 100, rounds,
			   copies_per_round);
		return err == 0;
	});
}

} // namespace

usize run() noexcept
{
	usize ran = 0;

	ran += bench_edu_read();
	ran += bench_ivshmem_copy();
	bench_line("done: %zu of 2 ran", ran);
	return ran;
}

} // namespace ioview::kernel::bench
