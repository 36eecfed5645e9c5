#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Let ktest_arena_faults.ko make any allocation of its own task fail.
# Run as root in the guest before loading the module.
#
# The module fails the Nth allocation through the task's fail_nth counter,
# which needs no probability or task filter, but failslab and
# fail_page_alloc skip allocations that may sleep unless ignore-gfp-wait is
# N, and fail_page_alloc skips order-0 pages unless min-order is 0.  The
# probability stays 0, so nothing else ever fails.  verbose 0 keeps the
# forced failures from dumping stacks into the log.
#
# Without this the module still runs its GFP_ATOMIC cases and reports the
# GFP_KERNEL ones as skipped.  A kernel without fault injection: no-op.
set -eu

dbg=/sys/kernel/debug
if [ ! -d "$dbg/failslab" ]; then
	mount -t debugfs debugfs "$dbg" 2>/dev/null || true
fi
if [ ! -d "$dbg/failslab" ]; then
	echo "faults-setup: no $dbg/failslab, nothing to arm"
	exit 0
fi
for attr in failslab fail_page_alloc; do
	d=$dbg/$attr
	[ -d "$d" ] || continue
	echo 0 >"$d/probability"
	echo N >"$d/ignore-gfp-wait"
	echo 0 >"$d/verbose"
done
if [ -d "$dbg/fail_page_alloc" ]; then
	echo 0 >"$dbg/fail_page_alloc/min-order"
fi
echo "faults-setup: failslab/fail_page_alloc armed for fail-nth"
