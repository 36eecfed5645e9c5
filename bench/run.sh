#!/bin/bash
# make bench: boot a VM on the bench lane, run the kernel benchmark module
# (arena_bench.ko) and the user-space benchmark in it, profile the arena
# core under callgrind on the host, write the results (markdown and SVG
# plots) and print the table and the PASS/MISS of each target.
#
# Environment:
#   BENCH_LANE         kernel lane (default generic-6.1: Debian's generic
#                      kernel, whose drm.ko gives the drm_mm peer; on the
#                      stock lanes the drm_mm rows are left out)
#   BENCH_MEM          guest memory in MiB (default 4096; L=1e6 needs ~2.5 GiB)
#   BENCH_PARAMS       arena_bench.ko parameters, e.g. "max_live=100000 runs=3"
#   BENCH_USER_PAIRS   free+alloc pairs per user-space run (multiple of 1024)
#   BENCH_USER_RUNS    user-space runs (median reported)
#   BENCH_CG_OPS       operations per callgrind trace (default 100000)
#   BENCH_CG_TRACES    callgrind traces (default: lockedpool, steady 1e3..1e6)
#   BENCH_OUT          results file (default build/bench/results.md; see make
#                      bench-publish); plots and callgrind.txt go next to it
#   BENCH_STRICT=1     exit 1 when a target is missed
# Exit status: 0 when the benchmark ran (targets are reported, not enforced
# unless BENCH_STRICT=1), non-zero when it could not run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
lane=${BENCH_LANE:-generic-6.1}
mem=${BENCH_MEM:-4096}
params=${BENCH_PARAMS:-}
pairs=${BENCH_USER_PAIRS:-102400}
uruns=${BENCH_USER_RUNS:-5}
cg_ops=${BENCH_CG_OPS:-100000}
cg_traces=${BENCH_CG_TRACES:-lockedpool steady:1000 steady:10000 steady:100000 steady:1000000}
build=${ARENA_BUILD:-$repo/build}
out=${BENCH_OUT:-$build/bench/results.md}
outdir=$(dirname "$out")

say() { echo "bench: $*" >&2; }

say "building lane $lane and user space"
make -s -C "$repo" lane LANE="$lane" >&2
make -s -C "$repo" user >&2
lanevars=$("$repo/selftests/vm/lane.sh" "$lane")
DRM_KO=
eval "$lanevars"

ko=$build/$lane/bench/kmod/arena_bench.ko
ubin=$build/user/arena_bench_user
for f in "$ko" "$ubin"; do
	[ -f "$f" ] || { say "$f missing after the build"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$outdir"

# busybox insmod cannot read compressed modules.
puts=(--put "$here/guest.sh" --put "$ko" --put "$ubin")
# What revoking mappings and ZERO_ON_FREE cost FREE (issue 9).
[ -f "$build/user/arena_bench_revoke" ] && puts+=(--put "$build/user/arena_bench_revoke")
if [ -n "$DRM_KO" ]; then
	case $DRM_KO in
	*.xz) xz -dc "$DRM_KO" >"$tmp/drm.ko" ;;
	*) cp "$DRM_KO" "$tmp/drm.ko" ;;
	esac
	puts+=(--put "$tmp/drm.ko")
fi

say "running in a $mem MiB guest (TCG); takes a few minutes"
# word splitting of $params is wanted: one module parameter per word
# shellcheck disable=SC2086
if ! "$repo/selftests/vm/vm-run" --no-build --kernel "$lane" --mem "$mem" \
	--timeout 2400 "${puts[@]}" \
	-- ./guest.sh "$pairs" "$uruns" $params >"$tmp/raw" 2>"$tmp/vm.err"; then
	cat "$tmp/raw" "$tmp/vm.err" >&2
	say "the benchmark run failed"
	exit 1
fi
grep -q '^BENCH done$' "$tmp/raw" || { cat "$tmp/raw" >&2; say "no 'BENCH done'"; exit 1; }

# Instruction counts do not depend on the host's load; the cache
# simulation (slow) only at the largest L.
say "callgrind: $cg_traces ($cg_ops ops each)"
cg_out=$build/callgrind
# word splitting of $cg_traces is wanted: one trace per word
# shellcheck disable=SC2086
if make -s -C "$here/callgrind" O="$cg_out" >&2 &&
	OPS=$cg_ops CACHESIM="steady:1000000" \
		"$here/callgrind/profile.sh" "$cg_out" $cg_traces >"$outdir/callgrind.txt"; then
	grep '^BENCH_CG ' "$outdir/callgrind.txt" >>"$tmp/raw"
else
	say "callgrind profile failed; its rows are left out"
fi

awk -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v lane="$lane" \
	-v cmd="make bench" -v params="$params" -v targets="$tmp/targets" \
	-v cg_ops="$cg_ops" \
	-f "$here/report.awk" "$tmp/raw" >"$tmp/results.md"
if grep -q '^FREE, ns per op' "$tmp/raw"; then
	{
		echo
		echo "## FREE: revoking mappings and ZERO_ON_FREE"
		echo
		echo "From bench/user/arena_bench_revoke.c, through /dev/arena:"
		echo
		echo '```'
		sed -n '/^FREE, ns per op/,+4p' "$tmp/raw"
		echo '```'
	} >>"$tmp/results.md"
fi
cp "$tmp/results.md" "$out"
cp "$tmp/raw" "$outdir/raw.txt"
"$here/plot.sh" "$tmp/raw" "$outdir" || say "no plots"

sed -n '/^| trace /,/^$/p' "$out"
cat "$tmp/targets"
say "wrote $out (plots, raw.txt and callgrind.txt next to it)"
if [ "${BENCH_STRICT:-0}" = 1 ] && grep -q '^MISS' "$tmp/targets"; then
	exit 1
fi
exit 0
