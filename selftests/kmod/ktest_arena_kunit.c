// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the arena allocator core, driven through the exported
 * API: rounding and overflow edges, tie-breaking among equal sizes, tail
 * carving, coalescing on each side, and a long randomized differential run
 * against the naive model of arena_model.h.
 *
 * The differential run checks after every step both the statistics
 * (totals, chunk counts, largest free chunk, counters) and the chunks that
 * arena_walk() lists: sorted, non-overlapping, covering the region, never
 * two free ones adjacent, the used ones exactly the model's live
 * allocations.  With a 64 KiB region a walk is at most a few hundred
 * chunks: under TCG with KASAN one 250,000-step parameter takes about 15 s
 * (walking every step costs no more than every 64th), far from the
 * hung-task timeout that a single 1,000,000-step case would come close to.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "arena_api.h"
#include "arena_layout.h"
#include "arena_model.h"

#define KT_REGION		(64 * 1024)
#define KT_ALIGN		16
#define DIFF_OPS		250000

struct kt_ctx {
	u8 *base;
	struct arena *a;
	struct arena_model m;
	char msg[320];
};

static int kt_init(struct kunit *test)
{
	struct kt_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->base = vmalloc(KT_REGION);
	if (!ctx->base)
		return -ENOMEM;
	test->priv = ctx;
	return 0;
}

static void kt_exit(struct kunit *test)
{
	struct kt_ctx *ctx = test->priv;

	if (ctx->a)
		arena_destroy(ctx->a);
	arena_model_destroy(&ctx->m);
	vfree(ctx->base);
}

static void kt_new_arena(struct kunit *test, size_t size, size_t align)
{
	struct kt_ctx *ctx = test->priv;

	if (ctx->a)
		arena_destroy(ctx->a);
	ctx->a = arena_create(ctx->base, size, align, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->a);
}

static void kt_build(struct kunit *test, size_t align, const char *layout,
		     u8 **ptrs)
{
	struct kt_ctx *ctx = test->priv;

	if (ctx->a)
		arena_destroy(ctx->a);
	ctx->a = arena_layout_build(ctx->base, align, layout, ptrs, ctx->msg,
				    sizeof(ctx->msg));
	KUNIT_ASSERT_TRUE_MSG(test, ctx->a, "%s: %s", layout, ctx->msg);
}

static void kt_layout(struct kunit *test, const char *want, int line)
{
	struct kt_ctx *ctx = test->priv;

	KUNIT_ASSERT_TRUE_MSG(test, arena_layout_check(ctx->a, want, ctx->msg,
						       sizeof(ctx->msg)),
			      "line %d: %s", line, ctx->msg);
}

static void kt_free(struct kunit *test, void *p, int line)
{
	struct kt_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ_MSG(test, arena_free(ctx->a, p), 0, "line %d", line);
}

#define KT_LAYOUT(test, want)	kt_layout(test, want, __LINE__)
#define KT_FREE(test, p)	kt_free(test, p, __LINE__)

/* Sizes round up to the alignment, whatever it is. */
static void kt_rounding(struct kunit *test)
{
	static const size_t aligns[] = { 1, 2, 8, 16, 64, 512, 4096 };
	struct kt_ctx *ctx = test->priv;
	size_t sizes[5], i, j, top, used;
	struct arena_stats st;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t align = aligns[i];

		sizes[0] = 1;
		sizes[1] = align > 1 ? align - 1 : 2;
		sizes[2] = align;
		sizes[3] = align + 1;
		sizes[4] = 2 * align + 1;
		kt_new_arena(test, KT_REGION, align);
		top = KT_REGION;
		used = 0;
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			size_t want = DIV_ROUND_UP(sizes[j], align) * align;

			p = arena_alloc(ctx->a, sizes[j]);
			top -= want;
			used += want;
			KUNIT_EXPECT_PTR_EQ_MSG(test, p, ctx->base + top,
						"align %zu size %zu", align,
						sizes[j]);
			arena_get_stats(ctx->a, &st);
			KUNIT_EXPECT_EQ_MSG(test, st.used, (u64)used,
					    "align %zu size %zu", align,
					    sizes[j]);
			KUNIT_EXPECT_EQ(test, st.align, (u64)align);
		}
	}
}

/* Requests that cannot fit, some of which wrap when rounded up. */
static void kt_overflow(struct kunit *test)
{
	static const size_t aligns[] = { 1, 16, 4096 };
	struct kt_ctx *ctx = test->priv;
	struct arena_stats before, after;
	size_t i, j, bad[8];
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t align = aligns[i];

		bad[0] = SIZE_MAX;
		bad[1] = SIZE_MAX - 1;
		/* rounds up past SIZE_MAX to 0 (no rounding with align 1) */
		bad[2] = align > 1 ? SIZE_MAX - align + 2 : SIZE_MAX - 2;
		bad[3] = SIZE_MAX - align + 1;	/* the largest multiple */
		bad[4] = SIZE_MAX / 2 + 1;
		bad[5] = KT_REGION + 1;
		bad[6] = KT_REGION + align;
		bad[7] = (size_t)U32_MAX + 1;
		kt_new_arena(test, KT_REGION, align);
		/* Keep one allocation so "unchanged" is not "empty". */
		p = arena_alloc(ctx->a, align);
		KUNIT_ASSERT_PTR_EQ(test, p, ctx->base + KT_REGION - align);
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			arena_get_stats(ctx->a, &before);
			p = arena_alloc(ctx->a, bad[j]);
			arena_get_stats(ctx->a, &after);
			KUNIT_EXPECT_NULL_MSG(test, p, "align %zu size %zu",
					      align, bad[j]);
			KUNIT_EXPECT_TRUE_MSG(test,
					      arena_model_stats_same(&before, &after),
					      "align %zu size %zu", align, bad[j]);
			KUNIT_EXPECT_EQ_MSG(test, after.alloc_failed,
					    before.alloc_failed + 1,
					    "align %zu size %zu", align, bad[j]);
		}
		/* Zero bytes: NULL, nothing allocated. */
		arena_get_stats(ctx->a, &before);
		KUNIT_EXPECT_NULL(test, arena_alloc(ctx->a, 0));
		arena_get_stats(ctx->a, &after);
		KUNIT_EXPECT_TRUE(test, arena_model_stats_same(&before, &after));
		/* What is left still fits exactly. */
		KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, KT_REGION - align),
				    ctx->base);
	}
}

/* Equal free chunks: the lowest offset wins, whatever the free order. */
static void kt_ties(struct kunit *test)
{
	static const int orders[6][3] = {
		{ 2, 4, 6 }, { 2, 6, 4 }, { 4, 2, 6 },
		{ 4, 6, 2 }, { 6, 2, 4 }, { 6, 4, 2 },
	};
	struct kt_ctx *ctx = test->priv;
	u8 *ptrs[ARENA_LAYOUT_MAX];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		/* A bigger free chunk below them must not win either. */
		kt_build(test, KT_ALIGN,
			 "U256 U16 U32 U16 U32 U16 U32 U16", ptrs);
		KT_FREE(test, ptrs[0]);
		for (j = 0; j < 3; j++)
			KT_FREE(test, ptrs[orders[i][j]]);
		KT_LAYOUT(test, "F256 U16 F32 U16 F32 U16 F32 U16");
		KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 17), ptrs[2]);
		KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 32), ptrs[4]);
		KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 20), ptrs[6]);
		/* Then the big one, from its tail. */
		KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 32),
				    ptrs[0] + 224);
	}
}

/* The smallest chunk that fits wins, wherever it is. */
static void kt_smallest_fit(struct kunit *test)
{
	struct kt_ctx *ctx = test->priv;
	u8 *ptrs[ARENA_LAYOUT_MAX];
	int i;

	kt_build(test, KT_ALIGN, "U64 U16 U48 U16 U32 U16 U128 U16", ptrs);
	for (i = 0; i < 8; i += 2)
		KT_FREE(test, ptrs[i]);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 30), ptrs[4]);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 40), ptrs[2]);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 33), ptrs[0] + 16);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 100), ptrs[6] + 16);
	KT_LAYOUT(test, "F16 U48 U16 U48 U16 U32 U16 F16 U112 U16");
	KUNIT_EXPECT_NULL(test, arena_alloc(ctx->a, 17));
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 16), ptrs[0]);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 1), ptrs[6]);
	KT_LAYOUT(test, "U16 U48 U16 U48 U16 U32 U16 U16 U112 U16");
}

/* Allocations come from the tail of the chosen chunk. */
static void kt_carving(struct kunit *test)
{
	struct kt_ctx *ctx = test->priv;
	u8 *ptrs[ARENA_LAYOUT_MAX];

	kt_new_arena(test, 1024, KT_ALIGN);
	KT_LAYOUT(test, "F1024");
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 16), ctx->base + 1008);
	KT_LAYOUT(test, "F1008 U16");
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 100), ctx->base + 896);
	KT_LAYOUT(test, "F896 U112 U16");

	kt_build(test, KT_ALIGN, "U256 U256 U256 U256", ptrs);
	KT_FREE(test, ptrs[1]);
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 16), ptrs[1] + 240);
	KT_LAYOUT(test, "U256 F240 U16 U256 U256");
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 200), ptrs[1] + 32);
	KT_LAYOUT(test, "U256 F32 U208 U16 U256 U256");
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 32), ptrs[1]);
	KT_LAYOUT(test, "U256 U32 U208 U16 U256 U256");
}

/* Freed chunks merge with a free left, right or both neighbours. */
static void kt_coalesce(struct kunit *test)
{
	static const struct {
		int chunk;
		const char *after;
	} steps[] = {
		{ 0, "F64 U64 U64 U64 U64 U64 U64 U64" },  /* region start */
		{ 7, "F64 U64 U64 U64 U64 U64 U64 F64" },  /* region end */
		{ 1, "F128 U64 U64 U64 U64 U64 F64" },	   /* left */
		{ 6, "F128 U64 U64 U64 U64 F128" },	   /* right */
		{ 3, "F128 U64 F64 U64 U64 F128" },	   /* none */
		{ 5, "F128 U64 F64 U64 F192" },		   /* right */
		{ 4, "F128 U64 F320" },			   /* both */
		{ 2, "F512" },				   /* both */
	};
	struct kt_ctx *ctx = test->priv;
	u8 *ptrs[ARENA_LAYOUT_MAX];
	size_t i;

	kt_build(test, 64, "U64 U64 U64 U64 U64 U64 U64 U64", ptrs);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		KT_FREE(test, ptrs[steps[i].chunk]);
		KT_LAYOUT(test, steps[i].after);
	}
	KUNIT_EXPECT_PTR_EQ(test, arena_alloc(ctx->a, 512), ctx->base);
}

/**
 * struct kt_diff_param - one differential run
 * @seed: xorshift seed
 * @name: description shown by KUnit
 */
struct kt_diff_param {
	u64 seed;
	const char *name;
};

static const struct kt_diff_param kt_diff_params[] = {
	{ 0x9e3779b97f4a7c15ULL, "seed 1" },
	{ 0xd1b54a32d192ed03ULL, "seed 2" },
	{ 0x8cb92ba72f3d8dd7ULL, "seed 3" },
	{ 0xf1357aea2e62a9c5ULL, "seed 4" },
};

static void kt_diff_desc(const struct kt_diff_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %d ops", p->name, DIFF_OPS);
}

KUNIT_ARRAY_PARAM(kt_diff, kt_diff_params, kt_diff_desc);

/*
 * DIFF_OPS random allocations and frees (some invalid) of a 64 KiB arena
 * with alignment 16, each checked against the model.  The four parameters
 * make DIFF_OPS * 4 = 1,000,000 operations in all.
 */
static void kt_differential(struct kunit *test)
{
	const struct kt_diff_param *param = test->param_value;
	struct kt_ctx *ctx = test->priv;
	struct arena_model *m = &ctx->m;
	unsigned long start = jiffies;
	u64 rng = param->seed;
	size_t max_live = 0;
	int i;

	KUNIT_ASSERT_EQ(test, arena_model_init(m, ctx->base, KT_REGION,
					       KT_ALIGN), 0);
	m->stamp_bytes = 16;
	kt_new_arena(test, KT_REGION, KT_ALIGN);
	for (i = 0; i < DIFF_OPS; i++) {
		if (!arena_model_random_op(m, ctx->a, &rng) ||
		    !arena_model_check_stats(m, ctx->a) ||
		    !arena_model_check_walk(m, ctx->a))
			KUNIT_ASSERT_FAILURE(test, "op %d: %s", i, m->msg);
		max_live = max(max_live, m->nr_live);
		if (!(i % 256))
			cond_resched();
	}
	KUNIT_ASSERT_TRUE_MSG(test, arena_model_check_walk(m, ctx->a), "%s",
			      m->msg);
	kunit_info(test, "%d ops in %u ms: %llu allocs, %llu failed, %llu frees, %llu invalid frees, up to %zu live",
		   DIFF_OPS, jiffies_to_msecs(jiffies - start), m->alloc_ok,
		   m->alloc_failed, m->free_ok, m->free_invalid, max_live);
	KUNIT_ASSERT_TRUE_MSG(test, arena_model_free_all(m, ctx->a) &&
			      arena_model_check_stats(m, ctx->a) &&
			      arena_model_check_walk(m, ctx->a), "%s", m->msg);
}

static struct kunit_case kt_cases[] = {
	KUNIT_CASE(kt_rounding),
	KUNIT_CASE(kt_overflow),
	KUNIT_CASE(kt_ties),
	KUNIT_CASE(kt_smallest_fit),
	KUNIT_CASE(kt_carving),
	KUNIT_CASE(kt_coalesce),
	KUNIT_CASE_PARAM(kt_differential, kt_diff_gen_params),
	{}
};

static struct kunit_suite kt_suite = {
	.name = "arena_core",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kt_cases,
};

kunit_test_suite(kt_suite);

MODULE_DESCRIPTION("KUnit tests of the arena allocator core");
MODULE_LICENSE("GPL");
