// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged user may hold, and how it fails: every byte of a
 * user's arenas (region and bookkeeping) counts against that user's
 * RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts it) and against max_total_bytes; in a
 * memory cgroup, running out is ENOMEM, never the OOM killer; a refused
 * request never makes anyone else's fail; a read-only fd cannot change the
 * arena, and nothing maps the region executable.
 *
 * Runs as root in the test VM and drops to other uids in forked children.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define PAGE		4096UL
#define NOBODY		65534
#define OTHER_UID	1000

/*
 * Runs @fn in a child as @uid (no capabilities left) with RLIMIT_MEMLOCK
 * @memlock; returns the child's exit status, or -1 if it did not exit.
 */
static int as_user(uid_t uid, rlim_t memlock, int (*fn)(void *), void *arg)
{
	struct rlimit rl = { memlock, memlock };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(uid) || setuid(uid))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A region of half the limit fits; a second one too big with bookkeeping does not. */
static int memlock_region(void *arg)
{
	int a = arena_test_open(), b = arena_test_open();

	(void)arg;
	if (a < 0 || b < 0)
		return 1;
	if (ioc_setup(a, 512 * 1024, 4096))
		return 2;
	/* 512 KiB more would be exactly the limit, without the bookkeeping. */
	if (ioc_setup(b, 512 * 1024, 4096) != -ENOMEM)
		return 3;
	if (ioc_setup(b, 256 * 1024, 4096))
		return 4;
	close(a);
	/* Closing gave everything back. */
	if (ioc_setup(arena_test_open(), 512 * 1024, 4096))
		return 5;
	return 0;
}

TEST(memlock_limits_regions)
{
	ASSERT_EQ(0, as_user(NOBODY, 1024 * 1024, memlock_region, NULL));
}

/*
 * Bookkeeping counts: a region of 32 KiB with alignment 1 under a 48 KiB
 * limit runs out of limit long before it runs out of bytes.
 */
static int memlock_bookkeeping(void *arg)
{
	struct arena_stats_args st;
	int fd = arena_test_open(), n, ret = 0;
	__u64 off, last = 0;

	(void)arg;
	if (fd < 0 || ioc_setup(fd, 32 * 1024, 1))
		return 1;
	for (n = 0; n < 32 * 1024; n++) {
		ret = ioc_alloc(fd, 1, &off);
		if (ret)
			break;
		last = off;
	}
	if (ret != -ENOMEM)
		return 2;
	/* 16 KiB of limit at most 64 bytes a node: not the 32768 that fit. */
	if (n > 16 * 1024 / 32 || n < 16)
		return 3;
	if (ioc_stats(fd, &st) || st.chunks_used != (__u64)n ||
	    st.metadata_bytes > 16 * 1024)
		return 4;
	/* A refused allocation changed nothing: freeing makes room again. */
	if (ioc_free(fd, last) || ioc_alloc(fd, 1, &off))
		return 5;
	return 0;
}

TEST(memlock_counts_bookkeeping)
{
	ASSERT_EQ(0, as_user(NOBODY, 48 * 1024, memlock_bookkeeping, NULL));
}

/* One user at its limit does not take anything from another user. */
static int hold_limit(void *arg)
{
	int *pipefd = arg, fd = arena_test_open();
	char c = 0;

	if (fd < 0 || ioc_setup(fd, 1024 * 1024 - 4 * PAGE, 4096))
		return 1;
	if (ioc_setup(arena_test_open(), 8 * PAGE, 4096) != -ENOMEM)
		return 2;
	/* Tell the parent, then hold the arena until it says go. */
	if (write(pipefd[1], &c, 1) != 1 || read(pipefd[0], &c, 1) != 1)
		return 3;
	return 0;
}

static int small_setup(void *arg)
{
	(void)arg;
	return ioc_setup(arena_test_open(), 512 * 1024, 4096) ? 1 : 0;
}

TEST(memlock_is_per_user)
{
	int up[2], down[2], status, pipes[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pipes[0] = down[0];
		pipes[1] = up[1];
		_exit(as_user(NOBODY, 1024 * 1024, hold_limit, pipes));
	}
	ASSERT_EQ(1, read(up[0], &c, 1));
	/* nobody is at its limit; uid 1000 still gets its own. */
	EXPECT_EQ(0, as_user(OTHER_UID, 1024 * 1024, small_setup, NULL));
	ASSERT_EQ(1, write(down[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

/* CAP_IPC_LOCK lifts RLIMIT_MEMLOCK, as for mlock(). */
TEST(cap_ipc_lock_lifts_memlock)
{
	struct rlimit saved, rl = { 64 * 1024, 64 * 1024 };
	int fd = arena_test_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getrlimit(RLIMIT_MEMLOCK, &saved));
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	EXPECT_EQ(0, ioc_setup(fd, 4 * 1024 * 1024, 4096));
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &saved));
	close(fd);
}

/*
 * Requests refused by max_total_bytes must not make others fail: one
 * thread asks for impossible regions while this one sets up small ones.
 */
static int stop_hog;

static void *huge_setups(void *arg)
{
	int fd = arena_test_open();

	(void)arg;
	/* 16 TiB: always refused, so the fd stays free to ask again. */
	while (!__atomic_load_n(&stop_hog, __ATOMIC_RELAXED) && fd >= 0)
		ioc_setup(fd, 1ULL << 44, 4096);
	close(fd);
	return NULL;
}

TEST(refused_requests_never_fail_others)
{
	time_t end = time(NULL) + 5;
	int tries = 0, failed = 0;
	pthread_t hog;

	__atomic_store_n(&stop_hog, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_create(&hog, NULL, huge_setups, NULL));
	while (time(NULL) < end) {
		int fd = arena_test_open();

		ASSERT_LE(0, fd);
		failed += ioc_setup(fd, 65536, 4096) != 0;
		tries++;
		close(fd);
	}
	__atomic_store_n(&stop_hog, 1, __ATOMIC_RELAXED);
	pthread_join(hog, NULL);
	TH_LOG("%d of %d small SETUPs failed", failed, tries);
	EXPECT_EQ(0, failed);
}

/* An fd open for reading only may look, never change or set up. */
TEST(read_only_fd)
{
	struct arena_batch_op op = { .op = ARENA_BATCH_ALLOC, .arg = 16 };
	struct arena_batch_args batch = { .ops = (uintptr_t)&op, .count = 1 };
	int fd = open(arena_test_device(), O_RDONLY | O_CLOEXEC);
	struct arena_stats_args st;
	struct arena_walk_entry e;
	struct arena_walk_args w;
	__u64 off;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, ioc_setup(fd, 65536, 16));
	EXPECT_EQ(-EBADF, ioc_alloc(fd, 16, &off));
	EXPECT_EQ(-EBADF, ioc_free(fd, 0));
	EXPECT_EQ(-EBADF, ioc(fd, ARENA_IOC_BATCH, &batch));
	EXPECT_EQ(0, ioc_stats(fd, &st));
	EXPECT_EQ(0, st.total);
	EXPECT_EQ(0, ioc_walk(fd, &e, 1, 0, &w));
	EXPECT_EQ(0, w.count);
	/* Mapping would set the arena up: refused too. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

/* The region is data: no executable mapping, now or by mprotect(). */
TEST(no_exec_mappings)
{
	int fd = arena_test_open();
	void *p;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 4 * PAGE, 4096));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4 * PAGE, PROT_READ | PROT_EXEC,
				   MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno);
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(p, 4 * PAGE);
	close(fd);
}

/* Writes @val to the cgroup file @dir/@name. */
static int cg_write(const char *dir, const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return file_write_str(path, val);
}

/* The value of @key in the cgroup file @dir/@name, or -1. */
static long cg_read_key(const char *dir, const char *name, const char *key)
{
	char path[256], k[64];
	long v, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* Fill a 16 MiB region with 64-byte chunks until the memcg says no. */
static int fill_until_enomem(void)
{
	static struct arena_batch_op ops[ARENA_BATCH_MAX];
	struct arena_batch_args b = { .ops = (uintptr_t)ops, .count = ARENA_BATCH_MAX };
	int fd = arena_test_open(), i, rounds;

	if (fd < 0 || ioc_setup(fd, 16 << 20, 64))
		return 1;
	for (rounds = 0; rounds < 16 << 20 >> 6 >> 12; rounds++) {
		for (i = 0; i < ARENA_BATCH_MAX; i++)
			ops[i] = (struct arena_batch_op){ .op = ARENA_BATCH_ALLOC, .arg = 64 };
		if (ioc(fd, ARENA_IOC_BATCH, &b))
			return errno == ENOMEM ? 0 : 2;
		for (i = 0; i < ARENA_BATCH_MAX; i++)
			if (ops[i].error == -ENOMEM)
				return 0;
			else if (ops[i].error)
				return 3;
	}
	return 4;	/* the whole region fitted: the limit never bit */
}

#define CG_ROOT	"/sys/fs/cgroup"
#define CG_TEST	CG_ROOT "/arena-test"

TEST(memcg_limit_is_enomem_not_oom_kill)
{
	int status;
	pid_t pid;

	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", CG_ROOT, "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2 (%s)", strerror(errno));
	if (cg_write(CG_ROOT, "cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller");
	rmdir(CG_TEST);
	ASSERT_EQ(0, mkdir(CG_TEST, 0755));
	/* 16 MiB of region fits; a quarter million nodes on top do not. */
	ASSERT_EQ(0, cg_write(CG_TEST, "memory.max", "24M"));
	cg_write(CG_TEST, "memory.swap.max", "0");	/* absent without swap */

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char me[16];

		snprintf(me, sizeof(me), "%d", getpid());
		if (cg_write(CG_TEST, "cgroup.procs", me))
			_exit(10);
		_exit(fill_until_enomem());
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("child killed by signal %d",
					      WTERMSIG(status));
	if (WIFEXITED(status))
		EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, cg_read_key(CG_TEST, "memory.events", "oom_kill"));
	EXPECT_EQ(0, rmdir(CG_TEST));
}

TEST_HARNESS_MAIN
