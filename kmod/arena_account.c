// SPDX-License-Identifier: GPL-2.0
/*
 * Limits on the memory /dev/arena users hold.  Region memory and the
 * allocator's bookkeeping are kernel memory that never swaps and that the
 * OOM killer does not see in the holder's RSS, so they are charged the way
 * the kernel charges other pinned memory (io_uring, RDMA): in whole pages,
 * to the opening user's RLIMIT_MEMLOCK (user_struct::locked_vm; lifted by
 * CAP_IPC_LOCK), and to max_total_bytes over all users.  Every charge is a
 * compare-and-swap that fails without ever having gone over: a request
 * that is refused never makes another one fail.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>

#include "arena_dev.h"
#include "compat.h"

/* Bytes (whole pages) charged by every ledger, against max_total_bytes. */
static atomic_long_t arena_total_bytes = ATOMIC_LONG_INIT(0);

/**
 * arena_total_charged() - bytes charged by all /dev/arena users together
 *
 * Return: bytes, a multiple of the page size.
 */
unsigned long arena_total_charged(void)
{
	return atomic_long_read(&arena_total_bytes);
}

/* Add @amount to @counter unless that takes it past @limit. */
static bool charge_within(atomic_long_t *counter, unsigned long amount,
			  unsigned long limit)
{
	long cur = atomic_long_read(counter);

	do {
		if (amount > limit || (unsigned long)cur > limit - amount)
			return false;
	} while (!atomic_long_try_cmpxchg(counter, &cur, cur + amount));
	return true;
}

static int ledger_charge_pages(struct arena_ledger *l, unsigned long pages)
{
	unsigned long memlock = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (!charge_within(&arena_total_bytes, pages << PAGE_SHIFT,
			   READ_ONCE(arena_max_total_bytes))) {
		pr_warn_ratelimited("max_total_bytes (%lu) reached: refused %lu more bytes to uid %u\n",
				    READ_ONCE(arena_max_total_bytes),
				    pages << PAGE_SHIFT,
				    from_kuid(&init_user_ns, current_uid()));
		return -ENOMEM;
	}
	if (l->user && !charge_within(&l->user->locked_vm, pages, memlock)) {
		atomic_long_sub(pages << PAGE_SHIFT, &arena_total_bytes);
		return -ENOMEM;
	}
	return 0;
}

static void ledger_uncharge_pages(struct arena_ledger *l, unsigned long pages)
{
	if (l->user)
		atomic_long_sub(pages, &l->user->locked_vm);
	atomic_long_sub(pages << PAGE_SHIFT, &arena_total_bytes);
}

/**
 * arena_ledger_charge() - charge bytes of region or bookkeeping
 * @l: ledger, or NULL to charge nothing (in-kernel arenas)
 * @bytes: bytes about to be held
 *
 * Callers serialise charges to one ledger (the arena's lock, or SETUP's).
 *
 * Return: 0, or -ENOMEM with nothing charged when the user's
 * RLIMIT_MEMLOCK or max_total_bytes would be exceeded.
 */
int arena_ledger_charge(struct arena_ledger *l, size_t bytes)
{
	unsigned long pages;
	size_t total;

	if (!l)
		return 0;
	if (check_add_overflow(l->bytes, bytes, &total) || total > LONG_MAX)
		return -ENOMEM;
	pages = DIV_ROUND_UP(total, PAGE_SIZE);
	if (pages > l->pages) {
		if (ledger_charge_pages(l, pages - l->pages))
			return -ENOMEM;
		l->pages = pages;
	}
	l->bytes = total;
	return 0;
}

/**
 * arena_ledger_uncharge() - give back bytes charged earlier
 * @l: ledger, or NULL
 * @bytes: bytes no longer held
 */
void arena_ledger_uncharge(struct arena_ledger *l, size_t bytes)
{
	unsigned long pages;

	if (!l)
		return;
	l->bytes -= bytes;
	pages = DIV_ROUND_UP(l->bytes, PAGE_SIZE);
	if (pages < l->pages) {
		ledger_uncharge_pages(l, l->pages - pages);
		l->pages = pages;
	}
}

/**
 * arena_ledger_init() - a ledger for the current task's user
 * @l: ledger
 *
 * A task with CAP_IPC_LOCK is not limited by RLIMIT_MEMLOCK (as for
 * mlock()); its arenas still count against max_total_bytes.
 */
void arena_ledger_init(struct arena_ledger *l)
{
	l->user = capable(CAP_IPC_LOCK) ? NULL : get_current_user();
	l->bytes = 0;
	l->pages = 0;
}

/**
 * arena_ledger_release() - give back everything and drop the user
 * @l: ledger
 */
void arena_ledger_release(struct arena_ledger *l)
{
	ledger_uncharge_pages(l, l->pages);
	l->pages = 0;
	l->bytes = 0;
	if (l->user)
		free_uid(l->user);
	l->user = NULL;
}
