// SPDX-License-Identifier: GPL-2.0
/*
 * Placement and coalescing through libarena: best fit (smallest free chunk
 * that fits, lowest offset among equal ones), carving from the tail of the
 * chosen chunk, and free chunks merging back into one in any free order.
 */
#include "libarena.h"
#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16
#define MAXCH	512

static __u64 round_align(__u64 n)
{
	return (n + ALIGN - 1) & ~(__u64)(ALIGN - 1);
}

/* Walks @a with the raw ioctl and checks the chunk list; returns the count. */
static int walk_checked(struct __test_metadata *_metadata, struct arena *a,
			struct arena_walk_entry *e)
{
	const char *why;
	int n;

	n = ioc_walk_all(arena_fd(a), e, MAXCH, arena_size(a));
	if (n < 0) {
		TH_LOG("WALK failed: %d", n);
		return n;
	}
	why = walk_check(e, n, arena_size(a), ALIGN);
	if (why) {
		TH_LOG("bad chunk list: %s", why);
		return -1;
	}
	return n;
}

/* Offset best fit must give @size, from the walk; ~0 if nothing fits. */
static __u64 expected_offset(const struct arena_walk_entry *e, int n,
			     __u64 size)
{
	const struct arena_walk_entry *best = NULL;
	int i;

	for (i = 0; i < n; i++) {
		if (e[i].flags & ARENA_CHUNK_USED || e[i].size < size)
			continue;
		if (!best || e[i].size < best->size)
			best = &e[i];
	}
	return best ? best->offset + best->size - size : ~0ULL;
}

FIXTURE(fit) {
	struct arena *a;
	char *base;
	struct arena_walk_entry e[MAXCH];
};

FIXTURE_SETUP(fit)
{
	self->a = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, self->a);
	self->base = arena_base(self->a);
}

FIXTURE_TEARDOWN(fit)
{
	arena_destroy(self->a);
}

TEST_F(fit, tail_carving)
{
	char *p, *q, *r;
	int n;

	p = arena_alloc(self->a, 100);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(REGION - 112, arena_offset(self->a, p));
	n = walk_checked(_metadata, self->a, self->e);
	ASSERT_EQ(2, n);
	/* The free chunk keeps its offset, only its size shrinks. */
	ASSERT_EQ(0, self->e[0].offset);
	ASSERT_EQ(REGION - 112, self->e[0].size);

	q = arena_alloc(self->a, 1000);
	r = arena_alloc(self->a, 50);
	ASSERT_NE(NULL, q);
	ASSERT_NE(NULL, r);
	ASSERT_EQ(REGION - 112 - 1008, arena_offset(self->a, q));
	ASSERT_EQ(REGION - 112 - 1008 - 64, arena_offset(self->a, r));
	ASSERT_EQ(0, arena_free(self->a, q));
	q = arena_alloc(self->a, 500);
	ASSERT_NE(NULL, q);
	/* In the 1008-byte hole, at its end, not in the big chunk at 0. */
	ASSERT_EQ(REGION - 112 - 512, arena_offset(self->a, q));
	n = walk_checked(_metadata, self->a, self->e);
	ASSERT_EQ(5, n);
	ASSERT_EQ(REGION - 112 - 1008, self->e[2].offset);
	ASSERT_EQ(1008 - 512, self->e[2].size);
	ASSERT_FALSE(self->e[2].flags & ARENA_CHUNK_USED);
}

/* Holes in offset order, lowest first, once the region is filled. */
static const __u64 hole_sizes[] = { 64, 1024, 128, 256, 128, 512 };
#define NHOLES ARRAY_SIZE(hole_sizes)

TEST_F(fit, best_fit)
{
	static const __u64 wants[] = { 100, 128, 16, 200, 48, 600, 2000, 64 };
	__u64 hole[NHOLES], off, expect;
	char *block[NHOLES], *p;
	unsigned int i;
	int n;

	/*
	 * Fill the region from the top: hole, 16-byte separator, hole, ...
	 * and a filler down to offset 0; then free the holes.
	 */
	for (i = NHOLES; i-- > 0;) {
		block[i] = arena_alloc(self->a, hole_sizes[i]);
		ASSERT_NE(NULL, block[i]);
		ASSERT_NE(NULL, arena_alloc(self->a, ALIGN));
	}
	ASSERT_NE(NULL, arena_alloc(self->a, arena_offset(self->a, block[0]) -
				    ALIGN));
	for (i = 0; i < NHOLES; i++) {
		hole[i] = arena_offset(self->a, block[i]);
		if (i)
			ASSERT_LT(hole[i - 1], hole[i]);
		ASSERT_EQ(0, arena_free(self->a, block[i]));
	}
	n = walk_checked(_metadata, self->a, self->e);
	ASSERT_EQ(2 * NHOLES + 1, n);

	for (i = 0; i < ARRAY_SIZE(wants); i++) {
		n = walk_checked(_metadata, self->a, self->e);
		ASSERT_LT(0, n);
		expect = expected_offset(self->e, n, round_align(wants[i]));
		p = arena_alloc(self->a, wants[i]);
		off = p ? arena_offset(self->a, p) : ~0ULL;
		ASSERT_EQ(expect, off) TH_LOG("request %u: %llu bytes", i,
					      (unsigned long long)wants[i]);
		switch (i) {
		case 0:	/* lower of the two 128-byte holes, at its end */
			ASSERT_EQ(hole[2] + 128 - 112, off);
			break;
		case 1:	/* the other 128-byte hole, exactly */
			ASSERT_EQ(hole[4], off);
			break;
		case 2:	/* what request 0 left of the first 128-byte hole */
			ASSERT_EQ(hole[2], off);
			break;
		case 3:
			ASSERT_EQ(hole[3] + 256 - 208, off);
			break;
		case 4:
			ASSERT_EQ(hole[3], off);
			break;
		case 5:
			ASSERT_EQ(hole[1] + 1024 - 608, off);
			break;
		case 6:	/* larger than any hole */
			ASSERT_EQ(NULL, p);
			break;
		case 7:	/* exact fit beats the larger holes below */
			ASSERT_EQ(hole[0], off);
			break;
		}
	}
}

enum { ORDER_FORWARD, ORDER_REVERSE, ORDER_RANDOM, ORDER_ALTERNATE };

FIXTURE(coalesce) {
	struct arena *a;
	struct arena_walk_entry e[MAXCH];
};

FIXTURE_VARIANT(coalesce) {
	int order;
};

FIXTURE_VARIANT_ADD(coalesce, forward) { .order = ORDER_FORWARD };
FIXTURE_VARIANT_ADD(coalesce, reverse) { .order = ORDER_REVERSE };
FIXTURE_VARIANT_ADD(coalesce, random) { .order = ORDER_RANDOM };
FIXTURE_VARIANT_ADD(coalesce, alternate) { .order = ORDER_ALTERNATE };

FIXTURE_SETUP(coalesce)
{
	self->a = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, self->a);
}

FIXTURE_TEARDOWN(coalesce)
{
	arena_destroy(self->a);
}

static void reorder(char **block, int n, int order)
{
	unsigned int seed = 12345;
	char *tmp[MAXCH], *t;
	int i, j, k = 0;

	switch (order) {
	case ORDER_REVERSE:
		for (i = 0; i < n; i++)
			tmp[i] = block[n - 1 - i];
		break;
	case ORDER_RANDOM:
		memcpy(tmp, block, n * sizeof(*block));
		for (i = n - 1; i > 0; i--) {
			seed = seed * 1103515245 + 12345;
			j = (seed >> 8) % (i + 1);
			t = tmp[i];
			tmp[i] = tmp[j];
			tmp[j] = t;
		}
		break;
	case ORDER_ALTERNATE:
		/* Every other block first: many holes before any merge. */
		for (i = 0; i < n; i += 2)
			tmp[k++] = block[i];
		for (i = 1; i < n; i += 2)
			tmp[k++] = block[i];
		break;
	default:
		return;
	}
	memcpy(block, tmp, n * sizeof(*block));
}

TEST_F(coalesce, all_free_is_one_chunk)
{
	struct arena_stats st;
	size_t left = REGION, size = 16;
	char *block[MAXCH];
	int n = 0, i, j, nfree, nwalk;

	/* Fill exactly, sizes 16..1008 in steps of 16 and a last piece. */
	while (left) {
		size_t want = size < left ? size : left;

		ASSERT_GT(MAXCH, n);
		block[n] = arena_alloc(self->a, want);
		ASSERT_NE(NULL, block[n]);
		left -= want;
		size = size >= 1008 ? 16 : size + 16;
		n++;
	}
	reorder(block, n, variant->order);

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, arena_free(self->a, block[i])) TH_LOG("free %d", i);
		nwalk = walk_checked(_metadata, self->a, self->e);
		ASSERT_LT(0, nwalk);
		ASSERT_EQ(0, arena_stats(self->a, &st));
		for (j = 0, nfree = 0; j < nwalk; j++)
			nfree += !(self->e[j].flags & ARENA_CHUNK_USED);
		ASSERT_EQ(st.chunks_free, nfree);
		ASSERT_EQ(st.chunks_used, n - 1 - i);
	}
	ASSERT_EQ(1, st.chunks_free);
	ASSERT_EQ(REGION, st.free);
	ASSERT_EQ(REGION, st.largest_free);
	ASSERT_EQ(0, st.used);
}

TEST_HARNESS_MAIN
