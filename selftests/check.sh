#!/bin/bash
# `make check`: run the host tests (selftests/host/test-*.sh: install,
# DKMS, tree hygiene), then the whole test suite (user kselftests
# build/user/test_*, kernel test modules ktest_*.ko) in a VM on each lane,
# and count the results.
# Usage: selftests/check.sh [LANE...]   (default: $ARENA_LANES, else
# stock-6.1 stock-6.12 debug). Prints one summary line per lane and, last,
# the totals "N passed, N failed[, N skipped]". Exits 1 on any failure.
# A lane whose VM run failed (kernel log report, timeout, no @@DONE) counts one
# more failure. Full guest output: build/check/<lane>.log.
# Environment: ARENA_NO_BUILD=1 skips `make user` (library, arenactl,
# tests) / `make lane`,
# ARENA_VM_TIMEOUT (seconds per lane, default 1800), ARENA_HOST_TESTS=0
# skips the host tests (log: build/check/host.log).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${ARENA_BUILD:-$repo/build}
logdir=$build/check

if [ $# -gt 0 ]; then
	lanes=("$@")
else
	read -r -a lanes <<<"${ARENA_LANES:-stock-6.1 stock-6.12 debug}"
fi

say() { echo "check: $*"; }

mkdir -p "$logdir"
total_pass=0 total_fail=0 total_skip=0
user_ok=1
if [ "${ARENA_NO_BUILD:-0}" != 1 ]; then
	say "building user space"
	make -s -C "$repo" user >"$logdir/user-build.log" 2>&1 || {
		user_ok=0
		tail -n 40 "$logdir/user-build.log"
		say "make tests failed"
	}
fi

# Count the @@RESULT lines of kind $1 in file $2.
count() { grep -c "^@@RESULT $1 " "$2" || true; }

# Host tests: each script prints @@RESULT lines; one that exits non-zero
# without a failing result counts one failure.
if [ "${ARENA_HOST_TESTS:-1}" != 0 ]; then
	log=$logdir/host.log
	: >"$log"
	for t in "$here"/host/test-*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		say "host: $name"
		rc=0
		timeout -s KILL "${ARENA_HOST_TIMEOUT:-1200}" bash "$t" >"$log.$name" 2>&1 || rc=$?
		cat "$log.$name" >>"$log"
		grep '^@@RESULT ' "$log.$name" | sed 's/^/check: host: /' || true
		if [ $rc -ne 0 ] && ! grep -q '^@@RESULT FAIL ' "$log.$name"; then
			echo "@@RESULT FAIL $name/exit-status-$rc" | tee -a "$log"
		fi
		rm -f "$log.$name"
	done
	pass=$(count PASS "$log")
	fail=$(count FAIL "$log")
	skip=$(count SKIP "$log")
	if [ "$fail" -gt 0 ]; then
		echo "---- host tests: output ($log) ----"
		tail -n 200 "$log"
	fi
	echo "host: $pass passed, $fail failed, $skip skipped"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
fi

for lane in "${lanes[@]}"; do
	log=$logdir/$lane.log
	err=$logdir/$lane.vm-run.log
	: >"$log"
	: >"$err"
	problem=
	if [ $user_ok = 0 ]; then
		problem="user space did not build"
	elif [ "${ARENA_NO_BUILD:-0}" != 1 ] &&
		! make -s -C "$repo" lane LANE="$lane" >"$err" 2>&1; then
		problem="make lane LANE=$lane failed"
	fi

	if [ -z "$problem" ]; then
		puts=(--put "$here/guest/run-tests.sh" --put "$here/kmod/faults-setup.sh")
		for f in "$build"/user/test_* "$build"/user/arenactl; do
			[ -f "$f" ] && [ -x "$f" ] && puts+=(--put "$f")
		done
		say "lane $lane: running the tests in a VM"
		rc=0
		"$here/vm/vm-run" --kernel "$lane" --no-build \
			--timeout "${ARENA_VM_TIMEOUT:-1800}" "${puts[@]}" \
			-- sh run-tests.sh >"$log" 2>"$err" || rc=$?
		if [ $rc -ne 0 ]; then
			problem="vm-run exited with status $rc"
		elif ! grep -q '^@@DONE$' "$log"; then
			problem="the guest runner did not finish (no @@DONE)"
		fi
	fi

	pass=$(count PASS "$log")
	fail=$(count FAIL "$log")
	skip=$(count SKIP "$log")
	[ -z "$problem" ] || fail=$((fail + 1))
	if [ "$fail" -gt 0 ]; then
		echo "---- lane $lane: guest output ($log) ----"
		head -n 2000 "$log"
		echo "---- lane $lane: failures ----"
		grep '^@@RESULT FAIL ' "$log" || true
		if [ -n "$problem" ]; then
			say "lane $lane: $problem"
			tail -n 150 "$err"
		fi
	fi
	grep -h '^vm-run: lane ' "$err" || true
	echo "lane $lane: $pass passed, $fail failed, $skip skipped"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done

line="$total_pass passed, $total_fail failed"
[ $total_skip -eq 0 ] || line="$line, $total_skip skipped"
echo "$line"
[ $total_fail -eq 0 ]
