/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/spinlock.h>: the driver is single
 * threaded, so a lock is a flag.  Taking a held lock traps, which catches
 * recursion on the same arena.  Includes <linux/list.h>, as the kernel's
 * does (through preempt.h): arena_core.c relies on it.
 */
#ifndef _CG_SHIM_LINUX_SPINLOCK_H
#define _CG_SHIM_LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/list.h>

typedef struct {
	int locked;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	if (unlikely(l->locked))
		__builtin_trap();
	l->locked = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	l->locked = 0;
}

#define lockdep_assert_held(l)	((void)(l))

#endif /* _CG_SHIM_LINUX_SPINLOCK_H */
