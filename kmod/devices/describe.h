/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file devices/describe.h
 * @brief Register maps that describe themselves to a generic tool: the names of a device's
 * registers and of their fields, taken from the identifiers that declare them, plus what
 * ioview::reg already knows (offset, width, hi:lo, access kind).
 *
 * The netlink interface's register description and its by-name register accesses are built
 * from this, so a tool that decodes fields gets every fact from the one register map: there is
 * no second table to drift. A register lists its fields with IOVIEW_FIELDS() instead of a
 * plain `field_list` (the list is the same; the names come with it), and a device's registers
 * are listed once with IOVIEW_REGISTER_MAP():
 *
 * ```cpp
 * struct demo_tag;
 * using demo_regs = ioview::region<0x10, demo_tag>;
 *
 * struct demo_ctrl : ioview::reg<demo_ctrl, ioview::u32, 0x0, demo_regs> {
 *         static constexpr field<0, 0> go{};
 *         static constexpr field<31, 1, ioview::rsvd_zero> reserved{};
 *         IOVIEW_FIELDS(go, reserved);
 * };
 * struct demo_stat : ioview::reg<demo_stat, ioview::u32, 0x4, demo_regs> {
 *         static constexpr field<7, 0, ioview::rc> errors{};
 *         static constexpr field<31, 8, ioview::ro> count{};
 *         IOVIEW_FIELDS(errors, count);
 * };
 * IOVIEW_REGISTER_MAP(demo_map, demo_ctrl, demo_stat);
 *
 * static_assert(demo_map::size == 2 && ioview::devices::same_name(demo_map::names[1], "demo_stat"));
 * static_assert(ioview::devices::same_name(demo_ctrl::field_names[0], "go"));
 * // Datasheet order, highest bit first: count (31:8) before errors (7:0).
 * static_assert(ioview::devices::fields_of<demo_stat>.items[0].hi == 31);
 * static_assert(ioview::devices::access_of<demo_stat>() == ioview::rc);
 * ```
 */
#ifndef IOVIEW_KMOD_DEVICES_DESCRIBE_H
#define IOVIEW_KMOD_DEVICES_DESCRIBE_H

#include <ioview/register.h>

namespace ioview::devices {

/// Whether two NUL-terminated names are equal (usable in constant expressions).
constexpr bool same_name(const char *a, const char *b) noexcept
{
	while (*a && *a == *b) {
		++a;
		++b;
	}
	return *a == *b;
}

/// The number of names in a stringified, comma-separated list ("a, b, c" holds 3).
consteval usize count_names(const char *list)
{
	usize n = 1;
	for (; *list; ++list)
		if (*list == ',')
			++n;
	return n;
}

/**
 * @brief Count names parsed at compile time from the text a macro's `#__VA_ARGS__` makes of an
 * identifier list: each name NUL-terminated inside @ref text, so it can be handed out as a C
 * string. Chars is the text's size, an upper bound on what the names need.
 */
template <usize Chars, usize Count> struct name_list {
	char text[Chars];
	u16 starts[Count];
	static constexpr usize size = Count;

	constexpr explicit name_list(const char (&list)[Chars]) : text{}, starts{}
	{
		static_assert(Chars < 0x10000, "ioview: a name list longer than 64 KiB");
		// In place: separators become NULs, so name i is the run of text at starts[i].
		// constexpr, not consteval: GCC 12 loses track of the NULs of a char array built by a
		// consteval constructor and warns (-Wstringop-overread) on every strlen() of a name.
		usize n = 0;
		bool in_name = false;
		for (usize i = 0; i < Chars; ++i) {
			char c = list[i];
			bool separator = c == ',' || c == ' ' || c == '\0';
			text[i] = separator ? '\0' : c;
			if (!separator && !in_name && n < Count)
				starts[n++] = static_cast<u16>(i);
			in_name = !separator;
		}
	}

	/// Name @p i, i < Count.
	constexpr const char *operator[](usize i) const noexcept { return text + starts[i]; }
};

/// A compile-time list of register types, in the order a map lists them.
template <typename... Regs> struct type_list {
	static constexpr usize size = sizeof...(Regs);
};

namespace detail {
template <typename T> struct tag {
	using type = T;
};

template <typename F, typename... Regs> constexpr void for_each_type(type_list<Regs...>, F &&f)
{
	(f(tag<Regs>{}), ...);
}

template <typename F, typename... Regs> constexpr bool visit_type(type_list<Regs...>, usize index, F &&f)
{
	usize i = 0;
	return ((i++ == index ? (f(tag<Regs>{}), true) : false) || ...);
}

template <typename Reg> constexpr bool names_match_fields()
{
	return decltype(Reg::fields)::size == decltype(Reg::field_names)::size;
}

/* The region a register is bound to, deduced from its ioview::reg base. */
template <typename Self, typename Raw, usize Offset, typename Region>
Region region_of(const ioview::reg<Self, Raw, Offset, Region> *);
template <typename Reg> using region_t = decltype(region_of(static_cast<const Reg *>(nullptr)));

template <typename First, typename... Rest> constexpr bool same_region(type_list<First, Rest...>)
{
	return (ioview::detail::is_same<region_t<First>, region_t<Rest>> && ...);
}
} // namespace detail

/// One field as a generic tool sees it: its name, bits hi:lo and access kind.
struct field_description {
	const char *name;
	unsigned hi;
	unsigned lo;
	field_access access;
};

/// N field descriptions.
template <usize N> struct field_descriptions {
	field_description items[N];
	static constexpr usize size = N;
};

/**
 * @brief The fields of register Reg (declared with IOVIEW_FIELDS()) in datasheet order,
 * highest bit first, whatever order the field list has.
 */
template <typename Reg>
inline constexpr auto fields_of = [] {
	static_assert(detail::names_match_fields<Reg>(), "ioview: a register's field names and fields differ in number");
	using list = decltype(Reg::fields);
	field_descriptions<list::size> d{};
	for (usize i = 0; i < list::size; ++i)
		d.items[i] = { Reg::field_names[i], list::infos[i].hi, list::infos[i].lo, list::infos[i].access };
	// Insertion sort on hi, descending: fields do not overlap, so the order is total.
	for (usize i = 1; i < list::size; ++i)
		for (usize j = i; j > 0 && d.items[j - 1].hi < d.items[j].hi; --j) {
			field_description t = d.items[j];
			d.items[j] = d.items[j - 1];
			d.items[j - 1] = t;
		}
	return d;
}();

/**
 * @brief What an access to register Reg does as a whole: rc if any field clears on read (a
 * read has side effects); otherwise, over the fields that are not reserved, ro if all are
 * read-only, wo if all are write-only, else rw. A register of reserved bits only is ro.
 */
template <typename Reg> constexpr field_access access_of() noexcept
{
	if (Reg::has_read_side_effects)
		return field_access::rc;
	using list = decltype(Reg::fields);
	bool any = false, all_ro = true, all_wo = true;
	for (const field_info &f : list::infos) {
		if (f.access == field_access::rsvd_zero || f.access == field_access::rsvd_keep)
			continue;
		any = true;
		all_ro = all_ro && f.access == field_access::ro;
		all_wo = all_wo && f.access == field_access::wo;
	}
	if (!any || all_ro)
		return field_access::ro;
	return all_wo ? field_access::wo : field_access::rw;
}

/// Whether a read of register Reg means something (it is not write-only).
template <typename Reg> constexpr bool readable() noexcept
{
	return access_of<Reg>() != field_access::wo;
}

/// Whether a write of register Reg does something (it is not read-only).
template <typename Reg> constexpr bool writable() noexcept
{
	return access_of<Reg>() != field_access::ro;
}

/**
 * for_each_register() - call @p f with a tag for each register of Map, in the map's order;
 * `typename decltype(t)::type` is the register.
 */
template <typename Map, typename F> constexpr void for_each_register(F &&f)
{
	detail::for_each_type(typename Map::types{}, f);
}

/**
 * visit_register() - call @p f with a tag for register @p index of Map
 * @return false, calling nothing, if Map has no register @p index.
 */
template <typename Map, typename F> constexpr bool visit_register(usize index, F &&f)
{
	return detail::visit_type(typename Map::types{}, index, f);
}

/// The index in Map of the register named @p name, or Map::size if none is.
template <typename Map> constexpr usize register_named(const char *name) noexcept
{
	for (usize i = 0; i < Map::size; ++i)
		if (same_name(Map::names[i], name))
			return i;
	return Map::size;
}

} // namespace ioview::devices

/**
 * IOVIEW_FIELDS() - inside a register: its field list (`fields`, the ioview::field_list of
 * register.h, with every check it makes) and the fields' names (`field_names`, an
 * ioview::devices::name_list), both from the one list of field constants.
 */
#define IOVIEW_FIELDS(...)                                                                              \
	static constexpr field_list<__VA_ARGS__> fields{};                                              \
	static constexpr ::ioview::devices::name_list<sizeof(#__VA_ARGS__),                              \
						      ::ioview::devices::count_names(#__VA_ARGS__)>       \
		field_names{ #__VA_ARGS__ }

/**
 * IOVIEW_REGISTER_MAP() - the struct @p map listing registers (`types`, a
 * ioview::devices::type_list) and their names (`names`), all of one region.
 */
#define IOVIEW_REGISTER_MAP(map, ...)                                                                   \
	struct map {                                                                                    \
		using types = ::ioview::devices::type_list<__VA_ARGS__>;                               \
		static constexpr ::ioview::usize size = types::size;                                              \
		static constexpr ::ioview::devices::name_list<sizeof(#__VA_ARGS__),                      \
							      ::ioview::devices::count_names(#__VA_ARGS__)> \
			names{ #__VA_ARGS__ };                                                          \
		static_assert(::ioview::devices::detail::same_region(types{}),                          \
			      "ioview: a register map's registers belong to one region");               \
	}

#endif /* IOVIEW_KMOD_DEVICES_DESCRIBE_H */
