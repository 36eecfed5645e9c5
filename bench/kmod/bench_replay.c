// SPDX-License-Identifier: GPL-2.0
/*
 * Slot-trace replay: trace generation, the untimed fill and the timed
 * free+alloc loop, specialised per allocator.
 */
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "bench_replay.h"

/**
 * bench_trace_init() - generate a slot trace
 * @t: trace
 * @slots: live allocations the trace keeps
 * @nops: free+alloc pairs to generate
 * @seed: PRNG seed of the pairs; the same seed gives the same trace
 * @fill_seed: PRNG seed of the fill sizes
 *
 * Return: 0 or -ENOMEM.
 */
int bench_trace_init(struct bench_trace *t, unsigned long slots, u32 nops,
		     u64 seed, u64 fill_seed)
{
	u32 i;

	t->ops = kvmalloc_array(nops, sizeof(*t->ops), GFP_KERNEL);
	if (!t->ops)
		return -ENOMEM;
	for (i = 0; i < nops; i++) {
		t->ops[i].slot = (u32)(bench_rand(&seed) % slots);
		t->ops[i].size = bench_rand_size(&seed);
	}
	t->nops = nops;
	t->slots = slots;
	t->fill_seed = fill_seed;
	return 0;
}

void bench_trace_destroy(struct bench_trace *t)
{
	kvfree(t->ops);
	t->ops = NULL;
}

/* Untimed: one allocation per slot. */
static void replay_fill(struct bench_replay *rp)
{
	u64 seed = rp->trace->fill_seed;
	unsigned long i;

	for (i = 0; i < rp->live.n; i++) {
		u32 size = bench_rand_size(&seed);

		rp->live.h[i] = bench_peer_fill_alloc(&rp->peer, size);
		rp->live.sz[i] = size;
		if (!rp->live.h[i])
			rp->fail++;
		if (!(i & 4095))
			cond_resched();
	}
}

/**
 * bench_replay_start() - set up an allocator and fill it for a trace
 * @rp: zeroed replay
 * @t: trace
 * @kind: allocator
 * @base: region
 * @size: bytes in the region
 *
 * Return: 0 or a negative errno (nothing to stop then).
 */
int bench_replay_start(struct bench_replay *rp, const struct bench_trace *t,
		       enum bench_kind kind, void *base, size_t size)
{
	int err;

	err = bench_live_init(&rp->live, t->slots);
	if (err)
		return err;
	err = bench_peer_init(&rp->peer, kind, base, size);
	if (err) {
		bench_live_destroy(&rp->live);
		return err;
	}
	rp->trace = t;
	rp->pos = 0;
	rp->fail = 0;
	replay_fill(rp);
	return 0;
}

void bench_replay_stop(struct bench_replay *rp)
{
	if (!rp->live.h)
		return;
	bench_peer_destroy(&rp->peer, &rp->live);
	bench_live_destroy(&rp->live);
}

static __always_inline void replay_block(struct bench_replay *rp,
					 const enum bench_kind kind)
{
	const struct bench_replay_op *ops = rp->trace->ops;
	u32 nops = rp->trace->nops;
	unsigned long *h = rp->live.h;
	u32 *sz = rp->live.sz;
	unsigned int i;

	for (i = 0; i < BENCH_BLOCK; i++) {
		const struct bench_replay_op *op = &ops[rp->pos];
		u32 slot = op->slot;

		if (++rp->pos == nops)
			rp->pos = 0;
		if (h[slot])
			bench_peer_free(&rp->peer, kind, h[slot], sz[slot]);
		h[slot] = bench_peer_alloc(&rp->peer, kind, op->size);
		sz[slot] = op->size;
		if (unlikely(!h[slot]))
			rp->fail++;
	}
}

static __always_inline u64 replay_timed(struct bench_replay *rp,
					u64 max_ops, u64 budget_ns, u64 *done,
					const enum bench_kind kind)
{
	u64 t0, t, n = 0;

	t0 = ktime_get_ns();
	do {
		replay_block(rp, kind);
		n += BENCH_BLOCK;
		t = ktime_get_ns();
	} while (n < max_ops && t - t0 < budget_ns);
	*done = n;
	return t - t0;
}

static __always_inline void replay_split(struct bench_replay *rp,
					 u64 max_ops, u64 budget_ns,
					 struct bench_split *sp,
					 const enum bench_kind kind)
{
	const struct bench_replay_op *ops = rp->trace->ops;
	u32 nops = rp->trace->nops;
	unsigned long *h = rp->live.h;
	u32 *sz = rp->live.sz;
	u64 start = ktime_get_ns(), t0, t1, t2, n = 0;
	unsigned int i;

	do {
		const struct bench_replay_op *blk[BENCH_BLOCK];

		for (i = 0; i < BENCH_BLOCK; i++) {
			blk[i] = &ops[rp->pos];
			if (++rp->pos == nops)
				rp->pos = 0;
		}
		t0 = ktime_get_ns();
		for (i = 0; i < BENCH_BLOCK; i++) {
			u32 slot = blk[i]->slot;

			if (h[slot]) {
				bench_peer_free(&rp->peer, kind, h[slot], sz[slot]);
				h[slot] = 0;
				sp->frees++;
			}
		}
		t1 = ktime_get_ns();
		for (i = 0; i < BENCH_BLOCK; i++) {
			const struct bench_replay_op *op = blk[i];

			/* A slot drawn twice in one block is refilled once. */
			if (h[op->slot])
				continue;
			h[op->slot] = bench_peer_alloc(&rp->peer, kind, op->size);
			sz[op->slot] = op->size;
			sp->allocs++;
			if (unlikely(!h[op->slot]))
				rp->fail++;
		}
		t2 = ktime_get_ns();
		sp->free_ns += t1 - t0;
		sp->alloc_ns += t2 - t1;
		n += BENCH_BLOCK;
	} while (n < max_ops && t2 - start < budget_ns);
}

/*
 * The same pairs as bench_replay_timed(), with local_clock() read around
 * each call (its own cost, bench_timer_overhead_ns(), is in every sample).
 */
static __always_inline void replay_lat(struct bench_replay *rp, u64 max_ops,
				       u64 budget_ns, struct bench_lat *lat,
				       const enum bench_kind kind)
{
	const struct bench_replay_op *ops = rp->trace->ops;
	u32 nops = rp->trace->nops;
	unsigned long *h = rp->live.h;
	u32 *sz = rp->live.sz;
	u64 start = local_clock(), t0, t1, n = 0;

	do {
		const struct bench_replay_op *op = &ops[rp->pos];
		u32 slot = op->slot;

		if (++rp->pos == nops)
			rp->pos = 0;
		if (h[slot]) {
			t0 = local_clock();
			bench_peer_free(&rp->peer, kind, h[slot], sz[slot]);
			t1 = local_clock();
			bench_hist_add(&lat->free, t1 - t0);
		}
		t0 = local_clock();
		h[slot] = bench_peer_alloc(&rp->peer, kind, op->size);
		t1 = local_clock();
		bench_hist_add(&lat->alloc, t1 - t0);
		sz[slot] = op->size;
		if (unlikely(!h[slot]))
			rp->fail++;
		if (!(++n & (BENCH_BLOCK - 1)))
			cond_resched();
	} while (n < max_ops && t1 - start < budget_ns);
}

enum replay_mode { REPLAY_TIMED, REPLAY_SPLIT, REPLAY_LAT };

/* What the loops of the three replay modes need. */
struct replay_args {
	u64 max_ops;
	u64 budget_ns;
	u64 *done;
	struct bench_split *sp;
	struct bench_lat *lat;
};

static __always_inline u64 replay_mode(struct bench_replay *rp,
				       enum replay_mode mode,
				       struct replay_args *a,
				       const enum bench_kind kind)
{
	switch (mode) {
	case REPLAY_TIMED:
		return replay_timed(rp, a->max_ops, a->budget_ns, a->done, kind);
	case REPLAY_SPLIT:
		replay_split(rp, a->max_ops, a->budget_ns, a->sp, kind);
		return 0;
	default:
		replay_lat(rp, a->max_ops, a->budget_ns, a->lat, kind);
		return 0;
	}
}

/* One copy of each loop per allocator, with no indirect call in it. */
static noinline u64 replay_dispatch(struct bench_replay *rp,
				    enum replay_mode mode,
				    struct replay_args *a)
{
	if (a->done)
		*a->done = 0;
	switch (rp->peer.kind) {
	case BENCH_ARENA:
		return replay_mode(rp, mode, a, BENCH_ARENA);
	case BENCH_GENPOOL_BEST:
		return replay_mode(rp, mode, a, BENCH_GENPOOL_BEST);
	case BENCH_GENPOOL_FIRST:
		return replay_mode(rp, mode, a, BENCH_GENPOOL_FIRST);
	case BENCH_MAPLE:
		return replay_mode(rp, mode, a, BENCH_MAPLE);
	case BENCH_KMALLOC:
		return replay_mode(rp, mode, a, BENCH_KMALLOC);
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
		return replay_mode(rp, mode, a, BENCH_DRM_BEST);
	case BENCH_DRM_LOW:
		return replay_mode(rp, mode, a, BENCH_DRM_LOW);
#endif
	default:
		return 0;
	}
}

/**
 * bench_replay_timed() - replay free+alloc pairs against the clock
 * @rp: started replay
 * @max_ops: stop after this many pairs (rounded up to %BENCH_BLOCK)
 * @budget_ns: or once this much time has passed
 * @done: set to the pairs replayed
 *
 * The clock is read once per %BENCH_BLOCK pairs, nothing is printed.
 *
 * Return: nanoseconds taken.
 */
u64 bench_replay_timed(struct bench_replay *rp, u64 max_ops, u64 budget_ns,
		       u64 *done)
{
	struct replay_args a = { .max_ops = max_ops, .budget_ns = budget_ns,
				 .done = done };

	return replay_dispatch(rp, REPLAY_TIMED, &a);
}

/**
 * bench_replay_split() - time frees and allocations apart
 * @rp: started replay
 * @max_ops: stop after this many pairs (rounded up to %BENCH_BLOCK)
 * @budget_ns: or once this much time has passed
 * @sp: zeroed; accumulates time and counts of each side
 *
 * The same pairs as bench_replay_timed(), but each block of
 * %BENCH_BLOCK pairs first frees its slots, then refills them, with the
 * clock read in between: it shows where an allocator's time goes.
 */
void bench_replay_split(struct bench_replay *rp, u64 max_ops, u64 budget_ns,
			struct bench_split *sp)
{
	struct replay_args a = { .max_ops = max_ops, .budget_ns = budget_ns,
				 .sp = sp };

	replay_dispatch(rp, REPLAY_SPLIT, &a);
}

/**
 * bench_replay_lat_print() - latency pass of a replay, one BENCH_LAT line
 * @rp: started replay
 * @cfg: @ops_per_run and @run_ms bound the pass
 * @r: names the trace, allocator and parameter of the line
 *
 * For the arena, the longest hold of its lock during the pass as well,
 * when the arena module keeps that record.
 *
 * Return: 0 or -ENOMEM.
 */
int bench_replay_lat_print(struct bench_replay *rp,
			   const struct bench_cfg *cfg,
			   const struct bench_result *r)
{
	struct bench_lat *lat = kzalloc(sizeof(*lat), GFP_KERNEL);
	struct replay_args a = { .max_ops = cfg->ops_per_run,
				 .budget_ns = (u64)cfg->run_ms * NSEC_PER_MSEC,
				 .lat = lat };
	bool hold;

	if (!lat)
		return -ENOMEM;
	hold = bench_lat_begin(rp->peer.kind == BENCH_ARENA);
	replay_dispatch(rp, REPLAY_LAT, &a);
	bench_lat_end(r, lat, hold);
	kfree(lat);
	return 0;
}
