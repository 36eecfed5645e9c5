#!/bin/sh
# Guest side of bench/run.sh (runs inside the vm-run guest, in /work):
# loads drm.ko when the lane provides it (the drm_mm peer), then
# arena_bench.ko with the given module parameters, prints its BENCH lines
# from the kernel log, then runs the user-space benchmark.
# Usage: guest.sh USER_PAIRS USER_RUNS [MODULE_PARAM=VALUE]...
pairs=$1
runs=$2
shift 2
echo "BENCH kernel $(uname -r)"
start=$(cut -d' ' -f1 /proc/uptime)
if [ -f ./drm.ko ]; then
	insmod ./drm.ko || { echo "BENCH insmod drm.ko failed"; exit 1; }
fi
insmod ./arena_bench.ko "$@" || { echo "BENCH insmod failed"; exit 1; }
dmesg | sed -n 's/^\[[^]]*\] //; /^BENCH/p'
rmmod arena_bench
echo "BENCH kernel_part_s $(awk -v s="$start" '{ print $1 - s }' /proc/uptime)"
./arena_bench_user "$pairs" "$runs" || exit 1
if [ -x ./arena_bench_revoke ]; then
	./arena_bench_revoke || exit 1
fi
