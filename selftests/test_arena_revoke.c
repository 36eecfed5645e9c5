// SPDX-License-Identifier: GPL-2.0
/*
 * Use after free through a mapping is SIGBUS, never the next owner's data:
 * FREE revokes every mapping made of the allocation (mmap at its offset),
 * in this process, in forked children and in processes that received the
 * fd; the mapping of the whole region stays valid; other arenas are never
 * touched.  And ARENA_SETUP_ZERO_ON_FREE zeroes freed bytes before FREE
 * returns.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define PAGE		4096UL
#define REGION		(64 * PAGE)

static __thread sigjmp_buf probe_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(probe_env, 1);
}

static void catch_sigbus(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* Reads *p into *out: 0, or 1 if the access raised SIGBUS. */
static int probe_read(const unsigned char *p, unsigned char *out)
{
	if (sigsetjmp(probe_env, 1))
		return 1;
	*out = __atomic_load_n(p, __ATOMIC_RELAXED);
	return 0;
}

/* Writes v to *p: 0, or 1 if the access raised SIGBUS. */
static int probe_write(unsigned char *p, unsigned char v)
{
	if (sigsetjmp(probe_env, 1))
		return 1;
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
	return 0;
}

static void *map(int fd, __u64 offset, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
}

FIXTURE(revoke) {
	int fd;
	unsigned char *region;
};

FIXTURE_SETUP(revoke)
{
	catch_sigbus();
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, REGION, PAGE));
	self->region = map(self->fd, 0, REGION);
	ASSERT_NE(MAP_FAILED, self->region);
}

FIXTURE_TEARDOWN(revoke)
{
	munmap(self->region, REGION);
	close(self->fd);
}

TEST_F(revoke, free_revokes_and_reuse_never_aliases)
{
	unsigned char *chunk, *again, c;
	__u64 off, off2;

	ASSERT_EQ(0, ioc_alloc(self->fd, 2 * PAGE, &off));
	chunk = map(self->fd, off, 2 * PAGE);
	ASSERT_NE(MAP_FAILED, chunk);
	memset(chunk, 0x11, 2 * PAGE);
	ASSERT_EQ(0x11, self->region[off + PAGE]);

	ASSERT_EQ(0, ioc_free(self->fd, off));
	EXPECT_EQ(1, probe_read(chunk, &c));
	EXPECT_EQ(1, probe_write(chunk + PAGE, 0x22));
	/* The region mapping is not a chunk mapping: still valid. */
	EXPECT_EQ(0, probe_read(self->region + off, &c));

	/* Best fit gives the same offset back to the next owner. */
	ASSERT_EQ(0, ioc_alloc(self->fd, 2 * PAGE, &off2));
	ASSERT_EQ(off, off2);
	memset(self->region + off2, 0x33, 2 * PAGE);
	EXPECT_EQ(1, probe_write(chunk, 0x44));
	EXPECT_EQ(1, probe_read(chunk + PAGE, &c));
	EXPECT_EQ(0x33, self->region[off2]);
	EXPECT_EQ(0x33, self->region[off2 + PAGE]);

	/* A fresh mapping of the new allocation works. */
	again = map(self->fd, off2, 2 * PAGE);
	ASSERT_NE(MAP_FAILED, again);
	EXPECT_EQ(0, probe_read(again + PAGE, &c));
	EXPECT_EQ(0x33, c);
	EXPECT_EQ(0, probe_write(again, 0x55));
	EXPECT_EQ(0x55, self->region[off2]);
	munmap(again, 2 * PAGE);
	munmap(chunk, 2 * PAGE);
}

/* Pages never touched before the FREE are refused too (no late fault-in). */
TEST_F(revoke, untouched_pages_revoked)
{
	unsigned char *chunk, c;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, 4 * PAGE, &off));
	chunk = map(self->fd, off, 4 * PAGE);
	ASSERT_NE(MAP_FAILED, chunk);
	ASSERT_EQ(0, ioc_free(self->fd, off));
	EXPECT_EQ(1, probe_read(chunk + 3 * PAGE, &c));
	munmap(chunk, 4 * PAGE);
}

TEST_F(revoke, batch_free_revokes)
{
	struct arena_batch_op op = { .op = ARENA_BATCH_FREE };
	struct arena_batch_args b = { .ops = (uintptr_t)&op, .count = 1 };
	unsigned char *chunk, c;
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, PAGE, &off));
	chunk = map(self->fd, off, PAGE);
	ASSERT_NE(MAP_FAILED, chunk);
	chunk[0] = 1;
	op.arg = off;
	ASSERT_EQ(0, ioc(self->fd, ARENA_IOC_BATCH, &b));
	ASSERT_EQ(0, op.error);
	EXPECT_EQ(1, probe_read(chunk, &c));
	munmap(chunk, PAGE);
}

/* The child's copy of a chunk mapping goes with the FREE too. */
TEST_F(revoke, forked_child_revoked)
{
	int to_child[2], to_parent[2], status;
	unsigned char *chunk, c;
	__u64 off;
	pid_t pid;

	ASSERT_EQ(0, ioc_alloc(self->fd, PAGE, &off));
	chunk = map(self->fd, off, PAGE);
	ASSERT_NE(MAP_FAILED, chunk);
	chunk[0] = 7;
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int before = probe_read(chunk, &c) || c != 7;

		if (write(to_parent[1], "r", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(3);
		_exit(before ? 2 : probe_read(chunk, &c) ? 0 : 1);
	}
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	ASSERT_EQ(0, ioc_free(self->fd, off));
	ASSERT_EQ(1, write(to_child[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	munmap(chunk, PAGE);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b = 'f';
	struct iovec iov = { &b, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* A process that got the fd by SCM_RIGHTS and mapped the chunk itself. */
TEST_F(revoke, scm_rights_receiver_revoked)
{
	int sv[2], status;
	__u64 off;
	pid_t pid;
	char c;

	ASSERT_EQ(0, ioc_alloc(self->fd, PAGE, &off));
	self->region[off] = 9;
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* Forked before it has the fd: it can only get it over the socket. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char *p, v;
		int fd;

		close(self->fd);
		fd = recv_fd(sv[1]);
		if (fd < 0 || read(sv[1], &v, 1) != 1)
			_exit(3);
		p = map(fd, off, PAGE);
		if (p == MAP_FAILED || probe_read(p, &v) || v != 9)
			_exit(2);
		if (write(sv[1], "m", 1) != 1 || read(sv[1], &v, 1) != 1)
			_exit(3);
		_exit(probe_read(p, &v) ? 0 : 1);
	}
	ASSERT_EQ(0, send_fd(sv[0], self->fd));
	ASSERT_EQ(1, write(sv[0], "o", 1));
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_EQ(0, ioc_free(self->fd, off));
	ASSERT_EQ(1, write(sv[0], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Freeing in one arena never disturbs another arena's mappings. */
TEST_F(revoke, other_arenas_untouched)
{
	unsigned char *mine, *theirs, *theirs_region, c;
	int other = arena_test_open();
	__u64 off, other_off;

	ASSERT_LE(0, other);
	ASSERT_EQ(0, ioc_setup(other, REGION, PAGE));
	ASSERT_EQ(0, ioc_alloc(self->fd, PAGE, &off));
	ASSERT_EQ(0, ioc_alloc(other, PAGE, &other_off));
	ASSERT_EQ(off, other_off);	/* same offset in both: the worst case */
	mine = map(self->fd, off, PAGE);
	theirs = map(other, other_off, PAGE);
	theirs_region = map(other, 0, REGION);
	ASSERT_NE(MAP_FAILED, mine);
	ASSERT_NE(MAP_FAILED, theirs);
	ASSERT_NE(MAP_FAILED, theirs_region);
	theirs[0] = 0x5a;
	ASSERT_EQ(0, ioc_free(self->fd, off));
	EXPECT_EQ(1, probe_read(mine, &c));
	EXPECT_EQ(0, probe_read(theirs, &c));
	EXPECT_EQ(0x5a, c);
	EXPECT_EQ(0, probe_write(theirs, 0x5b));
	EXPECT_EQ(0x5b, theirs_region[other_off]);
	munmap(mine, PAGE);
	munmap(theirs, PAGE);
	munmap(theirs_region, REGION);
	close(other);
}

/* A mapping can only be made of an allocation that is live. */
TEST_F(revoke, map_freed_offset_refused)
{
	__u64 off;

	ASSERT_EQ(0, ioc_alloc(self->fd, PAGE, &off));
	ASSERT_EQ(0, ioc_free(self->fd, off));
	EXPECT_EQ(MAP_FAILED, map(self->fd, off, PAGE));
	EXPECT_EQ(EINVAL, errno);
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	while (n--)
		if (*p++ != v)
			return false;
	return true;
}

/* ZERO_ON_FREE: freed bytes read back zero right after FREE, BATCH too. */
static void zero_on_free_check(struct __test_metadata *_metadata, __u32 flags)
{
	struct arena_batch_op ops[2] = {
		{ .op = ARENA_BATCH_FREE }, { .op = ARENA_BATCH_FREE },
	};
	struct arena_batch_args b = { .ops = (uintptr_t)ops, .count = 2 };
	unsigned char *region;
	__u64 small, big, small2, big2;
	int fd = arena_test_open();
	bool zero = flags & ARENA_SETUP_ZERO_ON_FREE;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup_raw(fd, REGION, 16, flags, 0));
	region = map(fd, 0, REGION);
	ASSERT_NE(MAP_FAILED, region);
	ASSERT_EQ(0, ioc_alloc(fd, 48, &small));
	ASSERT_EQ(0, ioc_alloc(fd, 5 * PAGE + 100, &big));
	memset(region + small, 0xab, 48);
	memset(region + big, 0xcd, 5 * PAGE + 100);
	ASSERT_EQ(0, ioc_free(fd, small));
	ASSERT_EQ(0, ioc_free(fd, big));
	EXPECT_EQ(zero, all_bytes(region + small, 48, 0));
	EXPECT_EQ(zero, all_bytes(region + big, 5 * PAGE + 100, 0));

	/* The same through BATCH. */
	ASSERT_EQ(0, ioc_alloc(fd, 48, &small2));
	ASSERT_EQ(0, ioc_alloc(fd, 3 * PAGE, &big2));
	memset(region + small2, 0xef, 48);
	memset(region + big2, 0x77, 3 * PAGE);
	ops[0].arg = small2;
	ops[1].arg = big2;
	ASSERT_EQ(0, ioc(fd, ARENA_IOC_BATCH, &b));
	ASSERT_EQ(0, b.failed);
	EXPECT_EQ(zero, all_bytes(region + small2, 48, 0));
	EXPECT_EQ(zero, all_bytes(region + big2, 3 * PAGE, 0));
	munmap(region, REGION);
	close(fd);
}

TEST(zero_on_free)
{
	zero_on_free_check(_metadata, ARENA_SETUP_ZERO_ON_FREE);
}

/* Without the flag the bytes stay (what the flag is for). */
TEST(no_zero_without_flag)
{
	zero_on_free_check(_metadata, 0);
}

/*
 * Race: one thread allocates, fills, maps and frees page-sized allocations
 * at the same few offsets over and over; another reads through the
 * chunk mappings (the newest, and older ones whose allocations are being
 * or have been freed) the whole time.  A read sees that mapping's own
 * pattern or SIGBUS, never a later allocation's.  A mapping is unmapped only
 * RACE_KEEP rounds later, and a read counts only if the reader was less
 * than half that behind once it had read, so an address the reader uses is
 * never another mapping's.
 */
#define RACE_SLOTS	4
#define RACE_KEEP	64

struct race_rec {
	unsigned char *map;
	unsigned char pat;
};

struct race {
	struct race_rec *recs;
	long newest;	/* index of the newest record, -1 before */
	int stop;
	long bad;
	long reads;
	long sigbus;
};

static void *race_reader(void *arg)
{
	struct race *r = arg;
	long n;

	catch_sigbus();
	for (n = 0; !__atomic_load_n(&r->stop, __ATOMIC_RELAXED); n++) {
		/* The newest mapping, or one up to 7 rounds older: freed ones too. */
		long i = __atomic_load_n(&r->newest, __ATOMIC_ACQUIRE) - n % 8;
		unsigned char v;

		if (i < 0)
			continue;
		if (probe_read(r->recs[i].map + PAGE - 1, &v)) {
			r->sigbus++;
			continue;
		}
		if (__atomic_load_n(&r->newest, __ATOMIC_ACQUIRE) >= i + RACE_KEEP / 2)
			continue;	/* too far behind to be sure of the address */
		r->reads++;
		if (v != r->recs[i].pat)
			r->bad++;
	}
	return NULL;
}

static long race_rounds(void)
{
	const char *env = getenv("ARENA_RACE_ROUNDS");

	return env ? atol(env) : 100000;
}

/* 1e5 rounds, or as many as fit in 20 s (emulated, under KASAN). */
FIXTURE(race) {};
FIXTURE_SETUP(race) {}
FIXTURE_TEARDOWN(race) {}

TEST_F_TIMEOUT(race, fault_free_race, 300)
{
	struct race r = { .newest = -1 };
	long rounds = race_rounds(), i;
	time_t end = time(NULL) + 20;
	unsigned char *region;
	__u64 off[RACE_SLOTS];
	pthread_t reader;
	int fd;

	/*
	 * 32-bit static glibc aborts ("futex facility returned an unexpected
	 * error code") when a thread siglongjmps out of SIGBUS; the kernel
	 * side is the same for both, so the race runs in the 64-bit build.
	 */
	if (sizeof(long) < 8)
		SKIP(return, "fault/free race runs in the 64-bit build");

	catch_sigbus();
	r.recs = calloc(rounds, sizeof(*r.recs));
	ASSERT_NE(NULL, r.recs);
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, RACE_SLOTS * PAGE, PAGE));
	region = map(fd, 0, RACE_SLOTS * PAGE);
	ASSERT_NE(MAP_FAILED, region);
	ASSERT_EQ(0, pthread_create(&reader, NULL, race_reader, &r));
	for (i = 0; i < rounds && (i % 1024 || time(NULL) < end); i++) {
		int s = i % RACE_SLOTS;

		if (i >= RACE_KEEP)
			munmap(r.recs[i - RACE_KEEP].map, PAGE);
		if (i >= RACE_SLOTS)
			ASSERT_EQ(0, ioc_free(fd, off[s]));
		ASSERT_EQ(0, ioc_alloc(fd, PAGE, &off[s]));
		r.recs[i].pat = (unsigned char)(i % 251 + 1);
		memset(region + off[s], r.recs[i].pat, PAGE);
		r.recs[i].map = map(fd, off[s], PAGE);
		ASSERT_NE(MAP_FAILED, r.recs[i].map);
		__atomic_store_n(&r.newest, i, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	pthread_join(reader, NULL);
	TH_LOG("%ld rounds: %ld reads, %ld SIGBUS, %ld wrong",
	       i, r.reads, r.sigbus, r.bad);
	EXPECT_EQ(0, r.bad);
	EXPECT_LT(0, r.sigbus);	/* the race was run, revocations were seen */
	rounds = i;
	for (i = rounds > RACE_KEEP ? rounds - RACE_KEEP : 0; i < rounds; i++)
		munmap(r.recs[i].map, PAGE);
	free(r.recs);
	munmap(region, RACE_SLOTS * PAGE);
	close(fd);
}

TEST_HARNESS_MAIN
