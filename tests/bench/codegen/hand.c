/* The same patterns written by hand in C, as a kernel driver would with volatile pointers. */
#include <stddef.h>
#include <stdint.h>

#define EINVAL 22
#define ERANGE 34

struct queue {
	uint32_t head;
	uint32_t tail;
	uint32_t slots[16];
};
struct desc {
	uint64_t addr;
	uint32_t len;
	uint32_t flags;
};
/* A region view is (pointer, size); passed the same way. */
struct bar_view {
	void *base;
	size_t size;
};

#define BENCH __attribute__((noinline))
#define REG(type, b, off) (*(volatile type *)((char *)(b).base + (off)))

BENCH uint8_t bench_read8(struct bar_view r) { return REG(uint8_t, r, 0x3); }
BENCH uint16_t bench_read16(struct bar_view r) { return REG(uint16_t, r, 0x6); }
BENCH uint32_t bench_read32(struct bar_view r) { return REG(uint32_t, r, 0x8); }
BENCH uint64_t bench_read64(struct bar_view r) { return REG(uint64_t, r, 0x18); }
BENCH void bench_write8(struct bar_view r, uint8_t v) { REG(uint8_t, r, 0x3) = v; }
BENCH void bench_write16(struct bar_view r, uint16_t v) { REG(uint16_t, r, 0x6) = v; }
BENCH void bench_write32(struct bar_view r, uint32_t v) { REG(uint32_t, r, 0x8) = v; }
BENCH void bench_write64(struct bar_view r, uint64_t v) { REG(uint64_t, r, 0x18) = v; }
BENCH uint32_t bench_field(struct queue *q) { return *(volatile uint32_t *)&q->tail; }
BENCH void bench_const_index(struct queue *q, uint32_t v) { *(volatile uint32_t *)&q->slots[5] = v; }
BENCH int bench_checked_index(struct queue *q, size_t i, uint32_t v)
{
	if (i >= 16)
		return -ERANGE;
	*(volatile uint32_t *)&q->slots[i] = v;
	return 0;
}
BENCH int bench_checked_offset(struct bar_view r, size_t off)
{
	if (off > r.size || 4 > r.size - off)
		return -ERANGE;
	if (((uintptr_t)r.base + off) & 3)
		return -EINVAL;
	return (int)REG(uint32_t, r, off);
}
BENCH void bench_reg_update(struct bar_view r)
{
	uint32_t v = REG(uint32_t, r, 0x10);
	v &= ~0xf0u; /* do not write back write-1-to-clear bits */
	v &= ~0xffffff00u; /* reserved bits are written as 0 */
	v = (v & ~0xeu) | (5u << 1);
	REG(uint32_t, r, 0x10) = v;
}
BENCH void bench_copy_read(struct desc *d, struct desc *out)
{
	/* memcpy_fromio-like: two volatile 8-byte loads. */
	uint64_t a = ((volatile uint64_t *)d)[0];
	uint64_t b = ((volatile uint64_t *)d)[1];
	__builtin_memcpy((char *)out, &a, 8);
	__builtin_memcpy((char *)out + 8, &b, 8);
}
