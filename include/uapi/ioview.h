/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	include/uapi/ioview.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_IOVIEW_H
#define _UAPI_LINUX_IOVIEW_H

#define IOVIEW_GENL_NAME	"ioview"
#define IOVIEW_GENL_VERSION	1

#define IOVIEW_DEV_NAME_LEN			32
#define IOVIEW_REG_NAME_LEN			32
#define IOVIEW_SUITE_NAME_LEN			64
#define IOVIEW_CONFIG_UNPRIVILEGED_BYTES	64
#define IOVIEW_CONFIG_MAX_BYTES			4096
#define IOVIEW_DMA_MAX_BYTES			4096
#define IOVIEW_MBOX_MAX_BYTES			248
#define IOVIEW_TIMEOUT_MAX_MS			60000

/**
 * enum ioview_dev_kind - What a bound PCI function is.
 * @IOVIEW_DEV_KIND_EDU: QEMU's edu device (1234:11e8)
 * @IOVIEW_DEV_KIND_IVSHMEM: QEMU's ivshmem-plain device (1af4:1110), with the
 *   mailbox in BAR2
 */
enum ioview_dev_kind {
	IOVIEW_DEV_KIND_EDU = 1,
	IOVIEW_DEV_KIND_IVSHMEM,
};

/**
 * enum ioview_irq_kind - The interrupt a device uses.
 * @IOVIEW_IRQ_KIND_NONE: no interrupt (ivshmem-plain)
 * @IOVIEW_IRQ_KIND_MSI: a message-signalled interrupt
 * @IOVIEW_IRQ_KIND_INTX: the INTx pin, a line that may be shared
 */
enum ioview_irq_kind {
	IOVIEW_IRQ_KIND_NONE,
	IOVIEW_IRQ_KIND_MSI,
	IOVIEW_IRQ_KIND_INTX,
};

/**
 * enum ioview_completion - How an edu operation learns that the device
 *   finished.
 * @IOVIEW_COMPLETION_POLL: the driver sleeps and reads the status register,
 *   bounded
 * @IOVIEW_COMPLETION_INTERRUPT: edu raises its interrupt and the handler wakes
 *   the caller
 */
enum ioview_completion {
	IOVIEW_COMPLETION_POLL,
	IOVIEW_COMPLETION_INTERRUPT,
};

/**
 * enum ioview_dma_op - What an edu DMA request does.
 * @IOVIEW_DMA_OP_WRITE: host to device, the data attribute into edu's buffer
 *   at offset
 * @IOVIEW_DMA_OP_READ: device to host, length bytes of edu's buffer at offset
 * @IOVIEW_DMA_OP_ROUND_TRIP: a write then a read of the same window; the reply
 *   has what came back
 */
enum ioview_dma_op {
	IOVIEW_DMA_OP_WRITE,
	IOVIEW_DMA_OP_READ,
	IOVIEW_DMA_OP_ROUND_TRIP,
};

/**
 * enum ioview_access - What an access to a register or field does.
 * @IOVIEW_ACCESS_RW: read and write
 * @IOVIEW_ACCESS_RO: read only; writes are ignored
 * @IOVIEW_ACCESS_WO: write only; reads mean nothing
 * @IOVIEW_ACCESS_W1C: writing 1 clears
 * @IOVIEW_ACCESS_W1S: writing 1 sets
 * @IOVIEW_ACCESS_RC: a read clears (a read has side effects and needs
 *   CAP_NET_ADMIN)
 * @IOVIEW_ACCESS_RSVD_ZERO: reserved, written as zero
 * @IOVIEW_ACCESS_RSVD_KEEP: reserved, written back as read
 */
enum ioview_access {
	IOVIEW_ACCESS_RW,
	IOVIEW_ACCESS_RO,
	IOVIEW_ACCESS_WO,
	IOVIEW_ACCESS_W1C,
	IOVIEW_ACCESS_W1S,
	IOVIEW_ACCESS_RC,
	IOVIEW_ACCESS_RSVD_ZERO,
	IOVIEW_ACCESS_RSVD_KEEP,
};

/**
 * enum ioview_verdict - The outcome of one self-test case.
 * @IOVIEW_VERDICT_PASS: every expectation held
 * @IOVIEW_VERDICT_FAIL: an expectation did not hold; the diagnostic says which
 * @IOVIEW_VERDICT_SKIP: not run; the diagnostic says why
 */
enum ioview_verdict {
	IOVIEW_VERDICT_PASS,
	IOVIEW_VERDICT_FAIL,
	IOVIEW_VERDICT_SKIP,
};

/**
 * enum ioview_event_kind - What an event of the events group reports.
 * @IOVIEW_EVENT_KIND_INTERRUPT: edu's handler took an interrupt (value, the
 *   status bits it acknowledged)
 * @IOVIEW_EVENT_KIND_FACTORIAL_DONE: a factorial completed (value, the result)
 * @IOVIEW_EVENT_KIND_DMA_DONE: a DMA transfer completed (value, its length)
 * @IOVIEW_EVENT_KIND_MBOX_MESSAGE: the mailbox took a message from the host
 *   (value, its length)
 * @IOVIEW_EVENT_KIND_DEV_ADD: a function was bound (no value)
 * @IOVIEW_EVENT_KIND_DEV_REMOVE: a function was unbound (no value)
 */
enum ioview_event_kind {
	IOVIEW_EVENT_KIND_INTERRUPT = 1,
	IOVIEW_EVENT_KIND_FACTORIAL_DONE,
	IOVIEW_EVENT_KIND_DMA_DONE,
	IOVIEW_EVENT_KIND_MBOX_MESSAGE,
	IOVIEW_EVENT_KIND_DEV_ADD,
	IOVIEW_EVENT_KIND_DEV_REMOVE,
};

enum {
	IOVIEW_A_UNSPEC,
	IOVIEW_A_PAD,
	IOVIEW_A_DEV_NAME,
	IOVIEW_A_DEV_KIND,
	IOVIEW_A_VENDOR,
	IOVIEW_A_DEVICE,
	IOVIEW_A_REVISION,
	IOVIEW_A_CLASS,
	IOVIEW_A_IRQ_KIND,
	IOVIEW_A_IRQ,
	IOVIEW_A_BAR,
	IOVIEW_A_OFFSET,
	IOVIEW_A_WIDTH,
	IOVIEW_A_LENGTH,
	IOVIEW_A_VALUE,
	IOVIEW_A_DATA,
	IOVIEW_A_REGISTER,
	IOVIEW_A_REG,
	IOVIEW_A_COMPLETION,
	IOVIEW_A_DMA_OP,
	IOVIEW_A_TIMEOUT_MS,
	IOVIEW_A_SUITE,
	IOVIEW_A_CASE,
	IOVIEW_A_PASSED,
	IOVIEW_A_FAILED,
	IOVIEW_A_SKIPPED,
	IOVIEW_A_STATS,
	IOVIEW_A_EVENT_KIND,
	IOVIEW_A_EVENT_SEQ,

	__IOVIEW_A_MAX,
	IOVIEW_A_MAX = (__IOVIEW_A_MAX - 1)
};

enum {
	IOVIEW_A_BAR_UNSPEC,
	IOVIEW_A_BAR_PAD,
	IOVIEW_A_BAR_INDEX,
	IOVIEW_A_BAR_SIZE,
	IOVIEW_A_BAR_MEM,

	__IOVIEW_A_BAR_MAX,
	IOVIEW_A_BAR_MAX = (__IOVIEW_A_BAR_MAX - 1)
};

enum {
	IOVIEW_A_REG_UNSPEC,
	IOVIEW_A_REG_NAME,
	IOVIEW_A_REG_OFFSET,
	IOVIEW_A_REG_WIDTH,
	IOVIEW_A_REG_ACCESS,
	IOVIEW_A_REG_FIELD,

	__IOVIEW_A_REG_MAX,
	IOVIEW_A_REG_MAX = (__IOVIEW_A_REG_MAX - 1)
};

enum {
	IOVIEW_A_FIELD_UNSPEC,
	IOVIEW_A_FIELD_NAME,
	IOVIEW_A_FIELD_HI,
	IOVIEW_A_FIELD_LO,
	IOVIEW_A_FIELD_ACCESS,

	__IOVIEW_A_FIELD_MAX,
	IOVIEW_A_FIELD_MAX = (__IOVIEW_A_FIELD_MAX - 1)
};

enum {
	IOVIEW_A_CASE_UNSPEC,
	IOVIEW_A_CASE_SUITE,
	IOVIEW_A_CASE_NAME,
	IOVIEW_A_CASE_VERDICT,
	IOVIEW_A_CASE_DIAG,

	__IOVIEW_A_CASE_MAX,
	IOVIEW_A_CASE_MAX = (__IOVIEW_A_CASE_MAX - 1)
};

enum {
	IOVIEW_A_STATS_UNSPEC,
	IOVIEW_A_STATS_PAD,
	IOVIEW_A_STATS_INTERRUPTS,
	IOVIEW_A_STATS_FOREIGN_INTERRUPTS,
	IOVIEW_A_STATS_FACTORIALS,
	IOVIEW_A_STATS_DMA_TRANSFERS,
	IOVIEW_A_STATS_DMA_BYTES,
	IOVIEW_A_STATS_REFUSED,
	IOVIEW_A_STATS_BUSY,
	IOVIEW_A_STATS_TIMEOUTS,
	IOVIEW_A_STATS_MBOX_SENT,
	IOVIEW_A_STATS_MBOX_SENT_BYTES,
	IOVIEW_A_STATS_MBOX_RECEIVED,
	IOVIEW_A_STATS_MBOX_RECEIVED_BYTES,
	IOVIEW_A_STATS_MBOX_NOT_CONNECTED,
	IOVIEW_A_STATS_MBOX_FULL,
	IOVIEW_A_STATS_MBOX_ERRORS,

	__IOVIEW_A_STATS_MAX,
	IOVIEW_A_STATS_MAX = (__IOVIEW_A_STATS_MAX - 1)
};

enum {
	IOVIEW_CMD_UNSPEC,
	IOVIEW_CMD_DEV_GET,
	IOVIEW_CMD_CONFIG_READ,
	IOVIEW_CMD_CONFIG_WRITE,
	IOVIEW_CMD_REG_GET,
	IOVIEW_CMD_REG_READ,
	IOVIEW_CMD_REG_WRITE,
	IOVIEW_CMD_EDU_FACTORIAL,
	IOVIEW_CMD_EDU_DMA,
	IOVIEW_CMD_EDU_IRQ_RAISE,
	IOVIEW_CMD_MBOX_SEND,
	IOVIEW_CMD_MBOX_RECV,
	IOVIEW_CMD_SELFTEST_RUN,
	IOVIEW_CMD_STATS_GET,
	IOVIEW_CMD_EVENT,
	IOVIEW_CMD_MBOX_CLOSE,

	__IOVIEW_CMD_MAX,
	IOVIEW_CMD_MAX = (__IOVIEW_CMD_MAX - 1)
};

#define IOVIEW_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_IOVIEW_H */
