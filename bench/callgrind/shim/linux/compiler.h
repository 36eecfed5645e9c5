/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/compiler.h>: what the core and rbtree
 * use.  glibc's <sys/cdefs.h> already defines __always_inline.
 */
#ifndef _CG_SHIM_LINUX_COMPILER_H
#define _CG_SHIM_LINUX_COMPILER_H

#include <sys/cdefs.h>

#define noinline	__attribute_noinline__

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Scalars only, as the callers here use them; plain moves on x86. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/* Lock annotations are for sparse only. */
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

#endif /* _CG_SHIM_LINUX_COMPILER_H */
