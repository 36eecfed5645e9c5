// SPDX-License-Identifier: GPL-2.0
/*
 * The system-wide view, read-only, next to the cap it is measured against:
 *
 *   /sys/module/arena/parameters/total_bytes      bytes of all /dev/arena
 *                                                 regions (page-rounded)
 *   /sys/module/arena/parameters/arenas           arenas set up, not released
 *   /sys/module/arena/parameters/max_total_bytes  the cap (arena_main.c)
 *
 * Module parameters with get-only ops: sysfs files that live exactly as
 * long as the module, with no kobject of our own, readable by everyone,
 * in the directory where admins already find the cap.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "arena_dev.h"

/* Not settable, not even at insmod time. */
static int arena_param_set_ro(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int arena_param_get_total(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%lu\n", arena_total_charged());
}

static int arena_param_get_count(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%ld\n", arena_dev_count());
}

static const struct kernel_param_ops arena_total_ops = {
	.set = arena_param_set_ro,
	.get = arena_param_get_total,
};

static const struct kernel_param_ops arena_count_ops = {
	.set = arena_param_set_ro,
	.get = arena_param_get_count,
};

module_param_cb(total_bytes, &arena_total_ops, NULL, 0444);
MODULE_PARM_DESC(total_bytes,
		 "Read-only: bytes of all /dev/arena regions together, held against max_total_bytes");
module_param_cb(arenas, &arena_count_ops, NULL, 0444);
MODULE_PARM_DESC(arenas, "Read-only: /dev/arena arenas set up and not yet released");
