// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded random run of valid and hostile calls on /dev/arena, each
 * result checked against a model of the arena kept here.
 *
 * The model is the arena's chunk list: free and live chunks in offset
 * order, tiling the region.  Best fit takes the smallest free chunk that
 * fits (lowest offset among equal sizes) and carves from its tail; a free
 * merges with free neighbours.  So every offset, every errno, every STATS
 * counter and every WALK entry is predicted exactly.
 *
 * Calls: ALLOC, FREE, BATCH, WALK, STATS and SETUP with random and hostile
 * fields (sizes 0, huge, ~0; misaligned, out-of-range and double frees;
 * non-zero flags, reserved and pad; unknown batch ops; NULL, unmapped,
 * kernel, read-only and page-straddling pointers), unknown ioctls, calls
 * on a read-only fd, mmap with random offsets, lengths and protections
 * (PROT_EXEC, MAP_PRIVATE), munmap, mprotect to exec, fork (the child runs
 * a few calls on the shared arena, on the shared model) and close/reopen.
 *
 * ARENA_FUZZ_SEED picks the seed (printed), ARENA_FUZZ_OPS the number of
 * operations (default FUZZ_OPS).
 */
#define _GNU_SOURCE		/* ST_NOEXEC */
#include <stddef.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>

#include "arena_test.h"

#include "kselftest_harness.h"

/*
 * Default operations: 1e5 for the 64-bit program (81 s on the debug lane,
 * KASAN under TCG); the 32-bit one, which runs the same sequence through
 * the compat path, 40000 (130 s for 1e5 there).
 */
#define FUZZ_OPS	(sizeof(long) == 8 ? 100000 : 40000)
#define PAGE		4096UL
#define MAXLIVE		1000
#define MAXCH		(2 * (MAXLIVE + ARENA_BATCH_MAX) + 4)
#define MAXMAPS		16
#define STATS_EVERY	64
#define WALK_EVERY	1024
/* Read-only memory: batch arrays at the start, structs in the last page. */
#define RO_BYTES	((ARENA_BATCH_MAX + 1) * sizeof(struct arena_batch_op) + PAGE)
#define PAT		16	/* pattern bytes at each end of an allocation */
/* Regions SETUP may really get, and sizes beyond max_total_bytes. */
#define SETUP_SMALL	(2ULL << 20)
#define SETUP_HUGE	(1024ULL << 30)

struct chunk {
	__u64 off;
	__u64 len;
	__u32 used;
	__u32 tag;
};

/*
 * The model lives in shared memory: a forked child's calls change the
 * shared arena, and its updates to the model are the parent's too.
 */
struct model {
	__u64 rng;
	bool setup;
	__u64 total;
	__u64 align;
	__u64 used;
	__u64 nused;
	__u64 alloc_ok, alloc_failed, free_ok, free_invalid;
	int n;
	struct chunk c[MAXCH];
};

/* Where an argument is placed: valid memory, or one way of not being so. */
enum where { AT_OK, AT_RO, AT_NULL, AT_HOLE, AT_KERNEL, AT_STRADDLE, AT_NR };

struct fuzz {
	struct model *m;
	int fd;			/* the arena under test, O_RDWR */
	int rofd;		/* O_RDONLY: never set up */
	unsigned char *map;	/* whole region of the current arena */
	size_t map_len;
	struct { void *p; size_t len; int prot; } maps[MAXMAPS];
	int nmaps;
	unsigned char *ro;	/* RO_BYTES, read-only but while filled */
	unsigned char *edge;	/* a page followed by a PROT_NONE one */
	unsigned char *hole;	/* a PROT_NONE page */
	struct arena_batch_op *ops;
	struct arena_walk_entry *ents;
	__u64 def_size, def_align;
	bool noexec;		/* /dev mounted noexec: mm refuses PROT_EXEC */
	bool child;
	long step;
	long forks, reopens, mapped;	/* what the run did, for the log */
	__u64 seed;
};

static __u64 rnd(struct model *m)
{
	/* splitmix64 */
	__u64 z = (m->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 below(struct model *m, __u64 n)
{
	return n ? rnd(m) % n : 0;
}

/* ---- the model --------------------------------------------------------- */

static void model_reset(struct model *m)
{
	__u64 rng = m->rng;

	memset(m, 0, offsetof(struct model, c));
	m->rng = rng;
}

static void model_setup(struct model *m, __u64 size, __u64 align)
{
	model_reset(m);
	m->setup = true;
	m->total = size;
	m->align = align;
	m->n = 1;
	m->c[0] = (struct chunk){ .off = 0, .len = size };
}

/* Index of the first chunk at or after @off. */
static int model_index(const struct model *m, __u64 off)
{
	int lo = 0, hi = m->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (m->c[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int model_live(const struct model *m, __u64 off)
{
	int i = model_index(m, off);

	return i < m->n && m->c[i].off == off && m->c[i].used ? i : -1;
}

static int model_alloc(struct model *m, __u64 bytes, __u64 *off)
{
	__u64 need;
	int i, best = -1;

	*off = 0;
	if (bytes > m->total)
		goto nospace;
	need = (bytes + m->align - 1) / m->align * m->align;
	for (i = 0; i < m->n; i++)
		if (!m->c[i].used && m->c[i].len >= need &&
		    (best < 0 || m->c[i].len < m->c[best].len))
			best = i;
	if (best < 0)
		goto nospace;
	if (m->c[best].len > need) {
		m->c[best].len -= need;
		best++;
		memmove(&m->c[best + 1], &m->c[best],
			(m->n - best) * sizeof(m->c[0]));
		m->n++;
		m->c[best].off = m->c[best - 1].off + m->c[best - 1].len;
		m->c[best].len = need;
	}
	m->c[best].used = 1;
	m->c[best].tag = (__u32)rnd(m);
	m->used += need;
	m->nused++;
	m->alloc_ok++;
	*off = m->c[best].off;
	return 0;

nospace:
	m->alloc_failed++;
	return -ENOMEM;
}

static void model_erase(struct model *m, int i)
{
	m->n--;
	memmove(&m->c[i], &m->c[i + 1], (m->n - i) * sizeof(m->c[0]));
}

static int model_free(struct model *m, __u64 off)
{
	int i = model_live(m, off);

	if (i < 0) {
		m->free_invalid++;
		return -EINVAL;
	}
	m->c[i].used = 0;
	m->used -= m->c[i].len;
	m->nused--;
	m->free_ok++;
	if (i + 1 < m->n && !m->c[i + 1].used) {
		m->c[i].len += m->c[i + 1].len;
		model_erase(m, i + 1);
	}
	if (i > 0 && !m->c[i - 1].used) {
		m->c[i - 1].len += m->c[i].len;
		model_erase(m, i);
	}
	return 0;
}

static void model_stats(const struct model *m, struct arena_stats_args *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	if (!m->setup)
		return;
	st->used = m->used;
	st->total = m->total;
	st->free = m->total - m->used;
	st->chunks_used = m->nused;
	st->align = m->align;
	st->alloc_ok = m->alloc_ok;
	st->alloc_failed = m->alloc_failed;
	st->free_ok = m->free_ok;
	st->free_invalid = m->free_invalid;
	for (i = 0; i < m->n; i++) {
		if (m->c[i].used)
			continue;
		st->chunks_free++;
		if (m->c[i].len > st->largest_free)
			st->largest_free = m->c[i].len;
	}
}

/* A live allocation, or -1 if none. */
static int pick_live(struct model *m)
{
	int i, k;

	if (!m->nused)
		return -1;
	k = below(m, m->nused);
	for (i = 0; i < m->n; i++)
		if (m->c[i].used && !k--)
			return i;
	return -1;
}

static __u64 pick_size(struct model *m)
{
	__u64 r = below(m, 100);

	if (r < 65)
		return 1 + below(m, 256);
	if (r < 85)
		return 1 + below(m, 4096);
	if (r < 95)
		return PAGE * (1 + below(m, 4));
	return 1 + below(m, m->total / 4 + 1);
}

/* Sizes ALLOC may be asked for, hostile ones included. */
static __u64 pick_any_size(struct model *m)
{
	switch (below(m, 12)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return ~0ULL - below(m, 4096);
	case 3:
		return m->total + below(m, 2);
	case 4:
		return 1ULL << (32 + below(m, 31));
	default:
		return pick_size(m);
	}
}

/* Offsets FREE may be given, hostile ones included. */
static __u64 pick_any_offset(struct model *m)
{
	int i = pick_live(m);

	switch (below(m, 10)) {
	case 0:
		return ~0ULL - below(m, 2);
	case 1:
		return m->total + below(m, 3) * m->align;
	case 2:
		return i >= 0 ? m->c[i].off + 1 : 1;
	case 3:
		i = below(m, m->n);
		return m->n ? m->c[i].off : 0;		/* maybe a free chunk */
	case 4:
		return below(m, m->total + 1);
	case 5:
		return 1ULL << (32 + below(m, 31));
	default:
		return i >= 0 ? m->c[i].off : 0;
	}
}

/* ---- patterns in the allocations ---------------------------------------- */

static unsigned char pat(const struct chunk *c, __u64 i)
{
	return (unsigned char)(c->tag + i * 29 + (c->off >> 4));
}

static void pat_fill(struct fuzz *z, const struct chunk *c)
{
	__u64 i;

	if (!z->map)
		return;
	for (i = 0; i < c->len; i++) {
		if (i == PAT && c->len > 2 * PAT)
			i = c->len - PAT;
		z->map[c->off + i] = pat(c, i);
	}
}

static bool pat_ok(const struct fuzz *z, const struct chunk *c)
{
	__u64 i;

	if (!z->map)
		return true;
	for (i = 0; i < c->len; i++) {
		if (i == PAT && c->len > 2 * PAT)
			i = c->len - PAT;
		if (z->map[c->off + i] != pat(c, i))
			return false;
	}
	return true;
}

/* ---- hostile placement of arguments ------------------------------------- */

static void *ro_write(struct fuzz *z, const void *src, size_t len, bool array)
{
	unsigned char *p = array ? z->ro : z->ro + RO_BYTES - PAGE;

	mprotect(z->ro, RO_BYTES, PROT_READ | PROT_WRITE);
	memcpy(p, src, len);
	mprotect(z->ro, RO_BYTES, PROT_READ);
	return p;
}

static enum where pick_where(struct model *m)
{
	/* Mostly valid memory: the calls must also get somewhere. */
	return below(m, 8) ? AT_OK : (enum where)(1 + below(m, AT_NR - 1));
}

/*
 * Where to place @len bytes of @src for @w; AT_OK uses @buf (an array in
 * place when @buf is @src).  Reads fault except for AT_OK and AT_RO,
 * writes except for AT_OK.
 */
static void *place(struct fuzz *z, enum where w, void *buf, const void *src,
		   size_t len)
{
	switch (w) {
	case AT_OK:
		memmove(buf, src, len);
		return buf;
	case AT_RO:
		return ro_write(z, src, len, buf == src);
	case AT_NULL:
		return NULL;
	case AT_HOLE:
		/* PROT_NONE, or never mapped (below mmap_min_addr) */
		return below(z->m, 2) ? z->hole : (void *)PAGE;
	case AT_KERNEL:
		return (void *)(uintptr_t)-PAGE;
	default:	/* the start readable, the rest not */
		len = len / 2 < PAGE / 2 ? len / 2 : PAGE / 2;
		memcpy(z->edge + PAGE - len, src, len);
		return z->edge + PAGE - len;
	}
}

static bool read_faults(enum where w)
{
	return w != AT_OK && w != AT_RO;
}

#define CHECK(z, exp, got, what) do { \
	const struct fuzz *_z = (z); \
	\
	ASSERT_EQ((exp), (got)) \
	TH_LOG("seed %llu step %ld%s: %s", (unsigned long long)_z->seed, \
	       _z->step, _z->child ? " (child)" : "", what); \
} while (0)

/* ---- keeping the whole-region mapping ------------------------------------ */

static void map_region(struct __test_metadata *_metadata, struct fuzz *z)
{
	void *p;

	if (z->map || !z->m->setup)
		return;
	z->map_len = (z->m->total + PAGE - 1) & ~(PAGE - 1);
	p = mmap(NULL, z->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, z->fd, 0);
	CHECK(z, true, p != MAP_FAILED, "map the whole region");
	z->map = p;
}

/* The arena went away with its fd (mappings of it may stay). */
static void drop_region(struct fuzz *z)
{
	if (z->map)
		munmap(z->map, z->map_len);
	z->map = NULL;
}

static void check_stats(struct __test_metadata *_metadata, struct fuzz *z,
			int fd, const struct model *m)
{
	struct arena_stats_args st, exp;

	model_stats(m, &exp);
	CHECK(z, 0, ioc_stats(fd, &st), "STATS");
	st.metadata_bytes = 0;
	CHECK(z, 0, memcmp(&exp, &st, sizeof(st)), "STATS counters");
}

/* The kernel's chunk list is the model's, entry for entry. */
static void check_walk(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	int n, i;

	if (!m->setup)
		return;
	n = ioc_walk_all(z->fd, z->ents, MAXCH, m->total);
	CHECK(z, m->n, n, "full WALK: chunk count");
	for (i = 0; i < n; i++) {
		CHECK(z, m->c[i].off, z->ents[i].offset, "full WALK: offset");
		CHECK(z, m->c[i].len, z->ents[i].size, "full WALK: size");
		CHECK(z, m->c[i].used, z->ents[i].flags, "full WALK: flags");
		if (m->c[i].used)
			CHECK(z, true, pat_ok(z, &m->c[i]), "pattern");
	}
}

/* Calls that need an fd open for writing set the arena up first. */
static void implicit_setup(struct fuzz *z)
{
	if (!z->m->setup)
		model_setup(z->m, z->def_size, z->def_align);
}

/* ---- operations ----------------------------------------------------------- */

static void op_alloc(struct __test_metadata *_metadata, struct fuzz *z,
		     bool hostile)
{
	struct model *m = z->m;
	struct arena_alloc_args a = { .offset = 0x5a5a }, buf, *p;
	enum where w = hostile ? pick_where(m) : AT_OK;
	int ret, exp;
	__u64 off;

	implicit_setup(z);
	a.size = hostile ? pick_any_size(m) : pick_size(m);
	if (hostile && !below(m, 6))
		a.flags = 1U << below(m, 32);
	if (hostile && !below(m, 6))
		a.reserved = 1 + (__u32)below(m, 1000);
	p = place(z, w, &buf, &a, sizeof(a));
	ret = ioc(z->fd, ARENA_IOC_ALLOC, p);

	if (read_faults(w)) {
		exp = -EFAULT;
	} else if (a.flags || a.reserved || !a.size) {
		exp = -EINVAL;
	} else {
		exp = model_alloc(m, a.size, &off);
		if (!exp && w == AT_RO) {
			/* The offset cannot be returned: taken back. */
			model_free(m, off);
			exp = -EFAULT;
		}
	}
	CHECK(z, exp, ret, "ALLOC");
	if (ret || w != AT_OK)
		return;
	CHECK(z, off, buf.offset, "ALLOC offset");
	map_region(_metadata, z);
	pat_fill(z, &m->c[model_live(m, off)]);
}

static void op_free(struct __test_metadata *_metadata, struct fuzz *z,
		    bool hostile)
{
	struct model *m = z->m;
	struct arena_free_args a = {}, buf, *p;
	enum where w = hostile ? pick_where(m) : AT_OK;
	int i, ret, exp;

	implicit_setup(z);
	i = pick_live(m);
	if (hostile || i < 0)
		a.offset = pick_any_offset(m);
	else
		a.offset = m->c[i].off;
	if (hostile && !below(m, 8))
		a.flags = 1U << below(m, 32);
	if (hostile && !below(m, 8))
		a.reserved = 1;
	i = model_live(m, a.offset);
	if (i >= 0 && z->map)
		CHECK(z, true, pat_ok(z, &m->c[i]), "pattern before FREE");
	p = place(z, w, &buf, &a, sizeof(a));
	ret = ioc(z->fd, ARENA_IOC_FREE, p);
	if (read_faults(w))
		exp = -EFAULT;
	else if (a.flags || a.reserved)
		exp = -EINVAL;
	else
		exp = model_free(m, a.offset);
	CHECK(z, exp, ret, "FREE");
}

static void op_stats(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	enum where w = pick_where(m);
	struct arena_stats_args st;
	void *p;

	if (w == AT_OK) {
		check_stats(_metadata, z, z->fd, m);
		return;
	}
	p = place(z, w, &st, &st, 0);
	/* STATS only writes: read-only memory fails too. */
	CHECK(z, -EFAULT, ioc(z->fd, ARENA_IOC_STATS, p), "STATS to bad memory");
}

static void op_walk(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	struct arena_walk_args a = {}, buf, *p;
	enum where w = pick_where(m), we = AT_OK;
	__u64 r = below(m, 10), next = 0;
	int i = 0, ret, exp, count = 0, k;

	if (m->n)
		i = below(m, m->n);
	if (r < 4)
		a.start = 0;
	else if (r < 7)
		a.start = m->n ? m->c[i].off : 0;
	else if (r < 8)
		a.start = m->total + below(m, 2) * m->align;
	else
		a.start = below(m, m->total + 2);
	r = below(m, 10);
	a.capacity = r < 6 ? 1 + below(m, 40) :
		     r < 8 ? (__u32)below(m, 3) :
		     r < 9 ? ARENA_WALK_MAX + (__u32)below(m, 2) :
			     ~0U - (__u32)below(m, 2);
	if (!below(m, 30))
		a.flags = 1;
	if (!below(m, 30))
		a.reserved = 1;
	if (!below(m, 12))
		we = (enum where)(1 + below(m, AT_NR - 1));
	memset(z->ents, 0xa5, ARENA_WALK_MAX * sizeof(z->ents[0]));
	a.entries = (uintptr_t)place(z, we, z->ents, z->ents, 0);
	a.count = 0x77;
	a.next = 0x77;
	p = place(z, w, &buf, &a, sizeof(a));
	ret = ioc(z->fd, ARENA_IOC_WALK, p);

	if (read_faults(w)) {
		exp = -EFAULT;
	} else if (a.flags || a.reserved || !a.capacity) {
		exp = -EINVAL;
	} else if (!m->setup) {
		exp = a.start ? -EINVAL : w == AT_RO ? -EFAULT : 0;
	} else if (a.start > m->total || a.start % m->align) {
		exp = -EINVAL;
	} else {
		k = model_index(m, a.start);
		if (a.start < m->total && (k == m->n || m->c[k].off != a.start)) {
			exp = -EINVAL;
		} else {
			count = m->n - k;
			if ((__u32)count > a.capacity)
				count = a.capacity;
			if (count > ARENA_WALK_MAX)
				count = ARENA_WALK_MAX;
			next = count ? m->c[k + count - 1].off +
				       m->c[k + count - 1].len : a.start;
			exp = (count && we != AT_OK) || w == AT_RO ? -EFAULT : 0;
		}
	}
	CHECK(z, exp, ret, "WALK");
	if (ret || w != AT_OK)
		return;
	CHECK(z, count, buf.count, "WALK count");
	CHECK(z, next, buf.next, "WALK next");
	for (i = 0; i < count; i++) {
		const struct chunk *c = &m->c[model_index(m, a.start) + i];

		CHECK(z, c->off, z->ents[i].offset, "WALK entry offset");
		CHECK(z, c->len, z->ents[i].size, "WALK entry size");
		CHECK(z, c->used, z->ents[i].flags, "WALK entry flags");
		CHECK(z, 0, z->ents[i].reserved, "WALK entry reserved");
	}
	if (count < ARENA_WALK_MAX)
		CHECK(z, 0xa5, ((unsigned char *)&z->ents[count])[0],
		      "WALK wrote past its count");
}

static void op_batch(struct __test_metadata *_metadata, struct fuzz *z,
		     bool hostile)
{
	struct model *m = z->m;
	struct arena_batch_op *ops = z->ops;
	struct arena_batch_args a = {}, buf, *p;
	enum where w = hostile ? pick_where(m) : AT_OK, wo = AT_OK;
	__u64 r = below(m, 100);
	__u32 n, i, failed = 0;
	bool malformed = false;
	int ret, exp, j;

	implicit_setup(z);
	/* Long batches are most of the kernel's work: a few are enough. */
	n = r < 60 ? 1 + below(m, 8) : r < 94 ? 9 + below(m, 92) :
	    r < 99 ? 100 + below(m, 200) : ARENA_BATCH_MAX - below(m, 2);
	if (n == ARENA_BATCH_MAX && below(m, 2))
		n = 33 + below(m, 64);
	for (i = 0; i < n; i++) {
		struct arena_batch_op *o = &ops[i];

		*o = (struct arena_batch_op){ .offset = 0x1234, .error = 77 };
		r = below(m, 100);
		if (r < 50 && m->nused + n < MAXLIVE) {
			o->op = ARENA_BATCH_ALLOC;
			o->arg = hostile ? pick_any_size(m) : pick_size(m);
		} else {
			o->op = ARENA_BATCH_FREE;
			j = pick_live(m);
			o->arg = hostile || j < 0 ? pick_any_offset(m) : m->c[j].off;
		}
	}
	if (hostile && !below(m, 4)) {
		malformed = true;
		i = below(m, n);
		switch (below(m, 3)) {
		case 0:
			ops[i].op = below(m, 2) ? 0 : 3 + (__u32)below(m, 100);
			break;
		case 1:
			ops[i].reserved = 1;
			break;
		default:
			ops[i].pad = 1U << below(m, 32);
		}
	}
	if (hostile && !below(m, 6))
		wo = (enum where)(1 + below(m, AT_NR - 1));
	a.count = n;
	if (hostile && !below(m, 10))
		a.count = below(m, 2) ? 0 : ARENA_BATCH_MAX + 1 + below(m, 3);
	if (hostile && !below(m, 12))
		a.flags = 1;
	if (hostile && !below(m, 12))
		a.reserved = 1;
	a.failed = 0x99;
	a.ops = (uintptr_t)place(z, wo, ops, ops, n * sizeof(*ops));
	p = place(z, w, &buf, &a, sizeof(a));
	/* The patterns of what the batch may free, checked before it runs. */
	for (i = 0; i < n; i++) {
		j = ops[i].op == ARENA_BATCH_FREE ? model_live(m, ops[i].arg) : -1;
		if (j >= 0)
			CHECK(z, true, pat_ok(z, &m->c[j]), "pattern before BATCH");
	}
	ret = ioc(z->fd, ARENA_IOC_BATCH, p);

	if (read_faults(w))
		exp = -EFAULT;
	else if (a.flags || a.reserved || !a.count || a.count > ARENA_BATCH_MAX)
		exp = -EINVAL;
	else if (read_faults(wo))
		exp = -EFAULT;
	else if (malformed)
		exp = -EINVAL;
	else if (wo == AT_RO || w == AT_RO)
		exp = -EFAULT;	/* results not deliverable: nothing runs */
	else
		exp = 0;
	CHECK(z, exp, ret, "BATCH");
	if (exp)
		return;
	for (i = 0; i < n; i++) {
		__u64 off = 0;
		int e;

		if (ops[i].op == ARENA_BATCH_FREE)
			e = model_free(m, ops[i].arg);
		else if (!ops[i].arg)
			e = -EINVAL;
		else
			e = model_alloc(m, ops[i].arg, &off);
		failed += e != 0;
		CHECK(z, e, ops[i].error, "BATCH op error");
		CHECK(z, off, ops[i].offset, "BATCH op offset");
	}
	CHECK(z, failed, buf.failed, "BATCH failed");
	map_region(_metadata, z);
	for (i = 0; i < n; i++) {
		j = ops[i].op == ARENA_BATCH_ALLOC && !ops[i].error ?
		    model_live(m, ops[i].offset) : -1;
		if (j >= 0)
			pat_fill(z, &m->c[j]);
	}
}

static void op_setup(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	struct arena_setup_args a = {}, buf, *p;
	enum where w = pick_where(m);
	__u64 r = below(m, 10), align = 1ULL << below(m, 14);
	int ret, exp;
	bool valid;

	if (r < 6)
		a.size = align * (1 + below(m, (256 << 10) / align));
	else if (r < 7)
		a.size = 0;
	else if (r < 8)
		a.size = 1ULL << (33 + below(m, 8));	/* beyond every cap */
	else
		a.size = rnd(m) >> below(m, 64);
	/* Valid sizes are small or beyond every cap: no huge vmalloc. */
	if (a.size > SETUP_SMALL && a.size < SETUP_HUGE)
		a.size |= SETUP_HUGE;
	a.align = below(m, 8) ? align : rnd(m) >> below(m, 64);
	/* ZERO_ON_FREE is the one known flag; any other bit is EINVAL. */
	if (!below(m, 10))
		a.flags = below(m, 2) ? ARENA_SETUP_ZERO_ON_FREE : 1U << (1 + below(m, 31));
	if (!below(m, 10))
		a.reserved = 1;
	p = place(z, w, &buf, &a, sizeof(a));
	ret = ioc(z->fd, ARENA_IOC_SETUP, p);

	valid = a.align && a.align <= ARENA_MAX_ALIGN &&
		!(a.align & (a.align - 1)) && a.size && !(a.size % a.align) &&
		a.size / a.align <= 0xffffffffULL;
	if (read_faults(w))
		exp = -EFAULT;
	else if ((a.flags & ~ARENA_SETUP_FLAGS) || a.reserved || !valid)
		exp = -EINVAL;
	else if (m->setup)
		exp = -EBUSY;
	else if (a.size > SETUP_SMALL)
		exp = -ENOMEM;
	else
		exp = 0;
	CHECK(z, exp, ret, "SETUP");
	if (!ret) {
		model_setup(m, a.size, a.align);
		map_region(_metadata, z);
	}
}

/* The read-only fd: never set up, never writable. */
static void op_rdonly(struct __test_metadata *_metadata, struct fuzz *z)
{
	static const unsigned long cmds[] = {
		ARENA_IOC_SETUP, ARENA_IOC_ALLOC, ARENA_IOC_FREE, ARENA_IOC_BATCH,
	};
	static const struct model empty;
	struct arena_walk_args wa = {
		.entries = (uintptr_t)z->ents, .capacity = 4, .next = 9,
	};
	void *p;

	switch (below(z->m, 4)) {
	case 0:
		CHECK(z, -EBADF, ioc(z->rofd, cmds[below(z->m, 4)], NULL),
		      "read-only fd changes");
		break;
	case 1:
		check_stats(_metadata, z, z->rofd, &empty);
		break;
	case 2:
		CHECK(z, 0, ioc(z->rofd, ARENA_IOC_WALK, &wa), "read-only WALK");
		CHECK(z, 0, wa.count, "read-only WALK count");
		CHECK(z, 0, wa.next, "read-only WALK next");
		break;
	default:
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, z->rofd, 0);
		CHECK(z, true, p == MAP_FAILED, "read-only mmap");
		CHECK(z, EBADF, errno, "read-only mmap errno");
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, z->rofd, 0);
		CHECK(z, EACCES, p == MAP_FAILED ? errno : 0, "read-only writable mmap");
	}
}

static void op_unknown_ioctl(struct __test_metadata *_metadata, struct fuzz *z)
{
	static const unsigned long cmds[] = {
		_IO(ARENA_IOC_MAGIC, 0x00),
		_IOWR(ARENA_IOC_MAGIC, 0x07, struct arena_alloc_args),
		_IOR(ARENA_IOC_MAGIC, 0x02, struct arena_alloc_args),
		_IOW(ARENA_IOC_MAGIC, 0x01, __u64),
		_IOWR(ARENA_IOC_MAGIC, 0x06, __u64),
		_IOR(ARENA_IOC_MAGIC, 0x04, struct arena_walk_args),
		_IOWR(0xA8, 0x02, struct arena_alloc_args),
	};
	struct arena_alloc_args a = { .size = 16 };

	CHECK(z, -ENOTTY, ioc(z->fd, cmds[below(z->m, ARRAY_SIZE(cmds))], &a),
	      "unknown ioctl");
}

static void op_mmap(struct __test_metadata *_metadata, struct fuzz *z)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	struct model *m = z->m;
	int prot = prots[below(m, ARRAY_SIZE(prots))], exp, i;
	int flags = below(m, 8) ? MAP_SHARED : MAP_PRIVATE;
	__u64 off, len, region, r = below(m, 10), live = 0;
	unsigned char *p;

	if (!below(m, 2))
		prot = PROT_READ | PROT_WRITE;
	i = pick_live(m);
	if (r < 4 && i >= 0)
		off = m->c[i].off & ~(below(m, 4) ? 0 : PAGE - 1);
	else if (r < 6)
		off = 0;
	else if (r < 9)
		off = below(m, (m->total + 3 * PAGE) / PAGE) * PAGE;
	else
		off = below(m, 2) ? 1 + below(m, PAGE - 1) : 0x7ffff000;
	if (off % PAGE && below(m, 3))
		off &= ~(PAGE - 1);
	region = (m->total + PAGE - 1) & ~(PAGE - 1);
	r = below(m, 10);
	if (r < 3)
		len = region;
	else if (r < 7)
		len = i >= 0 ? m->c[i].len : PAGE;
	else if (r < 9)
		len = 1 + below(m, 3 * PAGE);
	else
		len = below(m, 2) ? 0 : 2 * region + below(m, 4 * PAGE);
	if (z->nmaps == MAXMAPS)
		return;

	p = mmap(NULL, len, prot, flags, z->fd, (off_t)off);
	/* What the mm refuses never reaches the driver. */
	if (!len || off % PAGE) {
		exp = EINVAL;
	} else if ((prot & PROT_EXEC) && z->noexec) {
		exp = EPERM;
	} else {
		implicit_setup(z);
		region = (m->total + PAGE - 1) & ~(PAGE - 1);
		len = (len + PAGE - 1) & ~(PAGE - 1);
		i = model_live(m, off);
		if (i >= 0)
			live = (m->c[i].len + PAGE - 1) & ~(PAGE - 1);
		if (flags != MAP_SHARED)
			exp = EINVAL;
		else if (prot & PROT_EXEC)
			exp = EPERM;
		else if (!off && len == region)
			exp = 0;
		else if (off >= region)
			exp = EINVAL;
		else
			exp = len <= live ? 0 : EINVAL;
	}
	CHECK(z, exp, p == MAP_FAILED ? errno : 0, "mmap");
	map_region(_metadata, z);
	if (p == MAP_FAILED)
		return;
	/* The same pages as the region mapping. */
	if ((prot & PROT_READ) && off < m->total)
		CHECK(z, 0, memcmp(p, z->map + off,
				   m->total - off < PAGE ? m->total - off : PAGE),
		      "mapping differs from the region mapping");
	CHECK(z, EACCES, mprotect(p, len, PROT_READ | PROT_EXEC) ? errno : 0,
	      "mprotect to exec");
	z->mapped++;
	z->maps[z->nmaps].p = p;
	z->maps[z->nmaps].len = len;
	z->maps[z->nmaps++].prot = prot;
}

static void op_munmap(struct __test_metadata *_metadata, struct fuzz *z)
{
	int i;

	if (!z->nmaps)
		return;
	i = below(z->m, z->nmaps);
	CHECK(z, 0, munmap(z->maps[i].p, z->maps[i].len), "munmap");
	z->maps[i] = z->maps[--z->nmaps];
}

static void op_reopen(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	int i;

	/* A mapping keeps the closed arena alive, patterns and all. */
	z->reopens++;
	close(z->fd);
	for (i = 0; z->map && i < m->n; i++) {
		if (m->c[i].used)
			CHECK(z, true, pat_ok(z, &m->c[i]), "pattern after close");
	}
	drop_region(z);
	while (z->nmaps)
		op_munmap(_metadata, z);
	z->fd = arena_test_open();
	CHECK(z, true, z->fd >= 0, "reopen");
	model_reset(m);
	check_stats(_metadata, z, z->fd, m);
	if (below(m, 2))
		op_setup(_metadata, z);
}

static void fuzz_step(struct __test_metadata *_metadata, struct fuzz *z);

/* A child runs a few calls on the inherited fd, the model shared. */
static void op_fork(struct __test_metadata *_metadata, struct fuzz *z)
{
	int status, k = 1 + below(z->m, 20);
	pid_t pid = fork();

	CHECK(z, true, pid >= 0, "fork");
	z->forks++;
	if (!pid) {
		z->child = true;
		while (k--)
			fuzz_step(_metadata, z);
		_exit(0);
	}
	CHECK(z, pid, waitpid(pid, &status, 0), "waitpid");
	CHECK(z, 0, status, "child's calls");
	map_region(_metadata, z);
	check_stats(_metadata, z, z->fd, z->m);
}

static void fuzz_step(struct __test_metadata *_metadata, struct fuzz *z)
{
	struct model *m = z->m;
	__u64 r = below(m, 1000);
	bool full = m->nused >= MAXLIVE;

	if (r < 260 && !full)
		op_alloc(_metadata, z, false);
	else if (r < 460)
		op_free(_metadata, z, false);
	else if (r < 500)
		op_alloc(_metadata, z, true);
	else if (r < 540)
		op_free(_metadata, z, true);
	else if (r < 620)
		op_batch(_metadata, z, false);
	else if (r < 680)
		op_batch(_metadata, z, true);
	else if (r < 760)
		op_walk(_metadata, z);
	else if (r < 800)
		op_stats(_metadata, z);
	else if (r < 820)
		op_setup(_metadata, z);
	else if (r < 840)
		op_rdonly(_metadata, z);
	else if (r < 850)
		op_unknown_ioctl(_metadata, z);
	else if (z->child)
		op_free(_metadata, z, false);
	else if (r < 930)
		op_mmap(_metadata, z);
	else if (r < 990)
		op_munmap(_metadata, z);
	else if (r < 991)	/* forks and reopens are slow under KASAN */
		op_fork(_metadata, z);
	else if (r < 992)
		op_reopen(_metadata, z);
	else
		op_free(_metadata, z, false);
	map_region(_metadata, z);
}

static __u64 env_u64(const char *name, __u64 def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static void *map_anon(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

FIXTURE(fuzz) {
	struct fuzz z;
};

FIXTURE_SETUP(fuzz)
{
	self->z.fd = -1;
	self->z.rofd = -1;
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_ops, 600)
{
	struct fuzz *z = &self->z;
	long ops = env_u64("ARENA_FUZZ_OPS", FUZZ_OPS);
	struct statvfs sv;

	z->seed = env_u64("ARENA_FUZZ_SEED", 0);
	if (!z->seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		z->seed = (__u64)ts.tv_sec * 1000000007ULL + ts.tv_nsec + getpid();
	}
	TH_LOG("seed %llu (ARENA_FUZZ_SEED=%llu repeats it), %ld operations",
	       (unsigned long long)z->seed, (unsigned long long)z->seed, ops);

	ASSERT_EQ(0, param_read("default_size", &z->def_size));
	ASSERT_EQ(0, param_read("default_align", &z->def_align));
	z->m = map_anon(sizeof(*z->m), PROT_READ | PROT_WRITE, MAP_SHARED);
	z->ro = map_anon(RO_BYTES, PROT_READ, MAP_PRIVATE);
	z->edge = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	z->hole = map_anon(PAGE, PROT_NONE, MAP_PRIVATE);
	z->ops = calloc(ARENA_BATCH_MAX + 1, sizeof(*z->ops));
	z->ents = calloc(MAXCH, sizeof(*z->ents));
	ASSERT_TRUE(z->m && z->ro && z->edge && z->hole && z->ops && z->ents);
	/* Kept mapped: a later mmap() must not land there. */
	ASSERT_EQ(0, mprotect(z->edge + PAGE, PAGE, PROT_NONE));
	z->m->rng = z->seed;
	ASSERT_EQ(0, statvfs(arena_test_device(), &sv));
	z->noexec = sv.f_flag & ST_NOEXEC;

	z->fd = arena_test_open();
	z->rofd = open(arena_test_device(), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, z->fd);
	ASSERT_LE(0, z->rofd);

	for (z->step = 0; z->step < ops; z->step++) {
		fuzz_step(_metadata, z);
		if (z->step % STATS_EVERY == 0)
			check_stats(_metadata, z, z->fd, z->m);
		if (z->step % WALK_EVERY == 0)
			check_walk(_metadata, z);
	}
	check_walk(_metadata, z);
	TH_LOG("%ld forks, %ld reopens, %ld mmaps", z->forks, z->reopens,
	       z->mapped);
	TH_LOG("last arena: %llu allocations, %llu invalid frees, %llu live",
	       (unsigned long long)z->m->alloc_ok,
	       (unsigned long long)z->m->free_invalid,
	       (unsigned long long)z->m->nused);

	/* Everything freed: one free chunk over the whole region. */
	while (z->m->nused)
		op_free(_metadata, z, false);
	check_stats(_metadata, z, z->fd, z->m);
	check_walk(_metadata, z);
	if (z->m->setup)
		ASSERT_EQ(1, z->m->n);
	while (z->nmaps)
		op_munmap(_metadata, z);
	drop_region(z);
	close(z->fd);
	close(z->rofd);
}

TEST_HARNESS_MAIN
