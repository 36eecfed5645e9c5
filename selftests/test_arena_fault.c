// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel allocation failures inside SETUP, ALLOC and BATCH, injected with
 * /proc/thread-self/fail-nth: fail the 1st, 2nd, ... slab or page
 * allocation of the call until the call needs no more.  A call that fails
 * must report ENOMEM and leave the arena as it was; a retry must work.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC
 * with debugfs (the debug lane); skipped elsewhere.
 */
#include <sys/stat.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define FAILPAGE	"/sys/kernel/debug/fail_page_alloc/"
#define MAX_NTH		1000
#define REGION		65536

/*
 * fail-nth fails the nth call that reaches should_fail(), whatever the
 * probability: so probability 0 keeps every other task safe, and only the
 * filters below decide which calls count.  GFP_KERNEL allocations sleep
 * and vmalloc pages are highmem and order 0: none may be ignored.
 */
static const struct knob {
	const char *path;
	const char *value;
} knobs[] = {
	{ FAILSLAB "probability", "0" },
	{ FAILSLAB "interval", "1" },
	{ FAILSLAB "space", "0" },
	{ FAILSLAB "verbose", "0" },
	{ FAILSLAB "task-filter", "Y" },
	{ FAILSLAB "ignore-gfp-wait", "N" },
	{ FAILPAGE "probability", "0" },
	{ FAILPAGE "interval", "1" },
	{ FAILPAGE "space", "0" },
	{ FAILPAGE "verbose", "0" },
	{ FAILPAGE "task-filter", "Y" },
	{ FAILPAGE "ignore-gfp-wait", "N" },
	{ FAILPAGE "ignore-gfp-highmem", "N" },
	{ FAILPAGE "min-order", "0" },
};

#define NKNOBS ARRAY_SIZE(knobs)

static int put(const char *path, const char *val)
{
	return file_write_str(path, val);
}

static int get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Returns -1, or the index of the knob that could not be read. */
static int save_knobs(char saved[][32])
{
	unsigned int i;

	for (i = 0; i < NKNOBS; i++)
		if (get(knobs[i].path, saved[i], 32))
			return i;
	return -1;
}

/* Writes @saved, or the test values if NULL; returns as save_knobs(). */
static int put_knobs(char saved[][32])
{
	unsigned int i;
	int bad = -1;

	for (i = 0; i < NKNOBS; i++)
		if (put(knobs[i].path, saved ? saved[i] : knobs[i].value))
			bad = i;
	return bad;
}

FIXTURE(fault) {
	char saved[NKNOBS][32];
	bool armed_knobs;
	const char *missing;
	int nth;		/* fd of fail-nth, opened once: open allocates */
};

FIXTURE_SETUP(fault)
{
	struct stat st;

	self->nth = -1;
	if (stat(FAILSLAB, &st) || stat(FAILPAGE, &st)) {
		self->missing = "failslab or fail_page_alloc in debugfs";
		return;
	}
	self->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	if (self->nth < 0) {
		self->missing = FAIL_NTH;
		return;
	}
	ASSERT_EQ(-1, save_knobs(self->saved));
	self->armed_knobs = true;
	ASSERT_EQ(-1, put_knobs(NULL));
}

FIXTURE_TEARDOWN(fault)
{
	if (self->nth >= 0) {
		pwrite(self->nth, "0", 1, 0);
		close(self->nth);
	}
	if (!self->armed_knobs)
		return;
	/* Values read back as Y/N are written back the same way. */
	EXPECT_EQ(-1, put_knobs(self->saved));
}

static int arm(int nth, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(nth, buf, len, 0) == len ? 0 : -errno;
}

/* Disarms; returns the faults still to go: 0 if the nth one fired. */
static int disarm(int nth)
{
	char buf[16] = "";
	ssize_t n = pread(nth, buf, sizeof(buf) - 1, 0);

	pwrite(nth, "0", 1, 0);
	return n > 0 ? atoi(buf) : -1;
}

static void expect_empty(struct __test_metadata *_metadata, int fd)
{
	struct arena_walk_entry e[2];
	struct arena_stats_args st;
	int n;

	ASSERT_EQ(0, ioc_stats(fd, &st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(0, st.chunks_used);
	EXPECT_EQ(1, st.chunks_free);
	EXPECT_EQ(REGION, st.largest_free);
	n = ioc_walk_all(fd, e, 2, REGION);
	EXPECT_EQ(1, n);
}

TEST_F_TIMEOUT(fault, setup_enomem, 120)
{
	__u64 cap = 0;
	int n, fd, ret, left, failures = 0, fds[4], i;
	bool done = false;

	if (self->missing)
		SKIP(return, "no %s", self->missing);
	ASSERT_EQ(0, param_read("max_total_bytes", &cap));
	/* Four regions, each with a page of bookkeeping, and nothing more. */
	ASSERT_EQ(0, param_write("max_total_bytes", 4 * (REGION + 4096)));

	for (n = 1; n <= MAX_NTH && !done; n++) {
		fd = arena_test_open();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, arm(self->nth, n));
		ret = ioc_setup(fd, REGION, 16);
		left = disarm(self->nth);
		if (!ret) {
			/* Success with a fault left over: no nth allocation. */
			done = left > 0;
		} else {
			EXPECT_EQ(-ENOMEM, ret) TH_LOG("fail-nth %d", n);
			failures++;
			/* Nothing half set up: SETUP is still possible. */
			EXPECT_EQ(0, ioc_setup(fd, REGION, 16));
		}
		expect_empty(_metadata, fd);
		close(fd);
	}
	TH_LOG("%d injected failures", failures);
	/* Every failure gave its share of max_total_bytes back. */
	for (i = 0; i < 4; i++) {
		fds[i] = arena_test_open();
		EXPECT_EQ(0, ioc_setup(fds[i], REGION, 16)) TH_LOG("arena %d", i);
	}
	/* ... and really nothing more. */
	EXPECT_EQ(-ENOMEM, ioc_setup(arena_test_open(), 4096, 16));
	for (i = 0; i < 4; i++)
		close(fds[i]);
	EXPECT_EQ(0, param_write("max_total_bytes", cap));
	ASSERT_TRUE(done);
	ASSERT_LT(0, failures);
}

/*
 * @prefill live allocations before the one that is failed: 200 make the
 * used table grow on the next one.
 */
static void alloc_faults(struct __test_metadata *_metadata, int nth,
			 int prefill)
{
	struct arena_walk_entry before[256], after[256];
	struct arena_stats_args st0, st;
	int n, i, fd, ret, left, nb, na, failures = 0;
	bool done = false;
	__u64 off = 0;

	for (n = 1; n <= MAX_NTH && !done; n++) {
		/* A fresh arena each time: no spare nodes from earlier calls. */
		fd = arena_test_open();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ioc_setup(fd, REGION, 16));
		for (i = 0; i < prefill; i++)
			ASSERT_EQ(0, ioc_alloc(fd, 16, &off));
		ASSERT_EQ(0, ioc_stats(fd, &st0));
		nb = ioc_walk_all(fd, before, 256, REGION);
		ASSERT_LT(0, nb);

		ASSERT_EQ(0, arm(nth, n));
		ret = ioc_alloc(fd, 100, &off);
		left = disarm(nth);

		ASSERT_EQ(0, ioc_stats(fd, &st));
		if (!ret) {
			done = left > 0;
			EXPECT_EQ(st0.used + 112, st.used);
			EXPECT_EQ(st0.chunks_used + 1, st.chunks_used);
		} else {
			EXPECT_EQ(-ENOMEM, ret) TH_LOG("fail-nth %d", n);
			failures++;
			EXPECT_EQ(st0.used, st.used);
			EXPECT_EQ(st0.chunks_used, st.chunks_used);
			EXPECT_EQ(st0.chunks_free, st.chunks_free);
			EXPECT_EQ(st0.alloc_ok, st.alloc_ok);
			na = ioc_walk_all(fd, after, 256, REGION);
			ASSERT_EQ(nb, na);
			EXPECT_EQ(0, memcmp(before, after, nb * sizeof(before[0])));
			/* The same request works once memory is there. */
			EXPECT_EQ(0, ioc_alloc(fd, 100, &off));
		}
		EXPECT_EQ(REGION - prefill * 16 - 112, off);
		close(fd);
	}
	TH_LOG("prefill %d: %d injected failures", prefill, failures);
	ASSERT_TRUE(done);
	ASSERT_LT(0, failures);
}

TEST_F_TIMEOUT(fault, alloc_enomem, 120)
{
	if (self->missing)
		SKIP(return, "no %s", self->missing);
	alloc_faults(_metadata, self->nth, 0);
	alloc_faults(_metadata, self->nth, 200);
}

/* A few more than one reservation of nodes: the batch has to refill. */
#define NOPS	264

/*
 * BATCH fails as a whole only before running anything; once running, an
 * operation that finds no memory reports it in its own error field.  After
 * a whole failure the same arena takes the next attempt: nothing ran.
 */
TEST_F_TIMEOUT(fault, batch_enomem, 240)
{
	static struct arena_batch_op ops[NOPS];
	struct arena_batch_args args;
	struct arena_stats_args st;
	int n, i, fd = -1, ret, left, errors, failures = 0, partial = 0;
	bool done = false;

	if (self->missing)
		SKIP(return, "no %s", self->missing);
	for (n = 1; n <= MAX_NTH && !done; n++) {
		if (fd < 0) {
			fd = arena_test_open();
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, ioc_setup(fd, REGION, 16));
		}
		for (i = 0; i < NOPS; i++)
			ops[i] = (struct arena_batch_op){
				.op = ARENA_BATCH_ALLOC, .arg = 16 };
		args = (struct arena_batch_args){ .ops = (uintptr_t)ops,
						  .count = NOPS };

		ASSERT_EQ(0, arm(self->nth, n));
		ret = ioc(fd, ARENA_IOC_BATCH, &args);
		left = disarm(self->nth);

		ASSERT_EQ(0, ioc_stats(fd, &st));
		if (ret) {
			failures++;
			EXPECT_EQ(-ENOMEM, ret) TH_LOG("fail-nth %d", n);
			ASSERT_EQ(0, st.chunks_used)
				TH_LOG("fail-nth %d: ENOMEM after running ops",
				       n);
			continue;
		}
		done = left > 0;
		for (i = 0, errors = 0; i < NOPS; i++) {
			if (!ops[i].error)
				continue;
			errors++;
			EXPECT_EQ(-ENOMEM, ops[i].error);
		}
		partial += errors > 0;
		EXPECT_EQ(errors, args.failed);
		EXPECT_EQ(NOPS - errors, st.chunks_used);
		close(fd);
		fd = -1;
	}
	TH_LOG("%d batches failed, %d ran with failed operations", failures,
	       partial);
	failures += partial;
	ASSERT_TRUE(done);
	ASSERT_LT(0, failures);
}

TEST_HARNESS_MAIN
