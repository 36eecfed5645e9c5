/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference model of a coalescing best-fit arena, for the kernel test
 * modules.  It is deliberately naive: a bitmap with one bit per granule
 * (set = inside a live allocation) plus a table of live allocations.  From
 * it follow the exact offset every allocation must get (smallest free run
 * that fits, lowest offset among equal sizes, carved from the run's tail),
 * the expected statistics and the expected chunk list of arena_walk().
 */
#ifndef _ARENA_SELFTESTS_ARENA_MODEL_H
#define _ARENA_SELFTESTS_ARENA_MODEL_H

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

#include "arena_api.h"

/* xorshift64: a fixed seed gives the same run on every kernel. */
static inline u64 arena_model_rand(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Uniform enough in [0, n) for test purposes; n > 0. */
static inline size_t arena_model_below(u64 *state, size_t n)
{
	return arena_model_rand(state) % n;
}

/**
 * struct arena_model_alloc - one live allocation of the model
 * @off: first granule
 * @len: granules
 * @tag: serial number, stamped into the allocation's bytes
 */
struct arena_model_alloc {
	size_t off;
	size_t len;
	u64 tag;
};

/**
 * struct arena_model - expected state of one arena
 * @base: the arena's region
 * @size: bytes in the region
 * @align: the arena's alignment (granule)
 * @granules: @size / @align
 * @used: one bit per granule, set when inside a live allocation
 * @start: per granule, 1 + index into @live of the allocation starting
 *	there, or 0
 * @live: the live allocations, in no order
 * @nr_live: entries in @live
 * @used_granules: granules inside live allocations
 * @next_tag: tag of the next allocation
 * @stamp_bytes: bytes stamped at each end of an allocation (0: all)
 * @alloc_ok: expected &struct arena_stats counters
 * @alloc_failed: see @alloc_ok
 * @free_ok: see @alloc_ok
 * @free_invalid: see @alloc_ok
 * @msg: what went wrong, after a check returned false
 */
struct arena_model {
	u8 *base;
	size_t size;
	size_t align;
	size_t granules;
	unsigned long *used;
	u32 *start;
	struct arena_model_alloc *live;
	size_t nr_live;
	size_t used_granules;
	u64 next_tag;
	size_t stamp_bytes;
	u64 alloc_ok;
	u64 alloc_failed;
	u64 free_ok;
	u64 free_invalid;
	char msg[200];
};

static inline void arena_model_destroy(struct arena_model *m)
{
	vfree(m->live);
	vfree(m->start);
	bitmap_free(m->used);
	memset(m, 0, sizeof(*m));
}

static inline int arena_model_init(struct arena_model *m, void *base,
				   size_t size, size_t align)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->size = size;
	m->align = align;
	m->granules = size / align;
	m->used = bitmap_zalloc(m->granules, GFP_KERNEL);
	m->start = vzalloc(array_size(m->granules, sizeof(*m->start)));
	m->live = vzalloc(array_size(m->granules, sizeof(*m->live)));
	if (!m->used || !m->start || !m->live) {
		arena_model_destroy(m);
		return -ENOMEM;
	}
	return 0;
}

/* Back to an empty arena with zero counters, for a fresh arena. */
static inline void arena_model_reset(struct arena_model *m)
{
	bitmap_zero(m->used, m->granules);
	memset(m->start, 0, array_size(m->granules, sizeof(*m->start)));
	m->nr_live = 0;
	m->used_granules = 0;
	m->alloc_ok = 0;
	m->alloc_failed = 0;
	m->free_ok = 0;
	m->free_invalid = 0;
}

/* Next free run at or after granule @from; false when there is none. */
static inline bool arena_model_next_run(const struct arena_model *m,
					size_t from, size_t *off, size_t *len)
{
	size_t s = find_next_zero_bit(m->used, m->granules, from);
	size_t e;

	if (s >= m->granules)
		return false;
	e = find_next_bit(m->used, m->granules, s);
	*off = s;
	*len = e - s;
	return true;
}

/* Free chunks the arena must report and the largest of them, in bytes. */
static inline void arena_model_free_runs(const struct arena_model *m,
					 u64 *nr, u64 *largest)
{
	size_t off = 0, len;

	*nr = 0;
	*largest = 0;
	while (arena_model_next_run(m, off, &off, &len)) {
		(*nr)++;
		*largest = max_t(u64, *largest, (u64)len * m->align);
		off += len;
	}
}

/*
 * Where an allocation of @bytes must land: byte offset in *@off, or false
 * when it must fail.
 */
static inline bool arena_model_fit(const struct arena_model *m, size_t bytes,
				   size_t *off)
{
	size_t need, pos = 0, len, best_off = 0, best_len = 0;

	if (!bytes || bytes > m->size)
		return false;
	need = DIV_ROUND_UP(bytes, m->align);
	while (arena_model_next_run(m, pos, &pos, &len)) {
		/* Strictly smaller only: the lowest offset wins a tie. */
		if (len >= need && (!best_len || len < best_len)) {
			best_off = pos;
			best_len = len;
		}
		pos += len;
	}
	if (!best_len)
		return false;
	*off = (best_off + best_len - need) * m->align;
	return true;
}

static inline u8 arena_model_byte(u64 tag, size_t i)
{
	return (u8)(tag * 131 + i * 7 + (tag >> 8));
}

/* Byte indexes of an allocation of @len bytes that carry the stamp. */
static inline bool arena_model_stamped(const struct arena_model *m,
				       size_t len, size_t i)
{
	return !m->stamp_bytes || i < m->stamp_bytes ||
	       i >= len - min(len, m->stamp_bytes);
}

static inline void arena_model_stamp(const struct arena_model *m,
				     const struct arena_model_alloc *al)
{
	u8 *p = m->base + al->off * m->align;
	size_t len = al->len * m->align, i;

	for (i = 0; i < len; i++)
		if (arena_model_stamped(m, len, i))
			p[i] = arena_model_byte(al->tag, i);
}

static inline bool arena_model_stamp_ok(struct arena_model *m,
					const struct arena_model_alloc *al)
{
	const u8 *p = m->base + al->off * m->align;
	size_t len = al->len * m->align, i;

	for (i = 0; i < len; i++) {
		if (arena_model_stamped(m, len, i) &&
		    p[i] != arena_model_byte(al->tag, i)) {
			snprintf(m->msg, sizeof(m->msg),
				 "allocation at %zu+%zu overwritten at byte %zu",
				 al->off * m->align, len, i);
			return false;
		}
	}
	return true;
}

/* Record an allocation of @bytes at byte offset @off and stamp it. */
static inline void arena_model_add(struct arena_model *m, size_t off,
				   size_t bytes)
{
	struct arena_model_alloc *al = &m->live[m->nr_live];

	al->off = off / m->align;
	al->len = DIV_ROUND_UP(bytes, m->align);
	al->tag = m->next_tag++;
	bitmap_set(m->used, al->off, al->len);
	m->start[al->off] = ++m->nr_live;
	m->used_granules += al->len;
	arena_model_stamp(m, al);
}

/* Index in @live of the allocation starting at byte @off, or -1. */
static inline long arena_model_find(const struct arena_model *m, size_t off)
{
	if (off % m->align || off >= m->size || !m->start[off / m->align])
		return -1;
	return m->start[off / m->align] - 1;
}

static inline void arena_model_remove(struct arena_model *m, size_t idx)
{
	struct arena_model_alloc *al = &m->live[idx];

	bitmap_clear(m->used, al->off, al->len);
	m->start[al->off] = 0;
	m->used_granules -= al->len;
	if (idx != --m->nr_live) {
		*al = m->live[m->nr_live];
		m->start[al->off] = idx + 1;
	}
}

/*
 * Same chunks and same successful-operation counters: what a failed call
 * must leave as it was (it may count itself in alloc_failed/free_invalid).
 */
static inline bool arena_model_stats_same(const struct arena_stats *x,
					  const struct arena_stats *y)
{
	return x->used == y->used && x->free == y->free &&
	       x->total == y->total && x->chunks_used == y->chunks_used &&
	       x->chunks_free == y->chunks_free &&
	       x->largest_free == y->largest_free && x->align == y->align &&
	       x->alloc_ok == y->alloc_ok && x->free_ok == y->free_ok;
}

static inline bool arena_model_stat_eq(struct arena_model *m,
				       const char *name, u64 got, u64 want)
{
	if (got == want)
		return true;
	snprintf(m->msg, sizeof(m->msg), "stats.%s = %llu, want %llu", name,
		 got, want);
	return false;
}

/* Compare arena_get_stats() with the model (metadata_bytes excepted). */
static inline bool arena_model_check_stats(struct arena_model *m,
					   struct arena *a)
{
	struct arena_stats st;
	u64 used = (u64)m->used_granules * m->align;
	u64 nr_free, largest;

	arena_get_stats(a, &st);
	arena_model_free_runs(m, &nr_free, &largest);
	return arena_model_stat_eq(m, "used", st.used, used) &&
	       arena_model_stat_eq(m, "free", st.free, m->size - used) &&
	       arena_model_stat_eq(m, "total", st.total, m->size) &&
	       arena_model_stat_eq(m, "chunks_used", st.chunks_used, m->nr_live) &&
	       arena_model_stat_eq(m, "chunks_free", st.chunks_free, nr_free) &&
	       arena_model_stat_eq(m, "largest_free", st.largest_free, largest) &&
	       arena_model_stat_eq(m, "align", st.align, m->align) &&
	       arena_model_stat_eq(m, "alloc_ok", st.alloc_ok, m->alloc_ok) &&
	       arena_model_stat_eq(m, "alloc_failed", st.alloc_failed, m->alloc_failed) &&
	       arena_model_stat_eq(m, "free_ok", st.free_ok, m->free_ok) &&
	       arena_model_stat_eq(m, "free_invalid", st.free_invalid, m->free_invalid);
}

struct arena_model_walk {
	struct arena_model *m;
	size_t next;
	bool prev_free;
	size_t nr_used;
	size_t nr_free;
};

/* Runs under the arena's spinlock: no sleeping, no KUnit asserts. */
static inline int arena_model_walk_fn(void *priv, size_t offset, size_t size,
				      bool used)
{
	struct arena_model_walk *w = priv;
	struct arena_model *m = w->m;
	size_t g = offset / m->align, n = size / m->align;
	long idx;

	if (offset != w->next) {
		snprintf(m->msg, sizeof(m->msg),
			 "walk: chunk at %zu, previous one ended at %zu",
			 offset, w->next);
		return -EINVAL;
	}
	if (!size || size > m->size - offset || size % m->align ||
	    offset % m->align) {
		snprintf(m->msg, sizeof(m->msg), "walk: bad chunk %zu+%zu",
			 offset, size);
		return -EINVAL;
	}
	if (used) {
		idx = arena_model_find(m, offset);
		if (idx < 0 || m->live[idx].len != n) {
			snprintf(m->msg, sizeof(m->msg),
				 "walk: used chunk %zu+%zu is no live allocation",
				 offset, size);
			return -EINVAL;
		}
		w->nr_used++;
	} else {
		if (w->prev_free) {
			snprintf(m->msg, sizeof(m->msg),
				 "walk: free chunk %zu+%zu follows a free chunk",
				 offset, size);
			return -EINVAL;
		}
		if (find_next_bit(m->used, g + n, g) < g + n) {
			snprintf(m->msg, sizeof(m->msg),
				 "walk: free chunk %zu+%zu overlaps a live allocation",
				 offset, size);
			return -EINVAL;
		}
		w->nr_free++;
	}
	w->prev_free = !used;
	w->next = offset + size;
	return 0;
}

/*
 * arena_walk() must list chunks sorted, without gap or overlap, covering
 * the region, never two free ones adjacent, the used ones being exactly
 * the live allocations.
 */
static inline bool arena_model_check_walk(struct arena_model *m,
					  struct arena *a)
{
	struct arena_model_walk w = { .m = m };
	u64 nr_free, largest;
	int ret;

	ret = arena_walk(a, arena_model_walk_fn, &w);
	if (ret)
		return false;
	arena_model_free_runs(m, &nr_free, &largest);
	if (w.next != m->size || w.nr_used != m->nr_live ||
	    w.nr_free != nr_free) {
		snprintf(m->msg, sizeof(m->msg),
			 "walk: ended at %zu of %zu, %zu used / %zu free chunks, want %zu / %llu",
			 w.next, m->size, w.nr_used, w.nr_free, m->nr_live,
			 nr_free);
		return false;
	}
	return true;
}

/* A request size: mostly small, some large, some exactly a free run. */
static inline size_t arena_model_pick_size(const struct arena_model *m,
					   u64 *rng)
{
	size_t k = arena_model_below(rng, 100);
	u64 nr, largest;

	if (k < 55)
		return 1 + arena_model_below(rng, 4 * m->align);
	if (k < 88)
		return 1 + arena_model_below(rng, max_t(size_t, m->size / 64, 1));
	if (k < 97)
		return 1 + arena_model_below(rng, max_t(size_t, m->size / 8, 1));
	arena_model_free_runs(m, &nr, &largest);
	if (k < 99 && largest)
		return largest;
	return largest + 1 + arena_model_below(rng, m->align);
}

/*
 * Check @p, what arena_alloc(@bytes) returned, against the model's
 * prediction and record the allocation.
 */
static inline bool arena_model_check_alloc(struct arena_model *m,
					   size_t bytes, u8 *p)
{
	size_t off;
	bool fits = arena_model_fit(m, bytes, &off);

	if (!fits) {
		m->alloc_failed++;
		if (p) {
			snprintf(m->msg, sizeof(m->msg),
				 "alloc(%zu) = offset %td, want NULL",
				 bytes, p - m->base);
			return false;
		}
		return true;
	}
	if (p != m->base + off) {
		snprintf(m->msg, sizeof(m->msg),
			 "alloc(%zu) = offset %td (%s), want offset %zu",
			 bytes, p ? p - m->base : 0, p ? "valid" : "NULL", off);
		return false;
	}
	m->alloc_ok++;
	arena_model_add(m, off, bytes);
	return true;
}

static inline bool arena_model_do_alloc(struct arena_model *m,
					struct arena *a, size_t bytes)
{
	return arena_model_check_alloc(m, bytes, arena_alloc(a, bytes));
}

static inline bool arena_model_do_free(struct arena_model *m,
				       struct arena *a, size_t idx)
{
	struct arena_model_alloc al = m->live[idx];
	int ret;

	if (!arena_model_stamp_ok(m, &al))
		return false;
	ret = arena_free(a, m->base + al.off * m->align);
	if (ret) {
		snprintf(m->msg, sizeof(m->msg),
			 "free(offset %zu) = %d, want 0", al.off * m->align,
			 ret);
		return false;
	}
	m->free_ok++;
	arena_model_remove(m, idx);
	return true;
}

/* Free something that is not a live allocation: must be -EINVAL. */
static inline bool arena_model_do_bad_free(struct arena_model *m,
					   struct arena *a, u64 *rng)
{
	size_t k = arena_model_below(rng, 4), off;
	const struct arena_model_alloc *al;
	u8 *p;
	int ret;

	al = m->nr_live ? &m->live[arena_model_below(rng, m->nr_live)] : NULL;
	if (k == 0 && al && m->align > 1) {
		/* inside the first granule: misaligned */
		p = m->base + al->off * m->align +
		    1 + arena_model_below(rng, m->align - 1);
	} else if (k == 1 && al && al->len > 1) {
		/* a later granule of a live allocation */
		p = m->base + (al->off + 1 +
			       arena_model_below(rng, al->len - 1)) * m->align;
	} else if (k == 2) {
		/* outside the region */
		p = arena_model_below(rng, 2) ? m->base + m->size :
		    m->base - m->align;
	} else {
		/* any granule that starts no allocation */
		off = arena_model_below(rng, m->granules) * m->align;
		if (arena_model_find(m, off) >= 0)
			return true;
		p = m->base + off;
	}
	ret = arena_free(a, p);
	m->free_invalid++;
	if (ret != -EINVAL) {
		snprintf(m->msg, sizeof(m->msg),
			 "free(offset %td) of no allocation = %d, want -EINVAL",
			 p - m->base, ret);
		return false;
	}
	return true;
}

/*
 * One random operation on @a, mirrored in the model; false (with @msg
 * set) when the arena's result differs from the model's.  The fill level
 * steers the mix so the region stays fragmented but rarely full.
 */
static inline bool arena_model_random_op(struct arena_model *m,
					 struct arena *a, u64 *rng)
{
	size_t fill = m->used_granules * 100 / m->granules;
	size_t k = arena_model_below(rng, 100);

	if (!m->nr_live || k >= fill)
		return arena_model_do_alloc(m, a, arena_model_pick_size(m, rng));
	if (arena_model_below(rng, 16))
		return arena_model_do_free(m, a,
					   arena_model_below(rng, m->nr_live));
	return arena_model_do_bad_free(m, a, rng);
}

/* Free every live allocation, checking each one's stamp. */
static inline bool arena_model_free_all(struct arena_model *m,
					struct arena *a)
{
	while (m->nr_live)
		if (!arena_model_do_free(m, a, m->nr_live - 1))
			return false;
	return true;
}

#endif /* _ARENA_SELFTESTS_ARENA_MODEL_H */
