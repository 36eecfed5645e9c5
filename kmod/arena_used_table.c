// SPDX-License-Identifier: GPL-2.0
/*
 * Live allocations, hashed by offset so that free() finds its chunk in
 * O(1).
 *
 * User space chooses which offsets are live, so the hash is keyed with a
 * per-arena secret (hsiphash): nobody can pile chosen offsets into one
 * chain.  The table grows incrementally: once it holds more than
 * %ARENA_USED_LOAD entries a bucket, a bucket array twice the size is
 * allocated outside the lock, and from then on every operation moves two
 * buckets of the old array into it.  Lookups look in both arrays until the
 * old one is empty, so no lock hold ever rehashes more than two buckets.
 * The table needs another doubling only after twice as many insertions as
 * the old array has buckets, so draining always finishes first.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "arena_core.h"

/* Buckets of the old array moved per operation while the table grows. */
#define ARENA_USED_DRAIN	2

static struct hlist_head *used_buckets_alloc(unsigned int bits, gfp_t gfp)
{
	return kvmalloc_array(1UL << bits, sizeof(struct hlist_head),
			      gfp | __GFP_ZERO | __GFP_NOWARN);
}

static size_t used_array_bytes(unsigned int bits)
{
	return sizeof(struct hlist_head) << bits;
}

/**
 * arena_used_init() - set up an empty table
 * @t: table
 * @bits: log2 of the initial bucket count
 * @gfp: allocation flags
 *
 * Return: 0 or -ENOMEM.
 */
int arena_used_init(struct arena_used_table *t, unsigned int bits, gfp_t gfp)
{
	memset(t, 0, sizeof(*t));
	t->buckets = used_buckets_alloc(bits, gfp);
	if (!t->buckets)
		return -ENOMEM;
	t->bits = bits;
	get_random_bytes(&t->key, sizeof(t->key));
	return 0;
}

/**
 * arena_used_destroy() - free the bucket arrays (not the entries)
 * @t: table
 */
void arena_used_destroy(struct arena_used_table *t)
{
	kvfree(t->buckets);
	kvfree(t->old);
	kvfree(t->retired);
	t->buckets = NULL;
	t->old = NULL;
	t->retired = NULL;
}

static u32 used_hash(const struct arena_used_table *t, u32 off,
		     unsigned int bits)
{
	return hsiphash_1u32(off, &t->key) >> (32 - bits);
}

/**
 * arena_used_insert() - record a live allocation
 * @t: table, under the arena's lock
 * @c: chunk with @off set
 */
void arena_used_insert(struct arena_used_table *t, struct arena_chunk *c)
{
	hlist_add_head(&c->hnode, &t->buckets[used_hash(t, c->off, t->bits)]);
	t->count++;
}

static struct arena_chunk *used_chain_find(struct hlist_head *head, u32 off)
{
	struct arena_chunk *c;

	hlist_for_each_entry(c, head, hnode)
		if (c->off == off)
			return c;
	return NULL;
}

/**
 * arena_used_find() - the live allocation starting at @off
 * @t: table, under the arena's lock
 * @off: granule
 *
 * Return: the chunk, or NULL.
 */
struct arena_chunk *arena_used_find(struct arena_used_table *t, u32 off)
{
	struct arena_chunk *c;

	c = used_chain_find(&t->buckets[used_hash(t, off, t->bits)], off);
	if (!c && unlikely(t->old))
		c = used_chain_find(&t->old[used_hash(t, off, t->old_bits)], off);
	return c;
}

/**
 * arena_used_remove() - forget a live allocation
 * @t: table, under the arena's lock
 * @c: chunk in the table (either array)
 */
void arena_used_remove(struct arena_used_table *t, struct arena_chunk *c)
{
	hlist_del(&c->hnode);
	t->count--;
}

/**
 * arena_used_drain() - move a few buckets of a growing table's old array
 * @a: arena, locked
 *
 * Once the old array is empty it is retired, to be freed by the next
 * allocation path after the lock is dropped (a free must never free
 * memory that may need to sleep).
 */
void arena_used_drain(struct arena *a)
{
	struct arena_used_table *t = &a->used;
	unsigned int i;

	lockdep_assert_held(&a->lock);
	for (i = 0; i < ARENA_USED_DRAIN && t->drain < (1U << t->old_bits); i++) {
		struct hlist_head *head = &t->old[t->drain++];
		struct arena_chunk *c;
		struct hlist_node *tmp;

		hlist_for_each_entry_safe(c, tmp, head, hnode) {
			hlist_del(&c->hnode);
			hlist_add_head(&c->hnode,
				       &t->buckets[used_hash(t, c->off, t->bits)]);
		}
	}
	if (t->drain == (1U << t->old_bits)) {
		t->retired = t->old;
		t->old = NULL;
	}
}

/**
 * arena_used_grow() - start doubling the table if it is too loaded
 * @a: arena, not locked
 *
 * Called by an allocation path that saw arena_used_wants_growth() once it
 * has dropped the lock; may sleep if the arena's gfp allows.  Under the
 * lock it only swaps pointers: the entries move later, two buckets an
 * operation.  The new array is charged to the arena's ledger; if that or
 * the allocation fails, the table keeps its size (longer chains, no error).
 */
void arena_used_grow(struct arena *a)
{
	struct arena_used_table *t = &a->used;
	struct hlist_head *fresh;
	unsigned int bits;

	might_alloc(a->gfp);
	bits = READ_ONCE(t->bits) + 1;	/* rechecked under the lock */
	fresh = used_buckets_alloc(bits, a->gfp);
	if (!fresh)
		return;

	arena_lock(a);
	if (t->bits + 1 != bits || !arena_used_wants_growth(t) ||
	    arena_ledger_charge(a->ledger, used_array_bytes(bits))) {
		arena_unlock_plain(a);
		kvfree(fresh);
		return;
	}
	t->old = t->buckets;
	t->old_bits = t->bits;
	t->drain = 0;
	t->buckets = fresh;
	t->bits = bits;
	arena_unlock_plain(a);
}

/**
 * arena_used_take_retired() - detach a drained array for freeing
 * @a: arena, locked
 *
 * Return: the array (uncharged already), to kvfree() once unlocked.
 */
struct hlist_head *arena_used_take_retired(struct arena *a)
{
	struct arena_used_table *t = &a->used;
	struct hlist_head *old = t->retired;

	lockdep_assert_held(&a->lock);
	if (old) {
		t->retired = NULL;
		arena_ledger_uncharge(a->ledger, used_array_bytes(t->bits - 1));
	}
	return old;
}

/**
 * arena_used_free_all() - hand every live chunk to @free_node
 * @a: arena being destroyed (no lock: nothing else may use it)
 * @free_node: called for each chunk
 *
 * Reschedules every few hundred buckets when the arena's gfp may sleep,
 * so that closing a huge arena never stalls the CPU.
 */
void arena_used_free_all(struct arena *a, void (*free_node)(struct arena *a,
							    struct arena_chunk *c))
{
	struct arena_used_table *t = &a->used;
	struct hlist_head *arrays[2] = { t->buckets, t->old };
	unsigned int sizes[2] = { 1U << t->bits, t->old ? 1U << t->old_bits : 0 };
	bool may_sleep = gfpflags_allow_blocking(a->gfp);
	unsigned int i, j;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < sizes[j]; i++) {
			struct arena_chunk *c;
			struct hlist_node *tmp;

			hlist_for_each_entry_safe(c, tmp, &arrays[j][i], hnode)
				free_node(a, c);
			if (may_sleep && !(i % 256))
				cond_resched();
		}
	}
}

/**
 * arena_used_bytes() - memory held by the bucket arrays
 * @t: table
 *
 * Return: bytes.
 */
size_t arena_used_bytes(const struct arena_used_table *t)
{
	size_t bytes = used_array_bytes(t->bits);

	if (t->old || t->retired)
		bytes += used_array_bytes(t->bits - 1);
	return bytes;
}
