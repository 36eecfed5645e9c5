// SPDX-License-Identifier: GPL-2.0
/*
 * replay: the arena benchmark's traces against the arena core built for
 * user space, for instruction counts under callgrind.
 *
 *   replay [-n OPS] [TRACE...]     TRACE: lockedpool | steady:L
 *
 * The traces are those of bench/kmod (same generators, seeds and region
 * sizes); the steady-state fill is outside the measured phase, which is
 * the only code callgrind instruments and collects (see Makefile).  After
 * each trace the arena is walked and checked against its stats and the
 * driver's own record of live allocations; a mismatch exits non-zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <valgrind/callgrind.h>

#include "arena_core.h"
#include "bench.h"

/* bench/kmod/bench_steady.c */
#define STEADY_TRACE_SEED	0x243f6a8885a308d3ULL
#define STEADY_FILL_SEED	0x13198a2e03707344ULL

/* bench/kmod/bench_main.c: region bytes per live chunk, and the bounds. */
#define BYTES_PER_LIVE		1024ULL
#define MIN_REGION		(1024ULL * 1024)
#define MAX_REGION		(1024ULL * 1024 * 1024)

/* bench/kmod/bench_lockedpool.c */
#define LP_REGION		(1024ULL * 1024)
#define LP_SLOTS		2048
#define LP_MAX_SIZE		2048
#define LP_SEED			0x12345678U
#define LP_TAPS			0xf00f00f0U

/* Pairs (steady) or steps (lockedpool) measured: one timed run's worth. */
#define DEFAULT_OPS		100000

/**
 * struct run - one trace on one arena
 * @a: the arena
 * @base: its region, mapped PROT_NONE: the arena must never touch it
 * @size: bytes in the region
 * @h: live allocation per slot, NULL when empty
 * @sz: requested bytes per slot
 * @slots: entries in @h and @sz
 * @allocs: allocations attempted in the measured phase
 * @frees: frees in the measured phase
 * @fail: allocations that returned NULL, fill included
 * @alloc_ok: successful allocations, fill included
 * @free_ok: successful frees
 */
struct run {
	struct arena *a;
	char *base;
	size_t size;
	void **h;
	u32 *sz;
	unsigned long slots;
	u64 allocs;
	u64 frees;
	u64 fail;
	u64 alloc_ok;
	u64 free_ok;
};

static void die(const char *what)
{
	fprintf(stderr, "replay: %s\n", what);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

/* bench_region_bytes(): about 4x the mean request per live chunk. */
static size_t steady_region_bytes(unsigned long live)
{
	u64 want = live * BYTES_PER_LIVE, r = MIN_REGION;

	if (want >= MAX_REGION)
		return MAX_REGION;
	while (r < want)
		r <<= 1;
	return r;
}

static void run_start(struct run *r, size_t size, unsigned long slots)
{
	memset(r, 0, sizeof(*r));
	r->base = mmap(NULL, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->base == MAP_FAILED)
		die("cannot reserve the region");
	r->size = size;
	r->a = arena_create(r->base, size, BENCH_ALIGN, GFP_KERNEL);
	if (!r->a)
		die("arena_create failed");
	r->slots = slots;
	r->h = xcalloc(slots, sizeof(*r->h));
	r->sz = xcalloc(slots, sizeof(*r->sz));
}

static void run_stop(struct run *r)
{
	arena_destroy(r->a);
	munmap(r->base, r->size);
	free(r->h);
	free(r->sz);
}

static inline void slot_free(struct run *r, u32 slot)
{
	if (arena_free(r->a, r->h[slot]))
		die("arena_free refused a live allocation");
	r->h[slot] = NULL;
	r->free_ok++;
	r->frees++;
}

static inline void slot_alloc(struct run *r, u32 slot, u32 size)
{
	r->h[slot] = arena_alloc(r->a, size);
	r->sz[slot] = size;
	r->allocs++;
	if (r->h[slot])
		r->alloc_ok++;
	else
		r->fail++;
}

/* Trace 2: the pairs of bench_trace_init(), replayed as replay_block(). */
struct steady_op {
	u32 slot;
	u32 size;
};

static noinline void cg_measured_steady(struct run *r,
					const struct steady_op *ops, u32 nops)
{
	u32 i;

	for (i = 0; i < nops; i++) {
		u32 slot = ops[i].slot;

		if (r->h[slot])
			slot_free(r, slot);
		slot_alloc(r, slot, ops[i].size);
	}
}

static void trace_steady(struct run *r, unsigned long live, u32 nops)
{
	u64 seed = STEADY_TRACE_SEED;
	struct steady_op *ops;
	unsigned long i;

	ops = xcalloc(nops, sizeof(*ops));
	for (i = 0; i < nops; i++) {
		ops[i].slot = (u32)(bench_rand(&seed) % live);
		ops[i].size = bench_rand_size(&seed);
	}
	run_start(r, steady_region_bytes(live), live);
	seed = STEADY_FILL_SEED;
	for (i = 0; i < live; i++)
		slot_alloc(r, i, bench_rand_size(&seed));
	r->allocs = 0;

	CALLGRIND_START_INSTRUMENTATION;
	cg_measured_steady(r, ops, nops);
	CALLGRIND_STOP_INSTRUMENTATION;
	free(ops);
}

/* Trace 1: lp_block() of bench_lockedpool.c, from the first step. */
static noinline void cg_measured_lockedpool(struct run *r, u32 steps)
{
	u32 x = LP_SEED, i;

	for (i = 0; i < steps; i++) {
		u32 slot = x & (LP_SLOTS - 1);

		if (x & 0x80000000U) {
			if (r->h[slot])
				slot_free(r, slot);
		} else if (!r->h[slot]) {
			u32 size = (x >> 16) & (LP_MAX_SIZE - 1);

			if (size)
				slot_alloc(r, slot, size);
		}
		x = (x >> 1) ^ (-(x & 1) & LP_TAPS);
	}
}

static void trace_lockedpool(struct run *r, u32 steps)
{
	run_start(r, LP_REGION, LP_SLOTS);
	CALLGRIND_START_INSTRUMENTATION;
	cg_measured_lockedpool(r, steps);
	CALLGRIND_STOP_INSTRUMENTATION;
}

/* The self-check: what arena_walk() reports, checked chunk by chunk. */
struct chunk_rec {
	u64 off;
	u64 size;
};

struct walk_check {
	u64 align;
	u64 cursor;
	u64 used;
	u64 free;
	u64 chunks_free;
	u64 largest_free;
	bool prev_free;
	struct chunk_rec *live;
	u64 nlive;
	u64 max_live;
	const char *err;
};

static int walk_one(void *priv, size_t offset, size_t size, bool used)
{
	struct walk_check *w = priv;

	if (offset != w->cursor)
		w->err = "chunk does not start where the previous one ends";
	else if (!size || size % w->align)
		w->err = "chunk size is zero or not a multiple of the alignment";
	else if (!used && w->prev_free)
		w->err = "two free chunks are adjacent";
	else if (used && w->nlive == w->max_live)
		w->err = "more used chunks than chunks_used";
	if (w->err)
		return -1;

	w->cursor += size;
	w->prev_free = !used;
	if (used) {
		w->used += size;
		w->live[w->nlive].off = offset;
		w->live[w->nlive++].size = size;
	} else {
		w->free += size;
		w->chunks_free++;
		if (size > w->largest_free)
			w->largest_free = size;
	}
	return 0;
}

static int rec_cmp(const void *x, const void *y)
{
	const struct chunk_rec *a = x, *b = y;

	return a->off < b->off ? -1 : a->off > b->off;
}

/* Return: NULL if the arena is consistent, else what is wrong. */
static const char *run_check(struct run *r, const struct arena_stats *st)
{
	struct walk_check w = { .align = BENCH_ALIGN };
	struct chunk_rec *mine;
	const char *err = NULL;
	unsigned long i;
	u64 n = 0;
	int ret;

	w.max_live = st->chunks_used;
	w.live = xcalloc(w.max_live + 1, sizeof(*w.live));
	mine = xcalloc(r->slots + 1, sizeof(*mine));
	ret = arena_walk(r->a, walk_one, &w);
	if (ret)
		err = w.err ? w.err : "arena_walk failed";
	else if (w.cursor != st->total)
		err = "chunks do not cover the region";
	else if (w.used != st->used || w.free != st->free)
		err = "walked used/free bytes differ from the stats";
	else if (w.nlive != st->chunks_used || w.chunks_free != st->chunks_free)
		err = "walked chunk counts differ from the stats";
	else if (w.largest_free != st->largest_free)
		err = "largest free chunk differs from the stats";
	else if (st->alloc_ok != r->alloc_ok || st->free_ok != r->free_ok ||
		 st->alloc_failed != r->fail || st->free_invalid)
		err = "operation counters differ from the driver's";
	if (err)
		goto out;

	/* Every live allocation is a used chunk of its rounded-up size. */
	for (i = 0; i < r->slots; i++) {
		if (!r->h[i])
			continue;
		mine[n].off = (u64)((char *)r->h[i] - r->base);
		mine[n++].size = (r->sz[i] + BENCH_ALIGN - 1) & ~(BENCH_ALIGN - 1ULL);
	}
	qsort(mine, n, sizeof(*mine), rec_cmp);
	if (n != w.nlive || memcmp(mine, w.live, n * sizeof(*mine)))
		err = "used chunks differ from the driver's live allocations";
out:
	free(w.live);
	free(mine);
	return err;
}

/* Return: 0 if the trace ran and the arena checked out. */
static int run_trace(const char *name, u32 ops)
{
	struct arena_stats st;
	const char *err;
	unsigned long live = 0;
	char param[32];
	struct run r;

	if (!strcmp(name, "lockedpool")) {
		trace_lockedpool(&r, ops);
		snprintf(param, sizeof(param), "slots=%d", LP_SLOTS);
	} else if (sscanf(name, "steady:%lu", &live) == 1 && live) {
		trace_steady(&r, live, ops);
		snprintf(param, sizeof(param), "L=%lu", live);
	} else {
		fprintf(stderr, "replay: unknown trace %s\n", name);
		return 2;
	}

	arena_get_stats(r.a, &st);
	err = run_check(&r, &st);
	printf("CG %s %s ops=%u allocs=%llu frees=%llu fail=%llu region=%zu",
	       live ? "steady" : "lockedpool", param, ops, r.allocs, r.frees,
	       r.fail, r.size);
	printf(" chunks_used=%llu chunks_free=%llu largest_free=%llu",
	       st.chunks_used, st.chunks_free, st.largest_free);
	printf(" meta_bytes_per_chunk=%.3f check=%s\n",
	       st.chunks_used ? (double)st.metadata_bytes / st.chunks_used : 0.0,
	       err ? "FAIL" : "ok");
	if (err)
		fprintf(stderr, "replay: %s %s: %s\n", name, param, err);
	fflush(stdout);
	run_stop(&r);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const char *const all[] = {
		"lockedpool", "steady:1000", "steady:10000", "steady:100000",
		"steady:1000000", NULL,
	};
	unsigned long ops = DEFAULT_OPS;
	int i = 1, ret = 0;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		ops = strtoul(argv[2], NULL, 0);
		if (!ops || ops > U32_MAX)
			die("-n wants 1 .. 2^32-1 operations");
		i = 3;
	}
	if (arena_chunk_cache_init())
		die("no chunk cache");
	if (i == argc) {
		for (i = 0; all[i]; i++)
			ret |= run_trace(all[i], ops);
	} else {
		for (; i < argc; i++)
			ret |= run_trace(argv[i], ops);
	}
	arena_chunk_cache_exit();
	return ret;
}
