/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/arena: one arena per open file.
 */
#ifndef _ARENA_KMOD_ARENA_DEV_H
#define _ARENA_KMOD_ARENA_DEV_H

#include <linux/fs.h>
#include <linux/mutex.h>

#include "arena_core.h"

/**
 * struct arena_file - the arena behind one open file of /dev/arena
 * @setup_lock: serialises SETUP (explicit or implicit)
 * @arena: the allocator; NULL until SETUP, then never changes
 * @region: the vmalloc'd region the arena manages
 * @region_bytes: the region's size rounded up to whole pages
 */
struct arena_file {
	struct mutex setup_lock;	/* held while @arena is created */
	struct arena *arena;
	void *region;
	size_t region_bytes;
};

/* Module parameters (arena_main.c). */
extern unsigned long arena_max_total_bytes;
extern unsigned long arena_default_size;
extern unsigned long arena_default_align;

struct arena *arena_file_arena(struct arena_file *f);
int arena_file_setup(struct arena_file *f, u64 size, u64 align);
int arena_dev_register(void);
void arena_dev_unregister(void);
long arena_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int arena_dev_mmap(struct file *file, struct vm_area_struct *vma);

/* The observable side: fdinfo (arena_fdinfo.c) and the global counters. */
void arena_dev_show_fdinfo(struct seq_file *m, struct file *file);
long arena_dev_total_bytes(void);
long arena_dev_count(void);

#endif /* _ARENA_KMOD_ARENA_DEV_H */
