// SPDX-License-Identifier: GPL-2.0
/*
 * The module cannot be removed while an arena is open or mapped, and can
 * once the last reference is gone.  It is loaded again from $ARENA_KO
 * afterwards so that later tests still find /dev/arena.
 *
 * Needs no other user of the module: the guest runs one test at a time.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define MODULE_DIR	"/sys/module/arena"

static bool module_loaded(void)
{
	struct stat st;

	return !stat(MODULE_DIR, &st);
}

static int unload(void)
{
	return syscall(__NR_delete_module, "arena", O_NONBLOCK) ? -errno : 0;
}

static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Opening right after the load: the device node may take a moment. */
static int open_retry(void)
{
	int fd, i;

	for (i = 0; i < 100; i++) {
		fd = arena_test_open();
		if (fd >= 0 || errno != ENOENT)
			return fd;
		usleep(10000);
	}
	return -1;
}

static bool busy(int err)
{
	return err == -EWOULDBLOCK || err == -EBUSY;
}

FIXTURE(rmmod) {
	const char *ko;
	int fd;
};

FIXTURE_SETUP(rmmod)
{
	self->fd = -1;
	self->ko = getenv("ARENA_KO");
}

/* Module references held by others (modules using arena, open files). */
static __u64 module_refcnt(void)
{
	char buf[32] = "";
	int fd;

	fd = open(MODULE_DIR "/refcnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ~0ULL;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? strtoull(buf, NULL, 10) : ~0ULL;
}

FIXTURE_TEARDOWN(rmmod)
{
	if (self->fd >= 0)
		close(self->fd);
	/* Whatever happened, leave the module loaded for the next tests. */
	if (self->ko && !module_loaded())
		EXPECT_EQ(0, load(self->ko));
}

TEST_F(rmmod, refused_while_open_or_mapped)
{
	struct arena_stats_args st;
	__u64 refcnt;
	void *p;

	if (!self->ko || !*self->ko)
		SKIP(return, "ARENA_KO is not set");
	ASSERT_TRUE(module_loaded());
	refcnt = module_refcnt();
	if (refcnt)
		SKIP(return, "arena is in use (refcnt %llu)",
		     (unsigned long long)refcnt);

	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	ASSERT_TRUE(busy(unload()));
	ASSERT_TRUE(module_loaded());
	/* Still fully working after the refused attempt. */
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(65536, st.total);

	/* A mapping keeps the file, and so the module, after close(). */
	p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(self->fd);
	self->fd = -1;
	ASSERT_TRUE(busy(unload()));
	memset(p, 0x3c, 65536);
	ASSERT_EQ(0, munmap(p, 65536));

	ASSERT_EQ(0, unload());
	ASSERT_FALSE(module_loaded());
	ASSERT_GT(0, arena_test_open());

	ASSERT_EQ(0, load(self->ko));
	self->fd = open_retry();
	ASSERT_LE(0, self->fd) TH_LOG("open after reload: %s", strerror(errno));
	ASSERT_EQ(0, ioc_setup(self->fd, 65536, 16));
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	ASSERT_EQ(0, st.alloc_ok);
}

TEST_HARNESS_MAIN
