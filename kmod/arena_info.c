// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_INFO: what this module is and what it accepts.  It needs no
 * arena, so it never triggers the implicit SETUP.
 */
#include <linux/compiler.h>
#include <linux/uaccess.h>

#include "../uapi/linux/arena.h"
#include "arena_dev.h"
#include "arena_info.h"

/* ARENA_VERSION_{MAJOR,MINOR,PATCH} come from the VERSION file (Kbuild). */
#define ARENA_FEATURES	(ARENA_FEATURE_BATCH | ARENA_FEATURE_WALK | \
			 (IS_ENABLED(CONFIG_COMPAT) ? ARENA_FEATURE_COMPAT32 : 0) | \
			 ARENA_FEATURE_MMAP_CHUNK | ARENA_FEATURE_REVOKE | \
			 ARENA_FEATURE_ZERO_ON_FREE | ARENA_FEATURE_MEMLOCK)

/**
 * arena_ioc_info() - fill a struct arena_info_args for user space
 * @uarg: user pointer to the struct arena_info_args to write
 *
 * Context: process context; may fault in @uarg.
 * Return: 0, or -EFAULT if @uarg cannot be written.
 */
int arena_ioc_info(void __user *uarg)
{
	struct arena_info_args out = {
		.abi_major = ARENA_ABI_MAJOR,
		.abi_minor = ARENA_ABI_MINOR,
		.features = ARENA_FEATURES,
		.version_major = ARENA_VERSION_MAJOR,
		.version_minor = ARENA_VERSION_MINOR,
		.version_patch = ARENA_VERSION_PATCH,
		.max_align = ARENA_MAX_ALIGN,
		.batch_max = ARENA_BATCH_MAX,
		.walk_max = ARENA_WALK_MAX,
		.max_total_bytes = READ_ONCE(arena_max_total_bytes),
	};

	return copy_to_user(uarg, &out, sizeof(out)) ? -EFAULT : 0;
}
