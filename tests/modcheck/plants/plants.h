/* SPDX-License-Identifier: GPL-2.0 */
/* Entry points of the planted objects; C linkage keeps the names readable. */
#ifndef IOVIEW_PLANTS_H
#define IOVIEW_PLANTS_H

#ifdef __cplusplus
extern "C" {
#endif

int plant_value(void);		/* defined in C: a value unknown at compile time */

int plant_ctor(void);
int plant_exception(int x);
int plant_rtti(void *p);
int plant_guard(void);
int plant_tls(void);
int *plant_plain_new(void);
void plant_kernel_call(void);
int plant_sse(int a, int b);
int plant_x87(int a);
int plant_stack(int i);

#ifdef __cplusplus
}
#endif

#endif
