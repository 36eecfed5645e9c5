/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/gfp.h>: gfp_t (from <linux/types.h>, as
 * in the kernel) and the flags the core and the driver use.  Only
 * __GFP_ZERO changes what the slab shim does.
 */
#ifndef _CG_SHIM_LINUX_GFP_H
#define _CG_SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_NOWARN	0x1U
#define __GFP_ZERO	0x2U
#define GFP_KERNEL	0x10U

/* The replay never sleeps: destroy takes its non-sleeping path. */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	(void)gfp;
	return false;
}

#endif /* _CG_SHIM_LINUX_GFP_H */
