// SPDX-License-Identifier: GPL-2.0
//
// The errno values the mailbox returns beyond those of <ioview/support.h>
// (einval, erange...), equal to the kernel's include/uapi/asm-generic/errno.h
// and errno-base.h, which C++ cannot include.  Lower case, because
// userspace <errno.h> defines the upper-case names as macros; negate them
// as the kernel does:
//
//     if (used == slot_count)
//             return ioview::fail(ioview::driver::mailbox::eagain);   // -EAGAIN
#ifndef IOVIEW_KMOD_DRIVER_MAILBOX_ERRNO_H
#define IOVIEW_KMOD_DRIVER_MAILBOX_ERRNO_H

namespace ioview::driver::mailbox {

inline constexpr int eagain = 11;		///< ring full (send) or empty (receive), mailbox not initialised yet (attach)
inline constexpr int eproto = 71;		///< the peer's index or the header is inconsistent: not this protocol
inline constexpr int ebadmsg = 74;		///< a published slot holds a bad length or sequence; it was skipped
inline constexpr int emsgsize = 90;		///< the message is longer than max_payload
inline constexpr int eprotonosupport = 93;	///< the header names another protocol version
inline constexpr int enobufs = 105;		///< the caller's buffer is shorter than the message; nothing consumed
inline constexpr int enotconn = 107;		///< the peer is not attached (absent, closed, or garbage state)
inline constexpr int econnreset = 104;		///< the peer re-initialised the mailbox over us: resync() first

} // namespace ioview::driver::mailbox

#endif // IOVIEW_KMOD_DRIVER_MAILBOX_ERRNO_H
