// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_BATCH: mixed operations with per-operation errors, the failed
 * count, and the malformed batches that must run nothing at all.
 */
#include <sys/mman.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16

FIXTURE(batch) {
	int fd;
};

FIXTURE_SETUP(batch)
{
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, REGION, ALIGN));
}

FIXTURE_TEARDOWN(batch)
{
	close(self->fd);
}

static int run_batch(int fd, struct arena_batch_op *ops, __u32 count,
		     __u32 *failed)
{
	struct arena_batch_args args = {
		.ops = (uintptr_t)ops,
		.count = count,
		.failed = ~0U,
	};
	int ret = ioc(fd, ARENA_IOC_BATCH, &args);

	if (failed)
		*failed = args.failed;
	return ret;
}

static struct arena_batch_op op_alloc(__u64 size)
{
	return (struct arena_batch_op){ .op = ARENA_BATCH_ALLOC, .arg = size,
					.offset = ~0ULL, .error = 1 };
}

static struct arena_batch_op op_free(__u64 offset)
{
	return (struct arena_batch_op){ .op = ARENA_BATCH_FREE, .arg = offset,
					.error = 1 };
}

TEST_F(batch, mixed_with_errors)
{
	struct arena_batch_op ops[7];
	struct arena_stats_args st;
	__u32 failed;

	ops[0] = op_alloc(64);
	ops[1] = op_alloc(100);
	ops[2] = op_alloc(0);
	ops[3] = op_free(REGION - 8);
	ops[4] = op_alloc(REGION);
	ops[5] = op_free(REGION - 64);	/* ops[0], carved from the tail */
	ops[6] = op_alloc(1);
	ASSERT_EQ(0, run_batch(self->fd, ops, 7, &failed));
	ASSERT_EQ(3, failed);
	EXPECT_EQ(0, ops[0].error);
	EXPECT_EQ(REGION - 64, ops[0].offset);
	EXPECT_EQ(0, ops[1].error);
	EXPECT_EQ(REGION - 64 - 112, ops[1].offset);
	EXPECT_EQ(-EINVAL, ops[2].error);
	EXPECT_EQ(-EINVAL, ops[3].error);
	EXPECT_EQ(-ENOMEM, ops[4].error);
	EXPECT_EQ(0, ops[5].error);
	EXPECT_EQ(0, ops[6].error);
	/* Best fit: the 64-byte hole ops[5] left, at its tail. */
	EXPECT_EQ(REGION - 16, ops[6].offset);

	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(112 + 16, st.used);
	EXPECT_EQ(2, st.chunks_used);
	EXPECT_EQ(3, st.alloc_ok);
	EXPECT_EQ(1, st.free_ok);
	EXPECT_EQ(1, st.free_invalid);
	EXPECT_LE(1, st.alloc_failed);

	/* The offsets returned are live allocations. */
	ASSERT_EQ(0, ioc_free(self->fd, ops[1].offset));
	ops[0] = op_free(ops[6].offset);
	ops[1] = op_free(ops[6].offset);
	ASSERT_EQ(0, run_batch(self->fd, ops, 2, &failed));
	ASSERT_EQ(1, failed);
	EXPECT_EQ(0, ops[0].error);
	EXPECT_EQ(-EINVAL, ops[1].error);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(1, st.chunks_free);
}

TEST_F(batch, all_succeed)
{
	struct arena_batch_op ops[ARENA_BATCH_MAX];
	struct arena_stats_args st;
	__u32 failed, i;

	for (i = 0; i < ARENA_BATCH_MAX; i++)
		ops[i] = op_alloc(ALIGN);
	ASSERT_EQ(0, run_batch(self->fd, ops, ARENA_BATCH_MAX, &failed));
	ASSERT_EQ(0, failed);
	for (i = 0; i < ARENA_BATCH_MAX; i++) {
		ASSERT_EQ(0, ops[i].error);
		ASSERT_EQ(REGION - (i + 1) * ALIGN, ops[i].offset);
	}
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(REGION, st.used);
	ASSERT_EQ(0, st.chunks_free);
	ASSERT_EQ(ARENA_BATCH_MAX, st.chunks_used);

	for (i = 0; i < ARENA_BATCH_MAX; i++)
		ops[i] = op_free(ops[i].offset);
	ASSERT_EQ(0, run_batch(self->fd, ops, ARENA_BATCH_MAX, &failed));
	ASSERT_EQ(0, failed);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(0, st.used);
	ASSERT_EQ(1, st.chunks_free);
}

TEST_F(batch, failed_counts_every_error)
{
	struct arena_batch_op ops[64];
	__u32 failed, i, errors = 0;

	/* 64 allocations of 1 KiB into 64 KiB, with every fifth invalid. */
	for (i = 0; i < 64; i++)
		ops[i] = i % 5 ? op_alloc(1024) : op_free(i * ALIGN + 8);
	ops[63] = op_alloc(1024);
	ASSERT_EQ(0, run_batch(self->fd, ops, 64, &failed));
	for (i = 0; i < 64; i++) {
		if (ops[i].error) {
			errors++;
			EXPECT_EQ(-EINVAL, ops[i].error);
		}
	}
	ASSERT_EQ(13, errors);
	ASSERT_EQ(errors, failed);
}

static void expect_nothing_ran(struct __test_metadata *_metadata, int fd)
{
	struct arena_stats_args st;

	ASSERT_EQ(0, ioc_stats(fd, &st));
	EXPECT_EQ(0, st.chunks_used);
	EXPECT_EQ(0, st.alloc_ok);
	EXPECT_EQ(0, st.alloc_failed);
	EXPECT_EQ(0, st.free_invalid);
}

TEST_F(batch, count_zero_or_too_big)
{
	static struct arena_batch_op ops[ARENA_BATCH_MAX + 1];
	__u32 i;

	for (i = 0; i <= ARENA_BATCH_MAX; i++)
		ops[i] = op_alloc(1);
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, 0, NULL));
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, ARENA_BATCH_MAX + 1, NULL));
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, ~0U, NULL));
	expect_nothing_ran(_metadata, self->fd);
}

TEST_F(batch, unknown_op_runs_nothing)
{
	struct arena_batch_op ops[3] = { op_alloc(64), op_free(0), op_alloc(64) };

	ops[1].op = 3;
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, 3, NULL));
	expect_nothing_ran(_metadata, self->fd);
	ops[1].op = 0;
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, 3, NULL));
	expect_nothing_ran(_metadata, self->fd);
}

TEST_F(batch, reserved_runs_nothing)
{
	struct arena_batch_op ops[2] = { op_alloc(64), op_alloc(64) };

	ops[1].reserved = 1;
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, 2, NULL));
	expect_nothing_ran(_metadata, self->fd);
	ops[1].reserved = 0;
	ops[1].pad = 1;
	ASSERT_EQ(-EINVAL, run_batch(self->fd, ops, 2, NULL));
	expect_nothing_ran(_metadata, self->fd);
}

TEST_F(batch, args_flags_reserved)
{
	struct arena_batch_op op = op_alloc(64);
	struct arena_batch_args args = {
		.ops = (uintptr_t)&op,
		.count = 1,
		.flags = 1,
	};

	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_BATCH, &args));
	args.flags = 0;
	args.reserved = 1;
	ASSERT_EQ(-EINVAL, ioc(self->fd, ARENA_IOC_BATCH, &args));
	expect_nothing_ran(_metadata, self->fd);
}

TEST_F(batch, bad_pointers)
{
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_BATCH, NULL));
	ASSERT_EQ(-EFAULT, run_batch(self->fd, NULL, 1, NULL));
	ASSERT_EQ(-EFAULT, run_batch(self->fd, (void *)16, 4, NULL));
	expect_nothing_ran(_metadata, self->fd);
}

/* The array can be read but not written back: nothing may have run. */
TEST_F(batch, readonly_ops_runs_nothing)
{
	struct arena_batch_op *ops;

	ops = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ops);
	ops[0] = op_alloc(64);
	ops[1] = op_alloc(64);
	ASSERT_EQ(0, mprotect(ops, 4096, PROT_READ));
	ASSERT_EQ(-EFAULT, run_batch(self->fd, ops, 2, NULL));
	munmap(ops, 4096);
	expect_nothing_ran(_metadata, self->fd);
}

TEST_HARNESS_MAIN
