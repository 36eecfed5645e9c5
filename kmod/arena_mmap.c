// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of /dev/arena: the whole region at offset 0, or one live page-aligned
 * allocation at its own offset.  Pages are inserted on fault from the
 * vmalloc'd region.  The mapping holds a reference to the file, so the
 * arena outlives close() until the last mapping goes away.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "arena_dev.h"
#include "compat.h"

static vm_fault_t arena_vm_fault(struct vm_fault *vmf)
{
	struct arena_file *f = vmf->vma->vm_private_data;
	struct page *page;

	/* vmf->pgoff already counts the mapping's own file offset. */
	if (vmf->pgoff >= f->region_bytes >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page(f->region + (vmf->pgoff << PAGE_SHIFT));
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct arena_vm_ops = {
	.fault = arena_vm_fault,
};

/* The whole region, or within one live page-aligned allocation. */
static bool arena_mmap_range_ok(struct arena_file *f, struct arena *a,
				unsigned long pgoff, unsigned long len)
{
	if (!pgoff && len == f->region_bytes)
		return true;
	if (pgoff >= f->region_bytes >> PAGE_SHIFT)
		return false;
	return len <= PAGE_ALIGN(arena_live_size(a, (u64)pgoff << PAGE_SHIFT));
}

int arena_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct arena_file *f = file->private_data;
	struct arena *a;

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
	if (!arena_mmap_range_ok(f, a, vma->vm_pgoff, vma->vm_end - vma->vm_start))
		return -EINVAL;
	/* No mremap() growth past what was checked here. */
	arena_vma_mod_flags(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &arena_vm_ops;
	vma->vm_private_data = f;
	return 0;
}
