/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay of a slot trace: L slots each hold one live allocation; every
 * operation frees the allocation in a random slot and allocates a new
 * size into it.  Shared by the steady-state and fragmentation traces.
 */
#ifndef _ARENA_BENCH_REPLAY_H
#define _ARENA_BENCH_REPLAY_H

#include "bench_peer.h"

/* One free+alloc pair of a replay: the slot and the new request size. */
struct bench_replay_op {
	u32 slot;
	u32 size;
};

/**
 * struct bench_trace - a slot trace, shared by every allocator replaying it
 * @ops: free+alloc pairs, replayed in a circle
 * @nops: entries in @ops
 * @slots: live allocations the trace keeps
 * @fill_seed: PRNG seed of the sizes of the initial fill
 */
struct bench_trace {
	struct bench_replay_op *ops;
	u32 nops;
	unsigned long slots;
	u64 fill_seed;
};

/**
 * struct bench_replay - one allocator replaying a trace
 * @peer: the allocator
 * @live: one allocation per slot
 * @trace: the trace
 * @pos: next entry of @trace->ops
 * @fail: allocations that returned nothing, fill included
 */
struct bench_replay {
	struct bench_peer peer;
	struct bench_live live;
	const struct bench_trace *trace;
	u32 pos;
	u64 fail;
};

/**
 * struct bench_split - frees and allocations timed apart
 * @free_ns: time spent in frees
 * @alloc_ns: time spent in allocations
 * @frees: frees done
 * @allocs: allocations done
 */
struct bench_split {
	u64 free_ns;
	u64 alloc_ns;
	u64 frees;
	u64 allocs;
};

int bench_trace_init(struct bench_trace *t, unsigned long slots, u32 nops,
		     u64 seed, u64 fill_seed);
void bench_trace_destroy(struct bench_trace *t);
int bench_replay_start(struct bench_replay *rp, const struct bench_trace *t,
		       enum bench_kind kind, void *base, size_t size);
void bench_replay_stop(struct bench_replay *rp);
u64 bench_replay_timed(struct bench_replay *rp, u64 max_ops, u64 budget_ns,
		       u64 *done);
void bench_replay_split(struct bench_replay *rp, u64 max_ops, u64 budget_ns,
			struct bench_split *sp);
int bench_replay_lat_print(struct bench_replay *rp,
			   const struct bench_cfg *cfg,
			   const struct bench_result *r);

#endif /* _ARENA_BENCH_REPLAY_H */
