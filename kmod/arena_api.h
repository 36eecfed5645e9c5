/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel API of the arena module, for other modules.
 *
 * Two allocators:
 *  - struct arena: a coalescing best-fit arena over memory the caller owns.
 *    The same core backs every /dev/arena file.
 *  - struct bump_arena: a monotonic arena for many small allocations that
 *    are all freed together when the arena is destroyed.
 *
 * Build against it with KBUILD_EXTRA_SYMBOLS pointing at this project's
 * Module.symvers and -I pointing at this directory (see README.md).
 */
#ifndef _ARENA_KMOD_ARENA_API_H
#define _ARENA_KMOD_ARENA_API_H

#include <linux/gfp.h>
#include <linux/types.h>

struct arena;
struct bump_arena;

/**
 * struct arena_stats - snapshot of a coalescing arena
 * @used: bytes in live allocations
 * @free: bytes in free chunks
 * @total: @used + @free
 * @chunks_used: live allocations
 * @chunks_free: free chunks; never two adjacent
 * @largest_free: bytes in the largest free chunk
 * @align: the arena's alignment
 * @alloc_ok: successful allocations
 * @alloc_failed: allocations that failed (no space or no memory)
 * @free_ok: successful frees
 * @free_invalid: frees of pointers that were not live allocations
 * @metadata_bytes: memory spent on bookkeeping (nodes and hash table)
 */
struct arena_stats {
	u64 used;
	u64 free;
	u64 total;
	u64 chunks_used;
	u64 chunks_free;
	u64 largest_free;
	u64 align;
	u64 alloc_ok;
	u64 alloc_failed;
	u64 free_ok;
	u64 free_invalid;
	u64 metadata_bytes;
};

/**
 * typedef arena_walk_fn - callback of arena_walk()
 * @priv: the caller's cookie
 * @offset: byte offset of the chunk from the arena's base
 * @size: bytes in the chunk
 * @used: true for a live allocation, false for a free chunk
 *
 * Called with the arena's spinlock held: it must not sleep or call back
 * into the same arena.  A non-zero return stops the walk and is returned.
 */
typedef int (*arena_walk_fn)(void *priv, size_t offset, size_t size, bool used);

struct arena *arena_create(void *base, size_t size, size_t alignment, gfp_t gfp);
void *arena_alloc(struct arena *a, size_t size);
int arena_free(struct arena *a, void *ptr);
void arena_get_stats(struct arena *a, struct arena_stats *st);
bool arena_address_in_arena(const struct arena *a, const void *ptr);
int arena_walk(struct arena *a, arena_walk_fn fn, void *priv);
void arena_destroy(struct arena *a);

/* Bump arena block size and the request size above which a request gets a block of its own. */
#define BUMP_ARENA_BLOCK_SIZE	4096
#define BUMP_ARENA_BIG_REQUEST	(BUMP_ARENA_BLOCK_SIZE / 4)

struct bump_arena *bump_arena_create(gfp_t gfp);
void *bump_arena_alloc(struct bump_arena *b, size_t bytes);
void *bump_arena_alloc_aligned(struct bump_arena *b, size_t bytes);
size_t bump_arena_memory_usage(const struct bump_arena *b);
void bump_arena_destroy(struct bump_arena *b);

#endif /* _ARENA_KMOD_ARENA_API_H */
