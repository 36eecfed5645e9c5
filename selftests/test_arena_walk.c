// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_WALK: chunks in offset order covering the region, the cursor
 * across calls with a small capacity, and the argument checks.
 */
#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16
#define NLIVE	8

FIXTURE(walk) {
	int fd;
	__u64 off[NLIVE];
	__u64 size[NLIVE];
};

/* Eight allocations, every other one freed again: holes between them. */
FIXTURE_SETUP(walk)
{
	int i;

	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, REGION, ALIGN));
	for (i = 0; i < NLIVE; i++) {
		self->size[i] = (i + 1) * 48;
		ASSERT_EQ(0, ioc_alloc(self->fd, self->size[i] - 5,
				       &self->off[i]));
	}
	for (i = 1; i < NLIVE; i += 2)
		ASSERT_EQ(0, ioc_free(self->fd, self->off[i]));
}

FIXTURE_TEARDOWN(walk)
{
	close(self->fd);
}

TEST_F(walk, fresh_arena_is_one_free_chunk)
{
	struct arena_walk_entry e[4];
	struct arena_walk_args args;
	int fd = arena_test_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 8192, 4096));
	memset(e, 0xff, sizeof(e));
	ASSERT_EQ(0, ioc_walk(fd, e, 4, 0, &args));
	close(fd);
	ASSERT_EQ(1, args.count);
	ASSERT_EQ(8192, args.next);
	ASSERT_EQ(0, e[0].offset);
	ASSERT_EQ(8192, e[0].size);
	ASSERT_EQ(0, e[0].flags);
	ASSERT_EQ(0, e[0].reserved);
}

TEST_F(walk, matches_live_allocations)
{
	struct arena_walk_entry e[64];
	struct arena_stats_args st;
	int n, i, j, used = 0, nfree = 0;
	const char *why;

	n = ioc_walk_all(self->fd, e, 64, REGION);
	ASSERT_LT(0, n) TH_LOG("walk: %d", n);
	why = walk_check(e, n, REGION, ALIGN);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	for (i = 0; i < n; i++) {
		if (!(e[i].flags & ARENA_CHUNK_USED)) {
			nfree++;
			continue;
		}
		used++;
		for (j = 0; j < NLIVE; j += 2)
			if (self->off[j] == e[i].offset)
				break;
		ASSERT_GT(NLIVE, j) TH_LOG("unknown used chunk at %llu",
					   (unsigned long long)e[i].offset);
		ASSERT_EQ(self->size[j], e[i].size);
	}
	ASSERT_EQ(NLIVE / 2, used);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(st.chunks_free, nfree);
	ASSERT_EQ(st.chunks_used, used);
}

TEST_F(walk, cursor_with_small_capacity)
{
	struct arena_walk_entry all[64], part[3];
	struct arena_walk_args args;
	__u32 cap;
	int n, got, calls;

	n = ioc_walk_all(self->fd, all, 64, REGION);
	ASSERT_LT(2, n);
	for (cap = 1; cap <= 3; cap++) {
		__u64 start = 0;

		got = 0;
		calls = 0;
		while (start < REGION) {
			memset(part, 0xff, sizeof(part));
			ASSERT_EQ(0, ioc_walk(self->fd, part, cap, start, &args));
			ASSERT_LT(0, args.count);
			ASSERT_GE(cap, args.count);
			ASSERT_GE(n, got + (int)args.count);
			ASSERT_EQ(0, memcmp(&all[got], part,
					    args.count * sizeof(part[0])));
			got += args.count;
			ASSERT_EQ(part[args.count - 1].offset +
				  part[args.count - 1].size, args.next);
			start = args.next;
			calls++;
		}
		ASSERT_EQ(n, got);
		ASSERT_EQ((n + cap - 1) / cap, calls);
	}
}

/* A walk may start at any chunk boundary, not only where one ended. */
TEST_F(walk, start_at_any_chunk)
{
	struct arena_walk_entry all[64], part[64];
	struct arena_walk_args args;
	int n, i;

	n = ioc_walk_all(self->fd, all, 64, REGION);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ioc_walk(self->fd, part, 64, all[i].offset, &args));
		ASSERT_EQ(n - i, args.count);
		ASSERT_EQ(REGION, args.next);
		ASSERT_EQ(0, memcmp(&all[i], part, args.count * sizeof(part[0])));
	}
}

TEST_F(walk, bad_start)
{
	struct arena_walk_entry e[4];

	/* Inside a live allocation, inside a free chunk, misaligned, beyond. */
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, self->off[0] + ALIGN, NULL));
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, ALIGN, NULL));
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, self->off[0] + 1, NULL));
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, REGION + ALIGN, NULL));
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, ~0ULL - 15, NULL));
	/* The lowest allocation merged into [0, ...) when it was freed. */
	EXPECT_EQ(-EINVAL, ioc_walk(self->fd, e, 4, self->off[NLIVE - 1], NULL));
}

TEST_F(walk, capacity_zero)
{
	struct arena_walk_entry e[4];

	ASSERT_EQ(-EINVAL, ioc_walk(self->fd, e, 0, 0, NULL));
}

TEST_F(walk, flags_reserved)
{
	struct arena_walk_entry e[4];
	struct arena_walk_args args = {
		.entries = (uintptr_t)e,
		.capacity = 4,
		.flags = 1,
	};

	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_WALK, &args));
	args.flags = 0;
	args.reserved = 1;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_WALK, &args));
}

TEST_F(walk, bad_pointers)
{
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_WALK, NULL));
	ASSERT_EQ(-EFAULT, ioc_walk(self->fd, NULL, 4, 0, NULL));
	ASSERT_EQ(-EFAULT, ioc_walk(self->fd, (void *)16, 4, 0, NULL));
}

/* More chunks than ARENA_WALK_MAX: one call stops there, the cursor goes on. */
TEST(capacity_capped_at_walk_max)
{
	static struct arena_walk_entry e[2 * ARENA_WALK_MAX + 16];
	static struct arena_batch_op ops[ARENA_BATCH_MAX];
	struct arena_batch_args batch = { .ops = (uintptr_t)ops };
	struct arena_walk_args args;
	int fd, round, i, n;
	const char *why;

	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 4 * ARENA_BATCH_MAX * 16, 16));
	/* 2 * 4096 used chunks of 16 bytes, then one free chunk. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < ARENA_BATCH_MAX; i++)
			ops[i] = (struct arena_batch_op){
				.op = ARENA_BATCH_ALLOC, .arg = 16 };
		batch.count = ARENA_BATCH_MAX;
		ASSERT_EQ(0, ioc(fd, ARENA_IOC_BATCH, &batch));
		ASSERT_EQ(0, batch.failed);
	}
	memset(e, 0xff, sizeof(e));
	ASSERT_EQ(0, ioc_walk(fd, e, 2 * ARENA_WALK_MAX + 16, 0, &args));
	ASSERT_LT(0, args.count);
	ASSERT_GE(ARENA_WALK_MAX, args.count);
	ASSERT_EQ(e[args.count - 1].offset + e[args.count - 1].size, args.next);
	ASSERT_EQ(~0ULL, e[ARENA_WALK_MAX].offset);

	n = ioc_walk_all(fd, e, 2 * ARENA_WALK_MAX + 16, 4 * ARENA_BATCH_MAX * 16);
	close(fd);
	ASSERT_EQ(2 * ARENA_BATCH_MAX + 1, n);
	why = walk_check(e, n, 4 * ARENA_BATCH_MAX * 16, 16);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
}

TEST_HARNESS_MAIN
