// SPDX-License-Identifier: GPL-2.0
/*
 * Trace 3, fragmentation churn: a small region filled to about 80% with
 * mixed sizes, then a long run of random free+alloc pairs.  What counts is
 * the state at the end: largest free chunk / free bytes (1.000 = all free
 * space in one piece) and how many allocations found no room.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include "bench_replay.h"

#define CHURN_REGION		SZ_4M
#define CHURN_LIVE		12000
#define CHURN_TRACE_SEED	0xa4093822299f31d0ULL
#define CHURN_FILL_SEED	0x082efa98ec4e6c89ULL
/* Time cap of the whole run, in units of the per-run cap. */
#define CHURN_RUN_FACTOR	40

static int churn_measure(const struct bench_cfg *cfg,
			 const struct bench_trace *t, struct bench_replay *rp,
			 enum bench_kind kind)
{
	struct bench_result r = {
		.trace = "churn",
		.alloc = bench_kind_name[kind],
		.param = "region=4M",
	};
	unsigned long i, n = 0;
	u64 ns;
	int err;

	err = bench_replay_start(rp, t, kind, cfg->region, CHURN_REGION);
	if (err)
		return err;
	cond_resched();
	ns = bench_replay_timed(rp, cfg->churn_ops,
				(u64)cfg->run_ms * CHURN_RUN_FACTOR * NSEC_PER_MSEC,
				&r.ops);
	r.ns_per_op = div64_u64(ns, r.ops);
	r.fail = rp->fail;
	for (i = 0; i < rp->live.n; i++)
		n += !!rp->live.h[i];
	snprintf(r.extra, sizeof(r.extra), "live_end=%lu", n);
	bench_peer_measure(&rp->peer, &rp->live, &r);
	bench_print(&r);
	err = bench_replay_lat_print(rp, cfg, &r);
	bench_replay_stop(rp);
	return err;
}

int bench_churn(const struct bench_cfg *cfg)
{
	u32 nops = max_t(u32, cfg->churn_ops, BENCH_BLOCK);
	struct bench_replay *rp;
	struct bench_trace t;
	int k, err;

	if (cfg->region_size < CHURN_REGION)
		return -EINVAL;
	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp)
		return -ENOMEM;
	err = bench_trace_init(&t, CHURN_LIVE, nops, CHURN_TRACE_SEED,
			       CHURN_FILL_SEED);
	for (k = 0; k < BENCH_NR_KINDS && !err; k++) {
		memset(rp, 0, sizeof(*rp));
		err = churn_measure(cfg, &t, rp, k);
	}
	bench_trace_destroy(&t);
	kfree(rp);
	return err;
}
