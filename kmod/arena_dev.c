// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/arena: every open file is a private arena whose region is kernel
 * memory charged to the opener's memory cgroup and RLIMIT_MEMLOCK.
 * Closing the last reference to the file (the fd and every mapping of it)
 * frees it all.
 */
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "../uapi/linux/arena.h"
#include "arena_dev.h"
#include "arena_trace.h"

/* Arenas set up and not yet released. */
static atomic_long_t arena_count = ATOMIC_LONG_INIT(0);

static bool arena_setup_args_valid(u64 size, u64 align)
{
	return align && align <= ARENA_MAX_ALIGN && is_power_of_2(align) &&
	       size && IS_ALIGNED(size, align) &&
	       (size >> ilog2(align)) <= U32_MAX;
}

/**
 * arena_file_setup() - create the region and arena of an open file
 * @f: the file's state
 * @size: region bytes, a non-zero multiple of @align
 * @align: power of two up to %ARENA_MAX_ALIGN
 * @flags: %ARENA_SETUP_* flags
 *
 * The region, the file's state and the allocator's bookkeeping are all
 * charged to the opener's ledger (RLIMIT_MEMLOCK and max_total_bytes) and
 * memcg, and allocated without ever calling the OOM killer.
 *
 * Return: 0, -EINVAL for bad arguments, -EBUSY if already set up, -ENOMEM
 * beyond RLIMIT_MEMLOCK or max_total_bytes, or out of memory.
 */
int arena_file_setup(struct arena_file *f, u64 size, u64 align, u32 flags)
{
	size_t bytes;
	int err;

	if (!arena_setup_args_valid(size, align) || flags & ~ARENA_SETUP_FLAGS)
		return -EINVAL;
	/* With at most 2^32 granules of 4 KiB this cannot overflow. */
	bytes = PAGE_ALIGN(size);

	mutex_lock(&f->setup_lock);
	err = -EBUSY;
	if (f->arena)
		goto unlock;
	err = arena_ledger_charge(&f->ledger, bytes + sizeof(*f));
	if (err)
		goto unlock;
	err = -ENOMEM;
	f->region = __vmalloc(bytes, ARENA_USER_GFP | __GFP_ZERO);
	if (!f->region)
		goto uncharge;
	f->region_bytes = bytes;
	f->hook.zero = flags & ARENA_SETUP_ZERO_ON_FREE;
	/* Pairs with arena_file_peek(): region set up before it is seen. */
	smp_store_release(&f->arena,
			  arena_create_charged(f->region, size, align,
					       ARENA_USER_GFP, &f->ledger));
	if (!f->arena)
		goto free_region;
	atomic_long_inc(&arena_count);
	trace_arena_setup(f->arena, bytes);
	mutex_unlock(&f->setup_lock);
	return 0;

free_region:
	vfree(f->region);
	f->region = NULL;
uncharge:
	arena_ledger_uncharge(&f->ledger, bytes + sizeof(*f));
unlock:
	mutex_unlock(&f->setup_lock);
	return err;
}

/**
 * arena_file_arena() - the file's arena, set up with the defaults if needed
 * @f: the file's state
 *
 * Return: the arena, or an ERR_PTR() from the implicit SETUP.
 */
struct arena *arena_file_arena(struct arena_file *f)
{
	struct arena *a = arena_file_peek(f);
	int err;

	if (likely(a))
		return a;
	err = arena_file_setup(f, READ_ONCE(arena_default_size),
			       READ_ONCE(arena_default_align), 0);
	if (err && err != -EBUSY)	/* -EBUSY: another thread won the race */
		return ERR_PTR(err);
	/* Set up now, by us or by the winner of the race. */
	return arena_file_peek(f);
}

static int arena_dev_open(struct inode *inode, struct file *file)
{
	struct arena_file *f = kzalloc(sizeof(*f), ARENA_USER_GFP);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->setup_lock);
	arena_ledger_init(&f->ledger);
	f->hook.finish = arena_file_finish_free;
	f->hook.priv = f;
	init_rwsem(&f->revoke_sem);
	/* Our own mappings list, so revoking never reaches other arenas. */
	address_space_init_once(&f->mapping);
	f->mapping.host = inode;
	file->f_mapping = &f->mapping;
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int arena_dev_release(struct inode *inode, struct file *file)
{
	struct arena_file *f = file->private_data;

	if (f->arena) {
		trace_arena_release(f->arena, f->region_bytes);
		atomic_long_dec(&arena_count);
		arena_destroy(f->arena);
		if (f->hook.zero)
			arena_file_zero_region(f);
		vfree(f->region);
	}
	arena_ledger_release(&f->ledger);
	mutex_destroy(&f->setup_lock);
	kfree(f);
	return 0;
}

static const struct file_operations arena_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= arena_dev_open,
	.release	= arena_dev_release,
	.unlocked_ioctl	= arena_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= arena_dev_mmap,
	.show_fdinfo	= arena_dev_show_fdinfo,
};

static struct miscdevice arena_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "arena",
	.fops	= &arena_dev_fops,
	.mode	= 0666,
};

/**
 * arena_dev_count() - number of /dev/arena arenas set up and not released
 *
 * Context: any.
 * Return: the count.
 */
long arena_dev_count(void)
{
	return atomic_long_read(&arena_count);
}

int arena_dev_register(void)
{
	return misc_register(&arena_miscdev);
}

void arena_dev_unregister(void)
{
	misc_deregister(&arena_miscdev);
}
