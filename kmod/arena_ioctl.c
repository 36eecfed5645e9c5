// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/arena.  Each handler copies its fixed-size argument
 * in, rejects non-zero reserved fields and unknown flags, calls the core
 * (which owns all locking) and copies the result out.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../uapi/linux/arena.h"
#include "arena_dev.h"
#include "arena_info.h"

static int arena_ioc_setup(struct arena_file *f, void __user *uarg)
{
	struct arena_setup_args args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.reserved)
		return -EINVAL;
	return arena_file_setup(f, args.size, args.align, args.flags);
}

static int arena_ioc_alloc(struct arena *a, void __user *uarg)
{
	struct arena_alloc_args args;
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved || !args.size)
		return -EINVAL;
	err = arena_alloc_offset(a, args.size, &args.offset);
	if (err)
		return err;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		/* The caller cannot learn the offset: take it back. */
		arena_free_offset(a, args.offset);
		return -EFAULT;
	}
	return 0;
}

static int arena_ioc_free(struct arena_file *f, struct arena *a,
			  void __user *uarg)
{
	struct arena_free_args args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved)
		return -EINVAL;
	return arena_free_offset_hooked(a, args.offset, &f->hook);
}

static int arena_ioc_stats(struct arena *a, void __user *uarg)
{
	struct arena_stats_args out = {};
	struct arena_stats st;

	/* Not set up: all zero, and no implicit SETUP. */
	if (!a)
		return copy_to_user(uarg, &out, sizeof(out)) ? -EFAULT : 0;
	arena_get_stats(a, &st);
	out.used = st.used;
	out.free = st.free;
	out.total = st.total;
	out.chunks_used = st.chunks_used;
	out.chunks_free = st.chunks_free;
	out.largest_free = st.largest_free;
	out.align = st.align;
	out.alloc_ok = st.alloc_ok;
	out.alloc_failed = st.alloc_failed;
	out.free_ok = st.free_ok;
	out.free_invalid = st.free_invalid;
	out.metadata_bytes = st.metadata_bytes;
	return copy_to_user(uarg, &out, sizeof(out)) ? -EFAULT : 0;
}

/* Scratch buffers of WALK and BATCH: charged to the caller, never the OOM killer. */
#define ARENA_SCRATCH_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

static int arena_ioc_walk(struct arena *a, void __user *uarg)
{
	struct arena_walk_entry *entries;
	struct arena_walk_args args;
	u32 capacity;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved || !args.capacity)
		return -EINVAL;
	if (!a) {
		/* Not set up: an empty walk, and no implicit SETUP. */
		if (args.start)
			return -EINVAL;
		args.count = 0;
		args.next = 0;
		return copy_to_user(uarg, &args, sizeof(args)) ? -EFAULT : 0;
	}

	capacity = min_t(u32, args.capacity, ARENA_WALK_MAX);
	entries = kvmalloc_array(capacity, sizeof(*entries), ARENA_SCRATCH_GFP);
	if (!entries)
		return -ENOMEM;
	ret = arena_walk_entries(a, args.start, entries, capacity, &args.next);
	if (ret < 0)
		goto free_entries;
	args.count = ret;
	ret = -EFAULT;
	if (copy_to_user(u64_to_user_ptr(args.entries), entries,
			 args.count * sizeof(*entries)) ||
	    copy_to_user(uarg, &args, sizeof(args)))
		goto free_entries;
	ret = 0;

free_entries:
	kvfree(entries);
	return ret;
}

static int arena_batch_check(const struct arena_batch_op *ops, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		if (ops[i].reserved || ops[i].pad)
			return -EINVAL;
		if (ops[i].op != ARENA_BATCH_ALLOC && ops[i].op != ARENA_BATCH_FREE)
			return -EINVAL;
	}
	return 0;
}

static int arena_ioc_batch(struct arena_file *f, struct arena *a,
			   void __user *uarg)
{
	struct arena_batch_args args;
	struct arena_batch_op *ops;
	void __user *uops;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved || !args.count ||
	    args.count > ARENA_BATCH_MAX)
		return -EINVAL;
	uops = u64_to_user_ptr(args.ops);
	ops = kvmalloc_array(args.count, sizeof(*ops), ARENA_SCRATCH_GFP);
	if (!ops)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(ops, uops, args.count * sizeof(*ops)))
		goto free_ops;
	ret = arena_batch_check(ops, args.count);
	if (ret)
		goto free_ops;
	/* Results must be deliverable before anything runs: probe by writing. */
	ret = -EFAULT;
	if (copy_to_user(uops, ops, args.count * sizeof(*ops)) ||
	    put_user(0U, &((struct arena_batch_args __user *)uarg)->failed))
		goto free_ops;
	ret = arena_batch(a, ops, args.count, &f->hook);
	if (ret < 0)
		goto free_ops;
	args.failed = ret;
	ret = -EFAULT;
	if (copy_to_user(uops, ops, args.count * sizeof(*ops)) ||
	    copy_to_user(uarg, &args, sizeof(args)))
		goto free_ops;
	ret = 0;

free_ops:
	kvfree(ops);
	return ret;
}

/* Commands that change the arena (or set it up) need an fd open for writing. */
static bool arena_cmd_writes(unsigned int cmd)
{
	return cmd == ARENA_IOC_SETUP || cmd == ARENA_IOC_ALLOC ||
	       cmd == ARENA_IOC_FREE || cmd == ARENA_IOC_BATCH;
}

long arena_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct arena_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct arena *a;

	if (arena_cmd_writes(cmd) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	switch (cmd) {
	case ARENA_IOC_SETUP:
		return arena_ioc_setup(f, uarg);
	case ARENA_IOC_STATS:
		return arena_ioc_stats(arena_file_peek(f), uarg);
	case ARENA_IOC_WALK:
		return arena_ioc_walk(arena_file_peek(f), uarg);
	case ARENA_IOC_INFO:	/* needs no arena: no implicit SETUP */
		return arena_ioc_info(uarg);
	case ARENA_IOC_ALLOC:
	case ARENA_IOC_FREE:
	case ARENA_IOC_BATCH:
		break;
	default:
		return -ENOTTY;
	}

	a = arena_file_arena(f);
	if (IS_ERR(a))
		return PTR_ERR(a);
	switch (cmd) {
	case ARENA_IOC_ALLOC:
		return arena_ioc_alloc(a, uarg);
	case ARENA_IOC_FREE:
		return arena_ioc_free(f, a, uarg);
	default:
		return arena_ioc_batch(f, a, uarg);
	}
}
