/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/kernel.h>: the helpers the core uses. */
#ifndef _CG_SHIM_LINUX_KERNEL_H
#define _CG_SHIM_LINUX_KERNEL_H

#include <errno.h>
#include <stddef.h>

#include <linux/compiler.h>
#include <linux/types.h>

#define U32_MAX		((u32)~0U)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min_t(type, x, y) \
	({ type __x = (x); type __y = (y); __x < __y ? __x : __y; })

#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)

#define WARN_ON_ONCE(cond)	__builtin_expect(!!(cond), 0)

#endif /* _CG_SHIM_LINUX_KERNEL_H */
