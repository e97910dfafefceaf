/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ioview generic netlink interface, shared by ioview.ko and ioviewctl.
 *
 * The family is registered by the module while it is loaded; userspace
 * resolves it by IOVIEW_GENL_NAME through the generic netlink controller.
 */
#ifndef _UAPI_IOVIEW_H
#define _UAPI_IOVIEW_H

#define IOVIEW_GENL_NAME	"ioview"
#define IOVIEW_GENL_VERSION	1

#endif /* _UAPI_IOVIEW_H */
