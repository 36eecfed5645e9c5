#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plot.sh RAW DIR - SVG plots of one benchmark run (the guest's BENCH lines
# in RAW) into DIR, with gnuplot:
#   steady.svg       steady trace: ns per free+alloc pair against L
#   latency.svg      steady trace: p99.9 of one call against L (alloc, free)
#   arena_tail.svg   the arena: p50, p99, p99.9 and max of one call against L
# Both axes are logarithmic; one line per allocator (or percentile).
set -eu

raw=$1
dir=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/plot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

command -v gnuplot >/dev/null || { echo "plot: no gnuplot (make deps)" >&2; exit 1; }

# "<L> <value>" per allocator: $tmp/<name>.<alloc>
awk -v d="$tmp" '
function kv(key,    i, f) {
	for (i = 5; i <= NF; i++)
		if (split($i, f, "=") == 2 && f[1] == key)
			return f[2]
	return ""
}
$1 == "BENCH" && $2 == "steady" { l = $4; sub("L=", "", l); print l, kv("ns_per_op") > (d "/ns." $3) }
$1 == "BENCH_LAT" && $2 == "steady" {
	l = $4; sub("L=", "", l)
	print l, kv("alloc_p999") > (d "/allocp999." $3)
	print l, kv("free_p999") > (d "/freep999." $3)
	if ($3 == "arena")
		print l, kv("alloc_p50"), kv("alloc_p99"), kv("alloc_p999"), kv("alloc_max"),
		      kv("free_p50"), kv("free_p99"), kv("free_p999"), kv("free_max") > (d "/tail")
}' "$raw"

allocs=$(cd "$tmp" && ls ns.* 2>/dev/null | sed 's/^ns\.//')
[ -n "$allocs" ] || { echo "plot: no steady rows in $raw" >&2; exit 1; }

lines() {	# lines PREFIX: one gnuplot plot clause per allocator
	local a sep=
	for a in $allocs; do
		[ -f "$tmp/$1.$a" ] || continue
		printf '%s"%s" using 1:2 with linespoints title "%s"' "$sep" "$tmp/$1.$a" "${a//_/\\\\_}"
		sep=', '
	done
}

common='set terminal svg size 720,480 dynamic font "sans,12" background "white"
set logscale xy
set xrange [500:2000000]
set format x "10^{%T}"
set format y "10^{%T}"
set grid
set key outside right
set xlabel "live chunks L"'

gnuplot <<GP
$common
set output "$dir/steady.svg"
set title "steady trace: one free + one allocation (QEMU TCG guest)"
set ylabel "ns per free+alloc pair"
plot $(lines ns)
GP

gnuplot <<GP
$common
set terminal svg size 720,800 dynamic font "sans,12" background "white"
set output "$dir/latency.svg"
set multiplot layout 2,1 title "steady trace: p99.9 latency of one call (QEMU TCG guest)"
set ylabel "ns"
set title "alloc"
plot $(lines allocp999)
set title "free"
plot $(lines freep999)
unset multiplot
GP

if [ -f "$tmp/tail" ]; then
	gnuplot <<GP
$common
set output "$dir/arena_tail.svg"
set title "arena, steady trace: latency of one call (includes the clock)"
set ylabel "ns"
plot "$tmp/tail" using 1:2 with linespoints title "alloc p50", \
     "" using 1:3 with linespoints title "alloc p99", \
     "" using 1:4 with linespoints title "alloc p99.9", \
     "" using 1:5 with linespoints title "alloc max", \
     "" using 1:6 with linespoints dt 2 title "free p50", \
     "" using 1:7 with linespoints dt 2 title "free p99", \
     "" using 1:8 with linespoints dt 2 title "free p99.9", \
     "" using 1:9 with linespoints dt 2 title "free max"
GP
fi
echo "plot: wrote $(cd "$dir" && ls steady.svg latency.svg arena_tail.svg 2>/dev/null | tr '\n' ' ')in $dir" >&2
