/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the coalescing arena, shared by the core files and the
 * /dev/arena device.  Other modules use kmod/arena_api.h only.
 *
 * Offsets and sizes are kept in granules (units of the alignment) as u32,
 * so a chunk's bookkeeping fits in 56 bytes.
 */
#ifndef _ARENA_KMOD_ARENA_CORE_H
#define _ARENA_KMOD_ARENA_CORE_H

#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "arena_api.h"

/*
 * Spare nodes an arena keeps after an operation, for the next ones; also
 * what a batch reserves at a time, so that batches do not churn the cache.
 */
#define ARENA_SPARE_KEEP	32

/* Free chunks of up to this many granules are kept in exact-size bins. */
#define ARENA_BINS		64	/* one bit each in @bin_map */

/**
 * struct arena_chunk - bookkeeping of one chunk of the region
 * @by_off: free chunk: node in &arena.by_off
 * @by_size: free chunk: node in its bin, or in &arena.by_size
 * @hnode: live allocation: link in the used-chunk hash table
 * @next_spare: unused node: link in &arena.spare
 * @off: first granule of the chunk
 * @len: granules in the chunk
 */
struct arena_chunk {
	union {
		struct {
			struct rb_node by_off;
			struct rb_node by_size;
		};
		struct hlist_node hnode;
		struct arena_chunk *next_spare;
	};
	u32 off;
	u32 len;
};

/**
 * struct arena_used_table - live allocations, hashed by offset
 * @buckets: 1 << @bits chain heads
 * @bits: log2 of the bucket count
 * @count: live allocations in the table
 */
struct arena_used_table {
	struct hlist_head *buckets;
	unsigned int bits;
	u32 count;
};

/**
 * struct arena - a coalescing best-fit arena over [base, base + size)
 * @lock: serialises every operation on the arena
 * @base: first byte of the managed region
 * @shift: log2 of the alignment
 * @granules: region size in granules
 * @gfp: flags for the arena's own bookkeeping allocations
 * @by_off: free chunks ordered by offset
 * @by_size: free chunks above %ARENA_BINS granules by (size, offset)
 * @bins: free chunks of 1 to %ARENA_BINS granules, one bin a size, by offset
 * @bin_map: bit n set when bin n (chunks of n + 1 granules) is not empty
 * @used: live allocations
 * @spare: nodes allocated outside the lock, ready for use under it
 * @nr_spare: nodes on @spare
 * @nr_nodes: nodes owned by the arena (in use or spare)
 * @used_granules: granules in live allocations
 * @chunks_free: free chunks
 * @alloc_ok: successful allocations
 * @alloc_failed: failed allocations
 * @free_ok: successful frees
 * @free_invalid: rejected frees
 * @id: names the arena in trace events and fdinfo; unique, from arena_new_id()
 */
struct arena {
	spinlock_t lock;		/* protects everything below but @base */
	void *base;
	unsigned int shift;
	u32 granules;
	gfp_t gfp;
	struct rb_root by_off;
	struct rb_root by_size;
	struct rb_root_cached bins[ARENA_BINS];
	u64 bin_map;
	struct arena_used_table used;
	struct arena_chunk *spare;
	unsigned int nr_spare;
	unsigned long nr_nodes;
	u64 used_granules;
	u32 chunks_free;
	u64 alloc_ok;
	u64 alloc_failed;
	u64 free_ok;
	u64 free_invalid;
	u64 id;
};

/* Chunk node cache, shared by every arena. */
int arena_chunk_cache_init(void);
void arena_chunk_cache_exit(void);

/* Free-chunk trees (arena_free_tree.c); all under @a->lock. */

/**
 * struct arena_off_pos - where a chunk would be linked into the offset tree
 * @parent: parent node, or NULL for the root
 * @link: the child pointer to set
 */
struct arena_off_pos {
	struct rb_node *parent;
	struct rb_node **link;
};

struct arena_chunk *arena_best_fit(struct arena *a, u32 len);
void arena_free_insert_at(struct arena *a, struct arena_chunk *c,
			  const struct arena_off_pos *pos);
void arena_free_erase(struct arena *a, struct arena_chunk *c);
void arena_free_resize(struct arena *a, struct arena_chunk *c, u32 off, u32 len);
u32 arena_largest_free(struct arena *a);
void arena_free_neighbours(struct arena *a, u32 off, struct arena_chunk **prev,
			   struct arena_chunk **next, struct arena_off_pos *pos);

/* Used-chunk hash table (arena_used_table.c). */
int arena_used_init(struct arena_used_table *t, unsigned int bits, gfp_t gfp);
void arena_used_destroy(struct arena_used_table *t);
void arena_used_insert(struct arena_used_table *t, struct arena_chunk *c);
struct arena_chunk *arena_used_find(struct arena_used_table *t, u32 off);
void arena_used_remove(struct arena_used_table *t, struct arena_chunk *c);
void arena_used_grow(struct arena *a);
size_t arena_used_bytes(const struct arena_used_table *t);

/*
 * Offset interface for /dev/arena.  Callers hold the lock and have made
 * sure (with arena_reserve_nodes()) that each allocation finds a spare node.
 */
int arena_reserve_nodes(struct arena *a, unsigned int n) __must_hold(&a->lock);
int arena_alloc_locked(struct arena *a, u64 bytes, u64 *offset);
int arena_free_locked(struct arena *a, u64 offset);
int arena_walk_locked(struct arena *a, u32 start, arena_walk_fn fn, void *priv);
void arena_unlock_slow(struct arena *a) __releases(&a->lock);
size_t arena_size_bytes(const struct arena *a);

/* The same, taking the lock themselves. */
int arena_alloc_offset(struct arena *a, u64 bytes, u64 *offset);
int arena_free_offset(struct arena *a, u64 offset);
u64 arena_live_size(struct arena *a, u64 offset);

/* Entries a used-table bucket may hold on average before the table doubles. */
#define ARENA_USED_LOAD		2

/**
 * arena_used_wants_growth() - whether chains have grown past the load limit
 * @t: table, under the arena's lock
 *
 * Return: true if arena_used_grow() should run once the lock is dropped.
 */
static inline bool arena_used_wants_growth(const struct arena_used_table *t)
{
	return t->count > (ARENA_USED_LOAD << t->bits) && t->bits < 31;
}

/**
 * arena_unlock() - drop the lock; never allocates or sleeps
 * @a: arena, locked
 *
 * Spare nodes beyond %ARENA_SPARE_KEEP go back to the cache (rare).
 */
static inline void arena_unlock(struct arena *a)
	__releases(&a->lock)
{
	if (likely(a->nr_spare <= ARENA_SPARE_KEEP))
		spin_unlock(&a->lock);
	else
		arena_unlock_slow(a);
}

/**
 * arena_unlock_after_alloc() - drop the lock, then grow the used table
 * @a: arena, locked
 *
 * Only allocation paths grow the table, with the arena's gfp: freeing
 * never allocates.
 */
static inline void arena_unlock_after_alloc(struct arena *a)
	__releases(&a->lock)
{
	bool grow = arena_used_wants_growth(&a->used);

	arena_unlock(a);
	if (unlikely(grow))
		arena_used_grow(a);
}

#endif /* _ARENA_KMOD_ARENA_CORE_H */
