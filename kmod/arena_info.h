/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARENA_IOC_INFO: the module's version, ABI, features and limits.
 */
#ifndef _ARENA_KMOD_ARENA_INFO_H
#define _ARENA_KMOD_ARENA_INFO_H

#include <linux/compiler_types.h>

int arena_ioc_info(void __user *uarg);

#endif /* _ARENA_KMOD_ARENA_INFO_H */
