// SPDX-License-Identifier: GPL-2.0
/*
 * Trace 5, threads: the steady-state pairs (free a random slot, allocate
 * a new size into it) from kthreads bound to CPUs 0 and 1 of the guest,
 * each thread with its own slots (THREADS_LIVE, fewer when max_live leaves
 * a smaller region: 2 KiB of region per slot):
 *   one        one thread on one arena
 *   two_own    two threads, each on an arena of its own
 *   two_shared two threads on one arena (its spinlock is shared)
 * ns_per_op is the wall time from the common start to the last thread's
 * end over the pairs of all threads, so two_own ideally halves it.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "arena_api.h"
#include "bench.h"

#define THREADS_LIVE		10000
#define THREADS_SEED		0x452821e638d01377ULL

enum { THREADS_ONE, THREADS_TWO_OWN, THREADS_TWO_SHARED, THREADS_NR_MODES };

static const char *const threads_mode_name[THREADS_NR_MODES] = {
	[THREADS_ONE] = "one",
	[THREADS_TWO_OWN] = "two_own",
	[THREADS_TWO_SHARED] = "two_shared",
};

/**
 * struct threads_worker - one kthread's share
 * @a: the arena it uses
 * @h: its live allocations
 * @live: slots in @h
 * @seed: its PRNG state
 * @ops: pairs to do
 * @fail: allocations that failed
 * @start: its first clock reading
 * @end: its last clock reading
 * @go: released when every thread is ready
 * @done: completed when it has finished
 */
struct threads_worker {
	struct arena *a;
	void **h;
	u32 live;
	u64 seed;
	u64 ops;
	u64 fail;
	u64 start;
	u64 end;
	struct completion *go;
	struct completion done;
};

static int threads_fn(void *data)
{
	struct threads_worker *w = data;
	u64 i;

	wait_for_completion(w->go);
	w->start = ktime_get_ns();
	for (i = 0; i < w->ops; i++) {
		u64 r = bench_rand(&w->seed);
		u32 slot = (u32)(r % w->live);

		if (w->h[slot])
			arena_free(w->a, w->h[slot]);
		w->h[slot] = arena_alloc(w->a, bench_rand_size(&w->seed));
		if (unlikely(!w->h[slot]))
			w->fail++;
		if (!(i & (BENCH_BLOCK - 1)))
			cond_resched();
	}
	w->end = ktime_get_ns();
	complete(&w->done);
	return 0;
}

/* Fills a worker's slots, untimed. */
static int threads_fill(struct threads_worker *w)
{
	u32 i;

	w->h = kvcalloc(w->live, sizeof(*w->h), GFP_KERNEL);
	if (!w->h)
		return -ENOMEM;
	for (i = 0; i < w->live; i++) {
		w->h[i] = arena_alloc(w->a, bench_rand_size(&w->seed));
		if (!w->h[i])
			w->fail++;
	}
	return 0;
}

static u32 threads_live(const struct bench_cfg *cfg)
{
	return min_t(size_t, THREADS_LIVE, cfg->region_size / SZ_2K);
}

/* One timed run of @mode; returns wall ns, sets @done and @fail. */
static u64 threads_run(const struct bench_cfg *cfg, unsigned int mode,
		       unsigned int run, u64 *done, u64 *fail)
{
	unsigned int nthreads = mode == THREADS_ONE ? 1 : 2, narenas, i;
	size_t region = cfg->region_size;
	struct threads_worker w[2] = { };
	struct arena *a[2] = { };
	struct task_struct *task;
	DECLARE_COMPLETION_ONSTACK(go);
	u64 t0 = U64_MAX, t1 = 0;
	int err = 0;

	narenas = mode == THREADS_TWO_OWN ? 2 : 1;
	for (i = 0; i < narenas; i++) {
		a[i] = arena_create((char *)cfg->region + i * (region / 2),
				    narenas == 2 ? region / 2 : region,
				    BENCH_ALIGN, GFP_KERNEL);
		if (!a[i])
			err = -ENOMEM;
	}
	for (i = 0; i < nthreads && !err; i++) {
		w[i].a = a[narenas == 2 ? i : 0];
		w[i].live = threads_live(cfg);
		w[i].seed = THREADS_SEED + 7919 * i + run;
		w[i].ops = cfg->ops_per_run;
		w[i].go = &go;
		init_completion(&w[i].done);
		err = threads_fill(&w[i]);
	}
	for (i = 0; i < nthreads && !err; i++) {
		task = kthread_create(threads_fn, &w[i], "arena_bench/%u", i);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			break;
		}
		kthread_bind(task, i % num_online_cpus());
		wake_up_process(task);
	}
	nthreads = i;
	complete_all(&go);
	*done = 0;
	*fail = 0;
	for (i = 0; i < nthreads; i++) {
		wait_for_completion(&w[i].done);
		t0 = min(t0, w[i].start);
		t1 = max(t1, w[i].end);
		*done += w[i].ops;
	}
	for (i = 0; i < 2; i++) {
		*fail += w[i].fail;
		kvfree(w[i].h);
	}
	for (i = 0; i < narenas; i++)
		arena_destroy(a[i]);
	if (err || !nthreads) {
		*done = 0;
		return 0;
	}
	return t1 - t0;
}

int bench_threads(const struct bench_cfg *cfg)
{
	/* Static: too big for a KASAN stack frame; the bench runs once, at load. */
	static u64 ns[THREADS_NR_MODES][BENCH_MAX_RUNS];
	static struct bench_result r[THREADS_NR_MODES];
	unsigned int m, i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < cfg->runs; i++) {
		for (m = 0; m < THREADS_NR_MODES; m++) {
			u64 done, fail, t = threads_run(cfg, m, i, &done, &fail);

			if (!done)
				return -ENOMEM;
			ns[m][i] = div64_u64(t, done);
			r[m].ops += done;
			r[m].fail += fail;
		}
	}
	for (m = 0; m < THREADS_NR_MODES; m++) {
		r[m].trace = "threads";
		r[m].alloc = "arena";
		strscpy(r[m].param, threads_mode_name[m], sizeof(r[m].param));
		r[m].ns_per_op = bench_median(ns[m], cfg->runs);
		r[m].meta_milli = BENCH_NA;
		r[m].frag_milli = BENCH_NA;
		snprintf(r[m].extra, sizeof(r[m].extra), "live_per_thread=%u cpus=%u",
			 threads_live(cfg), num_online_cpus());
		bench_print(&r[m]);
	}
	return 0;
}
