/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/sched/clock.h>: lock statistics stay off. */
#ifndef _CG_SHIM_LINUX_SCHED_CLOCK_H
#define _CG_SHIM_LINUX_SCHED_CLOCK_H

#include <linux/types.h>

static inline u64 local_clock(void)
{
	return 0;
}

#endif /* _CG_SHIM_LINUX_SCHED_CLOCK_H */
