// SPDX-License-Identifier: GPL-2.0
/*
 * Work under an arena's lock stays small whatever layout user space
 * builds:
 *  - offsets chosen to share one chain of an unkeyed hash of the used
 *    table (hash_32(offset, 12), what the table used before it was keyed)
 *    cost no more to free than offsets spread evenly;
 *  - with a million live chunks, the longest single hold of the lock
 *    (the module's lock_hold_max_ns, table growth, BATCH and WALK
 *    included) stays far below what one O(n) step would take;
 *  - closing an arena with a million live chunks reschedules (the debug
 *    lane's soft-lockup and RCU-stall detectors would report it).
 * The figures are printed for the record; the assertions leave wide
 * margins for emulation noise.
 */
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include "arena_test.h"

#include "kselftest_harness.h"

/* Targets of the chosen layout; with a filler each, the table ends at 2^12 buckets. */
#define TARGETS		4095
#define HASH_BITS	12
#define LAYOUT_REGION	(32UL << 20)

static struct arena_batch_op ops[ARENA_BATCH_MAX];

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The kernel's hash_32() of 6.1, which the used table once used unkeyed. */
static __u32 plain_hash_32(__u32 val, unsigned int bits)
{
	return (val * 0x61C88647U) >> (32 - bits);
}

/*
 * Offsets for the targets, descending, at least two apart: those sharing
 * one bucket of the unkeyed hash (@collide), or every 4096th (control).
 */
static void pick_targets(__u64 *t, bool collide)
{
	__u64 x = LAYOUT_REGION - 2;
	__u32 bucket = plain_hash_32(x, HASH_BITS);
	int n = 0;

	while (n < TARGETS) {
		if (!collide || plain_hash_32(x, HASH_BITS) == bucket) {
			t[n++] = x;
			x -= collide ? 2 : 4096;
		} else {
			x--;
		}
	}
}

/*
 * Builds the layout in a fresh arena: a filler up to the previous target,
 * then one byte at the target; carving from the tail of the only free
 * chunk puts each exactly there.  Returns the fd, or a negative errno.
 */
static int build_layout(const __u64 *t)
{
	__u64 top = LAYOUT_REGION, off;
	int fd = arena_test_open(), i, ret;

	if (fd < 0)
		return -errno;
	ret = ioc_setup(fd, LAYOUT_REGION, 1);
	for (i = 0; !ret && i < TARGETS; i++) {
		ret = ioc_alloc(fd, top - t[i] - 1, &off);
		if (!ret && off != t[i] + 1)
			ret = -EIO;
		if (!ret)
			ret = ioc_alloc(fd, 1, &off);
		if (!ret && off != t[i])
			ret = -EIO;
		top = t[i];
	}
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* Frees the targets in one BATCH; returns its duration in ns, 0 on error. */
static __u64 free_targets(int fd, const __u64 *t)
{
	struct arena_batch_args b = { .ops = (uintptr_t)ops, .count = TARGETS };
	__u64 start;
	int i;

	for (i = 0; i < TARGETS; i++)
		ops[i] = (struct arena_batch_op){ .op = ARENA_BATCH_FREE, .arg = t[i] };
	start = now_ns();
	if (ioc(fd, ARENA_IOC_BATCH, &b) || b.failed)
		return 0;
	return now_ns() - start;
}

/* Lock statistics on and reset; returns false if the module has none. */
static bool lockstat_start(void)
{
	return !param_write("lock_hold_stats", 1) &&
	       !param_write("lock_hold_max_ns", 0);
}

static __u64 lockstat_read(void)
{
	__u64 v = 0;

	param_read("lock_hold_max_ns", &v);
	param_write("lock_hold_stats", 0);
	return v;
}

/* Emulated, under KASAN, these take minutes: the harness's 30 s is too short. */
FIXTURE(big) {};
FIXTURE_SETUP(big) {}
FIXTURE_TEARDOWN(big) {}

TEST_F_TIMEOUT(big, chosen_offsets_cost_no_more, 600)
{
	static __u64 collide[TARGETS], spread[TARGETS];
	__u64 best[2] = { ~0ULL, ~0ULL }, hold = 0;
	bool stats;
	int round, kind;

	pick_targets(collide, true);
	pick_targets(spread, false);
	for (round = 0; round < 3; round++) {
		for (kind = 0; kind < 2; kind++) {
			const __u64 *t = kind ? spread : collide;
			int fd = build_layout(t);
			__u64 ns;

			ASSERT_LE(0, fd) TH_LOG("layout: %s", strerror(-fd));
			stats = !kind && lockstat_start();
			ns = free_targets(fd, t);
			if (stats) {
				__u64 h = lockstat_read();

				hold = h > hold ? h : hold;
			}
			ASSERT_NE(0, ns);
			if (ns < best[kind])
				best[kind] = ns;
			close(fd);
		}
	}
	TH_LOG("free of %d targets: chosen %llu us, spread %llu us, ratio %.2f",
	       TARGETS, best[0] / 1000, best[1] / 1000,
	       (double)best[0] / best[1]);
	TH_LOG("longest lock hold %llu us", hold / 1000);
	/* Unkeyed, the chosen layout costs 10-200x; keyed, the same within noise. */
	EXPECT_LT(best[0], 3 * best[1]);
}

/* Allocates @n chunks of @size bytes with BATCHes; returns how many succeeded. */
static long fill(int fd, long n, __u64 size)
{
	struct arena_batch_args b = { .ops = (uintptr_t)ops };
	long done = 0;
	int i;

	while (done < n) {
		b.count = n - done < ARENA_BATCH_MAX ? n - done : ARENA_BATCH_MAX;
		for (i = 0; i < (int)b.count; i++)
			ops[i] = (struct arena_batch_op){ .op = ARENA_BATCH_ALLOC, .arg = size };
		if (ioc(fd, ARENA_IOC_BATCH, &b) || b.failed)
			break;
		done += b.count;
	}
	return done;
}

/*
 * A million by default; a quarter of that on the debug kernel (KASAN and
 * SLUB debugging make every chunk ~50x dearer under emulation), or
 * $ARENA_LOCKHOLD_CHUNKS.
 */
static long chunk_count(void)
{
	const char *env = getenv("ARENA_LOCKHOLD_CHUNKS");
	struct utsname u;

	if (env)
		return atol(env);
	if (!uname(&u) && strstr(u.release, "-arena-debug"))
		return 250000;
	return 1000000;
}

TEST_F_TIMEOUT(big, million_chunks_short_holds, 600)
{
	static struct arena_walk_entry e[ARENA_WALK_MAX];
	struct arena_batch_args b = { .ops = (uintptr_t)ops, .count = ARENA_BATCH_MAX };
	long n = chunk_count(), i;
	struct arena_stats_args st;
	__u64 start, hold, close_ns, fill_ns;
	struct arena_walk_args w;
	int fd = arena_test_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, (__u64)n * 16 + (1 << 20), 16));
	if (!lockstat_start())
		SKIP(close(fd); return, "module without lock_hold_stats");
	start = now_ns();
	ASSERT_EQ(n, fill(fd, n, 16));
	fill_ns = now_ns() - start;
	ASSERT_EQ(0, ioc_stats(fd, &st));
	ASSERT_EQ((__u64)n, st.chunks_used);

	/* Churn: free chunks spread over the region, refill, walk, stats. */
	for (i = 0; i < 8; i++) {
		int k;

		for (k = 0; k < ARENA_BATCH_MAX; k++) {
			__u64 chunk = (__u64)((i * ARENA_BATCH_MAX + k) * 97) % n;

			ops[k] = (struct arena_batch_op){
				.op = ARENA_BATCH_FREE,
				.arg = chunk * 16 + (1 << 20),
			};
		}
		ASSERT_EQ(0, ioc(fd, ARENA_IOC_BATCH, &b));
		ASSERT_EQ(ARENA_BATCH_MAX, fill(fd, ARENA_BATCH_MAX, 16 * (1 + i % 3)));
		ASSERT_EQ(0, ioc_walk(fd, e, ARENA_WALK_MAX, 0, &w));
		ASSERT_EQ(ARENA_WALK_MAX, w.count);
		ASSERT_EQ(0, ioc_stats(fd, &st));
	}
	hold = lockstat_read();

	start = now_ns();
	close(fd);
	close_ns = now_ns() - start;
	TH_LOG("%ld chunks: fill %llu ms, close %llu ms",
	       n, fill_ns / 1000000, close_ns / 1000000);
	TH_LOG("longest lock hold %llu us", hold / 1000);
	/*
	 * Unsliced, one BATCH or the table's rehash held it for 100+ ms
	 * (2 s on the debug lane).  Sliced, a hold is tens of microseconds,
	 * plus whatever time the emulator's thread was preempted on the host.
	 */
	EXPECT_LT(hold, 50 * 1000000ULL);
}

TEST_HARNESS_MAIN
