/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/slab.h>: a kmem_cache is a fixed object
 * size over malloc()/free().  It never fails on its own; the driver's
 * numbers count glibc's malloc where the kernel would run SLUB.
 */
#ifndef _CG_SHIM_LINUX_SLAB_H
#define _CG_SHIM_LINUX_SLAB_H

#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/types.h>

struct kmem_cache {
	size_t size;
};

static inline struct kmem_cache *kmem_cache_create_size(size_t size)
{
	struct kmem_cache *s = malloc(sizeof(*s));

	if (s)
		s->size = size;
	return s;
}

#define KMEM_CACHE(type, flags)	kmem_cache_create_size(sizeof(struct type))

static inline void kmem_cache_destroy(struct kmem_cache *s)
{
	free(s);
}

static inline unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	return gfp & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmalloc(s->size, gfp);
}

static inline void kmem_cache_free(struct kmem_cache *s, void *p)
{
	free(p);
}

#endif /* _CG_SHIM_LINUX_SLAB_H */
