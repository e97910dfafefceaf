/* SPDX-License-Identifier: GPL-2.0 */
/* Between the C shim and the C++ faults: plain C declarations, seen by both. */
#ifndef IOVIEW_FAULTS_H
#define IOVIEW_FAULTS_H

#ifdef __cplusplus
extern "C" {
#endif

struct faults_lock;

/* The shim: the kernel's allocator and two mutexes. */
void *faults_kmalloc(unsigned long size);
void faults_kfree(void *p);
struct faults_lock *faults_lock_a(void);
struct faults_lock *faults_lock_b(void);
void faults_acquire(struct faults_lock *l);
void faults_release(struct faults_lock *l);

/* The C++ side: each commits one fault. */
int ioview_faults_oob(unsigned long size);
int ioview_faults_uaf(unsigned long size);
void ioview_faults_lock_inversion(void);

#ifdef __cplusplus
}
#endif

#endif
