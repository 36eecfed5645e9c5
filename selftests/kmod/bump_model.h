/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference model of the bump arena's placement rules (the LevelDB arena
 * design), for the kernel test modules.  It predicts, from the results seen
 * so far, where the next allocation must land and how much
 * bump_arena_memory_usage() must grow:
 *  - a request that fits in the rest of the current block is carved from
 *    it, right after the previous one;
 *  - otherwise a request above BUMP_ARENA_BIG_REQUEST bytes gets a block of
 *    exactly its size and the current block stays current;
 *  - otherwise a new BUMP_ARENA_BLOCK_SIZE block becomes current and the
 *    old block's tail is abandoned.
 * Every block costs its bytes plus sizeof(void *) in the usage count.
 */
#ifndef _ARENA_SELFTESTS_BUMP_MODEL_H
#define _ARENA_SELFTESTS_BUMP_MODEL_H

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include "arena_api.h"

/* Alignment bump_arena_alloc_aligned() promises. */
#define BUMP_MODEL_ALIGN	max_t(size_t, sizeof(void *), 8)

/**
 * struct bump_model - what the test knows about a bump arena
 * @block: start of the current block (NULL before the first one)
 * @ptr: next unused byte of the current block
 * @remaining: unused bytes left in the current block
 * @usage: expected bump_arena_memory_usage()
 * @blocks: blocks the arena must have allocated so far
 * @msg: what went wrong, after a check returned false
 */
struct bump_model {
	char *block;
	char *ptr;
	size_t remaining;
	size_t usage;
	size_t blocks;
	char msg[160];
};

static inline bool bump_model_in_block(const struct bump_model *m,
				       const char *p)
{
	return m->block && p >= m->block &&
	       p < m->block + BUMP_ARENA_BLOCK_SIZE;
}

static inline size_t bump_model_slop(const struct bump_model *m,
				     bool aligned)
{
	if (!aligned || !m->ptr)
		return 0;
	return -(uintptr_t)m->ptr & (BUMP_MODEL_ALIGN - 1);
}

/* Where @p is, relative to the current block (for messages). */
static inline long bump_model_rel(const struct bump_model *m, const char *p)
{
	return (long)((uintptr_t)p - (uintptr_t)m->block);
}

/* True when a request of @bytes is served from the current block. */
static inline bool bump_model_fits(const struct bump_model *m, size_t bytes,
				   bool aligned)
{
	size_t slop = bump_model_slop(m, aligned);

	return m->remaining >= slop && bytes <= m->remaining - slop;
}

/*
 * Check @p, what bump_arena_alloc{,_aligned}(@b, @bytes) returned for a
 * request that must succeed, and advance the model.  @bytes must be > 0.
 */
static inline bool bump_model_check(struct bump_model *m,
				    const struct bump_arena *b, size_t bytes,
				    bool aligned, char *p)
{
	size_t usage = bump_arena_memory_usage(b);
	size_t slop = bump_model_slop(m, aligned);
	size_t cost;

	if (!p) {
		snprintf(m->msg, sizeof(m->msg), "alloc(%zu%s) returned NULL",
			 bytes, aligned ? ", aligned" : "");
		return false;
	}
	if (aligned && !IS_ALIGNED((uintptr_t)p, BUMP_MODEL_ALIGN)) {
		snprintf(m->msg, sizeof(m->msg),
			 "aligned alloc(%zu) returned block%+ld, misaligned",
			 bytes, bump_model_rel(m, p));
		return false;
	}
	if (bump_model_fits(m, bytes, aligned)) {
		if (p != m->ptr + slop || usage != m->usage) {
			snprintf(m->msg, sizeof(m->msg),
				 "alloc(%zu) fits: want block%+ld usage %zu, got block%+ld usage %zu",
				 bytes, bump_model_rel(m, m->ptr + slop), m->usage,
				 bump_model_rel(m, p), usage);
			return false;
		}
		m->ptr += slop + bytes;
		m->remaining -= slop + bytes;
		return true;
	}
	if (bump_model_in_block(m, p)) {
		snprintf(m->msg, sizeof(m->msg),
			 "alloc(%zu) does not fit (%zu left) but got block%+ld, inside the current block",
			 bytes, m->remaining, bump_model_rel(m, p));
		return false;
	}
	cost = bytes > BUMP_ARENA_BIG_REQUEST ? bytes : BUMP_ARENA_BLOCK_SIZE;
	cost += sizeof(void *);
	if (usage != m->usage + cost) {
		snprintf(m->msg, sizeof(m->msg),
			 "alloc(%zu) with %zu left: usage %zu, want %zu + %zu",
			 bytes, m->remaining, usage, m->usage, cost);
		return false;
	}
	m->usage += cost;
	m->blocks++;
	if (bytes <= BUMP_ARENA_BIG_REQUEST) {
		m->block = p;
		m->ptr = p + bytes;
		m->remaining = BUMP_ARENA_BLOCK_SIZE - bytes;
	}
	return true;
}

/* Check that a request failed and left the arena as it was. */
static inline bool bump_model_check_null(struct bump_model *m,
					 const struct bump_arena *b,
					 size_t bytes, char *p)
{
	size_t usage = bump_arena_memory_usage(b);

	if (p || usage != m->usage) {
		snprintf(m->msg, sizeof(m->msg),
			 "alloc(%zu): want NULL and usage %zu, got %s usage %zu",
			 bytes, m->usage, p ? "memory" : "NULL", usage);
		return false;
	}
	return true;
}

#endif /* _ARENA_SELFTESTS_BUMP_MODEL_H */
