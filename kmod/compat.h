/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels the module supports (6.1 to 6.12), each
 * behind one small helper.
 */
#ifndef _ARENA_KMOD_COMPAT_H
#define _ARENA_KMOD_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/* 6.3 made vm_flags read-only outside the vm_flags_*() helpers. */
static inline void arena_vma_set_flags(struct vm_area_struct *vma, unsigned long flags)
{
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

#endif /* _ARENA_KMOD_COMPAT_H */
