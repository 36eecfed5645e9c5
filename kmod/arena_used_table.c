// SPDX-License-Identifier: GPL-2.0
/*
 * Live allocations, hashed by offset so that free() finds its chunk in
 * O(1).  The table doubles when it holds more than two entries a bucket;
 * the new bucket array is allocated outside the arena's lock, so a table
 * that cannot grow (no memory, atomic gfp) only gets longer chains.
 */
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "arena_core.h"

static struct hlist_head *used_buckets_alloc(unsigned int bits, gfp_t gfp)
{
	return kvmalloc_array(1UL << bits, sizeof(struct hlist_head),
			      gfp | __GFP_ZERO | __GFP_NOWARN);
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
	t->buckets = used_buckets_alloc(bits, gfp);
	if (!t->buckets)
		return -ENOMEM;
	t->bits = bits;
	t->count = 0;
	return 0;
}

/**
 * arena_used_destroy() - free the bucket array (not the entries)
 * @t: table
 */
void arena_used_destroy(struct arena_used_table *t)
{
	kvfree(t->buckets);
	t->buckets = NULL;
}

static struct hlist_head *used_bucket(struct arena_used_table *t, u32 off)
{
	return &t->buckets[hash_32(off, t->bits)];
}

/**
 * arena_used_insert() - record a live allocation
 * @t: table, under the arena's lock
 * @c: chunk with @off set
 */
void arena_used_insert(struct arena_used_table *t, struct arena_chunk *c)
{
	hlist_add_head(&c->hnode, used_bucket(t, c->off));
	t->count++;
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

	hlist_for_each_entry(c, used_bucket(t, off), hnode)
		if (c->off == off)
			return c;
	return NULL;
}

/**
 * arena_used_remove() - forget a live allocation
 * @t: table, under the arena's lock
 * @c: chunk in the table
 */
void arena_used_remove(struct arena_used_table *t, struct arena_chunk *c)
{
	hlist_del(&c->hnode);
	t->count--;
}

/**
 * arena_used_grow() - double the table if it is too loaded
 * @a: arena, not locked
 *
 * Called after an operation that saw arena_used_wants_growth() has dropped
 * the lock.  The rehash runs under the lock; it is O(n) but happens once
 * per doubling.
 */
void arena_used_grow(struct arena *a)
{
	struct arena_used_table *t = &a->used;
	struct hlist_head *fresh, *old;
	unsigned int bits, i;

	bits = READ_ONCE(t->bits) + 1;	/* rechecked under the lock */
	fresh = used_buckets_alloc(bits, a->gfp);
	if (!fresh)
		return;

	spin_lock(&a->lock);
	if (t->bits + 1 != bits || !arena_used_wants_growth(t)) {
		spin_unlock(&a->lock);
		kvfree(fresh);
		return;
	}
	old = t->buckets;
	for (i = 0; i < (1U << t->bits); i++) {
		struct arena_chunk *c;
		struct hlist_node *tmp;

		hlist_for_each_entry_safe(c, tmp, &old[i], hnode)
			hlist_add_head(&c->hnode, &fresh[hash_32(c->off, bits)]);
	}
	t->buckets = fresh;
	t->bits = bits;
	spin_unlock(&a->lock);
	kvfree(old);
}

/**
 * arena_used_bytes() - memory held by the bucket array
 * @t: table
 *
 * Return: bytes.
 */
size_t arena_used_bytes(const struct arena_used_table *t)
{
	return sizeof(struct hlist_head) << t->bits;
}
