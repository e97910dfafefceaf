/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boundary between the C++ runtime (ioview_cxxrt.cpp) and its C half
 * (ioview_cxxrt_shim.c), which ioview.mk links into every C++ module.
 *
 * Plain C declarations with builtin types only, included by both sides: the
 * C file defines these functions with the kernel's headers around it, the
 * C++ file calls them with nothing around it, so a prototype that drifts on
 * either side is a compile error.
 */
#ifndef IOVIEW_CXXRT_ABI_H
#define IOVIEW_CXXRT_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

typedef __SIZE_TYPE__ ioview_cxxrt_size_t;

/**
 * enum ioview_cxxrt_gfp - allocation context, mapped to gfp_t by the C half
 * @IOVIEW_CXXRT_GFP_KERNEL: GFP_KERNEL: may sleep
 * @IOVIEW_CXXRT_GFP_ATOMIC: GFP_ATOMIC: must not sleep
 */
enum ioview_cxxrt_gfp {
	IOVIEW_CXXRT_GFP_KERNEL = 1,
	IOVIEW_CXXRT_GFP_ATOMIC = 2,
};

/* kmalloc() and kfree(); ioview_cxxrt_kmalloc() returns NULL on failure. */
void *ioview_cxxrt_kmalloc(ioview_cxxrt_size_t size, enum ioview_cxxrt_gfp gfp);
void ioview_cxxrt_kfree(const void *ptr);

/* Reports a call through a pure virtual slot, then BUG()s. */
void ioview_cxxrt_pure_virtual_called(void);

/*
 * The view library's contract-violation handler (ioview.mk passes
 * -DIOVIEW_CONTRACT_HANDLER=ioview_cxxrt_contract_violation; see
 * include/ioview/support.h): a broken precondition such as value() of a
 * result that holds an error.  WARNs with @what and @err and returns; the
 * library then hands out an all-zero value (a view of address 0), never the
 * garbage the broken call would have used.
 */
void ioview_cxxrt_contract_violation(const char *what, int err);

#ifdef __cplusplus
}
#endif

#endif /* IOVIEW_CXXRT_ABI_H */
