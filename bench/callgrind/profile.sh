#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# profile.sh OUT TRACE... - run each trace of OUT/replay under callgrind
# and print instructions per alloc and per free and where they go.
#
# Only the measured phase (cg_measured_*: no fill, no self-check) is
# instrumented and collected.  Per trace, OUT/callgrind.out.<trace> is kept
# for callgrind_annotate or kcachegrind.  Environment: OPS (operations per
# trace, 100000), TOP (rows per table, 12), CACHESIM (traces, e.g.
# "steady:1000000", that run with callgrind's cache simulation as well:
# last-level misses per alloc-or-free call).  Each trace also ends in a line
#   BENCH_CG <trace> ir_alloc=<x> ir_free=<x> ll_miss_per_op=<x|n/a>
# for bench/report.awk.
set -eu

out=$1
shift
ops=${OPS:-100000}
top=${TOP:-12}
cachesim=" ${CACHESIM:-} "
summary=()

# callgrind_annotate rows ("1,234 (5.6%)  file:function [object]") per
# function or per file: "<Ir> <name>", largest first.  A function with
# code inlined from other files has a row per file: self costs add up,
# while each row's inclusive cost is already the whole function's.
rows='/^ *[0-9,]+ +\( *[0-9.]+%\) +[^ ]*:[^ ]/ {
	ir = $1; gsub(",", "", ir); ir += 0
	loc = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", loc); sub(/ .*/, "", loc)
	name = loc
	if (key == "function") {
		sub(/^.*:/, "", name)
	} else {
		sub(/:[^:]*$/, "", name)
		sub(/^.*\//, "", name)
	}
	if (agg == "max")
		sum[name] = ir > sum[name] ? ir : sum[name]
	else
		sum[name] += ir
}
END { for (n in sum) printf "%d %s\n", sum[n], n }'

by_function() {
	awk -v key=function -v agg="${1:-sum}" "$rows" | sort -rn
}

# Self cost per source file: inlined helpers (spinlock.h, list.h, hash.h,
# the rbtree headers) show up under their own file.
by_file() {
	awk -v key=file "$rows" | sort -rn
}

# "<Ir> <name>" rows -> a table with Ir per API call (alloc or free).
table() {
	head -n "$top" | awk -v calls="$1" '{
		printf "    %14s  %8.1f  %s\n", $1, calls ? $1 / calls : 0, $2
	}'
}

field() {
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

for t in "$@"; do
	name=${t/:/-}
	cg=$out/callgrind.out.$name
	rm -f "$cg"
	sim=no
	[ "${cachesim/ $t /}" = "$cachesim" ] || sim=yes
	if ! valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
		--cache-sim="$sim" \
		--toggle-collect='cg_measured_*' --callgrind-out-file="$cg" \
		"$out/replay" -n "$ops" "$t" >"$out/$name.txt" 2>"$out/$name.vg"; then
		echo "profile: $t failed under valgrind (see $out/$name.vg)" >&2
		cat "$out/$name.txt" >&2
		exit 1
	fi
	line=$(grep '^CG ' "$out/$name.txt")
	allocs=$(field allocs "$line")
	frees=$(field frees "$line")
	calls=$((allocs + frees))
	callgrind_annotate --auto=no --show=Ir --inclusive=yes --threshold=100 "$cg" | by_function max >"$out/$name.incl"
	callgrind_annotate --auto=no --show=Ir --threshold=100 "$cg" | by_function >"$out/$name.self"
	callgrind_annotate --auto=no --show=Ir --threshold=100 "$cg" | by_file >"$out/$name.files"

	total=$(awk '$2 ~ /^cg_measured_/ { print $1 }' "$out/$name.incl")
	ir_alloc=$(awk '$2 == "arena_alloc" { print $1 }' "$out/$name.incl")
	ir_free=$(awk '$2 == "arena_free" { print $1 }' "$out/$name.incl")
	per() { awk -v a="${1:-0}" -v b="$2" 'BEGIN { printf "%.1f", b ? a / b : 0 }'; }

	echo "== $t: $allocs allocs, $frees frees, chunks_free=$(field chunks_free "$line")," \
		"meta_bytes_per_chunk=$(field meta_bytes_per_chunk "$line"), self-check $(field check "$line")"
	echo "   measured phase ${total:-0} Ir; arena_alloc $(per "$ir_alloc" "$allocs") Ir/alloc," \
		"arena_free $(per "$ir_free" "$frees") Ir/free"
	echo "   top functions by inclusive Ir (Ir, per alloc-or-free call):"
	grep -v ' cg_measured_\| run_trace$\| main$' "$out/$name.incl" | table "$calls"
	echo "   top functions by self Ir:"
	table "$calls" <"$out/$name.self"
	echo "   self Ir by source file (inlined helpers under their header):"
	table "$calls" <"$out/$name.files"
	# Last-level misses (instruction and data reads, data writes) of the
	# measured phase: the only part collected.
	ll=n/a
	if [ $sim = yes ]; then
		ll=$(callgrind_annotate --auto=no --threshold=100 "$cg" | awk -v calls="$calls" '
			/^Events shown:/ { for (i = 3; i <= NF; i++) ev[i - 2] = $i }
			/PROGRAM TOTALS/ {
				for (i = 1; i <= NF; i++) {
					v = $i; gsub(",", "", v)
					if (ev[i] ~ /^(ILmr|DLmr|DLmw)$/) m += v
				}
				printf "%.2f", calls ? m / calls : 0
			}')
		echo "   last-level cache misses per alloc-or-free call (cache simulation): $ll"
	fi
	echo "BENCH_CG $t ir_alloc=$(per "$ir_alloc" "$allocs") ir_free=$(per "$ir_free" "$frees") ll_miss_per_op=${ll:-n/a}"
	summary+=("$(printf '%-16s %10s %10s %12s %10s' "$t" \
		"$(per "$ir_alloc" "$allocs")" "$(per "$ir_free" "$frees")" \
		"$(field chunks_free "$line")" "$(field meta_bytes_per_chunk "$line")")")
done

echo "== summary ($ops ops per trace)"
printf '%-16s %10s %10s %12s %10s\n' trace Ir/alloc Ir/free chunks_free meta_B/chunk
printf '%s\n' "${summary[@]}"
