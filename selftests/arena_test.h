/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the /dev/arena kselftests.
 *
 * The ioctl wrappers return 0 or a negative errno instead of -1 and errno,
 * so a test can compare the result of a call in one ASSERT_EQ().
 */
#ifndef ARENA_SELFTESTS_ARENA_TEST_H
#define ARENA_SELFTESTS_ARENA_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/arena.h>

#define ARENA_PARAM_DIR	"/sys/module/arena/parameters/"

static inline const char *arena_test_device(void)
{
	const char *dev = getenv("ARENA_DEVICE");

	return dev && *dev ? dev : "/dev/arena";
}

/*
 * Without the device there is nothing to test: every program skips as a
 * whole with kselftest's exit code 4 (KSFT_SKIP) before the harness runs.
 * (The 6.1 harness still runs a test after its fixture setup SKIP()s, so a
 * per-fixture SKIP would run every body without a device.)  Right after
 * arena.ko is loaded, the node may take a moment to appear.
 */
static void __attribute__((constructor)) arena_test_require_device(void)
{
	int tries = access("/sys/module/arena", F_OK) ? 1 : 100;

	while (tries--) {
		if (!access(arena_test_device(), F_OK))
			return;
		if (tries)
			usleep(10000);
	}
	printf("TAP version 13\n1..0 # SKIP %s: %s (is arena.ko loaded?)\n",
	       arena_test_device(), strerror(errno));
	fflush(stdout);
	_exit(4);	/* KSFT_SKIP */
}

static inline int arena_test_open(void)
{
	return open(arena_test_device(), O_RDWR | O_CLOEXEC);
}

static inline int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int ioc_setup_raw(int fd, __u64 size, __u64 align, __u32 flags,
				__u32 reserved)
{
	struct arena_setup_args args = {
		.size = size,
		.align = align,
		.flags = flags,
		.reserved = reserved,
	};

	return ioc(fd, ARENA_IOC_SETUP, &args);
}

static inline int ioc_setup(int fd, __u64 size, __u64 align)
{
	return ioc_setup_raw(fd, size, align, 0, 0);
}

static inline int ioc_alloc(int fd, __u64 size, __u64 *offset)
{
	struct arena_alloc_args args = { .size = size, .offset = ~0ULL };
	int ret = ioc(fd, ARENA_IOC_ALLOC, &args);

	if (!ret && offset)
		*offset = args.offset;
	return ret;
}

static inline int ioc_free(int fd, __u64 offset)
{
	struct arena_free_args args = { .offset = offset };

	return ioc(fd, ARENA_IOC_FREE, &args);
}

static inline int ioc_stats(int fd, struct arena_stats_args *st)
{
	memset(st, 0xa5, sizeof(*st));
	return ioc(fd, ARENA_IOC_STATS, st);
}

static inline int ioc_walk(int fd, struct arena_walk_entry *e, __u32 capacity,
			   __u64 start, struct arena_walk_args *out)
{
	struct arena_walk_args args = {
		.entries = (uintptr_t)e,
		.start = start,
		.capacity = capacity,
	};
	int ret = ioc(fd, ARENA_IOC_WALK, &args);

	if (out)
		*out = args;
	return ret;
}

/*
 * Walks the whole arena of @total bytes into e[0..max), ARENA_WALK_MAX
 * entries per call; returns the chunk count or a negative errno (-EIO if
 * the cursor does not follow the chunks reported).
 */
static inline int ioc_walk_all(int fd, struct arena_walk_entry *e, size_t max,
			       __u64 total)
{
	struct arena_walk_args args;
	__u64 start = 0;
	size_t n = 0;
	int ret;

	while (start < total) {
		size_t room = max - n;

		if (!room)
			return -ENOSPC;
		if (room > ARENA_WALK_MAX)
			room = ARENA_WALK_MAX;
		ret = ioc_walk(fd, e + n, room, start, &args);
		if (ret)
			return ret;
		if (!args.count || args.count > room)
			return -EIO;
		n += args.count;
		if (args.next != e[n - 1].offset + e[n - 1].size)
			return -EIO;
		start = args.next;
	}
	return (int)n;
}

/*
 * Checks a walk: chunks in offset order, contiguous from 0 to @total, no
 * empty chunk, no two free chunks adjacent, only known flags.  Returns NULL
 * or what is wrong.
 */
static inline const char *walk_check(const struct arena_walk_entry *e, int n,
				     __u64 total, __u64 align)
{
	__u64 at = 0;
	int i;

	if (n <= 0)
		return "no chunks";
	for (i = 0; i < n; i++) {
		if (e[i].offset != at)
			return "chunks not contiguous in offset order";
		if (!e[i].size || e[i].size % align || e[i].offset % align)
			return "chunk empty or not aligned";
		if (e[i].flags & ~ARENA_CHUNK_USED || e[i].reserved)
			return "unknown flag or non-zero reserved";
		if (i && !(e[i].flags & ARENA_CHUNK_USED) &&
		    !(e[i - 1].flags & ARENA_CHUNK_USED))
			return "two adjacent free chunks";
		at += e[i].size;
	}
	return at == total ? NULL : "chunks do not cover the region";
}

/* Writes @val to the file @path (sysfs, debugfs, cgroupfs): 0 or -errno. */
static inline int file_write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;
	size_t len = strlen(val);

	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int param_read(const char *name, __u64 *val)
{
	char path[128], buf[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), ARENA_PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -EIO;
	buf[len] = '\0';
	*val = strtoull(buf, NULL, 0);
	return 0;
}

static inline int param_write(const char *name, __u64 val)
{
	char path[128], buf[32];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), ARENA_PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)val);
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

#endif /* ARENA_SELFTESTS_ARENA_TEST_H */
