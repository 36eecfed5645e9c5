// SPDX-License-Identifier: GPL-2.0
/*
 * The arena trace events (kmod/arena_trace.h) are created here, and the
 * ids that name arenas in them and in fdinfo are handed out here.
 */
#include <linux/atomic.h>

#define CREATE_TRACE_POINTS
#include "arena_trace.h"

static atomic64_t arena_last_id = ATOMIC64_INIT(0);

/**
 * arena_new_id() - a new arena id
 *
 * Context: any.
 * Return: the id: ids start at 1 and are never reused while the module is
 * loaded; 0 means no arena (fdinfo before SETUP).
 */
u64 arena_new_id(void)
{
	return atomic64_inc_return(&arena_last_id);
}
