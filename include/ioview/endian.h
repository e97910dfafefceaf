/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file endian.h
 * @brief Integers stored in a stated byte order: le16/le32/le64 and be16/be32/be64.
 *
 * Declare device-defined fields with these types. A struct copied out of a view (copy_read,
 * no swapping) and the same field read with read_val then give the same number after get(),
 * whatever the CPU and whatever byte order the backend's accessors use: read_val returns the
 * field's memory representation, and get() is the one place that converts.
 *
 * Example:
 * ```cpp
 * struct wire_hdr {
 *         ioview::be16 type;
 *         ioview::le16 length;
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<wire_hdr> = true;
 *
 * ioview::u16 endian_example()
 * {
 *         wire_hdr h{};
 *         auto v = ioview::sysmem::view_of(h);
 *         IOVIEW_PROJECT(v, type).write_val(ioview::be16::from_cpu(0x0800));
 *         wire_hdr copy = ioview::copy_read(v);
 *         return copy.type.get();  // 0x0800, same as IOVIEW_PROJECT(v, type).read_val().get()
 * }
 * ```
 */
#ifndef IOVIEW_ENDIAN_H
#define IOVIEW_ENDIAN_H

#include <ioview/support.h>

namespace ioview {

/**
 * @brief An unsigned integer U kept in memory in byte order @p Order.
 *
 * Invariant: `raw` is exactly the bytes in memory; it is never a CPU value (unless the orders
 * coincide). Same size and alignment as U, no padding, every bit pattern valid.
 */
template <typename U, byte_order Order> struct endian_value {
	static_assert(detail::is_unsigned_int<U>, "ioview: endian_value wraps u16, u32 or u64");
	static_assert(Order != byte_order::native, "ioview: use the plain integer for native order");

	/** @brief The bytes as the device stores them (not a CPU value: use get()). */
	U raw;

	/** @brief The stored representation of the CPU value @p v. */
	static constexpr endian_value from_cpu(U v) noexcept { return endian_value{ convert_order<Order>(v) }; }
	/** @brief The CPU value. */
	constexpr U get() const noexcept { return convert_order<Order>(raw); }
	/** @brief Store the CPU value @p v. */
	constexpr void set(U v) noexcept { raw = convert_order<Order>(v); }

	/** @brief Equal when the stored bytes are equal. */
	friend constexpr bool operator==(endian_value a, endian_value b) noexcept { return a.raw == b.raw; }
};

/** @name Little- and big-endian device fields of 16, 32 and 64 bits */
///@{
/** @brief A device field of the order and width in the name. */
using le16 = endian_value<u16, byte_order::little>;
using le32 = endian_value<u32, byte_order::little>;
using le64 = endian_value<u64, byte_order::little>;
using be16 = endian_value<u16, byte_order::big>;
using be32 = endian_value<u32, byte_order::big>;
using be64 = endian_value<u64, byte_order::big>;
///@}

/** @brief Endian values are plain data: every bit pattern is a valid value. */
template <typename U, byte_order Order> inline constexpr bool enable_plain_data<endian_value<U, Order>> = true;

} // namespace ioview

#endif /* IOVIEW_ENDIAN_H */
