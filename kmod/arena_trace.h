/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of the arena module, trace system "arena":
 *
 *   arena_alloc         every allocation that reaches the core (ioctl,
 *                       BATCH, in-kernel API), with its result
 *   arena_alloc_failed  an allocation that found no space, with the free
 *                       bytes and the largest free chunk at that moment
 *   arena_free          every free, with the size freed and its result
 *   arena_setup         an arena of /dev/arena created (SETUP, implicit or not)
 *   arena_release       an arena of /dev/arena freed (last fd and mapping gone)
 *   bump_arena_block    a bump arena took a new block
 *
 * An arena is named by its id, a number unique per boot given by
 * arena_create(); /proc/<pid>/fdinfo/<fd> shows the same number as
 * "arena-id".  Bump arenas have no id: their pointer is printed hashed.
 *
 * Each trace point is a static key: while disabled it costs a no-op
 * instruction and nothing is computed.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM arena

#if !defined(_ARENA_KMOD_ARENA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARENA_KMOD_ARENA_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "arena_core.h"

TRACE_EVENT(arena_alloc,
	    TP_PROTO(const struct arena *a, u64 bytes_req, u64 offset, int err),
	    TP_ARGS(a, bytes_req, offset, err),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u64, bytes_req)
			     __field(u64, bytes_alloc)
			     __field(u64, offset)
			     __field(int, err)),
	    /* On success bytes_req is at most the region's size: no overflow. */
	    TP_fast_assign(__entry->id = a->id;
			   __entry->bytes_req = bytes_req;
			   __entry->bytes_alloc =
				err ? 0 : round_up(bytes_req, 1ULL << a->shift);
			   __entry->offset = err ? 0 : offset;
			   __entry->err = err;),
	    TP_printk("arena=%llu offset=%llu bytes_req=%llu bytes_alloc=%llu err=%d",
		      __entry->id, __entry->offset, __entry->bytes_req,
		      __entry->bytes_alloc, __entry->err)
);

/* Recorded under the arena's lock, like the allocation that failed. */
TRACE_EVENT(arena_alloc_failed,
	    TP_PROTO(struct arena *a, u64 bytes_req, int err),
	    TP_ARGS(a, bytes_req, err),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u64, bytes_req)
			     __field(u64, free)
			     __field(u64, largest_free)
			     __field(int, err)),
	    TP_fast_assign(__entry->id = a->id;
			   __entry->bytes_req = bytes_req;
			   __entry->free = arena_size_bytes(a) -
					   (a->used_granules << a->shift);
			   __entry->largest_free =
				(u64)arena_largest_free(a) << a->shift;
			   __entry->err = err;),
	    TP_printk("arena=%llu bytes_req=%llu free=%llu largest_free=%llu err=%d",
		      __entry->id, __entry->bytes_req, __entry->free,
		      __entry->largest_free, __entry->err)
);

TRACE_EVENT(arena_free,
	    TP_PROTO(const struct arena *a, u64 offset, u64 bytes, int err),
	    TP_ARGS(a, offset, bytes, err),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u64, offset)
			     __field(u64, bytes)
			     __field(int, err)),
	    TP_fast_assign(__entry->id = a->id;
			   __entry->offset = offset;
			   __entry->bytes = bytes;
			   __entry->err = err;),
	    TP_printk("arena=%llu offset=%llu bytes=%llu err=%d",
		      __entry->id, __entry->offset, __entry->bytes, __entry->err)
);

DECLARE_EVENT_CLASS(arena_lifetime,
		    TP_PROTO(const struct arena *a, size_t region_bytes),
		    TP_ARGS(a, region_bytes),
		    TP_STRUCT__entry(__field(u64, id)
				     __field(u64, size)
				     __field(u64, align)
				     __field(u64, region_bytes)),
		    TP_fast_assign(__entry->id = a->id;
				   __entry->size = arena_size_bytes(a);
				   __entry->align = 1ULL << a->shift;
				   __entry->region_bytes = region_bytes;),
		    TP_printk("arena=%llu size=%llu align=%llu region_bytes=%llu",
			      __entry->id, __entry->size, __entry->align,
			      __entry->region_bytes)
);

DEFINE_EVENT(arena_lifetime, arena_setup,
	     TP_PROTO(const struct arena *a, size_t region_bytes),
	     TP_ARGS(a, region_bytes)
);

DEFINE_EVENT(arena_lifetime, arena_release,
	     TP_PROTO(const struct arena *a, size_t region_bytes),
	     TP_ARGS(a, region_bytes)
);

TRACE_EVENT(bump_arena_block,
	    TP_PROTO(const void *bump, size_t bytes, size_t nr_blocks, long usage),
	    TP_ARGS(bump, bytes, nr_blocks, usage),
	    TP_STRUCT__entry(__field(const void *, bump)
			     __field(size_t, bytes)
			     __field(size_t, nr_blocks)
			     __field(long, usage)),
	    TP_fast_assign(__entry->bump = bump;
			   __entry->bytes = bytes;
			   __entry->nr_blocks = nr_blocks;
			   __entry->usage = usage;),
	    TP_printk("bump=%p bytes=%zu nr_blocks=%zu usage=%ld",
		      __entry->bump, __entry->bytes, __entry->nr_blocks,
		      __entry->usage)
);

#endif /* _ARENA_KMOD_ARENA_TRACE_H */

/* Not events: read once, whatever define_trace.h does with this file. */
#ifndef _ARENA_KMOD_ARENA_TRACE_HELPERS_H
#define _ARENA_KMOD_ARENA_TRACE_HELPERS_H

u64 arena_new_id(void);

/**
 * arena_trace_alloc() - arena_alloc, and arena_alloc_failed on failure
 * @a: arena, locked
 * @bytes_req: bytes asked for
 * @offset: byte offset of the allocation (ignored on failure)
 * @err: 0 or the error returned
 *
 * With constant @err and the events disabled, this is two no-ops.
 */
static inline void arena_trace_alloc(struct arena *a, u64 bytes_req,
				     u64 offset, int err)
{
	trace_arena_alloc(a, bytes_req, offset, err);
	if (err)
		trace_arena_alloc_failed(a, bytes_req, err);
}

#endif /* _ARENA_KMOD_ARENA_TRACE_HELPERS_H */

/* Out of tree: define_trace.h finds this file through -I$(src)/kmod. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE arena_trace
#include <trace/define_trace.h>
