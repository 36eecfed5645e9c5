// SPDX-License-Identifier: GPL-2.0
/*
 * arena_bench_user: the cost of /dev/arena from user space.
 *
 * One trace, replayed four ways: L live allocations, then free+alloc pairs
 * on slots visited in a fresh random order every L pairs.  Modes:
 *   single     arena_free() + arena_alloc(), one ioctl each
 *   batchN     the same pairs through arena_batch(), N ops per call
 *   malloc     glibc free() + malloc() of the same sizes
 * Each mode runs several times; the median is printed as
 *   BENCH user <mode> L=<n> ns_per_op=<n> ops_per_s=<n> ops=<n> fail=<n>
 * where one op is one allocation or one free.  Then the single mode from
 * threads, each with its own LIVE slots and pairs:
 *   BENCH user_threads one|two_own|two_shared L=<n> ns_per_op=<n> ...
 * one thread on one arena, two threads on an arena each, two threads on
 * one arena (one /dev/arena file); ns_per_op is wall time over all ops.
 *
 * Usage: arena_bench_user [pairs per run [runs]]
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>

#include <linux/arena.h>

#include "libarena.h"

#define LIVE		1024
#define REGION		(16u << 20)
#define ALIGN		16
#define MAX_RUNS	15
#define SEED		0x3c6ef372fe94f82bULL
#define ARRAY_SIZE(x)	(sizeof(x) / sizeof((x)[0]))

/* Same generator and size mix as the kernel benchmark (bench/kmod/bench.h). */
static uint64_t rnd(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd_size(uint64_t *state)
{
	uint64_t r = rnd(state);

	if ((r & 15) == 0)
		return 257 + (uint32_t)((r >> 8) % (4096 - 256));
	return 32 + (uint32_t)((r >> 8) % (256 - 32 + 1));
}

struct trace {
	uint32_t *slot;		/* slot of pair i */
	uint32_t *size;		/* new size of pair i */
	size_t pairs;
};

/*
 * Slots come in random permutations of all LIVE slots, so any window of
 * pairs that starts at a multiple of a batch size dividing LIVE touches
 * each slot once: a batch never frees what it allocated itself.
 */
static int trace_init(struct trace *t, size_t pairs, uint64_t seed)
{
	size_t i, j;

	t->pairs = pairs;
	t->slot = malloc(pairs * sizeof(*t->slot));
	t->size = malloc(pairs * sizeof(*t->size));
	if (!t->slot || !t->size)
		return -1;
	for (i = 0; i < pairs; i += LIVE) {
		size_t n = pairs - i < LIVE ? pairs - i : LIVE;
		uint32_t perm[LIVE];

		for (j = 0; j < LIVE; j++)
			perm[j] = j;
		for (j = LIVE - 1; j > 0; j--) {
			size_t k = rnd(&seed) % (j + 1);
			uint32_t tmp = perm[j];

			perm[j] = perm[k];
			perm[k] = tmp;
		}
		for (j = 0; j < n; j++) {
			t->slot[i + j] = perm[j];
			t->size[i + j] = rnd_size(&seed);
		}
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[(n - 1) / 2];
}

struct mode {
	const char *name;
	size_t batch;		/* ops per arena_batch() call, 0: one ioctl per op */
	int use_malloc;
};

struct state {
	struct arena *a;
	void *live[LIVE];
	struct arena_op *ops;
	unsigned long fail;
	int shared;		/* @a is another state's: not destroyed here */
};

static void *do_alloc(struct state *s, const struct mode *m, size_t size)
{
	return m->use_malloc ? malloc(size) : arena_alloc(s->a, size);
}

static void do_free(struct state *s, const struct mode *m, void *p)
{
	if (m->use_malloc)
		free(p);
	else
		arena_free(s->a, p);
}

static void run_pairs(struct state *s, const struct mode *m, const struct trace *t,
		      size_t from, size_t pairs)
{
	size_t i;

	for (i = from; i < from + pairs; i++) {
		uint32_t slot = t->slot[i];

		do_free(s, m, s->live[slot]);
		s->live[slot] = do_alloc(s, m, t->size[i]);
		if (!s->live[slot])
			s->fail++;
	}
}

/* Pairs [from, from + pairs) as FREE, ALLOC ops, m->batch ops per call. */
static int run_batched(struct state *s, const struct mode *m, const struct trace *t,
		       size_t from, size_t pairs)
{
	size_t per_call = m->batch / 2, done, i;

	for (done = 0; done < pairs; done += per_call) {
		size_t n = pairs - done < per_call ? pairs - done : per_call;
		struct arena_op *op = s->ops;

		for (i = 0; i < n; i++) {
			uint32_t slot = t->slot[from + done + i];

			op[2 * i] = (struct arena_op){ .kind = ARENA_OP_FREE,
						       .ptr = s->live[slot] };
			op[2 * i + 1] = (struct arena_op){ .kind = ARENA_OP_ALLOC,
							   .size = t->size[from + done + i] };
		}
		if (arena_batch(s->a, op, 2 * n) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			uint32_t slot = t->slot[from + done + i];

			s->live[slot] = op[2 * i + 1].ptr;
			if (op[2 * i + 1].error || op[2 * i].error)
				s->fail++;
		}
	}
	return 0;
}

static int mode_start(struct state *s, const struct mode *m)
{
	uint64_t seed = SEED ^ 0xf111;
	int i;

	if (!m->use_malloc && !s->a) {
		s->a = arena_new(REGION, ALIGN);
		if (!s->a) {
			fprintf(stderr, "arena_new: %s\n", strerror(errno));
			return -1;
		}
	}
	s->ops = calloc(m->batch ? m->batch : 1, sizeof(*s->ops));
	if (!s->ops)
		return -1;
	for (i = 0; i < LIVE; i++) {
		s->live[i] = do_alloc(s, m, rnd_size(&seed));
		if (!s->live[i])
			s->fail++;
	}
	return 0;
}

static void mode_stop(struct state *s, const struct mode *m)
{
	int i;

	for (i = 0; i < LIVE; i++)
		if (s->live[i])
			do_free(s, m, s->live[i]);
	free(s->ops);
	if (s->a && !s->shared)
		arena_destroy(s->a);
}

/* One timed run of pairs [from, from + pairs); returns ns or 0 on error. */
static uint64_t mode_run(struct state *s, const struct mode *m,
			 const struct trace *t, size_t from, size_t pairs)
{
	uint64_t t0 = now_ns();

	if (!m->batch) {
		run_pairs(s, m, t, from, pairs);
	} else if (run_batched(s, m, t, from, pairs)) {
		fprintf(stderr, "arena_batch: %s\n", strerror(errno));
		return 0;
	}
	return now_ns() - t0;
}

static void report(const struct mode *m, const struct state *s, uint64_t *ns,
		   size_t pairs, int runs)
{
	uint64_t med = median(ns, runs), ops = 2 * pairs;

	printf("BENCH user %s L=%d ns_per_op=%llu ops_per_s=%llu ops=%llu fail=%lu\n",
	       m->name, LIVE, (unsigned long long)(med / ops),
	       (unsigned long long)(ops * 1000000000ull / (med ? med : 1)),
	       (unsigned long long)(ops * runs), s->fail);
}

/*
 * What an ioctl costs that does no allocator work: ARENA_IOC_FREE with a
 * non-zero flags field, which the driver turns down with EINVAL right
 * after copying the argument in (the syscall, the file lookup, the
 * dispatch, one copy).  single = floor + work per op, batched >= work per
 * op, so single / (single - floor) bounds what batching can gain.
 */
static int measure_ioctl_floor(struct arena *a, size_t calls, int runs)
{
	struct arena_free_args bad = { .flags = 1 };
	uint64_t ns[MAX_RUNS], t0, med;
	size_t i;
	int r;

	for (r = 0; r < runs; r++) {
		t0 = now_ns();
		for (i = 0; i < calls; i++)
			if (ioctl(arena_fd(a), ARENA_IOC_FREE, &bad) == 0 ||
			    errno != EINVAL)
				return -1;
		ns[r] = now_ns() - t0;
	}
	med = median(ns, runs);
	printf("BENCH user ioctl_floor L=%d ns_per_op=%llu ops_per_s=%llu ops=%llu fail=0\n",
	       LIVE, (unsigned long long)(med / calls),
	       (unsigned long long)(calls * 1000000000ull / (med ? med : 1)),
	       (unsigned long long)(calls * runs));
	return 0;
}

/**
 * struct worker - one thread of the threads modes
 * @s: its slots, and the arena it uses in @s->a
 * @t: the pairs it replays
 * @pairs: pairs per run
 * @run: which run (window of @t)
 * @start: barrier all threads pass before the clock starts
 * @t0: its first clock reading
 * @t1: its last clock reading
 */
struct worker {
	struct state s;
	const struct trace *t;
	size_t pairs;
	int run;
	pthread_barrier_t *start;
	uint64_t t0, t1;
};

static const struct mode single = { "single", 0, 0 };

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	pthread_barrier_wait(w->start);
	w->t0 = now_ns();
	run_pairs(&w->s, &single, w->t, (size_t)w->run * w->pairs, w->pairs);
	w->t1 = now_ns();
	return NULL;
}

/* Wall ns of one run with @nthreads threads on @narenas arenas, 0 on error. */
static uint64_t threads_run(int nthreads, int narenas, const struct trace *t,
			    size_t pairs, int run, unsigned long *fail)
{
	struct worker w[2] = { 0 };
	pthread_t tid[2];
	pthread_barrier_t start;
	uint64_t t0 = UINT64_MAX, t1 = 0;
	int i, started = 0, err = 0;

	pthread_barrier_init(&start, NULL, nthreads);
	for (i = 0; i < nthreads && !err; i++) {
		w[i].t = &t[i];
		w[i].pairs = pairs;
		w[i].run = run;
		w[i].start = &start;
		if (i >= narenas) {
			w[i].s.a = w[0].s.a;
			w[i].s.shared = 1;
		}
		err = mode_start(&w[i].s, &single);
	}
	for (i = 0; i < nthreads && !err; i++, started++)
		err = pthread_create(&tid[i], NULL, worker_fn, &w[i]);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (i = nthreads - 1; i >= 0; i--) {
		t0 = w[i].t0 < t0 ? w[i].t0 : t0;
		t1 = w[i].t1 > t1 ? w[i].t1 : t1;
		*fail += w[i].s.fail;
		mode_stop(&w[i].s, &single);
	}
	pthread_barrier_destroy(&start);
	return err || started < nthreads ? 0 : t1 - t0;
}

static int threads_bench(size_t pairs, int runs)
{
	static const struct { const char *name; int threads, arenas; } tm[] = {
		{ "one", 1, 1 }, { "two_own", 2, 2 }, { "two_shared", 2, 1 },
	};
	static uint64_t ns[ARRAY_SIZE(tm)][MAX_RUNS];
	unsigned long fail[ARRAY_SIZE(tm)] = { 0 };
	struct trace t[2];
	size_t i;
	int r;

	if (trace_init(&t[0], pairs * runs, SEED ^ 1) ||
	    trace_init(&t[1], pairs * runs, SEED ^ 2))
		return -1;
	for (r = 0; r < runs; r++) {
		for (i = 0; i < ARRAY_SIZE(tm); i++) {
			ns[i][r] = threads_run(tm[i].threads, tm[i].arenas, t,
					       pairs, r, &fail[i]);
			if (!ns[i][r])
				return -1;
		}
	}
	for (i = 0; i < ARRAY_SIZE(tm); i++) {
		uint64_t med = median(ns[i], runs), ops = 2 * pairs * tm[i].threads;

		printf("BENCH user_threads %s L=%d ns_per_op=%llu ops_per_s=%llu",
		       tm[i].name, LIVE, (unsigned long long)(med / ops),
		       (unsigned long long)(ops * 1000000000ull / (med ? med : 1)));
		printf(" ops=%llu fail=%lu threads=%d arenas=%d\n",
		       (unsigned long long)(ops * runs), fail[i], tm[i].threads,
		       tm[i].arenas);
	}
	for (i = 0; i < 2; i++) {
		free(t[i].slot);
		free(t[i].size);
	}
	return 0;
}

/*
 * Every mode has its own arena (or the heap) and runs the same pairs; run
 * r of every mode comes before run r + 1 of any, so that a slow spell of
 * the emulator or the host hits all modes alike.
 */
int main(int argc, char **argv)
{
	static const struct mode modes[] = {
		{ "single", 0, 0 },
		{ "batch256", 256, 0 },
		{ "batch1024", 1024, 0 },
		{ "malloc", 0, 1 },
	};
	static struct state st[ARRAY_SIZE(modes)];
	static uint64_t ns[ARRAY_SIZE(modes)][MAX_RUNS];
	size_t pairs = argc > 1 ? strtoul(argv[1], NULL, 0) : 50 * LIVE;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	size_t i, started = 0;
	struct trace t;
	int r, err = 0;

	if (runs < 1 || runs > MAX_RUNS || pairs < LIVE || pairs % LIVE) {
		fprintf(stderr, "usage: %s [pairs per run, a multiple of %d [runs <= %d]]\n",
			argv[0], LIVE, MAX_RUNS);
		return 2;
	}
	if (trace_init(&t, pairs * runs, SEED)) {
		perror("trace");
		return 1;
	}
	for (; started < ARRAY_SIZE(modes) && !err; started++)
		err = mode_start(&st[started], &modes[started]);
	for (r = 0; r < runs && !err; r++) {
		for (i = 0; i < ARRAY_SIZE(modes) && !err; i++) {
			ns[i][r] = mode_run(&st[i], &modes[i], &t, (size_t)r * pairs,
					    pairs);
			err = !ns[i][r];
		}
	}
	for (i = 0; i < ARRAY_SIZE(modes) && !err; i++)
		report(&modes[i], &st[i], ns[i], pairs, runs);
	if (!err)
		err = measure_ioctl_floor(st[0].a, 2 * pairs, runs);
	for (i = 0; i < started; i++)
		mode_stop(&st[i], &modes[i]);
	free(t.slot);
	free(t.size);
	if (!err && threads_bench(pairs, runs)) {
		fprintf(stderr, "threads: %s\n", strerror(errno));
		err = 1;
	}
	return err ? 1 : 0;
}
