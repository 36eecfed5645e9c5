// SPDX-License-Identifier: GPL-2.0
/*
 * Trace 2, steady state: fill to L live chunks, then replay random
 * free+alloc pairs, for L = 1e3 .. 1e6.  One op is one free plus one
 * allocation.  The region grows with L (1 KiB per live chunk, 1 MiB to
 * 1 GiB); all allocators use the same one at the same time (none of them
 * writes to it), and their timed runs are interleaved.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sizes.h>

#include "bench_replay.h"

#define STEADY_TRACE_SEED	0x243f6a8885a308d3ULL
#define STEADY_FILL_SEED	0x13198a2e03707344ULL
/* Longest trace kept in memory (8 MiB); runs replay it in a circle. */
#define STEADY_MAX_OPS		SZ_1M

static const unsigned long steady_levels[] = { 1000, 10000, 100000, 1000000 };

struct steady_level {
	const struct bench_cfg *cfg;
	struct bench_trace trace;
	struct bench_replay rp[BENCH_NR_KINDS];
	struct bench_result res[BENCH_NR_KINDS];
};

static u64 steady_run(void *state, unsigned int kind, unsigned int run,
		      u64 *done)
{
	struct steady_level *s = state;

	return bench_replay_timed(&s->rp[kind], s->cfg->ops_per_run,
				  (u64)s->cfg->run_ms * NSEC_PER_MSEC, done);
}

static int steady_level(const struct bench_cfg *cfg, unsigned long live)
{
	u32 nops = min_t(u64, (u64)cfg->runs * cfg->ops_per_run, STEADY_MAX_OPS);
	size_t region = bench_region_bytes(live);
	struct steady_level *s;
	int k, err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->cfg = cfg;
	err = bench_trace_init(&s->trace, live, nops, STEADY_TRACE_SEED,
			       STEADY_FILL_SEED);
	for (k = 0; k < BENCH_NR_KINDS && !err; k++)
		err = bench_replay_start(&s->rp[k], &s->trace, k, cfg->region,
					 region);
	if (!err)
		err = bench_interleave(cfg, BENCH_NR_KINDS, steady_run, s, s->res);
	for (k = 0; k < BENCH_NR_KINDS && !err; k++) {
		struct bench_result *r = &s->res[k];
		struct bench_split sp = { 0 };

		/* After the timed runs, so it cannot disturb them. */
		bench_replay_split(&s->rp[k], cfg->ops_per_run,
				   (u64)cfg->run_ms * NSEC_PER_MSEC, &sp);
		r->trace = "steady";
		r->alloc = bench_kind_name[k];
		r->fail = s->rp[k].fail;
		snprintf(r->param, sizeof(r->param), "L=%lu", live);
		snprintf(r->extra, sizeof(r->extra),
			 "region=%zu alloc_ns=%llu free_ns=%llu", region,
			 div64_u64(sp.alloc_ns, max_t(u64, sp.allocs, 1)),
			 div64_u64(sp.free_ns, max_t(u64, sp.frees, 1)));
		bench_peer_measure(&s->rp[k].peer, &s->rp[k].live, r);
		bench_print(r);
		err = bench_replay_lat_print(&s->rp[k], cfg, r);
	}
	for (k = 0; k < BENCH_NR_KINDS; k++)
		bench_replay_stop(&s->rp[k]);
	bench_trace_destroy(&s->trace);
	kfree(s);
	return err;
}

int bench_steady(const struct bench_cfg *cfg)
{
	unsigned int l;
	int err = 0;

	for (l = 0; l < ARRAY_SIZE(steady_levels) && !err; l++) {
		if (steady_levels[l] > cfg->max_live)
			break;
		err = steady_level(cfg, steady_levels[l]);
	}
	return err;
}
