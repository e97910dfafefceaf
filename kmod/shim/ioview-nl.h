/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	include/uapi/ioview.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_IOVIEW_GEN_H
#define _LINUX_IOVIEW_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/ioview.h>

extern const struct nla_policy ioview_dev_get_nl_policy[IOVIEW_A_DEV_NAME + 1];

extern const struct nla_policy ioview_config_read_nl_policy[IOVIEW_A_LENGTH + 1];

extern const struct nla_policy ioview_config_write_nl_policy[IOVIEW_A_VALUE + 1];

extern const struct nla_policy ioview_reg_get_nl_policy[IOVIEW_A_REGISTER + 1];

extern const struct nla_policy ioview_reg_read_nl_policy[IOVIEW_A_REGISTER + 1];

extern const struct nla_policy ioview_reg_write_nl_policy[IOVIEW_A_REGISTER + 1];

extern const struct nla_policy ioview_edu_factorial_nl_policy[IOVIEW_A_COMPLETION + 1];

extern const struct nla_policy ioview_edu_dma_nl_policy[IOVIEW_A_DMA_OP + 1];

extern const struct nla_policy ioview_edu_irq_raise_nl_policy[IOVIEW_A_VALUE + 1];

extern const struct nla_policy ioview_mbox_send_nl_policy[IOVIEW_A_DATA + 1];

extern const struct nla_policy ioview_mbox_recv_nl_policy[IOVIEW_A_TIMEOUT_MS + 1];

extern const struct nla_policy ioview_selftest_run_nl_policy[IOVIEW_A_SUITE + 1];

extern const struct nla_policy ioview_stats_get_nl_policy[IOVIEW_A_DEV_NAME + 1];

extern const struct nla_policy ioview_mbox_close_nl_policy[IOVIEW_A_DEV_NAME + 1];

/* Ops table for ioview */
extern const struct genl_ops ioview_nl_ops[14];

int ioview_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ioview_nl_config_read_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_config_write_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_reg_get_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_reg_read_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_reg_write_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_edu_factorial_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_edu_dma_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_edu_irq_raise_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_mbox_send_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_mbox_recv_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_selftest_run_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int ioview_nl_stats_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int ioview_nl_mbox_close_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	IOVIEW_NLGRP_EVENTS,
};

#endif /* _LINUX_IOVIEW_GEN_H */
