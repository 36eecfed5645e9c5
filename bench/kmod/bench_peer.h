/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocators the traces compare, behind one alloc/free interface.
 *
 * An allocation is an unsigned long handle, 0 for failure: an address for
 * the arena, gen_pool and kmalloc, base + start offset for the maple tree
 * (which hands out ranges of an index space, not memory), the node for
 * drm_mm (the caller owns drm_mm's nodes; its range is an offset space).  The loops that
 * call these helpers pass the kind as a constant, so each allocator gets
 * its own copy of the loop with no indirect call in it.
 */
#ifndef _ARENA_BENCH_PEER_H
#define _ARENA_BENCH_PEER_H

#include <linux/genalloc.h>
#include <linux/maple_tree.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#if IS_ENABLED(CONFIG_DRM)
#include <drm/drm_mm.h>
#endif

#include "arena_api.h"
#include "bench.h"

enum bench_kind {
	BENCH_ARENA,
	BENCH_GENPOOL_BEST,
	BENCH_GENPOOL_FIRST,
	BENCH_MAPLE,
	BENCH_KMALLOC,
#if IS_ENABLED(CONFIG_DRM)
	/* Only on kernels with drm (the generic-6.1 lane), whose drm.ko exports drm_mm. */
	BENCH_DRM_BEST,
	BENCH_DRM_LOW,
#endif
	BENCH_NR_KINDS
};

/**
 * struct bench_peer - one allocator instance over a region
 * @kind: which allocator
 * @base: first byte of the region
 * @size: bytes in the region
 * @fill_cursor: next free offset while filling an empty gen_pool
 * @arena: %BENCH_ARENA
 * @pool: %BENCH_GENPOOL_BEST and %BENCH_GENPOOL_FIRST
 * @mt: %BENCH_MAPLE, a range-allocating maple tree over [0, @size)
 * @mm: %BENCH_DRM_BEST and %BENCH_DRM_LOW, a drm_mm over [0, @size)
 * @mm_lock: taken around every drm_mm call, as drivers do (drm_mm has none)
 * @nodes: where the drm_mm nodes come from (drivers embed them in objects)
 */
struct bench_peer {
	enum bench_kind kind;
	unsigned long base;
	size_t size;
	unsigned long fill_cursor;
	struct arena *arena;
	struct gen_pool *pool;
	struct maple_tree mt;
#if IS_ENABLED(CONFIG_DRM)
	struct drm_mm mm;
	spinlock_t mm_lock;	/* protects @mm */
	struct kmem_cache *nodes;
#endif
};

/**
 * struct bench_live - the live allocations a trace holds
 * @h: handle per slot, 0 when the slot is empty
 * @sz: requested bytes per slot (gen_pool_free needs them back)
 * @n: slots
 */
struct bench_live {
	unsigned long *h;
	u32 *sz;
	unsigned long n;
};

extern const char *const bench_kind_name[BENCH_NR_KINDS];

int bench_peer_init(struct bench_peer *p, enum bench_kind kind, void *base,
		    size_t size);
void bench_peer_destroy(struct bench_peer *p, struct bench_live *live);
unsigned long bench_peer_fill_alloc(struct bench_peer *p, size_t size);
unsigned long bench_maple_alloc(struct bench_peer *p, size_t size);
#if IS_ENABLED(CONFIG_DRM)
unsigned long bench_drm_alloc(struct bench_peer *p, size_t size,
			      enum drm_mm_insert_mode mode);
void bench_drm_free(struct bench_peer *p, unsigned long h);
#endif
void bench_peer_measure(struct bench_peer *p, const struct bench_live *live,
			struct bench_result *r);
int bench_live_init(struct bench_live *live, unsigned long n);
void bench_live_destroy(struct bench_live *live);

static __always_inline unsigned long
bench_peer_alloc(struct bench_peer *p, const enum bench_kind kind, size_t size)
{
	switch (kind) {
	case BENCH_ARENA:
		return (unsigned long)arena_alloc(p->arena, size);
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		return gen_pool_alloc(p->pool, size);
	case BENCH_MAPLE:
		return bench_maple_alloc(p, size);
	case BENCH_KMALLOC:
		return (unsigned long)kmalloc(size, GFP_KERNEL);
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
		return bench_drm_alloc(p, size, DRM_MM_INSERT_BEST);
	case BENCH_DRM_LOW:
		return bench_drm_alloc(p, size, DRM_MM_INSERT_LOW);
#endif
	default:
		return 0;
	}
}

static __always_inline void
bench_peer_free(struct bench_peer *p, const enum bench_kind kind,
		unsigned long h, size_t size)
{
	switch (kind) {
	case BENCH_ARENA:
		arena_free(p->arena, (void *)h);
		break;
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		gen_pool_free(p->pool, h, size);
		break;
	case BENCH_MAPLE:
		mtree_erase(&p->mt, h - p->base);
		break;
	case BENCH_KMALLOC:
		kfree((void *)h);
		break;
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
	case BENCH_DRM_LOW:
		bench_drm_free(p, h);
		break;
#endif
	default:
		break;
	}
}

#endif /* _ARENA_BENCH_PEER_H */
