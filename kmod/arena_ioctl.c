// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/arena.  Each handler copies its fixed-size argument
 * in, rejects non-zero reserved fields and unknown flags, and copies the
 * result out.
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
	if (args.flags || args.reserved)
		return -EINVAL;
	return arena_file_setup(f, args.size, args.align);
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

static int arena_ioc_free(struct arena *a, void __user *uarg)
{
	struct arena_free_args args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved)
		return -EINVAL;
	return arena_free_offset(a, args.offset);
}

static int arena_ioc_stats(struct arena *a, void __user *uarg)
{
	struct arena_stats_args out = {};
	struct arena_stats st;

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

struct arena_walk_buf {
	struct arena_walk_entry *entries;
	u32 capacity;
	u32 count;
};

static int arena_walk_collect(void *priv, size_t offset, size_t size, bool used)
{
	struct arena_walk_buf *buf = priv;
	struct arena_walk_entry *e = &buf->entries[buf->count++];

	e->offset = offset;
	e->size = size;
	e->flags = used ? ARENA_CHUNK_USED : 0;
	e->reserved = 0;
	return buf->count == buf->capacity;	/* full: stop */
}

static int arena_ioc_walk(struct arena *a, void __user *uarg)
{
	struct arena_walk_args args;
	struct arena_walk_buf buf = {};
	int err;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved || !args.capacity)
		return -EINVAL;
	if (args.start > arena_size_bytes(a) ||
	    args.start & ((1ULL << a->shift) - 1))
		return -EINVAL;

	buf.capacity = min_t(u32, args.capacity, ARENA_WALK_MAX);
	buf.entries = kvmalloc_array(buf.capacity, sizeof(*buf.entries), GFP_KERNEL);
	if (!buf.entries)
		return -ENOMEM;

	spin_lock(&a->lock);
	err = arena_walk_locked(a, args.start >> a->shift, arena_walk_collect, &buf);
	spin_unlock(&a->lock);
	if (err < 0)
		goto free_entries;

	args.count = buf.count;
	args.next = args.start;
	if (buf.count)
		args.next = buf.entries[buf.count - 1].offset +
			    buf.entries[buf.count - 1].size;
	err = -EFAULT;
	if (copy_to_user(u64_to_user_ptr(args.entries), buf.entries,
			 buf.count * sizeof(*buf.entries)) ||
	    copy_to_user(uarg, &args, sizeof(args)))
		goto free_entries;
	err = 0;

free_entries:
	kvfree(buf.entries);
	return err;
}

static int arena_batch_check(const struct arena_batch_op *ops, u32 count,
			     u32 *nr_alloc)
{
	u32 i;

	*nr_alloc = 0;
	for (i = 0; i < count; i++) {
		if (ops[i].reserved || ops[i].pad)
			return -EINVAL;
		if (ops[i].op == ARENA_BATCH_ALLOC)
			(*nr_alloc)++;
		else if (ops[i].op != ARENA_BATCH_FREE)
			return -EINVAL;
	}
	return 0;
}

/* Runs the batch; returns how many operations failed, or -ENOMEM if none ran. */
static int arena_batch_run(struct arena *a, struct arena_batch_op *ops,
			   u32 count, u32 nr_alloc)
{
	u32 i, failed = 0;

	spin_lock(&a->lock);
	if (arena_reserve_nodes(a, min_t(u32, nr_alloc, ARENA_SPARE_KEEP))) {
		spin_unlock(&a->lock);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		struct arena_batch_op *op = &ops[i];

		op->offset = 0;
		if (op->op == ARENA_BATCH_FREE) {
			op->error = arena_free_locked(a, op->arg);
		} else if (!op->arg) {
			op->error = -EINVAL;
		} else {
			/*
			 * Rare: more carving than reserved.  Without memory
			 * for nodes, the allocations that need one fail one
			 * by one with -ENOMEM.
			 */
			if (!a->spare)
				arena_reserve_nodes(a, min_t(u32, nr_alloc,
							     ARENA_SPARE_KEEP));
			op->error = arena_alloc_locked(a, op->arg, &op->offset);
			nr_alloc--;
		}
		if (op->error)
			failed++;
	}
	arena_unlock_after_alloc(a);
	return failed;
}

static int arena_ioc_batch(struct arena *a, void __user *uarg)
{
	struct arena_batch_args args;
	struct arena_batch_op *ops;
	void __user *uops;
	u32 nr_alloc;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved || !args.count ||
	    args.count > ARENA_BATCH_MAX)
		return -EINVAL;
	uops = u64_to_user_ptr(args.ops);
	ops = kvmalloc_array(args.count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(ops, uops, args.count * sizeof(*ops)))
		goto free_ops;
	ret = arena_batch_check(ops, args.count, &nr_alloc);
	if (ret)
		goto free_ops;
	/* Results must be deliverable before anything runs: probe by writing. */
	ret = -EFAULT;
	if (copy_to_user(uops, ops, args.count * sizeof(*ops)) ||
	    put_user(0U, &((struct arena_batch_args __user *)uarg)->failed))
		goto free_ops;
	ret = arena_batch_run(a, ops, args.count, nr_alloc);
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

long arena_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct arena_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct arena *a;

	switch (cmd) {
	case ARENA_IOC_SETUP:
		return arena_ioc_setup(f, uarg);
	case ARENA_IOC_INFO:	/* needs no arena: no implicit SETUP */
		return arena_ioc_info(uarg);
	case ARENA_IOC_ALLOC:
	case ARENA_IOC_FREE:
	case ARENA_IOC_STATS:
	case ARENA_IOC_WALK:
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
		return arena_ioc_free(a, uarg);
	case ARENA_IOC_STATS:
		return arena_ioc_stats(a, uarg);
	case ARENA_IOC_WALK:
		return arena_ioc_walk(a, uarg);
	default:
		return arena_ioc_batch(a, uarg);
	}
}
