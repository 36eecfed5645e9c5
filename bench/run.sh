#!/bin/bash
# make bench: boot a VM on the stock-6.1 lane, run the kernel benchmark
# module (arena_bench.ko) and the user-space benchmark in it, write
# bench/results.md and print the table and the PASS/MISS of each target.
#
# Environment:
#   BENCH_LANE         kernel lane (default stock-6.1)
#   BENCH_MEM          guest memory in MiB (default 4096; L=1e6 needs ~2.5 GiB)
#   BENCH_PARAMS       arena_bench.ko parameters, e.g. "max_live=100000 runs=3"
#   BENCH_USER_PAIRS   free+alloc pairs per user-space run (multiple of 1024)
#   BENCH_USER_RUNS    user-space runs (median reported)
#   BENCH_OUT          results file (default build/bench/results.md; see make bench-publish)
#   BENCH_STRICT=1     exit 1 when a target is missed
# Exit status: 0 when the benchmark ran (targets are reported, not enforced
# unless BENCH_STRICT=1), non-zero when it could not run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
lane=${BENCH_LANE:-stock-6.1}
mem=${BENCH_MEM:-4096}
params=${BENCH_PARAMS:-}
pairs=${BENCH_USER_PAIRS:-102400}
uruns=${BENCH_USER_RUNS:-5}
out=${BENCH_OUT:-${ARENA_BUILD:-$repo/build}/bench/results.md}
build=${ARENA_BUILD:-$repo/build}

say() { echo "bench: $*" >&2; }

say "building lane $lane and user space"
make -s -C "$repo" lane LANE="$lane" >&2
make -s -C "$repo" user >&2

ko=$build/$lane/bench/kmod/arena_bench.ko
ubin=$build/user/arena_bench_user
for f in "$ko" "$ubin"; do
	[ -f "$f" ] || { say "$f missing after the build"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

say "running in a $mem MiB guest (TCG); takes a few minutes"
# word splitting of $params is wanted: one module parameter per word
# shellcheck disable=SC2086
if ! "$repo/selftests/vm/vm-run" --no-build --kernel "$lane" --mem "$mem" \
	--timeout 1800 --put "$here/guest.sh" --put "$ko" --put "$ubin" \
	-- ./guest.sh "$pairs" "$uruns" $params >"$tmp/raw" 2>"$tmp/vm.err"; then
	cat "$tmp/raw" "$tmp/vm.err" >&2
	say "the benchmark run failed"
	exit 1
fi
grep -q '^BENCH done$' "$tmp/raw" || { cat "$tmp/raw" >&2; say "no 'BENCH done'"; exit 1; }

awk -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v lane="$lane" \
	-v cmd="make bench" -v params="$params" -v targets="$tmp/targets" \
	-f "$here/report.awk" "$tmp/raw" >"$tmp/results.md"
cp "$tmp/results.md" "$out"

sed -n '/^| trace /,/^$/p' "$out"
cat "$tmp/targets"
say "wrote $out"
if [ "${BENCH_STRICT:-0}" = 1 ] && grep -q '^MISS' "$tmp/targets"; then
	exit 1
fi
exit 0
