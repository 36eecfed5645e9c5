// SPDX-License-Identifier: LGPL-2.1 OR MIT
/*
 * libarena: the /dev/arena ioctls behind a malloc-like API.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/arena.h>

#include "libarena.h"

#define ARENA_DEFAULT_DEVICE	"/dev/arena"

struct arena {
	int fd;
	char *base;
	size_t size;		/* managed bytes */
	size_t map_len;		/* mapped bytes: size rounded up to pages */
};

static size_t page_round_up(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) & ~(page - 1);
}

/* Maps the region of an fd that is set up, learning its size from STATS. */
static struct arena *arena_map(int fd)
{
	struct arena_stats_args st;
	struct arena *a;
	int err;

	if (ioctl(fd, ARENA_IOC_STATS, &st))
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->fd = fd;
	a->size = st.total;
	a->map_len = page_round_up(st.total);
	a->base = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a->base == MAP_FAILED) {
		err = errno;
		free(a);
		errno = err;
		return NULL;
	}
	return a;
}

struct arena *arena_new(size_t size, size_t alignment)
{
	return arena_new_flags(size, alignment, 0);
}

struct arena *arena_new_flags(size_t size, size_t alignment, unsigned int flags)
{
	struct arena_setup_args setup = {
		.size = size, .align = alignment, .flags = flags,
	};
	struct arena *a;
	int fd, err;

	fd = open(arena_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (ioctl(fd, ARENA_IOC_SETUP, &setup))
		goto close_fd;
	a = arena_map(fd);
	if (!a)
		goto close_fd;
	return a;

close_fd:
	err = errno;
	close(fd);
	errno = err;
	return NULL;
}

struct arena *arena_from_fd(int fd)
{
	return arena_map(fd);
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_alloc_args args = { .size = size };

	if (!size) {
		errno = EINVAL;
		return NULL;
	}
	if (ioctl(a->fd, ARENA_IOC_ALLOC, &args))
		return NULL;
	return a->base + args.offset;
}

uint64_t arena_offset(const struct arena *a, const void *p)
{
	if (!arena_address_in_arena(a, p))
		return (uint64_t)-1;
	return (uint64_t)((const char *)p - a->base);
}

int arena_free(struct arena *a, void *p)
{
	struct arena_free_args args = { 0 };

	if (!p)
		return 0;
	if (!arena_address_in_arena(a, p)) {
		errno = EINVAL;
		return -1;
	}
	args.offset = arena_offset(a, p);
	return ioctl(a->fd, ARENA_IOC_FREE, &args) ? -1 : 0;
}

int arena_stats(struct arena *a, struct arena_stats *st)
{
	struct arena_stats_args k;

	if (ioctl(a->fd, ARENA_IOC_STATS, &k))
		return -1;
	st->used = k.used;
	st->free = k.free;
	st->total = k.total;
	st->chunks_used = k.chunks_used;
	st->chunks_free = k.chunks_free;
	st->largest_free = k.largest_free;
	return 0;
}

bool arena_address_in_arena(const struct arena *a, const void *p)
{
	const char *c = p;

	return c >= a->base && c < a->base + a->size;
}

void arena_destroy(struct arena *a)
{
	if (!a)
		return;
	munmap(a->base, a->map_len);
	close(a->fd);
	free(a);
}

int arena_batch(struct arena *a, struct arena_op *ops, size_t n)
{
	struct arena_batch_op k[256];
	size_t done = 0, i;
	int failed = 0;

	while (done < n) {
		struct arena_batch_args args = { .ops = (uintptr_t)k };
		size_t m = n - done < 256 ? n - done : 256;

		memset(k, 0, m * sizeof(k[0]));
		for (i = 0; i < m; i++) {
			struct arena_op *op = &ops[done + i];

			if (op->kind == ARENA_OP_ALLOC) {
				k[i].op = ARENA_BATCH_ALLOC;
				k[i].arg = op->size;
			} else if (op->kind == ARENA_OP_FREE) {
				k[i].op = ARENA_BATCH_FREE;
				/* A foreign pointer becomes an offset the kernel rejects. */
				k[i].arg = arena_offset(a, op->ptr);
			} else {
				errno = EINVAL;
				return -1;
			}
		}
		args.count = m;
		if (ioctl(a->fd, ARENA_IOC_BATCH, &args))
			return -1;
		for (i = 0; i < m; i++) {
			struct arena_op *op = &ops[done + i];

			op->error = -k[i].error;
			if (op->kind == ARENA_OP_ALLOC)
				op->ptr = k[i].error ? NULL : a->base + k[i].offset;
		}
		failed += args.failed;
		done += m;
	}
	return failed;
}

int arena_walk(struct arena *a, int (*fn)(void *priv, const struct arena_chunk_info *c),
	       void *priv)
{
	struct arena_walk_entry e[256];
	uint64_t start = 0;

	while (start < a->size) {
		struct arena_walk_args args = {
			.entries = (uintptr_t)e, .start = start, .capacity = 256,
		};
		uint32_t i;

		if (ioctl(a->fd, ARENA_IOC_WALK, &args))
			return -1;
		for (i = 0; i < args.count; i++) {
			struct arena_chunk_info c = {
				.offset = e[i].offset, .size = e[i].size,
				.used = e[i].flags & ARENA_CHUNK_USED,
			};
			int ret = fn(priv, &c);

			if (ret)
				return ret;
		}
		if (args.next <= start) {
			errno = EIO;
			return -1;
		}
		start = args.next;
	}
	return 0;
}

int arena_fd(const struct arena *a)
{
	return a->fd;
}

void *arena_base(const struct arena *a)
{
	return a->base;
}

size_t arena_size(const struct arena *a)
{
	return a->size;
}

const char *arena_device(void)
{
	const char *path = getenv("ARENA_DEVICE");

	return path && *path ? path : ARENA_DEFAULT_DEVICE;
}

/* ARENA_PKG_VERSION is the VERSION file's content, passed by the Makefile. */
const char *arena_version(void)
{
	return ARENA_PKG_VERSION;
}

int arena_module_info(struct arena_module_info *info)
{
	struct arena_info_args k;
	int fd, ret, err;

	fd = open(arena_device(), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = ioctl(fd, ARENA_IOC_INFO, &k);
	err = errno;
	close(fd);
	if (ret) {
		errno = err;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	snprintf(info->version, sizeof(info->version), "%u.%u.%u",
		 k.version_major, k.version_minor, k.version_patch);
	info->abi_major = k.abi_major;
	info->abi_minor = k.abi_minor;
	info->features = k.features;
	info->max_align = k.max_align;
	info->batch_max = k.batch_max;
	info->walk_max = k.walk_max;
	info->max_total_bytes = k.max_total_bytes;
	return 0;
}
