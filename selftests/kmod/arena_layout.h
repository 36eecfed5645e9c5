/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chunk layouts written as strings, for the hand-made cases of the kernel
 * test modules: "U64 F32 U16" is a live allocation of 64 bytes at offset
 * 0, a free chunk of 32 bytes at 64 and a live one of 16 bytes at 96.
 */
#ifndef _ARENA_SELFTESTS_ARENA_LAYOUT_H
#define _ARENA_SELFTESTS_ARENA_LAYOUT_H

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#include "arena_api.h"

#define ARENA_LAYOUT_MAX	64

/**
 * struct arena_layout - a chunk list, from offset 0 upwards
 * @n: chunks
 * @size: bytes in each chunk
 * @used: whether each chunk is a live allocation
 */
struct arena_layout {
	size_t n;
	size_t size[ARENA_LAYOUT_MAX];
	bool used[ARENA_LAYOUT_MAX];
};

static inline void arena_layout_parse(struct arena_layout *l, const char *s)
{
	l->n = 0;
	while (*s && l->n < ARENA_LAYOUT_MAX) {
		if (*s == ' ') {
			s++;
			continue;
		}
		l->used[l->n] = *s++ == 'U';
		l->size[l->n] = 0;
		while (*s >= '0' && *s <= '9')
			l->size[l->n] = l->size[l->n] * 10 + *s++ - '0';
		l->n++;
	}
}

static inline size_t arena_layout_total(const struct arena_layout *l)
{
	size_t total = 0, i;

	for (i = 0; i < l->n; i++)
		total += l->size[i];
	return total;
}

/* arena_walk() callback: append a chunk, which must follow the last one. */
static inline int arena_layout_collect(void *priv, size_t offset,
				       size_t size, bool used)
{
	struct arena_layout *l = priv;

	if (l->n == ARENA_LAYOUT_MAX || offset != arena_layout_total(l))
		return -ERANGE;
	l->size[l->n] = size;
	l->used[l->n] = used;
	l->n++;
	return 0;
}

static inline void arena_layout_format(const struct arena_layout *l,
				       char *buf, size_t len)
{
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n && pos < len; i++)
		pos += scnprintf(buf + pos, len - pos, "%s%c%zu", i ? " " : "",
				 l->used[i] ? 'U' : 'F', l->size[i]);
}

/*
 * True when arena_walk() lists exactly the chunks of @want and the
 * statistics agree with them; otherwise false, with the reason in @msg.
 */
static inline bool arena_layout_check(struct arena *a, const char *want,
				      char *msg, size_t len)
{
	u64 used = 0, free = 0, nr_used = 0, nr_free = 0, largest = 0;
	struct arena_layout *w, *g;
	struct arena_stats st;
	bool ok = false;
	size_t i;
	int ret;

	w = kmalloc(sizeof(*w), GFP_KERNEL);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!w || !g) {
		scnprintf(msg, len, "out of memory");
		goto out;
	}
	arena_layout_parse(w, want);
	ret = arena_walk(a, arena_layout_collect, g);
	if (ret || g->n != w->n ||
	    memcmp(g->size, w->size, w->n * sizeof(w->size[0])) ||
	    memcmp(g->used, w->used, w->n * sizeof(w->used[0]))) {
		i = scnprintf(msg, len, "walk (%d) gave \"", ret);
		arena_layout_format(g, msg + i, len - i);
		i = strlen(msg);
		scnprintf(msg + i, len - i, "\", want \"%s\"", want);
		goto out;
	}
	for (i = 0; i < w->n; i++) {
		if (w->used[i]) {
			used += w->size[i];
			nr_used++;
		} else {
			free += w->size[i];
			nr_free++;
			largest = max_t(u64, largest, w->size[i]);
		}
	}
	arena_get_stats(a, &st);
	if (st.used != used || st.free != free || st.total != used + free ||
	    st.chunks_used != nr_used || st.chunks_free != nr_free ||
	    st.largest_free != largest) {
		scnprintf(msg, len,
			  "stats used %llu free %llu total %llu chunks %llu/%llu largest %llu, want %llu %llu %llu %llu/%llu %llu",
			  st.used, st.free, st.total, st.chunks_used,
			  st.chunks_free, st.largest_free, used, free,
			  used + free, nr_used, nr_free, largest);
		goto out;
	}
	ok = true;
out:
	kfree(g);
	kfree(w);
	return ok;
}

/*
 * Create the arena over @base whose chunks from offset 0 are @layout, all
 * in use (the "U"/"F" letters are ignored).  Allocating from the last chunk
 * down, carving from the tail must put each allocation exactly there.
 * @ptrs[i] receives chunk i.  NULL, with the reason in @msg, on failure.
 */
static inline struct arena *arena_layout_build(u8 *base, size_t align,
					       const char *layout, u8 **ptrs,
					       char *msg, size_t len)
{
	struct arena_layout *l;
	struct arena *a = NULL;
	size_t off, i;
	u8 *p;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l) {
		scnprintf(msg, len, "out of memory");
		return NULL;
	}
	arena_layout_parse(l, layout);
	off = arena_layout_total(l);
	a = arena_create(base, off, align, GFP_KERNEL);
	if (!a) {
		scnprintf(msg, len, "arena_create(%zu, %zu) failed", off,
			  align);
		goto out;
	}
	for (i = l->n; i-- > 0;) {
		off -= l->size[i];
		p = arena_alloc(a, l->size[i]);
		if (p != base + off) {
			scnprintf(msg, len,
				  "chunk %zu: alloc(%zu) at offset %td, want %zu",
				  i, l->size[i], p ? p - base : -1, off);
			arena_destroy(a);
			a = NULL;
			goto out;
		}
		ptrs[i] = p;
	}
out:
	kfree(l);
	return a;
}

#endif /* _ARENA_SELFTESTS_ARENA_LAYOUT_H */
