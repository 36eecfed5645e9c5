// SPDX-License-Identifier: GPL-2.0
/*
 * Trace 1, the pattern of Bitcoin Core's lockedpool benchmark: 2048 slots
 * over a 1 MiB region with 16-byte alignment, driven by a 32-bit Galois
 * LFSR.  Each step looks at the LFSR state x: slot x & 2047; if the top
 * bit is set the slot is freed (if it holds anything), otherwise an empty
 * slot gets an allocation of (x >> 16) & 2047 bytes (none for 0).  One op
 * is one step, as in the original; the region is small enough that some
 * allocations fail, and that is part of the pattern.
 */
#include <linux/ktime.h>
#include <linux/sched/clock.h>
#include <linux/sizes.h>

#include "bench_peer.h"

#define LP_REGION	SZ_1M
#define LP_SLOTS	2048
#define LP_MAX_SIZE	2048
#define LP_SEED		0x12345678U
#define LP_TAPS		0xf00f00f0U

struct lp_state {
	struct bench_peer peer;
	struct bench_live live;
	u32 x;
	u64 fail;
};

/* @lat: NULL, or each call is timed into it (a copy of its own either way). */
static __always_inline void lp_block(struct lp_state *s, const enum bench_kind kind,
				     struct bench_lat *lat)
{
	unsigned long *h = s->live.h;
	u32 *sz = s->live.sz;
	unsigned int i;
	u64 t0 = 0;

	for (i = 0; i < BENCH_BLOCK; i++) {
		u32 x = s->x, slot = x & (LP_SLOTS - 1);

		if (x & 0x80000000U) {
			if (h[slot]) {
				if (lat)
					t0 = local_clock();
				bench_peer_free(&s->peer, kind, h[slot], sz[slot]);
				if (lat)
					bench_hist_add(&lat->free, local_clock() - t0);
				h[slot] = 0;
			}
		} else if (!h[slot]) {
			u32 size = (x >> 16) & (LP_MAX_SIZE - 1);

			if (size) {
				if (lat)
					t0 = local_clock();
				h[slot] = bench_peer_alloc(&s->peer, kind, size);
				if (lat)
					bench_hist_add(&lat->alloc, local_clock() - t0);
				sz[slot] = size;
				if (!h[slot])
					s->fail++;
			}
		}
		s->x = (x >> 1) ^ (-(x & 1) & LP_TAPS);
	}
}

static __always_inline u64 lp_timed(struct lp_state *s, const enum bench_kind kind,
				    u64 max_ops, u64 budget_ns, u64 *done,
				    struct bench_lat *lat)
{
	u64 t0, t, n = 0;

	t0 = ktime_get_ns();
	do {
		if (lat)
			lp_block(s, kind, lat);
		else
			lp_block(s, kind, NULL);
		n += BENCH_BLOCK;
		t = ktime_get_ns();
	} while (n < max_ops && t - t0 < budget_ns);
	*done = n;
	return t - t0;
}

static u64 lp_run(struct lp_state *s, u64 max_ops, u64 budget_ns, u64 *done,
		  struct bench_lat *lat)
{
	switch (s->peer.kind) {
	case BENCH_ARENA:
		return lp_timed(s, BENCH_ARENA, max_ops, budget_ns, done, lat);
	case BENCH_GENPOOL_BEST:
		return lp_timed(s, BENCH_GENPOOL_BEST, max_ops, budget_ns, done, lat);
	case BENCH_GENPOOL_FIRST:
		return lp_timed(s, BENCH_GENPOOL_FIRST, max_ops, budget_ns, done, lat);
	case BENCH_MAPLE:
		return lp_timed(s, BENCH_MAPLE, max_ops, budget_ns, done, lat);
	case BENCH_KMALLOC:
		return lp_timed(s, BENCH_KMALLOC, max_ops, budget_ns, done, lat);
#if IS_ENABLED(CONFIG_DRM)
	case BENCH_DRM_BEST:
		return lp_timed(s, BENCH_DRM_BEST, max_ops, budget_ns, done, lat);
	case BENCH_DRM_LOW:
		return lp_timed(s, BENCH_DRM_LOW, max_ops, budget_ns, done, lat);
#endif
	default:
		*done = 0;
		return 0;
	}
}

struct lp_set {
	const struct bench_cfg *cfg;
	struct lp_state s[BENCH_NR_KINDS];
	struct bench_result res[BENCH_NR_KINDS];
};

static u64 lp_one_run(void *state, unsigned int kind, unsigned int run,
		      u64 *done)
{
	struct lp_set *set = state;

	return lp_run(&set->s[kind], set->cfg->ops_per_run,
		      (u64)set->cfg->run_ms * NSEC_PER_MSEC, done, NULL);
}

/* Latency pass after the timed runs: one BENCH_LAT line. */
static int lp_lat(const struct bench_cfg *cfg, struct lp_state *s,
		  const struct bench_result *r)
{
	struct bench_lat *lat = kzalloc(sizeof(*lat), GFP_KERNEL);
	bool hold;
	u64 done;

	if (!lat)
		return -ENOMEM;
	hold = bench_lat_begin(s->peer.kind == BENCH_ARENA);
	lp_run(s, cfg->ops_per_run, (u64)cfg->run_ms * NSEC_PER_MSEC, &done,
	       lat);
	bench_lat_end(r, lat, hold);
	kfree(lat);
	return 0;
}

/* All allocators share the first MiB of the region; none writes to it. */
int bench_lockedpool(const struct bench_cfg *cfg)
{
	struct lp_set *set;
	int k, err = 0;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	set->cfg = cfg;
	for (k = 0; k < BENCH_NR_KINDS && !err; k++) {
		struct lp_state *s = &set->s[k];

		s->x = LP_SEED;
		err = bench_live_init(&s->live, LP_SLOTS);
		if (!err) {
			err = bench_peer_init(&s->peer, k, cfg->region, LP_REGION);
			if (err)
				bench_live_destroy(&s->live);
		}
	}
	if (!err)
		err = bench_interleave(cfg, BENCH_NR_KINDS, lp_one_run, set,
				       set->res);
	for (k = 0; k < BENCH_NR_KINDS && !err; k++) {
		struct bench_result *r = &set->res[k];

		r->trace = "lockedpool";
		r->alloc = bench_kind_name[k];
		r->fail = set->s[k].fail;
		strscpy(r->param, "region=1M", sizeof(r->param));
		bench_peer_measure(&set->s[k].peer, &set->s[k].live, r);
		bench_print(r);
		err = lp_lat(cfg, &set->s[k], r);
	}
	for (k = 0; k < BENCH_NR_KINDS; k++) {
		if (!set->s[k].live.h)
			continue;
		bench_peer_destroy(&set->s[k].peer, &set->s[k].live);
		bench_live_destroy(&set->s[k].live);
	}
	kfree(set);
	return err;
}
