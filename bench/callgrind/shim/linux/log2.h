/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/log2.h>. */
#ifndef _CG_SHIM_LINUX_LOG2_H
#define _CG_SHIM_LINUX_LOG2_H

#include <linux/types.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* Floor of log2; @n must be non-zero, as in the kernel. */
#define ilog2(n)	((int)(63 - __builtin_clzll((unsigned long long)(n))))

#endif /* _CG_SHIM_LINUX_LOG2_H */
