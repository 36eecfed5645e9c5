/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tests of what can be seen from outside an arena:
 * /proc/<pid>/fdinfo/<fd> and the read-only module parameters.
 */
#ifndef ARENA_SELFTESTS_ARENA_OBSERVE_H
#define ARENA_SELFTESTS_ARENA_OBSERVE_H

#include "arena_test.h"

/* The contract keys of an arena fd's fdinfo, in the order STATS names them. */
static const char *const fdinfo_keys[] = {
	"arena-size", "arena-used", "arena-free", "arena-align",
	"arena-chunks-used", "arena-chunks-free", "arena-largest-free",
	"arena-metadata",
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define NR_FDINFO_KEYS	ARRAY_SIZE(fdinfo_keys)

/* Reads /proc/self/fdinfo/<fd> into buf; returns 0 or -errno. */
static inline int fdinfo_read(int fd, char *buf, size_t size)
{
	char path[64];
	ssize_t len;
	int ifd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ifd = open(path, O_RDONLY | O_CLOEXEC);
	if (ifd < 0)
		return -errno;
	len = read(ifd, buf, size - 1);
	close(ifd);
	if (len < 0)
		return -errno;
	buf[len] = '\0';
	return 0;
}

/*
 * The value of "key:\tvalue" in fdinfo text.  Returns 0, -ENOENT when the
 * key is missing, -EIO when its line is not in the kernel's form.
 */
static inline int fdinfo_parse(const char *text, const char *key, __u64 *val)
{
	size_t klen = strlen(key);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		char *end;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (line[klen + 1] != '\t')
			return -EIO;
		*val = strtoull(line + klen + 2, &end, 10);
		return *end == '\n' || !*end ? 0 : -EIO;
	}
	return -ENOENT;
}

/* One key of /proc/self/fdinfo/<fd>: 0, -ENOENT, -EIO or -errno. */
static inline int fdinfo_get(int fd, const char *key, __u64 *val)
{
	char buf[4096];
	int ret = fdinfo_read(fd, buf, sizeof(buf));

	return ret ? ret : fdinfo_parse(buf, key, val);
}

/* Every contract key from one read (one snapshot): 0 or as fdinfo_get(). */
static inline int fdinfo_snapshot(int fd, __u64 *vals)
{
	char buf[4096];
	int ret = fdinfo_read(fd, buf, sizeof(buf));
	size_t i;

	for (i = 0; !ret && i < NR_FDINFO_KEYS; i++)
		ret = fdinfo_parse(buf, fdinfo_keys[i], &vals[i]);
	return ret;
}

/* STATS' value for fdinfo_keys[i]. */
static inline __u64 stats_field(const struct arena_stats_args *st, size_t i)
{
	const __u64 v[] = {
		st->total, st->used, st->free, st->align, st->chunks_used,
		st->chunks_free, st->largest_free, st->metadata_bytes,
	};

	return v[i];
}

/*
 * Compares every contract key of fd's fdinfo with STATS.  Returns NULL or
 * the first key that differs (or cannot be read); *got and *want say how.
 */
static inline const char *fdinfo_vs_stats(int fd, __u64 *got, __u64 *want)
{
	struct arena_stats_args st;
	size_t i;

	if (ioc_stats(fd, &st))
		return "ARENA_IOC_STATS";
	for (i = 0; i < NR_FDINFO_KEYS; i++) {
		*want = stats_field(&st, i);
		if (fdinfo_get(fd, fdinfo_keys[i], got) || *got != *want)
			return fdinfo_keys[i];
	}
	return NULL;
}

/* The read-only global view: -1 when it cannot be read. */
static inline long long global_total(void)
{
	__u64 v = 0;

	return param_read("total_bytes", &v) ? -1 : (long long)v;
}

static inline long long global_arenas(void)
{
	__u64 v = 0;

	return param_read("arenas", &v) ? -1 : (long long)v;
}

#endif /* ARENA_SELFTESTS_ARENA_OBSERVE_H */
