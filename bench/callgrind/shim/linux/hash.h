/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/hash.h>: the kernel's generic hash_32(),
 * a multiplication by the 32-bit golden ratio keeping the top @bits bits.
 */
#ifndef _CG_SHIM_LINUX_HASH_H
#define _CG_SHIM_LINUX_HASH_H

#include <linux/types.h>

#define GOLDEN_RATIO_32	0x61C88647U

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

#endif /* _CG_SHIM_LINUX_HASH_H */
