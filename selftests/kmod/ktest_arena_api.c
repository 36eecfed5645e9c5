// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the arena module's in-kernel API, as another module uses it:
 * only the symbols exported through arena_api.h.  The cases run at module init
 * and report KTAP on the kernel log; init returns 0 even when cases fail
 * so that the guest runner reads and counts the results.
 *
 * Expected values come from the documented semantics (best fit, lowest
 * offset on ties, carving from the tail, LevelDB block rules), never from
 * what the implementation happens to return.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "arena_api.h"
#include "arena_layout.h"
#include "arena_model.h"
#include "bump_model.h"
#include "ktap.h"

#define API_SEED		0x9e3779b97f4a7c15ULL
#define BUMP_SMALL_ALLOCS	100000
#define RANDOM_OPS		200000
#define RANDOM_REGION		(256 * 1024)
#define RANDOM_ALIGN		64

/* ---- helpers for the coalescing arena ---------------------------------- */

static char layout_msg[320];

static bool layout_is(struct ktap_run *t, struct arena *a, const char *want,
		      int line)
{
	if (arena_layout_check(a, want, layout_msg, sizeof(layout_msg)))
		return true;
	ktap_fail(t, "line %d: %s", line, layout_msg);
	return false;
}

#define LAYOUT_IS(t, a, want) layout_is(t, a, want, __LINE__)

static struct arena *layout_build(struct ktap_run *t, u8 *base, size_t align,
				  const char *layout, u8 **ptrs)
{
	struct arena *a = arena_layout_build(base, align, layout, ptrs,
					     layout_msg, sizeof(layout_msg));

	if (!a)
		ktap_fail(t, "%s: %s", layout, layout_msg);
	return a;
}

/* ---- bump arena --------------------------------------------------------- */

static char *bump_step(struct ktap_run *t, struct bump_model *m,
		       struct bump_arena *b, size_t bytes, bool aligned,
		       int line)
{
	char *p = aligned ? bump_arena_alloc_aligned(b, bytes) :
			    bump_arena_alloc(b, bytes);

	if (!bump_model_check(m, b, bytes, aligned, p)) {
		ktap_fail(t, "line %d: %s", line, m->msg);
		return NULL;
	}
	/* Every byte must be ours: KASAN flags a short block. */
	memset(p, 0x5a, bytes);
	return p;
}

#define BUMP(bytes)		bump_step(t, &m, b, bytes, false, __LINE__)
#define BUMP_ALIGNED(bytes)	bump_step(t, &m, b, bytes, true, __LINE__)

static void case_bump_block_rule(struct ktap_run *t)
{
	const size_t hdr = sizeof(void *), blk = BUMP_ARENA_BLOCK_SIZE;
	struct bump_model m = {};
	struct bump_arena *b;
	char *p1, *p, *q, *r;

	b = bump_arena_create(GFP_KERNEL);
	if (!ktap_check(t, b, "bump_arena_create"))
		return;
	if (!ktap_check(t, bump_arena_memory_usage(b) == 0, "fresh usage %zu",
			bump_arena_memory_usage(b)))
		goto out;

	/* The first request opens a block of BUMP_ARENA_BLOCK_SIZE. */
	p1 = BUMP(1);
	if (!p1 || !ktap_check(t, bump_arena_memory_usage(b) == blk + hdr,
			       "usage %zu", bump_arena_memory_usage(b)))
		goto out;
	/* Fast path: right after the previous one. */
	p = BUMP(100);
	if (!p || !ktap_check(t, p == p1 + 1, "p = p1%+td", p - p1))
		goto out;
	/* 4000 > 3995 left and > BIG_REQUEST: a block of its own... */
	q = BUMP(4000);
	if (!q || !ktap_check(t, bump_arena_memory_usage(b) ==
			      blk + hdr + 4000 + hdr, "usage %zu",
			      bump_arena_memory_usage(b)))
		goto out;
	/* ...and the current block goes on where it was. */
	p = BUMP(10);
	if (!p || !ktap_check(t, p == p1 + 101, "p = p1%+td", p - p1))
		goto out;
	/* A big request that fits takes the fast path. */
	p = BUMP(BUMP_ARENA_BIG_REQUEST + 1);
	if (!p || !ktap_check(t, p == p1 + 111, "p = p1%+td", p - p1))
		goto out;
	/* Exactly the rest of the block still fits. */
	p = BUMP(blk - 111 - BUMP_ARENA_BIG_REQUEST - 1);
	if (!p || !ktap_check(t, p == p1 + 111 + BUMP_ARENA_BIG_REQUEST + 1,
			      "p = p1%+td", p - p1))
		goto out;
	/* BIG_REQUEST itself is small: a new shared block. */
	r = BUMP(BUMP_ARENA_BIG_REQUEST);
	if (!r)
		goto out;
	p = BUMP(blk - BUMP_ARENA_BIG_REQUEST);
	if (!p || !ktap_check(t, p == r + BUMP_ARENA_BIG_REQUEST, "p = r%+td",
			      p - r))
		goto out;
	/* Full block; a big one gets its own and the full one stays. */
	if (!BUMP(BUMP_ARENA_BIG_REQUEST + 1))
		goto out;
	/* Abandon a 95-byte tail: 96 bytes open a new block... */
	r = BUMP(1);
	if (!r || !BUMP(1000) || !BUMP(1000) || !BUMP(1000) ||
	    !BUMP(1000))
		goto out;
	q = BUMP(96);
	if (!q || !ktap_check(t, q < r || q >= r + blk, "q = r%+td", q - r))
		goto out;
	/* ...and later small requests use the new block, not the tail. */
	p = BUMP(50);
	if (!p || !ktap_check(t, p == q + 96, "p = q%+td", p - q))
		goto out;
	ktap_check(t, bump_arena_memory_usage(b) == m.usage &&
		   m.blocks == 6 && m.usage == 4 * (blk + hdr) + 4000 +
		   BUMP_ARENA_BIG_REQUEST + 1 + 2 * hdr,
		   "usage %zu model %zu blocks %zu", bump_arena_memory_usage(b),
		   m.usage, m.blocks);
out:
	bump_arena_destroy(b);
}

static void case_bump_aligned(struct ktap_run *t)
{
	const size_t align = BUMP_MODEL_ALIGN;
	struct bump_model m = {};
	struct bump_arena *b;
	char *base, *p;

	b = bump_arena_create(GFP_KERNEL);
	if (!ktap_check(t, b, "bump_arena_create"))
		return;
	/* A new block: aligned, whatever the request. */
	base = BUMP_ALIGNED(1);
	if (!base)
		goto out;
	if (!BUMP(1))
		goto out;
	/* Two bytes used: padding to the next boundary is spent. */
	p = BUMP_ALIGNED(8);
	if (!p || !ktap_check(t, p == base + align, "p = base%+td", p - base))
		goto out;
	if (!BUMP(3))
		goto out;
	p = BUMP_ALIGNED(1);
	if (!p || !ktap_check(t, p == base + 3 * align, "p = base%+td",
			      p - base))
		goto out;
	/* Leave 3 bytes at a misaligned address. */
	p = BUMP(BUMP_ARENA_BLOCK_SIZE - 3 * align - 1 - 3);
	if (!p || !ktap_check(t, m.remaining == 3, "remaining %zu",
			      m.remaining))
		goto out;
	/* 3 bytes fit unpadded but not padded: a new block, no padding. */
	base = BUMP_ALIGNED(3);
	if (!base)
		goto out;
	p = BUMP(1);
	if (!p || !ktap_check(t, p == base + 3, "p = base%+td", p - base))
		goto out;
	/* Big request that fits with padding: from the block, aligned. */
	p = BUMP_ALIGNED(BUMP_ARENA_BIG_REQUEST + 76);
	if (!p || !ktap_check(t, p == base + align, "p = base%+td", p - base))
		goto out;
	/* Big request that does not fit: own block, current one stays. */
	if (!BUMP_ALIGNED(3000))
		goto out;
	p = BUMP(1);
	ktap_check(t, p == base + align + BUMP_ARENA_BIG_REQUEST + 76,
		   "p = base%+td", p - base);
out:
	bump_arena_destroy(b);
}

static void case_bump_zero_and_huge(struct ktap_run *t)
{
	static const size_t huge[] = {
		SIZE_MAX / 2, SIZE_MAX, SIZE_MAX - 3, SIZE_MAX - 5,
	};
	struct bump_model m = {};
	struct bump_arena *b;
	size_t i;
	char *p;

	b = bump_arena_create(GFP_KERNEL);
	if (!ktap_check(t, b, "bump_arena_create"))
		return;
	ktap_check(t, !bump_arena_alloc(b, 0), "alloc(0) on a fresh arena");
	ktap_check(t, !bump_arena_alloc_aligned(b, 0), "aligned alloc(0)");
	ktap_check(t, bump_arena_memory_usage(b) == 0, "usage %zu",
		   bump_arena_memory_usage(b));
	/* A misaligned current pointer: padding + size must not wrap. */
	p = BUMP(10);
	if (!p)
		goto out;
	ktap_check(t, !bump_arena_alloc(b, 0), "alloc(0)");
	ktap_check(t, !bump_arena_alloc_aligned(b, 0), "aligned alloc(0)");
	for (i = 0; i < ARRAY_SIZE(huge); i++) {
		ktap_check(t, bump_model_check_null(&m, b, huge[i],
						    bump_arena_alloc(b, huge[i])),
			   "%s", m.msg);
		ktap_check(t, bump_model_check_null(&m, b, huge[i],
						    bump_arena_alloc_aligned(b, huge[i])),
			   "aligned: %s", m.msg);
	}
	/* The current block is untouched. */
	p = BUMP(5);
	ktap_check(t, p && p == m.block + 10, "p = block%+td",
		   p - m.block);
out:
	bump_arena_destroy(b);
}

static void case_bump_many_small(struct ktap_run *t)
{
	struct bump_model m = {};
	struct bump_arena *b;
	u64 rng = API_SEED;
	u8 **ptr = NULL;
	u8 *len = NULL;
	size_t i, j;
	bool aligned;

	b = bump_arena_create(GFP_KERNEL);
	ptr = vmalloc(array_size(BUMP_SMALL_ALLOCS, sizeof(*ptr)));
	len = vmalloc(BUMP_SMALL_ALLOCS);
	if (!ktap_check(t, b && ptr && len, "setup"))
		goto out;
	for (i = 0; i < BUMP_SMALL_ALLOCS; i++) {
		len[i] = 1 + arena_model_below(&rng, 200);
		aligned = !arena_model_below(&rng, 8);
		ptr[i] = aligned ? bump_arena_alloc_aligned(b, len[i]) :
				   bump_arena_alloc(b, len[i]);
		if (!bump_model_check(&m, b, len[i], aligned, (char *)ptr[i])) {
			ktap_fail(t, "alloc %zu: %s", i, m.msg);
			goto out;
		}
		for (j = 0; j < len[i]; j++)
			ptr[i][j] = arena_model_byte(i, j);
		if (!(i % 4096))
			cond_resched();
	}
	for (i = 0; i < BUMP_SMALL_ALLOCS; i++) {
		for (j = 0; j < len[i]; j++) {
			if (ptr[i][j] != arena_model_byte(i, j)) {
				ktap_fail(t, "alloc %zu (%u bytes) overwritten at %zu",
					  i, len[i], j);
				goto out;
			}
		}
	}
	ktap_diag("%d small allocations in %zu blocks, usage %zu",
		  BUMP_SMALL_ALLOCS, m.blocks, bump_arena_memory_usage(b));
out:
	vfree(len);
	vfree(ptr);
	if (b)
		bump_arena_destroy(b);
}

static DEFINE_SPINLOCK(atomic_test_lock);

/* GFP_ATOMIC arenas under a spinlock: DEBUG_ATOMIC_SLEEP catches a sleep. */
static void case_atomic_context(struct ktap_run *t)
{
	static const size_t sizes[] = { 16, 3000, 5000, 1024, 200, 2000, 1 };
	struct bump_model m = {};
	struct bump_arena *b;
	struct arena *a = NULL;
	u8 *buf, *p;
	size_t i;

	buf = kmalloc(4096, GFP_KERNEL);
	if (!ktap_check(t, buf, "kmalloc"))
		return;
	spin_lock(&atomic_test_lock);
	b = bump_arena_create(GFP_ATOMIC);
	if (b) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++)
			if (!BUMP(sizes[i]) || !BUMP_ALIGNED(sizes[i]))
				break;
		bump_arena_destroy(b);
	}
	a = arena_create(buf, 4096, 16, GFP_ATOMIC);
	if (a) {
		p = arena_alloc(a, 100);
		ktap_check(t, p == buf + 4096 - 112, "alloc: offset %td",
			   p ? p - buf : -1);
		ktap_check(t, arena_alloc(a, 16) == buf + 4096 - 128, "alloc");
		ktap_check(t, arena_free(a, p) == 0, "free");
		arena_destroy(a);
	}
	spin_unlock(&atomic_test_lock);
	ktap_check(t, b, "bump_arena_create(GFP_ATOMIC)");
	ktap_check(t, a, "arena_create(GFP_ATOMIC)");
	kfree(buf);
}

/* ---- coalescing arena --------------------------------------------------- */

static void case_arena_create_rejects(struct ktap_run *t)
{
	static const struct {
		size_t off, size, align;
		bool ok;
	} args[] = {
		{ 0, 4096, 16, true },
		{ 0, 0, 16, false },		/* size 0 */
		{ 0, 4096, 0, false },		/* not a power of two */
		{ 0, 4096, 3, false },
		{ 0, 4096, 24, false },
		{ 8, 4096 - 16, 16, false },	/* misaligned base */
		{ 0, 100, 16, false },		/* size not a multiple */
		{ 0, 100, 4, true },
		{ 1, 3, 1, true },
		{ 0, 8192, 4096, true },
	};
	struct arena *a;
	u8 *buf;
	size_t i;

	buf = vmalloc(8192);
	if (!ktap_check(t, buf, "vmalloc"))
		return;
	ktap_check(t, !arena_create(NULL, 4096, 16, GFP_KERNEL), "NULL base");
	for (i = 0; i < ARRAY_SIZE(args); i++) {
		a = arena_create(buf + args[i].off, args[i].size,
				 args[i].align, GFP_KERNEL);
		ktap_check(t, !a == !args[i].ok,
			   "arena_create(base+%zu, %zu, %zu) = %p", args[i].off,
			   args[i].size, args[i].align, a);
		if (a) {
			ktap_check(t, arena_alloc(a, args[i].size) ==
				   buf + args[i].off, "whole-region alloc");
			arena_destroy(a);
		}
	}
	vfree(buf);
}

static void case_arena_best_fit(struct ktap_run *t)
{
	/*  0     1     2     3     4     5     6     7     8     9    10     11    12 */
	const char *layout =
		"U32 U64 U16 U32 U16 U48 U16 U32 U16 U32 U16 U128 U16";
	u8 *base, *ptrs[ARENA_LAYOUT_MAX], *p;
	struct arena *a;

	base = kmalloc(512, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = layout_build(t, base, 16, layout, ptrs);
	if (!a)
		goto out_buf;
	/*
	 * Three free 32-byte chunks at 112, 224 and 272, freed middle, low,
	 * high: neither LIFO nor FIFO order gives the lowest offset.
	 */
	if (arena_free(a, ptrs[7]) || arena_free(a, ptrs[3]) ||
	    arena_free(a, ptrs[9]) || arena_free(a, ptrs[1]) ||
	    arena_free(a, ptrs[5]) || arena_free(a, ptrs[11])) {
		ktap_fail(t, "freeing the holes");
		goto out;
	}
	if (!LAYOUT_IS(t, a,
		       "U32 F64 U16 F32 U16 F48 U16 F32 U16 F32 U16 F128 U16"))
		goto out;
	/* 40 -> 48: the 48 chunk, though 64 is lower and 128 higher. */
	p = arena_alloc(a, 40);
	if (!ktap_check(t, p == ptrs[5], "alloc(40) at %td", p ? p - base : -1))
		goto out;
	/* Ties: 17 -> 32 takes the lowest 32 chunk, then the next. */
	p = arena_alloc(a, 17);
	if (!ktap_check(t, p == ptrs[3], "alloc(17) at %td", p ? p - base : -1))
		goto out;
	p = arena_alloc(a, 32);
	if (!ktap_check(t, p == ptrs[7], "alloc(32) at %td", p ? p - base : -1))
		goto out;
	/* 16: no 16 chunk; carved from the tail of the last 32 chunk. */
	p = arena_alloc(a, 16);
	if (!ktap_check(t, p == ptrs[9] + 16, "alloc(16) at %td",
			p ? p - base : -1))
		goto out;
	if (!LAYOUT_IS(t, a,
		       "U32 F64 U16 U32 U16 U48 U16 U32 U16 F16 U16 U16 F128 U16"))
		goto out;
	/* Now the 16-byte remainder is the best fit. */
	p = arena_alloc(a, 1);
	if (!ktap_check(t, p == ptrs[9], "alloc(1) at %td", p ? p - base : -1))
		goto out;
	/* 65: only the 128 chunk fits; its tail 80 bytes. */
	p = arena_alloc(a, 65);
	if (!ktap_check(t, p == ptrs[11] + 48, "alloc(65) at %td",
			p ? p - base : -1))
		goto out;
	LAYOUT_IS(t, a,
		  "U32 F64 U16 U32 U16 U48 U16 U32 U16 U16 U16 U16 F48 U80 U16");
out:
	arena_destroy(a);
out_buf:
	kfree(base);
}

static void case_arena_tail_carving(struct ktap_run *t)
{
	struct arena *a;
	u8 *base, *p, *q;

	base = kmalloc(4096, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = arena_create(base, 4096, 16, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out_buf;
	if (!LAYOUT_IS(t, a, "F4096"))
		goto out;
	p = arena_alloc(a, 16);
	q = arena_alloc(a, 100);
	if (!ktap_check(t, p == base + 4080 && q == base + 3968,
			"offsets %td %td", p ? p - base : -1,
			q ? q - base : -1))
		goto out;
	if (!LAYOUT_IS(t, a, "F3968 U112 U16"))
		goto out;
	if (!ktap_check(t, arena_free(a, p) == 0, "free"))
		goto out;
	if (!LAYOUT_IS(t, a, "F3968 U112 F16"))
		goto out;
	/* The 16-byte chunk at the top is the best fit, not the big one. */
	p = arena_alloc(a, 10);
	if (!ktap_check(t, p == base + 4080, "offset %td", p ? p - base : -1))
		goto out;
	LAYOUT_IS(t, a, "F3968 U112 U16");
out:
	arena_destroy(a);
out_buf:
	kfree(base);
}

static void case_arena_coalesce(struct ktap_run *t)
{
	static const struct {
		int chunk;
		const char *after;
	} steps[] = {
		{ 2, "U64 U64 F64 U64 U64 U64 U64 U64" },  /* no neighbour */
		{ 1, "U64 F128 U64 U64 U64 U64 U64" },	   /* right one */
		{ 3, "U64 F192 U64 U64 U64 U64" },	   /* left one */
		{ 5, "U64 F192 U64 F64 U64 U64" },
		{ 4, "U64 F320 U64 U64" },		   /* both */
		{ 7, "U64 F320 U64 F64" },		   /* region end */
		{ 0, "F384 U64 F64" },			   /* region start */
		{ 6, "F512" },				   /* both, all */
	};
	u8 *base, *ptrs[ARENA_LAYOUT_MAX];
	struct arena_stats st;
	struct arena *a;
	size_t i;

	base = kmalloc(512, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = layout_build(t, base, 64, "U64 U64 U64 U64 U64 U64 U64 U64", ptrs);
	if (!a)
		goto out_buf;
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		if (!ktap_check(t, arena_free(a, ptrs[steps[i].chunk]) == 0,
				"free chunk %d", steps[i].chunk) ||
		    !LAYOUT_IS(t, a, steps[i].after))
			break;
	}
	arena_get_stats(a, &st);
	ktap_check(t, st.chunks_free == 1 && st.largest_free == 512 &&
		   st.chunks_used == 0 && st.free_ok == 8,
		   "chunks_free %llu largest %llu used %llu free_ok %llu",
		   st.chunks_free, st.largest_free, st.chunks_used, st.free_ok);
	/* The coalesced region is usable as a whole again. */
	ktap_check(t, arena_alloc(a, 512) == base, "whole-region alloc");
	arena_destroy(a);
out_buf:
	kfree(base);
}

static void case_arena_rounding_overflow(struct ktap_run *t)
{
	static const size_t bad[] = {
		0, SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 14, SIZE_MAX - 15,
		SIZE_MAX / 2, SIZE_MAX / 2 + 1, 1025,
	};
	struct arena_stats before, after;
	struct arena *a;
	u8 *base, *p;
	size_t i;

	base = vmalloc(16384);
	if (!ktap_check(t, base, "vmalloc"))
		return;
	a = arena_create(base, 1024, 16, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out_buf;
	/* Sizes round up to the alignment; carving goes down from the top. */
	p = arena_alloc(a, 1);
	ktap_check(t, p == base + 1008, "alloc(1) at %td", p ? p - base : -1);
	p = arena_alloc(a, 16);
	ktap_check(t, p == base + 992, "alloc(16) at %td", p ? p - base : -1);
	p = arena_alloc(a, 17);
	ktap_check(t, p == base + 960, "alloc(17) at %td", p ? p - base : -1);
	if (!LAYOUT_IS(t, a, "F960 U32 U16 U16"))
		goto out;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		arena_get_stats(a, &before);
		p = arena_alloc(a, bad[i]);
		arena_get_stats(a, &after);
		ktap_check(t, !p, "alloc(%zu) = offset %td", bad[i], p - base);
		ktap_check(t, arena_model_stats_same(&before, &after),
			   "alloc(%zu) changed the stats", bad[i]);
	}
	LAYOUT_IS(t, a, "F960 U32 U16 U16");
	arena_destroy(a);

	/* Alignment 1: no rounding at all. */
	a = arena_create(base, 10, 1, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create(align 1)"))
		goto out_buf;
	p = arena_alloc(a, 3);
	ktap_check(t, p == base + 7, "alloc(3) at %td", p ? p - base : -1);
	ktap_check(t, !arena_alloc(a, SIZE_MAX), "alloc(SIZE_MAX)");
	LAYOUT_IS(t, a, "F7 U3");
	arena_destroy(a);

	/* Page alignment: one byte costs a page. */
	a = arena_create(base, 16384, 4096, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create(align 4096)"))
		goto out_buf;
	p = arena_alloc(a, 1);
	ktap_check(t, p == base + 12288, "alloc(1) at %td", p ? p - base : -1);
	ktap_check(t, !arena_alloc(a, SIZE_MAX - 4094), "round-up overflow");
	p = arena_alloc(a, 4097);
	ktap_check(t, p == base + 4096, "alloc(4097) at %td",
		   p ? p - base : -1);
	LAYOUT_IS(t, a, "F4096 U8192 U4096");
out:
	arena_destroy(a);
out_buf:
	vfree(base);
}

static void case_arena_exact_fill(struct ktap_run *t)
{
	struct arena_stats st;
	struct arena *a;
	u8 *base, *p;
	size_t i;

	base = kmalloc(1024, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = arena_create(base, 1024, 16, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out_buf;
	for (i = 0; i < 64; i++) {
		p = arena_alloc(a, 16);
		if (!ktap_check(t, p == base + 1024 - 16 * (i + 1),
				"alloc %zu at %td", i, p ? p - base : -1))
			goto out;
	}
	ktap_check(t, !arena_alloc(a, 1), "alloc in a full arena");
	arena_get_stats(a, &st);
	ktap_check(t, st.used == 1024 && st.free == 0 && st.chunks_free == 0 &&
		   st.largest_free == 0 && st.chunks_used == 64 &&
		   st.alloc_ok == 64 && st.alloc_failed == 1,
		   "used %llu free %llu chunks %llu/%llu largest %llu ok %llu failed %llu",
		   st.used, st.free, st.chunks_used, st.chunks_free,
		   st.largest_free, st.alloc_ok, st.alloc_failed);
	for (i = 0; i < 64; i++)
		if (!ktap_check(t, arena_free(a, base + 16 * i) == 0,
				"free %zu", i))
			goto out;
	if (!LAYOUT_IS(t, a, "F1024"))
		goto out;
	/* One allocation of the whole region, then nothing fits. */
	ktap_check(t, arena_alloc(a, 1024) == base, "alloc(1024)");
	ktap_check(t, !arena_alloc(a, 16), "alloc(16) after exact fill");
	LAYOUT_IS(t, a, "U1024");
out:
	arena_destroy(a);
out_buf:
	kfree(base);
}

static void case_arena_invalid_free(struct ktap_run *t)
{
	struct arena_stats before, after;
	struct arena *a;
	u8 *base, *p, *q;
	u8 *bad[6];
	size_t i;

	base = kmalloc(1024, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = arena_create(base, 1024, 16, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out_buf;
	p = arena_alloc(a, 64);
	q = arena_alloc(a, 32);
	if (!ktap_check(t, p == base + 960 && q == base + 928, "setup"))
		goto out;
	bad[0] = p + 16;		/* inside a live allocation */
	bad[1] = p + 1;			/* misaligned */
	bad[2] = base + 1024;		/* just past the region */
	bad[3] = base - 16;		/* just before it */
	bad[4] = base;			/* start of a free chunk */
	bad[5] = q + 8;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		arena_get_stats(a, &before);
		ktap_check(t, arena_free(a, bad[i]) == -EINVAL,
			   "free(offset %td)", bad[i] - base);
		arena_get_stats(a, &after);
		ktap_check(t, arena_model_stats_same(&before, &after) &&
			   after.free_invalid == before.free_invalid + 1,
			   "free(offset %td) changed the stats", bad[i] - base);
	}
	/* free(NULL) does nothing at all. */
	arena_get_stats(a, &before);
	ktap_check(t, arena_free(a, NULL) == 0, "free(NULL)");
	arena_get_stats(a, &after);
	ktap_check(t, !memcmp(&before, &after, sizeof(before)),
		   "free(NULL) changed the stats");
	/* Double free. */
	ktap_check(t, arena_free(a, p) == 0, "free");
	arena_get_stats(a, &before);
	ktap_check(t, arena_free(a, p) == -EINVAL, "double free");
	arena_get_stats(a, &after);
	ktap_check(t, arena_model_stats_same(&before, &after) &&
		   after.free_invalid == before.free_invalid + 1,
		   "double free changed the stats");
	LAYOUT_IS(t, a, "F928 U32 F64");
out:
	arena_destroy(a);
out_buf:
	kfree(base);
}

static void case_arena_address_in_arena(struct ktap_run *t)
{
	struct arena *a;
	u8 *buf, *base;

	buf = kmalloc(2048, GFP_KERNEL);
	if (!ktap_check(t, buf, "kmalloc"))
		return;
	/* A region in the middle of the buffer, so both sides are real. */
	base = buf + 512;
	a = arena_create(base, 1024, 16, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out;
	ktap_check(t, arena_address_in_arena(a, base), "base");
	ktap_check(t, arena_address_in_arena(a, base + 1023), "last byte");
	ktap_check(t, arena_address_in_arena(a, base + 100), "middle");
	ktap_check(t, !arena_address_in_arena(a, base + 1024), "end");
	ktap_check(t, !arena_address_in_arena(a, base - 1), "base - 1");
	ktap_check(t, !arena_address_in_arena(a, NULL), "NULL");
	arena_destroy(a);
out:
	kfree(buf);
}

struct walk_stop {
	unsigned int calls;
	unsigned int stop_at;
};

static int walk_stop_fn(void *priv, size_t offset, size_t size, bool used)
{
	struct walk_stop *w = priv;

	return ++w->calls == w->stop_at ? 7 : 0;
}

static void case_arena_walk(struct ktap_run *t)
{
	struct walk_stop w = { .stop_at = 2 };
	u8 *base, *ptrs[ARENA_LAYOUT_MAX];
	struct arena *a;
	int ret;

	base = kmalloc(1024, GFP_KERNEL);
	if (!ktap_check(t, base, "kmalloc"))
		return;
	a = layout_build(t, base, 32, "U32 U96 U64 U256 U32 U544", ptrs);
	if (!a)
		goto out;
	if (arena_free(a, ptrs[1]) || arena_free(a, ptrs[3]) ||
	    arena_free(a, ptrs[5])) {
		ktap_fail(t, "free");
		goto out_arena;
	}
	/* In offset order, covering the region exactly. */
	if (!LAYOUT_IS(t, a, "U32 F96 U64 F256 U32 F544"))
		goto out_arena;
	ret = arena_walk(a, walk_stop_fn, &w);
	ktap_check(t, ret == 7 && w.calls == 2, "ret %d calls %u", ret,
		   w.calls);
out_arena:
	arena_destroy(a);
out:
	kfree(base);
}

static void case_arena_random(struct ktap_run *t)
{
	struct arena_model m;
	struct arena *a = NULL;
	u64 rng = API_SEED;
	size_t i, max_live = 0;
	u8 *base;

	base = vmalloc(RANDOM_REGION);
	if (!ktap_check(t, base, "vmalloc"))
		return;
	if (!ktap_check(t, !arena_model_init(&m, base, RANDOM_REGION,
					     RANDOM_ALIGN), "model"))
		goto out_buf;
	m.stamp_bytes = 32;
	a = arena_create(base, RANDOM_REGION, RANDOM_ALIGN, GFP_KERNEL);
	if (!ktap_check(t, a, "arena_create"))
		goto out;
	for (i = 0; i < RANDOM_OPS; i++) {
		if (!arena_model_random_op(&m, a, &rng) ||
		    !arena_model_check_stats(&m, a) ||
		    !arena_model_check_walk(&m, a)) {
			ktap_fail(t, "op %zu: %s", i, m.msg);
			goto out;
		}
		max_live = max(max_live, m.nr_live);
		if (!(i % 1024))
			cond_resched();
	}
	ktap_diag("%d ops: %llu allocs, %llu failed, %llu frees, %llu bad frees, up to %zu live",
		  RANDOM_OPS, m.alloc_ok, m.alloc_failed, m.free_ok,
		  m.free_invalid, max_live);
	/* Free half, leave the rest live: destroy must release them. */
	for (i = m.nr_live / 2; i; i--) {
		if (!arena_model_do_free(&m, a, m.nr_live - 1)) {
			ktap_fail(t, "%s", m.msg);
			break;
		}
	}
out:
	if (a)
		arena_destroy(a);
	arena_model_destroy(&m);
out_buf:
	vfree(base);
}

static const struct ktap_case api_cases[] = {
	{ "bump_block_rule", case_bump_block_rule },
	{ "bump_aligned", case_bump_aligned },
	{ "bump_zero_and_huge", case_bump_zero_and_huge },
	{ "bump_many_small", case_bump_many_small },
	{ "atomic_context", case_atomic_context },
	{ "arena_create_rejects", case_arena_create_rejects },
	{ "arena_best_fit", case_arena_best_fit },
	{ "arena_tail_carving", case_arena_tail_carving },
	{ "arena_coalesce", case_arena_coalesce },
	{ "arena_rounding_overflow", case_arena_rounding_overflow },
	{ "arena_exact_fill", case_arena_exact_fill },
	{ "arena_invalid_free", case_arena_invalid_free },
	{ "arena_address_in_arena", case_arena_address_in_arena },
	{ "arena_walk", case_arena_walk },
	{ "arena_random", case_arena_random },
};

static int __init ktest_arena_api_init(void)
{
	struct ktap_run run = {};

	ktap_run_cases(&run, KBUILD_MODNAME, api_cases, ARRAY_SIZE(api_cases));
	return 0;
}

static void __exit ktest_arena_api_exit(void)
{
}

module_init(ktest_arena_api_init);
module_exit(ktest_arena_api_exit);

MODULE_DESCRIPTION("Tests of the arena module's in-kernel API");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
