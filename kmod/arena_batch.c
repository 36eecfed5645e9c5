// SPDX-License-Identifier: GPL-2.0
/*
 * Many allocations and frees in one call (ARENA_IOC_BATCH), run in slices:
 * the lock is dropped, and the CPU offered to others, every
 * %ARENA_LOCK_SLICE operations, so that no hold of the arena's lock does
 * more than a slice of work whatever the batch holds.  Each operation
 * still reports its own result, exactly as if it ran alone.
 */
#include <linux/sched.h>

#include "../uapi/linux/arena.h"
#include "arena_core.h"

/* Allocations among ops[0..n). */
static u32 batch_allocs(const struct arena_batch_op *ops, u32 n)
{
	u32 i, allocs = 0;

	for (i = 0; i < n; i++)
		allocs += ops[i].op == ARENA_BATCH_ALLOC;
	return allocs;
}

/*
 * Runs one operation.  Returns true when it was a FREE whose allocation
 * must die outside the lock (mappings to revoke, bytes to zero): the slice
 * ends there, so that the operations after it see the space freed, as if
 * each ran alone.
 */
static bool batch_run_one(struct arena *a, struct arena_batch_op *op,
			  const struct arena_free_hook *hook,
			  struct arena_dying *dying)
{
	op->offset = 0;
	if (op->op == ARENA_BATCH_FREE) {
		op->error = arena_free_begin_locked(a, op->arg, hook, dying);
		if (op->error > 0) {	/* freed once it has died: a success */
			op->error = 0;
			return true;
		}
	} else if (!op->arg) {
		op->error = -EINVAL;
	} else {
		/*
		 * Carving needs a node; the slice reserved one per
		 * allocation, but a reservation can fail midway: then the
		 * allocations that need a node fail one by one.
		 */
		if (!a->spare && arena_reserve_nodes(a, 1)) {
			op->error = -ENOMEM;
			a->alloc_failed++;
		} else {
			op->error = arena_alloc_locked(a, op->arg, &op->offset);
		}
	}
	return false;
}

/**
 * arena_batch() - run validated operations in order, in slices
 * @a: arena, not locked
 * @ops: operations whose @op is %ARENA_BATCH_ALLOC or %ARENA_BATCH_FREE;
 *	@offset and @error are written
 * @count: operations in @ops
 * @hook: the device's hook for frees of mapped allocations (or all, when
 *	it zeroes), or NULL
 *
 * Context: process context; sleeps between slices.
 * Return: how many operations failed, or -ENOMEM (nothing ran) when the
 * first slice cannot get the nodes it needs.
 */
int arena_batch(struct arena *a, struct arena_batch_op *ops, u32 count,
		const struct arena_free_hook *hook)
{
	u32 done, failed = 0;

	might_sleep();
	for (done = 0; done < count; ) {
		u32 i, n = min_t(u32, count - done, ARENA_LOCK_SLICE);
		struct arena_dying dying;
		bool dies = false;

		arena_lock(a);
		/* Later, a failed reservation is retried, and reported, per operation. */
		if (arena_reserve_nodes(a, batch_allocs(ops + done, n)) && !done) {
			arena_unlock(a);
			return -ENOMEM;
		}
		for (i = 0; i < n && !dies; i++) {
			dies = batch_run_one(a, &ops[done + i], hook, &dying);
			failed += ops[done + i].error != 0;
		}
		arena_unlock_after_alloc(a);
		if (dies) {
			hook->finish(hook->priv, &dying);
			arena_lock(a);
			arena_free_end_locked(a, dying.offset);
			arena_unlock(a);
		}
		done += i;
		cond_resched();
	}
	return failed;
}
