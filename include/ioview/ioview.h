/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file ioview.h
 * @brief Everything of ioview except the testing backends.
 *
 * Example:
 * ```cpp
 * ioview::u32 umbrella_example()
 * {
 *         ioview::u32 reg = 0x12;
 *         return ioview::sysmem::view_of(reg).read_val();
 * }
 * ```
 */
#ifndef IOVIEW_IOVIEW_H
#define IOVIEW_IOVIEW_H

#include <ioview/support.h>
#include <ioview/region.h>
#include <ioview/view.h>
#include <ioview/project.h>
#include <ioview/sysmem.h>
#include <ioview/copy.h>
#include <ioview/endian.h>
#include <ioview/register.h>
#include <ioview/iosys_map.h>
#include <ioview/mmio.h>
#include <ioview/coherent.h>
#include <ioview/config_space.h>

#endif /* IOVIEW_IOVIEW_H */
