// SPDX-License-Identifier: GPL-2.0
/*
 * The coalescing best-fit arena: allocation and free, for both the
 * exported in-kernel API and /dev/arena.
 *
 * alloc takes the smallest free chunk that fits (lowest offset among equal
 * sizes) and carves the allocation from its tail, so the free chunk keeps
 * its offset and only its size changes.  free merges with both neighbours,
 * so no two free chunks are ever adjacent.  Nodes for the bookkeeping are
 * allocated with the arena's gfp before the lock is taken: nothing under
 * the lock allocates, and a failed node allocation leaves the arena as it
 * was.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "arena_core.h"
#include "arena_trace.h"

/* Initial used-table size: 64 buckets. */
#define ARENA_USED_MIN_BITS	6

static struct kmem_cache *arena_chunk_cache;

int arena_chunk_cache_init(void)
{
	arena_chunk_cache = KMEM_CACHE(arena_chunk, 0);
	return arena_chunk_cache ? 0 : -ENOMEM;
}

void arena_chunk_cache_exit(void)
{
	kmem_cache_destroy(arena_chunk_cache);
}

size_t arena_size_bytes(const struct arena *a)
{
	return (size_t)a->granules << a->shift;
}

/* A byte offset that could start a chunk: inside the region, aligned. */
static bool arena_offset_ok(const struct arena *a, u64 offset)
{
	return offset < arena_size_bytes(a) &&
	       !(offset & ((1ULL << a->shift) - 1));
}

static struct arena_chunk *spare_pop(struct arena *a)
{
	struct arena_chunk *c = a->spare;

	a->spare = c->next_spare;
	a->nr_spare--;
	return c;
}

static void spare_push(struct arena *a, struct arena_chunk *c)
{
	c->next_spare = a->spare;
	a->spare = c;
	a->nr_spare++;
}

static void chunk_chain_free(struct arena_chunk *c)
{
	while (c) {
		struct arena_chunk *next = c->next_spare;

		kmem_cache_free(arena_chunk_cache, c);
		c = next;
	}
}

static size_t node_bytes(unsigned long n)
{
	return (size_t)n * kmem_cache_size(arena_chunk_cache);
}

/**
 * arena_reserve_nodes() - make sure at least @n spare nodes are ready
 * @a: arena, locked
 * @n: nodes the caller's allocations may need
 *
 * Nodes are charged to the arena's ledger first, then allocated with the
 * lock dropped, so @a->gfp may sleep; the arena may change meanwhile.
 * Returns with the lock held either way.
 *
 * Return: 0, or -ENOMEM (the caller counts the failed allocation).
 */
int arena_reserve_nodes(struct arena *a, unsigned int n)
	__must_hold(&a->lock)
{
	lockdep_assert_held(&a->lock);
	while (a->nr_spare < n) {
		unsigned int want = n - a->nr_spare, got;
		struct arena_chunk *chain = NULL;

		if (arena_ledger_charge(a->ledger, node_bytes(want)))
			return -ENOMEM;
		arena_unlock_plain(a);
		might_alloc(a->gfp);
		for (got = 0; got < want; got++) {
			struct arena_chunk *c;

			c = kmem_cache_alloc(arena_chunk_cache, a->gfp);
			if (!c)
				break;
			c->next_spare = chain;
			chain = c;
		}
		arena_lock(a);
		arena_ledger_uncharge(a->ledger, node_bytes(want - got));
		a->nr_nodes += got;
		while (chain) {
			struct arena_chunk *next = chain->next_spare;

			spare_push(a, chain);
			chain = next;
		}
		if (got < want)
			return -ENOMEM;
	}
	return 0;
}

/**
 * arena_unlock_slow() - arena_unlock() with extra spare nodes to return
 * @a: arena, locked
 *
 * kmem_cache_free() never sleeps, but runs after the unlock all the same
 * to keep the lock hold short.
 */
void arena_unlock_slow(struct arena *a)
	__releases(&a->lock)
{
	struct arena_chunk *extra = NULL;
	unsigned int n = 0;

	while (a->nr_spare > ARENA_SPARE_KEEP) {
		struct arena_chunk *c = spare_pop(a);

		c->next_spare = extra;
		extra = c;
		n++;
	}
	a->nr_nodes -= n;
	arena_ledger_uncharge(a->ledger, node_bytes(n));
	arena_unlock_plain(a);
	chunk_chain_free(extra);
}

/**
 * arena_unlock_maintain() - drop the lock, then free a drained used-table
 * array and start the table's next growth, as needed
 * @a: arena, locked, after an allocation path
 *
 * May sleep if the arena's gfp allows (it allocates and frees with it).
 */
void arena_unlock_maintain(struct arena *a)
	__releases(&a->lock)
{
	struct hlist_head *retired = arena_used_take_retired(a);
	bool grow = arena_used_wants_growth(&a->used);

	arena_unlock(a);
	kvfree(retired);
	if (grow)
		arena_used_grow(a);
}

/**
 * arena_alloc_locked() - allocate @bytes, reporting the byte offset
 * @a: arena, locked, with a spare node reserved
 * @bytes: bytes wanted, non-zero; rounded up to the alignment
 * @offset: set to the allocation's byte offset on success
 *
 * Return: 0, or -ENOMEM when no free chunk is large enough (state unchanged).
 */
int arena_alloc_locked(struct arena *a, u64 bytes, u64 *offset)
{
	struct arena_chunk *c, *u;
	u32 need;

	lockdep_assert_held(&a->lock);
	if (unlikely(a->used.old))
		arena_used_drain(a);
	/* Checked first so that the rounding below cannot overflow. */
	if (bytes > arena_size_bytes(a))
		goto no_space;
	need = (bytes + (1ULL << a->shift) - 1) >> a->shift;
	c = arena_best_fit(a, need);
	if (!c)
		goto no_space;

	if (c->len == need) {
		arena_free_erase(a, c);
		u = c;
	} else {
		if (!a->spare)
			goto no_space;
		u = spare_pop(a);
		arena_free_resize(a, c, c->off, c->len - need);
		u->off = c->off + c->len;
		u->len = need;
	}
	u->gen = a->next_gen++;
	u->mapped = false;
	u->dying = false;
	arena_used_insert(&a->used, u);
	a->used_granules += need;
	a->alloc_ok++;
	*offset = (u64)u->off << a->shift;
	arena_trace_alloc(a, bytes, *offset, 0);
	return 0;

no_space:
	a->alloc_failed++;
	arena_trace_alloc(a, bytes, 0, -ENOMEM);
	return -ENOMEM;
}

/* The live allocation starting at byte @offset, or NULL. */
static struct arena_chunk *arena_live_at(struct arena *a, u64 offset)
{
	if (!arena_offset_ok(a, offset))
		return NULL;
	return arena_used_find(&a->used, offset >> a->shift);
}

/* Frees live allocation @u and merges it with its free neighbours. */
static void arena_free_chunk(struct arena *a, struct arena_chunk *u)
{
	struct arena_chunk *prev, *next;
	struct arena_off_pos pos;
	u32 off = u->off;

	trace_arena_free(a, (u64)off << a->shift, (u64)u->len << a->shift, 0);
	arena_used_remove(&a->used, u);
	a->used_granules -= u->len;
	a->free_ok++;

	arena_free_neighbours(a, off, &prev, &next, &pos);
	if (prev && prev->off + prev->len != off)
		prev = NULL;
	if (next && off + u->len != next->off)
		next = NULL;

	if (prev && next) {
		arena_free_erase(a, next);
		arena_free_resize(a, prev, prev->off, prev->len + u->len + next->len);
		spare_push(a, next);
		spare_push(a, u);
	} else if (prev) {
		arena_free_resize(a, prev, prev->off, prev->len + u->len);
		spare_push(a, u);
	} else if (next) {
		/* Still between the same free chunks: offset order holds. */
		arena_free_resize(a, next, off, next->len + u->len);
		spare_push(a, u);
	} else {
		arena_free_insert_at(a, u, &pos);
	}
}

/* A live allocation that a FREE may take: not already being freed. */
static struct arena_chunk *arena_freeable_at(struct arena *a, u64 offset)
{
	struct arena_chunk *u;

	lockdep_assert_held(&a->lock);
	if (unlikely(a->used.old))
		arena_used_drain(a);
	u = arena_live_at(a, offset);
	if (!u || u->dying) {
		a->free_invalid++;
		trace_arena_free(a, offset, 0, -EINVAL);
		return NULL;
	}
	return u;
}

/**
 * arena_free_locked() - free the allocation at a byte offset
 * @a: arena, locked
 * @offset: byte offset of a live allocation
 *
 * Return: 0, or -EINVAL (state unchanged) when @offset is not the start of
 * a live allocation.
 */
int arena_free_locked(struct arena *a, u64 offset)
{
	struct arena_chunk *u = arena_freeable_at(a, offset);

	if (!u)
		return -EINVAL;
	arena_free_chunk(a, u);
	return 0;
}

/**
 * arena_free_begin_locked() - free now, or mark dying for the hook
 * @a: arena, locked
 * @offset: byte offset of a live allocation
 * @hook: the device's hook, or NULL (free now)
 * @d: filled in when the allocation is marked dying
 *
 * Return: 0 when freed now, 1 when marked dying (call @hook->finish with
 * the lock dropped, then arena_free_end_locked()), -EINVAL as
 * arena_free_locked().
 */
int arena_free_begin_locked(struct arena *a, u64 offset,
			    const struct arena_free_hook *hook,
			    struct arena_dying *d)
{
	struct arena_chunk *u = arena_freeable_at(a, offset);

	if (!u)
		return -EINVAL;
	if (!hook || (!hook->zero && !u->mapped)) {
		arena_free_chunk(a, u);
		return 0;
	}
	u->dying = true;
	d->offset = offset;
	d->bytes = (u64)u->len << a->shift;
	d->mapped = u->mapped;
	return 1;
}

/**
 * arena_free_end_locked() - free an allocation marked dying
 * @a: arena, locked
 * @offset: its byte offset
 */
void arena_free_end_locked(struct arena *a, u64 offset)
{
	struct arena_chunk *u;

	lockdep_assert_held(&a->lock);
	if (unlikely(a->used.old))
		arena_used_drain(a);
	u = arena_live_at(a, offset);
	/* Nothing else frees a dying chunk; never expected. */
	if (WARN_ON_ONCE(!u || !u->dying))
		return;
	arena_free_chunk(a, u);
}

/**
 * arena_free_offset_hooked() - free, revoking mappings and zeroing as needed
 * @a: arena, not locked
 * @offset: byte offset of a live allocation
 * @hook: what to do, lock dropped, before an allocation that was mapped on
 *	its own (or any, with @hook->zero) is freed
 *
 * Context: process context if @hook->finish sleeps.
 * Return: 0 or -EINVAL, as arena_free_locked().
 */
int arena_free_offset_hooked(struct arena *a, u64 offset,
			     const struct arena_free_hook *hook)
{
	struct arena_dying d;
	int ret;

	arena_lock(a);
	ret = arena_free_begin_locked(a, offset, hook, &d);
	arena_unlock(a);
	if (ret <= 0)
		return ret;
	hook->finish(hook->priv, &d);
	arena_lock(a);
	arena_free_end_locked(a, offset);
	arena_unlock(a);
	return 0;
}

/**
 * arena_chunk_map() - note that a live allocation is being mapped on its own
 * @a: arena, not locked
 * @offset: its byte offset
 * @bytes: set to its size
 * @gen: set to its generation, for arena_chunk_current()
 *
 * From now on freeing it goes through the device's hook.
 *
 * Return: 0, or -EINVAL if no live allocation (or a dying one) starts there.
 */
int arena_chunk_map(struct arena *a, u64 offset, u64 *bytes, u64 *gen)
{
	struct arena_chunk *u;
	int ret = -EINVAL;

	arena_lock(a);
	u = arena_live_at(a, offset);
	if (u && !u->dying) {
		u->mapped = true;
		*bytes = (u64)u->len << a->shift;
		*gen = u->gen;
		ret = 0;
	}
	arena_unlock_plain(a);
	return ret;
}

/**
 * arena_chunk_current() - whether a mapped allocation is still the same
 * @a: arena, not locked
 * @offset: its byte offset
 * @gen: its generation from arena_chunk_map()
 *
 * Return: true while that very allocation is live and not being freed.
 */
bool arena_chunk_current(struct arena *a, u64 offset, u64 gen)
{
	struct arena_chunk *u;
	bool ret;

	arena_lock(a);
	u = arena_live_at(a, offset);
	ret = u && !u->dying && u->gen == gen;
	arena_unlock_plain(a);
	return ret;
}

/**
 * arena_alloc_offset() - allocate, reporting a byte offset
 * @a: arena, not locked
 * @bytes: bytes wanted, non-zero
 * @offset: set to the allocation's byte offset on success
 *
 * Return: 0 or -ENOMEM (no space or no memory), the arena unchanged.
 */
int arena_alloc_offset(struct arena *a, u64 bytes, u64 *offset)
{
	int err;

	arena_lock(a);
	if (unlikely(!a->spare) && arena_reserve_nodes(a, 1)) {
		a->alloc_failed++;
		arena_unlock(a);
		return -ENOMEM;
	}
	err = arena_alloc_locked(a, bytes, offset);
	arena_unlock_after_alloc(a);
	return err;
}

/**
 * arena_free_offset() - free the allocation at a byte offset
 * @a: arena, not locked
 * @offset: byte offset of a live allocation
 *
 * Return: 0 or -EINVAL, as arena_free_locked().
 */
int arena_free_offset(struct arena *a, u64 offset)
{
	int err;

	arena_lock(a);
	err = arena_free_locked(a, offset);
	arena_unlock(a);
	return err;
}

/**
 * arena_create_charged() - arena_create() with bookkeeping charged to a ledger
 * @base: as arena_create()
 * @size: as arena_create()
 * @alignment: as arena_create()
 * @gfp: as arena_create()
 * @ledger: charged for every byte of bookkeeping the arena holds, now and
 *	later; NULL to charge nothing
 *
 * Return: the arena, or NULL on invalid arguments, no memory, or a ledger
 * over its limits.
 */
struct arena *arena_create_charged(void *base, size_t size, size_t alignment,
				   gfp_t gfp, struct arena_ledger *ledger)
{
	struct arena_chunk *whole;
	struct arena_off_pos root;
	unsigned int shift;
	struct arena *a;

	if (!base || !size || !is_power_of_2(alignment))
		return NULL;
	shift = ilog2(alignment);
	if (!IS_ALIGNED((unsigned long)base, alignment) ||
	    !IS_ALIGNED(size, alignment) || (size >> shift) > U32_MAX)
		return NULL;

	a = kzalloc(sizeof(*a), gfp);
	if (!a)
		return NULL;
	if (arena_used_init(&a->used, ARENA_USED_MIN_BITS, gfp))
		goto free_arena;
	whole = kmem_cache_alloc(arena_chunk_cache, gfp);
	if (!whole)
		goto free_used;
	if (arena_ledger_charge(ledger, sizeof(*a) + arena_used_bytes(&a->used) +
				node_bytes(1)))
		goto free_whole;

	spin_lock_init(&a->lock);
	a->base = base;
	a->shift = shift;
	a->granules = size >> shift;
	a->gfp = gfp;
	a->ledger = ledger;
	a->id = arena_new_id();
	a->by_off = RB_ROOT;
	a->by_size = RB_ROOT;
	whole->off = 0;
	whole->len = a->granules;
	root.parent = NULL;	/* the trees are empty: link at the root */
	root.link = &a->by_off.rb_node;
	arena_free_insert_at(a, whole, &root);
	a->nr_nodes = 1;
	return a;

free_whole:
	kmem_cache_free(arena_chunk_cache, whole);
free_used:
	arena_used_destroy(&a->used);
free_arena:
	kfree(a);
	return NULL;
}

/**
 * arena_create() - create a coalescing arena over caller memory
 * @base: first byte of the region; aligned to @alignment
 * @size: bytes in the region; a non-zero multiple of @alignment, at most
 *	2^32 - 1 granules
 * @alignment: power of two; every allocation is a multiple of it, at an
 *	offset that is a multiple of it
 * @gfp: flags for the arena's bookkeeping (never for the region itself)
 *
 * The region stays the caller's: the arena never reads or writes it, and
 * keeps its bookkeeping elsewhere.
 *
 * Context: any context @gfp allows.
 * Return: the arena, or NULL on invalid arguments or no memory.
 */
struct arena *arena_create(void *base, size_t size, size_t alignment, gfp_t gfp)
{
	return arena_create_charged(base, size, alignment, gfp, NULL);
}
EXPORT_SYMBOL_GPL(arena_create);

/**
 * arena_alloc() - allocate from a coalescing arena
 * @a: arena
 * @size: bytes wanted; rounded up to the arena's alignment
 *
 * Best fit: the smallest free chunk that fits, lowest address among equal
 * sizes; the allocation is carved from that chunk's tail.
 *
 * Context: takes the arena's spinlock; may sleep only if the arena's gfp
 * allows it (bookkeeping is allocated before the lock is taken).
 * Return: pointer into the region, or NULL for a size of 0, no space or no
 * memory for bookkeeping; the arena is unchanged on failure.
 */
void *arena_alloc(struct arena *a, size_t size)
{
	u64 offset;

	if (!size || arena_alloc_offset(a, size, &offset))
		return NULL;
	return a->base + offset;
}
EXPORT_SYMBOL_GPL(arena_alloc);

/**
 * arena_free() - free an allocation and merge it with free neighbours
 * @a: arena
 * @ptr: pointer returned by arena_alloc(), or NULL
 *
 * Context: takes the arena's spinlock; never sleeps or allocates.
 * Return: 0 (also for NULL), or -EINVAL with the arena unchanged when @ptr
 * is not the start of a live allocation (double free, inside a chunk,
 * outside the region).
 */
int arena_free(struct arena *a, void *ptr)
{
	if (!ptr)
		return 0;
	/* Outside the region the difference is >= its size, or wraps to be. */
	return arena_free_offset(a, (unsigned long)ptr - (unsigned long)a->base);
}
EXPORT_SYMBOL_GPL(arena_free);

/**
 * arena_get_stats() - snapshot of an arena's usage and counters
 * @a: arena
 * @st: filled in
 *
 * Context: takes the arena's spinlock; never sleeps.
 */
void arena_get_stats(struct arena *a, struct arena_stats *st)
{
	arena_lock(a);
	st->used = a->used_granules << a->shift;
	st->total = arena_size_bytes(a);
	st->free = st->total - st->used;
	st->chunks_used = a->used.count;
	st->chunks_free = a->chunks_free;
	st->largest_free = (u64)arena_largest_free(a) << a->shift;
	st->align = 1ULL << a->shift;
	st->alloc_ok = a->alloc_ok;
	st->alloc_failed = a->alloc_failed;
	st->free_ok = a->free_ok;
	st->free_invalid = a->free_invalid;
	st->metadata_bytes = sizeof(*a) + arena_used_bytes(&a->used) +
		node_bytes(a->nr_nodes);
	arena_unlock_plain(a);
}
EXPORT_SYMBOL_GPL(arena_get_stats);

/**
 * arena_address_in_arena() - whether a pointer lies in the arena's region
 * @a: arena
 * @ptr: any pointer
 *
 * Context: any; lock-free (the region never moves).
 * Return: true if @ptr is in [base, base + size).
 */
bool arena_address_in_arena(const struct arena *a, const void *ptr)
{
	unsigned long p = (unsigned long)ptr, base = (unsigned long)a->base;

	return p >= base && p - base < arena_size_bytes(a);
}
EXPORT_SYMBOL_GPL(arena_address_in_arena);

static void chunk_free_one(struct arena *a, struct arena_chunk *c)
{
	kmem_cache_free(arena_chunk_cache, c);
}

/**
 * arena_destroy() - free an arena's bookkeeping
 * @a: arena, or NULL
 *
 * The region itself belongs to the caller and is not touched.  No other
 * call on @a may be running or follow.  Whatever was charged to a ledger
 * stays charged: the ledger's owner releases it.
 *
 * Context: any context the arena's gfp was valid in.  If that gfp may
 * sleep, destroy may sleep too: it reschedules while freeing millions of
 * chunks.  Freeing a large used table may need process context (kvfree).
 */
void arena_destroy(struct arena *a)
{
	bool may_sleep;
	struct arena_chunk *c, *tmp;
	unsigned long n = 0;

	if (!a)
		return;
	may_sleep = gfpflags_allow_blocking(a->gfp);
	rbtree_postorder_for_each_entry_safe(c, tmp, &a->by_off, by_off) {
		kmem_cache_free(arena_chunk_cache, c);
		if (may_sleep && !(++n % 1024))
			cond_resched();
	}
	arena_used_free_all(a, chunk_free_one);
	chunk_chain_free(a->spare);
	arena_used_destroy(&a->used);
	kfree(a);
}
EXPORT_SYMBOL_GPL(arena_destroy);
