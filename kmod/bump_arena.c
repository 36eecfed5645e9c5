// SPDX-License-Identifier: GPL-2.0
/*
 * Bump arena: many small allocations, all freed together (the design of
 * LevelDB's arena).  Allocation bumps a pointer inside the current 4 KiB
 * block; a request that does not fit gets a block of its own if it is
 * large, else starts a new block and abandons the old block's tail.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "arena_api.h"
#include "arena_trace.h"

#define BUMP_ARENA_ALIGN	(sizeof(void *) > 8 ? sizeof(void *) : 8)
#define BUMP_ARENA_MIN_SLOTS	8

/**
 * struct bump_arena - a monotonic arena
 * @ptr: next free byte of the current block
 * @remaining: bytes left in the current block
 * @blocks: every block, for destroy
 * @nr_blocks: blocks in @blocks
 * @slots: capacity of @blocks
 * @usage: block bytes plus one pointer per block, readable without a lock
 * @gfp: flags for block allocations
 */
struct bump_arena {
	char *ptr;
	size_t remaining;
	void **blocks;
	size_t nr_blocks;
	size_t slots;
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
	struct bump_arena *b = kzalloc(sizeof(*b), gfp);

	if (b)
		b->gfp = gfp;
	return b;
}
EXPORT_SYMBOL_GPL(bump_arena_create);

/* Grow the block list before the block exists, so failure changes nothing. */
static int bump_reserve_slot(struct bump_arena *b)
{
	size_t slots;
	void **grown;

	if (b->nr_blocks < b->slots)
		return 0;
	slots = b->slots ? b->slots * 2 : BUMP_ARENA_MIN_SLOTS;
	grown = krealloc_array(b->blocks, slots, sizeof(*grown),
			       b->gfp | __GFP_NOWARN);
	if (!grown)
		return -ENOMEM;
	b->blocks = grown;
	b->slots = slots;
	return 0;
}

static char *bump_new_block(struct bump_arena *b, size_t bytes)
{
	char *block;

	if (bump_reserve_slot(b))
		return NULL;
	block = kmalloc(bytes, b->gfp | __GFP_NOWARN);
	if (!block)
		return NULL;
	b->blocks[b->nr_blocks++] = block;
	atomic_long_add(bytes + sizeof(char *), &b->usage);
	trace_bump_arena_block(b, bytes, b->nr_blocks, atomic_long_read(&b->usage));
	return block;
}

/*
 * The request does not fit in the current block.  Out of line, so that
 * the fast path needs no stack frame.
 */
static noinline void *bump_alloc_fallback(struct bump_arena *b, size_t bytes)
{
	char *block;

	if (bytes > BUMP_ARENA_BIG_REQUEST)
		return bump_new_block(b, bytes);	/* current block stays */

	block = bump_new_block(b, BUMP_ARENA_BLOCK_SIZE);
	if (!block)
		return NULL;
	b->ptr = block + bytes;
	b->remaining = BUMP_ARENA_BLOCK_SIZE - bytes;
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
	void *p;

	if (!bytes)
		return NULL;
	if (likely(bytes <= b->remaining)) {
		p = b->ptr;
		b->ptr += bytes;
		b->remaining -= bytes;
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
	size_t mod = (unsigned long)b->ptr & (BUMP_ARENA_ALIGN - 1);
	size_t slop = mod ? BUMP_ARENA_ALIGN - mod : 0;
	size_t needed;
	void *p;

	if (!bytes)
		return NULL;
	if (!check_add_overflow(bytes, slop, &needed) && needed <= b->remaining) {
		p = b->ptr + slop;
		b->ptr += needed;
		b->remaining -= needed;
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
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nr_blocks; i++)
		kfree(b->blocks[i]);
	kfree(b->blocks);
	kfree(b);
}
EXPORT_SYMBOL_GPL(bump_arena_destroy);
