// SPDX-License-Identifier: GPL-2.0
/*
 * Per-operation latencies: a log-linear histogram (8 buckets per power of
 * two, so a percentile is within 12.5% of the sample it stands for, the
 * maximum exact), the cost of the clock itself, and the arena's own
 * record of its longest lock hold, read from the arena module's
 * parameters when it has them.
 *
 * Samples are local_clock() differences: the guest's clocksource is the
 * emulated HPET, which ktime_get_ns() would read through MMIO for every
 * sample, while local_clock() reads the TSC.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/sched/clock.h>

#include "bench.h"

#define LOCK_HOLD_MAX	"/sys/module/arena/parameters/lock_hold_max_ns"
#define LOCK_HOLD_STATS	"/sys/module/arena/parameters/lock_hold_stats"
#define TIMER_SAMPLES	10000

static unsigned int hist_bucket(u64 ns)
{
	unsigned int msb, b;

	if (ns < BENCH_HIST_SUB)
		return ns;
	msb = ilog2(ns);
	b = (msb - 2) * BENCH_HIST_SUB + ((ns >> (msb - 3)) & (BENCH_HIST_SUB - 1));
	return min_t(unsigned int, b, BENCH_HIST_BUCKETS - 1);
}

/* The middle of bucket @b. */
static u64 hist_value(unsigned int b)
{
	unsigned int msb, sub;

	if (b < BENCH_HIST_SUB)
		return b;
	msb = b / BENCH_HIST_SUB + 2;
	sub = b % BENCH_HIST_SUB;
	return ((u64)(BENCH_HIST_SUB + sub) << (msb - 3)) +
	       ((1ULL << (msb - 3)) >> 1);
}

void bench_hist_add(struct bench_hist *h, u64 ns)
{
	h->n[hist_bucket(ns)]++;
	h->count++;
	if (ns > h->max)
		h->max = ns;
}

/**
 * bench_hist_pct() - a percentile of a histogram
 * @h: histogram
 * @per_mille: 500 for the median, 990 for p99, 999 for p99.9, 1000 for max
 *
 * Return: nanoseconds (the exact maximum for 1000), 0 when empty.
 */
u64 bench_hist_pct(const struct bench_hist *h, unsigned int per_mille)
{
	u64 rank, seen = 0;
	unsigned int b;

	if (!h->count)
		return 0;
	if (per_mille >= 1000)
		return h->max;
	rank = DIV_ROUND_UP_ULL(h->count * per_mille, 1000);
	for (b = 0; b < BENCH_HIST_BUCKETS; b++) {
		seen += h->n[b];
		if (seen >= max_t(u64, rank, 1))
			return min(hist_value(b), h->max);
	}
	return h->max;
}

/* The median time between two back-to-back local_clock() calls. */
u64 bench_timer_overhead_ns(void)
{
	struct bench_hist *h = kzalloc(sizeof(*h), GFP_KERNEL);
	unsigned int i;
	u64 t0, t1, p50;

	if (!h)
		return 0;
	for (i = 0; i < TIMER_SAMPLES; i++) {
		t0 = local_clock();
		t1 = local_clock();
		bench_hist_add(h, t1 - t0);
	}
	p50 = bench_hist_pct(h, 500);
	pr_info("BENCH timer local_clock ns_per_op=%llu ops=%u fail=0 meta_bytes_per_chunk=n/a frag=n/a p99=%llu max=%llu\n",
		p50, TIMER_SAMPLES, bench_hist_pct(h, 990), h->max);
	kfree(h);
	return p50;
}

/* "<side>_p50=.. <side>_p99=.. <side>_p999=.. <side>_max=..", n/a if empty. */
static void hist_fields(char *buf, size_t len, const char *side,
			const struct bench_hist *h)
{
	if (!h->count)
		scnprintf(buf, len, "%s_p50=n/a %s_p99=n/a %s_p999=n/a %s_max=n/a",
			  side, side, side, side);
	else
		scnprintf(buf, len, "%s_p50=%llu %s_p99=%llu %s_p999=%llu %s_max=%llu",
			  side, bench_hist_pct(h, 500), side, bench_hist_pct(h, 990),
			  side, bench_hist_pct(h, 999), side, h->max);
}

static void bench_lat_print(const char *trace, const char *alloc,
			    const char *param, const struct bench_lat *lat,
			    s64 lock_hold_ns)
{
	char hold[24] = "n/a", a[120], f[120];

	if (lock_hold_ns >= 0)
		scnprintf(hold, sizeof(hold), "%lld", lock_hold_ns);
	hist_fields(a, sizeof(a), "alloc", &lat->alloc);
	hist_fields(f, sizeof(f), "free", &lat->free);
	pr_info("BENCH_LAT %s %s %s n=%llu %s %s lock_hold_max_ns=%s\n",
		trace, alloc, param, lat->alloc.count + lat->free.count, a, f,
		hold);
}

static int param_write(const char *path, const char *val)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

/* Turns the arena's lock-hold record on or off, if it has one. */
void bench_lock_hold_enable(bool on)
{
	param_write(LOCK_HOLD_STATS, on ? "1" : "0");
}

/* Zeroes the arena's longest lock hold; false when it keeps none. */
static bool bench_lock_hold_reset(void)
{
	return !param_write(LOCK_HOLD_MAX, "0");
}

/* The arena's longest lock hold in ns since the reset, or -1. */
static s64 bench_lock_hold_read(void)
{
	struct file *f = filp_open(LOCK_HOLD_MAX, O_RDONLY, 0);
	char buf[24] = "";
	loff_t pos = 0;
	ssize_t n;
	s64 v;

	if (IS_ERR(f))
		return -1;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0 || kstrtos64(strim(buf), 10, &v))
		return -1;
	return v;
}

/**
 * bench_lat_begin() - before a latency pass
 * @arena: the pass is the arena's: zero its lock-hold record
 *
 * Return: true when bench_lat_end() is to report the lock hold.
 */
bool bench_lat_begin(bool arena)
{
	return arena && bench_lock_hold_reset();
}

/* After a latency pass: its BENCH_LAT line, named after @r. */
void bench_lat_end(const struct bench_result *r, const struct bench_lat *lat,
		   bool hold)
{
	bench_lat_print(r->trace, r->alloc, r->param, lat,
			hold ? bench_lock_hold_read() : -1);
}
