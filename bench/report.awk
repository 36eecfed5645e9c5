# Turns the BENCH lines of one benchmark run into bench/results.md.
#
# Input: the guest's output; lines "BENCH <trace> <allocator> <param>
# key=value..." are measurements, "BENCH kernel <version>" names the kernel.
# "BENCH_LAT <trace> <allocator> <param> key=value..." are latency
# percentiles, "BENCH_CG <trace> key=value..." callgrind counts (appended by
# run.sh), "BENCH timer ..." the cost of the clock the latencies use.
# Variables (-v): date, lane, cmd, params, targets (file for the PASS/MISS
# lines, also printed to stdout by run.sh), cg_ops (ops per callgrind trace).
#
# In every group of rows with the same trace and parameter, "ratio" is the
# row's ns/op over the ns/op of this project's allocator in that group:
# arena for the arena traces, bump_arena for the bump trace, the
# one-ioctl-per-op mode for the user-space rows.

function ref_of(trace) {
	if (trace == "bump")
		return "bump_arena"
	if (trace == "user")
		return "single"
	if (trace == "user_threads")
		return "one"
	return "arena"
}

function num(trace, alloc, param, key,    k) {
	k = trace SUBSEP alloc SUBSEP param
	if (!(k in seen) || !((k SUBSEP key) in val))
		return -1
	return val[k SUBSEP key] + 0
}

function target(name, ok, detail) {
	if (ok == "")
		verdict = "MISS (not measured)"
	else
		verdict = ok ? "PASS" : "MISS"
	printf "| %s | %s | %s |\n", name, verdict, detail
	printf "%s: %s (%s)\n", verdict, name, detail > targets
}

function ratio(a, b) {
	return a >= 0 && b > 0 ? sprintf("%.2f", a / b) : "n/a"
}

# Steady state, L = 1e3 .. 1e6: the arena against allocator @peer on @key.
# @how "faster": the arena at least @factor times faster (strictly for 1);
# "le": the arena's figure at most the peer's.  Sets every_ok ("" when
# nothing was measured) and every_detail.
function every_l(peer, key, how, factor,    e, p, a, b, good) {
	every_ok = ""
	every_detail = ""
	for (e = 3; e <= 6; e++) {
		p = "L=" 10 ^ e
		a = num("steady", "arena", p, key)
		b = num("steady", peer, p, key)
		if (a < 0 || b < 0)
			continue
		if (how == "le")
			good = a <= b
		else
			good = factor == 1 ? a < b : b >= factor * a
		every_ok = (every_ok == "" ? 1 : every_ok) && good
		every_detail = every_detail (every_detail == "" ? "" : "; ") p \
			": arena " a " vs " peer " " b (how == "le" ? "" : " (" ratio(b, a) "x)")
	}
}

# A measured value, or n/a for one that num() did not find.
function shown(x) {
	return x < 0 ? "n/a" : x
}

$1 == "BENCH" && $2 == "kernel" && NF == 3 { kver = $3; next }
$1 == "BENCH" && $2 == "kernel_part_s" { kernel_s = $3; next }
$1 == "BENCH" && $2 == "timer" { timer_ns = $4; sub("ns_per_op=", "", timer_ns); next }
$1 == "BENCH_LAT" && NF >= 5 {
	k = $2 SUBSEP $3 SUBSEP $4
	lorder[++lrows] = k
	for (i = 5; i <= NF; i++) {
		split($i, kv, "=")
		lat[k SUBSEP kv[1]] = kv[2]
	}
	next
}
$1 == "BENCH_CG" && NF >= 3 {
	corder[++crows] = $2
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		cg[$2 SUBSEP kv[1]] = kv[2]
	}
	next
}
$1 == "BENCH" && NF >= 5 && $5 ~ /^ns_per_op=/ {
	k = $2 SUBSEP $3 SUBSEP $4
	if (!(k in seen)) {
		seen[k] = 1
		order[++rows] = k
	}
	extra = ""
	for (i = 5; i <= NF; i++) {
		split($i, kv, "=")
		val[k SUBSEP kv[1]] = kv[2]
		if (kv[1] !~ /^(ns_per_op|ops|fail|meta_bytes_per_chunk|frag)$/)
			extra = extra (extra == "" ? "" : " ") $i
	}
	xtra[k] = extra
	next
}

END {
	print "# arena benchmark results"
	print ""
	print "- Date: " date
	print "- Kernel: " kver " (lane " lane "), in a QEMU guest"
	print "- Reproduce: `" cmd "`"
	if (params != "")
		print "- Module parameters: `" params "`"
	if (kernel_s != "")
		print "- Kernel part took " kernel_s " s of guest time"
	print ""
	print "The guest runs under QEMU TCG (emulated CPU, no KVM): absolute times are"
	print "not hardware times and run several times slower than on hardware."
	print "Every row of a trace replays the same deterministic trace in the same"
	print "boot, so the **ratios** are the result.  ns/op is the median of several"
	print "timed runs."
	print ""
	print "| trace | param | allocator | ns/op | ratio | meta B/live chunk | frag | fails | ops | other |"
	print "|---|---|---|---:|---:|---:|---:|---:|---:|---|"
	for (r = 1; r <= rows; r++) {
		split(order[r], f, SUBSEP)
		if (f[1] == "threads" || f[1] == "user_threads")
			continue
		ref = num(f[1], ref_of(f[1]), f[3], "ns_per_op")
		ns = val[order[r] SUBSEP "ns_per_op"]
		meta = "n/a"
		if ((order[r] SUBSEP "meta_bytes_per_chunk") in val)
			meta = val[order[r] SUBSEP "meta_bytes_per_chunk"]
		frag = "n/a"
		if ((order[r] SUBSEP "frag") in val)
			frag = val[order[r] SUBSEP "frag"]
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			f[1], f[3], f[2], ns, ratio(ns, ref), meta, frag,
			val[order[r] SUBSEP "fail"], val[order[r] SUBSEP "ops"], xtra[order[r]]
	}

	print ""
	print "## Latency of one call"
	print ""
	print "Every allocation and every free of an extra pass (after the timed runs)"
	print "timed on its own with local_clock(); percentiles in ns, within 12.5%"
	print "(log-linear histogram), max exact.  Each sample includes the clock's own"
	print "cost: " (timer_ns == "" ? "n/a" : timer_ns " ns") " (median of back-to-back local_clock() calls)."
	print "lock hold: the arena module's lock_hold_max_ns over the arena's pass"
	print "(n/a: the module does not keep that record).  A vCPU is a host thread:"
	print "when the host preempts it mid-call the sample takes milliseconds, so"
	print "ms-scale maxima show up in every allocator and say more about the host"
	print "than the allocator; p99.9 is the steadier tail figure.  Plots:"
	print "`latency.svg` (p99.9 against L), `arena_tail.svg`, `steady.svg`."
	print ""
	print "| trace | param | allocator | alloc p50 | p99 | p99.9 | max | free p50 | p99 | p99.9 | max | lock hold max |"
	print "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (r = 1; r <= lrows; r++) {
		k = lorder[r]
		split(k, f, SUBSEP)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			f[1], f[3], f[2], lat[k SUBSEP "alloc_p50"], lat[k SUBSEP "alloc_p99"],
			lat[k SUBSEP "alloc_p999"], lat[k SUBSEP "alloc_max"],
			lat[k SUBSEP "free_p50"], lat[k SUBSEP "free_p99"],
			lat[k SUBSEP "free_p999"], lat[k SUBSEP "free_max"],
			lat[k SUBSEP "lock_hold_max_ns"]
	}

	print ""
	print "## Threads (guest with 2 vCPUs)"
	print ""
	print "Steady-state pairs from two threads at once: `one` is one thread on one"
	print "arena, `two_own` two threads on an arena each, `two_shared` two threads"
	print "on one arena.  ns/op = wall time over the ops of all threads; speed-up"
	print "= ops/s over `one`'s."
	print ""
	print "| where | mode | ns/op | speed-up vs one | ops | other |"
	print "|---|---|---:|---:|---:|---|"
	for (r = 1; r <= rows; r++) {
		split(order[r], f, SUBSEP)
		if (f[1] == "threads")
			one = num("threads", "arena", "one", "ns_per_op")
		else if (f[1] == "user_threads")
			one = num("user_threads", "one", f[3], "ns_per_op")
		else
			continue
		ns = val[order[r] SUBSEP "ns_per_op"]
		printf "| %s | %s | %s | %s | %s | %s |\n",
			f[1] == "threads" ? "in-kernel (kthreads)" : "/dev/arena (pthreads)",
			f[1] == "threads" ? f[3] : f[2], ns, ratio(one, ns),
			val[order[r] SUBSEP "ops"], xtra[order[r]]
	}

	print ""
	print "## Instructions and cache misses (callgrind)"
	print ""
	print "The arena core built for user space (bench/callgrind), " (cg_ops == "" ? "" : cg_ops " ops per trace, ")
	print "measured phase only: instructions per arena_alloc() and per arena_free()"
	print "call, inclusive; last-level misses (ILmr + DLmr + DLmw) per call from"
	print "callgrind's cache simulation of the host's caches.  These do not depend"
	print "on the host's load.  bench/callgrind/profile.sh prints where they go."
	print ""
	print "| trace | Ir/alloc | Ir/free | LL misses/call |"
	print "|---|---:|---:|---:|"
	for (r = 1; r <= crows; r++) {
		t = corder[r]
		printf "| %s | %s | %s | %s |\n", t, cg[t SUBSEP "ir_alloc"],
			cg[t SUBSEP "ir_free"], cg[t SUBSEP "ll_miss_per_op"]
	}

	print ""
	print "## Targets"
	print ""
	print "| target | verdict | measured |"
	print "|---|---|---|"

	every_l("drm_mm_best", "ns_per_op", "faster", 1.5)
	target("arena >= 1.5x faster than drm_mm best fit at every L", every_ok, every_detail)
	every_l("drm_mm_low", "ns_per_op", "faster", 1.5)
	target("arena >= 1.5x faster than drm_mm low (first) fit at every L", every_ok, every_detail)
	every_l("drm_mm_best", "meta_bytes_per_chunk", "le", 1)
	target("arena metadata per live chunk <= drm_mm's", every_ok, every_detail)

	k = "steady" SUBSEP "arena" SUBSEP "L=1000000"
	ok = ""
	detail = ""
	for (side = 1; side <= 2; side++) {
		sd = side == 1 ? "alloc" : "free"
		p50 = lat[k SUBSEP sd "_p50"] + 0
		if (!((k SUBSEP sd "_p50") in lat) || p50 <= 0)
			continue
		p999 = lat[k SUBSEP sd "_p999"] + 0
		mx = lat[k SUBSEP sd "_max"] + 0
		ok = (ok == "" ? 1 : ok) && p999 <= 5 * p50 && mx <= 50 * p50
		detail = detail (detail == "" ? "" : "; ") sd ": p50 " p50 ", p99.9 " p999 \
			 " (" ratio(p999, p50) "x), max " mx " (" ratio(mx, p50) "x)"
	}
	target("arena at L=1e6: p99.9 <= 5x p50 and max <= 50x p50", ok, detail)

	a = num("steady", "arena", "L=1000", "ns_per_op")
	b = num("steady", "kmalloc", "L=1000", "ns_per_op")
	target("arena alloc+free at L=1e3 <= 2x kmalloc+kfree",
	       a < 0 || b < 0 ? "" : a <= 2 * b,
	       "arena " shown(a) " ns, kmalloc " shown(b) " ns, ratio " ratio(a, b))

	a = num("steady", "arena", "L=100000", "ns_per_op")
	b = num("steady", "genpool_best", "L=100000", "ns_per_op")
	target("arena at L=1e5 >= 10x faster than gen_pool best fit",
	       a < 0 || b < 0 ? "" : b >= 10 * a,
	       "gen_pool best " shown(b) " ns, arena " shown(a) " ns, speed-up " ratio(b, a))

	every_l("maple", "ns_per_op", "faster", 1)
	target("arena faster than the maple tree at every L", every_ok, every_detail)

	a = num("steady", "arena", "L=1000000", "ns_per_op")
	b = num("steady", "arena", "L=1000", "ns_per_op")
	c = num("steady", "kmalloc", "L=1000000", "ns_per_op")
	d = num("steady", "kmalloc", "L=1000", "ns_per_op")
	target("arena at L=1e6 <= 3x arena at L=1e3",
	       a < 0 || b < 0 ? "" : a <= 3 * b,
	       "L=1e6 " shown(a) " ns, L=1e3 " shown(b) " ns, ratio " ratio(a, b) \
	       "; kmalloc's own L=1e6/L=1e3 ratio " ratio(c, d))

	for (r = 1; r <= rows; r++) {
		split(order[r], f, SUBSEP)
		if (f[1] == "bump")
			bp = f[3]
	}
	a = num("bump", "bump_arena", bp, "ns_per_op")
	b = num("bump", "kmalloc", bp, "ns_per_op")
	c = num("bump", "page_frag", bp, "ns_per_op")
	target("bump arena >= 3x faster than kmalloc (8..128 B)",
	       a < 0 || b < 0 ? "" : b >= 3 * a,
	       "kmalloc " shown(b) " ns, bump " shown(a) " ns, speed-up " ratio(b, a))
	target("bump arena not slower than page_frag_alloc",
	       a < 0 || c < 0 ? "" : a <= c,
	       "bump " shown(a) " ns, page_frag " shown(c) " ns, ratio " ratio(a, c))

	ok = ""
	detail = ""
	for (e = 3; e <= 6; e++) {
		p = "L=" 10 ^ e
		m = num("steady", "arena", p, "meta_bytes_per_chunk")
		if (m < 0)
			continue
		ok = (ok == "" ? 1 : ok) && m <= 64
		detail = detail (detail == "" ? "" : "; ") p ": " m
	}
	target("arena metadata <= 64 bytes per live chunk (steady state)", ok, detail)

	s = num("user", "single", "L=1024", "ops_per_s")
	best = -1
	for (r = 1; r <= rows; r++) {
		split(order[r], f, SUBSEP)
		if (f[1] != "user" || f[2] !~ /^batch/)
			continue
		v = num("user", f[2], f[3], "ops_per_s")
		if (v > best) {
			best = v
			bname = f[2]
		}
	}
	# The syscall is paid once per batch; what a large batch still costs
	# per op is work inside the kernel, which batching cannot remove.
	fl = num("user", "ioctl_floor", "L=1024", "ns_per_op")
	sn = num("user", "single", "L=1024", "ns_per_op")
	b1 = num("user", "batch256", "L=1024", "ns_per_op")
	b2 = num("user", "batch1024", "L=1024", "ns_per_op")
	bound = ""
	if (fl > 0 && sn > 0 && b1 > 0 && b2 > 0)
		bound = "; an ioctl with no allocator work costs " fl " ns, single " sn \
			" ns/op, batches of 256 and 1024 ops " b1 " and " b2 " ns/op: the" \
			" syscall is amortised and the rest is per-op work in the kernel;" \
			" 5x needs <= " int(sn / 5) " ns/op"
	target("batched ioctl >= 5x the ops/s of one ioctl per op",
	       s < 0 || best < 0 ? "" : best >= 5 * s,
	       bname " " shown(best) " ops/s, single " shown(s) " ops/s, ratio " ratio(best, s) bound)

	print ""
	print "## What the rows mean"
	print ""
	print "- **lockedpool**: the pattern of Bitcoin Core's lockedpool benchmark: 2048"
	print "  slots over a 1 MiB region, alignment 16, a 32-bit LFSR (seed 0x12345678,"
	print "  taps 0xf00f00f0) picks slot, free-or-alloc and size 0..2047; one op is"
	print "  one LFSR step.  Some allocations fail by design (the region is small)."
	print "- **steady**: fill to L live chunks, then random free+alloc pairs; one op"
	print "  is one free plus one allocation.  Sizes: 15/16 are 32..256 bytes, the"
	print "  rest 257..4096.  Region: 1 KiB per live chunk (1 MiB .. 1 GiB)."
	print "  alloc_ns / free_ns come from an extra pass after the timed runs that"
	print "  frees 64 slots, then refills them, timing the two halves apart."
	print "- **churn**: 12000 live chunks (about 80% of a 4 MiB region), then a long"
	print "  run of random free+alloc pairs; frag is measured at the end."
	print "- **bump**: n requests of 8..128 bytes, all released together; one op is"
	print "  one allocation plus its share of the release (destroy, kfree, or"
	print "  page_frag_free + cache drain).  alloc_ns_per_op is the allocation alone."
	print "- **user**: /dev/arena through libarena with 1024 live chunks: `single` is"
	print "  one ioctl per alloc or free, `batchN` passes N ops to arena_batch()"
	print "  (libarena issues at most 256 per ioctl), `malloc` is glibc; one op is"
	print "  one alloc or one free.  `ioctl_floor` is one ARENA_IOC_FREE turned down"
	print "  for its flags (EINVAL): an ioctl with no allocator work, the most that"
	print "  batching can save per op."
	print "- **frag** = largest free chunk / free bytes (1.000: all free space in one"
	print "  piece).  gen_pool: longest clear bitmap run / gen_pool_avail(); maple:"
	print "  largest gap / sum of gaps; kmalloc: n/a."
	print "- **meta B/live chunk**: arena: metadata_bytes / chunks_used from"
	print "  arena_get_stats() (nodes of free chunks included); gen_pool: bitmap bytes"
	print "  / live chunks (the caller must also keep each size to free it, not"
	print "  counted); maple: maple_node bytes / live chunks, leaves counted in a walk,"
	print "  inner nodes estimated at 8 children each; kmalloc: ksize() - size;"
	print "  bump/page_frag: memory taken beyond the requested bytes / requests."
	print "- **maple** uses mas_empty_area() + store under the tree lock, which is what"
	print "  mtree_alloc_range() does from 6.5 on: 6.1's mtree_alloc_range() oopses"
	print "  on this trace (NULL dereference in mas_spanning_rebalance())."
	print "- **drm_mm_best / drm_mm_low**: drm_mm (drm.ko of the generic kernel) over"
	print "  [0, region) with DRM_MM_INSERT_BEST (smallest hole that fits, its rbtree"
	print "  of holes by size) and DRM_MM_INSERT_LOW (lowest hole that fits).  As in"
	print "  drivers, each insert and remove runs under a spinlock and the node comes"
	print "  zeroed from a slab cache of struct drm_mm_node; sizes are rounded up to 16"
	print "  so every start is 16-aligned without drm_mm's alignment search.  meta ="
	print "  the node's slab object (drm_mm keeps each hole inside the node before it,"
	print "  so holes cost nothing more) plus struct drm_mm, per live chunk."
	print "- **threads**: the arena from kthreads bound to CPU 0 and 1 (in-kernel) and"
	print "  from pthreads through /dev/arena (one ioctl per op, 1024 slots each)."
	print "- gen_pool fills (not timed) place each chunk with gen_pool_fixed_alloc at"
	print "  the offset first/best fit would pick on a pool that has only allocated;"
	print "  its own bitmap scan would make a fill of 1e6 chunks quadratic."
}
