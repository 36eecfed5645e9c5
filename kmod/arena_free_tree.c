// SPDX-License-Identifier: GPL-2.0
/*
 * The two trees of free chunks: by offset (to find the neighbours a freed
 * chunk merges with) and by (size, offset) (to find the best fit).
 */
#include <linux/rbtree.h>

#include "arena_core.h"

#define off_entry(n)	rb_entry(n, struct arena_chunk, by_off)
#define size_entry(n)	rb_entry(n, struct arena_chunk, by_size)

/* Order of the size tree: smaller first, then lower offset. */
static bool size_less(const struct arena_chunk *x, const struct arena_chunk *y)
{
	return x->len < y->len || (x->len == y->len && x->off < y->off);
}

static void size_insert(struct arena *a, struct arena_chunk *c)
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

/**
 * arena_best_fit() - the smallest free chunk of at least @len granules
 * @a: arena, locked
 * @len: granules wanted
 *
 * Among chunks of equal size the one with the lowest offset wins, which is
 * the leftmost candidate in the size tree.
 *
 * Return: the chunk, or NULL when none is large enough.
 */
struct arena_chunk *arena_best_fit(struct arena *a, u32 len)
{
	struct rb_node *n = a->by_size.rb_node;
	struct arena_chunk *best = NULL;

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
 * arena_free_insert_at() - add a chunk to both free trees
 * @a: arena, locked
 * @c: chunk with @off and @len set, not in any tree
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
 * arena_free_erase() - remove a chunk from both free trees
 * @a: arena, locked
 * @c: free chunk
 */
void arena_free_erase(struct arena *a, struct arena_chunk *c)
{
	rb_erase(&c->by_off, &a->by_off);
	rb_erase(&c->by_size, &a->by_size);
	a->chunks_free--;
}

/*
 * A free chunk's place in the offset tree never changes when it is resized:
 * it only grows or shrinks into space no other free chunk holds.  In the
 * size tree a change of size moves it one way only, and most changes keep
 * it between the same neighbours, so look before moving it.
 */

/**
 * arena_free_shrunk() - restore size order after a free chunk shrank
 * @a: arena, locked
 * @c: free chunk whose @len decreased, @off unchanged
 */
void arena_free_shrunk(struct arena *a, struct arena_chunk *c)
{
	struct rb_node *prev = rb_prev(&c->by_size);

	if (!prev || size_less(size_entry(prev), c))
		return;
	rb_erase(&c->by_size, &a->by_size);
	size_insert(a, c);
}

/**
 * arena_free_grown() - restore size order after a free chunk grew
 * @a: arena, locked
 * @c: free chunk whose @len increased (its @off may have decreased)
 */
void arena_free_grown(struct arena *a, struct arena_chunk *c)
{
	struct rb_node *next = rb_next(&c->by_size);

	if (!next || size_less(c, size_entry(next)))
		return;
	rb_erase(&c->by_size, &a->by_size);
	size_insert(a, c);
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
