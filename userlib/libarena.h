/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libarena: user-space access to /dev/arena.
 *
 * An arena is one open file of /dev/arena with its region mapped into the
 * process.  Pointers returned by arena_alloc() point into that mapping.
 * Every function returns -1 (or NULL) and sets errno on failure.
 */
#ifndef ARENA_USERLIB_LIBARENA_H
#define ARENA_USERLIB_LIBARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct arena;

struct arena_stats {
	uint64_t used;
	uint64_t free;
	uint64_t total;
	uint64_t chunks_used;
	uint64_t chunks_free;
	uint64_t largest_free;
};

/* One chunk as reported by arena_walk(). */
struct arena_chunk_info {
	uint64_t offset;
	uint64_t size;
	bool used;
};

/* One operation of arena_batch(). */
enum arena_batch_kind { ARENA_OP_ALLOC = 1, ARENA_OP_FREE = 2 };

struct arena_op {
	enum arena_batch_kind kind;
	size_t size;	/* ARENA_OP_ALLOC: bytes wanted */
	void *ptr;	/* ARENA_OP_FREE: in; ARENA_OP_ALLOC: out (NULL on failure) */
	int error;	/* out: 0 or a positive errno for this operation */
};

/* Opens /dev/arena ($ARENA_DEVICE overrides), sets it up and maps it. */
struct arena *arena_new(size_t size, size_t alignment);
/*
 * The same with flags of <linux/arena.h>'s ARENA_SETUP_*: ARENA_SETUP_ZERO_ON_FREE
 * (1) zeroes the bytes of every allocation before arena_free() returns, and the
 * whole region when the arena goes away.  Unknown flags: NULL, errno EINVAL.
 */
struct arena *arena_new_flags(size_t size, size_t alignment, unsigned int flags);
/* Wraps an fd that is already set up (shared by fork or SCM_RIGHTS). */
struct arena *arena_from_fd(int fd);
void *arena_alloc(struct arena *a, size_t size);
int arena_free(struct arena *a, void *p);
int arena_stats(struct arena *a, struct arena_stats *st);
bool arena_address_in_arena(const struct arena *a, const void *p);
void arena_destroy(struct arena *a);

/* Runs ops[0..n) in one ioctl; returns how many failed, or -1. */
int arena_batch(struct arena *a, struct arena_op *ops, size_t n);
/* Calls fn for each chunk in offset order; stops on a non-zero return. */
int arena_walk(struct arena *a, int (*fn)(void *priv, const struct arena_chunk_info *c),
	       void *priv);

int arena_fd(const struct arena *a);
void *arena_base(const struct arena *a);
size_t arena_size(const struct arena *a);
/* Offset of p from the base, or (uint64_t)-1 if p is not in the region. */
uint64_t arena_offset(const struct arena *a, const void *p);

/* The device arena_new() opens: $ARENA_DEVICE if set, else "/dev/arena". */
const char *arena_device(void);

/* The library's release, "MAJOR.MINOR.PATCH" (same numbers as the module's). */
const char *arena_version(void);

/* What the loaded module reports through ARENA_IOC_INFO. */
struct arena_module_info {
	char version[32];	/* its release, "MAJOR.MINOR.PATCH" */
	uint32_t abi_major;	/* ARENA_ABI_MAJOR of <linux/arena.h> */
	uint32_t abi_minor;	/* ARENA_ABI_MINOR */
	uint64_t features;	/* ARENA_FEATURE_* bits */
	uint64_t max_align;	/* largest alignment arena_new() accepts */
	uint64_t batch_max;	/* operations per ARENA_IOC_BATCH */
	uint64_t walk_max;	/* entries per ARENA_IOC_WALK */
	uint64_t max_total_bytes; /* cap on all regions together */
};

/*
 * Opens arena_device(), asks it with ARENA_IOC_INFO (which sets nothing up)
 * and closes it.  0, or -1 and errno: ENOENT no device (module not loaded),
 * ENOTTY a module older than ARENA_IOC_INFO.
 */
int arena_module_info(struct arena_module_info *info);

#ifdef __cplusplus
}
#endif

#endif /* ARENA_USERLIB_LIBARENA_H */
