// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/fdinfo/<fd> of an arena file: the arena's usage in the
 * kernel's "key:\tvalue" form, one line a key, bytes or counts:
 *
 *   arena-id            the id trace events name the arena by (0: no arena)
 *   arena-size          region bytes managed
 *   arena-used          bytes in live allocations
 *   arena-free          arena-size - arena-used
 *   arena-align         the alignment
 *   arena-chunks-used   live allocations
 *   arena-chunks-free   free chunks
 *   arena-largest-free  bytes in the largest free chunk
 *   arena-metadata      bytes of bookkeeping outside the region
 *
 * Before SETUP every line is there with 0.  Reading fdinfo never sets the
 * arena up: it only looks at what is there.
 */
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "arena_dev.h"

/**
 * arena_dev_show_fdinfo() - the fdinfo lines of an arena file
 * @m: the fdinfo file being generated
 * @file: an open file of /dev/arena
 *
 * Context: process context; takes the arena's spinlock for a consistent
 * snapshot (the same one ARENA_IOC_STATS reports).
 */
void arena_dev_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct arena *a = arena_file_peek(file->private_data);
	struct arena_stats st = {};
	u64 id = 0;

	if (a) {
		arena_get_stats(a, &st);
		id = a->id;
	}
	seq_printf(m, "arena-id:\t%llu\n", id);
	seq_printf(m, "arena-size:\t%llu\n", st.total);
	seq_printf(m, "arena-used:\t%llu\n", st.used);
	seq_printf(m, "arena-free:\t%llu\n", st.free);
	seq_printf(m, "arena-align:\t%llu\n", st.align);
	seq_printf(m, "arena-chunks-used:\t%llu\n", st.chunks_used);
	seq_printf(m, "arena-chunks-free:\t%llu\n", st.chunks_free);
	seq_printf(m, "arena-largest-free:\t%llu\n", st.largest_free);
	seq_printf(m, "arena-metadata:\t%llu\n", st.metadata_bytes);
}
