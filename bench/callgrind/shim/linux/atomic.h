/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/atomic.h>: what kmod/arena_trace.c uses. */
#ifndef _CG_SHIM_LINUX_ATOMIC_H
#define _CG_SHIM_LINUX_ATOMIC_H

typedef struct {
	long long counter;
} atomic64_t;

#define ATOMIC64_INIT(i)	{ (i) }

static inline long long atomic64_inc_return(atomic64_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_RELAXED);
}

#endif /* _CG_SHIM_LINUX_ATOMIC_H */
