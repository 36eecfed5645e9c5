// SPDX-License-Identifier: GPL-2.0
/*
 * Longest hold of any arena's lock, for tests and benchmarks that check
 * the bound on work under the lock.  Off by default: the lock helpers then
 * cost one patched-out branch (a static key).
 *
 *   /sys/module/arena/parameters/lock_hold_stats    1 to measure, 0 to stop
 *   /sys/module/arena/parameters/lock_hold_max_ns   longest hold seen; write 0
 *                                                   to reset
 */
#include <linux/atomic.h>
#include <linux/jump_label.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include "arena_core.h"

DEFINE_STATIC_KEY_FALSE(arena_lockstat_on);

static atomic64_t arena_lock_hold_max = ATOMIC64_INIT(0);

/**
 * arena_lockstat_record() - account the hold that is about to end
 * @a: arena, locked since @a->locked_at
 */
void arena_lockstat_record(struct arena *a)
{
	s64 held = local_clock() - a->locked_at;
	s64 max = atomic64_read(&arena_lock_hold_max);

	/* A hold that began before measuring was switched on has no start. */
	if (!a->locked_at)
		return;
	a->locked_at = 0;
	while (held > max &&
	       !atomic64_try_cmpxchg(&arena_lock_hold_max, &max, held))
		;
}

static int lock_hold_stats_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&arena_lockstat_on);
	else
		static_branch_disable(&arena_lockstat_on);
	return 0;
}

static int lock_hold_stats_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", static_key_enabled(&arena_lockstat_on));
}

static const struct kernel_param_ops lock_hold_stats_ops = {
	.set = lock_hold_stats_set,
	.get = lock_hold_stats_get,
};
module_param_cb(lock_hold_stats, &lock_hold_stats_ops, NULL, 0644);
MODULE_PARM_DESC(lock_hold_stats,
		 "Measure the longest hold of an arena's lock (default 0: off)");

static int lock_hold_max_set(const char *val, const struct kernel_param *kp)
{
	u64 v;
	int err = kstrtou64(val, 0, &v);

	if (err)
		return err;
	if (v)
		return -EINVAL;	/* only a reset makes sense */
	atomic64_set(&arena_lock_hold_max, 0);
	return 0;
}

static int lock_hold_max_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&arena_lock_hold_max));
}

static const struct kernel_param_ops lock_hold_max_ops = {
	.set = lock_hold_max_set,
	.get = lock_hold_max_get,
};
module_param_cb(lock_hold_max_ns, &lock_hold_max_ops, NULL, 0644);
MODULE_PARM_DESC(lock_hold_max_ns,
		 "Longest hold of an arena's lock in ns while lock_hold_stats is 1; write 0 to reset");
