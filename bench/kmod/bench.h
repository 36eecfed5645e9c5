/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared definitions of the arena benchmark module: run configuration,
 * result lines and the trace generators' random numbers.
 */
#ifndef _ARENA_BENCH_H
#define _ARENA_BENCH_H

#include <linux/types.h>

/* Allocation granule of every trace (the lockedpool benchmark's). */
#define BENCH_ALIGN		16
/* Operations between two looks at the clock in a timed loop. */
#define BENCH_BLOCK		64
/* Most timed runs per measurement; the median is reported. */
#define BENCH_MAX_RUNS		15
/* Marks a metadata or fragmentation figure as not available. */
#define BENCH_NA		(-1LL)

/**
 * struct bench_cfg - limits of one benchmark run, from module parameters
 * @runs: timed runs per measurement
 * @run_ms: time cap of one timed run
 * @ops_per_run: operation cap of one timed run
 * @max_live: largest live-chunk count of the steady-state trace
 * @churn_ops: free+alloc pairs of the fragmentation trace
 * @bump_n: allocations per run of the bump trace
 * @region: backing memory shared by all traces (vmalloc)
 * @region_size: bytes in @region
 */
struct bench_cfg {
	unsigned int runs;
	unsigned int run_ms;
	unsigned int ops_per_run;
	unsigned long max_live;
	unsigned int churn_ops;
	unsigned int bump_n;
	void *region;
	size_t region_size;
};

/**
 * struct bench_result - one BENCH line
 * @trace: trace name
 * @alloc: allocator name
 * @param: trace parameter, e.g. "L=1000"
 * @ns_per_op: median over the runs
 * @ops: operations timed, all runs together
 * @fail: allocations that returned nothing
 * @meta_milli: metadata bytes per live chunk x 1000, or %BENCH_NA
 * @frag_milli: largest free chunk / free bytes x 1000, or %BENCH_NA
 * @extra: optional free-form "key=value" tail, may be empty
 */
struct bench_result {
	const char *trace;
	const char *alloc;
	char param[24];
	u64 ns_per_op;
	u64 ops;
	u64 fail;
	s64 meta_milli;
	s64 frag_milli;
	char extra[64];
};

/*
 * One timed run of allocator @kind (run number @run) on @state: returns
 * the nanoseconds taken and sets @done to the operations performed.
 */
/* Latency histogram: 8 buckets per power of two (12.5% wide), to 2^40 ns. */
#define BENCH_HIST_SUB		8
#define BENCH_HIST_BUCKETS	(BENCH_HIST_SUB * 39)

/**
 * struct bench_hist - per-operation latencies of one kind of call
 * @count: samples
 * @max: largest sample, exact
 * @n: samples per bucket
 */
struct bench_hist {
	u64 count;
	u64 max;
	u32 n[BENCH_HIST_BUCKETS];
};

/**
 * struct bench_lat - latencies of the allocations and frees of one run
 * @alloc: one sample per allocation
 * @free: one sample per free
 */
struct bench_lat {
	struct bench_hist alloc;
	struct bench_hist free;
};

void bench_hist_add(struct bench_hist *h, u64 ns);
u64 bench_hist_pct(const struct bench_hist *h, unsigned int per_mille);
u64 bench_timer_overhead_ns(void);
bool bench_lat_begin(bool arena);
void bench_lat_end(const struct bench_result *r, const struct bench_lat *lat,
		   bool hold);
void bench_lock_hold_enable(bool on);

typedef u64 (*bench_run_fn)(void *state, unsigned int kind, unsigned int run,
			    u64 *done);

int bench_interleave(const struct bench_cfg *cfg, unsigned int kinds,
		     bench_run_fn run, void *state, struct bench_result *res);
void bench_print(const struct bench_result *r);
u64 bench_median(u64 *v, unsigned int n);
u64 bench_ratio_milli(u64 num, u64 den);
size_t bench_region_bytes(unsigned long live);

int bench_lockedpool(const struct bench_cfg *cfg);
int bench_steady(const struct bench_cfg *cfg);
int bench_churn(const struct bench_cfg *cfg);
int bench_bump(const struct bench_cfg *cfg);
int bench_threads(const struct bench_cfg *cfg);

/* splitmix64: a fixed seed gives every allocator the same trace. */
static inline u64 bench_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Request size of the steady-state and churn traces: 15 in 16 requests
 * are 32..256 bytes, the rest 257..4096 bytes (mean about 270 bytes).
 */
static inline u32 bench_rand_size(u64 *state)
{
	u64 r = bench_rand(state);

	if ((r & 15) == 0)
		return 257 + (u32)((r >> 8) % (4096 - 256));
	return 32 + (u32)((r >> 8) % (256 - 32 + 1));
}

#endif /* _ARENA_BENCH_H */
