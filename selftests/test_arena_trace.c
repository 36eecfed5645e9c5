// SPDX-License-Identifier: GPL-2.0
/*
 * The trace events of the "arena" trace system, read back from tracefs:
 * every ALLOC, FREE, BATCH operation and a failed ALLOC appears, in
 * order, with the arena's id (from fdinfo), offsets and sizes, and SETUP
 * and release bracket them.  Skipped when the kernel has no tracefs.
 * Runs in a trace instance of its own, pinned to one CPU so that the
 * per-CPU buffers read back in program order.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "arena_observe.h"

#include "kselftest_harness.h"

#define MAX_EVENTS	32
#define LINE		256

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (*val && write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

/* Where tracefs is, mounting it if needed; NULL without tracefs. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
		if (i == 0 && !mount("nodev", dirs[0], "tracefs", 0, NULL) &&
		    !access(path, F_OK))
			return dirs[0];
	}
	return NULL;
}

FIXTURE(trace) {
	char dir[256];		/* the instance's directory */
	const char *missing;	/* why the test is skipped */
	char *text;		/* the trace, as last read */
};

FIXTURE_SETUP(trace)
{
	const char *root = tracefs();
	char path[512];
	cpu_set_t cpus;

	self->missing = NULL;
	self->text = NULL;
	self->dir[0] = '\0';
	if (!root) {
		self->missing = "tracefs";
		return;
	}
	snprintf(path, sizeof(path), "%s/events/arena/arena_alloc", root);
	if (access(path, F_OK)) {
		self->missing = "the arena trace events";
		return;
	}
	snprintf(self->dir, sizeof(self->dir), "%s/instances/arena_test_%d",
		 root, getpid());
	ASSERT_EQ(0, mkdir(self->dir, 0755)) TH_LOG("mkdir %s: %s", self->dir,
						    strerror(errno));
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpus), &cpus));
	ASSERT_EQ(0, write_file(self->dir, "trace", ""));
	ASSERT_EQ(0, write_file(self->dir, "events/arena/enable", "1"));
}

FIXTURE_TEARDOWN(trace)
{
	free(self->text);
	if (self->dir[0]) {
		write_file(self->dir, "events/arena/enable", "0");
		rmdir(self->dir);
	}
}

/* Reads the trace of instance @dir into *text (freeing the old one). */
static int read_trace(const char *dir, char **text)
{
	size_t len = 0, cap = 1 << 16;
	char path[512], *buf;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	free(*text);
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	close(fd);
	*text = buf;
	if (!buf)
		return -ENOMEM;
	buf[len] = '\0';
	return 0;
}

/*
 * The events of arena @id in @text (which is cut into lines), each from
 * its name on ("arena_alloc: arena=1 offset=..."), into ev[0..max).
 * Returns the count.
 */
static int arena_events(char *text, __u64 id, char ev[][LINE], int max)
{
	char token[32], *line, *save = NULL;
	int n = 0;

	snprintf(token, sizeof(token), " arena=%llu ", (unsigned long long)id);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = strstr(line, ": arena_");

		if (line[0] == '#' || !name || !strstr(name, token))
			continue;
		if (n < max)
			snprintf(ev[n], LINE, "%s", name + 2);
		n++;
	}
	return n;
}

TEST_F(trace, alloc_free_batch_failed)
{
	char want[MAX_EVENTS][LINE], got[MAX_EVENTS][LINE];
	struct arena_batch_op ops[3] = {
		{ .op = ARENA_BATCH_ALLOC, .arg = 40 },
		{ .op = ARENA_BATCH_ALLOC, .arg = 50 },
		{ .op = ARENA_BATCH_FREE },
	};
	struct arena_batch_args batch = { .ops = (uintptr_t)ops, .count = 3 };
	struct arena_stats_args st;
	__u64 id = 0, o1, o2;
	int fd, n = 0, i, got_n;

	if (self->missing)
		SKIP(return, "no %s", self->missing);
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 65536, 16));
	ASSERT_EQ(0, fdinfo_get(fd, "arena-id", &id));
	ASSERT_NE(0, id);
#define WANT(...) snprintf(want[n++], LINE, __VA_ARGS__)
	WANT("arena_setup: arena=%llu size=65536 align=16 region_bytes=65536", id);

	ASSERT_EQ(0, ioc_alloc(fd, 100, &o1));
	WANT("arena_alloc: arena=%llu offset=%llu bytes_req=100 bytes_alloc=112 err=0",
	     id, o1);
	ASSERT_EQ(0, ioc_alloc(fd, 1000, &o2));
	WANT("arena_alloc: arena=%llu offset=%llu bytes_req=1000 bytes_alloc=1008 err=0",
	     id, o2);
	ASSERT_EQ(0, ioc_free(fd, o1));
	WANT("arena_free: arena=%llu offset=%llu bytes=112 err=0", id, o1);
	ASSERT_EQ(-EINVAL, ioc_free(fd, o1));
	WANT("arena_free: arena=%llu offset=%llu bytes=0 err=-22", id, o1);

	ops[2].arg = o2;
	ASSERT_EQ(0, ioc(fd, ARENA_IOC_BATCH, &batch));
	ASSERT_EQ(0, batch.failed);
	WANT("arena_alloc: arena=%llu offset=%llu bytes_req=40 bytes_alloc=48 err=0",
	     id, ops[0].offset);
	WANT("arena_alloc: arena=%llu offset=%llu bytes_req=50 bytes_alloc=64 err=0",
	     id, ops[1].offset);
	WANT("arena_free: arena=%llu offset=%llu bytes=1008 err=0", id, o2);

	/* The whole region cannot fit any more: no space. */
	ASSERT_EQ(0, ioc_stats(fd, &st));
	ASSERT_EQ(-ENOMEM, ioc_alloc(fd, 65536, NULL));
	WANT("arena_alloc: arena=%llu offset=0 bytes_req=65536 bytes_alloc=0 err=-12", id);
	WANT("arena_alloc_failed: arena=%llu bytes_req=65536 free=%llu largest_free=%llu err=-12",
	     id, st.free, st.largest_free);
	close(fd);
	WANT("arena_release: arena=%llu size=65536 align=16 region_bytes=65536", id);
#undef WANT

	ASSERT_EQ(0, read_trace(self->dir, &self->text));
	got_n = arena_events(self->text, id, got, MAX_EVENTS);
	for (i = 0; i < n && i < got_n; i++)
		EXPECT_STREQ(want[i], got[i]) TH_LOG("event %d", i);
	ASSERT_EQ(n, got_n);
}

#define KTEST_API	"/lib/arena/ktest_arena_api.ko"

/*
 * bump_arena_block, from the bump arenas of the in-kernel API test module:
 * per bump arena, blocks count up from 1 and usage is the running sum of
 * the block sizes plus one pointer each.  A block numbered 1 starts a new
 * arena (its memory may be a destroyed one's, and so print the same).
 */
TEST_F_TIMEOUT(trace, bump_arena_block, 600)
{
	struct { char bump[40]; unsigned long long blocks, usage; } seen[64];
	int nseen = 0, events = 0, arenas = 0, i;
	char *line, *save = NULL;

	if (self->missing)
		SKIP(return, "no %s", self->missing);
	if (access(KTEST_API, F_OK))
		SKIP(return, "no %s", KTEST_API);
	/* Only these: the module's arena_alloc events would overwrite them. */
	ASSERT_EQ(0, write_file(self->dir, "events/arena/enable", "0"));
	ASSERT_EQ(0, write_file(self->dir, "events/arena/bump_arena_block/enable", "1"));
	ASSERT_EQ(0, system("insmod " KTEST_API " && rmmod ktest_arena_api"));
	ASSERT_EQ(0, read_trace(self->dir, &self->text));
	for (line = strtok_r(self->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long bytes, blocks, usage;
		char *ev = strstr(line, ": bump_arena_block: ");
		char bump[40];
		int fields;

		if (!ev)
			continue;
		fields = sscanf(ev,
				": bump_arena_block: bump=%39s bytes=%llu nr_blocks=%llu usage=%llu",
				bump, &bytes, &blocks, &usage);
		ASSERT_EQ(4, fields) TH_LOG("%s", ev);
		events++;
		/* Pointers print hashed; before the hash key exists, all alike. */
		if (strstr(bump, "ptrval"))
			continue;
		for (i = 0; i < nseen && strcmp(seen[i].bump, bump); i++)
			;
		if (i == nseen) {
			ASSERT_GT(64, nseen);
			snprintf(seen[i].bump, sizeof(seen[i].bump), "%s", bump);
			seen[i].blocks = 0;
			seen[i].usage = 0;
			nseen++;
		}
		if (blocks == 1) {
			seen[i].blocks = 0;
			seen[i].usage = 0;
			arenas++;
		}
		seen[i].blocks++;
		seen[i].usage += bytes + sizeof(void *);
		EXPECT_EQ(seen[i].blocks, blocks) TH_LOG("%s", ev);
		EXPECT_EQ(seen[i].usage, usage) TH_LOG("%s", ev);
	}
	ASSERT_LT(0, events);
	TH_LOG("%d bump_arena_block events, %d bump arenas", events, arenas);
}

/* Disabled events record nothing. */
TEST_F(trace, disabled_records_nothing)
{
	char got[MAX_EVENTS][LINE];
	__u64 id = 0, off;
	int fd;

	if (self->missing)
		SKIP(return, "no %s", self->missing);
	ASSERT_EQ(0, write_file(self->dir, "events/arena/enable", "0"));
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 65536, 16));
	ASSERT_EQ(0, ioc_alloc(fd, 100, &off));
	ASSERT_EQ(0, ioc_free(fd, off));
	ASSERT_EQ(0, fdinfo_get(fd, "arena-id", &id));
	close(fd);
	ASSERT_EQ(0, read_trace(self->dir, &self->text));
	ASSERT_EQ(0, arena_events(self->text, id, got, MAX_EVENTS));
}

TEST_HARNESS_MAIN
