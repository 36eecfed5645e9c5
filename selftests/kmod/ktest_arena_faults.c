// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation-failure tests of the arena module's in-kernel API.
 *
 * Every call that may allocate is run with the Nth fault-injection point of
 * the current task failing, for N = 1, 2, ... until the call completes
 * without reaching the Nth point: so every allocation site is made to
 * fail once without this test knowing where the sites are.  Each injected
 * failure must surface as NULL with the arena's state unchanged; the
 * retries then show that the arena still works.  A failure the arena
 * absorbs (the call succeeds anyway: optional bookkeeping, or kmemleak's
 * own metadata) is legal, but arena_free() is documented never to
 * allocate, so a free, valid or not, must reach no injection point then
 * or ever.
 *
 * The Nth-point failure is the kernel's per-task fail_nth counter (what
 * /proc/<pid>/task/<tid>/fail-nth writes): should_fail_ex() counts it down
 * on every injection point the current task passes and fails the call
 * that brings it to zero.  A module can set current->fail_nth directly;
 * module init runs in insmod's task, so only this test's calls are hit.
 * (current->make_it_fail with failslab's task-filter would fail every
 * allocation instead, and needs probability and interval set in debugfs.)
 * The points are those of failslab (kmalloc, kmem_cache_alloc) and
 * fail_page_alloc.  Both ignore allocations that may sleep unless their
 * debugfs "ignore-gfp-wait" is N, and fail_page_alloc ignores order 0
 * unless "min-order" is 0: faults-setup.sh sets that up.  Without it only
 * the GFP_ATOMIC cases run and the GFP_KERNEL ones are skipped.
 *
 * Needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB; elsewhere every case
 * reports SKIP.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "arena_api.h"
#include "arena_model.h"
#include "bump_model.h"
#include "ktap.h"

#define FAULTS_SEED	0x2545f4914f6cdd1dULL
/* No API call has anywhere near this many allocation points. */
#define MAX_POINTS	1000
#define REGION		(16 * 1024)
#define REGION_ALIGN	16
#define ARENA_OPS	1500
#define FILL_ALLOCS	300
#define BUMP_OPS	2000

#if IS_ENABLED(CONFIG_FAULT_INJECTION) && IS_ENABLED(CONFIG_FAILSLAB)

static void inject_arm(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

/* Disarm; true when the armed failure was injected. */
static bool inject_disarm(void)
{
	bool hit = !READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return hit;
}

/* Can a kmalloc(@gfp) be made to fail in this kernel and setup? */
static bool inject_works(gfp_t gfp)
{
	void *p;

	inject_arm(1);
	p = kmalloc(32, gfp);
	if (inject_disarm() && !p)
		return true;
	kfree(p);
	return false;
}

static const char *gfp_skip(gfp_t gfp)
{
	if (!inject_works(gfp))
		return gfpflags_allow_blocking(gfp) ?
		       "failslab ignores sleeping allocations (run faults-setup.sh)" :
		       "failslab does not fail GFP_ATOMIC allocations";
	return NULL;
}

#define GFP_K	(GFP_KERNEL | __GFP_NOWARN)
#define GFP_A	(GFP_ATOMIC | __GFP_NOWARN)

static void arena_create_faults(struct ktap_run *t, gfp_t gfp)
{
	unsigned int n, nulls = 0;
	struct arena *a;
	bool hit;
	u8 *buf;

	t->skip = gfp_skip(gfp);
	if (t->skip)
		return;
	buf = vmalloc(REGION);
	if (!ktap_check(t, buf, "vmalloc"))
		return;
	for (n = 1; n <= MAX_POINTS; n++) {
		inject_arm(n);
		a = arena_create(buf, REGION, REGION_ALIGN, gfp);
		hit = inject_disarm();
		if (!a) {
			if (!ktap_check(t, hit, "NULL with no failure injected (N=%u)", n))
				break;
			nulls++;
			continue;
		}
		/* It came up despite a failure, or without one: usable. */
		ktap_check(t, arena_alloc(a, 1) == buf + REGION - REGION_ALIGN,
			   "arena created at N=%u does not allocate", n);
		arena_destroy(a);
		if (!hit)
			break;
	}
	ktap_check(t, n <= MAX_POINTS, "never completed");
	ktap_check(t, nulls, "no injected failure surfaced");
	ktap_diag("arena_create: %u injection points, %u failures surfaced",
		  n - 1, nulls);
	vfree(buf);
}

/*
 * Free the model's allocation @idx with a failure armed: arena_free() is
 * documented to never sleep or allocate, so it must reach no point.
 */
static bool free_no_alloc(struct ktap_run *t, struct arena_model *m,
			  struct arena *a, size_t idx)
{
	size_t off = m->live[idx].off * m->align;
	bool ok, hit;

	inject_arm(1);
	ok = arena_model_do_free(m, a, idx);
	hit = inject_disarm();
	return ktap_check(t, ok, "%s", m->msg) &&
	       ktap_check(t, !hit, "arena_free(offset %zu) allocated memory",
			  off);
}

/* The same for a misaligned pointer: -EINVAL, and no allocation. */
static bool bad_free_no_alloc(struct ktap_run *t, struct arena_model *m,
			      struct arena *a)
{
	bool hit;
	int ret;

	inject_arm(1);
	ret = arena_free(a, m->base + 1);
	hit = inject_disarm();
	m->free_invalid++;
	return ktap_check(t, ret == -EINVAL, "free(offset 1) = %d", ret) &&
	       ktap_check(t, !hit, "invalid arena_free() allocated memory") &&
	       ktap_check(t, arena_model_check_stats(m, a), "%s", m->msg);
}

/* One allocation, failing each of its points in turn. */
static bool arena_alloc_faults(struct ktap_run *t, struct arena_model *m,
			       struct arena *a, size_t bytes,
			       unsigned int *nulls)
{
	struct arena_stats before, after;
	unsigned int n;
	bool hit;
	u8 *p;

	for (n = 1; n <= MAX_POINTS; n++) {
		arena_get_stats(a, &before);
		inject_arm(n);
		p = arena_alloc(a, bytes);
		hit = inject_disarm();
		if (!p && hit) {
			/* Failed, maybe for lack of space: nothing changed. */
			m->alloc_failed++;
			arena_get_stats(a, &after);
			if (!ktap_check(t, arena_model_stats_same(&before, &after) &&
					after.alloc_failed ==
					before.alloc_failed + 1,
					"alloc(%zu), N=%u: stats changed",
					bytes, n) ||
			    !ktap_check(t, arena_model_check_walk(m, a),
					"alloc(%zu), N=%u: %s", bytes, n,
					m->msg))
				return false;
			(*nulls)++;
			continue;
		}
		if (!ktap_check(t, arena_model_check_alloc(m, bytes, p),
				"N=%u: %s", n, m->msg))
			return false;
		if (!hit || !p)
			return true;
		/*
		 * Succeeded although a point failed (bookkeeping the arena
		 * can do without, or kmemleak's own): even now a free, valid
		 * or not, must not allocate.  Then undo, try the next point.
		 */
		if (!bad_free_no_alloc(t, m, a) ||
		    !free_no_alloc(t, m, a, m->nr_live - 1))
			return false;
	}
	ktap_fail(t, "alloc(%zu) never completed", bytes);
	return false;
}

/* A fresh arena holding the first @k allocations of the fill. */
static struct arena *fill_replay(struct ktap_run *t, struct arena_model *m,
				 gfp_t gfp, unsigned int k)
{
	struct arena *a = arena_create(m->base, m->size, m->align, gfp);
	unsigned int i;

	arena_model_reset(m);
	if (!ktap_check(t, a, "arena_create"))
		return NULL;
	for (i = 0; i < k; i++) {
		if (!ktap_check(t, arena_model_do_alloc(m, a, m->align),
				"replay %u: %s", i, m->msg)) {
			arena_destroy(a);
			return NULL;
		}
	}
	return a;
}

/*
 * FILL_ALLOCS one-granule allocations, so the bookkeeping has to grow;
 * allocation k fails each of its points in turn.  A failure the arena
 * absorbs (the call succeeds anyway) may leave work pending that merely
 * undoing the allocation would not reset, so every retry after one starts
 * from a fresh arena replaying the k allocations before it.
 */
static struct arena *fill_faults(struct ktap_run *t, struct arena_model *m,
				 gfp_t gfp, unsigned int *nulls)
{
	struct arena_stats before, after;
	struct arena *a = NULL;
	unsigned int k, n;
	bool hit;
	u8 *p;

	for (k = 0; k < FILL_ALLOCS; k++) {
		for (n = 1; n <= MAX_POINTS; n++) {
			if (!a)
				a = fill_replay(t, m, gfp, k);
			if (!a)
				return NULL;
			arena_get_stats(a, &before);
			inject_arm(n);
			p = arena_alloc(a, m->align);
			hit = inject_disarm();
			if (!p && hit) {
				m->alloc_failed++;
				arena_get_stats(a, &after);
				if (!ktap_check(t, arena_model_stats_same(&before, &after) &&
						after.alloc_failed ==
						before.alloc_failed + 1,
						"fill %u, N=%u: stats changed", k, n))
					goto fail;
				(*nulls)++;
				continue;
			}
			if (!ktap_check(t, arena_model_check_alloc(m, m->align, p),
					"fill %u, N=%u: %s", k, n, m->msg))
				goto fail;
			if (!hit)
				break;
			if (!bad_free_no_alloc(t, m, a)) {
				ktap_diag("after fill %u succeeded with point %u failed",
					  k, n);
				goto fail;
			}
			arena_destroy(a);
			a = NULL;
		}
		if (!ktap_check(t, n <= MAX_POINTS, "fill %u never completed", k))
			goto fail;
		cond_resched();
	}
	return a;
fail:
	if (a)
		arena_destroy(a);
	return NULL;
}

static void arena_ops_faults(struct ktap_run *t, gfp_t gfp)
{
	unsigned int i, nulls = 0;
	struct arena_model m;
	struct arena *a = NULL;
	u64 rng = FAULTS_SEED;
	u8 *buf;

	t->skip = gfp_skip(gfp);
	if (t->skip)
		return;
	buf = vmalloc(REGION);
	if (!ktap_check(t, buf, "vmalloc"))
		return;
	if (!ktap_check(t, !arena_model_init(&m, buf, REGION, REGION_ALIGN),
			"model"))
		goto out_buf;
	m.stamp_bytes = 16;
	a = fill_faults(t, &m, gfp, &nulls);
	if (!a)
		goto out;
	for (i = 0; i < ARENA_OPS; i++) {
		if (!m.nr_live || arena_model_below(&rng, 100) >=
		    m.used_granules * 100 / m.granules) {
			if (!arena_alloc_faults(t, &m, a,
						arena_model_pick_size(&m, &rng),
						&nulls))
				goto out;
		} else if (!free_no_alloc(t, &m, a,
					  arena_model_below(&rng, m.nr_live))) {
			goto out;
		}
		if (!ktap_check(t, arena_model_check_stats(&m, a), "op %u: %s",
				i, m.msg))
			goto out;
		cond_resched();
	}
	ktap_check(t, nulls, "no injected failure surfaced");
	ktap_diag("arena_alloc: %u ops, %u injected failures surfaced",
		  ARENA_OPS, nulls);
	while (m.nr_live)
		if (!free_no_alloc(t, &m, a, m.nr_live - 1))
			goto out;
	ktap_check(t, arena_model_check_stats(&m, a) &&
		   arena_model_check_walk(&m, a), "final: %s", m.msg);
out:
	if (a)
		arena_destroy(a);
	arena_model_destroy(&m);
out_buf:
	vfree(buf);
}

static void bump_create_faults(struct ktap_run *t, gfp_t gfp)
{
	unsigned int n, nulls = 0;
	struct bump_arena *b;
	bool hit;
	char *p;

	t->skip = gfp_skip(gfp);
	if (t->skip)
		return;
	for (n = 1; n <= MAX_POINTS; n++) {
		inject_arm(n);
		b = bump_arena_create(gfp);
		hit = inject_disarm();
		if (!b) {
			if (!ktap_check(t, hit, "NULL with no failure injected (N=%u)", n))
				return;
			nulls++;
			continue;
		}
		p = bump_arena_alloc(b, 1);
		ktap_check(t, p && bump_arena_memory_usage(b) ==
			   BUMP_ARENA_BLOCK_SIZE + sizeof(void *),
			   "arena created at N=%u does not allocate", n);
		bump_arena_destroy(b);
		if (!hit)
			break;
	}
	ktap_check(t, n <= MAX_POINTS, "never completed");
	ktap_check(t, nulls, "no injected failure surfaced");
	ktap_diag("bump_arena_create: %u injection points, %u failures surfaced",
		  n - 1, nulls);
}

/* A request size: fills blocks, opens new ones, asks for big ones. */
static size_t bump_pick_size(u64 *rng)
{
	switch (arena_model_below(rng, 4)) {
	case 0:
		return 1 + arena_model_below(rng, 64);
	case 1:
		return 1 + arena_model_below(rng, BUMP_ARENA_BIG_REQUEST);
	case 2:
		return BUMP_ARENA_BIG_REQUEST + 1 +
		       arena_model_below(rng, 3 * BUMP_ARENA_BLOCK_SIZE);
	default:
		return 500 + arena_model_below(rng, 400);
	}
}

static void bump_alloc_faults(struct ktap_run *t, gfp_t gfp)
{
	unsigned int i, n, nulls = 0;
	struct bump_model m = {};
	struct bump_arena *b;
	u64 rng = FAULTS_SEED;
	size_t bytes;
	bool aligned, hit;
	char *p;

	t->skip = gfp_skip(gfp);
	if (t->skip)
		return;
	b = bump_arena_create(gfp);
	if (!ktap_check(t, b, "bump_arena_create"))
		return;
	for (i = 0; i < BUMP_OPS; i++) {
		bytes = bump_pick_size(&rng);
		aligned = arena_model_below(&rng, 2);
		for (n = 1; n <= MAX_POINTS; n++) {
			inject_arm(n);
			p = aligned ? bump_arena_alloc_aligned(b, bytes) :
				      bump_arena_alloc(b, bytes);
			hit = inject_disarm();
			if (p || !hit)
				break;
			nulls++;
			if (!ktap_check(t, bump_model_check_null(&m, b, bytes, p),
					"N=%u: %s", n, m.msg))
				goto out;
			/* The current block must still be current. */
			if (m.remaining &&
			    !ktap_check(t, bump_model_check(&m, b, 1, false,
							    bump_arena_alloc(b, 1)),
					"after a failure: %s", m.msg))
				goto out;
		}
		if (!ktap_check(t, bump_model_check(&m, b, bytes, aligned, p),
				"alloc %u, N=%u: %s", i, n, m.msg))
			goto out;
		memset(p, 0x3c, bytes);
		cond_resched();
	}
	ktap_check(t, nulls, "no injected failure surfaced");
	ktap_diag("bump_arena_alloc: %u requests, %zu blocks, %u injected failures surfaced",
		  BUMP_OPS, m.blocks, nulls);
out:
	bump_arena_destroy(b);
}

static void case_arena_create_kernel(struct ktap_run *t)
{
	arena_create_faults(t, GFP_K);
}

static void case_arena_create_atomic(struct ktap_run *t)
{
	arena_create_faults(t, GFP_A);
}

static void case_arena_alloc_kernel(struct ktap_run *t)
{
	arena_ops_faults(t, GFP_K);
}

static void case_arena_alloc_atomic(struct ktap_run *t)
{
	arena_ops_faults(t, GFP_A);
}

static void case_bump_create_kernel(struct ktap_run *t)
{
	bump_create_faults(t, GFP_K);
}

static void case_bump_create_atomic(struct ktap_run *t)
{
	bump_create_faults(t, GFP_A);
}

static void case_bump_alloc_kernel(struct ktap_run *t)
{
	bump_alloc_faults(t, GFP_K);
}

static void case_bump_alloc_atomic(struct ktap_run *t)
{
	bump_alloc_faults(t, GFP_A);
}

#else /* !(CONFIG_FAULT_INJECTION && CONFIG_FAILSLAB) */

static void case_unsupported(struct ktap_run *t)
{
	t->skip = "kernel without CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB";
}

#define case_arena_create_kernel	case_unsupported
#define case_arena_create_atomic	case_unsupported
#define case_arena_alloc_kernel		case_unsupported
#define case_arena_alloc_atomic		case_unsupported
#define case_bump_create_kernel		case_unsupported
#define case_bump_create_atomic		case_unsupported
#define case_bump_alloc_kernel		case_unsupported
#define case_bump_alloc_atomic		case_unsupported

#endif

static const struct ktap_case fault_cases[] = {
	{ "arena_create_gfp_kernel", case_arena_create_kernel },
	{ "arena_create_gfp_atomic", case_arena_create_atomic },
	{ "arena_alloc_gfp_kernel", case_arena_alloc_kernel },
	{ "arena_alloc_gfp_atomic", case_arena_alloc_atomic },
	{ "bump_arena_create_gfp_kernel", case_bump_create_kernel },
	{ "bump_arena_create_gfp_atomic", case_bump_create_atomic },
	{ "bump_arena_alloc_gfp_kernel", case_bump_alloc_kernel },
	{ "bump_arena_alloc_gfp_atomic", case_bump_alloc_atomic },
};

static int __init ktest_arena_faults_init(void)
{
	struct ktap_run run = {};

	ktap_run_cases(&run, KBUILD_MODNAME, fault_cases,
		       ARRAY_SIZE(fault_cases));
	return 0;
}

static void __exit ktest_arena_faults_exit(void)
{
}

module_init(ktest_arena_faults_init);
module_exit(ktest_arena_faults_exit);

MODULE_DESCRIPTION("Allocation-failure tests of the arena module's in-kernel API");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
