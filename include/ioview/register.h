/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file register.h
 * @brief Typed registers with datasheet `hi:lo` bitfields, bound to their device's region.
 *
 * A register is a struct deriving from ioview::reg (or reg_array) that names its fields as
 * constants and lists every one of them once, in `fields`. The list must cover every bit of the
 * register (unused bits are declared as reserved fields), fields must not overlap, and a field
 * can be used only if it is in the list: so how a field is written back never depends on having
 * remembered to list it. All of this is checked at compile time.
 *
 * Reads return a value snapshot; fields are read and set on the snapshot; writing it back is one
 * full-width access that never reads first. update() is the read-modify-write: one read, the
 * snapshot modified by the caller, one write.
 *
 * What each access kind means for the operations (`-`: does not compile):
 *
 * | kind        | get() | set(), try_set() | write(v) puts in the field        | update(f) writes back, unless f sets the field |
 * | ----------- | ----- | ---------------- | --------------------------------- | ---------------------------------------------- |
 * | `rw`        | yes   | yes              | the snapshot's bits               | the bits read                                  |
 * | `ro`        | yes   | -                | the snapshot's bits (no effect)   | the bits read (no effect)                      |
 * | `w1c`       | yes   | yes              | the snapshot's bits: a 1 clears   | 0: a 1 read back would clear it                |
 * | `w1s`       | yes   | yes              | the snapshot's bits: a 1 sets     | 0: a 1 read back would set it again            |
 * | `wo`        | -     | yes              | the snapshot's bits               | 0: what a read returns there means nothing     |
 * | `rc`        | yes   | -                | the snapshot's bits (no effect)   | - (see below)                                  |
 * | `rsvd_zero` | yes   | -                | 0, whatever the snapshot holds    | 0                                              |
 * | `rsvd_keep` | yes   | -                | the snapshot's bits: 0 from zero(), as read from read() | the bits read            |
 *
 * A register with an `rc` (read-to-clear, or any read with a side effect) field has read side
 * effects: reading it changes the device. Its read() and update() do not compile; it is read
 * with read_with_side_effects(), a different name, so that code reading registers generically
 * (a "dump all registers" tool) cannot change the device by accident. `has_read_side_effects`
 * says which kind a register is. Every read and write also has a `_relaxed` form that uses the
 * backend's relaxed accessors (readl_relaxed() and friends) where the backend has them.
 *
 * For a generic tool, each field type has `hi`, `lo`, `width`, `mask` and `access`; each
 * register has `offset`, `width` (bits), `has_read_side_effects`, and `fields`, whose type lists
 * the fields: `size`, `infos` (an array of field_info) and `for_each(f)`.
 *
 * Example:
 * ```cpp
 * struct uart_tag;
 * using uart_regs = ioview::region<0x20, uart_tag>;
 *
 * struct uart_ctrl : ioview::reg<uart_ctrl, ioview::u32, 0x04, uart_regs> {
 *         static constexpr field<0> enable{};                           // bit 0
 *         static constexpr field<3, 1> mode{};                          // bits 3:1
 *         static constexpr field<7, 4, ioview::w1c> irq{};              // write 1 to clear
 *         static constexpr field<8, 8, ioview::w1s> tx_start{};         // write 1 to set
 *         static constexpr field<9, 9, ioview::wo> fifo_flush{};        // write only
 *         static constexpr field<15, 10, ioview::rsvd_keep> vendor{};   // reserved: preserve
 *         static constexpr field<31, 16, ioview::rsvd_zero> reserved{}; // reserved: write 0
 *         static constexpr field_list<enable, mode, irq, tx_start, fifo_flush, vendor, reserved> fields{};
 * };
 *
 * struct uart_status : ioview::reg<uart_status, ioview::u32, 0x08, uart_regs> {
 *         static constexpr field<7, 0, ioview::rc> overruns{};          // cleared by reading
 *         static constexpr field<8, 8, ioview::ro> busy{};
 *         static constexpr field<31, 9, ioview::rsvd_zero> reserved{};
 *         static constexpr field_list<overruns, busy, reserved> fields{};
 * };
 * static_assert(uart_status::has_read_side_effects && !uart_ctrl::has_read_side_effects);
 *
 * ioview::u32 uart_start(ioview::view<ioview::sysmem, uart_regs> regs)
 * {
 *         uart_ctrl::write(regs, uart_ctrl::zero().set(uart_ctrl::mode, 5).set(uart_ctrl::enable, 1));
 *         // Acknowledge every interrupt; tx_start and fifo_flush are written as 0, vendor as read.
 *         uart_ctrl::update(regs, [](auto v) { return v.set(uart_ctrl::irq, 0xf); });
 *         ioview::u32 mode = uart_ctrl::read(regs).get(uart_ctrl::mode);
 *         ioview::u32 lost = uart_status::read_with_side_effects(regs).get(uart_status::overruns);
 *         return mode + lost;
 * }
 * ```
 */
#ifndef IOVIEW_REGISTER_H
#define IOVIEW_REGISTER_H

#include <ioview/view.h>

namespace ioview {

/** @brief How software may use a field; see the table at the top of register.h. */
enum class field_access {
	rw,        ///< read and write
	ro,        ///< read only: set() does not compile
	w1c,       ///< write 1 to clear; update() writes 0 unless the field is set explicitly
	w1s,       ///< write 1 to set; update() writes 0 unless the field is set explicitly
	wo,        ///< write only: get() does not compile; update() writes 0 unless set explicitly
	rc,        ///< read to clear (a read side effect): set() does not compile; see read_with_side_effects()
	rsvd_zero, ///< reserved, must be written as 0: set() does not compile, writes force 0
	rsvd_keep, ///< reserved, must be preserved: set() does not compile, update() writes back what it read
};
/** @name The access kinds, spelled short for field<hi, lo, kind> */
///@{
/** @brief The field_access of the same name. */
inline constexpr field_access rw = field_access::rw;
inline constexpr field_access ro = field_access::ro;
inline constexpr field_access w1c = field_access::w1c;
inline constexpr field_access w1s = field_access::w1s;
inline constexpr field_access wo = field_access::wo;
inline constexpr field_access rc = field_access::rc;
inline constexpr field_access rsvd_zero = field_access::rsvd_zero;
inline constexpr field_access rsvd_keep = field_access::rsvd_keep;
///@}

/** @brief One field as a generic tool sees it: bits hi:lo and the access kind. */
struct field_info {
	unsigned hi;         ///< highest bit, datasheet numbering
	unsigned lo;         ///< lowest bit
	field_access access; ///< how software may use it
};

namespace diag {
/* Bits hi:lo of a field, so a diagnostic reads `bits<7, 4>`. */
template <unsigned Hi, unsigned Lo> struct bits {};
template <unsigned N> struct register_bits {};
template <field_access A> struct access {};

/** @brief A number spelled in hex, so that a bit mask in a diagnostic reads `hex{"0xffffff00"}`. */
struct hex {
	char digits[19];	///< "0x", up to 16 digits, a terminating zero
	/** @brief @p v in hex, without leading zeros. */
	constexpr hex(u64 v) noexcept : digits{}
	{
		unsigned n = 1;
		while (n < 16 && (v >> (4 * n)) != 0)
			n++;
		digits[0] = '0';
		digits[1] = 'x';
		for (unsigned i = 0; i < n; i++)
			digits[1 + n - i] = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
	}
};
template <hex Bits> struct mask {};

template <typename Register, typename Bits, typename RegisterBits> struct field_out_of_range; // field hi:lo is reversed or past the register's width
template <typename Register, typename BitsA, typename BitsB> struct fields_overlap; // two fields of the register's field_list share bits
template <typename Register, typename Uncovered> struct register_bits_not_covered; // the field_list must cover every bit of the register: declare unused bits as reserved fields (rsvd_zero or rsvd_keep) and list them
template <typename Register, typename Other, typename Bits> struct fields_of_different_registers; // a field_list lists the fields of one register, declared in it with field<hi, lo, access>
template <typename Register, typename Bits, typename Access> struct field_not_in_field_list; // only a field listed in the register's field_list (same hi:lo and access) can be used: list it
template <typename Register, typename Bits> struct field_not_writable; // the field is read-only, read-to-clear or reserved: set() and try_set() do not exist for it
template <typename Register, typename Bits> struct field_not_readable; // the field is write-only: a read returns nothing meaningful there, so get() does not exist for it
template <typename Register> struct read_has_side_effects; // the register has an rc field, so reading it changes the device: read() and update() do not exist; use read_with_side_effects()
template <typename Register, typename Expected, typename Given> struct register_on_wrong_region; // the register belongs to the Expected region type (tag), not to the view's
template <typename Register> struct register_without_field_list; // a register must declare `static constexpr field_list<...> fields{}` listing its own fields

/*
 * A field constant is checked inside a consteval constructor, where the value is not a template
 * argument and so cannot appear in a diagnostic type. These two functions are not constexpr:
 * calling one stops the compilation with an error that names it, and the line before the error
 * ("in 'constexpr' expansion of field_constant<bitfield<...>>(8)") shows the field and value.
 */
/** @brief Named by the error when a field constant does not fit the field's width bits. */
void value_too_wide_for_field(unsigned long long value, unsigned field_width); // the constant does not fit the field's width bits
/** @brief Named by the error when set() gets a runtime value: try_set() checks one and returns -ERANGE if it does not fit. */
void set_takes_a_constant_use_try_set_for_a_runtime_value(); // set() checks its value at compile time; try_set() checks a runtime value and returns -ERANGE if it does not fit
} // namespace diag

namespace detail {
constexpr bool access_readable(field_access a)
{
	return a != field_access::wo;
}
constexpr bool access_settable(field_access a)
{
	return a == field_access::rw || a == field_access::w1c || a == field_access::w1s || a == field_access::wo;
}
template <typename Self, unsigned Hi, unsigned Lo, unsigned Bits> consteval bool check_field_range()
{
	return expect<(Lo <= Hi && Hi < Bits),
		      diag::field_out_of_range<Self, diag::bits<Hi, Lo>, diag::register_bits<Bits>>>();
}

template <usize I, typename T, typename... Ts> struct type_at {
	using type = typename type_at<I - 1, Ts...>::type;
};
template <typename T, typename... Ts> struct type_at<0, T, Ts...> {
	using type = T;
};
} // namespace detail

/**
 * @brief Bits Hi:Lo (inclusive, datasheet order) of register Self, whose raw type is Raw.
 *
 * Invariant: Lo <= Hi < bits of Raw (checked when the field is declared).
 */
template <typename Self, typename Raw, unsigned Hi, unsigned Lo, field_access Access> struct bitfield {
	static constexpr unsigned reg_bits = sizeof(Raw) * 8;	///< bits in the register
	static constexpr bool in_range = Lo <= Hi && Hi < reg_bits;	///< the declaration is valid
	static_assert(detail::check_field_range<Self, Hi, Lo, reg_bits>());
	static constexpr unsigned hi = Hi;       ///< highest bit
	static constexpr unsigned lo = Lo;       ///< lowest bit
	static constexpr unsigned width = in_range ? Hi - Lo + 1 : 1; ///< bits in the field
	/** @brief The largest value the field holds. */
	static constexpr Raw max = width == reg_bits ? static_cast<Raw>(~Raw(0))
						     : static_cast<Raw>((Raw(1) << width) - 1);
	/** @brief The field's bits in the register. */
	static constexpr Raw mask = static_cast<Raw>(max << (in_range ? Lo : 0));
	static constexpr field_access access = Access; ///< how software may use it
	static constexpr field_info info{ Hi, Lo, Access }; ///< the three above, for a generic tool
	using register_type = Self;	///< the register the field belongs to
	using raw_type = Raw;		///< the register's integer type
};

namespace detail {
/* Types a field constant may come from: integers, bool, unscoped enums (not floating point). */
template <typename T>
concept field_value_type = requires(const T &v) { v | 0ull; };
} // namespace detail

/**
 * @brief A constant destined for field F; checked at compile time to fit.
 *
 * Constructing it from a value wider than the field (or negative) is a compile error naming
 * diag::value_too_wide_for_field, from a runtime value one naming
 * diag::set_takes_a_constant_use_try_set_for_a_runtime_value. Runtime values go through try_set().
 */
template <typename F> struct field_constant {
	using raw_type = typename F::raw_type;	///< the register's integer type
	raw_type value;				///< the checked value, not yet shifted into place

	/**
	 * @brief @p v, checked at compile time to be a constant that fits F.
	 *
	 * By reference, so that a runtime variable reaches this body instead of failing as "'m' is
	 * not a constant expression" at the caller: __builtin_constant_p then tells, during
	 * constant evaluation, whether its value is known, and the error can name try_set().
	 */
	template <detail::field_value_type T> consteval field_constant(const T &v) : value(0)
	{
		if (!__builtin_constant_p(v))
			diag::set_takes_a_constant_use_try_set_for_a_runtime_value();
		auto n = +v; // an integer type: bool and enums promoted
		using N = decltype(n);
		if constexpr (static_cast<N>(-1) < static_cast<N>(0)) {
			if (n < 0)
				diag::value_too_wide_for_field(static_cast<unsigned long long>(n), F::width);
		}
		if (static_cast<unsigned long long>(n) > F::max)
			diag::value_too_wide_for_field(static_cast<unsigned long long>(n), F::width);
		value = static_cast<raw_type>(n);
	}
};

namespace detail {
/* First index whose flag is false, or n. */
consteval usize first_false(const bool *flags, usize n)
{
	for (usize i = 0; i < n; i++)
		if (!flags[i])
			return i;
	return n;
}
struct index_pair {
	usize a;
	usize b;
};
/* The first pair i < j of masks that share bits, or {n, n}. */
consteval index_pair first_overlap(const u64 *masks, usize n)
{
	for (usize i = 0; i < n; i++)
		for (usize j = i + 1; j < n; j++)
			if (masks[i] & masks[j])
				return { i, j };
	return { n, n };
}

/*
 * The declaration-time checks of a field list, in the order they are reported: every field
 * belongs to the register of the first, no two overlap, together they cover every bit.
 */
template <typename... F> struct field_set {
	using register_type = typename type_at<0, F...>::type::register_type;
	using raw_type = typename type_at<0, F...>::type::raw_type;
	static constexpr usize count = sizeof...(F);
	static constexpr unsigned his[] = { F::hi... };
	static constexpr unsigned los[] = { F::lo... };
	static constexpr u64 masks[] = { static_cast<u64>(F::mask)... };
	static constexpr bool own[] = { is_same<typename F::register_type, register_type>... };

	static constexpr usize foreign = first_false(own, count);
	static constexpr usize fi = foreign < count ? foreign : 0;
	using foreign_check = check<foreign == count,
				    diag::fields_of_different_registers<register_type, typename type_at<fi, F...>::type::register_type,
									diag::bits<his[fi], los[fi]>>>;

	static constexpr index_pair overlap = first_overlap(masks, count);
	static constexpr usize oa = overlap.a < count ? overlap.a : 0;
	static constexpr usize ob = overlap.a < count ? overlap.b : 0;
	using overlap_check = check<overlap.a == count, diag::fields_overlap<register_type, diag::bits<his[oa], los[oa]>,
									      diag::bits<his[ob], los[ob]>>>;

	static constexpr u64 uncovered = static_cast<u64>(static_cast<raw_type>(~raw_type(0))) & ~(static_cast<u64>(F::mask) | ...);
	using coverage_check = check<uncovered == 0, diag::register_bits_not_covered<register_type, diag::mask<diag::hex(uncovered)>>>;
};
template <typename... F> consteval bool check_field_set()
{
	/* A field out of range was reported where it was declared; its mask means nothing. */
	if constexpr (!(F::in_range && ...))
		return true;
	else
		return expect_all<typename field_set<F...>::foreign_check, typename field_set<F...>::overlap_check,
				  typename field_set<F...>::coverage_check>();
}
} // namespace detail

/**
 * @brief The fields of a register, each listed once: checked at compile time to belong to that
 * register, not to overlap and to cover every bit. Also what a generic tool iterates.
 *
 * ```cpp
 * struct tag;
 * struct ctl : ioview::reg<ctl, ioview::u8, 0, ioview::region<4, tag>> {
 *         static constexpr field<0> go{};
 *         static constexpr field<7, 1, ioview::rsvd_zero> reserved{};
 *         static constexpr field_list<go, reserved> fields{};
 * };
 * static_assert(decltype(ctl::fields)::size == 2 && decltype(ctl::fields)::infos[1].lo == 1);
 * constexpr ioview::u8 all_bits()
 * {
 *         ioview::u8 m = 0;
 *         ctl::fields.for_each([&](auto f) { m |= decltype(f)::mask; });
 *         return m;
 * }
 * static_assert(all_bits() == 0xff);
 * ```
 */
template <auto First, auto... Rest> struct field_list {
private:
	template <auto V> using type_of = detail::remove_cv_t<decltype(V)>;
	static_assert(detail::check_field_set<type_of<First>, type_of<Rest>...>());

public:
	/** @brief The register whose fields these are. */
	using register_type = typename type_of<First>::register_type;
	/** @brief The register's integer type. */
	using raw_type = typename type_of<First>::raw_type;
	/** @brief Number of fields. */
	static constexpr usize size = 1 + sizeof...(Rest);
	/** @brief hi, lo and access of each field, in list order. */
	static constexpr field_info infos[] = { type_of<First>::info, type_of<Rest>::info... };

	/** @brief True if field type F (same register, hi, lo and access) is in the list. */
	template <typename F>
	static constexpr bool contains = detail::is_same<detail::remove_cv_t<F>, type_of<First>> ||
					 (detail::is_same<detail::remove_cv_t<F>, type_of<Rest>> || ...);

	/** @brief Call @p fn with each field constant in list order (usable in constant expressions). */
	template <typename Fn> static constexpr void for_each(Fn &&fn)
	{
		fn(First);
		(fn(Rest), ...);
	}

	/** @brief The bits of the fields whose access kind is @p A. */
	template <field_access A> static constexpr raw_type mask_of() noexcept
	{
		return static_cast<raw_type>((type_of<First>::access == A ? type_of<First>::mask : 0) |
					     ((type_of<Rest>::access == A ? type_of<Rest>::mask : 0) | ... | 0));
	}

	/** @brief True if a field is rc: reading the register changes the device. */
	static constexpr bool has_read_side_effects = mask_of<field_access::rc>() != 0;
};

namespace detail {
template <typename T> inline constexpr bool is_field_list = false;
template <auto First, auto... Rest> inline constexpr bool is_field_list<field_list<First, Rest...>> = true;

/* Stands for a missing or malformed `fields`, so that the checks naming it stay well-formed. */
struct no_field_list {
	using register_type = void;
	static constexpr bool has_read_side_effects = false;
	template <typename F> static constexpr bool contains = true;
	template <field_access A> static constexpr u64 mask_of() noexcept { return 0; }
};

template <typename Self> consteval auto field_list_type()
{
	if constexpr (requires { Self::fields; }) {
		using L = remove_cv_t<decltype(Self::fields)>;
		if constexpr (is_field_list<L>)
			return type_identity<L>{};
		else
			return type_identity<no_field_list>{};
	} else {
		return type_identity<no_field_list>{};
	}
}
/* Self's field list, or no_field_list. Only named once Self is complete (in function bodies). */
template <typename Self> using field_list_of = typename decltype(field_list_type<Self>())::type;

template <typename Self>
using field_list_check = check<is_same<typename field_list_of<Self>::register_type, Self>, diag::register_without_field_list<Self>>;
template <typename Self, typename F>
using listed_check = check<field_list_of<Self>::template contains<F>,
			   diag::field_not_in_field_list<Self, diag::bits<F::hi, F::lo>, diag::access<F::access>>>;
template <typename Self, typename F>
using settable_check = check<access_settable(F::access), diag::field_not_writable<Self, diag::bits<F::hi, F::lo>>>;
template <typename Self, typename F>
using readable_check = check<access_readable(F::access), diag::field_not_readable<Self, diag::bits<F::hi, F::lo>>>;

template <typename Expected, typename R> consteval bool same_region_tag()
{
	if constexpr (!is_region<R>)
		return false;
	else
		return is_same<typename remove_cv_t<R>::tag, typename Expected::tag>;
}
template <typename Self, typename Expected, typename R>
using register_region_check = check<same_region_tag<Expected, R>(), diag::register_on_wrong_region<Self, Expected, remove_cv_t<R>>>;

/* What a register operation does with the device. */
enum class reg_op {
	read,                   // a read that must have no side effect
	read_with_side_effects, // a read that may change the device
	write,
	update,                 // a read that must have no side effect, then a write
};
constexpr bool op_writes(reg_op op)
{
	return op == reg_op::write || op == reg_op::update;
}
constexpr bool op_reads_purely(reg_op op)
{
	return op == reg_op::read || op == reg_op::update;
}
template <typename Self, reg_op Op>
using pure_read_check = check<!(op_reads_purely(Op) && field_list_of<Self>::has_read_side_effects), diag::read_has_side_effects<Self>>;
template <typename R, reg_op Op> using op_writable_check = check<!(op_writes(Op) && is_const<R>), diag::write_through_read_only_view<R>>;

/* The diagnostic of the first failing check, void if they all pass. */
template <typename... C> struct first_failing {
	using type = void;
};
template <typename C, typename... Rest> struct first_failing<C, Rest...> {
	using type = conditional_t<C::ok, typename first_failing<Rest...>::type, typename C::diagnostic>;
};

/*
 * A group of checks that is itself a check (ok, diagnostic: the first failing one's), so groups
 * nest in expect_all; report() reports that first failure.
 */
template <typename... C> struct checks {
	static constexpr bool ok = all_ok<C...>;
	using diagnostic = typename first_failing<C...>::type;
	static consteval bool report() { return expect_all<C...>(); }
};

/*
 * Every check of one register operation, in the order they are reported, so that a misuse is
 * one error and the access is compiled only when all pass. Placement... are the checks of where
 * the register is (bounds, alignment, a constant index), given by reg or reg_array.
 */
template <typename Self, typename Region, reg_op Op, bool Relaxed, typename B, typename R, typename... Placement>
using reg_op_checks = checks<field_list_check<Self>, register_region_check<Self, Region, R>, pure_read_check<Self, Op>,
			     Placement..., op_writable_check<R, Op>, width_check<B, sizeof(typename Self::raw_type), Relaxed>>;

/* The placement checks of a register of Raw at Off (or a block of Size bytes there) in R. */
template <typename R, usize Off, usize Size, typename Raw>
using reg_placement = checks<bounds_check<R, Off, Size, known_size<R>::min_size>, aligned_check<R, Off, alignof(Raw)>,
			     base_align_check<R, alignof(Raw)>>;
} // namespace detail

/**
 * @brief Field definitions and the value snapshot shared by reg and reg_array.
 */
template <typename Self, typename Raw> struct reg_layout {
	static_assert(detail::is_unsigned_int<Raw>, "ioview: a register is u8, u16, u32 or u64 wide");
	/** @brief The register's integer type. */
	using raw_type = Raw;
	/** @brief Width of the register in bits. */
	static constexpr unsigned width = sizeof(Raw) * 8;
	/**
	 * @brief True if reading the register changes the device (it has an rc field): then read()
	 * and update() do not compile and read_with_side_effects() reads it.
	 */
	static constexpr bool has_read_side_effects = detail::field_list_of<Self>::has_read_side_effects;

	/**
	 * @brief Field declaration helper: `field<3, 1>` is bits 3:1, `field<5>` is bit 5,
	 * `field<7, 4, ioview::w1c>` bits 7:4, write 1 to clear.
	 */
	template <unsigned Hi, unsigned Lo = Hi, field_access Access = field_access::rw>
	using field = bitfield<Self, Raw, Hi, Lo, Access>;
	/** @brief The list of every field of the register; declare it as `fields`. */
	template <auto... Fields> using field_list = ioview::field_list<Fields...>;

	/**
	 * @brief A snapshot of the register's bits. Setting fields changes only the snapshot.
	 *
	 * Each field given to get(), set() or try_set() must be in the register's field list.
	 */
	class value {
	public:
		/** @brief The snapshot with raw bits @p raw. */
		static constexpr value from_raw(Raw raw) noexcept { return value(raw); }
		/** @brief All the bits of the snapshot, as read or as they will be written (before reserved bits are forced). */
		constexpr Raw raw() const noexcept { return raw_; }

		/** @brief Field F's bits, shifted down. Not for write-only fields. */
		template <unsigned Hi, unsigned Lo, field_access A>
		constexpr Raw get(bitfield<Self, Raw, Hi, Lo, A> f) const noexcept
		{
			(void)f;
			using F = bitfield<Self, Raw, Hi, Lo, A>;
			static_assert(detail::expect_all<detail::field_list_check<Self>, detail::listed_check<Self, F>,
							 detail::readable_check<Self, F>>());
			return static_cast<Raw>((raw_ & F::mask) >> Lo);
		}

		/** @brief Set field F to a constant that is checked to fit at compile time. */
		template <unsigned Hi, unsigned Lo, field_access A>
		constexpr value set(bitfield<Self, Raw, Hi, Lo, A> f,
				    typename detail::type_identity<field_constant<bitfield<Self, Raw, Hi, Lo, A>>>::type v) const noexcept
		{
			(void)f;
			using F = bitfield<Self, Raw, Hi, Lo, A>;
			static_assert(detail::expect_all<detail::field_list_check<Self>, detail::listed_check<Self, F>,
							 detail::settable_check<Self, F>>());
			return with(F::mask, static_cast<Raw>(v.value << Lo));
		}

		/**
		 * @brief Set field F to a runtime value.
		 * @return the new snapshot, or -ERANGE if @p v does not fit (snapshot unchanged).
		 */
		template <unsigned Hi, unsigned Lo, field_access A>
		constexpr result<value> try_set(bitfield<Self, Raw, Hi, Lo, A> f, u64 v) const noexcept
		{
			(void)f;
			using F = bitfield<Self, Raw, Hi, Lo, A>;
			static_assert(detail::expect_all<detail::field_list_check<Self>, detail::listed_check<Self, F>,
							 detail::settable_check<Self, F>>());
			if (v > F::max)
				return fail(erange);
			return with(F::mask, static_cast<Raw>(static_cast<Raw>(v) << Lo));
		}

		/** @brief Equal when every bit is equal. */
		friend constexpr bool operator==(value a, value b) noexcept { return a.raw_ == b.raw_; }

	private:
		constexpr explicit value(Raw raw) noexcept : raw_(raw) {}
		constexpr value with(Raw mask, Raw bits) const noexcept
		{
			return value(static_cast<Raw>((raw_ & ~mask) | (bits & mask)));
		}
		Raw raw_;
	};

	/** @brief The all-zero snapshot, the usual start of a full write. */
	static constexpr value zero() noexcept { return value::from_raw(0); }

protected:
	/** @brief What operation Op returns on backend B: a status (or nothing) for writes, the value for reads. */
	template <detail::reg_op Op, typename B>
	using op_result = detail::conditional_t<detail::op_writes(Op), write_result_t<B>, read_result_t<B, value>>;
	/** @brief What the try_ form of operation Op returns. */
	template <detail::reg_op Op>
	using try_op_result = detail::conditional_t<detail::op_writes(Op), status, result<value>>;

	/**
	 * @brief The operation on the register's word view W, once every check passed.
	 *
	 * Relaxed picks the view's relaxed accessors; everything else is shared by both forms.
	 */
	template <detail::reg_op Op, bool Relaxed, typename B, typename W, typename... A>
	static op_result<Op, B> apply(W word, A &&...args)
	{
		if constexpr (Op == detail::reg_op::write)
			return write_word<Relaxed>(word, args...);
		else if constexpr (Op == detail::reg_op::update)
			return update_word<Relaxed, B>(word, detail::forward<A>(args)...);
		else
			return read_word<Relaxed, B>(word);
	}

private:
	/* Bits written as 0 whatever the snapshot holds. */
	template <typename S = Self> static constexpr Raw forced_zero_mask() noexcept
	{
		return static_cast<Raw>(detail::field_list_of<S>::template mask_of<field_access::rsvd_zero>());
	}
	/* Bits update() does not write back as read: writing a 1 there acts (w1c, w1s) or a read means nothing (wo). */
	template <typename S = Self> static constexpr Raw not_written_back_mask() noexcept
	{
		using L = detail::field_list_of<S>;
		return static_cast<Raw>(L::template mask_of<field_access::w1c>() | L::template mask_of<field_access::w1s>() |
					L::template mask_of<field_access::wo>());
	}

	template <bool Relaxed, typename W> static auto load(W word)
	{
		if constexpr (Relaxed)
			return word.read_val_relaxed();
		else
			return word.read_val();
	}
	template <bool Relaxed, typename W> static auto store(W word, value v)
	{
		Raw raw = static_cast<Raw>(v.raw() & ~forced_zero_mask());
		if constexpr (Relaxed)
			return word.write_val_relaxed(raw);
		else
			return word.write_val(raw);
	}

	template <bool Relaxed, typename B, typename W> static read_result_t<B, value> read_word(W word)
	{
		if constexpr (fallible<B>) {
			auto r = load<Relaxed>(word);
			if (!r)
				return failure{ r.error() };
			return value::from_raw(r.value());
		} else {
			return value::from_raw(load<Relaxed>(word));
		}
	}
	template <bool Relaxed, typename W> static auto write_word(W word, value v)
	{
		return store<Relaxed>(word, v);
	}
	template <bool Relaxed, typename B, typename W, typename F> static write_result_t<B> update_word(W word, F &&f)
	{
		if constexpr (fallible<B>) {
			auto r = load<Relaxed>(word);
			if (!r)
				return r.to_status();
			return store<Relaxed>(word, f(value::from_raw(static_cast<Raw>(r.value() & ~not_written_back_mask()))));
		} else {
			Raw cur = static_cast<Raw>(load<Relaxed>(word) & ~not_written_back_mask());
			store<Relaxed>(word, f(value::from_raw(cur)));
		}
	}
};

/**
 * @brief A register of width Raw at byte Offset of region type Region.
 *
 * Use it only on views of regions with Region's tag; a view of another device's region does
 * not compile. Offset, width and alignment are checked against Region at compile time.
 */
template <typename Self, typename Raw, usize Offset, typename Region> struct reg : reg_layout<Self, Raw> {
	static_assert(detail::is_region<Region>, "ioview: a register is bound to a region type");
	using base = reg_layout<Self, Raw>;	///< the field layout and value type
	using value = typename base::value;	///< a snapshot of the register's bits
	/** @brief Byte offset of the register in Region. */
	static constexpr usize offset = Offset;

	/** @brief Read the register: one access of its width. Not on a register with read side effects. */
	template <typename B, typename R> static read_result_t<B, value> read(view<B, R> io)
	{
		return run<detail::reg_op::read, false>(io);
	}
	/** @brief read() through the backend's relaxed accessor. */
	template <typename B, typename R> static read_result_t<B, value> read_relaxed(view<B, R> io)
	{
		return run<detail::reg_op::read, true>(io);
	}
	/** @brief Read a register whose reads change the device (rc fields): one access of its width. */
	template <typename B, typename R> static read_result_t<B, value> read_with_side_effects(view<B, R> io)
	{
		return run<detail::reg_op::read_with_side_effects, false>(io);
	}
	/** @brief read_with_side_effects() through the backend's relaxed accessor. */
	template <typename B, typename R> static read_result_t<B, value> read_with_side_effects_relaxed(view<B, R> io)
	{
		return run<detail::reg_op::read_with_side_effects, true>(io);
	}
	/** @brief Write @p v in one access, rsvd_zero bits forced to 0. Never reads. */
	template <typename B, typename R> static write_result_t<B> write(view<B, R> io, value v)
	{
		return run<detail::reg_op::write, false>(io, v);
	}
	/** @brief write() through the backend's relaxed accessor. */
	template <typename B, typename R> static write_result_t<B> write_relaxed(view<B, R> io, value v)
	{
		return run<detail::reg_op::write, true>(io, v);
	}
	/**
	 * @brief Read, apply @p f to the snapshot (w1c, w1s and wo bits cleared in it), write back
	 * (rsvd_zero bits forced to 0). Not on a register with read side effects.
	 */
	template <typename B, typename R, typename F> static write_result_t<B> update(view<B, R> io, F &&f)
	{
		return run<detail::reg_op::update, false>(io, detail::forward<F>(f));
	}
	/** @brief update() through the backend's relaxed accessors. */
	template <typename B, typename R, typename F> static write_result_t<B> update_relaxed(view<B, R> io, F &&f)
	{
		return run<detail::reg_op::update, true>(io, detail::forward<F>(f));
	}

private:
	template <detail::reg_op Op, bool Relaxed, typename B, typename R, typename... A>
	static typename base::template op_result<Op, B> run(view<B, R> io, A &&...args)
	{
		using checks = detail::reg_op_checks<Self, Region, Op, Relaxed, B, R,
						     detail::reg_placement<R, Offset, sizeof(Raw), Raw>>;
		static_assert(checks::report());
		if constexpr (!checks::ok)
			return detail::unreachable_after_error<typename base::template op_result<Op, B>>();
		else
			return base::template apply<Op, Relaxed, B>(io.template at_offset<Raw, Offset>(),
								    detail::forward<A>(args)...);
	}
};

/**
 * @brief Count registers of width Raw, the first at Offset, each Stride bytes apart.
 *
 * Constant indices are checked at compile time (`read<I>`), runtime ones at run time (`try_read`).
 * Every operation of reg exists in both forms, with the same `_relaxed` and
 * `read_with_side_effects` variants.
 *
 * ```cpp
 * struct dma_tag;
 * using dma_regs = ioview::region<0x40, dma_tag>;
 * struct chan_len : ioview::reg_array<chan_len, ioview::u32, 0x10, 8, 4, dma_regs> {
 *         static constexpr field<15, 0> bytes{};
 *         static constexpr field<31, 16, ioview::rsvd_zero> reserved{};
 *         static constexpr field_list<bytes, reserved> fields{};
 * };
 * ioview::status set_len(ioview::view<ioview::sysmem, dma_regs> io, ioview::usize ch, ioview::u64 n)
 * {
 *         auto v = chan_len::zero().try_set(chan_len::bytes, n);
 *         if (!v)
 *                 return v.to_status();
 *         return chan_len::try_write(io, ch, v.value());
 * }
 * ```
 */
template <typename Self, typename Raw, usize Offset, usize Stride, usize Count, typename Region>
struct reg_array : reg_layout<Self, Raw> {
	static_assert(detail::is_region<Region>, "ioview: a register array is bound to a region type");
	static_assert(Count > 0 && Stride >= sizeof(Raw) && Stride % sizeof(Raw) == 0,
		      "ioview: register array stride must hold the register and keep it aligned");
	using base = reg_layout<Self, Raw>;	///< the field layout and value type
	using value = typename base::value;	///< a snapshot of the register's bits
	static constexpr usize offset = Offset; ///< byte offset of register 0 in Region
	static constexpr usize stride = Stride; ///< bytes from one register to the next
	static constexpr usize count = Count;   ///< number of registers

	/** @name Register I, a constant index checked at compile time; as reg's operations. */
	///@{
	/** @brief The operation of reg of the same name on register I of the array. */
	template <usize I, typename B, typename R> static read_result_t<B, value> read(view<B, R> io)
	{
		return run<I, detail::reg_op::read, false>(io);
	}
	template <usize I, typename B, typename R> static read_result_t<B, value> read_relaxed(view<B, R> io)
	{
		return run<I, detail::reg_op::read, true>(io);
	}
	template <usize I, typename B, typename R> static read_result_t<B, value> read_with_side_effects(view<B, R> io)
	{
		return run<I, detail::reg_op::read_with_side_effects, false>(io);
	}
	template <usize I, typename B, typename R>
	static read_result_t<B, value> read_with_side_effects_relaxed(view<B, R> io)
	{
		return run<I, detail::reg_op::read_with_side_effects, true>(io);
	}
	template <usize I, typename B, typename R> static write_result_t<B> write(view<B, R> io, value v)
	{
		return run<I, detail::reg_op::write, false>(io, v);
	}
	template <usize I, typename B, typename R> static write_result_t<B> write_relaxed(view<B, R> io, value v)
	{
		return run<I, detail::reg_op::write, true>(io, v);
	}
	template <usize I, typename B, typename R, typename F> static write_result_t<B> update(view<B, R> io, F &&f)
	{
		return run<I, detail::reg_op::update, false>(io, detail::forward<F>(f));
	}
	template <usize I, typename B, typename R, typename F>
	static write_result_t<B> update_relaxed(view<B, R> io, F &&f)
	{
		return run<I, detail::reg_op::update, true>(io, detail::forward<F>(f));
	}
	///@}

	/** @name Register @p i, a runtime index: -ERANGE if i >= Count, nothing accessed. */
	///@{
	/** @brief The operation of reg without `try_` on register @p i, or -ERANGE if @p i >= Count. */
	template <typename B, typename R> static result<value> try_read(view<B, R> io, usize i)
	{
		return try_run<detail::reg_op::read, false>(io, i);
	}
	template <typename B, typename R> static result<value> try_read_relaxed(view<B, R> io, usize i)
	{
		return try_run<detail::reg_op::read, true>(io, i);
	}
	template <typename B, typename R> static result<value> try_read_with_side_effects(view<B, R> io, usize i)
	{
		return try_run<detail::reg_op::read_with_side_effects, false>(io, i);
	}
	template <typename B, typename R> static result<value> try_read_with_side_effects_relaxed(view<B, R> io, usize i)
	{
		return try_run<detail::reg_op::read_with_side_effects, true>(io, i);
	}
	template <typename B, typename R> static status try_write(view<B, R> io, usize i, value v)
	{
		return try_run<detail::reg_op::write, false>(io, i, v);
	}
	template <typename B, typename R> static status try_write_relaxed(view<B, R> io, usize i, value v)
	{
		return try_run<detail::reg_op::write, true>(io, i, v);
	}
	template <typename B, typename R, typename F> static status try_update(view<B, R> io, usize i, F &&f)
	{
		return try_run<detail::reg_op::update, false>(io, i, detail::forward<F>(f));
	}
	template <typename B, typename R, typename F> static status try_update_relaxed(view<B, R> io, usize i, F &&f)
	{
		return try_run<detail::reg_op::update, true>(io, i, detail::forward<F>(f));
	}
	///@}

private:
	template <usize I, detail::reg_op Op, bool Relaxed, typename B, typename R, typename... A>
	static typename base::template op_result<Op, B> run(view<B, R> io, A &&...args)
	{
		using checks = detail::reg_op_checks<Self, Region, Op, Relaxed, B, R,
						     detail::check<(I < Count), diag::index_out_of_bounds<Self, diag::index<I>, diag::length<Count>>>,
						     detail::reg_placement<R, Offset + I * Stride, sizeof(Raw), Raw>>;
		static_assert(checks::report());
		if constexpr (!checks::ok)
			return detail::unreachable_after_error<typename base::template op_result<Op, B>>();
		else
			return base::template apply<Op, Relaxed, B>(io.template at_offset<Raw, Offset + I * Stride>(),
								    detail::forward<A>(args)...);
	}

	/* The whole array is checked to fit the region at compile time, i < Count at run time. */
	template <detail::reg_op Op, bool Relaxed, typename B, typename R, typename... A>
	static typename base::template try_op_result<Op> try_run(view<B, R> io, usize i, A &&...args)
	{
		using checks = detail::reg_op_checks<Self, Region, Op, Relaxed, B, R,
						     detail::reg_placement<R, Offset, (Count - 1) * Stride + sizeof(Raw), Raw>>;
		static_assert(checks::report());
		if constexpr (!checks::ok) {
			return detail::unreachable_after_error<typename base::template try_op_result<Op>>();
		} else {
			if (i >= Count)
				return fail(erange);
			auto w = io.template try_at_offset<Raw>(Offset + i * Stride);
			if (!w)
				return failure{ w.error() };
			if constexpr (detail::op_writes(Op) && !fallible<B>) {
				base::template apply<Op, Relaxed, B>(w.value(), detail::forward<A>(args)...);
				return status::success();
			} else {
				return base::template apply<Op, Relaxed, B>(w.value(), detail::forward<A>(args)...);
			}
		}
	}
};

} // namespace ioview

#endif /* IOVIEW_REGISTER_H */
