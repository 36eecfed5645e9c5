/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/types.h>: fixed-width types, gfp_t and
 * the hlist types, which the kernel also defines here.
 */
#ifndef _CG_SHIM_LINUX_TYPES_H
#define _CG_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel's own choices (int-ll64), so that %llu prints a u64. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int gfp_t;
/* The uapi names, for <linux/arena.h>. */
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* _CG_SHIM_LINUX_TYPES_H */
