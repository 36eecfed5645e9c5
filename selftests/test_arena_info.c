// SPDX-License-Identifier: GPL-2.0
/*
 * ARENA_IOC_INFO: the ABI version, feature bits and limits it reports match
 * <linux/arena.h> and the module parameters, its reserved fields are zero,
 * it never sets an arena up, and libarena reports the same.
 */
#include "libarena.h"
#include "arena_test.h"

#include "kselftest_harness.h"

/* Every feature this release of the module has. */
#define ARENA_TEST_FEATURES	(ARENA_FEATURE_BATCH | ARENA_FEATURE_WALK | \
				 ARENA_FEATURE_MMAP_CHUNK | ARENA_FEATURE_REVOKE | \
				 ARENA_FEATURE_ZERO_ON_FREE | ARENA_FEATURE_MEMLOCK)

static int ioc_info(int fd, struct arena_info_args *info)
{
	memset(info, 0xa5, sizeof(*info));
	return ioc(fd, ARENA_IOC_INFO, info);
}

FIXTURE(info) {
	int fd;
	struct arena_info_args info;
};

FIXTURE_SETUP(info)
{
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", arena_test_device(),
				      strerror(errno));
	ASSERT_EQ(0, ioc_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(info)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(info, abi_version)
{
	ASSERT_EQ(ARENA_ABI_MAJOR, self->info.abi_major);
	ASSERT_EQ(ARENA_ABI_MINOR, self->info.abi_minor);
}

TEST_F(info, module_version_is_the_release)
{
	char v[48];

	snprintf(v, sizeof(v), "%u.%u.%u", self->info.version_major,
		 self->info.version_minor, self->info.version_patch);
	ASSERT_STREQ(ARENA_PKG_VERSION, v);
}

TEST_F(info, features)
{
	__u64 f = self->info.features;

	ASSERT_EQ(ARENA_TEST_FEATURES, f & ARENA_TEST_FEATURES);
#ifdef __x86_64__
	/* Debian's x86-64 kernels have CONFIG_COMPAT: 32-bit callers work. */
	ASSERT_TRUE(f & ARENA_FEATURE_COMPAT32);
#endif
	/* No bit beyond the ones <linux/arena.h> defines. */
	ASSERT_EQ(0, f & ~(ARENA_TEST_FEATURES | ARENA_FEATURE_COMPAT32));
}

TEST_F(info, limits)
{
	__u64 cap = 0;

	ASSERT_EQ(ARENA_MAX_ALIGN, self->info.max_align);
	ASSERT_EQ(ARENA_BATCH_MAX, self->info.batch_max);
	ASSERT_EQ(ARENA_WALK_MAX, self->info.walk_max);
	ASSERT_EQ(0, param_read("max_total_bytes", &cap));
	ASSERT_EQ(cap, self->info.max_total_bytes);
}

TEST_F(info, reserved_zero)
{
	unsigned int i;

	ASSERT_EQ(0, self->info.reserved0);
	for (i = 0; i < ARRAY_SIZE(self->info.reserved); i++)
		ASSERT_EQ(0, self->info.reserved[i]) TH_LOG("reserved[%u]", i);
}

TEST_F(info, layout)
{
	/* Fixed-size fields only: one layout for 32- and 64-bit callers. */
	ASSERT_EQ(128, sizeof(struct arena_info_args));
	ASSERT_EQ(8, __builtin_offsetof(struct arena_info_args, features));
	ASSERT_EQ(32, __builtin_offsetof(struct arena_info_args, max_align));
	ASSERT_EQ(64, __builtin_offsetof(struct arena_info_args, reserved));
}

/* INFO before SETUP sets nothing up: a SETUP of a non-default size follows. */
TEST_F(info, no_implicit_setup)
{
	struct arena_stats_args st;
	__u64 def = 0;

	ASSERT_EQ(0, param_read("default_size", &def));
	ASSERT_EQ(0, ioc_info(self->fd, &self->info));
	ASSERT_EQ(0, ioc_setup(self->fd, def + 4096, 16));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(def + 4096, st.total);
}

/* ... and after SETUP it reports the same. */
TEST_F(info, after_setup)
{
	struct arena_info_args again;

	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	ASSERT_EQ(0, ioc_info(self->fd, &again));
	ASSERT_EQ(0, memcmp(&self->info, &again, sizeof(again)));
}

TEST_F(info, tracks_max_total_bytes)
{
	__u64 cap = 0;

	ASSERT_EQ(0, param_read("max_total_bytes", &cap));
	ASSERT_EQ(0, param_write("max_total_bytes", cap / 2));
	EXPECT_EQ(0, ioc_info(self->fd, &self->info));
	EXPECT_EQ(cap / 2, self->info.max_total_bytes);
	ASSERT_EQ(0, param_write("max_total_bytes", cap));
}

TEST_F(info, bad_pointer)
{
	ASSERT_EQ(-EFAULT, ioc(self->fd, ARENA_IOC_INFO, NULL));
}

TEST(library_versions)
{
	struct arena_module_info mi;
	char v[48];

	ASSERT_STREQ(ARENA_PKG_VERSION, arena_version());
	ASSERT_EQ(0, arena_module_info(&mi)) TH_LOG("%s", strerror(errno));
	snprintf(v, sizeof(v), "%s", mi.version);
	ASSERT_STREQ(ARENA_PKG_VERSION, v);
	ASSERT_EQ(ARENA_ABI_MAJOR, mi.abi_major);
	ASSERT_EQ(ARENA_ABI_MINOR, mi.abi_minor);
	ASSERT_EQ(ARENA_BATCH_MAX, mi.batch_max);
	ASSERT_EQ(ARENA_WALK_MAX, mi.walk_max);
	ASSERT_EQ(ARENA_MAX_ALIGN, mi.max_align);
	ASSERT_TRUE(mi.features & ARENA_FEATURE_BATCH);
}

TEST_HARNESS_MAIN
