#!/bin/bash
# Scan a kernel log for reports of kernel bugs: oopses, BUG/WARNING, panics,
# KASAN/UBSAN/SLUB/kmemleak/lockdep reports, hung tasks and RCU stalls.
# Usage: check-klog.sh LOGFILE...   Prints the offending lines (with their line
# numbers) and exits 1 when any is found, 0 when the log is clean.
# Fault-injection reports ("FAULT_INJECTION: forcing a failure" + a stack dump)
# and page allocation failure notices are expected under fault injection and
# contain none of these patterns, so they pass.
set -eu

[ $# -ge 1 ] || { echo "usage: check-klog.sh LOGFILE..." >&2; exit 2; }

patterns=(
	'BUG:' 'kernel BUG at' 'BUG [^ ]+ \((Not tainted|Tainted)'	# BUG, SLUB
	'WARNING:' 'Oops' 'general protection fault' 'Unable to handle'
	'Kernel panic' 'double fault' 'stack-protector:'
	'KASAN:' 'UBSAN:' 'list_(add|del) corruption'
	'unreferenced object 0x' 'new suspected memory leaks'	# kmemleak
	'INFO: ' 'DEBUG_LOCKS_WARN_ON'		# lockdep, hung task, RCU stall
)
re=$(IFS='|'; echo "${patterns[*]}")
found=$(cat -- "$@" | tr -d '\r' | grep -naE "$re" || true)
if [ -n "$found" ]; then
	echo "check-klog: kernel log reports a problem:"
	echo "$found" | head -n 40
	exit 1
fi
exit 0
