// SPDX-License-Identifier: GPL-2.0
/*
 * Logging for the C++ side: dev_info()/dev_err(), printk() and vsnprintf().
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/printk.h>

#include "shim.h"

/**
 * ioview_shim_dev_log() - log one message about a PCI function
 * @pdev: the function; its driver and device name prefix the message
 * @level: %IOVIEW_LOG_INFO (dev_info()) or %IOVIEW_LOG_ERR (dev_err())
 * @fmt: printf format; the message ends with its own newline
 *
 * Any context in which @pdev is valid: the probe and remove paths, the
 * interrupt handler and the control calls.
 */
void ioview_shim_dev_log(struct pci_dev *pdev, enum ioview_log_level level,
			 const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level == IOVIEW_LOG_ERR)
		dev_err(&pdev->dev, "%pV", &vaf);
	else
		dev_info(&pdev->dev, "%pV", &vaf);
	va_end(args);
}

/**
 * ioview_shim_log() - log one line of the module, not tied to a device
 * @level: %IOVIEW_LOG_INFO or %IOVIEW_LOG_ERR
 * @fmt: printf format; the line ends with its own newline
 *
 * No prefix is added (the file defines no pr_fmt()): KTAP lines must reach
 * the log exactly as formatted so that a parser can strip one constant
 * prefix (the timestamp) from each.  Any context.
 */
void ioview_shim_log(enum ioview_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (level == IOVIEW_LOG_ERR)
		pr_err("%pV", &vaf);
	else
		pr_info("%pV", &vaf);
	va_end(args);
}

/**
 * ioview_shim_vsnprintf() - vsnprintf() for the C++ side
 * @buf: destination
 * @size: bytes at @buf
 * @fmt: printf format
 * @args: its arguments
 *
 * Return: the length the whole output would have had, as vsnprintf().
 */
int ioview_shim_vsnprintf(char *buf, ioview_size_t size, const char *fmt, ioview_va_list args)
{
	return vsnprintf(buf, size, fmt, args);
}
