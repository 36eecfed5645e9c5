// SPDX-License-Identifier: GPL-2.0
/*
 * What can be seen of an arena from outside: /proc/<pid>/fdinfo/<fd>
 * (equal to STATS, per fd, and never setting the arena up) and the
 * read-only global view in /sys/module/arena/parameters/ (total bytes,
 * number of arenas, back to 0 once every fd and mapping is gone), also
 * while other threads allocate.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "arena_observe.h"

#include "kselftest_harness.h"

#define PAGE	4096

/* Every contract key is there, with 0, and the id is 0. */
TEST(before_setup_zero)
{
	__u64 v;
	size_t i;
	int fd;

	fd = arena_test_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < NR_FDINFO_KEYS; i++) {
		ASSERT_EQ(0, fdinfo_get(fd, fdinfo_keys[i], &v))
			TH_LOG("%s missing", fdinfo_keys[i]);
		EXPECT_EQ(0, v) TH_LOG("%s", fdinfo_keys[i]);
	}
	ASSERT_EQ(0, fdinfo_get(fd, "arena-id", &v));
	EXPECT_EQ(0, v);
	close(fd);
}

/* Reading fdinfo must not create the region: a later SETUP still works. */
TEST(read_does_not_set_up)
{
	long long total = global_total(), arenas = global_arenas();
	__u64 v;
	int fd, i;

	ASSERT_LE(0, total);
	ASSERT_LE(0, arenas);
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < 10; i++)
		ASSERT_EQ(0, fdinfo_get(fd, "arena-size", &v));
	EXPECT_EQ(total, global_total());
	EXPECT_EQ(arenas, global_arenas());
	/* Not the default size: an implicit SETUP would make this EBUSY. */
	ASSERT_EQ(0, ioc_setup(fd, 3 * PAGE, 64));
	ASSERT_EQ(0, fdinfo_get(fd, "arena-size", &v));
	EXPECT_EQ(3 * PAGE, v);
	ASSERT_EQ(0, fdinfo_get(fd, "arena-align", &v));
	EXPECT_EQ(64, v);
	ASSERT_EQ(0, fdinfo_get(fd, "arena-id", &v));
	EXPECT_NE(0, v);
	/* The region's 3 pages and a page of bookkeeping. */
	EXPECT_EQ(total + 4 * PAGE, global_total());
	EXPECT_EQ(arenas + 1, global_arenas());
	close(fd);
	EXPECT_EQ(total, global_total());
	EXPECT_EQ(arenas, global_arenas());
}

#define CHECK_FD(fd) do {						\
	__u64 got = 0, want = 0;					\
	int fd_ = (fd);							\
	const char *bad = fdinfo_vs_stats(fd_, &got, &want);		\
									\
	ASSERT_EQ(NULL, bad) TH_LOG("fd %d %s: fdinfo %llu, STATS %llu", \
				    fd_, bad, (unsigned long long)got,	\
				    (unsigned long long)want);		\
} while (0)

/* Two arenas of different shapes, checked after every step. */
TEST(equals_stats_two_fds)
{
	__u64 a[8], b[8], v, id1, id2;
	int fd1, fd2, i;

	fd1 = arena_test_open();
	fd2 = arena_test_open();
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ioc_setup(fd1, 65536, 16));
	ASSERT_EQ(0, ioc_setup(fd2, 8 * PAGE, 256));
	CHECK_FD(fd1);
	CHECK_FD(fd2);
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, ioc_alloc(fd1, 100 + 37 * i, &a[i]));
		CHECK_FD(fd1);
		ASSERT_EQ(0, ioc_alloc(fd2, 1000 + 300 * i, &b[i]));
		CHECK_FD(fd2);
		CHECK_FD(fd1);
	}
	/* Holes, a merge, a failed allocation and a rejected free. */
	for (i = 1; i < 8; i += 2) {
		ASSERT_EQ(0, ioc_free(fd1, a[i]));
		CHECK_FD(fd1);
		ASSERT_EQ(0, ioc_free(fd2, b[i]));
		CHECK_FD(fd2);
	}
	ASSERT_EQ(0, ioc_free(fd1, a[2]));
	CHECK_FD(fd1);
	ASSERT_EQ(-ENOMEM, ioc_alloc(fd2, 8 * PAGE, NULL));
	CHECK_FD(fd2);
	ASSERT_EQ(-EINVAL, ioc_free(fd2, b[1]));
	CHECK_FD(fd2);
	ASSERT_EQ(0, fdinfo_get(fd2, "arena-chunks-used", &v));
	EXPECT_EQ(4, v);
	ASSERT_EQ(0, fdinfo_get(fd1, "arena-id", &id1));
	ASSERT_EQ(0, fdinfo_get(fd2, "arena-id", &id2));
	EXPECT_NE(id1, id2);
	for (i = 0; i < 8; i += 2) {
		ioc_free(fd1, a[i]);
		ioc_free(fd2, b[i]);
	}
	CHECK_FD(fd1);
	CHECK_FD(fd2);
	ASSERT_EQ(0, fdinfo_get(fd1, "arena-largest-free", &v));
	EXPECT_EQ(65536, v);
	close(fd1);
	close(fd2);
}

/* A dup()ed fd and a forked child see the same arena. */
TEST(dup_same_arena)
{
	__u64 off, v1, v2;
	int fd, fd2;

	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, 65536, 16));
	fd2 = dup(fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ioc_alloc(fd2, 4000, &off));
	ASSERT_EQ(0, fdinfo_get(fd, "arena-used", &v1));
	ASSERT_EQ(0, fdinfo_get(fd2, "arena-used", &v2));
	EXPECT_EQ(4000, v1);
	EXPECT_EQ(v1, v2);
	close(fd2);
	close(fd);
}

TEST(global_view_is_read_only)
{
	__u64 cap;

	ASSERT_LE(0, global_total());
	ASSERT_LE(0, global_arenas());
	ASSERT_EQ(0, param_read("max_total_bytes", &cap));
	EXPECT_NE(0, param_write("total_bytes", 0));
	EXPECT_NE(0, param_write("arenas", 0));
}

/*
 * The total counts page-rounded regions, a mapping keeps its arena (and
 * its bytes) after close(), and everything returns to 0 at the end.
 */
TEST(global_total_back_to_zero)
{
	void *map;
	int fd1, fd2;

	/* Tests run one at a time: nothing else holds an arena. */
	ASSERT_EQ(0, global_total());
	ASSERT_EQ(0, global_arenas());
	fd1 = arena_test_open();
	fd2 = arena_test_open();
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	/* Each arena: its region's pages and a page of bookkeeping. */
	ASSERT_EQ(0, ioc_setup(fd1, 10000, 16));
	EXPECT_EQ(4 * PAGE, global_total());
	ASSERT_EQ(0, ioc_setup(fd2, PAGE, 4096));
	EXPECT_EQ(6 * PAGE, global_total());
	EXPECT_EQ(2, global_arenas());
	map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	ASSERT_NE(MAP_FAILED, map);
	close(fd1);
	close(fd2);
	EXPECT_EQ(4 * PAGE, global_total());
	EXPECT_EQ(1, global_arenas());
	ASSERT_EQ(0, munmap(map, 3 * PAGE));
	EXPECT_EQ(0, global_total());
	EXPECT_EQ(0, global_arenas());
}

#define STRESS_WORKERS	3
#define STRESS_SECONDS	3

/* Shared by the threads: read and written with __atomic builtins. */
struct stress {
	int stop;
	int failed;	/* what the readers found wrong, 0 if nothing */
	int reads;
};

static int get(int *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static void set(int *v, int val)
{
	__atomic_store_n(v, val, __ATOMIC_RELAXED);
}

static __u64 next_rand(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random ALLOC, FREE and BATCH on an fd of its own, which it reopens now and then. */
static void *stress_worker(void *arg)
{
	struct stress *s = arg;
	__u64 seed = (uintptr_t)&seed | 1, live[64] = { 0 };
	int fd = -1, round = 0;

	while (!get(&s->stop)) {
		unsigned int i = next_rand(&seed) % 64;

		if (fd < 0 || !(++round % 2000)) {
			if (fd >= 0)
				close(fd);
			memset(live, 0, sizeof(live));
			fd = arena_test_open();
			if (fd < 0 || ioc_setup(fd, 64 * PAGE, 16))
				break;
		}
		if (live[i]) {
			ioc_free(fd, live[i] - 1);
			live[i] = 0;
		} else if (i % 8 == 0) {
			struct arena_batch_op ops[2] = {
				{ .op = ARENA_BATCH_ALLOC, .arg = 64 },
				{ .op = ARENA_BATCH_ALLOC, .arg = 200 },
			};
			struct arena_batch_args args = {
				.ops = (uintptr_t)ops, .count = 2,
			};

			if (!ioc(fd, ARENA_IOC_BATCH, &args)) {
				ops[0].op = ARENA_BATCH_FREE;
				ops[1].op = ARENA_BATCH_FREE;
				ops[0].arg = ops[0].offset;
				ops[1].arg = ops[1].offset;
				ioc(fd, ARENA_IOC_BATCH, &args);
			}
		} else if (!ioc_alloc(fd, 1 + next_rand(&seed) % 4096, &live[i])) {
			live[i]++;	/* 0 means empty */
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Every arena fd of this process, then the global view, over and over. */
static void *stress_reader(void *arg)
{
	struct stress *s = arg;

	while (!get(&s->stop) && !get(&s->failed)) {
		struct dirent *d;
		DIR *dir = opendir("/proc/self/fdinfo");

		if (!dir) {
			set(&s->failed, 1);
			break;
		}
		while ((d = readdir(dir))) {
			/* size used free align cused cfree largest metadata */
			__u64 v[NR_FDINFO_KEYS];

			if (d->d_name[0] == '.' ||
			    fdinfo_snapshot(atoi(d->d_name), v))
				continue;	/* not an arena, or closed meanwhile */
			/* One snapshot under the arena's lock: exact. */
			if (v[1] + v[2] != v[0] || v[6] > v[2] ||
			    (v[0] && (v[1] % v[3] || v[6] % v[3])) ||
			    (!v[0] && (v[1] || v[4] || v[5] || v[7])) ||
			    (v[0] && !v[5] != !v[6]))
				set(&s->failed, 2);
		}
		closedir(dir);
		if (global_total() < 0 || global_arenas() < 0)
			set(&s->failed, 3);
		__atomic_add_fetch(&s->reads, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

TEST(read_while_allocating)
{
	pthread_t workers[STRESS_WORKERS], readers[2];
	struct stress s = { 0 };
	int i;

	for (i = 0; i < STRESS_WORKERS; i++)
		ASSERT_EQ(0, pthread_create(&workers[i], NULL, stress_worker, &s));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&readers[i], NULL, stress_reader, &s));
	sleep(STRESS_SECONDS);
	set(&s.stop, 1);
	for (i = 0; i < STRESS_WORKERS; i++)
		pthread_join(workers[i], NULL);
	for (i = 0; i < 2; i++)
		pthread_join(readers[i], NULL);
	EXPECT_EQ(0, s.failed);
	EXPECT_LT(0, s.reads);
	TH_LOG("%d passes over the fdinfo files and the global view", s.reads);
	EXPECT_EQ(0, global_total());
	EXPECT_EQ(0, global_arenas());
}

TEST_HARNESS_MAIN
