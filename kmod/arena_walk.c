// SPDX-License-Identifier: GPL-2.0
/*
 * Walking every chunk of an arena in offset order.  Free chunks come from
 * the offset tree; the gap between two of them is a run of live
 * allocations, each found in the used table at the end of the one before.
 */
#include <linux/module.h>
#include <linux/sched.h>

#include "../uapi/linux/arena.h"
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

	lockdep_assert_held(&a->lock);
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

	arena_lock(a);
	ret = arena_walk_locked(a, 0, fn, priv);
	arena_unlock_plain(a);
	return ret;
}
EXPORT_SYMBOL_GPL(arena_walk);

struct arena_walk_fill {
	struct arena_walk_entry *out;
	u32 count;
	u32 limit;
};

static int arena_walk_fill_one(void *priv, size_t offset, size_t size, bool used)
{
	struct arena_walk_fill *w = priv;
	struct arena_walk_entry *e = &w->out[w->count++];

	e->offset = offset;
	e->size = size;
	e->flags = used ? ARENA_CHUNK_USED : 0;
	e->reserved = 0;
	return w->count == w->limit;	/* slice full: stop */
}

/**
 * arena_walk_entries() - report chunks from a chunk boundary, in slices
 * @a: arena, not locked
 * @start: byte offset of a chunk boundary (or the region's size)
 * @out: room for @capacity entries
 * @capacity: entries wanted, at least one
 * @next: set to the offset after the last entry reported
 *
 * The lock is dropped, and the CPU offered to others, every
 * %ARENA_LOCK_SLICE chunks.  Each entry is a chunk as it was when read; if
 * the arena changes between two slices so that the walk's position is no
 * longer a chunk boundary, the walk stops there early (a later call from
 * @next then fails with -EINVAL, as after any change between calls).
 *
 * Context: process context; sleeps between slices.
 * Return: entries written, or -EINVAL if @start is not a chunk boundary.
 */
int arena_walk_entries(struct arena *a, u64 start, struct arena_walk_entry *out,
		       u32 capacity, u64 *next)
{
	struct arena_walk_fill w = { .out = out };
	u64 end = arena_size_bytes(a), cur = start;
	int ret;

	might_sleep();
	if (start > end || start & ((1ULL << a->shift) - 1))
		return -EINVAL;
	while (w.count < capacity && cur < end) {
		w.limit = w.count + min_t(u32, capacity - w.count, ARENA_LOCK_SLICE);
		arena_lock(a);
		ret = arena_walk_locked(a, cur >> a->shift, arena_walk_fill_one, &w);
		arena_unlock_plain(a);
		if (ret < 0 && cur == start)
			return ret;
		if (w.count)
			cur = out[w.count - 1].offset + out[w.count - 1].size;
		if (ret <= 0)	/* the end, or the position went away */
			break;
		cond_resched();
	}
	*next = cur;
	return w.count;
}
