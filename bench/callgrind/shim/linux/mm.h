/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/mm.h>: kvmalloc_array() and kvfree(). */
#ifndef _CG_SHIM_LINUX_MM_H
#define _CG_SHIM_LINUX_MM_H

#include <linux/slab.h>

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

#endif /* _CG_SHIM_LINUX_MM_H */
