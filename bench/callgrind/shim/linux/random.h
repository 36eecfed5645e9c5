/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/random.h>: a fixed key, for repeatable counts. */
#ifndef _CG_SHIM_LINUX_RANDOM_H
#define _CG_SHIM_LINUX_RANDOM_H

#include <string.h>

static inline void get_random_bytes(void *buf, size_t n)
{
	memset(buf, 0x5a, n);
}

#endif /* _CG_SHIM_LINUX_RANDOM_H */
