// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ioview", as include/uapi/ioview.yaml specifies
 * it: the family itself, the handlers of its operations and the "events"
 * multicast group.
 *
 * The policies and the op table are generated from the spec (ioview-nl.c,
 * ioview-nl.h, never edited by hand), and every operation is strictly
 * validated against its own policy: resv_start_op is 0, so the genetlink core
 * also refuses a non-zero reserved header byte, unknown netlink flags and
 * attributes the policy does not list.  Ranges are the policy's; what is
 * left to a handler is what depends on the device (an offset against the
 * configuration space's size, a width against the register map), which the
 * C++ side checks through its views (ioview_driver_ctl_*() in shim.h) and
 * reports as a fault, named here in the extended ACK with the attribute it
 * is about.
 *
 * Permissions.  The spec's admin-perm flag is GENL_ADMIN_PERM (CAP_NET_ADMIN,
 * checked by the core before anything is parsed).  On top of it:
 *  - config-read gives a caller without CAP_SYS_ADMIN only the first 64
 *    bytes, the sysfs config file's rule;
 *  - config-write and reg-write need CAP_SYS_ADMIN and are refused while the
 *    kernel is locked down (LOCKDOWN_PCI_ACCESS), as the sysfs config and
 *    resource files are: edu's DMA registers reach any memory below 256 MiB,
 *    so a raw register write is as strong as /dev/mem;
 *  - reg-read of a register that clears on read needs CAP_NET_ADMIN, since
 *    that read changes the device;
 *  - joining "events" needs CAP_NET_ADMIN where the kernel has multicast
 *    group flags (compat.h): events tell when the host sends a message.
 *
 * Concurrency.  parallel_ops: the core takes no lock of its own around a
 * handler, so a 100 ms DMA on one function stalls neither another function,
 * nor another family, nor a dump.  What needs serialising is the C++ side's:
 * each function's own lock (edu's operation mutex, the mailbox's, the device
 * lock for ivshmem's registers), the driver's list lock for lookups and the
 * self-test lock for a run.
 *
 * Events.  ioview_shim_event() may be called from the interrupt handler, so
 * it only records: an entry in a small ring under a spinlock, with its
 * sequence number, and a work item that sends the ring's entries from
 * process context.  Nothing is recorded while the group has no listeners.
 * A full ring drops the event but not its number, so a listener still sees
 * the gap.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/pci.h>
#include <linux/security.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "compat.h"
#include "ioview-nl.h"
#include "netlink.h"
#include "shim.h"

/* shim.h's plain C values are the UAPI's. */
static_assert(IOVIEW_CTL_NAME_LEN == IOVIEW_DEV_NAME_LEN);
static_assert(IOVIEW_CTL_REG_NAME_LEN == IOVIEW_REG_NAME_LEN);
static_assert(IOVIEW_CTL_MBOX_MAX == IOVIEW_MBOX_MAX_BYTES);
static_assert((int)IOVIEW_DEVICE_EDU == IOVIEW_DEV_KIND_EDU);
static_assert((int)IOVIEW_DEVICE_IVSHMEM == IOVIEW_DEV_KIND_IVSHMEM);
static_assert((int)IOVIEW_CTL_IRQ_NONE == IOVIEW_IRQ_KIND_NONE);
static_assert((int)IOVIEW_CTL_IRQ_MSI == IOVIEW_IRQ_KIND_MSI);
static_assert((int)IOVIEW_CTL_IRQ_INTX == IOVIEW_IRQ_KIND_INTX);
static_assert((int)IOVIEW_CTL_ACCESS_RW == IOVIEW_ACCESS_RW);
static_assert((int)IOVIEW_CTL_ACCESS_RO == IOVIEW_ACCESS_RO);
static_assert((int)IOVIEW_CTL_ACCESS_WO == IOVIEW_ACCESS_WO);
static_assert((int)IOVIEW_CTL_ACCESS_W1C == IOVIEW_ACCESS_W1C);
static_assert((int)IOVIEW_CTL_ACCESS_W1S == IOVIEW_ACCESS_W1S);
static_assert((int)IOVIEW_CTL_ACCESS_RC == IOVIEW_ACCESS_RC);
static_assert((int)IOVIEW_CTL_ACCESS_RSVD_ZERO == IOVIEW_ACCESS_RSVD_ZERO);
static_assert((int)IOVIEW_CTL_ACCESS_RSVD_KEEP == IOVIEW_ACCESS_RSVD_KEEP);
static_assert((int)IOVIEW_CTL_PASS == IOVIEW_VERDICT_PASS);
static_assert((int)IOVIEW_CTL_FAIL == IOVIEW_VERDICT_FAIL);
static_assert((int)IOVIEW_CTL_SKIP == IOVIEW_VERDICT_SKIP);
static_assert((int)IOVIEW_SHIM_EVENT_INTERRUPT == IOVIEW_EVENT_KIND_INTERRUPT);
static_assert((int)IOVIEW_SHIM_EVENT_FACTORIAL_DONE == IOVIEW_EVENT_KIND_FACTORIAL_DONE);
static_assert((int)IOVIEW_SHIM_EVENT_DMA_DONE == IOVIEW_EVENT_KIND_DMA_DONE);
static_assert((int)IOVIEW_SHIM_EVENT_MBOX_MESSAGE == IOVIEW_EVENT_KIND_MBOX_MESSAGE);
static_assert((int)IOVIEW_SHIM_EVENT_DEV_ADD == IOVIEW_EVENT_KIND_DEV_ADD);
static_assert((int)IOVIEW_SHIM_EVENT_DEV_REMOVE == IOVIEW_EVENT_KIND_DEV_REMOVE);
/* The edu-dma op numbers ioview_driver_ctl_edu_dma() takes. */
static_assert(IOVIEW_DMA_OP_WRITE == 0);
static_assert(IOVIEW_DMA_OP_READ == 1);
static_assert(IOVIEW_DMA_OP_ROUND_TRIP == 2);

static const struct genl_multicast_group ioview_nl_groups[] = {
	[IOVIEW_NLGRP_EVENTS] = { .name = IOVIEW_MCGRP_EVENTS, IOVIEW_NL_MCGRP_ADMIN_FLAGS },
};

/*
 * netnsok is left false: the functions are the host's, not a network
 * namespace's, so the family exists in the initial namespace only.
 */
static struct genl_family ioview_nl_family __ro_after_init = {
	.name = IOVIEW_GENL_NAME,
	.version = IOVIEW_GENL_VERSION,
	.parallel_ops = true,
	.resv_start_op = 0,
	.module = THIS_MODULE,
	.ops = ioview_nl_ops,
	.n_ops = ARRAY_SIZE(ioview_nl_ops),
	.mcgrps = ioview_nl_groups,
	.n_mcgrps = ARRAY_SIZE(ioview_nl_groups),
};

/* Resolving the family (genl_ctrl_resolve(), "ynl --family ioview") can load the module. */
MODULE_ALIAS_GENL_FAMILY(IOVIEW_GENL_NAME);

/* ---- requests --------------------------------------------------------------------------- */

/*
 * The parsed request of one operation: its attributes are an array of
 * @maxattr + 1 (the op's policy's), so every lookup is bounded by it.
 */
struct ioview_nl_req {
	struct nlattr **attrs;
	int maxattr;
	struct netlink_ext_ack *extack;
};

static struct nlattr *ioview_nl_attr(const struct ioview_nl_req *rq, int type)
{
	return type > 0 && type <= rq->maxattr ? rq->attrs[type] : NULL;
}

static const char *ioview_nl_str(const struct ioview_nl_req *rq, int type)
{
	struct nlattr *a = ioview_nl_attr(rq, type);

	/* NLA_NUL_STRING in every policy: the core checked the terminator. */
	return a ? nla_data(a) : NULL;
}

static int ioview_nl_attr_of(enum ioview_ctl_arg arg)
{
	switch (arg) {
	case IOVIEW_CTL_ARG_NONE:
		return 0;
	case IOVIEW_CTL_ARG_DEV:
		return IOVIEW_A_DEV_NAME;
	case IOVIEW_CTL_ARG_OFFSET:
		return IOVIEW_A_OFFSET;
	case IOVIEW_CTL_ARG_WIDTH:
		return IOVIEW_A_WIDTH;
	case IOVIEW_CTL_ARG_LENGTH:
		return IOVIEW_A_LENGTH;
	case IOVIEW_CTL_ARG_VALUE:
		return IOVIEW_A_VALUE;
	case IOVIEW_CTL_ARG_DATA:
		return IOVIEW_A_DATA;
	case IOVIEW_CTL_ARG_REGISTER:
		return IOVIEW_A_REGISTER;
	case IOVIEW_CTL_ARG_TIMEOUT:
		return IOVIEW_A_TIMEOUT_MS;
	case IOVIEW_CTL_ARG_SUITE:
		return IOVIEW_A_SUITE;
	}
	return 0;
}

/**
 * ioview_nl_refuse() - report a failed control call in the extended ACK
 * @rq: the request
 * @err: the call's negative errno, returned
 * @st: what the call said about the failure
 *
 * One message per fault, naming the request attribute the fault is about
 * (none for the device's own state).
 *
 * Return: @err.
 */
static int ioview_nl_refuse(const struct ioview_nl_req *rq, int err,
			    const struct ioview_ctl_status *st)
{
	const struct nlattr *attr = ioview_nl_attr(rq, ioview_nl_attr_of(st->arg));
	struct netlink_ext_ack *extack = rq->extack;

	switch (st->fault) {
	case IOVIEW_CTL_OK:
	case IOVIEW_CTL_FAILED:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the device or the kernel refused the operation");
		break;
	case IOVIEW_CTL_NO_DEVICE:
		NL_SET_ERR_MSG_ATTR(extack, attr, "no function of that name is bound to ioview");
		break;
	case IOVIEW_CTL_NOT_EDU:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the operation needs an edu function");
		break;
	case IOVIEW_CTL_NOT_IVSHMEM:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the operation needs an ivshmem function");
		break;
	case IOVIEW_CTL_INTERRUPTED:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "interrupted by a signal while waiting for the device");
		break;
	case IOVIEW_CTL_CONFIG_OFFSET:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "offset is past the end of the configuration space");
		break;
	case IOVIEW_CTL_CONFIG_LENGTH:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "offset + length is past the end of the configuration space");
		break;
	case IOVIEW_CTL_CONFIG_PRIVILEGED:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "configuration space past 64 bytes needs CAP_SYS_ADMIN");
		break;
	case IOVIEW_CTL_CONFIG_WIDTH:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a configuration space access is 1, 2 or 4 bytes wide");
		break;
	case IOVIEW_CTL_CONFIG_ACCESS:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the configuration space access failed");
		break;
	case IOVIEW_CTL_MISALIGNED:
		NL_SET_ERR_MSG_ATTR(extack, attr, "offset is not aligned to the access width");
		break;
	case IOVIEW_CTL_VALUE_TOO_WIDE:
		NL_SET_ERR_MSG_ATTR(extack, attr, "value does not fit the access width");
		break;
	case IOVIEW_CTL_REG_UNKNOWN:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the device has no register of that name");
		break;
	case IOVIEW_CTL_REG_OFFSET:
		NL_SET_ERR_MSG_ATTR(extack, attr, "offset is past the end of the register BAR");
		break;
	case IOVIEW_CTL_REG_NONE_AT:
		NL_SET_ERR_MSG_ATTR(extack, attr, "no register starts at that offset");
		break;
	case IOVIEW_CTL_REG_WIDTH:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "width (4 unless given) is not the register's width");
		break;
	case IOVIEW_CTL_REG_READ_CLEARS:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "reading this register clears it, which needs CAP_NET_ADMIN");
		break;
	case IOVIEW_CTL_REG_WRITE_ONLY:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the register is write-only: a read means nothing");
		break;
	case IOVIEW_CTL_REG_READ_ONLY:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the register is read-only: a write does nothing");
		break;
	case IOVIEW_CTL_BAR_BUSY:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the register BAR is in use (a self-test holds it)");
		break;
	case IOVIEW_CTL_BAR_MAP:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the register BAR cannot be mapped");
		break;
	case IOVIEW_CTL_FACTORIAL_ARG:
		NL_SET_ERR_MSG_ATTR(extack, attr, "edu's factorial operand is 32 bits");
		break;
	case IOVIEW_CTL_BUSY:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the unit is still busy with an earlier request");
		break;
	case IOVIEW_CTL_TIMEOUT:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the device did not finish in time");
		break;
	case IOVIEW_CTL_DEVICE_DEAD:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "edu was shut off after a transfer that would not end");
		break;
	case IOVIEW_CTL_DMA_LENGTH:
		NL_SET_ERR_MSG_ATTR(extack, attr, "an edu transfer is 1 to 4095 bytes");
		break;
	case IOVIEW_CTL_DMA_WINDOW:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the transfer leaves the first 4095 bytes of edu's buffer");
		break;
	case IOVIEW_CTL_IRQ_BITS:
		NL_SET_ERR_MSG_ATTR(extack, attr, "value must hold 1 to 32 interrupt status bits");
		break;
	case IOVIEW_CTL_MBOX_SIZE:
		NL_SET_ERR_MSG_ATTR(extack, attr, "a mailbox message is at most 248 bytes");
		break;
	case IOVIEW_CTL_MBOX_NOT_CONNECTED:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the host peer is not attached to the mailbox");
		break;
	case IOVIEW_CTL_MBOX_FULL:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the mailbox ring to the host is full");
		break;
	case IOVIEW_CTL_MBOX_EMPTY:
		NL_SET_ERR_MSG_ATTR(extack, attr, "no message from the host");
		break;
	case IOVIEW_CTL_MBOX_PROTOCOL:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the host's mailbox data is inconsistent");
		break;
	case IOVIEW_CTL_MBOX_BUSY:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the mailbox's part of BAR2 is in use (a self-test holds it)");
		break;
	case IOVIEW_CTL_MBOX_NOT_OPEN:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the mailbox is not open");
		break;
	case IOVIEW_CTL_MBOX_CLOSED:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the mailbox was closed during the request");
		break;
	case IOVIEW_CTL_SUITE_UNKNOWN:
		NL_SET_ERR_MSG_ATTR(extack, attr, "no self-test suite of that name");
		break;
	}
	return err;
}

/*
 * A missing required attribute: the core's missing-attribute report
 * (NLMSGERR_ATTR_MISS_TYPE) plus a message.  Evaluates to true if missing.
 */
#define ioview_nl_missing(info, type, msg)					\
	({									\
		struct genl_info *__ioview_info = (info);			\
		bool __missing = GENL_REQ_ATTR_CHECK(__ioview_info, type);	\
		if (__missing)							\
			NL_SET_ERR_MSG(__ioview_info->extack, msg);		\
		__missing;							\
	})

/* A doit's request: its attributes, bounded by @max, and its extended ACK. */
static struct ioview_nl_req ioview_nl_req_of(struct genl_info *info, int max)
{
	return (struct ioview_nl_req){
		.attrs = info->attrs, .maxattr = max, .extack = info->extack,
	};
}

/*
 * Writes of configuration space and registers: CAP_SYS_ADMIN on top of the
 * family's CAP_NET_ADMIN, and no lockdown, as for the sysfs files.
 */
static int ioview_nl_may_write_hardware(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (!netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "writing configuration space or registers needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	err = security_locked_down(LOCKDOWN_PCI_ACCESS);
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "the kernel is locked down: no raw PCI access from userspace");
		return err;
	}
	return 0;
}

/* ---- replies ---------------------------------------------------------------------------- */

/* A reply to @info of @payload bytes of attributes; NULL on no memory. */
static struct sk_buff *ioview_nl_reply_new(struct genl_info *info, size_t payload, u8 cmd,
					   void **hdr)
{
	struct sk_buff *msg = genlmsg_new(payload, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ioview_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int ioview_nl_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info)
{
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* A reply that did not fit what was allocated for it: a sizing bug, never the caller's. */
static int ioview_nl_reply_overflow(struct sk_buff *msg, struct genl_info *info)
{
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "the reply does not fit its message");
	return -EMSGSIZE;
}

static size_t ioview_nl_name_size(void)
{
	return nla_total_size(IOVIEW_DEV_NAME_LEN);
}

static size_t ioview_nl_str_size(const char *s)
{
	return nla_total_size(strlen(s) + 1);
}

/* ---- dev-get ---------------------------------------------------------------------------- */

static int ioview_nl_put_dev(struct sk_buff *msg, const struct ioview_ctl_dev *d)
{
	int i;

	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, d->name) ||
	    nla_put_u32(msg, IOVIEW_A_DEV_KIND, d->kind) ||
	    nla_put_u16(msg, IOVIEW_A_VENDOR, d->ids.vendor) ||
	    nla_put_u16(msg, IOVIEW_A_DEVICE, d->ids.device) ||
	    nla_put_u8(msg, IOVIEW_A_REVISION, d->ids.revision) ||
	    nla_put_u32(msg, IOVIEW_A_CLASS, d->ids.class_code) ||
	    nla_put_u32(msg, IOVIEW_A_IRQ_KIND, d->irq_kind))
		return -EMSGSIZE;
	if (d->irq_kind != IOVIEW_CTL_IRQ_NONE && d->irq >= 0 &&
	    nla_put_u32(msg, IOVIEW_A_IRQ, d->irq))
		return -EMSGSIZE;
	for (i = 0; i < IOVIEW_CTL_BARS; i++) {
		struct nlattr *bar;

		if (!d->bar_len[i])
			continue;
		bar = nla_nest_start(msg, IOVIEW_A_BAR);
		if (!bar || nla_put_u8(msg, IOVIEW_A_BAR_INDEX, i) ||
		    nla_put_u64_64bit(msg, IOVIEW_A_BAR_SIZE, d->bar_len[i], IOVIEW_A_BAR_PAD) ||
		    (d->bar_mem[i] && nla_put_flag(msg, IOVIEW_A_BAR_MEM)))
			return -EMSGSIZE;
		nla_nest_end(msg, bar);
	}
	return 0;
}

static size_t ioview_nl_dev_size(void)
{
	size_t bar = nla_total_size(0) + nla_total_size(1) + nla_total_size_64bit(8) +
		     nla_total_size(0);

	return ioview_nl_name_size() + 5 * nla_total_size(4) + 2 * nla_total_size(2) +
	       nla_total_size(1) + IOVIEW_CTL_BARS * bar;
}

/**
 * ioview_nl_dev_get_doit() - IOVIEW_CMD_DEV_GET: one bound function
 * @skb: the request
 * @info: its parsed attributes: dev-name (required)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the reply sent; -EINVAL (no dev-name), -ENODEV, -ENOMEM.
 */
int ioview_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_DEV_NAME);
	struct ioview_ctl_status st = {};
	struct ioview_ctl_dev dev;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	err = ioview_driver_ctl_dev_get(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME), &dev, &st);
	if (err)
		return ioview_nl_refuse(&rq, err, &st);
	msg = ioview_nl_reply_new(info, ioview_nl_dev_size(), IOVIEW_CMD_DEV_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (ioview_nl_put_dev(msg, &dev))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

/*
 * A dump lists everything: a dump request naming one device is refused
 * rather than silently answered with all of them.
 */
static int ioview_nl_dump_refuse_name(struct netlink_callback *cb)
{
	struct nlattr **attrs = ioview_nl_dump_attrs(cb);

	if (attrs && attrs[IOVIEW_A_DEV_NAME]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[IOVIEW_A_DEV_NAME],
				    "a dump lists every function: name one in a do request");
		return -EINVAL;
	}
	return 0;
}

/*
 * One dump message at index cb->args[0] onwards: @fetch fills what @put
 * writes, -ENOENT past the last.  cb->seq follows the list's generation, so
 * a dump that spans a bind or unbind is flagged NLM_F_DUMP_INTR.
 */
static int ioview_nl_dump(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
			  int (*fetch)(unsigned long index, unsigned int *generation, void *out,
				       struct ioview_ctl_status *st),
			  int (*put)(struct sk_buff *msg, const void *item), void *item)
{
	unsigned long index = cb->args[0];
	struct ioview_ctl_status st = {};
	int added = 0, err = ioview_nl_dump_refuse_name(cb);

	if (err)
		return err;
	for (;; index++) {
		unsigned int generation = 0;
		void *hdr;

		err = fetch(index, &generation, item, &st);
		if (err == -ENOENT)
			break;
		if (err) {
			struct ioview_nl_req rq = { .attrs = NULL, .maxattr = 0,
						   .extack = cb->extack };

			/*
			 * What was added so far goes out; the next call meets
			 * the error first and ends the dump with it.
			 */
			if (added)
				break;
			return ioview_nl_refuse(&rq, err, &st);
		}
		cb->seq = generation;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &ioview_nl_family, NLM_F_MULTI, cmd);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put(skb, item)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		added++;
	}
	cb->args[0] = index;
	/* Nothing fitted into an empty message: it never will. */
	if (!added && err != -ENOENT && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

static int ioview_nl_fetch_dev(unsigned long index, unsigned int *generation, void *out,
			       struct ioview_ctl_status *st)
{
	return ioview_driver_ctl_dev_at(index, generation, out);
}

static int ioview_nl_put_dev_item(struct sk_buff *msg, const void *item)
{
	return ioview_nl_put_dev(msg, item);
}

/**
 * ioview_nl_dev_get_dumpit() - IOVIEW_CMD_DEV_GET dump: every bound function, oldest first
 * @skb: the message to fill
 * @cb: the dump's state; args[0] is the next function's index
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops), once per reply skb of the dump; may sleep.
 *
 * Return: the bytes added, 0 at the end, or -EINVAL for a request naming a device.
 */
int ioview_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ioview_ctl_dev dev;

	return ioview_nl_dump(skb, cb, IOVIEW_CMD_DEV_GET, ioview_nl_fetch_dev,
			      ioview_nl_put_dev_item, &dev);
}

/* ---- configuration space ------------------------------------------------------------------ */

/**
 * ioview_nl_config_read_doit() - IOVIEW_CMD_CONFIG_READ
 * @skb: the request; its sender's CAP_SYS_ADMIN decides how much is returned
 * @info: dev-name (required), offset (default 0), length (default: to the end)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the bytes sent (only those below 64 without CAP_SYS_ADMIN);
 * -ENODEV; -ERANGE (offset or length past the end); -EPERM (nothing below
 * 64 left for an unprivileged caller); -ENOMEM; an accessor's errno.
 */
int ioview_nl_config_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_LENGTH);
	struct ioview_ctl_status st = {};
	unsigned int offset, length, count;
	const char *name;
	struct sk_buff *msg;
	struct nlattr *data;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	offset = info->attrs[IOVIEW_A_OFFSET] ? nla_get_u32(info->attrs[IOVIEW_A_OFFSET]) : 0;
	length = info->attrs[IOVIEW_A_LENGTH] ? nla_get_u32(info->attrs[IOVIEW_A_LENGTH]) : 0;
	err = ioview_driver_ctl_config_span(name, offset, length,
					    netlink_capable(skb, CAP_SYS_ADMIN), &count, &st);
	if (err)
		return ioview_nl_refuse(&rq, err, &st);
	msg = ioview_nl_reply_new(info,
				  ioview_nl_name_size() + nla_total_size(4) + nla_total_size(count),
				  IOVIEW_CMD_CONFIG_READ, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name) ||
	    nla_put_u32(msg, IOVIEW_A_OFFSET, offset))
		return ioview_nl_reply_overflow(msg, info);
	data = nla_reserve(msg, IOVIEW_A_DATA, count);
	if (!data)
		return ioview_nl_reply_overflow(msg, info);
	err = ioview_driver_ctl_config_read(name, offset, count, nla_data(data), &st);
	if (err) {
		nlmsg_free(msg);
		return ioview_nl_refuse(&rq, err, &st);
	}
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_config_write_doit() - IOVIEW_CMD_CONFIG_WRITE (CAP_NET_ADMIN and CAP_SYS_ADMIN)
 * @skb: the request
 * @info: dev-name, offset, width (1, 2 or 4), value: all required
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 once written; -EPERM (no CAP_SYS_ADMIN, or lockdown); -EINVAL
 * (missing attribute, width, misaligned); -ERANGE (offset, value too wide);
 * -ENODEV; an accessor's errno.  Nothing is written on an error.
 */
int ioview_nl_config_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_VALUE);
	struct ioview_ctl_status st = {};
	int err = ioview_nl_may_write_hardware(skb, info);

	if (err)
		return err;
	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_OFFSET, "offset is required") ||
	    ioview_nl_missing(info, IOVIEW_A_WIDTH, "width is required") ||
	    ioview_nl_missing(info, IOVIEW_A_VALUE, "value is required"))
		return -EINVAL;
	err = ioview_driver_ctl_config_write(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME),
					     nla_get_u32(info->attrs[IOVIEW_A_OFFSET]),
					     nla_get_u8(info->attrs[IOVIEW_A_WIDTH]),
					     nla_get_u64(info->attrs[IOVIEW_A_VALUE]), &st);
	return err ? ioview_nl_refuse(&rq, err, &st) : 0;
}

/* ---- registers -------------------------------------------------------------------------- */

static size_t ioview_nl_reg_size(const struct ioview_ctl_reg *r)
{
	size_t size = nla_total_size(0) + ioview_nl_str_size(r->name) + nla_total_size(4) +
		      nla_total_size(1) + nla_total_size(4);
	unsigned int i;

	for (i = 0; i < r->field_count; i++)
		size += nla_total_size(0) + ioview_nl_str_size(r->fields[i].name) +
			2 * nla_total_size(1) + nla_total_size(4);
	return size;
}

static int ioview_nl_put_reg(struct sk_buff *msg, const struct ioview_ctl_reg *r)
{
	struct nlattr *reg = nla_nest_start(msg, IOVIEW_A_REG);
	unsigned int i;

	if (!reg || nla_put_string(msg, IOVIEW_A_REG_NAME, r->name) ||
	    nla_put_u32(msg, IOVIEW_A_REG_OFFSET, r->offset) ||
	    nla_put_u8(msg, IOVIEW_A_REG_WIDTH, r->width) ||
	    nla_put_u32(msg, IOVIEW_A_REG_ACCESS, r->access))
		return -EMSGSIZE;
	for (i = 0; i < r->field_count; i++) {
		const struct ioview_ctl_field *f = &r->fields[i];
		struct nlattr *field = nla_nest_start(msg, IOVIEW_A_REG_FIELD);

		if (!field || nla_put_string(msg, IOVIEW_A_FIELD_NAME, f->name) ||
		    nla_put_u8(msg, IOVIEW_A_FIELD_HI, f->hi) ||
		    nla_put_u8(msg, IOVIEW_A_FIELD_LO, f->lo) ||
		    nla_put_u32(msg, IOVIEW_A_FIELD_ACCESS, f->access))
			return -EMSGSIZE;
		nla_nest_end(msg, field);
	}
	nla_nest_end(msg, reg);
	return 0;
}

/**
 * ioview_nl_reg_get_doit() - IOVIEW_CMD_REG_GET: the device's register map
 * @skb: the request
 * @info: dev-name (required), register (default: every register)
 *
 * Every fact comes from the register map the driver itself uses
 * (devices/edu.h, devices/ivshmem.h), through ioview_driver_ctl_reg_map().
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the description sent; -EINVAL, -ENODEV, -ENOENT (no
 * register of that name), -ENOMEM.
 */
int ioview_nl_reg_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_REGISTER);
	struct ioview_ctl_status st = {};
	const struct ioview_ctl_reg *regs;
	const char *name, *only;
	unsigned int count, i, found = 0;
	size_t size;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	only = ioview_nl_str(&rq, IOVIEW_A_REGISTER);
	err = ioview_driver_ctl_reg_map(name, &regs, &count, &st);
	if (err)
		return ioview_nl_refuse(&rq, err, &st);
	size = ioview_nl_name_size();
	for (i = 0; i < count; i++) {
		if (only && strcmp(only, regs[i].name))
			continue;
		size += ioview_nl_reg_size(&regs[i]);
		found++;
	}
	if (only && !found) {
		st = (struct ioview_ctl_status){ IOVIEW_CTL_REG_UNKNOWN, IOVIEW_CTL_ARG_REGISTER };
		return ioview_nl_refuse(&rq, -ENOENT, &st);
	}
	msg = ioview_nl_reply_new(info, size, IOVIEW_CMD_REG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name))
		return ioview_nl_reply_overflow(msg, info);
	for (i = 0; i < count; i++) {
		if (only && strcmp(only, regs[i].name))
			continue;
		if (ioview_nl_put_reg(msg, &regs[i]))
			return ioview_nl_reply_overflow(msg, info);
	}
	return ioview_nl_reply_send(msg, hdr, info);
}

/*
 * The register a reg-read or reg-write names: register, or offset (and
 * width), never both.
 */
static int ioview_nl_reg_request(struct genl_info *info, struct ioview_ctl_reg_request *req)
{
	struct nlattr *reg = info->attrs[IOVIEW_A_REGISTER];
	struct nlattr *offset = info->attrs[IOVIEW_A_OFFSET];

	if (reg && offset) {
		NL_SET_ERR_MSG_ATTR(info->extack, offset,
				    "name the register by register or by offset, not both");
		return -EINVAL;
	}
	if (!reg && !offset) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, IOVIEW_A_REGISTER);
		NL_SET_ERR_MSG(info->extack, "register or offset is required");
		return -EINVAL;
	}
	req->reg = reg ? nla_data(reg) : NULL;
	req->offset = offset ? nla_get_u32(offset) : 0;
	req->width = info->attrs[IOVIEW_A_WIDTH] ? nla_get_u8(info->attrs[IOVIEW_A_WIDTH]) : 0;
	return 0;
}

/**
 * ioview_nl_reg_read_doit() - IOVIEW_CMD_REG_READ: one register, through the device's view
 * @skb: the request; its sender's CAP_NET_ADMIN allows a read that clears
 * @info: dev-name (required); register, or offset and width (default 4)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the register and its value sent; -EINVAL (both or neither
 * of register and offset, a width that is not the register's, misaligned);
 * -ERANGE (past the BAR); -ENOENT (no such register); -EPERM (it clears on
 * read, no CAP_NET_ADMIN); -EOPNOTSUPP (write-only); -ENODEV; -EINTR;
 * -EBUSY (the BAR is held by a self-test); -ENOMEM.  Nothing is read on an
 * error.
 */
int ioview_nl_reg_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_REGISTER);
	struct ioview_ctl_reg_request req = {};
	struct ioview_ctl_status st = {};
	const struct ioview_ctl_reg *reg;
	unsigned long long value;
	const char *name;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	err = ioview_nl_reg_request(info, &req);
	if (err)
		return err;
	req.may_clear = netlink_capable(skb, CAP_NET_ADMIN);
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	/* Allocated first: a read that clears must not be lost to a failed allocation. */
	msg = ioview_nl_reply_new(info,
				  ioview_nl_name_size() + nla_total_size(IOVIEW_REG_NAME_LEN) +
				  nla_total_size(4) + nla_total_size(1) + nla_total_size_64bit(8),
				  IOVIEW_CMD_REG_READ, &hdr);
	if (!msg)
		return -ENOMEM;
	err = ioview_driver_ctl_reg_read(name, &req, &reg, &value, &st);
	if (err) {
		nlmsg_free(msg);
		return ioview_nl_refuse(&rq, err, &st);
	}
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name) ||
	    nla_put_string(msg, IOVIEW_A_REGISTER, reg->name) ||
	    nla_put_u32(msg, IOVIEW_A_OFFSET, reg->offset) ||
	    nla_put_u8(msg, IOVIEW_A_WIDTH, reg->width) ||
	    nla_put_u64_64bit(msg, IOVIEW_A_VALUE, value, IOVIEW_A_PAD))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_reg_write_doit() - IOVIEW_CMD_REG_WRITE (CAP_NET_ADMIN and CAP_SYS_ADMIN)
 * @skb: the request
 * @info: dev-name and value (required); register, or offset and width (default 4)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 once written; -EPERM (no CAP_SYS_ADMIN, lockdown); -EINVAL,
 * -ERANGE (also: value too wide), -ENOENT, -EOPNOTSUPP (read-only), -ENODEV,
 * -EINTR, -EBUSY as for reg-read.  Nothing is written on an error.
 */
int ioview_nl_reg_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_REGISTER);
	struct ioview_ctl_reg_request req = {};
	struct ioview_ctl_status st = {};
	const struct ioview_ctl_reg *reg;
	int err = ioview_nl_may_write_hardware(skb, info);

	if (err)
		return err;
	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_VALUE, "value is required"))
		return -EINVAL;
	err = ioview_nl_reg_request(info, &req);
	if (err)
		return err;
	err = ioview_driver_ctl_reg_write(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME), &req,
					  nla_get_u64(info->attrs[IOVIEW_A_VALUE]), &reg, &st);
	return err ? ioview_nl_refuse(&rq, err, &st) : 0;
}

/* ---- edu -------------------------------------------------------------------------------- */

/**
 * ioview_nl_edu_factorial_doit() - IOVIEW_CMD_EDU_FACTORIAL (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name, value (required); completion (default poll)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with value! mod 2^32 sent; -EINVAL, -ERANGE (value over 32
 * bits), -ENODEV, -EOPNOTSUPP (not edu), -EBUSY, -ETIMEDOUT, -EINTR, -EIO.
 */
int ioview_nl_edu_factorial_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_COMPLETION);
	struct ioview_ctl_status st = {};
	struct nlattr *completion = info->attrs[IOVIEW_A_COMPLETION];
	const char *name;
	unsigned int result;
	bool by_interrupt;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_VALUE, "value is required"))
		return -EINVAL;
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	msg = ioview_nl_reply_new(info, ioview_nl_name_size() + nla_total_size_64bit(8),
				  IOVIEW_CMD_EDU_FACTORIAL, &hdr);
	if (!msg)
		return -ENOMEM;
	by_interrupt = completion && nla_get_u32(completion) == IOVIEW_COMPLETION_INTERRUPT;
	err = ioview_driver_ctl_edu_factorial(name, nla_get_u64(info->attrs[IOVIEW_A_VALUE]),
					      by_interrupt, &result, &st);
	if (err) {
		nlmsg_free(msg);
		return ioview_nl_refuse(&rq, err, &st);
	}
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name) ||
	    nla_put_u64_64bit(msg, IOVIEW_A_VALUE, result, IOVIEW_A_PAD))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_edu_dma_doit() - IOVIEW_CMD_EDU_DMA (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name, dma-op (required); offset (default 0); data (write,
 *	round-trip) or length (read), not the other
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the reply sent (the bytes that came back, for read and
 * round-trip); -EINVAL (missing or extra attribute, 0 or over 4095 bytes);
 * -ERANGE (the window leaves edu's usable bytes); -ENODEV, -EOPNOTSUPP,
 * -EBUSY, -ETIMEDOUT, -EINTR, -EIO; -ENOMEM.
 */
int ioview_nl_edu_dma_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_DMA_OP);
	struct ioview_ctl_status st = {};
	struct nlattr *data_attr = info->attrs[IOVIEW_A_DATA];
	struct nlattr *length_attr = info->attrs[IOVIEW_A_LENGTH];
	unsigned int op, offset, len;
	const void *src = NULL;
	void *dst = NULL;
	const char *name;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_DMA_OP, "dma-op is required"))
		return -EINVAL;
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	op = nla_get_u32(info->attrs[IOVIEW_A_DMA_OP]);
	offset = info->attrs[IOVIEW_A_OFFSET] ? nla_get_u32(info->attrs[IOVIEW_A_OFFSET]) : 0;
	if (op == IOVIEW_DMA_OP_READ) {
		if (data_attr) {
			NL_SET_ERR_MSG_ATTR(info->extack, data_attr,
					    "a DMA read carries no data: give its length");
			return -EINVAL;
		}
		if (ioview_nl_missing(info, IOVIEW_A_LENGTH, "a DMA read needs length"))
			return -EINVAL;
		len = nla_get_u32(length_attr);
	} else {
		if (length_attr) {
			NL_SET_ERR_MSG_ATTR(info->extack, length_attr,
					    "a DMA write's length is its data's: give no length");
			return -EINVAL;
		}
		if (ioview_nl_missing(info, IOVIEW_A_DATA, "a DMA write needs data"))
			return -EINVAL;
		src = nla_data(data_attr);
		len = nla_len(data_attr);
	}
	/* The policy cannot bound data (its limit is per operation): edu's buffer does. */
	if (len > IOVIEW_DMA_MAX_BYTES) {
		NL_SET_ERR_MSG_ATTR(info->extack, data_attr, "an edu transfer is 1 to 4095 bytes");
		return -EINVAL;
	}
	msg = ioview_nl_reply_new(info, ioview_nl_name_size() + nla_total_size(4) +
					  (op == IOVIEW_DMA_OP_WRITE ? 0 : nla_total_size(len)),
				  IOVIEW_CMD_EDU_DMA, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name) ||
	    nla_put_u32(msg, IOVIEW_A_OFFSET, offset))
		return ioview_nl_reply_overflow(msg, info);
	if (op != IOVIEW_DMA_OP_WRITE) {
		struct nlattr *back = nla_reserve(msg, IOVIEW_A_DATA, len);

		if (!back)
			return ioview_nl_reply_overflow(msg, info);
		dst = nla_data(back);
	}
	err = ioview_driver_ctl_edu_dma(name, op, offset, src, dst, len, &st);
	if (err) {
		nlmsg_free(msg);
		return ioview_nl_refuse(&rq, err, &st);
	}
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_edu_irq_raise_doit() - IOVIEW_CMD_EDU_IRQ_RAISE (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name, value (the status bits): required
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 once raised (the handler's event follows); -EINVAL (no bits),
 * -ERANGE (over 32 bits), -ENODEV, -EOPNOTSUPP, -EINTR.
 */
int ioview_nl_edu_irq_raise_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_VALUE);
	struct ioview_ctl_status st = {};
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_VALUE, "value is required"))
		return -EINVAL;
	err = ioview_driver_ctl_edu_irq_raise(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME),
					      nla_get_u64(info->attrs[IOVIEW_A_VALUE]), &st);
	return err ? ioview_nl_refuse(&rq, err, &st) : 0;
}

/* ---- mailbox ---------------------------------------------------------------------------- */

/**
 * ioview_nl_mbox_send_doit() - IOVIEW_CMD_MBOX_SEND (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name, data (at most 248 bytes): required
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 once published; -EMSGSIZE, -ENOTCONN, -EAGAIN (ring full),
 * -EPROTO, -EBUSY (BAR2 held), -ENODEV, -EOPNOTSUPP, -EINTR.
 */
int ioview_nl_mbox_send_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_DATA);
	struct ioview_ctl_status st = {};
	struct nlattr *data;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required") ||
	    ioview_nl_missing(info, IOVIEW_A_DATA, "data is required"))
		return -EINVAL;
	data = info->attrs[IOVIEW_A_DATA];
	err = ioview_driver_ctl_mbox_send(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME), nla_data(data),
					  nla_len(data), &st);
	return err ? ioview_nl_refuse(&rq, err, &st) : 0;
}

/**
 * ioview_nl_mbox_recv_doit() - IOVIEW_CMD_MBOX_RECV (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name (required), timeout-ms (default 0: one try)
 *
 * The reply is allocated before a message is taken, so that a message is
 * never consumed and then lost.
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the message sent; -EAGAIN (none, no wait) or -ETIMEDOUT;
 * -ENOTCONN, -EBADMSG, -EPROTO, -EBUSY, -ENODEV, -EOPNOTSUPP, -EINTR; -ENOMEM.
 */
int ioview_nl_mbox_recv_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_TIMEOUT_MS);
	struct ioview_ctl_status st = {};
	u8 buf[IOVIEW_MBOX_MAX_BYTES];
	unsigned int timeout, len = 0;
	const char *name;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	name = ioview_nl_str(&rq, IOVIEW_A_DEV_NAME);
	timeout = info->attrs[IOVIEW_A_TIMEOUT_MS] ?
		  nla_get_u32(info->attrs[IOVIEW_A_TIMEOUT_MS]) : 0;
	msg = ioview_nl_reply_new(info, ioview_nl_name_size() + nla_total_size(sizeof(buf)),
				  IOVIEW_CMD_MBOX_RECV, &hdr);
	if (!msg)
		return -ENOMEM;
	err = ioview_driver_ctl_mbox_recv(name, timeout, buf, sizeof(buf), &len, &st);
	if (err) {
		nlmsg_free(msg);
		return ioview_nl_refuse(&rq, err, &st);
	}
	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, name) || nla_put(msg, IOVIEW_A_DATA, len, buf))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_mbox_close_doit() - IOVIEW_CMD_MBOX_CLOSE (CAP_NET_ADMIN)
 * @skb: the request
 * @info: dev-name (required)
 *
 * Closes the mailbox that mbox-send or mbox-recv opened: its worker stops,
 * the guest leaves, and its part of BAR2 is released, so that the
 * self-tests which map all of BAR2 no longer get -EBUSY.  A receive waiting
 * on it comes back with -ENOTCONN.  The next send or receive opens it again.
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 once closed; -ENOTCONN (it was not open), -ENODEV, -EOPNOTSUPP
 * (not an ivshmem function), -EINVAL (no dev-name).
 */
int ioview_nl_mbox_close_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_DEV_NAME);
	struct ioview_ctl_status st = {};
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	err = ioview_driver_ctl_mbox_close(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME), &st);
	return err ? ioview_nl_refuse(&rq, err, &st) : 0;
}

/* ---- self-tests ------------------------------------------------------------------------- */

static size_t ioview_nl_case_size(const struct ioview_ctl_case *c)
{
	return nla_total_size(0) + ioview_nl_str_size(c->suite) + ioview_nl_str_size(c->name) +
	       nla_total_size(1) + ioview_nl_str_size(c->diag);
}

static int ioview_nl_put_case(struct sk_buff *msg, const struct ioview_ctl_case *c)
{
	struct nlattr *nest = nla_nest_start(msg, IOVIEW_A_CASE);

	if (!nest || nla_put_string(msg, IOVIEW_A_CASE_SUITE, c->suite) ||
	    nla_put_string(msg, IOVIEW_A_CASE_NAME, c->name) ||
	    nla_put_u8(msg, IOVIEW_A_CASE_VERDICT, c->verdict) ||
	    nla_put_string(msg, IOVIEW_A_CASE_DIAG, c->diag))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The reply of a run whose records ioview_driver_ctl_selftest_case() hands out; lock held. */
static int ioview_nl_selftest_reply(struct genl_info *info, const struct ioview_ctl_totals *totals)
{
	struct ioview_ctl_case c;
	size_t size = 3 * nla_total_size(4);
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	for (i = 0; !ioview_driver_ctl_selftest_case(i, &c); i++)
		size += ioview_nl_case_size(&c);
	msg = ioview_nl_reply_new(info, size, IOVIEW_CMD_SELFTEST_RUN, &hdr);
	if (!msg)
		return -ENOMEM;
	for (i = 0; !ioview_driver_ctl_selftest_case(i, &c); i++)
		if (ioview_nl_put_case(msg, &c))
			return ioview_nl_reply_overflow(msg, info);
	if (nla_put_u32(msg, IOVIEW_A_PASSED, totals->passed) ||
	    nla_put_u32(msg, IOVIEW_A_FAILED, totals->failed) ||
	    nla_put_u32(msg, IOVIEW_A_SKIPPED, totals->skipped))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

/**
 * ioview_nl_selftest_run_doit() - IOVIEW_CMD_SELFTEST_RUN (CAP_NET_ADMIN)
 * @skb: the request
 * @info: suite (default: every default suite)
 *
 * Runs under the self-test lock (a run started by the selftest parameter
 * waits, and is waited for), logging KTAP as every run does, and replies
 * with every recorded case and the totals.  A failed case is a result, not
 * an error.
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); takes the self-test lock; sleeps.
 *
 * Return: 0 with the results sent; -ENOENT (no such suite), -EINTR, -ENOMEM.
 */
int ioview_nl_selftest_run_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_SUITE);
	struct ioview_ctl_status st = {};
	struct ioview_ctl_totals totals;
	int err;

	if (ioview_selftest_lock_interruptible()) {
		NL_SET_ERR_MSG(info->extack, "interrupted while waiting for a running self-test");
		return -EINTR;
	}
	err = ioview_driver_ctl_selftest_run(ioview_nl_str(&rq, IOVIEW_A_SUITE), &totals, &st);
	if (err)
		err = ioview_nl_refuse(&rq, err, &st);
	else
		err = ioview_nl_selftest_reply(info, &totals);
	ioview_selftest_unlock();
	return err;
}

/* ---- stats ------------------------------------------------------------------------------ */

static int ioview_nl_put_counter(struct sk_buff *msg, int type, unsigned long long v)
{
	return nla_put_u64_64bit(msg, type, v, IOVIEW_A_STATS_PAD);
}

static int ioview_nl_put_stats(struct sk_buff *msg, const struct ioview_ctl_stats *s)
{
	struct nlattr *nest;

	if (nla_put_string(msg, IOVIEW_A_DEV_NAME, s->name) ||
	    nla_put_u32(msg, IOVIEW_A_DEV_KIND, s->kind))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, IOVIEW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (s->kind == IOVIEW_DEVICE_EDU &&
	    (ioview_nl_put_counter(msg, IOVIEW_A_STATS_INTERRUPTS, s->interrupts) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_FOREIGN_INTERRUPTS, s->foreign_interrupts) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_FACTORIALS, s->factorials) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_DMA_TRANSFERS, s->dma_transfers) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_DMA_BYTES, s->dma_bytes) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_REFUSED, s->refused) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_BUSY, s->busy) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_TIMEOUTS, s->timeouts)))
		return -EMSGSIZE;
	if (s->kind == IOVIEW_DEVICE_IVSHMEM &&
	    (ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_SENT, s->mbox_sent) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_SENT_BYTES, s->mbox_sent_bytes) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_RECEIVED, s->mbox_received) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_RECEIVED_BYTES,
				   s->mbox_received_bytes) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_NOT_CONNECTED, s->mbox_not_connected) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_FULL, s->mbox_full) ||
	     ioview_nl_put_counter(msg, IOVIEW_A_STATS_MBOX_ERRORS, s->mbox_errors)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The larger kind's: edu has 8 counters, ivshmem 7. */
static size_t ioview_nl_stats_size(void)
{
	return ioview_nl_name_size() + nla_total_size(4) + nla_total_size(0) +
	       8 * nla_total_size_64bit(8);
}

/**
 * ioview_nl_stats_get_doit() - IOVIEW_CMD_STATS_GET: one function's counters
 * @skb: the request
 * @info: dev-name (required)
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops); may sleep.
 *
 * Return: 0 with the counters sent; -EINVAL, -ENODEV, -ENOMEM.
 */
int ioview_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ioview_nl_req rq = ioview_nl_req_of(info, IOVIEW_A_DEV_NAME);
	struct ioview_ctl_status st = {};
	struct ioview_ctl_stats stats;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (ioview_nl_missing(info, IOVIEW_A_DEV_NAME, "dev-name is required"))
		return -EINVAL;
	err = ioview_driver_ctl_stats_get(ioview_nl_str(&rq, IOVIEW_A_DEV_NAME), &stats, &st);
	if (err)
		return ioview_nl_refuse(&rq, err, &st);
	msg = ioview_nl_reply_new(info, ioview_nl_stats_size(), IOVIEW_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (ioview_nl_put_stats(msg, &stats))
		return ioview_nl_reply_overflow(msg, info);
	return ioview_nl_reply_send(msg, hdr, info);
}

static int ioview_nl_fetch_stats(unsigned long index, unsigned int *generation, void *out,
				 struct ioview_ctl_status *st)
{
	return ioview_driver_ctl_stats_at(index, generation, out, st);
}

static int ioview_nl_put_stats_item(struct sk_buff *msg, const void *item)
{
	return ioview_nl_put_stats(msg, item);
}

/**
 * ioview_nl_stats_get_dumpit() - IOVIEW_CMD_STATS_GET dump: every function's counters
 * @skb: the message to fill
 * @cb: the dump's state; args[0] is the next function's index
 *
 * Context: process context, from the genetlink core with no lock of its
 * own (parallel_ops), once per reply skb of the dump; may sleep.
 *
 * Return: the bytes added, 0 at the end; -EINVAL for a request naming a
 * device; a function's error (-EINTR) if it comes before anything was added.
 */
int ioview_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ioview_ctl_stats stats;

	return ioview_nl_dump(skb, cb, IOVIEW_CMD_STATS_GET, ioview_nl_fetch_stats,
			      ioview_nl_put_stats_item, &stats);
}

/* ---- events ----------------------------------------------------------------------------- */

/* A power of two: indices are free-running. */
#define IOVIEW_NL_EVENT_RING 64

struct ioview_nl_event {
	u64 seq;
	u64 value;
	enum ioview_shim_event_kind kind;
	char dev[IOVIEW_DEV_NAME_LEN];
};

/*
 * Recorded events, oldest at tail.  The lock is taken with interrupts off:
 * the interrupt handler records too.  open is true while the family is
 * registered; work is only ever scheduled under the lock with open set, so
 * ioview_nl_exit() can close, then cancel, and know nothing reschedules it.
 */
static struct {
	spinlock_t lock;	/* guards the rest, taken with interrupts off */
	bool open;
	u64 seq;
	unsigned int head;
	unsigned int tail;
	struct ioview_nl_event ring[IOVIEW_NL_EVENT_RING];
} ioview_nl_events = {
	.lock = __SPIN_LOCK_UNLOCKED(ioview_nl_events.lock),
};

static bool ioview_nl_event_listened(void)
{
	return genl_has_listeners(&ioview_nl_family, &init_net, IOVIEW_NLGRP_EVENTS) > 0;
}

static bool ioview_nl_event_has_value(enum ioview_shim_event_kind kind)
{
	return kind != IOVIEW_SHIM_EVENT_DEV_ADD && kind != IOVIEW_SHIM_EVENT_DEV_REMOVE;
}

static void ioview_nl_event_send(const struct ioview_nl_event *e)
{
	struct sk_buff *msg;
	void *hdr;

	/* The listener may have left since the event was recorded. */
	if (!ioview_nl_event_listened())
		return;
	msg = genlmsg_new(nla_total_size(4) + nla_total_size_64bit(8) + ioview_nl_name_size() +
				  nla_total_size_64bit(8),
			  GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ioview_nl_family, 0, IOVIEW_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, IOVIEW_A_EVENT_KIND, e->kind) ||
	    nla_put_u64_64bit(msg, IOVIEW_A_EVENT_SEQ, e->seq, IOVIEW_A_PAD) ||
	    nla_put_string(msg, IOVIEW_A_DEV_NAME, e->dev) ||
	    (ioview_nl_event_has_value(e->kind) &&
	     nla_put_u64_64bit(msg, IOVIEW_A_VALUE, e->value, IOVIEW_A_PAD))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* A listener whose socket is full loses this one: its next event shows the gap. */
	genlmsg_multicast(&ioview_nl_family, msg, 0, IOVIEW_NLGRP_EVENTS, GFP_KERNEL);
}

/* Process context: sends what was recorded, oldest first, one entry at a time off the lock. */
static void ioview_nl_event_work_fn(struct work_struct *work)
{
	struct ioview_nl_event e;

	for (;;) {
		spin_lock_irq(&ioview_nl_events.lock);
		if (ioview_nl_events.tail == ioview_nl_events.head) {
			spin_unlock_irq(&ioview_nl_events.lock);
			return;
		}
		e = ioview_nl_events.ring[ioview_nl_events.tail % IOVIEW_NL_EVENT_RING];
		ioview_nl_events.tail++;
		spin_unlock_irq(&ioview_nl_events.lock);
		ioview_nl_event_send(&e);
	}
}

static DECLARE_WORK(ioview_nl_event_work, ioview_nl_event_work_fn);

/**
 * ioview_shim_event() - record an event of the "events" group
 * @kind: what happened
 * @pdev: the function it happened to
 * @value: its detail (see enum ioview_shim_event_kind)
 *
 * Any context, hard interrupt included: it takes a spinlock with interrupts
 * off, copies @pdev's name and schedules the sending work.  The event gets
 * the family's next sequence number even when the ring is full and it is
 * dropped, so that listeners see the loss.  Nothing happens unless the
 * family is registered and the group has a listener.
 */
void ioview_shim_event(enum ioview_shim_event_kind kind, struct pci_dev *pdev,
		       unsigned long long value)
{
	unsigned long flags;

	spin_lock_irqsave(&ioview_nl_events.lock, flags);
	if (ioview_nl_events.open && ioview_nl_event_listened()) {
		u64 seq = ++ioview_nl_events.seq;

		if (ioview_nl_events.head - ioview_nl_events.tail < IOVIEW_NL_EVENT_RING) {
			unsigned int slot = ioview_nl_events.head % IOVIEW_NL_EVENT_RING;
			struct ioview_nl_event *e = &ioview_nl_events.ring[slot];

			e->seq = seq;
			e->value = value;
			e->kind = kind;
			strscpy(e->dev, pci_name(pdev), sizeof(e->dev));
			ioview_nl_events.head++;
		}
		schedule_work(&ioview_nl_event_work);
	}
	spin_unlock_irqrestore(&ioview_nl_events.lock, flags);
}

/* ---- registration ----------------------------------------------------------------------- */

/**
 * ioview_nl_init() - register the family and open its events
 *
 * Called by module init after the PCI driver is registered, so that the
 * functions present at boot are bound before the first request can come.
 *
 * Return: 0, or genl_register_family()'s negative errno.
 */
int ioview_nl_init(void)
{
	int err = genl_register_family(&ioview_nl_family);

	if (err)
		return err;
	spin_lock_irq(&ioview_nl_events.lock);
	ioview_nl_events.head = 0;
	ioview_nl_events.tail = 0;
	ioview_nl_events.open = true;
	spin_unlock_irq(&ioview_nl_events.lock);
	return 0;
}

/**
 * ioview_nl_exit() - close the events and unregister the family
 *
 * Called by module exit before the PCI driver is unregistered: once
 * genl_unregister_family() returns, no handler runs (it waits for those
 * running), so none can reach a function while remove() tears it down.
 * Events recorded and not yet sent are dropped.
 */
void ioview_nl_exit(void)
{
	spin_lock_irq(&ioview_nl_events.lock);
	ioview_nl_events.open = false;
	spin_unlock_irq(&ioview_nl_events.lock);
	cancel_work_sync(&ioview_nl_event_work);
	genl_unregister_family(&ioview_nl_family);
}
