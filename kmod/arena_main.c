// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry: parameters, the chunk cache and /dev/arena.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "arena_dev.h"

unsigned long arena_max_total_bytes;
module_param_named(max_total_bytes, arena_max_total_bytes, ulong, 0644);
MODULE_PARM_DESC(max_total_bytes,
		 "Cap on the bytes of all /dev/arena regions and their bookkeeping together; beyond it SETUP and ALLOC fail with ENOMEM (default, or 0 at load: half of RAM)");

unsigned long arena_default_size = 1UL << 20;
module_param_named(default_size, arena_default_size, ulong, 0644);
MODULE_PARM_DESC(default_size,
		 "Region size of an arena used before SETUP (default 1 MiB)");

unsigned long arena_default_align = 16;
module_param_named(default_align, arena_default_align, ulong, 0644);
MODULE_PARM_DESC(default_align,
		 "Alignment of an arena used before SETUP (default 16)");

static int __init arena_init(void)
{
	int err;

	/* Kernel memory that never swaps: by default at most half of RAM. */
	if (!arena_max_total_bytes)
		arena_max_total_bytes = (totalram_pages() / 2) << PAGE_SHIFT;
	err = arena_chunk_cache_init();
	if (err)
		return err;
	err = arena_dev_register();
	if (err)
		goto destroy_cache;
	return 0;

destroy_cache:
	arena_chunk_cache_exit();
	return err;
}

static void __exit arena_exit(void)
{
	arena_dev_unregister();
	arena_chunk_cache_exit();
}

module_init(arena_init);
module_exit(arena_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Coalescing best-fit and bump arena allocators, in-kernel and through /dev/arena");
MODULE_AUTHOR("arena developers");
MODULE_VERSION(ARENA_VERSION);	/* from the VERSION file, see Kbuild */
