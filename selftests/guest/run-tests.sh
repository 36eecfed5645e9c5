#!/bin/sh
# Guest test runner (busybox sh), started by vm-run in the guest's /work.
# Runs every executable test_* and every kernel module ktest_*.ko found in
# /lib/arena and the current directory, prints their raw output, and one line
#   @@RESULT PASS|FAIL|SKIP <program>/<test name>
# per leaf result of their TAP (kselftest harness) or KTAP (KUnit, from the
# kernel log) output, then @@DONE. Suite summary lines are not counted.
# A program that crashes, or fails with no failing result, and a module that
# does not load, unload or report, count as one FAIL each; a program that
# prints no result counts as one PASS or FAIL by its exit status.
# Environment: RUN_TESTS_TIMEOUT seconds per test program (default 900).
set -eu

tmo=${RUN_TESTS_TIMEOUT:-900}
tmp=$(mktemp -d /tmp/run-tests.XXXXXX)

# Print the @@RESULT lines for the TAP/KTAP in file $2, naming them after $1.
# Nesting is read from the indentation: a result line whose level had deeper
# lines since its previous result closes a subtest, so it is a summary.
# Also prints "@@PLAN-MISSING n" when the top-level plan promised more results.
parse_tap() {
	awk -v prog="$1" '
	function depth(s) { match(s, /^ */); return RLENGTH }
	function nest(d,  l) { for (l = 0; l < d; l++) kids[l] = 1 }
	function forget(d,  l) { for (l in name) if (l + 0 > d) delete name[l]
				 for (l in kids) if (l + 0 > d) delete kids[l] }
	{
		line = $0
		sub(/\r$/, "", line)
		sub(/^\[ *[0-9]+\.[0-9]+\] /, "", line)
		d = depth(line)
		body = substr(line, d + 1)
		if (body ~ /^#  RUN  /) {
			# The harness prints skips as "ok N # SKIP": keep the name.
			run = body
			sub(/^#  RUN +/, "", run)
			sub(/ \.\.\.$/, "", run)
		} else if (body ~ /^# Subtest: /) {
			name[d] = substr(body, 12)
			nest(d)
		} else if (body ~ /^(K?TAP version|1\.\.[0-9]+)/) {
			nest(d)
			if (d == 0 && body ~ /^1\.\./)
				plan = substr(body, 4) + 0
		} else if (body ~ /^(not )?ok [0-9]+/) {
			nest(d)
			if (d == 0)
				top++
			if (kids[d]) {
				kids[d] = 0
				forget(d)
				next
			}
			st = body ~ /^not / ? "FAIL" : "PASS"
			t = body
			sub(/^(not )?ok [0-9]+ *(- )?/, "", t)
			if (t ~ /#[ \t]*[Ss][Kk][Ii][Pp]/)
				st = "SKIP"
			sub(/[ \t]*#.*$/, "", t)
			if (t == "" && run != "")
				t = run
			if (t == "") {
				t = body
				sub(/^(not )?ok /, "", t)
				t = "test" (t + 0)
			}
			path = prog
			for (l = 0; l <= d; l++)
				if (l in name)
					path = path "/" name[l]
			print "@@RESULT " st " " path "/" t
			run = ""
		}
	}
	END { if (plan > top) print "@@PLAN-MISSING " plan - top }
	' "$2"
}

# Raw output for people; lines that look like our own markers are defused.
show() {
	sed 's/^@@/@ @/' "$1"
}

# Print $1's results from $2 (kept in $tmp/results); sets $missing to the
# number of results the top-level plan promised but did not get.
results() {
	parse_tap "$1" "$2" >"$tmp/results"
	grep '^@@RESULT ' "$tmp/results" || true
	missing=$(sed -n 's/^@@PLAN-MISSING //p' "$tmp/results")
}

failed() { grep -q '^@@RESULT FAIL ' "$tmp/results"; }
counted() { grep -q '^@@RESULT ' "$tmp/results"; }

run_program() {
	prog=$1
	name=$(basename "$prog")
	echo "==== $name"
	rc=0
	timeout -s KILL "$tmo" "$prog" </dev/null >"$tmp/out" 2>&1 || rc=$?
	show "$tmp/out"
	echo "==== $name: exit status $rc"
	results "$name" "$tmp/out"
	if [ $rc -gt 128 ]; then
		echo "@@RESULT FAIL $name/killed-by-signal-$((rc - 128))"
	elif [ $rc -eq 4 ] && ! counted; then
		echo "@@RESULT SKIP $name/skipped" # kselftest's KSFT_SKIP
	elif [ -n "$missing" ]; then
		echo "@@RESULT FAIL $name/missing-$missing-results"
	elif [ $rc -ne 0 ] && ! failed; then
		echo "@@RESULT FAIL $name/exit-status-$rc"
	elif [ $rc -eq 0 ] && ! counted; then
		echo "@@RESULT PASS $name/exit-status-0" # a plain test, no TAP
	fi
}

have_kunit() {
	grep -q ' __kunit_test_suites_init$' /proc/kallsyms 2>/dev/null
}

run_module() {
	ko=$1
	name=$(basename "$ko" .ko)
	echo "==== $name"
	echo "run-tests: begin $name" >/dev/kmsg
	bad=0
	if ! insmod "$ko" >"$tmp/insmod" 2>&1; then
		cat "$tmp/insmod"
		if ! have_kunit && grep -q kunit_ "$ko"; then
			echo "@@RESULT SKIP $name/kernel-without-kunit"
		else
			echo "@@RESULT FAIL $name/load"
		fi
		return
	fi
	# A module using arena's exports pins it: rmmod arena must be refused.
	if grep -q "^arena [0-9]* [0-9]* .*$name," /proc/modules; then
		if rmmod arena >/dev/null 2>&1; then
			echo "@@RESULT FAIL $name/rmmod-arena-refused-while-loaded"
			insmod "$ARENA_KO" || true
		else
			echo "@@RESULT PASS $name/rmmod-arena-refused-while-loaded"
		fi
	fi
	rmmod "$name" >"$tmp/rmmod" 2>&1 || bad=1
	echo "run-tests: end $name" >/dev/kmsg
	dmesg | sed -n "/run-tests: begin $name\$/,/run-tests: end $name\$/p" |
		sed '1d;$d' >"$tmp/out"
	show "$tmp/out"
	results "$name" "$tmp/out"
	if [ -n "$missing" ]; then
		echo "@@RESULT FAIL $name/missing-$missing-results"
	elif ! counted; then
		echo "@@RESULT FAIL $name/no-results"
	fi
	if [ $bad = 1 ]; then
		cat "$tmp/rmmod"
		echo "@@RESULT FAIL $name/unload"
	fi
}

# Each name once, the working directory's copy first.
seen=" "
for dir in . /lib/arena; do
	for f in "$dir"/test_*; do
		n=$(basename "$f")
		case $seen in *" $n "*) continue ;; esac
		case $n in *.ko) continue ;; esac
		[ -f "$f" ] && [ -x "$f" ] || continue
		seen="$seen$n "
		run_program "$f"
	done
done
# Fault-injection knobs for ktest_arena_faults (a no-op without them).
[ -f ./faults-setup.sh ] && sh ./faults-setup.sh
for dir in . /lib/arena; do
	for f in "$dir"/ktest_*.ko; do
		n=$(basename "$f")
		case $seen in *" $n "*) continue ;; esac
		[ -f "$f" ] || continue
		seen="$seen$n "
		run_module "$f"
	done
done
rm -rf "$tmp"
echo "@@DONE"
