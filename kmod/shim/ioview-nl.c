// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	include/uapi/ioview.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "ioview-nl.h"

#include <uapi/ioview.h>

/* Integer value ranges */
static const struct netlink_range_validation ioview_a_timeout_ms_range = {
	.max	= IOVIEW_TIMEOUT_MAX_MS,
};

/* IOVIEW_CMD_DEV_GET - do */
const struct nla_policy ioview_dev_get_nl_policy[IOVIEW_A_DEV_NAME + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
};

/* IOVIEW_CMD_CONFIG_READ - do */
const struct nla_policy ioview_config_read_nl_policy[IOVIEW_A_LENGTH + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_OFFSET] = { .type = NLA_U32, },
	[IOVIEW_A_LENGTH] = NLA_POLICY_RANGE(NLA_U32, 1, IOVIEW_CONFIG_MAX_BYTES),
};

/* IOVIEW_CMD_CONFIG_WRITE - do */
const struct nla_policy ioview_config_write_nl_policy[IOVIEW_A_VALUE + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_OFFSET] = { .type = NLA_U32, },
	[IOVIEW_A_WIDTH] = NLA_POLICY_RANGE(NLA_U8, 1, 8),
	[IOVIEW_A_VALUE] = { .type = NLA_U64, },
};

/* IOVIEW_CMD_REG_GET - do */
const struct nla_policy ioview_reg_get_nl_policy[IOVIEW_A_REGISTER + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_REGISTER] = { .type = NLA_NUL_STRING, .len = IOVIEW_REG_NAME_LEN, },
};

/* IOVIEW_CMD_REG_READ - do */
const struct nla_policy ioview_reg_read_nl_policy[IOVIEW_A_REGISTER + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_REGISTER] = { .type = NLA_NUL_STRING, .len = IOVIEW_REG_NAME_LEN, },
	[IOVIEW_A_OFFSET] = { .type = NLA_U32, },
	[IOVIEW_A_WIDTH] = NLA_POLICY_RANGE(NLA_U8, 1, 8),
};

/* IOVIEW_CMD_REG_WRITE - do */
const struct nla_policy ioview_reg_write_nl_policy[IOVIEW_A_REGISTER + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_REGISTER] = { .type = NLA_NUL_STRING, .len = IOVIEW_REG_NAME_LEN, },
	[IOVIEW_A_OFFSET] = { .type = NLA_U32, },
	[IOVIEW_A_WIDTH] = NLA_POLICY_RANGE(NLA_U8, 1, 8),
	[IOVIEW_A_VALUE] = { .type = NLA_U64, },
};

/* IOVIEW_CMD_EDU_FACTORIAL - do */
const struct nla_policy ioview_edu_factorial_nl_policy[IOVIEW_A_COMPLETION + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_VALUE] = { .type = NLA_U64, },
	[IOVIEW_A_COMPLETION] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* IOVIEW_CMD_EDU_DMA - do */
const struct nla_policy ioview_edu_dma_nl_policy[IOVIEW_A_DMA_OP + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_DMA_OP] = NLA_POLICY_MAX(NLA_U32, 2),
	[IOVIEW_A_OFFSET] = { .type = NLA_U32, },
	[IOVIEW_A_LENGTH] = NLA_POLICY_RANGE(NLA_U32, 1, IOVIEW_CONFIG_MAX_BYTES),
	[IOVIEW_A_DATA] = { .type = NLA_BINARY, },
};

/* IOVIEW_CMD_EDU_IRQ_RAISE - do */
const struct nla_policy ioview_edu_irq_raise_nl_policy[IOVIEW_A_VALUE + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_VALUE] = { .type = NLA_U64, },
};

/* IOVIEW_CMD_MBOX_SEND - do */
const struct nla_policy ioview_mbox_send_nl_policy[IOVIEW_A_DATA + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_DATA] = { .type = NLA_BINARY, },
};

/* IOVIEW_CMD_MBOX_RECV - do */
const struct nla_policy ioview_mbox_recv_nl_policy[IOVIEW_A_TIMEOUT_MS + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
	[IOVIEW_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ioview_a_timeout_ms_range),
};

/* IOVIEW_CMD_SELFTEST_RUN - do */
const struct nla_policy ioview_selftest_run_nl_policy[IOVIEW_A_SUITE + 1] = {
	[IOVIEW_A_SUITE] = { .type = NLA_NUL_STRING, .len = IOVIEW_SUITE_NAME_LEN, },
};

/* IOVIEW_CMD_STATS_GET - do */
const struct nla_policy ioview_stats_get_nl_policy[IOVIEW_A_DEV_NAME + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
};

/* IOVIEW_CMD_MBOX_CLOSE - do */
const struct nla_policy ioview_mbox_close_nl_policy[IOVIEW_A_DEV_NAME + 1] = {
	[IOVIEW_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = IOVIEW_DEV_NAME_LEN, },
};

/* Ops table for ioview */
const struct genl_ops ioview_nl_ops[14] = {
	{
		.cmd		= IOVIEW_CMD_DEV_GET,
		.doit		= ioview_nl_dev_get_doit,
		.dumpit		= ioview_nl_dev_get_dumpit,
		.policy		= ioview_dev_get_nl_policy,
		.maxattr	= IOVIEW_A_DEV_NAME,
	},
	{
		.cmd		= IOVIEW_CMD_CONFIG_READ,
		.doit		= ioview_nl_config_read_doit,
		.policy		= ioview_config_read_nl_policy,
		.maxattr	= IOVIEW_A_LENGTH,
	},
	{
		.cmd		= IOVIEW_CMD_CONFIG_WRITE,
		.doit		= ioview_nl_config_write_doit,
		.policy		= ioview_config_write_nl_policy,
		.maxattr	= IOVIEW_A_VALUE,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_REG_GET,
		.doit		= ioview_nl_reg_get_doit,
		.policy		= ioview_reg_get_nl_policy,
		.maxattr	= IOVIEW_A_REGISTER,
	},
	{
		.cmd		= IOVIEW_CMD_REG_READ,
		.doit		= ioview_nl_reg_read_doit,
		.policy		= ioview_reg_read_nl_policy,
		.maxattr	= IOVIEW_A_REGISTER,
	},
	{
		.cmd		= IOVIEW_CMD_REG_WRITE,
		.doit		= ioview_nl_reg_write_doit,
		.policy		= ioview_reg_write_nl_policy,
		.maxattr	= IOVIEW_A_REGISTER,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_EDU_FACTORIAL,
		.doit		= ioview_nl_edu_factorial_doit,
		.policy		= ioview_edu_factorial_nl_policy,
		.maxattr	= IOVIEW_A_COMPLETION,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_EDU_DMA,
		.doit		= ioview_nl_edu_dma_doit,
		.policy		= ioview_edu_dma_nl_policy,
		.maxattr	= IOVIEW_A_DMA_OP,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_EDU_IRQ_RAISE,
		.doit		= ioview_nl_edu_irq_raise_doit,
		.policy		= ioview_edu_irq_raise_nl_policy,
		.maxattr	= IOVIEW_A_VALUE,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_MBOX_SEND,
		.doit		= ioview_nl_mbox_send_doit,
		.policy		= ioview_mbox_send_nl_policy,
		.maxattr	= IOVIEW_A_DATA,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_MBOX_RECV,
		.doit		= ioview_nl_mbox_recv_doit,
		.policy		= ioview_mbox_recv_nl_policy,
		.maxattr	= IOVIEW_A_TIMEOUT_MS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_SELFTEST_RUN,
		.doit		= ioview_nl_selftest_run_doit,
		.policy		= ioview_selftest_run_nl_policy,
		.maxattr	= IOVIEW_A_SUITE,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= IOVIEW_CMD_STATS_GET,
		.doit		= ioview_nl_stats_get_doit,
		.dumpit		= ioview_nl_stats_get_dumpit,
		.policy		= ioview_stats_get_nl_policy,
		.maxattr	= IOVIEW_A_DEV_NAME,
	},
	{
		.cmd		= IOVIEW_CMD_MBOX_CLOSE,
		.doit		= ioview_nl_mbox_close_doit,
		.policy		= ioview_mbox_close_nl_policy,
		.maxattr	= IOVIEW_A_DEV_NAME,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group ioview_nl_mcgrps[] = {
	[IOVIEW_NLGRP_EVENTS] = { "events", },
};
