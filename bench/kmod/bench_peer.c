// SPDX-License-Identifier: GPL-2.0
/*
 * Set-up, tear-down and after-the-fact measurements (metadata per live
 * chunk, fragmentation) of the allocators the traces compare.  Nothing
 * here runs inside a timed loop.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/numa.h>

#include "bench_peer.h"

const char *const bench_kind_name[BENCH_NR_KINDS] = {
	[BENCH_ARENA] = "arena",
	[BENCH_GENPOOL_BEST] = "genpool_best",
	[BENCH_GENPOOL_FIRST] = "genpool_first",
	[BENCH_MAPLE] = "maple",
	[BENCH_KMALLOC] = "kmalloc",
#if IS_ENABLED(CONFIG_DRM)
	[BENCH_DRM_BEST] = "drm_mm_best",
	[BENCH_DRM_LOW] = "drm_mm_low",
#endif
};

int bench_live_init(struct bench_live *live, unsigned long n)
{
	live->h = kvcalloc(n, sizeof(*live->h), GFP_KERNEL);
	live->sz = kvcalloc(n, sizeof(*live->sz), GFP_KERNEL);
	live->n = n;
	if (live->h && live->sz)
		return 0;
	bench_live_destroy(live);
	return -ENOMEM;
}

void bench_live_destroy(struct bench_live *live)
{
	kvfree(live->h);
	kvfree(live->sz);
	live->h = NULL;
	live->sz = NULL;
}

int bench_peer_init(struct bench_peer *p, enum bench_kind kind, void *base,
		    size_t size)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->base = (unsigned long)base;
	p->size = size;

	switch (kind) {
	case BENCH_ARENA:
		p->arena = arena_create(base, size, BENCH_ALIGN, GFP_KERNEL);
		return p->arena ? 0 : -ENOMEM;
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		p->pool = gen_pool_create(ilog2(BENCH_ALIGN), NUMA_NO_NODE);
		if (!p->pool)
			return -ENOMEM;
		if (gen_pool_add_virt(p->pool, p->base, -1, size, NUMA_NO_NODE)) {
			gen_pool_destroy(p->pool);
			return -ENOMEM;
		}
		if (kind == BENCH_GENPOOL_BEST)
			gen_pool_set_algo(p->pool, gen_pool_best_fit, NULL);
		return 0;
	case BENCH_MAPLE:
		mt_init_flags(&p->mt, MT_FLAGS_ALLOC_RANGE);
		return 0;
	case BENCH_KMALLOC:
		return 0;
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
	case BENCH_DRM_LOW:
		p->nodes = kmem_cache_create(bench_kind_name[kind],
					     sizeof(struct drm_mm_node), 0, 0,
					     NULL);
		if (!p->nodes)
			return -ENOMEM;
		spin_lock_init(&p->mm_lock);
		drm_mm_init(&p->mm, 0, size);
		return 0;
#endif
	default:
		return -EINVAL;
	}
}

#if IS_ENABLED(CONFIG_DRM)
/**
 * bench_drm_alloc() - allocate a range from a drm_mm
 * @p: %BENCH_DRM_BEST or %BENCH_DRM_LOW allocator
 * @size: bytes, rounded up to %BENCH_ALIGN
 * @mode: DRM_MM_INSERT_BEST (smallest hole that fits) or _LOW (lowest)
 *
 * The node comes zeroed from a slab cache, as drm_mm wants it, and the
 * insert runs under a spinlock, as in drivers (amdgpu's GTT manager).
 * Sizes are multiples of %BENCH_ALIGN and the range starts at 0, so every
 * start is aligned without asking drm_mm for alignment.
 *
 * Return: the node, or 0 when no hole fits.
 */
unsigned long bench_drm_alloc(struct bench_peer *p, size_t size,
			      enum drm_mm_insert_mode mode)
{
	struct drm_mm_node *node = kmem_cache_zalloc(p->nodes, GFP_KERNEL);
	int err;

	if (!node)
		return 0;
	spin_lock(&p->mm_lock);
	err = drm_mm_insert_node_in_range(&p->mm, node, ALIGN(size, BENCH_ALIGN),
					  0, 0, 0, p->size, mode);
	spin_unlock(&p->mm_lock);
	if (err) {
		kmem_cache_free(p->nodes, node);
		return 0;
	}
	return (unsigned long)node;
}

void bench_drm_free(struct bench_peer *p, unsigned long h)
{
	struct drm_mm_node *node = (struct drm_mm_node *)h;

	spin_lock(&p->mm_lock);
	drm_mm_remove_node(node);
	spin_unlock(&p->mm_lock);
	kmem_cache_free(p->nodes, node);
}

static bool bench_is_drm(enum bench_kind kind)
{
	return kind == BENCH_DRM_BEST || kind == BENCH_DRM_LOW;
}
#else
static bool bench_is_drm(enum bench_kind kind)
{
	return false;
}
#endif

/* Frees what @live still holds (gen_pool insists), then the allocator. */
void bench_peer_destroy(struct bench_peer *p, struct bench_live *live)
{
	unsigned long i;

	if (live && (p->pool || p->kind == BENCH_KMALLOC ||
		     bench_is_drm(p->kind))) {
		for (i = 0; i < live->n; i++) {
			if (!live->h[i])
				continue;
			if (p->pool)
				gen_pool_free(p->pool, live->h[i], live->sz[i]);
			else if (p->kind == BENCH_KMALLOC)
				kfree((void *)live->h[i]);
			else
				bench_peer_free(p, p->kind, live->h[i], 0);
			live->h[i] = 0;
			if (!(i & 4095))
				cond_resched();
		}
	}
	switch (p->kind) {
	case BENCH_ARENA:
		arena_destroy(p->arena);
		break;
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		gen_pool_destroy(p->pool);
		break;
	case BENCH_MAPLE:
		mtree_destroy(&p->mt);
		break;
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
	case BENCH_DRM_LOW:
		drm_mm_takedown(&p->mm);
		kmem_cache_destroy(p->nodes);
		break;
#endif
	default:
		break;
	}
	if (live)
		memset(live->h, 0, live->n * sizeof(*live->h));
}

/**
 * bench_peer_fill_alloc() - allocate while filling an empty allocator
 * @p: allocator that has only seen allocations so far
 * @size: bytes
 *
 * On a pool that has only seen allocations, first fit and best fit both
 * pack requests one after the other from the start.  gen_pool finds that
 * place by scanning its bitmap from the start, which makes a fill of a
 * million chunks quadratic and far too slow for an emulated machine; the
 * fixed-offset algorithm puts each request exactly where first or best
 * fit would have, in constant time.  Fills are not timed.
 *
 * Return: handle, or 0.
 */
unsigned long bench_peer_fill_alloc(struct bench_peer *p, size_t size)
{
	struct genpool_data_fixed fixed = { .offset = p->fill_cursor };
	unsigned long h;

	switch (p->kind) {
	case BENCH_ARENA:
		return bench_peer_alloc(p, BENCH_ARENA, size);
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		h = gen_pool_alloc_algo(p->pool, size, gen_pool_fixed_alloc,
					&fixed);
		if (h)
			p->fill_cursor += ALIGN(size, BENCH_ALIGN);
		return h;
	case BENCH_MAPLE:
		return bench_peer_alloc(p, BENCH_MAPLE, size);
	case BENCH_KMALLOC:
		return bench_peer_alloc(p, BENCH_KMALLOC, size);
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
		return bench_peer_alloc(p, BENCH_DRM_BEST, size);
	case BENCH_DRM_LOW:
		return bench_peer_alloc(p, BENCH_DRM_LOW, size);
#endif
	default:
		return 0;
	}
}

/**
 * bench_maple_alloc() - allocate a range of the maple tree's index space
 * @p: %BENCH_MAPLE allocator
 * @size: bytes, rounded up to %BENCH_ALIGN
 *
 * What mtree_alloc_range() does from 6.5 on: the lowest gap that fits,
 * found with mas_empty_area(), then a store, under the tree's lock.  6.1's
 * own mtree_alloc_range() is not usable here: on an empty tree it stores
 * the entry over the whole window and returns a pivot as its error code,
 * and under this module's lockedpool trace it oopses (NULL dereference in
 * mas_spanning_rebalance()).
 *
 * Return: base + first index of the range, or 0 when no gap fits.
 */
unsigned long bench_maple_alloc(struct bench_peer *p, size_t size)
{
	MA_STATE(mas, &p->mt, 0, 0);
	unsigned long len = ALIGN(size, BENCH_ALIGN), start = 0;
	int err;

	mtree_lock(&p->mt);
	err = mas_empty_area(&mas, 0, p->size - 1, len);
	if (!err) {
		start = mas.index;
		mas.last = start + len - 1;
		err = mas_store_gfp(&mas, p, GFP_KERNEL);
	}
	mtree_unlock(&p->mt);
	return err ? 0 : p->base + start;
}

static unsigned long live_count(const struct bench_live *live)
{
	unsigned long i, n = 0;

	for (i = 0; i < live->n; i++)
		n += !!live->h[i];
	return n;
}

struct genpool_scan {
	u64 bitmap_bytes;
	u64 largest_free;
};

/* Bitmap size and longest clear run of one gen_pool chunk. */
static void genpool_scan_chunk(struct gen_pool *pool,
			       struct gen_pool_chunk *chunk, void *data)
{
	struct genpool_scan *s = data;
	int order = pool->min_alloc_order;
	unsigned long nbits = (chunk->end_addr - chunk->start_addr + 1) >> order;
	unsigned long i, end;

	s->bitmap_bytes += sizeof(*chunk) + BITS_TO_LONGS(nbits) * sizeof(long);
	i = find_first_zero_bit(chunk->bits, nbits);
	while (i < nbits) {
		end = find_next_bit(chunk->bits, nbits, i);
		s->largest_free = max_t(u64, s->largest_free,
					(u64)(end - i) << order);
		i = find_next_zero_bit(chunk->bits, nbits, end);
	}
}

/*
 * Maple nodes are counted from a walk of the entries: leaves exactly (the
 * node changes between two entries), the levels above estimated at eight
 * children per node, as the tree keeps no count that a module can read.
 */
static void maple_measure(struct bench_peer *p, unsigned long live,
			  struct bench_result *r)
{
	MA_STATE(mas, &p->mt, 0, 0);
	unsigned long next_free = 0, largest = 0, free = 0, leaves = 0;
	unsigned long nodes, level, entries = 0;
	void *entry, *leaf = NULL;

	rcu_read_lock();
	mas_for_each(&mas, entry, p->size - 1) {
		if ((void *)mas.node != leaf) {
			leaf = mas.node;
			leaves++;
		}
		free += mas.index - next_free;
		largest = max(largest, mas.index - next_free);
		next_free = mas.last + 1;
		entries++;
	}
	rcu_read_unlock();
	/* A range that overlapped another would have overwritten it. */
	if (next_free > p->size || entries != live) {
		pr_warn("BENCH maple: tree does not match the trace: %lu entries for %lu live, end %lu of %zu\n",
			entries, live, next_free, p->size);
		return;
	}
	free += p->size - next_free;
	largest = max_t(unsigned long, largest, p->size - next_free);
	r->frag_milli = free ? bench_ratio_milli(largest, free) : BENCH_NA;

	nodes = leaves;
	for (level = leaves; level > 1; nodes += level)
		level = DIV_ROUND_UP(level, 8);
	r->meta_milli = live ?
		bench_ratio_milli((u64)nodes * sizeof(struct maple_node), live) :
		BENCH_NA;
}

#if IS_ENABLED(CONFIG_DRM)
/*
 * drm_mm keeps a hole in the node before it (its hole_size and the two
 * hole rbtree links are node fields), so its metadata is one node per
 * live chunk, as allocated from the slab cache, plus struct drm_mm.
 */
static void drm_measure(struct bench_peer *p, unsigned long live,
			struct bench_result *r)
{
	u64 hole_start, hole_end, free = 0, largest = 0;
	struct drm_mm_node *pos;

	drm_mm_for_each_hole(pos, &p->mm, hole_start, hole_end) {
		free += hole_end - hole_start;
		largest = max(largest, hole_end - hole_start);
	}
	if (free)
		r->frag_milli = bench_ratio_milli(largest, free);
	if (live)
		r->meta_milli = bench_ratio_milli((u64)live *
						  kmem_cache_size(p->nodes) +
						  sizeof(p->mm), live);
}
#endif

/**
 * bench_peer_measure() - metadata per live chunk and fragmentation
 * @p: allocator
 * @live: the allocations the trace holds
 * @r: @meta_milli and @frag_milli are set
 *
 * arena: its own metadata_bytes and largest_free.  gen_pool: bitmap bytes
 * (the caller must also remember each size, not counted) and the longest
 * clear run.  maple tree: node estimate and the largest gap.  kmalloc:
 * ksize() slack, no fragmentation figure.  drm_mm: node slab objects plus
 * struct drm_mm, and the largest hole.
 */
void bench_peer_measure(struct bench_peer *p, const struct bench_live *live,
			struct bench_result *r)
{
	unsigned long i, n = live_count(live);
	struct genpool_scan gs = { 0 };
	struct arena_stats st;
	u64 slack = 0, avail;

	r->meta_milli = BENCH_NA;
	r->frag_milli = BENCH_NA;
	switch (p->kind) {
	case BENCH_ARENA:
		arena_get_stats(p->arena, &st);
		if (st.chunks_used)
			r->meta_milli = bench_ratio_milli(st.metadata_bytes,
							  st.chunks_used);
		if (st.free)
			r->frag_milli = bench_ratio_milli(st.largest_free, st.free);
		break;
	case BENCH_GENPOOL_BEST:
	case BENCH_GENPOOL_FIRST:
		gen_pool_for_each_chunk(p->pool, genpool_scan_chunk, &gs);
		avail = gen_pool_avail(p->pool);
		if (n)
			r->meta_milli = bench_ratio_milli(gs.bitmap_bytes, n);
		if (avail)
			r->frag_milli = bench_ratio_milli(gs.largest_free, avail);
		break;
	case BENCH_MAPLE:
		maple_measure(p, n, r);
		break;
	case BENCH_KMALLOC:
		for (i = 0; i < live->n; i++)
			if (live->h[i])
				slack += ksize((void *)live->h[i]) - live->sz[i];
		if (n)
			r->meta_milli = bench_ratio_milli(slack, n);
		break;
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
	case BENCH_DRM_LOW:
		drm_measure(p, n, r);
		break;
#endif
	default:
		break;
	}
}
