/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What shim/module.c and shim/netlink.c share, C to C (the C++ side sees
 * none of it; its part of the family is declared in shim.h).
 */
#ifndef IOVIEW_KMOD_SHIM_NETLINK_H
#define IOVIEW_KMOD_SHIM_NETLINK_H

/* Registers the generic netlink family "ioview" and opens its events (netlink.c). */
int ioview_nl_init(void);
/* Closes the events, waits for the one being sent, unregisters the family (netlink.c). */
void ioview_nl_exit(void);

/*
 * The lock that serialises self-test runs (module.c): the runner keeps its
 * records in static storage, which the family's selftest-run reads back
 * while holding it.  Returns 0 or -EINTR.
 */
int ioview_selftest_lock_interruptible(void);
void ioview_selftest_unlock(void);

#endif /* IOVIEW_KMOD_SHIM_NETLINK_H */
