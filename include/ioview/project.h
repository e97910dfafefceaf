/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file project.h
 * @brief IOVIEW_PROJECT: narrow a view of a struct to a member, nested member or element.
 *
 * The one macro of the library. C++ has no way to turn a member name into an offset inside a
 * template, so the macro hands `__builtin_offsetof` and the member's type to
 * view::project_member(), which checks bounds and alignment with static_asserts. The path may
 * contain constant indices (`rings[2].head`); they are checked by constant evaluation, which
 * rejects an index past the array (even one that would still land inside the struct). Runtime
 * indices do not compile in the path: use `try_at(i)` on the projected array.
 *
 * Hygiene: the view expression is evaluated exactly once and is parenthesized; the macro
 * declares no local variables.
 *
 * Example:
 * ```cpp
 * struct ring_ctl {
 *         ioview::u32 head;
 *         ioview::u32 tail;
 * };
 * struct dev_mem {
 *         ioview::u32 id;
 *         ring_ctl rings[2];
 * };
 * template <> inline constexpr bool ioview::enable_plain_data<ring_ctl> = true;
 * template <> inline constexpr bool ioview::enable_plain_data<dev_mem> = true;
 *
 * void project_example(ioview::view<ioview::sysmem, dev_mem> dev, ioview::usize i)
 * {
 *         IOVIEW_PROJECT(dev, rings[1].tail).write_val(4);      // all constant: compile-time checked
 *         auto ring = IOVIEW_PROJECT(dev, rings).try_at(i);     // runtime index: checked
 *         if (ring)
 *                 IOVIEW_PROJECT(ring.value(), head).write_val(0);
 * }
 * ```
 */
#ifndef IOVIEW_PROJECT_H
#define IOVIEW_PROJECT_H

#include <ioview/view.h>

namespace ioview::detail {

template <typename V> using view_target_t = typename remove_cvref_t<V>::target_type;

template <typename T> T &lvalue_of() noexcept;

/*
 * Read the designated member of a value-initialized object during constant evaluation: an
 * out-of-bounds constant index is then a hard error (reading one past the end is undefined).
 */
template <typename M> constexpr bool touch_member(const M &m) noexcept
{
	if constexpr (array_traits<M>::is_array) {
		return touch_member(m[0]);
	} else {
		M copy = m;
		(void)copy;
		return true;
	}
}

template <bool PathIsValid> struct path_checked {
	static_assert(PathIsValid);
};

template <typename M> using member_type_t = copy_const_t<M, remove_cvref_t<M>>;

} // namespace ioview::detail

/**
 * @brief Project @p view_expr (a view of a struct) to the member designated by @p path.
 *
 * @p path is a member designator as written after a dot: `field`, `outer.inner`,
 * `array[3]`, `array[1].field`. The result is a view of the same backend; const propagates.
 */
#define IOVIEW_PROJECT(view_expr, path)                                                           \
	((void)sizeof(::ioview::detail::path_checked<([]() consteval {                                \
		 ::ioview::detail::view_target_t<decltype(view_expr)> ioview_probe_{};                  \
		 return ::ioview::detail::touch_member(ioview_probe_.path);                           \
	 }())>),                                                                                   \
	 (view_expr).template project_member<                                                      \
		 ::ioview::detail::copy_const_t<                                                        \
			 ::ioview::detail::view_target_t<decltype(view_expr)>,                          \
			 ::ioview::detail::remove_cvref_t<decltype(::ioview::detail::lvalue_of<         \
				 ::ioview::detail::view_target_t<decltype(view_expr)>>().path)>>,       \
		 __builtin_offsetof(::ioview::detail::remove_cv_t<                                      \
					    ::ioview::detail::view_target_t<decltype(view_expr)>>,      \
				    path)>(::ioview::detail::member_projection_key{}))

#endif /* IOVIEW_PROJECT_H */
