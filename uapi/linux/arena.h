/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/arena ioctl ABI.
 *
 * Every open file of /dev/arena is one private arena: a zeroed region of
 * kernel memory managed by a coalescing best-fit allocator.  User space
 * configures it with ARENA_IOC_SETUP, allocates and frees byte offsets
 * into it with ARENA_IOC_ALLOC / ARENA_IOC_FREE (or many at once with
 * ARENA_IOC_BATCH) and reaches the memory through mmap() of the same file:
 * MAP_SHARED, the whole region at offset 0, or one live page-aligned
 * allocation at its own offset (a "chunk mapping").  When an allocation is
 * freed, every chunk mapping of it, in every process, is revoked: access
 * through it raises SIGBUS from then on, also after the offset is
 * allocated again.  Mappings of the whole region stay valid across FREE.
 * ARENA_IOC_INFO tells which ABI version, features and limits the loaded
 * module has.
 *
 * Every struct is made of fixed-size __u64/__u32 fields with explicit
 * padding, so 32-bit and 64-bit processes share one layout.  Fields named
 * "reserved" and flag bits not defined here must be zero, or the ioctl
 * fails with EINVAL; that keeps them free for later extensions.
 */
#ifndef _UAPI_LINUX_ARENA_H
#define _UAPI_LINUX_ARENA_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* Largest alignment SETUP accepts: the region is mapped page by page. */
#define ARENA_MAX_ALIGN		4096

/*
 * Flags of struct arena_setup_args.
 *
 * ARENA_SETUP_ZERO_ON_FREE: the bytes of every allocation are zeroed before
 * FREE (or the FREE of a BATCH) returns, and the whole region before it is
 * released: freed secrets do not linger in the region.
 */
#define ARENA_SETUP_ZERO_ON_FREE	_BITUL(0)
#define ARENA_SETUP_FLAGS		ARENA_SETUP_ZERO_ON_FREE

/**
 * struct arena_setup_args - argument of %ARENA_IOC_SETUP
 * @size: bytes in the region; a non-zero multiple of @align
 * @align: allocation granule and alignment; a power of two from 1 to
 *	%ARENA_MAX_ALIGN
 * @flags: %ARENA_SETUP_ZERO_ON_FREE or 0; other bits are EINVAL
 * @reserved: must be 0
 */
struct arena_setup_args {
	__u64 size;
	__u64 align;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct arena_alloc_args - argument of %ARENA_IOC_ALLOC
 * @size: in: bytes wanted; rounded up to the arena's alignment
 * @offset: out: byte offset of the allocation in the region (0 is valid)
 * @flags: must be 0
 * @reserved: must be 0
 */
struct arena_alloc_args {
	__u64 size;
	__u64 offset;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct arena_free_args - argument of %ARENA_IOC_FREE
 * @offset: byte offset returned by an earlier allocation
 * @flags: must be 0
 * @reserved: must be 0
 */
struct arena_free_args {
	__u64 offset;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct arena_stats_args - result of %ARENA_IOC_STATS (output only)
 * @used: bytes in live allocations
 * @free: bytes in free chunks
 * @total: @used + @free, the region's managed size
 * @chunks_used: number of live allocations
 * @chunks_free: number of free chunks (never two adjacent)
 * @largest_free: size of the largest free chunk
 * @align: the arena's alignment
 * @alloc_ok: successful allocations since SETUP
 * @alloc_failed: allocations that found no space (or no memory)
 * @free_ok: successful frees since SETUP
 * @free_invalid: frees rejected because the offset was not a live allocation
 * @metadata_bytes: kernel memory spent on the allocator's bookkeeping
 * @reserved: zero; room for more counters
 */
struct arena_stats_args {
	__u64 used;
	__u64 free;
	__u64 total;
	__u64 chunks_used;
	__u64 chunks_free;
	__u64 largest_free;
	__u64 align;
	__u64 alloc_ok;
	__u64 alloc_failed;
	__u64 free_ok;
	__u64 free_invalid;
	__u64 metadata_bytes;
	__u64 reserved[4];
};

/* Chunk states in struct arena_walk_entry.flags. */
#define ARENA_CHUNK_USED	0x1U

/**
 * struct arena_walk_entry - one chunk reported by %ARENA_IOC_WALK
 * @offset: byte offset of the chunk
 * @size: bytes in the chunk
 * @flags: %ARENA_CHUNK_USED for a live allocation, 0 for a free chunk
 * @reserved: zero
 */
struct arena_walk_entry {
	__u64 offset;
	__u64 size;
	__u32 flags;
	__u32 reserved;
};

/* Most entries one ARENA_IOC_WALK call reports; call again to go on. */
#define ARENA_WALK_MAX		4096

/**
 * struct arena_walk_args - argument of %ARENA_IOC_WALK
 * @entries: user pointer to an array of struct arena_walk_entry
 * @start: in: offset of the chunk to start from (0, or @next of the
 *	previous call); must be a chunk boundary
 * @next: out: offset to pass as @start to continue; equals the region
 *	size when the walk has reached the end (0 before SETUP).  A walk
 *	racing with changes to the arena may stop early, at a @next that is
 *	no longer a chunk boundary: restart from 0 then
 * @capacity: in: entries the array holds (at most %ARENA_WALK_MAX are used)
 * @count: out: entries written, in offset order
 * @flags: must be 0
 * @reserved: must be 0
 */
struct arena_walk_args {
	__u64 entries;
	__u64 start;
	__u64 next;
	__u32 capacity;
	__u32 count;
	__u32 flags;
	__u32 reserved;
};

/* Operations of struct arena_batch_op.op. */
#define ARENA_BATCH_ALLOC	1
#define ARENA_BATCH_FREE	2

/**
 * struct arena_batch_op - one operation of %ARENA_IOC_BATCH
 * @op: %ARENA_BATCH_ALLOC or %ARENA_BATCH_FREE
 * @reserved: must be 0
 * @arg: size to allocate, or offset to free
 * @offset: out: offset of the allocation (ARENA_BATCH_ALLOC only)
 * @error: out: 0, or a negative errno for this operation alone
 * @pad: must be 0
 */
struct arena_batch_op {
	__u32 op;
	__u32 reserved;
	__u64 arg;
	__u64 offset;
	__s32 error;
	__u32 pad;
};

/* Most operations one ARENA_IOC_BATCH call accepts. */
#define ARENA_BATCH_MAX		4096

/**
 * struct arena_batch_args - argument of %ARENA_IOC_BATCH
 * @ops: user pointer to an array of struct arena_batch_op
 * @count: number of operations, 1 to %ARENA_BATCH_MAX
 * @flags: must be 0
 * @failed: out: operations whose @error is non-zero
 * @reserved: must be 0
 *
 * The operations run in array order, in slices of 32: the arena's lock is
 * dropped, and the CPU offered to other tasks, between slices (and when
 * more bookkeeping memory must be allocated), so other threads' operations
 * on the same arena may run in between.  A failing operation does not stop
 * the batch: each reports its own result, as if it ran alone.  The
 * ioctl itself fails with EINVAL (a malformed operation: unknown @op,
 * non-zero reserved field), EFAULT (the array cannot be read) or ENOMEM
 * before executing anything; the kernel also checks that the array and
 * @failed can be written before it runs anything.  Only if they are
 * unmapped or made read-only while the call runs does an EFAULT come after
 * the operations ran.
 */
struct arena_batch_args {
	__u64 ops;
	__u32 count;
	__u32 flags;
	__u32 failed;
	__u32 reserved;
};

/* Version of this ABI: ARENA_IOC_INFO reports the module's. */
#define ARENA_ABI_MAJOR		1	/* changes break existing programs */
/* Additions: 1 ARENA_IOC_INFO, 2 ARENA_SETUP_ZERO_ON_FREE. */
#define ARENA_ABI_MINOR		2

/*
 * Optional features, one bit each, in struct arena_info_args.features.
 * New bits are appended; a bit's meaning never changes.
 */
#define ARENA_FEATURE_BATCH		_BITULL(0)	/* ARENA_IOC_BATCH */
#define ARENA_FEATURE_WALK		_BITULL(1)	/* ARENA_IOC_WALK */
#define ARENA_FEATURE_COMPAT32		_BITULL(2)	/* 32-bit callers (compat ioctl) */
#define ARENA_FEATURE_MMAP_CHUNK	_BITULL(3)	/* mmap of one allocation */
#define ARENA_FEATURE_REVOKE		_BITULL(4)	/* FREE revokes chunk mappings */
#define ARENA_FEATURE_ZERO_ON_FREE	_BITULL(5)	/* ARENA_SETUP_ZERO_ON_FREE */
#define ARENA_FEATURE_MEMLOCK		_BITULL(6)	/* charged to RLIMIT_MEMLOCK */

/**
 * struct arena_info_args - result of %ARENA_IOC_INFO (output only)
 * @abi_major: %ARENA_ABI_MAJOR of the module
 * @abi_minor: %ARENA_ABI_MINOR of the module
 * @features: %ARENA_FEATURE_* bits of what the module supports
 * @version_major: the module's release (MODULE_VERSION), first number
 * @version_minor: the module's release, second number
 * @version_patch: the module's release, third number
 * @reserved0: zero
 * @max_align: largest alignment SETUP accepts (%ARENA_MAX_ALIGN)
 * @batch_max: most operations one BATCH accepts (%ARENA_BATCH_MAX)
 * @walk_max: most entries one WALK reports (%ARENA_WALK_MAX)
 * @max_total_bytes: the module's current cap on all regions together
 *	(the max_total_bytes parameter)
 * @reserved: zero; room for more fields
 *
 * INFO works on any open file, before or after SETUP, and never sets the
 * arena up.
 */
struct arena_info_args {
	__u32 abi_major;
	__u32 abi_minor;
	__u64 features;
	__u32 version_major;
	__u32 version_minor;
	__u32 version_patch;
	__u32 reserved0;
	__u64 max_align;
	__u64 batch_max;
	__u64 walk_max;
	__u64 max_total_bytes;
	__u64 reserved[8];
};

#define ARENA_IOC_MAGIC		0xA7

#define ARENA_IOC_SETUP		_IOW(ARENA_IOC_MAGIC, 0x01, struct arena_setup_args)
#define ARENA_IOC_ALLOC		_IOWR(ARENA_IOC_MAGIC, 0x02, struct arena_alloc_args)
#define ARENA_IOC_FREE		_IOW(ARENA_IOC_MAGIC, 0x03, struct arena_free_args)
#define ARENA_IOC_STATS		_IOR(ARENA_IOC_MAGIC, 0x04, struct arena_stats_args)
#define ARENA_IOC_WALK		_IOWR(ARENA_IOC_MAGIC, 0x05, struct arena_walk_args)
#define ARENA_IOC_BATCH		_IOWR(ARENA_IOC_MAGIC, 0x06, struct arena_batch_args)
#define ARENA_IOC_INFO		_IOR(ARENA_IOC_MAGIC, 0x07, struct arena_info_args)

#endif /* _UAPI_LINUX_ARENA_H */
