// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_ALLOC, ARENA_IOC_FREE and ARENA_IOC_STATS: rounding, every
 * documented error, and that a rejected call changes nothing but the
 * failure counters.
 */
#include <sys/mman.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16

FIXTURE(af) {
	int fd;
};

FIXTURE_SETUP(af)
{
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, REGION, ALIGN));
}

FIXTURE_TEARDOWN(af)
{
	close(self->fd);
}

/* Usage fields equal and the counters moved by exactly the deltas given. */
static bool same_usage(const struct arena_stats_args *a,
		       const struct arena_stats_args *b)
{
	return a->used == b->used && a->free == b->free &&
	       a->total == b->total && a->chunks_used == b->chunks_used &&
	       a->chunks_free == b->chunks_free &&
	       a->largest_free == b->largest_free &&
	       a->alloc_ok == b->alloc_ok && a->free_ok == b->free_ok;
}

TEST_F(af, alloc_size_zero)
{
	struct arena_stats_args before, after;

	ASSERT_EQ(0, ioc_stats(self->fd, &before));
	ASSERT_EQ(-EINVAL, ioc_alloc(self->fd, 0, NULL));
	ASSERT_EQ(0, ioc_stats(self->fd, &after));
	ASSERT_TRUE(same_usage(&before, &after));
}

TEST_F(af, alloc_rounds_to_align)
{
	struct arena_stats_args st;
	__u64 a, b, c;

	ASSERT_EQ(0, ioc_alloc(self->fd, 1, &a));
	ASSERT_EQ(0, ioc_alloc(self->fd, 17, &b));
	ASSERT_EQ(0, ioc_alloc(self->fd, 32, &c));
	ASSERT_EQ(0, a % ALIGN);
	ASSERT_EQ(0, b % ALIGN);
	ASSERT_EQ(0, c % ALIGN);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(16 + 32 + 32, st.used);
	ASSERT_EQ(REGION - st.used, st.free);
	ASSERT_EQ(3, st.chunks_used);
	ASSERT_EQ(3, st.alloc_ok);
	/* Tail carving from one free chunk: each below the previous one. */
	ASSERT_EQ(REGION - 16, a);
	ASSERT_EQ(a - 32, b);
	ASSERT_EQ(b - 32, c);
}

TEST_F(af, alloc_offset_zero_is_valid)
{
	struct arena_stats_args st;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, REGION, &off));
	ASSERT_EQ(0, off);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(0, st.chunks_free);
	ASSERT_EQ(0, st.largest_free);
	ASSERT_EQ(0, ioc_free(self->fd, 0));
}

TEST_F(af, alloc_no_space)
{
	struct arena_stats_args before, after;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, REGION - 64, &off));
	ASSERT_EQ(0, ioc_stats(self->fd, &before));
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd, 65, NULL));
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd, REGION + 1, NULL));
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd, ~0ULL, NULL));
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd, ~0ULL - ALIGN + 2, NULL));
	ASSERT_EQ(0, ioc_stats(self->fd, &after));
	ASSERT_TRUE(same_usage(&before, &after));
	ASSERT_EQ(before.alloc_failed + 4, after.alloc_failed);
	/* The space that is left is still there. */
	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	ASSERT_EQ(0, off);
}

TEST_F(af, alloc_flags_reserved)
{
	struct arena_alloc_args args = { .size = 16, .flags = 1 };
	struct arena_stats_args st;

	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_ALLOC, &args));
	args.flags = 1U << 31;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_ALLOC, &args));
	args.flags = 0;
	args.reserved = 1;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_ALLOC, &args));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(0, st.chunks_used);
	ASSERT_EQ(0, st.alloc_ok);
}

TEST_F(af, alloc_bad_pointer)
{
	struct arena_stats_args st;

	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_ALLOC, NULL));
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_ALLOC, (void *)16));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(0, st.chunks_used);
}

/* Readable but not writable: the result cannot be returned, so no leak. */
TEST_F(af, alloc_readonly_args)
{
	struct arena_stats_args st;
	struct arena_alloc_args *args;

	args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, args);
	args->size = 64;
	ASSERT_EQ(0, mprotect(args, 4096, PROT_READ));
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_ALLOC, args));
	munmap(args, 4096);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(0, st.chunks_used);
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(1, st.chunks_free);
}

static void expect_rejected_free(struct __test_metadata *_metadata, int fd,
				 __u64 offset)
{
	struct arena_stats_args before, after;

	ASSERT_EQ(0, ioc_stats(fd, &before));
	EXPECT_EQ(-EINVAL, ioc_free(fd, offset))
		TH_LOG("offset %llu", (unsigned long long)offset);
	ASSERT_EQ(0, ioc_stats(fd, &after));
	EXPECT_TRUE(same_usage(&before, &after));
	EXPECT_EQ(before.free_invalid + 1, after.free_invalid);
}

TEST_F(af, free_double)
{
	__u64 off, keep;

	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &keep));
	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	ASSERT_EQ(0, ioc_free(self->fd, off));
	expect_rejected_free(_metadata, self->fd, off);
}

TEST_F(af, free_middle_of_chunk)
{
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	expect_rejected_free(_metadata, self->fd, off + 16);
	expect_rejected_free(_metadata, self->fd, off + 48);
	ASSERT_EQ(0, ioc_free(self->fd, off));
}

TEST_F(af, free_misaligned)
{
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	expect_rejected_free(_metadata, self->fd, off + 1);
	expect_rejected_free(_metadata, self->fd, off - 1);
	ASSERT_EQ(0, ioc_free(self->fd, off));
}

TEST_F(af, free_outside_region)
{
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	expect_rejected_free(_metadata, self->fd, REGION);
	expect_rejected_free(_metadata, self->fd, REGION + 16);
	expect_rejected_free(_metadata, self->fd, 1ULL << 40);
	expect_rejected_free(_metadata, self->fd, ~0ULL);
	expect_rejected_free(_metadata, self->fd, ~0ULL - 15);
	expect_rejected_free(_metadata, self->fd, off + (1ULL << 32));
}

TEST_F(af, free_of_free_chunk)
{
	__u64 off;

	expect_rejected_free(_metadata, self->fd, 0);
	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	/* Offset 0 starts the free chunk left in front of the allocation. */
	expect_rejected_free(_metadata, self->fd, 0);
}

TEST_F(af, free_flags_reserved)
{
	struct arena_free_args args = { .flags = 1 };
	struct arena_stats_args st;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 64, &off));
	args.offset = off;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_FREE, &args));
	args.flags = 0;
	args.reserved = 1;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_FREE, &args));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(1, st.chunks_used);
	ASSERT_EQ(0, st.free_ok);
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_FREE, NULL));
	ASSERT_EQ(0, ioc_free(self->fd, off));
}

TEST_F(af, stats_counters)
{
	struct arena_stats_args st;
	__u64 a, b, c;

	ASSERT_EQ(0, ioc_alloc(self->fd, 100, &a));
	ASSERT_EQ(0, ioc_alloc(self->fd, 1000, &b));
	ASSERT_EQ(0, ioc_alloc(self->fd, 5000, &c));
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd, REGION, NULL));
	ASSERT_EQ(0, ioc_free(self->fd, b));
	ASSERT_EQ(-EINVAL, ioc_free(self->fd, b));

	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(112 + 5008, st.used);
	EXPECT_EQ(REGION, st.used + st.free);
	EXPECT_EQ(REGION, st.total);
	EXPECT_EQ(2, st.chunks_used);
	/* Free: [0, c) and the hole b left between c and a. */
	EXPECT_EQ(2, st.chunks_free);
	EXPECT_EQ(REGION - 112 - 1008 - 5008, st.largest_free);
	EXPECT_EQ(ALIGN, st.align);
	EXPECT_EQ(3, st.alloc_ok);
	EXPECT_EQ(1, st.alloc_failed);
	EXPECT_EQ(1, st.free_ok);
	EXPECT_EQ(1, st.free_invalid);
	EXPECT_LT(0, st.metadata_bytes);

	ASSERT_EQ(0, ioc_free(self->fd, a));
	ASSERT_EQ(0, ioc_free(self->fd, c));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(1, st.chunks_free);
	EXPECT_EQ(REGION, st.largest_free);
	EXPECT_EQ(3, st.free_ok);
}

TEST_F(af, stats_bad_pointer)
{
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_STATS, NULL));
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_STATS, (void *)8));
}

TEST_HARNESS_MAIN
