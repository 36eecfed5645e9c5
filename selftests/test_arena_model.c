// SPDX-License-Identifier: GPL-2.0
/*
 * A long random run of allocations and frees (single and batched) against
 * a model of the arena kept here: the sorted list of live allocations.
 *
 * Best fit with tail carving makes every placement predictable, so each
 * result is compared with the model's prediction; stats are compared after
 * every operation and the whole chunk list now and then.  Each allocation
 * holds a pattern that is checked before it is freed.
 */
#include "libarena.h"
#include "arena_test.h"

#include "kselftest_harness.h"

#define MAXLIVE		1024
#define WALK_EVERY	997

struct live {
	__u64 off;
	__u64 size;		/* rounded to the alignment */
	size_t req;		/* bytes asked for, all holding the pattern */
	unsigned char tag;
	bool fresh;		/* allocated by the batch being built */
};

struct model {
	struct live l[MAXLIVE];
	int n;
	__u64 used;
	__u64 total;
	__u64 align;
	__u64 rng;
	struct arena *a;
	unsigned char *base;
	struct arena_walk_entry e[2 * MAXLIVE + 2];
};

static __u64 next_rand(struct model *m)
{
	/* xorshift64* */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545f4914f6cdd1dULL;
}

static __u64 round_up_to(__u64 n, __u64 align)
{
	return (n + align - 1) / align * align;
}

/* Best fit over the gaps between live allocations; ~0 when none fits. */
static __u64 predict(const struct model *m, __u64 size)
{
	__u64 prev_end = 0, best_len = ~0ULL, best = ~0ULL, gap;
	int i;

	for (i = 0; i <= m->n; i++) {
		__u64 next = i < m->n ? m->l[i].off : m->total;

		gap = next - prev_end;
		if (gap >= size && gap < best_len) {
			best_len = gap;
			best = next - size;
		}
		if (i < m->n)
			prev_end = m->l[i].off + m->l[i].size;
	}
	return best;
}

static void gaps(const struct model *m, __u64 *count, __u64 *largest)
{
	__u64 prev_end = 0, gap;
	int i;

	*count = 0;
	*largest = 0;
	for (i = 0; i <= m->n; i++) {
		__u64 next = i < m->n ? m->l[i].off : m->total;

		gap = next - prev_end;
		if (gap) {
			(*count)++;
			if (gap > *largest)
				*largest = gap;
		}
		if (i < m->n)
			prev_end = m->l[i].off + m->l[i].size;
	}
}

static int find(const struct model *m, __u64 off)
{
	int lo = 0, hi = m->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (m->l[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Inserts at its place; false if it overlaps a neighbour. */
static bool insert(struct model *m, __u64 off, __u64 size, size_t req,
		   unsigned char tag)
{
	int i = find(m, off);

	if (i > 0 && m->l[i - 1].off + m->l[i - 1].size > off)
		return false;
	if (i < m->n && off + size > m->l[i].off)
		return false;
	memmove(&m->l[i + 1], &m->l[i], (m->n - i) * sizeof(m->l[0]));
	m->l[i] = (struct live){ .off = off, .size = size, .req = req,
				 .tag = tag };
	m->n++;
	m->used += size;
	return true;
}

static void remove_at(struct model *m, int i)
{
	m->used -= m->l[i].size;
	m->n--;
	memmove(&m->l[i], &m->l[i + 1], (m->n - i) * sizeof(m->l[0]));
}

static void fill(struct model *m, const struct live *l)
{
	memset(m->base + l->off, l->tag, l->req);
}

static bool intact(const struct model *m, const struct live *l)
{
	const unsigned char *p = m->base + l->off;
	size_t i;

	for (i = 0; i < l->req; i++)
		if (p[i] != l->tag)
			return false;
	return true;
}

static size_t pick_size(struct model *m)
{
	__u64 r = next_rand(m) % 100;

	if (r < 70)
		return 1 + next_rand(m) % 256;
	if (r < 95)
		return 1 + next_rand(m) % 4096;
	return 1 + next_rand(m) % (m->total / 16);
}

FIXTURE(model) {
	struct model *m;
};

FIXTURE_VARIANT(model) {
	__u64 size;
	__u64 align;
	int ops;
};

FIXTURE_VARIANT_ADD(model, align16) {
	.size = 1 << 20, .align = 16, .ops = 100000,
};

FIXTURE_VARIANT_ADD(model, align1_odd_size) {
	.size = 65537, .align = 1, .ops = 30000,
};

FIXTURE_VARIANT_ADD(model, align4096) {
	.size = 4 << 20, .align = 4096, .ops = 20000,
};

FIXTURE_SETUP(model)
{
	self->m = calloc(1, sizeof(*self->m));
	ASSERT_NE(NULL, self->m);
	self->m->a = arena_new(variant->size, variant->align);
	ASSERT_NE(NULL, self->m->a) TH_LOG("arena_new: %s", strerror(errno));
	self->m->base = arena_base(self->m->a);
	self->m->total = variant->size;
	self->m->align = variant->align;
	self->m->rng = 0x9e3779b97f4a7c15ULL ^ variant->size;
}

FIXTURE_TEARDOWN(model)
{
	if (self->m) {
		arena_destroy(self->m->a);
		free(self->m);
	}
}

static void check_stats(struct __test_metadata *_metadata,
			const struct model *m, int step)
{
	__u64 nfree, largest;
	struct arena_stats st;

	ASSERT_EQ(0, arena_stats(m->a, &st));
	gaps(m, &nfree, &largest);
	ASSERT_EQ(m->used, st.used) TH_LOG("step %d", step);
	ASSERT_EQ(m->total - m->used, st.free) TH_LOG("step %d", step);
	ASSERT_EQ(m->total, st.total);
	ASSERT_EQ(m->n, st.chunks_used) TH_LOG("step %d", step);
	ASSERT_EQ(nfree, st.chunks_free) TH_LOG("step %d", step);
	ASSERT_EQ(largest, st.largest_free) TH_LOG("step %d", step);
}

/* The kernel's chunk list must be the model's, free gaps included. */
static void check_walk(struct __test_metadata *_metadata, struct model *m,
		       int step)
{
	__u64 at = 0;
	int n, i, j = 0;
	const char *why;

	n = ioc_walk_all(arena_fd(m->a), m->e, ARRAY_SIZE(m->e), m->total);
	ASSERT_LT(0, n) TH_LOG("step %d: walk %d", step, n);
	why = walk_check(m->e, n, m->total, m->align);
	ASSERT_EQ(NULL, why) TH_LOG("step %d: %s", step, why);
	for (i = 0; i < m->n; i++) {
		if (m->l[i].off > at) {
			ASSERT_GT(n, j);
			ASSERT_FALSE(m->e[j].flags & ARENA_CHUNK_USED);
			ASSERT_EQ(at, m->e[j].offset);
			j++;
		}
		ASSERT_GT(n, j);
		ASSERT_TRUE(m->e[j].flags & ARENA_CHUNK_USED)
			TH_LOG("step %d: chunk %d", step, j);
		ASSERT_EQ(m->l[i].off, m->e[j].offset);
		ASSERT_EQ(m->l[i].size, m->e[j].size);
		at = m->l[i].off + m->l[i].size;
		j++;
	}
	ASSERT_EQ(n, j + (at < m->total));
}

static void do_alloc(struct __test_metadata *_metadata, struct model *m,
		     int step)
{
	size_t req = pick_size(m);
	__u64 size = round_up_to(req, m->align);
	__u64 expect = predict(m, size), off;
	unsigned char *p;

	errno = 0;
	p = arena_alloc(m->a, req);
	if (expect == ~0ULL) {
		ASSERT_EQ(NULL, p) TH_LOG("step %d: %zu bytes", step, req);
		ASSERT_EQ(ENOMEM, errno);
		return;
	}
	ASSERT_NE(NULL, p) TH_LOG("step %d: %zu bytes: %s", step, req,
				  strerror(errno));
	off = arena_offset(m->a, p);
	ASSERT_EQ(0, off % m->align);
	ASSERT_GE(m->total, off + size);
	ASSERT_EQ(expect, off) TH_LOG("step %d: %zu bytes", step, req);
	ASSERT_TRUE(insert(m, off, size, req, (unsigned char)next_rand(m)));
	fill(m, &m->l[find(m, off)]);
}

static void do_free(struct __test_metadata *_metadata, struct model *m,
		    int step)
{
	int i = next_rand(m) % m->n;
	struct live l = m->l[i];
	__u64 r = next_rand(m) % 100;

	ASSERT_TRUE(intact(m, &l)) TH_LOG("step %d: data at %llu", step,
					  (unsigned long long)l.off);
	if (r < 2 && l.size > m->align) {
		errno = 0;
		ASSERT_EQ(-1, arena_free(m->a, m->base + l.off + m->align));
		ASSERT_EQ(EINVAL, errno);
	}
	ASSERT_EQ(0, arena_free(m->a, m->base + l.off))
		TH_LOG("step %d: free %llu: %s", step,
		       (unsigned long long)l.off, strerror(errno));
	remove_at(m, i);
	if (r >= 98) {
		errno = 0;
		ASSERT_EQ(-1, arena_free(m->a, m->base + l.off));
		ASSERT_EQ(EINVAL, errno);
	}
}

/* Up to 16 operations in one ioctl, predicted one after the other. */
static void do_batch(struct __test_metadata *_metadata, struct model *m,
		     int step)
{
	struct arena_op ops[16];
	__u64 expect[16];
	int k = 2 + next_rand(m) % 15, i, j, failed = 0, ret;

	for (i = 0; i < k; i++) {
		j = m->n ? next_rand(m) % m->n : 0;
		if (m->n && !m->l[j].fresh && next_rand(m) % 2) {
			ASSERT_TRUE(intact(m, &m->l[j]));
			ops[i] = (struct arena_op){ .kind = ARENA_OP_FREE,
						    .ptr = m->base + m->l[j].off };
			remove_at(m, j);
			continue;
		}
		ops[i] = (struct arena_op){ .kind = ARENA_OP_ALLOC,
					    .size = pick_size(m) };
		expect[i] = predict(m, round_up_to(ops[i].size, m->align));
		if (expect[i] == ~0ULL) {
			failed++;
			continue;
		}
		ASSERT_TRUE(insert(m, expect[i],
				   round_up_to(ops[i].size, m->align),
				   ops[i].size, (unsigned char)i));
		m->l[find(m, expect[i])].fresh = true;
	}
	ret = arena_batch(m->a, ops, k);
	ASSERT_EQ(failed, ret) TH_LOG("step %d", step);
	for (i = 0; i < k; i++) {
		if (ops[i].kind != ARENA_OP_ALLOC) {
			ASSERT_EQ(0, ops[i].error);
			continue;
		}
		if (expect[i] == ~0ULL) {
			ASSERT_EQ(ENOMEM, ops[i].error);
			ASSERT_EQ(NULL, ops[i].ptr);
			continue;
		}
		ASSERT_EQ(0, ops[i].error) TH_LOG("step %d op %d", step, i);
		ASSERT_EQ(expect[i], arena_offset(m->a, ops[i].ptr))
			TH_LOG("step %d op %d", step, i);
		j = find(m, expect[i]);
		m->l[j].fresh = false;
		fill(m, &m->l[j]);
	}
}

TEST_F_TIMEOUT(model, random_ops, 300)
{
	struct model *m = self->m;
	int step, nfail = 0;
	__u64 r;

	for (step = 0; step < variant->ops; step++) {
		/* Grow to about 80% full, then hover there. */
		r = next_rand(m) % 100;
		if (r < 4 && m->n + 16 <= MAXLIVE) {
			do_batch(_metadata, m, step);
		} else if (!m->n || (m->n < MAXLIVE &&
			   r < (m->used * 5 < m->total * 4 ? 60 : 35))) {
			__u64 before = m->n;

			do_alloc(_metadata, m, step);
			nfail += m->n == before;
		} else {
			do_free(_metadata, m, step);
		}
		check_stats(_metadata, m, step);
		if (step % WALK_EVERY == 0)
			check_walk(_metadata, m, step);
	}
	check_walk(_metadata, m, step);
	TH_LOG("%d operations, %d allocations found no space, %d live",
	       variant->ops, nfail, m->n);
	/* Some requests must have hit a full arena, or the run was too easy. */
	ASSERT_LT(0, nfail);

	while (m->n)
		do_free(_metadata, m, step++);
	check_stats(_metadata, m, step);
	check_walk(_metadata, m, step);
}

TEST_HARNESS_MAIN
