// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::owned_result<T>: a move-only T or a negative errno, for
// factories of owners (mappings, allocations) that cannot throw.
// ioview::result<T> holds trivially copyable values only; an owner has a
// destructor and must not be copied, so it needs its own carrier.
//
//     owned_result<bar_mapping<regs>> m = bar_mapping<regs>::map(pdev, 0);
//     if (!m)
//             return m.error();               // e.g. -EBUSY
//     bar_mapping<regs> bar = m.take();       // m is left empty
#ifndef IOVIEW_KMOD_OWNED_RESULT_H
#define IOVIEW_KMOD_OWNED_RESULT_H

#include <ioview/support.h>

namespace ioview::kernel {

/**
 * A T or an error.  T must have a cheap empty state (its default
 * constructor) and a noexcept move that leaves the source empty; the error
 * case holds an empty T, so destroying it releases nothing.
 *
 *     owned_result<bar_mapping<regs>> f(pci_dev *pdev) { return bar_mapping<regs>::map(pdev, 0); }
 */
template <typename T> class [[nodiscard]] owned_result {
public:
	owned_result(T &&value) noexcept : value_(static_cast<T &&>(value)), err_(0) {}
	owned_result(failure f) noexcept : value_(), err_(f.code) {}
	owned_result(owned_result &&) noexcept = default;
	owned_result(const owned_result &) = delete;
	owned_result &operator=(const owned_result &) = delete;

	/// True when a value is present.
	bool ok() const noexcept { return err_ == 0; }
	explicit operator bool() const noexcept { return ok(); }
	/// 0 when a value is present, else the negative errno.
	int error() const noexcept { return err_; }
	/// The value, in place; precondition ok().
	T &value() noexcept { return value_; }
	/// Moves the value out (this keeps an empty T); precondition ok().
	T take() noexcept { return static_cast<T &&>(value_); }

private:
	T value_;
	int err_;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_OWNED_RESULT_H
