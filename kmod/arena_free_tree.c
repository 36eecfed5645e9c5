// SPDX-License-Identifier: GPL-2.0
/*
 * The indexes of free chunks: a tree by offset (to find the neighbours a
 * freed chunk merges with) and, for best fit, exact-size bins for small
 * chunks plus a tree by (size, offset) for the rest.
 *
 * Small chunks are most of the free chunks in practice; a bin holds the
 * chunks of one size ordered by offset, and a bitmap of non-empty bins
 * turns "smallest size that fits" into one bit search.  The lowest offset
 * of a bin is its cached leftmost node, so best fit keeps its exact rule.
 */
#include <linux/bitops.h>
#include <linux/rbtree.h>

#include "arena_core.h"

#define off_entry(n)	rb_entry(n, struct arena_chunk, by_off)
#define size_entry(n)	rb_entry(n, struct arena_chunk, by_size)

static bool in_bins(u32 len)
{
	return len <= ARENA_BINS;
}

/* Order of the size tree: smaller first, then lower offset. */
static bool size_less(const struct arena_chunk *x, const struct arena_chunk *y)
{
	return x->len < y->len || (x->len == y->len && x->off < y->off);
}

static void tree_insert(struct arena *a, struct arena_chunk *c)
{
	struct rb_node **link = &a->by_size.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (size_less(c, size_entry(parent)))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&c->by_size, parent, link);
	rb_insert_color(&c->by_size, &a->by_size);
}

static void bin_insert(struct arena *a, struct arena_chunk *c)
{
	struct rb_root_cached *bin = &a->bins[c->len - 1];
	struct rb_node **link = &bin->rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (c->off < size_entry(parent)->off) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&c->by_size, parent, link);
	rb_insert_color_cached(&c->by_size, bin, leftmost);
	a->bin_map |= BIT_ULL(c->len - 1);
}

static void size_insert(struct arena *a, struct arena_chunk *c)
{
	if (in_bins(c->len))
		bin_insert(a, c);
	else
		tree_insert(a, c);
}

static void size_erase(struct arena *a, struct arena_chunk *c)
{
	struct rb_root_cached *bin;

	if (!in_bins(c->len)) {
		rb_erase(&c->by_size, &a->by_size);
		return;
	}
	bin = &a->bins[c->len - 1];
	rb_erase_cached(&c->by_size, bin);
	if (RB_EMPTY_ROOT(&bin->rb_root))
		a->bin_map &= ~BIT_ULL(c->len - 1);
}

/**
 * arena_best_fit() - the smallest free chunk of at least @len granules
 * @a: arena, locked
 * @len: granules wanted
 *
 * Among chunks of equal size the one with the lowest offset wins: the
 * leftmost of its bin, or the leftmost candidate in the size tree.
 *
 * Return: the chunk, or NULL when none is large enough.
 */
struct arena_chunk *arena_best_fit(struct arena *a, u32 len)
{
	struct rb_node *n = a->by_size.rb_node;
	struct arena_chunk *best = NULL;

	if (in_bins(len)) {
		u64 fits = a->bin_map & ~(BIT_ULL(len - 1) - 1);

		if (fits)
			return size_entry(rb_first_cached(&a->bins[__ffs64(fits)]));
	}
	while (n) {
		struct arena_chunk *c = size_entry(n);

		if (c->len >= len) {
			best = c;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

/**
 * arena_largest_free() - granules in the largest free chunk
 * @a: arena, locked
 *
 * Return: granules, 0 if nothing is free.
 */
u32 arena_largest_free(struct arena *a)
{
	struct rb_node *last = rb_last(&a->by_size);

	if (last)
		return size_entry(last)->len;
	return fls64(a->bin_map);	/* the highest bin's size, or 0 */
}

/**
 * arena_free_insert_at() - add a chunk to the free indexes
 * @a: arena, locked
 * @c: chunk with @off and @len set, not indexed
 * @pos: where @c->off belongs in the offset tree, from
 *	arena_free_neighbours() with no change to the tree since
 */
void arena_free_insert_at(struct arena *a, struct arena_chunk *c,
			  const struct arena_off_pos *pos)
{
	rb_link_node(&c->by_off, pos->parent, pos->link);
	rb_insert_color(&c->by_off, &a->by_off);
	size_insert(a, c);
	a->chunks_free++;
}

/**
 * arena_free_erase() - remove a chunk from the free indexes
 * @a: arena, locked
 * @c: free chunk
 */
void arena_free_erase(struct arena *a, struct arena_chunk *c)
{
	rb_erase(&c->by_off, &a->by_off);
	size_erase(a, c);
	a->chunks_free--;
}

/**
 * arena_free_resize() - give a free chunk a new extent
 * @a: arena, locked
 * @c: free chunk
 * @off: its new first granule
 * @len: its new size, different from the old one
 *
 * Its place in the offset tree never changes: a free chunk only grows or
 * shrinks into space no other free chunk holds.  In the size tree a change
 * of size moves it one way only and most changes keep it between the same
 * neighbours, so look before moving it.  A bin holds one size: changing
 * size there always moves the chunk.
 */
void arena_free_resize(struct arena *a, struct arena_chunk *c, u32 off, u32 len)
{
	bool grew = len > c->len, ordered;
	struct rb_node *beside;

	if (in_bins(c->len) || in_bins(len)) {
		size_erase(a, c);
		c->off = off;
		c->len = len;
		size_insert(a, c);
		return;
	}
	c->off = off;
	c->len = len;
	if (grew) {
		beside = rb_next(&c->by_size);
		ordered = !beside || size_less(c, size_entry(beside));
	} else {
		beside = rb_prev(&c->by_size);
		ordered = !beside || size_less(size_entry(beside), c);
	}
	if (ordered)
		return;
	rb_erase(&c->by_size, &a->by_size);
	tree_insert(a, c);
}

/**
 * arena_free_neighbours() - free chunks on either side of an offset
 * @a: arena, locked
 * @off: granule
 * @prev: set to the last free chunk starting before @off, or NULL
 * @next: set to the first free chunk starting at or after @off, or NULL
 * @pos: if not NULL and no free chunk starts at @off, set to where one
 *	would be linked
 *
 * One descent serves both the merge decision and the insertion that
 * follows when nothing merges.
 */
void arena_free_neighbours(struct arena *a, u32 off, struct arena_chunk **prev,
			   struct arena_chunk **next, struct arena_off_pos *pos)
{
	struct rb_node **link = &a->by_off.rb_node, *parent = NULL;

	*prev = NULL;
	*next = NULL;
	while (*link) {
		struct arena_chunk *c = off_entry(*link);

		parent = *link;
		if (c->off < off) {
			*prev = c;
			link = &parent->rb_right;
		} else {
			*next = c;
			link = &parent->rb_left;
		}
	}
	if (pos) {
		pos->parent = parent;
		pos->link = link;
	}
}
