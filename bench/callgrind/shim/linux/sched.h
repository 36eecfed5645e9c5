/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/sched.h>: one thread, nothing to yield to.
 */
#ifndef _CG_SHIM_LINUX_SCHED_H
#define _CG_SHIM_LINUX_SCHED_H

#include <linux/gfp.h>

static inline void cond_resched(void) {}
static inline void might_sleep(void) {}
static inline void might_alloc(gfp_t gfp) { (void)gfp; }

#endif /* _CG_SHIM_LINUX_SCHED_H */
