// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/arena: every open file is a private arena whose region is kernel
 * memory charged to the opener's memory cgroup.  Closing the last
 * reference to the file (the fd and every mapping of it) frees it all.
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

/* Bytes of all regions, against max_total_bytes. */
static atomic_long_t arena_total_bytes = ATOMIC_LONG_INIT(0);
/* Arenas set up and not yet released. */
static atomic_long_t arena_count = ATOMIC_LONG_INIT(0);

static bool arena_setup_args_valid(u64 size, u64 align)
{
	return align && align <= ARENA_MAX_ALIGN && is_power_of_2(align) &&
	       size && IS_ALIGNED(size, align) &&
	       (size >> ilog2(align)) <= U32_MAX;
}

static int arena_charge(size_t bytes)
{
	if (atomic_long_add_return(bytes, &arena_total_bytes) >
	    READ_ONCE(arena_max_total_bytes)) {
		atomic_long_sub(bytes, &arena_total_bytes);
		return -ENOMEM;
	}
	return 0;
}

/**
 * arena_file_setup() - create the region and arena of an open file
 * @f: the file's state
 * @size: region bytes, a non-zero multiple of @align
 * @align: power of two up to %ARENA_MAX_ALIGN
 *
 * Return: 0, -EINVAL for bad arguments, -EBUSY if already set up, -ENOMEM
 * beyond max_total_bytes or out of memory.
 */
int arena_file_setup(struct arena_file *f, u64 size, u64 align)
{
	size_t bytes;
	int err;

	if (!arena_setup_args_valid(size, align))
		return -EINVAL;
	/* With at most 2^32 granules of 4 KiB this cannot overflow. */
	bytes = PAGE_ALIGN(size);

	mutex_lock(&f->setup_lock);
	err = -EBUSY;
	if (f->arena)
		goto unlock;
	err = arena_charge(bytes);
	if (err)
		goto unlock;
	err = -ENOMEM;
	/* Zeroed, charged to the caller's memcg, failing instead of OOM-killing. */
	f->region = __vmalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_ZERO |
			      __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!f->region)
		goto uncharge;
	f->region_bytes = bytes;
	/* Pairs with arena_file_arena(): region set up before it is seen. */
	smp_store_release(&f->arena,
			  arena_create(f->region, size, align, GFP_KERNEL_ACCOUNT));
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
	atomic_long_sub(bytes, &arena_total_bytes);
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
	/* Pairs with the release in arena_file_setup(). */
	struct arena *a = smp_load_acquire(&f->arena);
	int err;

	if (likely(a))
		return a;
	err = arena_file_setup(f, READ_ONCE(arena_default_size),
			       READ_ONCE(arena_default_align));
	if (err && err != -EBUSY)	/* -EBUSY: another thread won the race */
		return ERR_PTR(err);
	/* Set up now, by us or by the winner of the race; as above. */
	return smp_load_acquire(&f->arena);
}

static int arena_dev_open(struct inode *inode, struct file *file)
{
	struct arena_file *f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->setup_lock);
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
		vfree(f->region);
		atomic_long_sub(f->region_bytes, &arena_total_bytes);
	}
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
 * arena_dev_total_bytes() - bytes of all /dev/arena regions together
 *
 * Context: any.
 * Return: the running total held against max_total_bytes.
 */
long arena_dev_total_bytes(void)
{
	return atomic_long_read(&arena_total_bytes);
}

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
