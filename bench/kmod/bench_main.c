// SPDX-License-Identifier: GPL-2.0
/*
 * arena_bench: replays the same deterministic allocation traces on this
 * project's arena and on the kernel's own allocators, in one run on one
 * kernel, and prints one line per measurement on the kernel log:
 *
 *   BENCH <trace> <allocator> <param> ns_per_op=<n> ops=<n> fail=<n>
 *         meta_bytes_per_chunk=<x|n/a> frag=<x|n/a> [key=value]
 *
 * followed by "BENCH done".  Everything runs from module init; bench/run.sh
 * collects the lines and writes bench/results.md.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "bench.h"

static unsigned int runs = 7;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "timed runs per measurement, median reported (1-15)");

static unsigned int run_ms = 300;
module_param(run_ms, uint, 0444);
MODULE_PARM_DESC(run_ms, "time cap of one timed run in ms");

static unsigned int ops_per_run = 100000;
module_param(ops_per_run, uint, 0444);
MODULE_PARM_DESC(ops_per_run, "operation cap of one timed run");

static unsigned long max_live = 1000000;
module_param(max_live, ulong, 0444);
MODULE_PARM_DESC(max_live, "largest live-chunk count of the steady-state trace");

static unsigned int churn_ops = 200000;
module_param(churn_ops, uint, 0444);
MODULE_PARM_DESC(churn_ops, "free+alloc pairs of the fragmentation trace");

static unsigned int bump_n = 1000000;
module_param(bump_n, uint, 0444);
MODULE_PARM_DESC(bump_n, "allocations per run of the bump-arena trace");

static char *traces = "lockedpool,steady,churn,bump,threads";
module_param(traces, charp, 0444);
MODULE_PARM_DESC(traces, "comma-separated traces to run");

/* Region bytes per live chunk in the steady-state trace; about 4x the mean. */
#define BENCH_BYTES_PER_LIVE	1024
#define BENCH_MIN_REGION	SZ_1M
#define BENCH_MAX_REGION	SZ_1G

u64 bench_ratio_milli(u64 num, u64 den)
{
	return den ? div64_u64(num * 1000, den) : 0;
}

static void print_milli(char *buf, size_t len, s64 v)
{
	if (v < 0)
		scnprintf(buf, len, "n/a");
	else
		scnprintf(buf, len, "%lld.%03lld", v / 1000, v % 1000);
}

void bench_print(const struct bench_result *r)
{
	char meta[24], frag[24];

	print_milli(meta, sizeof(meta), r->meta_milli);
	print_milli(frag, sizeof(frag), r->frag_milli);
	pr_info("BENCH %s %s %s ns_per_op=%llu ops=%llu fail=%llu meta_bytes_per_chunk=%s frag=%s%s%s\n",
		r->trace, r->alloc, r->param, r->ns_per_op, r->ops, r->fail,
		meta, frag, r->extra[0] ? " " : "", r->extra);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n values (lower middle for even @n); sorts @v. */
u64 bench_median(u64 *v, unsigned int n)
{
	if (!n)
		return 0;
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[(n - 1) / 2];
}

/**
 * bench_interleave() - timed runs of several allocators, interleaved
 * @cfg: number of runs
 * @kinds: allocators, numbered 0 .. @kinds - 1
 * @run: does one timed run
 * @state: passed to @run
 * @res: per allocator: @ns_per_op (median over the runs) and @ops are set
 *
 * Run i of every allocator comes before run i + 1 of any, so a slow spell
 * of the emulator or the host hits all of them alike rather than one.
 *
 * Return: 0 or -ENOMEM.
 */
int bench_interleave(const struct bench_cfg *cfg, unsigned int kinds,
		     bench_run_fn run, void *state, struct bench_result *res)
{
	u64 (*ns)[BENCH_MAX_RUNS];
	unsigned int i, k;

	ns = kcalloc(kinds, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	for (i = 0; i < cfg->runs; i++) {
		for (k = 0; k < kinds; k++) {
			u64 done = 0, t;

			cond_resched();
			t = run(state, k, i, &done);
			res[k].ops += done;
			ns[k][i] = done ? div64_u64(t, done) : 0;
		}
	}
	for (k = 0; k < kinds; k++)
		res[k].ns_per_op = bench_median(ns[k], cfg->runs);
	kfree(ns);
	return 0;
}

/* Steady-state regions grow with L; all traces share the largest. */
size_t bench_region_bytes(unsigned long live)
{
	u64 want = (u64)live * BENCH_BYTES_PER_LIVE;

	if (want <= BENCH_MIN_REGION)
		return BENCH_MIN_REGION;
	if (want >= BENCH_MAX_REGION)
		return BENCH_MAX_REGION;
	return roundup_pow_of_two(want);
}

static bool want_trace(const char *name)
{
	size_t len = strlen(name);
	const char *s = traces;

	while (s && *s) {
		if (!strncmp(s, name, len) && (s[len] == ',' || !s[len]))
			return true;
		s = strchr(s, ',');
		if (s)
			s++;
	}
	return false;
}

static int __init arena_bench_init(void)
{
	struct bench_cfg cfg = {
		.runs = clamp(runs, 1U, (unsigned int)BENCH_MAX_RUNS),
		.run_ms = max(run_ms, 1U),
		.ops_per_run = max(ops_per_run, (unsigned int)BENCH_BLOCK),
		.max_live = clamp(max_live, 1000UL, 1000000UL),
		.churn_ops = churn_ops,
		.bump_n = max(bump_n, 1U),
	};
	int err = 0;

	cfg.region_size = bench_region_bytes(cfg.max_live);
	cfg.region = vmalloc(cfg.region_size);
	if (!cfg.region)
		return -ENOMEM;
	pr_info("BENCH start runs=%u run_ms=%u ops_per_run=%u max_live=%lu region=%zu\n",
		cfg.runs, cfg.run_ms, cfg.ops_per_run, cfg.max_live,
		cfg.region_size);

	bench_timer_overhead_ns();
	bench_lock_hold_enable(true);
	if (!err && want_trace("lockedpool"))
		err = bench_lockedpool(&cfg);
	if (!err && want_trace("steady"))
		err = bench_steady(&cfg);
	if (!err && want_trace("churn"))
		err = bench_churn(&cfg);
	if (!err && want_trace("bump"))
		err = bench_bump(&cfg);
	if (!err && want_trace("threads"))
		err = bench_threads(&cfg);
	bench_lock_hold_enable(false);

	vfree(cfg.region);
	if (err) {
		pr_err("BENCH failed: %d\n", err);
		return err;
	}
	pr_info("BENCH done\n");
	return 0;
}

static void __exit arena_bench_exit(void)
{
}

module_init(arena_bench_init);
module_exit(arena_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmarks of the arena allocator against kernel allocators");
