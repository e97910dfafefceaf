// SPDX-License-Identifier: GPL-2.0
//
// ioview::kernel::counted_ref<T>: a counted reference to a driver's
// per-device state, the C++ end of the revocable-handle pattern the
// kernel's devres and the seed series' Devres<T> stand for.  Holding one
// keeps the state's memory (its lock, its events, the pinned pci_dev)
// alive; it does not keep the device bound.  After the function is
// unbound, every operation through the reference fails with -ENODEV and
// touches no hardware: remove() revokes the state (raises its gone flag,
// wakes its waiters, waits for the running operation), releases the
// hardware, then drops the driver's own reference.  The last reference to
// go frees the state.
//
//     counted_ref<edu::device> dev = edu::acquire(nullptr);   // the first bound edu
//     if (!dev)
//             return -ENODEV;
//     int err = edu::factorial(dev.get(), 5, edu::completion::interrupt, &v);
//     // -ENODEV if the function was unbound before or during the call
//
// T's namespace provides ref_get(T *) and ref_put(T *), found by argument
// dependent lookup: ref_get() while holding a reference (or under the lock
// that keeps T from being released), ref_put() frees T after the last.
#ifndef IOVIEW_KMOD_COUNTED_REF_H
#define IOVIEW_KMOD_COUNTED_REF_H

namespace ioview::kernel {

template <typename T> class counted_ref {
public:
	/// No reference.
	counted_ref() noexcept = default;

	/// Takes over a reference the caller already holds (no count taken).
	static counted_ref adopt(T *p) noexcept { return counted_ref(p); }

	counted_ref(const counted_ref &o) noexcept : p_(o.p_)
	{
		if (p_)
			ref_get(p_);
	}
	counted_ref(counted_ref &&o) noexcept : p_(o.p_) { o.p_ = nullptr; }
	counted_ref &operator=(counted_ref o) noexcept
	{
		T *old = p_;
		p_ = o.p_;
		o.p_ = old;
		return *this;
	}
	~counted_ref() { reset(); }

	/// Drops the reference now (the state may be freed here).
	void reset() noexcept
	{
		if (T *p = p_) {
			p_ = nullptr;
			ref_put(p);
		}
	}

	/// The state, valid while this reference is held; nullptr if none.
	T *get() const noexcept { return p_; }
	explicit operator bool() const noexcept { return p_ != nullptr; }

private:
	explicit counted_ref(T *p) noexcept : p_(p) {}

	T *p_ = nullptr;
};

} // namespace ioview::kernel

#endif // IOVIEW_KMOD_COUNTED_REF_H
