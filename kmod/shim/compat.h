/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels the module supports (Debian's 6.1 and
 * 6.12) that the generic netlink family meets, in one place.  shim/netlink.c
 * includes this instead of <net/genetlink.h>; the generated kernel tables
 * (shim/ioview-nl.c) get it through the Kbuild file's -include, because they
 * cannot be edited.
 *
 *  - MODULE_ALIAS_GENL_FAMILY() is in <linux/genetlink.h> on 6.1, in
 *    <net/genetlink.h> on 6.12 (which has no <linux/genetlink.h>): found by
 *    whether the macro is defined.
 *  - A dump's parsed attributes: genl_dumpit_info(cb)->attrs on 6.1,
 *    genl_info_dump(cb)->attrs on 6.12 (a whole genl_info per dump, since
 *    6.6).
 *  - struct nla_policy's range pointer is const on 6.12, not on 6.1: there
 *    the generated NLA_POLICY_FULL_RANGE() entries hand it a pointer to
 *    const, which netlink only ever reads.
 *  - Multicast group flags (GENL_MCAST_CAP_NET_ADMIN) exist on 6.12 and in
 *    Debian's 6.1 (a backport); found by whether the macro is defined, and a
 *    kernel without them has no way to restrict who joins a group.
 *  - struct genl_info has userhdr on 6.1 and family on 6.12; nothing here
 *    uses either, nor genl_info_init_ntf() (6.12 only): events are built
 *    with genlmsg_put(), which both have.
 */
#ifndef IOVIEW_KMOD_SHIM_COMPAT_H
#define IOVIEW_KMOD_SHIM_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

#ifndef MODULE_ALIAS_GENL_FAMILY
#include <linux/genetlink.h>
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
/* Only the generated policy tables meet it, and netlink never writes through the pointer. */
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"
#endif

/**
 * ioview_nl_dump_attrs() - the attributes of a dump request, parsed and
 * validated against the operation's policy by the genetlink core
 * @cb: the dump's callback
 *
 * Return: the array, indexed by attribute type, as for a doit's info->attrs.
 */
static inline struct nlattr **ioview_nl_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The multicast group flags that make joining "events" need CAP_NET_ADMIN
 * (the genetlink core checks them on bind), where the kernel has them.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define IOVIEW_NL_MCGRP_ADMIN_FLAGS .flags = GENL_MCAST_CAP_NET_ADMIN,
#else
#define IOVIEW_NL_MCGRP_ADMIN_FLAGS
#endif

#endif /* IOVIEW_KMOD_SHIM_COMPAT_H */
