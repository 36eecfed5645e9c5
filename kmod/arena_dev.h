/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/arena: one arena per open file.
 */
#ifndef _ARENA_KMOD_ARENA_DEV_H
#define _ARENA_KMOD_ARENA_DEV_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

#include "arena_core.h"

/**
 * struct arena_file - the arena behind one open file of /dev/arena
 * @setup_lock: serialises SETUP (explicit or implicit)
 * @arena: the allocator; NULL until SETUP, then never changes
 * @region: the vmalloc'd region the arena manages
 * @region_bytes: the region's size rounded up to whole pages
 * @ledger: what the region and bookkeeping are charged to (the opener)
 * @hook: how FREE finishes allocations that were mapped (or all, with
 *	%ARENA_SETUP_ZERO_ON_FREE: @hook.zero)
 * @revoke_sem: read by faults of chunk mappings, written by revocation
 * @mapping: this file's own address_space (file->f_mapping), so that
 *	revoking reaches exactly the mappings of this arena
 */
struct arena_file {
	struct mutex setup_lock;	/* held while @arena is created */
	struct arena *arena;
	void *region;
	size_t region_bytes;
	struct arena_ledger ledger;
	struct arena_free_hook hook;
	struct rw_semaphore revoke_sem;
	struct address_space mapping;
};

/* Flags of every allocation made for a /dev/arena user: charged, never OOM-killing. */
#define ARENA_USER_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Module parameters (arena_main.c). */
extern unsigned long arena_max_total_bytes;
extern unsigned long arena_default_size;
extern unsigned long arena_default_align;

/* Per-user and global limits (arena_account.c). */
void arena_ledger_init(struct arena_ledger *l);
void arena_ledger_release(struct arena_ledger *l);
unsigned long arena_total_charged(void);

/**
 * arena_file_peek() - the file's arena if it is set up, without setting it up
 * @f: the file's state
 *
 * Return: the arena, or NULL before SETUP.
 */
static inline struct arena *arena_file_peek(struct arena_file *f)
{
	/* Pairs with the release in arena_file_setup(). */
	return smp_load_acquire(&f->arena);
}

struct arena *arena_file_arena(struct arena_file *f);
int arena_file_setup(struct arena_file *f, u64 size, u64 align, u32 flags);
void arena_file_finish_free(void *priv, const struct arena_dying *d);
void arena_file_zero_region(struct arena_file *f);
int arena_dev_register(void);
void arena_dev_unregister(void);
long arena_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int arena_dev_mmap(struct file *file, struct vm_area_struct *vma);

/* The observable side: fdinfo (arena_fdinfo.c) and the global counters. */
void arena_dev_show_fdinfo(struct seq_file *m, struct file *file);
long arena_dev_count(void);

#endif /* _ARENA_KMOD_ARENA_DEV_H */
