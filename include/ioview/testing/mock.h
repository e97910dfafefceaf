/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file testing/mock.h
 * @brief A mock device that expects an exact sequence of accesses and fails on anything else.
 *
 * Script the accesses a driver routine must make (read of this width at this offset returning
 * this value, then that write...), run the routine on a view of the mock, then verify(). Any
 * access out of order, of another width, offset, value or flavour (relaxed or not) is recorded
 * as a failure with a description; unexpected reads return 0. No allocation: the script holds
 * up to mock::capacity steps.
 *
 * Example:
 * ```cpp
 * struct ctl_tag;
 * using ctl_regs = ioview::region<0x10, ctl_tag>;
 *
 * // Driver code under test: acknowledge the pending interrupt bits.
 * template <typename V> void ack_irqs(V regs)
 * {
 *         ioview::u32 pending = regs.template read32<0x4>();
 *         regs.template write32<0x8>(pending);
 * }
 *
 * bool mock_example()
 * {
 *         ioview::testing::mock dev;
 *         dev.expect_read32(0x4, 0x5).expect_write32(0x8, 0x5);
 *         ack_irqs(dev.region<ctl_regs>());
 *         return dev.verify();  // true; dev.failure() describes the first mismatch otherwise
 * }
 * ```
 */
#ifndef IOVIEW_TESTING_MOCK_H
#define IOVIEW_TESTING_MOCK_H

#include <ioview/view.h>

namespace ioview::testing {

template <byte_order Order> struct mock_backend;

/** @brief The scripted device. Not copyable: views point at it. */
class mock {
public:
	/** @brief The most accesses a script can hold. */
	static constexpr usize capacity = 128;

	/** @brief One scripted or observed access. */
	struct access {
		bool is_write;	///< a write, not a read
		bool relaxed;	///< through a `_relaxed` accessor
		u8 width;	///< bytes: 1, 2, 4 or 8
		usize offset;	///< from the start of the mock
		u64 value;	///< what a read returns or a write must store
	};

	/** @brief A mock whose offset 0 sits at @p base (for alignment checks); page-aligned by default. */
	explicit constexpr mock(uptr base = 0x10000) noexcept : base_(base) {}
	mock(const mock &) = delete;
	mock &operator=(const mock &) = delete;

	/** @name Script the next access. Each returns *this so steps chain. */
	///@{
	/** @brief Expect a read (answered with @p v) or a write (of @p v) of the width in the name at @p off. */
	mock &expect_read8(usize off, u8 v) noexcept { return expect({ false, false, 1, off, v }); }
	mock &expect_read16(usize off, u16 v) noexcept { return expect({ false, false, 2, off, v }); }
	mock &expect_read32(usize off, u32 v) noexcept { return expect({ false, false, 4, off, v }); }
	mock &expect_read64(usize off, u64 v) noexcept { return expect({ false, false, 8, off, v }); }
	mock &expect_write8(usize off, u8 v) noexcept { return expect({ true, false, 1, off, v }); }
	mock &expect_write16(usize off, u16 v) noexcept { return expect({ true, false, 2, off, v }); }
	mock &expect_write32(usize off, u32 v) noexcept { return expect({ true, false, 4, off, v }); }
	mock &expect_write64(usize off, u64 v) noexcept { return expect({ true, false, 8, off, v }); }
	mock &expect_read32_relaxed(usize off, u32 v) noexcept { return expect({ false, true, 4, off, v }); }
	mock &expect_write32_relaxed(usize off, u32 v) noexcept { return expect({ true, true, 4, off, v }); }
	/** @brief Any step, for widths and flavours without a shorthand. */
	mock &expect(access a) noexcept
	{
		if (count_ == capacity) {
			note_failure("script longer than mock::capacity", a, nullptr);
			return *this;
		}
		script_[count_++] = a;
		return *this;
	}
	///@}

	/**
	 * @brief A view of the mock as region R of @p size bytes (default R's minimum), with device
	 * byte order @p Order (the order the scripted values are in).
	 *
	 * A @p size below R's minimum, or not a multiple of 4, is a contract violation (support.h),
	 * as for every backend: a region view never claims bytes its backend does not have.
	 */
	template <typename R, byte_order Order = byte_order::little>
	view<mock_backend<Order>, R> region(usize size = R::min_size) noexcept;

	/** @brief True if every scripted access happened, in order, and nothing else did. */
	[[nodiscard]] bool verify() const noexcept { return !failed_ && next_ == count_; }
	/** @brief Scripted accesses not yet performed. */
	usize pending() const noexcept { return count_ - next_; }
	/** @brief Description of the first mismatch, or "" if none. */
	const char *failure() const noexcept { return message_; }
	/** @brief Number of accesses performed that did not match the script. */
	usize mismatches() const noexcept { return mismatches_; }

	/** @brief Called by mock_backend for every access; returns the scripted read value (0 on a mismatch). */
	u64 perform(access actual) noexcept
	{
		if (next_ == count_) {
			note_failure("unexpected access after the script ended", actual, nullptr);
			return 0;
		}
		const access &want = script_[next_];
		bool same = want.is_write == actual.is_write && want.relaxed == actual.relaxed &&
			    want.width == actual.width && want.offset == actual.offset &&
			    (!actual.is_write || want.value == actual.value);
		if (!same) {
			note_failure("access does not match the script", actual, &want);
			return 0;
		}
		next_++;
		return want.value;
	}

	/** @brief The address offset 0 stands for. */
	uptr base() const noexcept { return base_; }

private:
	struct text {
		char *buf;
		usize cap;
		usize len;
		void put(const char *s) noexcept
		{
			while (*s && len + 1 < cap)
				buf[len++] = *s++;
			buf[len] = 0;
		}
		void hex(u64 v) noexcept
		{
			char digits[19];
			int n = 0;
			do {
				digits[n++] = "0123456789abcdef"[v & 0xf];
				v >>= 4;
			} while (v);
			put("0x");
			while (n--) {
				char one[2] = { digits[n], 0 };
				put(one);
			}
		}
		void describe(const access &a) noexcept
		{
			put(a.is_write ? "write" : "read");
			put(a.width == 1 ? "8" : a.width == 2 ? "16" : a.width == 4 ? "32" : "64");
			if (a.relaxed)
				put("_relaxed");
			put(" at ");
			hex(a.offset);
			if (a.is_write) {
				put(" of ");
				hex(a.value);
			}
		}
	};

	void note_failure(const char *what, const access &actual, const access *want) noexcept
	{
		mismatches_++;
		if (failed_)
			return;
		failed_ = true;
		text t{ message_, sizeof(message_), 0 };
		t.put(what);
		t.put(": step ");
		t.hex(next_);
		t.put(" got ");
		t.describe(actual);
		if (want) {
			t.put(", expected ");
			t.describe(*want);
		}
	}

	uptr base_;
	access script_[capacity] = {};
	usize count_ = 0;
	usize next_ = 0;
	usize mismatches_ = 0;
	bool failed_ = false;
	char message_[160] = {};
};

/**
 * @brief Backend of mock views: every accessor reports to the mock. Has relaxed accessors and
 * every width, so it can stand in for an MMIO region.
 */
template <byte_order Order> struct mock_backend {
	/** @brief A location: the mock and an offset into it. */
	struct handle {
		/** @brief The mock every access reports to. */
		mock *device;
		/** @brief From the start of the mock. */
		usize offset;
	};
	/** @brief The byte order the scripted values are in. */
	static constexpr byte_order order = Order;

	/** @brief The mock's base plus the offset. */
	static uptr address(handle h) noexcept { return h.device->base() + h.offset; }
	/** @brief The handle @p n bytes further on. */
	static handle offset(handle h, usize n) noexcept { return handle{ h.device, h.offset + n }; }

	/** @brief Report a read of a W to the mock and return what it scripted. */
	template <typename W> static W read(handle h, bool relaxed) noexcept
	{
		return static_cast<W>(h.device->perform({ false, relaxed, sizeof(W), h.offset, 0 }));
	}
	/** @brief Report a write of @p v to the mock. */
	template <typename W> static void write(handle h, W v, bool relaxed) noexcept
	{
		(void)h.device->perform({ true, relaxed, sizeof(W), h.offset, v });
	}

	/** @name Scalar accessors */
	///@{
	/** @brief read() or write() of the width in the name; the `_relaxed` forms report themselves as relaxed. */
	static u8 read8(handle h) noexcept { return read<u8>(h, false); }
	static u16 read16(handle h) noexcept { return read<u16>(h, false); }
	static u32 read32(handle h) noexcept { return read<u32>(h, false); }
	static u64 read64(handle h) noexcept { return read<u64>(h, false); }
	static void write8(handle h, u8 v) noexcept { write(h, v, false); }
	static void write16(handle h, u16 v) noexcept { write(h, v, false); }
	static void write32(handle h, u32 v) noexcept { write(h, v, false); }
	static void write64(handle h, u64 v) noexcept { write(h, v, false); }
	static u8 read8_relaxed(handle h) noexcept { return read<u8>(h, true); }
	static u16 read16_relaxed(handle h) noexcept { return read<u16>(h, true); }
	static u32 read32_relaxed(handle h) noexcept { return read<u32>(h, true); }
	static u64 read64_relaxed(handle h) noexcept { return read<u64>(h, true); }
	static void write8_relaxed(handle h, u8 v) noexcept { write(h, v, true); }
	static void write16_relaxed(handle h, u16 v) noexcept { write(h, v, true); }
	static void write32_relaxed(handle h, u32 v) noexcept { write(h, v, true); }
	static void write64_relaxed(handle h, u64 v) noexcept { write(h, v, true); }
	///@}

private:
	/* mock::region() hands out the views; it lends this backend's key, nothing else does. */
	friend class mock;
	template <typename R> static view<mock_backend, R> adopt(handle h, usize size) noexcept
	{
		return view<mock_backend, R>::from_handle(backend_key<mock_backend>{}, h, size);
	}
};

template <typename R, byte_order Order>
view<mock_backend<Order>, R> mock::region(usize size) noexcept
{
	static_assert(detail::is_region<R>, "ioview: mock::region needs a region type");
	return mock_backend<Order>::template adopt<R>({ this, 0 }, size);
}

} // namespace ioview::testing

#endif /* IOVIEW_TESTING_MOCK_H */
