// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of /dev/arena: the whole region at offset 0, or one live page-aligned
 * allocation at its own offset.  The mapping holds a reference to the file,
 * so the arena outlives close() until the last mapping goes away.
 *
 * A mapping of one allocation ("chunk mapping") ends with the allocation:
 * when it is freed, every chunk mapping of it, in every process, loses its
 * pages, and faults on it get SIGBUS from then on, also once the offset is
 * allocated again.  Each open file has its own address_space (set up at
 * open), so unmap_mapping_range() reaches exactly this arena's mappings.
 * The race between a fault and a FREE is closed by @revoke_sem: a fault
 * checks that its allocation is current and inserts the page under it for
 * reading; FREE marks the allocation dying first, then takes it for
 * writing, so every fault that saw the allocation live has inserted its
 * page before the pages are zapped.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "arena_dev.h"
#include "compat.h"

/**
 * struct arena_chunk_mapping - what a chunk mapping was made of
 * @ref: one per VMA (a split or fork adds one)
 * @offset: the allocation's byte offset
 * @gen: the allocation's generation (see arena_chunk_map())
 */
struct arena_chunk_mapping {
	refcount_t ref;
	u64 offset;
	u64 gen;
};

static void arena_vm_open(struct vm_area_struct *vma)
{
	struct arena_chunk_mapping *m = vma->vm_private_data;

	if (m)
		refcount_inc(&m->ref);
}

static void arena_vm_close(struct vm_area_struct *vma)
{
	struct arena_chunk_mapping *m = vma->vm_private_data;

	if (m && refcount_dec_and_test(&m->ref))
		kfree(m);
}

static vm_fault_t arena_chunk_fault(struct vm_fault *vmf, struct arena_file *f,
				    struct arena_chunk_mapping *m,
				    struct page *page)
{
	vm_fault_t ret = VM_FAULT_SIGBUS;
	int err;

	down_read(&f->revoke_sem);
	if (arena_chunk_current(f->arena, m->offset, m->gen)) {
		err = vm_insert_page(vmf->vma, vmf->address, page);
		/* -EBUSY: another thread's fault mapped it first. */
		ret = !err || err == -EBUSY ? VM_FAULT_NOPAGE : vmf_error(err);
	}
	up_read(&f->revoke_sem);
	return ret;
}

static vm_fault_t arena_vm_fault(struct vm_fault *vmf)
{
	struct arena_file *f = vmf->vma->vm_file->private_data;
	struct page *page;

	/* vmf->pgoff already counts the mapping's own file offset. */
	if (vmf->pgoff >= f->region_bytes >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page(f->region + (vmf->pgoff << PAGE_SHIFT));
	if (vmf->vma->vm_private_data)
		return arena_chunk_fault(vmf, f, vmf->vma->vm_private_data, page);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct arena_vm_ops = {
	.open	= arena_vm_open,
	.close	= arena_vm_close,
	.fault	= arena_vm_fault,
};

/* A chunk mapping: within one live page-aligned allocation. */
static int arena_mmap_chunk(struct arena_file *f, struct vm_area_struct *vma)
{
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT, bytes, gen;
	struct arena_chunk_mapping *m;

	if (vma->vm_pgoff >= f->region_bytes >> PAGE_SHIFT ||
	    arena_chunk_map(f->arena, offset, &bytes, &gen) ||
	    vma->vm_end - vma->vm_start > PAGE_ALIGN(bytes))
		return -EINVAL;
	m = kmalloc(sizeof(*m), ARENA_USER_GFP);
	if (!m)
		return -ENOMEM;
	refcount_set(&m->ref, 1);
	m->offset = offset;
	m->gen = gen;
	vma->vm_private_data = m;
	/* Pages are inserted by the fault handler itself, under revoke_sem. */
	arena_vma_mod_flags(vma, VM_MIXEDMAP, 0);
	return 0;
}

int arena_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct arena_file *f = file->private_data;
	struct arena *a;
	int err;

	/* Only an fd open for writing may set the arena up. */
	if (file->f_mode & FMODE_WRITE)
		a = arena_file_arena(f);
	else
		a = arena_file_peek(f) ?: ERR_PTR(-EBADF);
	if (IS_ERR(a))
		return PTR_ERR(a);
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Data, never code: no PROT_EXEC now, nor by mprotect() later. */
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	vma->vm_private_data = NULL;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != f->region_bytes) {
		err = arena_mmap_chunk(f, vma);
		if (err)
			return err;
	}
	/* No mremap() growth past what was checked here. */
	arena_vma_mod_flags(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &arena_vm_ops;
	return 0;
}

/* Zeroes @bytes at @p, offering the CPU to others every MiB. */
static void arena_zero(void *p, u64 bytes)
{
	while (bytes) {
		size_t n = min_t(u64, bytes, SZ_1M);

		memset(p, 0, n);
		p += n;
		bytes -= n;
		cond_resched();
	}
}

/**
 * arena_file_finish_free() - revoke and zero an allocation about to be freed
 * @priv: the &struct arena_file
 * @d: the dying allocation
 *
 * The &arena_free_hook.finish of every /dev/arena file; process context.
 */
void arena_file_finish_free(void *priv, const struct arena_dying *d)
{
	struct arena_file *f = priv;

	if (d->mapped) {
		/* Faults that saw the allocation live have inserted by now. */
		down_write(&f->revoke_sem);
		unmap_mapping_range(&f->mapping, d->offset, d->bytes, 1);
		up_write(&f->revoke_sem);
	}
	if (f->hook.zero)
		arena_zero(f->region + d->offset, d->bytes);
}

/**
 * arena_file_zero_region() - zero the whole region (ZERO_ON_FREE release)
 * @f: the file's state, set up
 */
void arena_file_zero_region(struct arena_file *f)
{
	arena_zero(f->region, f->region_bytes);
}
