// SPDX-License-Identifier: GPL-2.0
/*
 * Walking every chunk of an arena in offset order.  Free chunks come from
 * the offset tree; the gap between two of them is a run of live
 * allocations, each found in the used table at the end of the one before.
 */
#include <linux/module.h>

#include "arena_core.h"

/**
 * arena_walk_locked() - visit chunks from a chunk boundary to the end
 * @a: arena, locked
 * @start: granule where a chunk starts (or the region's end)
 * @fn: callback; a non-zero return stops the walk
 * @priv: passed to @fn
 *
 * Return: 0, @fn's non-zero return, or -EINVAL if @start is not a chunk
 * boundary.
 */
int arena_walk_locked(struct arena *a, u32 start, arena_walk_fn fn, void *priv)
{
	struct arena_chunk *prev, *next_free;
	u32 cur = start;

	if (start > a->granules)
		return -EINVAL;
	arena_free_neighbours(a, start, &prev, &next_free, NULL);
	if (start < a->granules && !(next_free && next_free->off == start) &&
	    !arena_used_find(&a->used, start))
		return -EINVAL;

	while (cur < a->granules) {
		struct arena_chunk *c;
		bool used;
		int ret;

		if (next_free && next_free->off == cur) {
			struct rb_node *n = rb_next(&next_free->by_off);

			c = next_free;
			used = false;
			next_free = n ? rb_entry(n, struct arena_chunk, by_off) : NULL;
		} else {
			c = arena_used_find(&a->used, cur);
			if (!c)		/* bookkeeping broken; never expected */
				return -EIO;
			used = true;
		}
		ret = fn(priv, (size_t)c->off << a->shift,
			 (size_t)c->len << a->shift, used);
		if (ret)
			return ret;
		cur = c->off + c->len;
	}
	return 0;
}

/**
 * arena_walk() - call @fn for every chunk, in offset order
 * @a: arena
 * @fn: callback, called under the arena's spinlock (see &arena_walk_fn)
 * @priv: passed to @fn
 *
 * Context: takes the arena's spinlock; @fn must not sleep.
 * Return: 0 after the last chunk, or the first non-zero return of @fn.
 */
int arena_walk(struct arena *a, arena_walk_fn fn, void *priv)
{
	int ret;

	spin_lock(&a->lock);
	ret = arena_walk_locked(a, 0, fn, priv);
	spin_unlock(&a->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(arena_walk);
