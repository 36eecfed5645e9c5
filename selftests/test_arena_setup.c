// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_SETUP: argument checks, the one-setup rule, the module-wide
 * max_total_bytes cap, the implicit setup with the module defaults, and
 * commands the device does not know.
 */
#include "arena_test.h"

#include "kselftest_harness.h"

FIXTURE(setup) {
	int fd;
};

FIXTURE_SETUP(setup)
{
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", arena_test_device(),
				      strerror(errno));
}

FIXTURE_TEARDOWN(setup)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* A rejected SETUP must leave the file unconfigured: a good one follows. */
static int setup_then_good(int fd, __u64 size, __u64 align, __u32 flags,
			   __u32 reserved)
{
	int ret = ioc_setup_raw(fd, size, align, flags, reserved);

	if (ret != -EINVAL)
		return ret ? ret : 1;
	return ioc_setup(fd, 65536, 16);
}

TEST_F(setup, size_zero)
{
	ASSERT_EQ(0, setup_then_good(self->fd, 0, 16, 0, 0));
}

TEST_F(setup, size_not_multiple_of_align)
{
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 100, 16));
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 4097, 4096));
	ASSERT_EQ(0, setup_then_good(self->fd, 65536 + 8, 16, 0, 0));
}

TEST_F(setup, align_zero)
{
	ASSERT_EQ(0, setup_then_good(self->fd, 65536, 0, 0, 0));
}

TEST_F(setup, align_not_power_of_two)
{
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 3 * 4096, 3));
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 24 * 4096, 24));
	ASSERT_EQ(0, setup_then_good(self->fd, 96 * 4096, 96, 0, 0));
}

TEST_F(setup, align_above_max)
{
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 16 * ARENA_MAX_ALIGN,
				     2 * ARENA_MAX_ALIGN));
	ASSERT_EQ(-EINVAL, ioc_setup(self->fd, 1ULL << 40, 1ULL << 32));
	ASSERT_EQ(0, setup_then_good(self->fd, 1ULL << 20, 1ULL << 63, 0, 0));
}

TEST_F(setup, flags_nonzero)
{
	/* Every bit but ARENA_SETUP_ZERO_ON_FREE is unknown. */
	ASSERT_EQ(-EINVAL, ioc_setup_raw(self->fd, 65536, 16, 1U << 31, 0));
	ASSERT_EQ(0, setup_then_good(self->fd, 65536, 16,
				     ~ARENA_SETUP_FLAGS & 0xffffffffU, 0));
	ASSERT_EQ(-EINVAL, ioc_setup_raw(self->fd, 65536, 16, 1U << 1, 0));
}

TEST_F(setup, reserved_nonzero)
{
	ASSERT_EQ(0, setup_then_good(self->fd, 65536, 16, 0, 1));
}

TEST_F(setup, max_align_and_align_one)
{
	struct arena_stats_args st;
	int fd2;

	ASSERT_EQ(0, ioc_setup(self->fd, 4 * ARENA_MAX_ALIGN, ARENA_MAX_ALIGN));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(ARENA_MAX_ALIGN, st.align);
	ASSERT_EQ(4 * ARENA_MAX_ALIGN, st.total);

	fd2 = arena_test_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ioc_setup(fd2, 12345, 1));
	ASSERT_EQ(0, ioc_stats(fd2, &st));
	close(fd2);
	ASSERT_EQ(1, st.align);
	ASSERT_EQ(12345, st.total);
}

TEST_F(setup, initial_stats)
{
	struct arena_stats_args st;
	int i;

	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 64));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(65536, st.free);
	EXPECT_EQ(65536, st.total);
	EXPECT_EQ(0, st.chunks_used);
	EXPECT_EQ(1, st.chunks_free);
	EXPECT_EQ(65536, st.largest_free);
	EXPECT_EQ(64, st.align);
	EXPECT_EQ(0, st.alloc_ok);
	EXPECT_EQ(0, st.alloc_failed);
	EXPECT_EQ(0, st.free_ok);
	EXPECT_EQ(0, st.free_invalid);
	EXPECT_LT(0, st.metadata_bytes);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, st.reserved[i]);
}

TEST_F(setup, second_setup_busy)
{
	struct arena_stats_args st;

	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	ASSERT_EQ(-EBUSY, ioc_setup(self->fd, 65536, 16));
	ASSERT_EQ(-EBUSY, ioc_setup(self->fd, 8192, 4096));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(65536, st.total);
	ASSERT_EQ(16, st.align);
}

TEST_F(setup, each_open_is_its_own_arena)
{
	struct arena_stats_args st;
	__u64 off;
	int fd2;

	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	fd2 = arena_test_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ioc_setup(fd2, 8192, 4096));
	ASSERT_EQ(0, ioc_alloc(fd2, 4096, &off));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	close(fd2);
	ASSERT_EQ(0, st.chunks_used);
	ASSERT_EQ(65536, st.total);
}

TEST_F(setup, above_max_total_bytes)
{
	__u64 max = 0;

	ASSERT_EQ(0, param_read("max_total_bytes", &max));
	ASSERT_EQ(-ENOMEM, ioc_setup(self->fd, (max / 4096 + 1) * 4096, 4096));
	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
}

TEST_F(setup, size_overflows)
{
	int ret = ioc_setup(self->fd, ~0ULL << 12, 4096);

	ASSERT_TRUE(ret == -ENOMEM || ret == -EINVAL) TH_LOG("ret %d", ret);
	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
}

/* The cap is on the sum of all regions, and a closed arena gives back its share. */
FIXTURE(cap) {
	__u64 saved;
	bool changed;
	int fd[3];
};

FIXTURE_SETUP(cap)
{
	int i;

	for (i = 0; i < 3; i++)
		self->fd[i] = -1;
	ASSERT_EQ(0, param_read("max_total_bytes", &self->saved));
	ASSERT_EQ(0, param_write("max_total_bytes", 256 * 1024));
	self->changed = true;
	for (i = 0; i < 3; i++) {
		self->fd[i] = arena_test_open();
		ASSERT_LE(0, self->fd[i]);
	}
}

FIXTURE_TEARDOWN(cap)
{
	int i;

	for (i = 0; i < 3; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	if (self->changed)
		EXPECT_EQ(0, param_write("max_total_bytes", self->saved));
}

TEST_F(cap, shared_by_all_arenas)
{
	ASSERT_EQ(-ENOMEM, ioc_setup(self->fd[0], 512 * 1024, 4096));
	ASSERT_EQ(0, ioc_setup(self->fd[0], 192 * 1024, 4096));
	ASSERT_EQ(-ENOMEM, ioc_setup(self->fd[1], 128 * 1024, 4096));
	ASSERT_EQ(0, ioc_setup(self->fd[1], 32 * 1024, 4096));
	ASSERT_EQ(-ENOMEM, ioc_setup(self->fd[2], 64 * 1024, 4096));
	close(self->fd[0]);
	self->fd[0] = -1;
	ASSERT_EQ(0, ioc_setup(self->fd[2], 192 * 1024, 4096));
}

TEST_F(cap, implicit_setup_counts)
{
	struct arena_stats_args st;
	__u64 def = 0, off;

	ASSERT_EQ(0, param_read("default_size", &def));
	/* Room for one default region and its bookkeeping (two pages). */
	ASSERT_EQ(0, param_write("max_total_bytes", def + 3 * 4096));
	/* The first implicit setup fits, the second would exceed the cap. */
	ASSERT_EQ(0, ioc_alloc(self->fd[0], 16, &off));
	ASSERT_EQ(0, ioc_stats(self->fd[0], &st));
	ASSERT_EQ(def, st.total);
	ASSERT_EQ(-ENOMEM, ioc_alloc(self->fd[1], 16, &off));
	/* The refused setup gave its share back: a small one still fits. */
	ASSERT_EQ(0, ioc_setup(self->fd[1], 4096, 4096));
}

/* The cap counts the bookkeeping too: a region that fits alone does not fit with it. */
TEST_F(cap, bookkeeping_counts)
{
	ASSERT_EQ(-ENOMEM, ioc_setup(self->fd[0], 256 * 1024, 4096));
	ASSERT_EQ(0, ioc_setup(self->fd[0], 256 * 1024 - 2 * 4096, 4096));
}

FIXTURE(implicit) {
	__u64 size;
	__u64 align;
	int fd;
};

FIXTURE_SETUP(implicit)
{
	ASSERT_EQ(0, param_read("default_size", &self->size));
	ASSERT_EQ(0, param_read("default_align", &self->align));
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(implicit)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* Set up with the module's defaults, and so for good. */
static void check_defaults(struct __test_metadata *_metadata, int fd,
			   __u64 size, __u64 align)
{
	struct arena_stats_args st;

	ASSERT_EQ(0, ioc_stats(fd, &st));
	ASSERT_EQ(size, st.total);
	ASSERT_EQ(align, st.align);
	ASSERT_EQ(-EBUSY, ioc_setup(fd, 4096, 16));
}

TEST_F(implicit, alloc_before_setup)
{
	struct arena_stats_args st;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 100, &off));
	ASSERT_EQ(0, off % self->align);
	check_defaults(_metadata, self->fd, self->size, self->align);
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(1, st.chunks_used);
	ASSERT_EQ(0, ioc_free(self->fd, off));
}

/* STATS and WALK only look: an arena that is not set up reports empty. */
static void check_not_set_up(struct __test_metadata *_metadata, int fd)
{
	struct arena_stats_args st;

	memset(&st, 0xff, sizeof(st));
	ASSERT_EQ(0, ioc_stats(fd, &st));
	ASSERT_EQ(0, st.total);
	ASSERT_EQ(0, st.align);
	ASSERT_EQ(0, st.metadata_bytes);
	/* Not set up by looking: a SETUP of another size still works. */
	ASSERT_EQ(0, ioc_setup(fd, 8192, 64));
	ASSERT_EQ(0, ioc_stats(fd, &st));
	ASSERT_EQ(8192, st.total);
}

TEST_F(implicit, stats_before_setup)
{
	check_not_set_up(_metadata, self->fd);
}

TEST_F(implicit, free_before_setup)
{
	ASSERT_EQ(-EINVAL, ioc_free(self->fd, 0));
	check_defaults(_metadata, self->fd, self->size, self->align);
}

TEST_F(implicit, walk_before_setup)
{
	struct arena_walk_entry e[2];
	struct arena_walk_args args;

	ASSERT_EQ(0, ioc_walk(self->fd, e, 2, 0, &args));
	ASSERT_EQ(0, args.count);
	ASSERT_EQ(0, args.next);
	check_not_set_up(_metadata, self->fd);
}

TEST_F(implicit, batch_before_setup)
{
	struct arena_batch_op op = { .op = ARENA_BATCH_ALLOC, .arg = 1 };
	struct arena_batch_args args = {
		.ops = (uintptr_t)&op,
		.count = 1,
	};

	ASSERT_EQ(0, ioc(self->fd, ARENA_IOC_BATCH, &args));
	ASSERT_EQ(0, args.failed);
	ASSERT_EQ(0, op.error);
	check_defaults(_metadata, self->fd, self->size, self->align);
}

TEST_F(setup, unknown_ioctl)
{
	struct arena_alloc_args alloc = { .size = 16 };
	char buf[64] = { 0 };

	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IO(ARENA_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IO(ARENA_IOC_MAGIC, 0), NULL));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOWR('x', 0x02, buf), buf));
	/* Right number, wrong size or direction: a different command. */
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOWR(ARENA_IOC_MAGIC, 0x02, buf),
			       buf));
	EXPECT_EQ(-ENOTTY, ioc(self->fd, _IOR(ARENA_IOC_MAGIC, 0x02,
					      struct arena_alloc_args), &alloc));
}

TEST_F(setup, bad_pointer)
{
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_SETUP, NULL));
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_SETUP, (void *)8));
	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
}

TEST_HARNESS_MAIN
