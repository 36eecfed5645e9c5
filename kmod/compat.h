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
static inline void arena_vma_mod_flags(struct vm_area_struct *vma,
				       unsigned long set, unsigned long clear)
{
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * user_struct::locked_vm, the per-user count of pages charged against
 * RLIMIT_MEMLOCK that io_uring and RDMA share, exists only when one of
 * its users is built in (6.1 to 6.12: the same condition).
 */
#if !defined(CONFIG_NET) && !defined(CONFIG_IO_URING) && \
	!defined(CONFIG_VFIO_PCI_ZDEV_KVM) && !IS_ENABLED(CONFIG_IOMMUFD) && \
	!defined(CONFIG_SECRETMEM)
#error "arena needs user_struct::locked_vm: build the kernel with CONFIG_NET"
#endif

#endif /* _ARENA_KMOD_COMPAT_H */
