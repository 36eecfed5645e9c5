// SPDX-License-Identifier: GPL-2.0
/*
 * Many workers on ONE arena at once: threads of this process, threads of
 * forked children (fd and mapping inherited) and threads of a child that
 * got the fd over a socketpair (SCM_RIGHTS) and mapped the region itself.
 * They ALLOC, FREE, BATCH, WALK, STATS and mmap concurrently.
 *
 * Each worker owns its allocations and fills every byte of them with a
 * pattern derived from its id and the byte's offset, through a MAP_SHARED
 * mapping of the whole region, and checks it before freeing: if two live
 * allocations ever overlapped, someone's pattern breaks.  Every error must
 * be a documented one; the chunks a WALK reports must include each of the
 * walker's own allocations exactly.  At the end, all freed, STATS must
 * show an empty arena with matching counters and a WALK one free chunk.
 *
 * The fault_injection variant (kernels with fail-nth and failslab, the
 * debug lane) arms /proc/thread-self/fail-nth in some workers right before
 * their BATCH, so that node allocations fail midway through the slices:
 * each operation must still report its own result.
 *
 * ARENA_STRESS_SECONDS sets how long the workers run (default 10).
 */
#include <pthread.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION		(2UL << 20)
#define ALIGN		16UL
#define PAGE		4096UL
#define SECONDS		10
#define MAIN_THREADS	3
#define FORKS		2
#define FORK_THREADS	2
#define SCM_THREADS	2
#define WORKERS		(MAIN_THREADS + FORKS * FORK_THREADS + SCM_THREADS)
#define MAXOWN		128
#define BATCH_OPS	100
#define WALK_CAP	64
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAILSLAB	"/sys/kernel/debug/failslab/"

/* In shared memory: every process of the test sees it. */
struct shared {
	int stop;
	int failures;
	char why[512];
	long ops[WORKERS + 1];
	long invalid_frees[WORKERS + 1];
	long faults_fired;
	long batch_enomem;
	long op_enomem;
	long own_maps;
};

struct own {
	__u64 off;
	__u64 size;	/* bytes asked for, all holding the pattern */
};

struct worker {
	int id;
	int fd;
	unsigned char *base;
	struct shared *sh;
	bool faults;
	int nth;	/* this thread's fail-nth, or -1 */
	__u64 rng;
	struct timespec end;
	int nlive;
	struct own live[MAXOWN];
	struct arena_batch_op ops[BATCH_OPS];
	struct arena_walk_entry ents[WALK_CAP];
};

static __u64 rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static __u64 round_align(__u64 n)
{
	return (n + ALIGN - 1) & ~(ALIGN - 1);
}

static void fail(struct worker *w, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "# worker %d (pid %d): %s\n", w->id, getpid(), msg);
	if (__atomic_fetch_add(&w->sh->failures, 1, __ATOMIC_SEQ_CST) == 0)
		snprintf(w->sh->why, sizeof(w->sh->why), "worker %d: %s",
			 w->id, msg);
	__atomic_store_n(&w->sh->stop, 1, __ATOMIC_SEQ_CST);
}

static bool running(struct worker *w)
{
	struct timespec now;

	if (__atomic_load_n(&w->sh->stop, __ATOMIC_RELAXED))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < w->end.tv_sec ||
	       (now.tv_sec == w->end.tv_sec && now.tv_nsec < w->end.tv_nsec);
}

static unsigned char pattern(int id, __u64 at)
{
	return (unsigned char)(id * 0x9d + at * 7 + (at >> 8));
}

static void fill(struct worker *w, const struct own *o)
{
	__u64 i;

	for (i = o->off; i < o->off + o->size; i++)
		w->base[i] = pattern(w->id, i);
}

static bool intact(struct worker *w, const struct own *o)
{
	__u64 i;

	for (i = o->off; i < o->off + o->size; i++) {
		if (w->base[i] != pattern(w->id, i)) {
			fail(w, "allocation %llu+%llu: byte %llu overwritten",
			     (unsigned long long)o->off,
			     (unsigned long long)o->size,
			     (unsigned long long)i);
			return false;
		}
	}
	return true;
}

static __u64 pick_size(struct worker *w)
{
	__u64 r = rnd(w) % 100;

	if (r < 80)
		return 1 + rnd(w) % 512;
	if (r < 95)
		return 1 + rnd(w) % PAGE;
	return PAGE * (1 + rnd(w) % 4);
}

/* A new allocation: inside the region, aligned, clear of our own. */
static bool adopt(struct worker *w, __u64 off, __u64 size)
{
	int i;

	if (off % ALIGN || off + round_align(size) > REGION) {
		fail(w, "allocation %llu+%llu outside the region or misaligned",
		     (unsigned long long)off, (unsigned long long)size);
		return false;
	}
	for (i = 0; i < w->nlive; i++) {
		if (off < w->live[i].off + round_align(w->live[i].size) &&
		    w->live[i].off < off + round_align(size)) {
			fail(w, "allocation %llu overlaps our own at %llu",
			     (unsigned long long)off,
			     (unsigned long long)w->live[i].off);
			return false;
		}
	}
	w->live[w->nlive] = (struct own){ .off = off, .size = size };
	fill(w, &w->live[w->nlive++]);
	return true;
}

static void drop(struct worker *w, int i)
{
	w->live[i] = w->live[--w->nlive];
}

static void do_alloc(struct worker *w)
{
	__u64 size = pick_size(w), off = 0;
	int ret = ioc_alloc(w->fd, size, &off);

	if (ret == -ENOMEM)
		return;		/* the arena is full for now */
	if (ret)
		fail(w, "ALLOC %llu: %s", (unsigned long long)size,
		     strerror(-ret));
	else
		adopt(w, off, size);
}

static void do_free(struct worker *w)
{
	int i = rnd(w) % w->nlive, ret;

	if (!intact(w, &w->live[i]))
		return;
	ret = ioc_free(w->fd, w->live[i].off);
	if (ret)
		fail(w, "FREE of our %llu: %s",
		     (unsigned long long)w->live[i].off, strerror(-ret));
	drop(w, i);
}

/* Never a live allocation: not aligned, or past the region. */
static void do_invalid_free(struct worker *w)
{
	__u64 off = rnd(w) % 2 ? REGION + ALIGN * (rnd(w) % 4) :
				 ALIGN * (rnd(w) % (REGION / ALIGN)) + 1;
	int ret = ioc_free(w->fd, off);

	w->sh->invalid_frees[w->id]++;
	if (ret != -EINVAL)
		fail(w, "FREE of %llu: %d, not EINVAL", (unsigned long long)off,
		     ret);
}

static int arm(struct worker *w, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(w->nth, buf, len, 0) == len ? 0 : -errno;
}

/* Disarms; true if the armed fault fired. */
static bool disarm(struct worker *w)
{
	char buf[16] = "";
	ssize_t n = pread(w->nth, buf, sizeof(buf) - 1, 0);

	pwrite(w->nth, "0", 1, 0);
	return n > 0 && atoi(buf) == 0;
}

static void do_batch(struct worker *w)
{
	struct arena_batch_args args = { .ops = (uintptr_t)w->ops };
	bool inject = w->nth >= 0 && rnd(w) % 2;
	int n = 1 + rnd(w) % (inject ? BATCH_OPS : 40), i, k, ret, failed = 0;
	int frees = 0, src[BATCH_OPS];
	bool fired = false;

	for (i = 0; i < n; i++) {
		struct arena_batch_op *o = &w->ops[i];
		__u64 r = rnd(w) % 100;

		*o = (struct arena_batch_op){ .offset = 0xdead, .error = 1234 };
		src[i] = -1;
		if (r < 5) {
			o->op = ARENA_BATCH_FREE;
			o->arg = REGION + ALIGN;	/* never live */
		} else if (r < 40 && frees < w->nlive) {
			/* Our allocations from the end of the list, each once. */
			src[i] = w->nlive - 1 - frees++;
			if (!intact(w, &w->live[src[i]]))
				return;
			o->op = ARENA_BATCH_FREE;
			o->arg = w->live[src[i]].off;
		} else {
			o->op = ARENA_BATCH_ALLOC;
			o->arg = pick_size(w);
		}
	}
	/* Room to keep every allocation that may succeed. */
	for (i = 0, k = w->nlive; i < n; i++)
		if (w->ops[i].op == ARENA_BATCH_ALLOC && ++k > MAXOWN)
			w->ops[i] = (struct arena_batch_op){
				.op = ARENA_BATCH_FREE, .arg = 1,
				.offset = 0xdead, .error = 1234 };
	args.count = n;
	args.failed = 999;

	if (inject && arm(w, 1 + rnd(w) % 12))
		fail(w, "cannot arm %s", FAIL_NTH);
	ret = ioc(w->fd, ARENA_IOC_BATCH, &args);
	if (inject)
		fired = disarm(w);
	if (fired)
		__atomic_fetch_add(&w->sh->faults_fired, 1, __ATOMIC_RELAXED);

	if (ret == -ENOMEM && fired) {
		/* Failed as a whole: nothing ran, nothing written back. */
		__atomic_fetch_add(&w->sh->batch_enomem, 1, __ATOMIC_RELAXED);
		for (i = 0; i < n; i++)
			if (w->ops[i].error != 1234 || w->ops[i].offset != 0xdead)
				fail(w, "BATCH ENOMEM, yet op %d has results", i);
		return;
	}
	if (ret) {
		fail(w, "BATCH of %d: %s", n, strerror(-ret));
		return;
	}
	/* The freed ones were the end of the list: new ones go after. */
	w->nlive -= frees;
	for (i = 0; i < n; i++) {
		struct arena_batch_op *o = &w->ops[i];

		failed += o->error != 0;
		if (o->op == ARENA_BATCH_ALLOC) {
			if (o->error == -ENOMEM) {
				if (fired)
					__atomic_fetch_add(&w->sh->op_enomem, 1,
							   __ATOMIC_RELAXED);
				continue;
			}
			if (o->error)
				fail(w, "BATCH alloc op %d: %d", i, o->error);
			else if (!adopt(w, o->offset, o->arg))
				return;
		} else if (src[i] >= 0) {
			if (o->error)
				fail(w, "BATCH free op %d of our %llu: %d", i,
				     (unsigned long long)o->arg, o->error);
		} else {
			w->sh->invalid_frees[w->id]++;
			if (o->error != -EINVAL)
				fail(w, "BATCH invalid free op %d: %d", i,
				     o->error);
		}
	}
	if (failed != (int)args.failed)
		fail(w, "BATCH failed %u, counted %d", args.failed, failed);
}

/*
 * One walk call: entries contiguous, well formed, and each of our own
 * allocations in the range reported exactly.
 */
static __u64 walk_once(struct worker *w, __u64 start, __u32 cap)
{
	struct arena_walk_args args;
	__u64 at = start;
	int ret, i, j;

	ret = ioc_walk(w->fd, w->ents, cap, start, &args);
	if (ret == -EINVAL && start)
		return REGION;	/* the arena changed since our last call */
	if (ret) {
		fail(w, "WALK from %llu: %s", (unsigned long long)start,
		     strerror(-ret));
		return REGION;
	}
	if (!args.count || args.count > cap) {
		fail(w, "WALK from %llu: %u entries", (unsigned long long)start,
		     args.count);
		return REGION;
	}
	for (i = 0; i < (int)args.count; i++) {
		const struct arena_walk_entry *e = &w->ents[i];

		if (e->offset != at || !e->size || e->size % ALIGN ||
		    e->flags & ~ARENA_CHUNK_USED || e->reserved) {
			fail(w, "WALK entry %d: %llu+%llu flags %u at %llu", i,
			     (unsigned long long)e->offset,
			     (unsigned long long)e->size, e->flags,
			     (unsigned long long)at);
			return REGION;
		}
		at += e->size;
	}
	if (args.next != at || at > REGION) {
		fail(w, "WALK next %llu after %llu", (unsigned long long)args.next,
		     (unsigned long long)at);
		return REGION;
	}
	for (j = 0; j < w->nlive; j++) {
		const struct own *o = &w->live[j];

		if (o->off < start || o->off >= at)
			continue;
		for (i = 0; i < (int)args.count; i++)
			if (w->ents[i].offset == o->off)
				break;
		if (i == (int)args.count || !(w->ents[i].flags & ARENA_CHUNK_USED) ||
		    w->ents[i].size != round_align(o->size)) {
			fail(w, "WALK does not report our %llu+%llu",
			     (unsigned long long)o->off,
			     (unsigned long long)o->size);
			return REGION;
		}
	}
	return at;
}

static void do_walk(struct worker *w)
{
	__u64 at = 0;
	int calls = 1 + rnd(w) % 4;

	while (calls-- && at < REGION)
		at = walk_once(w, at, 1 + rnd(w) % WALK_CAP);
}

static void do_stats(struct worker *w)
{
	struct arena_stats_args st;
	int ret = ioc_stats(w->fd, &st);

	if (ret)
		fail(w, "STATS: %s", strerror(-ret));
	else if (st.total != REGION || st.used + st.free != REGION ||
		 st.align != ALIGN || st.largest_free > st.free ||
		 st.chunks_used < (__u64)w->nlive || st.used % ALIGN)
		fail(w, "STATS inconsistent: used %llu free %llu chunks %llu",
		     (unsigned long long)st.used, (unsigned long long)st.free,
		     (unsigned long long)st.chunks_used);
}

/* Maps one of our page-aligned allocations at its own offset, or any page. */
static void do_mmap(struct worker *w)
{
	unsigned char *p;
	__u64 off;
	int i;

	for (i = 0; i < w->nlive; i++)
		if (w->live[i].off % PAGE == 0)
			break;
	if (i == w->nlive) {
		/* Someone else's allocation may start there: 0 or EINVAL. */
		off = PAGE * (1 + rnd(w) % (REGION / PAGE - 1));
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, w->fd, off);
		if (p == MAP_FAILED && errno != EINVAL)
			fail(w, "mmap of page %llu: %s",
			     (unsigned long long)off, strerror(errno));
		else if (p != MAP_FAILED)
			munmap(p, PAGE);
		return;
	}
	off = w->live[i].off;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, off);
	if (p == MAP_FAILED) {
		fail(w, "mmap of our %llu: %s", (unsigned long long)off,
		     strerror(errno));
		return;
	}
	__atomic_fetch_add(&w->sh->own_maps, 1, __ATOMIC_RELAXED);
	/* The same bytes as through the region mapping, both ways. */
	if (p[0] != pattern(w->id, off))
		fail(w, "mapping of %llu does not show our pattern",
		     (unsigned long long)off);
	p[0] ^= 0xff;
	if (w->base[off] != (unsigned char)~pattern(w->id, off))
		fail(w, "write through the mapping of %llu not seen",
		     (unsigned long long)off);
	p[0] ^= 0xff;
	munmap(p, PAGE);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->nth = -1;
	if (w->faults) {
		w->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
		if (w->nth < 0)
			fail(w, "open %s: %s", FAIL_NTH, strerror(errno));
	}
	while (running(w)) {
		__u64 r = rnd(w) % 100;

		w->sh->ops[w->id]++;
		if (r < 35 && w->nlive < MAXOWN)
			do_alloc(w);
		else if (r < 60 && w->nlive)
			do_free(w);
		else if (r < 62)
			do_invalid_free(w);
		else if (r < 77)
			do_batch(w);
		else if (r < 87)
			do_walk(w);
		else if (r < 92)
			do_mmap(w);
		else
			do_stats(w);
	}
	while (w->nlive && !w->sh->stop)
		do_free(w);
	if (w->nth >= 0)
		close(w->nth);
	return NULL;
}

/* Runs @n workers from id @first as threads; returns when all are done. */
static void run_workers(struct shared *sh, int fd, unsigned char *base,
			int first, int n, bool faults, int seconds)
{
	pthread_t tid[MAIN_THREADS];
	struct worker *w[MAIN_THREADS];
	int i;

	for (i = 0; i < n; i++) {
		w[i] = calloc(1, sizeof(*w[i]));
		w[i]->id = first + i;
		w[i]->fd = fd;
		w[i]->base = base;
		w[i]->sh = sh;
		w[i]->rng = 0x2545f4914f6cdd1dULL * (first + i) + getpid();
		/* Some workers of every process inject faults. */
		w[i]->faults = faults && i % 2 == 0;
		clock_gettime(CLOCK_MONOTONIC, &w[i]->end);
		w[i]->end.tv_sec += seconds;
		if (pthread_create(&tid[i], NULL, worker_run, w[i])) {
			fail(w[i], "pthread_create");
			n = i;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		free(w[i]);
	}
}

static int send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {};
	char byte = 'A';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	*c = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int)),
			       .cmsg_level = SOL_SOCKET,
			       .cmsg_type = SCM_RIGHTS };
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = {};
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

/* failslab must count sleeping allocations for fail-nth to reach nodes. */
static const char *const knob_names[] = { "ignore-gfp-wait", "verbose" };
static const char *const knob_values[] = { "N", "0" };

/* Sets failslab's @name to @val, first saving its value in @old if given. */
static int knob(const char *name, const char *val, char *old, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), FAILSLAB "%s", name);
	if (old) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, old, len - 1);
		close(fd);
		old[n > 0 ? n : 0] = '\0';
		old[strcspn(old, "\n")] = '\0';
	}
	/* debugfs attributes cannot pwrite(): ESPIPE. */
	return file_write_str(path, val);
}

FIXTURE(stress) {
	int fd;
	int sock[2];
	pid_t scm;
	unsigned char *base;
	struct shared *sh;
	char saved[2][32];
	bool knobs;
};

FIXTURE_VARIANT(stress) {
	bool faults;
};

FIXTURE_VARIANT_ADD(stress, shared_arena) {
	.faults = false,
};

FIXTURE_VARIANT_ADD(stress, fault_injection) {
	.faults = true,
};

FIXTURE_SETUP(stress)
{
	struct stat st;
	unsigned int i;

	self->fd = -1;
	self->scm = -1;
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	if (variant->faults) {
		if (stat(FAIL_NTH, &st) || stat(FAILSLAB, &st))
			return;
		for (i = 0; i < ARRAY_SIZE(knob_names); i++) {
			ASSERT_EQ(0, knob(knob_names[i], knob_values[i],
					  self->saved[i], sizeof(self->saved[i])));
		}
		self->knobs = true;
	}
}

FIXTURE_TEARDOWN(stress)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; self->knobs && i < ARRAY_SIZE(knob_names); i++)
		bad |= knob(knob_names[i], self->saved[i], NULL, 0);
	EXPECT_EQ(0, bad);
	if (self->fd >= 0)
		close(self->fd);
	munmap(self->sh, sizeof(*self->sh));
}

static int wait_ok(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F_TIMEOUT(stress, run, 300)
{
	const char *env = getenv("ARENA_STRESS_SECONDS");
	int seconds = env && *env ? atoi(env) : SECONDS, i, n;
	struct arena_walk_entry e[4];
	struct arena_stats_args st;
	int bad_kids = 0;
	pid_t kids[FORKS];
	long invalid = 0;
	const char *why;

	if (variant->faults && !self->knobs)
		SKIP(return, "no %s or failslab: no fault injection", FAIL_NTH);

	/* The SCM_RIGHTS child exists before the arena: it inherits no fd. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				self->sock));
	self->scm = fork();
	ASSERT_LE(0, self->scm);
	if (!self->scm) {
		int fd = recv_fd(self->sock[1]);
		unsigned char *p;

		if (fd < 0)
			_exit(2);
		p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(3);
		run_workers(self->sh, fd, p, MAIN_THREADS + FORKS * FORK_THREADS + 1,
			    SCM_THREADS, variant->faults, seconds);
		_exit(self->sh->failures ? 1 : 0);
	}

	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, REGION, ALIGN));
	self->base = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->base);
	ASSERT_EQ(0, send_fd(self->sock[0], self->fd));

	for (i = 0; i < FORKS; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			run_workers(self->sh, self->fd, self->base,
				    MAIN_THREADS + i * FORK_THREADS + 1,
				    FORK_THREADS, variant->faults, seconds);
			_exit(self->sh->failures ? 1 : 0);
		}
	}
	run_workers(self->sh, self->fd, self->base, 1, MAIN_THREADS,
		    variant->faults, seconds);
	for (i = 0; i < FORKS; i++)
		bad_kids += wait_ok(kids[i]) != 0;
	EXPECT_EQ(0, bad_kids);
	EXPECT_EQ(0, wait_ok(self->scm)) TH_LOG("SCM_RIGHTS child");
	ASSERT_EQ(0, self->sh->failures) TH_LOG("%s", self->sh->why);

	for (i = 1; i <= WORKERS; i++) {
		EXPECT_LT(20, self->sh->ops[i]) TH_LOG("worker %d idle", i);
		invalid += self->sh->invalid_frees[i];
	}
	TH_LOG("%d workers, %d s; ops %ld..; mmaps of own allocations %ld; "
	       "faults fired %ld: %ld batches ENOMEM whole, %ld ops ENOMEM",
	       WORKERS, seconds, self->sh->ops[1], self->sh->own_maps,
	       self->sh->faults_fired, self->sh->batch_enomem,
	       self->sh->op_enomem);
	if (variant->faults)
		EXPECT_LT(0, self->sh->faults_fired);

	/* Everyone freed everything: one free chunk, counters balanced. */
	ASSERT_EQ(0, ioc_stats(self->fd, &st));
	EXPECT_EQ(0, st.used);
	EXPECT_EQ(0, st.chunks_used);
	EXPECT_EQ(1, st.chunks_free);
	EXPECT_EQ(REGION, st.largest_free);
	EXPECT_EQ(st.alloc_ok, st.free_ok);
	EXPECT_EQ(invalid, st.free_invalid);
	n = ioc_walk_all(self->fd, e, ARRAY_SIZE(e), REGION);
	ASSERT_EQ(1, n);
	why = walk_check(e, n, REGION, ALIGN);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	ASSERT_EQ(0, e[0].flags);
	munmap(self->base, REGION);
}

TEST_HARNESS_MAIN
