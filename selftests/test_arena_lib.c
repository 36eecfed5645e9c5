// SPDX-License-Identifier: GPL-2.0
/*
 * libarena over /dev/arena: alloc(0), exact fill, pointer <-> offset round
 * trips, foreign pointers, batch and walk through the library.
 */
#include "libarena.h"
#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16

FIXTURE(lib) {
	struct arena *a;
	char *base;
};

FIXTURE_SETUP(lib)
{
	self->a = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, self->a) TH_LOG("arena_new: %s", strerror(errno));
	self->base = arena_base(self->a);
	ASSERT_EQ(REGION, arena_size(self->a));
}

FIXTURE_TEARDOWN(lib)
{
	arena_destroy(self->a);
}

TEST_F(lib, alloc_zero_is_null)
{
	struct arena_stats st;

	ASSERT_EQ(NULL, arena_alloc(self->a, 0));
	ASSERT_EQ(0, arena_stats(self->a, &st));
	ASSERT_EQ(0, st.chunks_used);
}

TEST_F(lib, new_rejects_bad_arguments)
{
	errno = 0;
	ASSERT_EQ(NULL, arena_new(0, 16));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(NULL, arena_new(4096, 24));
	ASSERT_EQ(EINVAL, errno);
}

TEST_F(lib, exact_fill)
{
	struct arena_stats st;
	size_t left = REGION, size = 16;
	int n = 0;

	/* Sizes 16, 32, ... 1024, 16, ... and one last piece to the end. */
	while (left) {
		size_t want = size < left ? size : left;

		ASSERT_NE(NULL, arena_alloc(self->a, want)) TH_LOG("n %d", n);
		left -= want;
		size = size >= 1024 ? 16 : size + 16;
		n++;
	}
	errno = 0;
	ASSERT_EQ(NULL, arena_alloc(self->a, 1));
	ASSERT_EQ(ENOMEM, errno);
	ASSERT_EQ(0, arena_stats(self->a, &st));
	ASSERT_EQ(0, st.chunks_free);
	ASSERT_EQ(0, st.free);
	ASSERT_EQ(0, st.largest_free);
	ASSERT_EQ(REGION, st.used);
	ASSERT_EQ(n, st.chunks_used);
}

TEST_F(lib, offsets_round_trip)
{
	char *p = arena_alloc(self->a, 100);
	char *q = arena_alloc(self->a, 200);
	int local;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, q);
	ASSERT_EQ(REGION - 112, arena_offset(self->a, p));
	ASSERT_EQ(REGION - 112 - 208, arena_offset(self->a, q));
	ASSERT_EQ(self->base + arena_offset(self->a, q), q);
	ASSERT_EQ(0, arena_offset(self->a, self->base));

	ASSERT_TRUE(arena_address_in_arena(self->a, self->base));
	ASSERT_TRUE(arena_address_in_arena(self->a, p + 99));
	ASSERT_TRUE(arena_address_in_arena(self->a, self->base + REGION - 1));
	ASSERT_FALSE(arena_address_in_arena(self->a, self->base + REGION));
	ASSERT_FALSE(arena_address_in_arena(self->a, self->base - 1));
	ASSERT_FALSE(arena_address_in_arena(self->a, &local));
	ASSERT_FALSE(arena_address_in_arena(self->a, NULL));
	ASSERT_EQ((uint64_t)-1, arena_offset(self->a, self->base + REGION));
	ASSERT_EQ((uint64_t)-1, arena_offset(self->a, &local));

	/* The memory behind the pointers is the region, and writable. */
	memset(p, 0x11, 100);
	memset(q, 0x22, 200);
	ASSERT_EQ(0x11, p[99]);
	ASSERT_EQ(0x22, q[0]);
	ASSERT_EQ(0, arena_free(self->a, p));
	ASSERT_EQ(0, arena_free(self->a, q));
}

TEST_F(lib, free_foreign_pointer)
{
	struct arena_stats before, after;
	char *p = arena_alloc(self->a, 64);
	struct arena *other;
	char *o;
	int local;

	ASSERT_NE(NULL, p);
	other = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, other);
	o = arena_alloc(other, 64);
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, arena_stats(self->a, &before));

	errno = 0;
	EXPECT_EQ(-1, arena_free(self->a, &local));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, arena_free(self->a, o));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, arena_free(self->a, p + 16));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, arena_free(self->a, self->base + REGION));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, arena_stats(self->a, &after));
	EXPECT_EQ(before.used, after.used);
	EXPECT_EQ(before.chunks_used, after.chunks_used);
	EXPECT_EQ(0, arena_free(other, o));
	EXPECT_EQ(0, arena_free(self->a, p));
	errno = 0;
	EXPECT_EQ(-1, arena_free(self->a, p));
	EXPECT_EQ(EINVAL, errno);
	arena_destroy(other);
}

TEST_F(lib, batch)
{
	struct arena_op ops[4] = {
		{ .kind = ARENA_OP_ALLOC, .size = 64 },
		{ .kind = ARENA_OP_ALLOC, .size = REGION },
		{ .kind = ARENA_OP_FREE },
		{ .kind = ARENA_OP_ALLOC, .size = 1 },
	};
	struct arena_stats st;
	int local;

	ops[2].ptr = &local;
	ASSERT_EQ(2, arena_batch(self->a, ops, 4));
	EXPECT_EQ(0, ops[0].error);
	EXPECT_EQ(REGION - 64, arena_offset(self->a, ops[0].ptr));
	EXPECT_EQ(ENOMEM, ops[1].error);
	EXPECT_EQ(NULL, ops[1].ptr);
	EXPECT_EQ(EINVAL, ops[2].error);
	EXPECT_EQ(0, ops[3].error);
	EXPECT_EQ(REGION - 80, arena_offset(self->a, ops[3].ptr));

	ops[2].ptr = ops[0].ptr;
	ops[1] = ops[2];
	ops[1].ptr = ops[3].ptr;
	ASSERT_EQ(0, arena_batch(self->a, &ops[1], 2));
	ASSERT_EQ(0, arena_stats(self->a, &st));
	ASSERT_EQ(0, st.used);
	ASSERT_EQ(1, st.chunks_free);
}

struct walk_log {
	struct arena_chunk_info c[16];
	int n;
	int stop_after;
};

static int log_chunk(void *priv, const struct arena_chunk_info *c)
{
	struct walk_log *log = priv;

	if (log->n < 16)
		log->c[log->n] = *c;
	return ++log->n == log->stop_after ? 7 : 0;
}

TEST_F(lib, walk)
{
	struct walk_log log = { .n = 0 };
	char *p = arena_alloc(self->a, 1000);
	char *q = arena_alloc(self->a, 1000);

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, q);
	ASSERT_EQ(0, arena_free(self->a, p));
	ASSERT_EQ(0, arena_walk(self->a, log_chunk, &log));
	/* [0, q) free, q used, p's old place free. */
	ASSERT_EQ(3, log.n);
	EXPECT_FALSE(log.c[0].used);
	EXPECT_EQ(0, log.c[0].offset);
	EXPECT_TRUE(log.c[1].used);
	EXPECT_EQ(arena_offset(self->a, q), log.c[1].offset);
	EXPECT_EQ(1008, log.c[1].size);
	EXPECT_FALSE(log.c[2].used);
	EXPECT_EQ(REGION - 1008, log.c[2].offset);

	log.n = 0;
	log.stop_after = 2;
	ASSERT_EQ(7, arena_walk(self->a, log_chunk, &log));
	ASSERT_EQ(2, log.n);
}

TEST(from_fd_not_an_arena)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(NULL, arena_from_fd(fd));
	close(fd);
	ASSERT_EQ(NULL, arena_from_fd(-1));
	ASSERT_EQ(NULL, arena_from_fd(fd));
}

TEST_HARNESS_MAIN
