// SPDX-License-Identifier: GPL-2.0
/*
 * Bump arena: many small allocations, all freed together (the design of
 * LevelDB's arena).  Allocation bumps a pointer inside the current 4 KiB
 * block; a request that does not fit gets a block of its own if it is
 * large, else starts a new block and abandons the old block's tail.
 *
 * Blocks of BUMP_ARENA_BLOCK_SIZE are whole pages straight from the page
 * allocator, chained through their struct page, so opening one costs no
 * slab call and no bookkeeping array; only the rare large requests are
 * kmalloc()ed and listed in an array.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "arena_api.h"
#include "arena_trace.h"

#define BUMP_ARENA_ALIGN	(sizeof(void *) > 8 ? sizeof(void *) : 8)
#define BUMP_ARENA_MIN_SLOTS	8

/*
 * A shared block is whole pages (one on 4 KiB-page machines): usage counts
 * BUMP_ARENA_BLOCK_SIZE per block, so that must be what a block takes.
 */
#define BUMP_ARENA_BLOCK_ORDER	get_order(BUMP_ARENA_BLOCK_SIZE)

/**
 * struct bump_arena - a monotonic arena
 * @ptr: next free byte of the current block
 * @end: end of the current block (@ptr == @end when there is none)
 * @pages: the shared blocks, linked through page->lru
 * @big: the blocks of large requests, for destroy
 * @nr_big: blocks in @big
 * @slots: capacity of @big
 * @nr_blocks: blocks of either kind (for the bump_arena_block trace event)
 * @usage: block bytes plus one pointer per block, readable without a lock
 * @gfp: flags for block allocations
 */
struct bump_arena {
	char *ptr;
	char *end;
	struct list_head pages;
	void **big;
	size_t nr_big;
	size_t slots;
	size_t nr_blocks;
	atomic_long_t usage;
	gfp_t gfp;
};

/**
 * bump_arena_create() - create an empty bump arena
 * @gfp: flags for every block allocation (GFP_ATOMIC for atomic callers)
 *
 * Context: any context @gfp allows.
 * Return: the arena, or NULL if out of memory.
 */
struct bump_arena *bump_arena_create(gfp_t gfp)
{
	struct bump_arena *b;

	BUILD_BUG_ON(PAGE_SIZE << BUMP_ARENA_BLOCK_ORDER != BUMP_ARENA_BLOCK_SIZE);
	b = kzalloc(sizeof(*b), gfp);
	if (b) {
		INIT_LIST_HEAD(&b->pages);
		b->gfp = gfp;
	}
	return b;
}
EXPORT_SYMBOL_GPL(bump_arena_create);

/* Grow the big-block list before the block exists: failure changes nothing. */
static int bump_reserve_slot(struct bump_arena *b)
{
	size_t slots;
	void **grown;

	if (b->nr_big < b->slots)
		return 0;
	slots = b->slots ? b->slots * 2 : BUMP_ARENA_MIN_SLOTS;
	grown = krealloc_array(b->big, slots, sizeof(*grown),
			       b->gfp | __GFP_NOWARN);
	if (!grown)
		return -ENOMEM;
	b->big = grown;
	b->slots = slots;
	return 0;
}

/* A block of its own for a request above BUMP_ARENA_BIG_REQUEST bytes. */
static void *bump_big_block(struct bump_arena *b, size_t bytes)
{
	void *block;

	if (bump_reserve_slot(b))
		return NULL;
	block = kmalloc(bytes, b->gfp | __GFP_NOWARN);
	if (!block)
		return NULL;
	b->big[b->nr_big++] = block;
	atomic_long_add(bytes + sizeof(char *), &b->usage);
	trace_bump_arena_block(b, bytes, ++b->nr_blocks, atomic_long_read(&b->usage));
	return block;
}

/*
 * The request does not fit in the current block (or is 0 bytes).  Out of
 * line, so that the fast path needs no stack frame.
 */
static noinline void *bump_alloc_fallback(struct bump_arena *b, size_t bytes)
{
	struct page *page;
	char *block;

	if (!bytes)
		return NULL;
	if (bytes > BUMP_ARENA_BIG_REQUEST)
		return bump_big_block(b, bytes);	/* current block stays */

	page = alloc_pages(b->gfp | __GFP_NOWARN, BUMP_ARENA_BLOCK_ORDER);
	if (!page)
		return NULL;
	list_add(&page->lru, &b->pages);
	atomic_long_add(BUMP_ARENA_BLOCK_SIZE + sizeof(char *), &b->usage);
	trace_bump_arena_block(b, BUMP_ARENA_BLOCK_SIZE, ++b->nr_blocks,
			       atomic_long_read(&b->usage));
	block = page_address(page);
	b->ptr = block + bytes;
	b->end = block + BUMP_ARENA_BLOCK_SIZE;
	return block;
}

/**
 * bump_arena_alloc() - allocate from a bump arena
 * @b: arena
 * @bytes: bytes wanted
 *
 * No alignment beyond what the previous allocations leave.
 *
 * Context: any context the arena's gfp allows; not safe against concurrent
 * calls on the same arena (serialise them yourself).
 * Return: memory valid until bump_arena_destroy(), or NULL for 0 bytes or
 * no memory (the arena is then unchanged).
 */
void *bump_arena_alloc(struct bump_arena *b, size_t bytes)
{
	char *p = b->ptr;

	/* bytes - 1 wraps for 0, which the fallback turns down. */
	if (likely(bytes - 1 < (size_t)(b->end - p))) {
		b->ptr = p + bytes;
		return p;
	}
	return bump_alloc_fallback(b, bytes);
}
EXPORT_SYMBOL_GPL(bump_arena_alloc);

/**
 * bump_arena_alloc_aligned() - allocate aligned memory from a bump arena
 * @b: arena
 * @bytes: bytes wanted
 *
 * Aligned to max(sizeof(void *), 8).  Padding is spent only when the
 * request fits in the current block; new blocks are already aligned.
 *
 * Context: as bump_arena_alloc().
 * Return: as bump_arena_alloc().
 */
void *bump_arena_alloc_aligned(struct bump_arena *b, size_t bytes)
{
	/* Never past @end: blocks end on a page boundary (NULL when none). */
	char *p = PTR_ALIGN(b->ptr, BUMP_ARENA_ALIGN);

	if (likely(bytes - 1 < (size_t)(b->end - p))) {
		b->ptr = p + bytes;
		return p;
	}
	return bump_alloc_fallback(b, bytes);
}
EXPORT_SYMBOL_GPL(bump_arena_alloc_aligned);

/**
 * bump_arena_memory_usage() - memory held by a bump arena
 * @b: arena
 *
 * The sum over blocks of their size plus one pointer of bookkeeping.
 *
 * Context: any, without any lock, also while another CPU allocates.
 * Return: bytes.
 */
size_t bump_arena_memory_usage(const struct bump_arena *b)
{
	return atomic_long_read(&b->usage);
}
EXPORT_SYMBOL_GPL(bump_arena_memory_usage);

/**
 * bump_arena_destroy() - free a bump arena and every block
 * @b: arena, or NULL
 *
 * Context: any context kfree() is allowed in.
 */
void bump_arena_destroy(struct bump_arena *b)
{
	struct page *page, *next;
	size_t i;

	if (!b)
		return;
	list_for_each_entry_safe(page, next, &b->pages, lru)
		__free_pages(page, BUMP_ARENA_BLOCK_ORDER);
	for (i = 0; i < b->nr_big; i++)
		kfree(b->big[i]);
	kfree(b->big);
	kfree(b);
}
EXPORT_SYMBOL_GPL(bump_arena_destroy);
