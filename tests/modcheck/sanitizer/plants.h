/* SPDX-License-Identifier: GPL-2.0 */
/* Each object does the same: a load and a store through a pointer and a
 * shift by a run-time amount, which KASAN and UBSAN both instrument. */
#ifndef IOVIEW_SANITIZER_PLANTS_H
#define IOVIEW_SANITIZER_PLANTS_H

#ifdef __cplusplus
extern "C" {
#endif
int covered_access(int *p, int shift);
int opted_out_access(int *p, int shift);
int stripped_access(int *p, int shift);
int smuggled_access(int *p, int shift);
#ifdef __cplusplus
}
#endif

#define IOVIEW_SANITIZER_PLANT_BODY(p, shift) \
	do {                                  \
		int v = *(p);                 \
		*(p) = v + 1;                 \
		return v << (shift);          \
	} while (0)

#endif
