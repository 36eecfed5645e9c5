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

#include <linux/jump_label.h>
#include <linux/rbtree.h>
#include <linux/sched/clock.h>
#include <linux/siphash.h>
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
 * @gen: live allocation: the arena's allocation count when it was made, so
 *	that a mapping made of it is never taken for one of a later
 *	allocation at the same offset
 * @mapped: live allocation: mmap()ed on its own at least once
 * @dying: live allocation: being freed (mappings revoked, bytes zeroed)
 *	outside the lock; no other FREE or mmap may take it
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
		struct {
			struct hlist_node hnode;
			u64 gen;
			bool mapped;
			bool dying;
		};
		struct arena_chunk *next_spare;
	};
	u32 off;
	u32 len;
};

/**
 * struct arena_used_table - live allocations, hashed by offset
 * @buckets: 1 << @bits chain heads; new entries always go here
 * @old: while the table grows, the previous bucket array, drained a few
 *	buckets per operation; NULL otherwise
 * @retired: a drained @old, to be freed once the lock is dropped
 * @bits: log2 of the bucket count of @buckets
 * @old_bits: log2 of the bucket count of @old
 * @drain: next bucket of @old to move into @buckets
 * @count: live allocations in the table
 * @key: per-arena secret key of the hash, so that user space cannot choose
 *	offsets that share a chain
 */
struct arena_used_table {
	struct hlist_head *buckets;
	struct hlist_head *old;
	struct hlist_head *retired;
	unsigned int bits;
	unsigned int old_bits;
	u32 drain;
	u32 count;
	hsiphash_key_t key;
};

/**
 * struct arena_ledger - memory charged on behalf of one /dev/arena user
 * @user: the user charged against RLIMIT_MEMLOCK, or NULL when the opener
 *	had CAP_IPC_LOCK (still counted against the global cap)
 * @bytes: bytes in use: region and bookkeeping
 * @pages: whole pages charged for @bytes, to the user and to the global cap
 *
 * Owned by the device; the core charges its own bookkeeping through it,
 * under the arena's lock once the arena exists.
 */
struct arena_ledger {
	struct user_struct *user;
	size_t bytes;
	unsigned long pages;
};

int arena_ledger_charge(struct arena_ledger *l, size_t bytes);
void arena_ledger_uncharge(struct arena_ledger *l, size_t bytes);

/**
 * struct arena - a coalescing best-fit arena over [base, base + size)
 * @lock: serialises every operation on the arena
 * @base: first byte of the managed region
 * @shift: log2 of the alignment
 * @granules: region size in granules
 * @gfp: flags for the arena's own bookkeeping allocations
 * @ledger: where bookkeeping is charged (/dev/arena), or NULL (in-kernel API)
 * @locked_at: local_clock() when @lock was taken, while lock statistics run
 * @next_gen: generation of the next allocation
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
	struct arena_ledger *ledger;
	u64 locked_at;
	u64 next_gen;
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

/* Used-chunk hash table (arena_used_table.c); all but grow under the lock. */
int arena_used_init(struct arena_used_table *t, unsigned int bits, gfp_t gfp);
void arena_used_destroy(struct arena_used_table *t);
void arena_used_insert(struct arena_used_table *t, struct arena_chunk *c);
struct arena_chunk *arena_used_find(struct arena_used_table *t, u32 off);
void arena_used_remove(struct arena_used_table *t, struct arena_chunk *c);
void arena_used_drain(struct arena *a);
void arena_used_grow(struct arena *a);
struct hlist_head *arena_used_take_retired(struct arena *a);
size_t arena_used_bytes(const struct arena_used_table *t);
void arena_used_free_all(struct arena *a, void (*free_node)(struct arena *a,
							    struct arena_chunk *c));

/* Lock hold statistics (arena_lockstat.c), off unless asked for. */
DECLARE_STATIC_KEY_FALSE(arena_lockstat_on);
void arena_lockstat_record(struct arena *a);

/**
 * arena_lock() - take the arena's lock
 * @a: arena
 */
static inline void arena_lock(struct arena *a)
	__acquires(&a->lock)
{
	spin_lock(&a->lock);
	if (static_branch_unlikely(&arena_lockstat_on))
		a->locked_at = local_clock();
}

/**
 * arena_unlock_plain() - drop the arena's lock and nothing else
 * @a: arena, locked
 */
static inline void arena_unlock_plain(struct arena *a)
	__releases(&a->lock)
{
	if (static_branch_unlikely(&arena_lockstat_on))
		arena_lockstat_record(a);
	spin_unlock(&a->lock);
}

/*
 * Offset interface for /dev/arena.  Callers hold the lock and have made
 * sure (with arena_reserve_nodes()) that each allocation finds a spare node.
 */
struct arena_dying;
struct arena_free_hook;
struct arena *arena_create_charged(void *base, size_t size, size_t alignment,
				   gfp_t gfp, struct arena_ledger *ledger);
int arena_reserve_nodes(struct arena *a, unsigned int n) __must_hold(&a->lock);
int arena_alloc_locked(struct arena *a, u64 bytes, u64 *offset);
int arena_free_locked(struct arena *a, u64 offset);
int arena_free_begin_locked(struct arena *a, u64 offset,
			    const struct arena_free_hook *hook,
			    struct arena_dying *d);
void arena_free_end_locked(struct arena *a, u64 offset);
int arena_walk_locked(struct arena *a, u32 start, arena_walk_fn fn, void *priv);
void arena_unlock_slow(struct arena *a) __releases(&a->lock);
void arena_unlock_maintain(struct arena *a) __releases(&a->lock);
size_t arena_size_bytes(const struct arena *a);

/* The same, taking the lock themselves. */
int arena_alloc_offset(struct arena *a, u64 bytes, u64 *offset);
int arena_free_offset(struct arena *a, u64 offset);

/*
 * Freeing the allocations of /dev/arena that were mapped on their own, or
 * whose bytes must be zeroed: the chunk is marked dying under the lock,
 * then the device revokes its mappings and zeroes it with the lock
 * dropped, then the chunk is freed.
 */

/**
 * struct arena_dying - an allocation being freed outside the lock
 * @offset: its byte offset
 * @bytes: its size in bytes
 * @mapped: it was mapped on its own: revoke those mappings
 */
struct arena_dying {
	u64 offset;
	u64 bytes;
	bool mapped;
};

/**
 * struct arena_free_hook - what the device does to a dying allocation
 * @finish: called with the lock dropped, for each dying allocation,
 *	before it is freed
 * @priv: passed to @finish
 * @zero: every freed allocation dies (its bytes are zeroed by @finish)
 */
struct arena_free_hook {
	void (*finish)(void *priv, const struct arena_dying *d);
	void *priv;
	bool zero;
};

int arena_free_offset_hooked(struct arena *a, u64 offset,
			     const struct arena_free_hook *hook);
int arena_chunk_map(struct arena *a, u64 offset, u64 *bytes, u64 *gen);
bool arena_chunk_current(struct arena *a, u64 offset, u64 gen);

/*
 * Many operations for /dev/arena, in slices of at most %ARENA_LOCK_SLICE
 * chunks or operations a lock hold; process context only (they reschedule).
 */
#define ARENA_LOCK_SLICE	32

struct arena_batch_op;
struct arena_walk_entry;
int arena_batch(struct arena *a, struct arena_batch_op *ops, u32 count,
		const struct arena_free_hook *hook);
int arena_walk_entries(struct arena *a, u64 start, struct arena_walk_entry *out,
		       u32 capacity, u64 *next);

/* Entries a used-table bucket may hold on average before the table grows. */
#define ARENA_USED_LOAD		2

/**
 * arena_used_wants_growth() - whether chains have grown past the load limit
 * @t: table, under the arena's lock
 *
 * Return: true if arena_used_grow() should run once the lock is dropped;
 * never while an earlier growth is still being drained.
 */
static inline bool arena_used_wants_growth(const struct arena_used_table *t)
{
	return t->count > (ARENA_USED_LOAD << t->bits) && t->bits < 31 &&
	       !t->old && !t->retired;
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
		arena_unlock_plain(a);
	else
		arena_unlock_slow(a);
}

/**
 * arena_unlock_after_alloc() - drop the lock, then grow the used table or
 * free its drained array
 * @a: arena, locked
 *
 * Only allocation paths allocate or free table arrays, with the arena's
 * gfp: freeing a chunk never allocates or sleeps.
 */
static inline void arena_unlock_after_alloc(struct arena *a)
	__releases(&a->lock)
{
	if (unlikely(arena_used_wants_growth(&a->used) || a->used.retired))
		arena_unlock_maintain(a);
	else
		arena_unlock(a);
}

#endif /* _ARENA_KMOD_ARENA_CORE_H */
