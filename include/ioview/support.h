/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file support.h
 * @brief The few language-support pieces ioview needs, built on compiler builtins only.
 *
 * ioview must compile inside the kernel (-ffreestanding -nostdinc) where no libstdc++ header is
 * usable, so the integer types, type traits, error values and the result type live here.
 *
 * Example:
 * ```cpp
 * ioview::result<ioview::u32> half(ioview::u32 x)
 * {
 *         if (x & 1)
 *                 return ioview::fail(ioview::einval);
 *         return x / 2;
 * }
 *
 * void use_half()
 * {
 *         auto r = half(4);
 *         if (!r)
 *                 return;
 *         ioview::u32 v = r.value(); // 2
 *         (void)v;
 * }
 * ```
 */
#ifndef IOVIEW_SUPPORT_H
#define IOVIEW_SUPPORT_H

namespace ioview {

/** @name Fixed-width integers, from the compiler's predefined macros. */
///@{
/** @brief u8..u64 and s8..s64: integers of the sign and width in the name; usize and uptr: size_t and uintptr_t. */
using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using s8 = __INT8_TYPE__;
using s16 = __INT16_TYPE__;
using s32 = __INT32_TYPE__;
using s64 = __INT64_TYPE__;
using usize = __SIZE_TYPE__;
using uptr = __UINTPTR_TYPE__;
///@}

/**
 * @brief True when the target has native 64-bit loads and stores.
 *
 * Backends offer u64 accessors only when this holds, so that a 64-bit access is never split
 * into two 32-bit halves behind the caller's back.
 */
inline constexpr bool has_64bit_access = __SIZEOF_POINTER__ == 8;

/**
 * @name Error numbers.
 *
 * Equal to the Linux values so kernel code can compare with `-EINVAL` directly. They are not
 * called EINVAL etc. because userspace `<errno.h>` defines those as macros.
 */
///@{
/** @brief The positive Linux errno of the same name (fail() negates it). */
inline constexpr int enoent = 2;
inline constexpr int eio = 5;
inline constexpr int efault = 14;
inline constexpr int enodev = 19;
inline constexpr int einval = 22;
inline constexpr int erange = 34;
inline constexpr int eloop = 40;
inline constexpr int eopnotsupp = 95;
///@}

namespace detail {

template <typename T> struct type_identity { using type = T; };

template <typename T> struct remove_cv { using type = T; };
template <typename T> struct remove_cv<const T> { using type = T; };
template <typename T> struct remove_cv<volatile T> { using type = T; };
template <typename T> struct remove_cv<const volatile T> { using type = T; };
template <typename T> using remove_cv_t = typename remove_cv<T>::type;

template <typename T> struct remove_ref { using type = T; };
template <typename T> struct remove_ref<T &> { using type = T; };
template <typename T> struct remove_ref<T &&> { using type = T; };
template <typename T> using remove_cvref_t = remove_cv_t<typename remove_ref<T>::type>;

template <typename A, typename B> inline constexpr bool is_same = false;
template <typename A> inline constexpr bool is_same<A, A> = true;

template <typename T> inline constexpr bool is_const = false;
template <typename T> inline constexpr bool is_const<const T> = true;

template <bool C, typename A, typename B> struct conditional { using type = A; };
template <typename A, typename B> struct conditional<false, A, B> { using type = B; };
template <bool C, typename A, typename B> using conditional_t = typename conditional<C, A, B>::type;

/* Carry the const of From over to To: projections of a read-only view stay read-only. */
template <typename From, typename To> struct copy_const { using type = To; };
template <typename From, typename To> struct copy_const<const From, To> { using type = const To; };
template <typename From, typename To> using copy_const_t = typename copy_const<From, To>::type;

template <typename T> struct array_traits {
	static constexpr bool is_array = false;
};
template <typename E, usize N> struct array_traits<E[N]> {
	static constexpr bool is_array = true;
	using element = E;
	static constexpr usize length = N;
};
template <typename E, usize N> struct array_traits<const E[N]> {
	static constexpr bool is_array = true;
	using element = const E;
	static constexpr usize length = N;
};

template <typename T> inline constexpr bool is_unsigned_int = false;
template <> inline constexpr bool is_unsigned_int<u8> = true;
template <> inline constexpr bool is_unsigned_int<u16> = true;
template <> inline constexpr bool is_unsigned_int<u32> = true;
template <> inline constexpr bool is_unsigned_int<u64> = true;

template <typename T> inline constexpr bool is_integer = is_unsigned_int<T>;
template <> inline constexpr bool is_integer<s8> = true;
template <> inline constexpr bool is_integer<s16> = true;
template <> inline constexpr bool is_integer<s32> = true;
template <> inline constexpr bool is_integer<s64> = true;

/* The unsigned integer of a given byte width; used to carry any scalar through an accessor. */
template <usize Bytes> struct uint_of_size;
template <> struct uint_of_size<1> { using type = u8; };
template <> struct uint_of_size<2> { using type = u16; };
template <> struct uint_of_size<4> { using type = u32; };
template <> struct uint_of_size<8> { using type = u64; };
template <usize Bytes> using uint_of_size_t = typename uint_of_size<Bytes>::type;

template <typename T> T &&declval() noexcept;

template <typename T> constexpr T &&forward(typename remove_ref<T>::type &v) noexcept
{
	return static_cast<T &&>(v);
}

/* Dependent false, so a static_assert fires only when its template is instantiated. */
template <typename... T> inline constexpr bool always_false = false;

} // namespace detail

/** @brief Reinterpret the bytes of @p from as a @p To of the same size. */
template <typename To, typename From> [[nodiscard]] constexpr To bit_cast(const From &from) noexcept
{
	static_assert(sizeof(To) == sizeof(From), "bit_cast needs types of equal size");
	return __builtin_bit_cast(To, from);
}

/** @name Byte order. */
///@{
/**
 * @brief The byte order in which a backend's scalar accessors interpret device memory.
 *
 * `native`: the value is the CPU's own reading of the bytes (plain loads). `little`/`big`: the
 * bytes are in that order on the device and the accessor converts to a CPU value (like readl()).
 */
enum class byte_order { native, little, big };

/** @brief True when the CPU is little endian. */
inline constexpr bool host_is_little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

/** @brief Swap the bytes of an unsigned integer; identity for u8. */
template <typename U> [[nodiscard]] constexpr U byte_swap(U v) noexcept
{
	static_assert(detail::is_unsigned_int<U>, "byte_swap takes u8, u16, u32 or u64");
	if constexpr (sizeof(U) == 1)
		return v;
	else if constexpr (sizeof(U) == 2)
		return __builtin_bswap16(v);
	else if constexpr (sizeof(U) == 4)
		return __builtin_bswap32(v);
	else
		return __builtin_bswap64(v);
}

/**
 * @brief Convert between a CPU value and its representation in @p Order.
 *
 * The conversion is its own inverse: with `little` on a little-endian host, and with `native`,
 * it is the identity; otherwise it swaps.
 */
template <byte_order Order, typename U> [[nodiscard]] constexpr U convert_order(U v) noexcept
{
	if constexpr (Order == byte_order::native)
		return v;
	else if constexpr ((Order == byte_order::little) == host_is_little)
		return v;
	else
		return byte_swap(v);
}
///@}

/**
 * @name Broken preconditions.
 *
 * A few operations have a precondition the library cannot turn into an error value without
 * handing out something unusable: result<T>::value() on a result that holds an error, and a
 * backend constructing a view whose size is below its type's minimum. They end in
 * detail::contract_violation(), which never returns. In userspace (and in any build that does
 * not say otherwise) it is `__builtin_trap()`: the process dies with SIGILL at the faulty call,
 * under a debugger or a sanitizer alike. A build may define `IOVIEW_CONTRACT_HANDLER` to the
 * name of an `extern "C"` function `void handler(const char *what, int err)`; the kernel module
 * does, and its handler WARNs with @p what. If a handler returns, the operation yields an
 * all-zero value instead (a view of address 0, whose first access faults at once) rather than
 * bytes left over from an error path. Either way no access goes through a garbage handle.
 */
///@{
#ifdef IOVIEW_CONTRACT_HANDLER
extern "C" void IOVIEW_CONTRACT_HANDLER(const char *what, int err);
#endif

namespace detail {
#ifdef IOVIEW_CONTRACT_HANDLER
/*
 * The handler reports and returns (the kernel's WARNs): the caller then hands out an all-zero
 * value, a view of address 0, instead of the one it was asked for. Not noreturn because a
 * kernel handler that BUG()s is a dead end objtool only accepts from its own list of names.
 */
[[gnu::cold]] inline void contract_violation(const char *what, int err) noexcept
{
	IOVIEW_CONTRACT_HANDLER(what, err);
}
#else
[[noreturn]] [[gnu::cold]] inline void contract_violation(const char *what, int err) noexcept
{
	(void)what;
	(void)err;
	__builtin_trap();
}
#endif
} // namespace detail
///@}

namespace detail {
/* sizeof(T) zero bytes, to make a T that has no default constructor to call. */
template <usize N> struct zero_bytes {
	unsigned char b[N] = {};
};

/*
 * The T whose bytes are all zero: value-initialized where T allows it (a constant expression
 * for every such T), else cast from zero bytes (a constant expression unless T holds a pointer,
 * a union or a volatile member).
 */
template <typename T> constexpr T zero_value() noexcept
{
	if constexpr (__is_trivially_constructible(T))
		return T();
	else
		return bit_cast<T>(zero_bytes<sizeof(T)>{});
}
} // namespace detail

/**
 * @brief A failed outcome: a negative errno value, convertible to any result<T> and to status.
 *
 * Create it with fail().
 */
struct failure {
	int code; ///< Negative errno.
};

/** @brief Make a failure from a positive errno constant such as ioview::einval. */
[[nodiscard]] constexpr failure fail(int errno_value) noexcept
{
	return failure{ -errno_value };
}

/**
 * @brief Outcome of an operation that yields nothing: success or a negative errno.
 *
 * Example:
 * ```cpp
 * ioview::status check_even(ioview::u32 x)
 * {
 *         if (x & 1)
 *                 return ioview::fail(ioview::einval);
 *         return ioview::status::success();
 * }
 * ```
 */
class [[nodiscard]] status {
public:
	/** @brief The failure @p f (made by fail()). */
	constexpr status(failure f) noexcept : err_(f.code) {}
	/** @brief The successful status. */
	static constexpr status success() noexcept { return status(); }
	/** @brief True on success. */
	constexpr bool ok() const noexcept { return err_ == 0; }
	/** @brief ok(), for `if (!s)`. */
	constexpr explicit operator bool() const noexcept { return ok(); }
	/** @brief 0 on success, else the negative errno (e.g. -22 for einval). */
	constexpr int error() const noexcept { return err_; }

private:
	constexpr status() noexcept : err_(0) {}
	int err_;
};

/**
 * @brief A value of type T or a negative errno.
 *
 * Invariant: either the error is 0 and the value present, or the error is non-zero and the
 * value's bytes are all zero. T must be trivially copyable, so result<T> is too and needs no
 * destructor.
 *
 * value() checks: on a result that holds an error it does not return a T made of whatever
 * bytes are there (for a view, a handle to a garbage address) but ends in a contract violation
 * (see above). The pattern to write is check, then take:
 *
 * ```cpp
 * ioview::status clear_slot(ioview::view<ioview::sysmem, ioview::u32[8]> slots, ioview::usize i)
 * {
 *         auto slot = slots.try_at(i);
 *         if (!slot)
 *                 return slot.to_status();   // -ERANGE: nothing was accessed
 *         slot.value().write_val(0);         // checked above, so value() cannot trap
 *         return ioview::status::success();
 * }
 * ```
 *
 * After such a check the compiler knows the error is 0 and drops value()'s own test, so the
 * pattern costs what the check costs. value_or() never traps.
 *
 * Example:
 * ```cpp
 * ioview::result<int> parse_digit(char c)
 * {
 *         if (c < '0' || c > '9')
 *                 return ioview::fail(ioview::erange);
 *         return c - '0';
 * }
 * ```
 */
template <typename T> class [[nodiscard]] result {
	static_assert(__is_trivially_copyable(T), "result<T> holds only trivially copyable values");

public:
	/** @brief A result holding @p v. */
	constexpr result(T v) noexcept : value_(v), err_(0) {}
	/** @brief A result holding the failure @p f (made by fail()); the value's bytes are zero. */
	constexpr result(failure f) noexcept : value_(detail::zero_value<T>()), err_(f.code) {}

	/** @brief True when a value is present. */
	constexpr bool ok() const noexcept { return err_ == 0; }
	/** @brief ok(), for `if (!r)`. */
	constexpr explicit operator bool() const noexcept { return ok(); }
	/** @brief 0 when a value is present, else the negative errno. */
	constexpr int error() const noexcept { return err_; }
	/**
	 * @brief The value; on an error, a contract violation instead (never a garbage T).
	 *
	 * Always inlined, so that no call takes the address of the caller's result: see the
	 * note on the layout below.
	 */
	[[gnu::always_inline]] constexpr T value() const noexcept
	{
		if (err_ != 0)
			detail::contract_violation("ioview: value() of a result that holds an error", err_);
		// Only reached with an error if the handler returned: then value_ is all zero.
		return value_;
	}
	/** @brief The value, or @p fallback on error. */
	constexpr T value_or(T fallback) const noexcept { return ok() ? value_ : fallback; }
	/** @brief Drop the value, keep the outcome. */
	constexpr status to_status() const noexcept { return ok() ? status::success() : status(failure{ err_ }); }

private:
	/*
	 * A plain member, not a union with an empty alternative, and zeroed on failure: both are
	 * for the kernel's -ftrivial-auto-var-init=zero. There GCC 12 gives a named result
	 * (`auto r = v.try_at(i);`) an initialization of its own, which only goes away if early
	 * SRA splits the whole variable into scalars; it splits no union, nor a variable whose
	 * address a call still takes at that point (an out-of-line value()). Otherwise the
	 * variable keeps a stack slot, and under -pg a frame, long after every access to it was
	 * optimized out.
	 */
	T value_;
	int err_;
};

/**
 * @brief Opt-in marker: specialize to true for a driver struct whose every bit pattern is valid.
 *
 * Such a struct can then be the target of copies and of try_cast(). The library still rejects
 * it if it has padding (`__has_unique_object_representations`) or is not trivially copyable.
 *
 * Example:
 * ```cpp
 * struct dma_desc {
 *         ioview::u32 addr_lo;
 *         ioview::u32 addr_hi;
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<dma_desc> = true;
 * static_assert(ioview::plain_data<dma_desc>);
 * ```
 */
template <typename T> inline constexpr bool enable_plain_data = false;

namespace detail {
template <typename T> struct plain_data_check {
	static constexpr bool value = is_integer<T> || enable_plain_data<T>;
};
template <typename E, usize N> struct plain_data_check<E[N]> {
	static constexpr bool value = plain_data_check<remove_cv_t<E>>::value;
};
} // namespace detail

/**
 * @brief A type whose objects are plain bytes: any bit pattern valid, no padding.
 *
 * Holds for the fixed-width integers, the endian types, arrays of plain data, and structs
 * opted in with enable_plain_data.
 */
template <typename T>
concept plain_data = detail::plain_data_check<detail::remove_cv_t<T>>::value &&
		     __is_trivially_copyable(detail::remove_cv_t<T>) &&
		     __has_unique_object_representations(detail::remove_cv_t<T>);

/**
 * @brief Compile-time diagnostics whose first error line names the type and numbers at fault.
 *
 * A static_assert message cannot print numbers, and a failing static_assert inside a helper is
 * followed by a second, empty error for the caller's assert. Instead each check names an
 * incomplete diagnostic type, e.g. `ioview::diag::access_out_of_bounds<ioview::region<16>,
 * ioview::diag::offset<16>, ioview::diag::size<4>, ioview::diag::limit<16>>`, and makes the
 * compiler derive from it: the one error is "invalid use of incomplete type" followed by that
 * type, and the note that follows quotes its declaration, whose comment says what to do.
 */
namespace diag {
/** @name Number tags, so that a diagnostic reads `offset<16>, size<4>` instead of bare numbers. */
///@{
template <usize N> struct offset {};
template <usize N> struct size {};
template <usize N> struct limit {};
template <usize N> struct alignment {};
template <usize N> struct index {};
template <usize N> struct length {};
///@}

template <typename T, typename Offset, typename Size, typename Limit> struct access_out_of_bounds; // [offset, offset + size) ends past the limit bytes of T; use a try_ form for a runtime offset
template <typename T, typename Offset, typename Alignment> struct misaligned_offset; // offset is not a multiple of the alignment this access needs
template <typename T, typename Index, typename Length> struct index_out_of_bounds; // constant index is not below the length of array T
} // namespace diag

namespace detail {
template <bool Ok, typename Diagnostic> struct require {};
/* Instantiated only when a check fails: deriving from the incomplete diagnostic is the error. */
template <typename Diagnostic> struct require<false, Diagnostic> : Diagnostic {};

/*
 * Ok, after a compile error naming Diagnostic if Ok is false. Used as
 * static_assert(detail::expect<...>()), which adds no second error of its own; code after a
 * failed check tests the condition again (if constexpr) so that the one error stays alone.
 */
template <bool Ok, typename Diagnostic> consteval bool expect()
{
	(void)require<Ok, Diagnostic>{};
	return true;
}

/* A condition and the diagnostic that names it; naming the diagnostic instantiates nothing. */
template <bool Ok, typename Diagnostic> struct check {
	static constexpr bool ok = Ok;
	using diagnostic = Diagnostic;
};

/*
 * The checks of one operation, in order: only the first failing one is reported, so a mistake
 * that breaks several rules (a u64 on a 4-aligned config view) still reads as one error.
 */
template <typename First, typename... Rest> consteval bool expect_all()
{
	if constexpr (!First::ok)
		return expect<false, typename First::diagnostic>();
	else if constexpr (sizeof...(Rest) == 0)
		return true;
	else
		return expect_all<Rest...>();
}

/* Whether every check passes; code after a static_assert(expect_all<...>()) branches on it. */
template <typename... Checks> inline constexpr bool all_ok = (Checks::ok && ...);

template <typename T, usize Offset, usize Size, usize Limit>
using bounds_check = check<!(Offset > Limit || Size > Limit - Offset),
			   diag::access_out_of_bounds<T, diag::offset<Offset>, diag::size<Size>, diag::limit<Limit>>>;
template <typename T, usize Offset, usize Align>
using aligned_check = check<Offset % Align == 0, diag::misaligned_offset<T, diag::offset<Offset>, diag::alignment<Align>>>;

/* A value of type R for a branch only compiled after a check already failed; never runs. */
template <typename R> [[noreturn]] R unreachable_after_error() noexcept
{
	__builtin_trap();
}
/* Always an error naming Diagnostic; for a branch that must not be instantiated. */
template <typename Diagnostic> consteval bool reject()
{
	return expect<false, Diagnostic>();
}

template <typename T, usize Offset, usize Size, usize Limit> consteval bool check_bounds()
{
	return expect_all<bounds_check<T, Offset, Size, Limit>>();
}
template <typename T, usize Offset, usize Align> consteval bool check_aligned()
{
	return expect_all<aligned_check<T, Offset, Align>>();
}
template <typename T, usize Index, usize Length> consteval bool check_index()
{
	return expect<(Index < Length), diag::index_out_of_bounds<T, diag::index<Index>, diag::length<Length>>>();
}
} // namespace detail

} // namespace ioview

#endif /* IOVIEW_SUPPORT_H */
