/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/bitops.h>: what the core uses.
 */
#ifndef _CG_SHIM_LINUX_BITOPS_H
#define _CG_SHIM_LINUX_BITOPS_H

#include <linux/types.h>

#define BIT_ULL(n)	(1ULL << (n))

/* Index of the lowest set bit; @x must not be 0. */
static inline unsigned int __ffs64(u64 x)
{
	return __builtin_ctzll(x);
}

/* One plus the index of the highest set bit, or 0. */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif /* _CG_SHIM_LINUX_BITOPS_H */
