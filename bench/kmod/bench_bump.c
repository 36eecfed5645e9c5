// SPDX-License-Identifier: GPL-2.0
/*
 * Trace 4, many small allocations freed together: bump_n requests of 8 to
 * 128 bytes, then everything is released.  One op is one allocation plus
 * its share of the release: bump_arena_destroy() for the bump arena,
 * kfree() of each pointer for kmalloc, page_frag_free() of each fragment
 * and a cache drain for page_frag_alloc() (its pages are refcounted per
 * fragment, so there is no cheaper way to release them).
 */
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "arena_api.h"
#include "bench.h"

#define BUMP_SEED	0xbe5466cf34e90c6cULL
#define BUMP_MIN	8
#define BUMP_MAX	128

enum bump_kind {
	BUMP_ARENA,
	BUMP_ARENA_ALIGNED,
	BUMP_KMALLOC,
	BUMP_PAGE_FRAG,
	BUMP_NR_KINDS
};

static const char *const bump_kind_name[BUMP_NR_KINDS] = {
	[BUMP_ARENA] = "bump_arena",
	[BUMP_ARENA_ALIGNED] = "bump_arena_aligned",
	[BUMP_KMALLOC] = "kmalloc",
	[BUMP_PAGE_FRAG] = "page_frag",
};

/**
 * struct bump_run - inputs and per-run outputs of the bump trace
 * @size: request sizes
 * @ptr: allocations, for the allocators that free one by one
 * @n: requests
 * @fail: allocations that returned NULL
 * @alloc_ns: time of the allocation phase
 * @overhead: bytes taken beyond the requests, measured untimed
 */
struct bump_run {
	const u8 *size;
	void **ptr;
	u32 n;
	u64 fail;
	u64 alloc_ns;
	u64 overhead;
};

/*
 * The run_*() helpers take @lat NULL for a timed run, or a histogram that
 * gets the time of each call (a latency pass): inlined, each use gets a
 * copy of its own, so the timed runs carry no extra test.
 */
static __always_inline u64 lat_begin(struct bench_lat *lat)
{
	return lat ? local_clock() : 0;
}

static __always_inline void lat_end(struct bench_lat *lat, bool alloc, u64 t)
{
	if (lat)
		bench_hist_add(alloc ? &lat->alloc : &lat->free,
			       local_clock() - t);
}

static __always_inline u64 run_bump_arena(struct bump_run *b, bool aligned,
					  struct bench_lat *lat)
{
	struct bump_arena *ba;
	u64 t0, t1, t2, requested = 0, t = 0;
	u32 i;

	t0 = ktime_get_ns();
	ba = bump_arena_create(GFP_KERNEL);
	if (!ba) {
		b->fail++;
		return 0;
	}
	for (i = 0; i < b->n; i++) {
		void *p;

		t = lat_begin(lat);
		p = aligned ? bump_arena_alloc_aligned(ba, b->size[i]) :
			      bump_arena_alloc(ba, b->size[i]);
		lat_end(lat, true, t);
		if (unlikely(!p))
			b->fail++;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < b->n; i++)
		requested += b->size[i];
	b->overhead = bump_arena_memory_usage(ba) - requested;
	t2 = ktime_get_ns();
	bump_arena_destroy(ba);
	b->alloc_ns = t1 - t0;
	return ktime_get_ns() - t2 + (t1 - t0);
}

static __always_inline u64 run_kmalloc(struct bump_run *b,
				       struct bench_lat *lat)
{
	u64 t0, t1, t2, slack = 0, t = 0;
	u32 i;

	t0 = ktime_get_ns();
	for (i = 0; i < b->n; i++) {
		t = lat_begin(lat);
		b->ptr[i] = kmalloc(b->size[i], GFP_KERNEL);
		lat_end(lat, true, t);
		if (unlikely(!b->ptr[i]))
			b->fail++;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < b->n; i++)
		if (b->ptr[i])
			slack += ksize(b->ptr[i]) - b->size[i];
	b->overhead = slack;
	t2 = ktime_get_ns();
	for (i = 0; i < b->n; i++) {
		t = lat_begin(lat);
		kfree(b->ptr[i]);
		lat_end(lat, false, t);
	}
	b->alloc_ns = t1 - t0;
	return ktime_get_ns() - t2 + (t1 - t0);
}

/* Bytes of the distinct pages the fragments sit on, minus the requests. */
static u64 page_frag_overhead(const struct bump_run *b)
{
	struct page *prev = NULL;
	u64 bytes = 0, requested = 0;
	u32 i;

	for (i = 0; i < b->n; i++) {
		struct page *head;

		if (!b->ptr[i])
			continue;
		head = virt_to_head_page(b->ptr[i]);
		if (head != prev)
			bytes += page_size(head);
		prev = head;
		requested += b->size[i];
	}
	return bytes > requested ? bytes - requested : 0;
}

static __always_inline u64 run_page_frag(struct bump_run *b,
					 struct bench_lat *lat)
{
	struct page_frag_cache nc = { 0 };
	u64 t0, t1, t2, t = 0;
	u32 i;

	t0 = ktime_get_ns();
	for (i = 0; i < b->n; i++) {
		t = lat_begin(lat);
		b->ptr[i] = page_frag_alloc(&nc, b->size[i], GFP_KERNEL);
		lat_end(lat, true, t);
		if (unlikely(!b->ptr[i]))
			b->fail++;
	}
	t1 = ktime_get_ns();
	b->overhead = page_frag_overhead(b);
	t2 = ktime_get_ns();
	for (i = 0; i < b->n; i++) {
		if (!b->ptr[i])
			continue;
		t = lat_begin(lat);
		page_frag_free(b->ptr[i]);
		lat_end(lat, false, t);
	}
	if (nc.va)
		__page_frag_cache_drain(virt_to_head_page(nc.va), nc.pagecnt_bias);
	b->alloc_ns = t1 - t0;
	return ktime_get_ns() - t2 + (t1 - t0);
}

struct bump_set {
	struct bump_run b;
	u64 alloc_ns[BUMP_NR_KINDS][BENCH_MAX_RUNS];
	u64 overhead[BUMP_NR_KINDS];
	u64 fail[BUMP_NR_KINDS];
	struct bench_result res[BUMP_NR_KINDS];
};

/* One run of @kind: timed when @lat is NULL, else a latency pass. */
static noinline u64 bump_run_kind(struct bump_run *b, unsigned int kind,
				  struct bench_lat *lat)
{
	b->fail = 0;
	switch (kind) {
	case BUMP_ARENA:
	case BUMP_ARENA_ALIGNED:
		if (lat)
			return run_bump_arena(b, kind == BUMP_ARENA_ALIGNED, lat);
		return run_bump_arena(b, kind == BUMP_ARENA_ALIGNED, NULL);
	case BUMP_KMALLOC:
		return lat ? run_kmalloc(b, lat) : run_kmalloc(b, NULL);
	case BUMP_PAGE_FRAG:
		return lat ? run_page_frag(b, lat) : run_page_frag(b, NULL);
	default:
		return 0;
	}
}

static u64 bump_one_run(void *state, unsigned int kind, unsigned int run,
			u64 *done)
{
	struct bump_set *set = state;
	struct bump_run *b = &set->b;
	u64 t = bump_run_kind(b, kind, NULL);

	set->alloc_ns[kind][run] = div64_u64(b->alloc_ns, b->n);
	set->overhead[kind] = b->overhead;
	set->fail[kind] += b->fail;
	*done = b->n;
	return t;
}

/* Latency pass of @kind after its timed runs: one BENCH_LAT line. */
static int bump_lat(struct bump_run *b, unsigned int kind,
		    const struct bench_result *r)
{
	struct bench_lat *lat = kzalloc(sizeof(*lat), GFP_KERNEL);

	if (!lat)
		return -ENOMEM;
	bump_run_kind(b, kind, lat);
	bench_lat_end(r, lat, false);
	kfree(lat);
	return 0;
}

int bench_bump(const struct bench_cfg *cfg)
{
	struct bump_set *set;
	u64 seed = BUMP_SEED;
	int k, err = -ENOMEM;
	u8 *size;
	u32 i, n = cfg->bump_n;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	size = kvmalloc(n, GFP_KERNEL);
	if (!set || !size)
		goto out;
	set->b.ptr = kvmalloc_array(n, sizeof(*set->b.ptr), GFP_KERNEL);
	if (!set->b.ptr)
		goto out;
	for (i = 0; i < n; i++)
		size[i] = BUMP_MIN + bench_rand(&seed) % (BUMP_MAX - BUMP_MIN + 1);
	set->b.size = size;
	set->b.n = n;
	err = bench_interleave(cfg, BUMP_NR_KINDS, bump_one_run, set, set->res);
	for (k = 0; k < BUMP_NR_KINDS && !err; k++) {
		struct bench_result *r = &set->res[k];

		r->trace = "bump";
		r->alloc = bump_kind_name[k];
		r->fail = set->fail[k];
		r->meta_milli = bench_ratio_milli(set->overhead[k], n);
		r->frag_milli = BENCH_NA;
		snprintf(r->param, sizeof(r->param), "n=%u", n);
		snprintf(r->extra, sizeof(r->extra), "alloc_ns_per_op=%llu",
			 bench_median(set->alloc_ns[k], cfg->runs));
		bench_print(r);
		err = bump_lat(&set->b, k, r);
	}
out:
	if (set)
		kvfree(set->b.ptr);
	kvfree(size);
	kfree(set);
	return err;
}
