#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tree hygiene and user-space behaviour that needs no kernel:
#  - no tracked file is one .gitignore ignores (build outputs stay out);
#  - dkms.conf's PACKAGE_VERSION is the VERSION file's;
#  - every kselftest program skips (exit 4, KSFT_SKIP) without /dev/arena;
#  - arenactl: --version, --help, bad numbers are errors.
. "$(dirname "$0")/lib.sh"

if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
	ignored=$(git -C "$repo" ls-files -ci --exclude-standard)
	[ -z "$ignored" ] || say "tracked but ignored: $ignored"
	check no-tracked-ignored-files test -z "$ignored"
else
	result SKIP no-tracked-ignored-files
fi

dkms_version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/dkms.conf")
say "dkms.conf PACKAGE_VERSION '$dkms_version', VERSION '$version'"
check dkms-conf-version test "$dkms_version" = "$version"

user=${ARENA_BUILD:-$repo/build}/user
skipped=0 other=0
for t in "$user"/test_*; do
	[ -x "$t" ] || continue
	rc=0
	ARENA_DEVICE=/nonexistent/arena "$t" >/dev/null 2>&1 </dev/null || rc=$?
	if [ $rc -eq 4 ]; then
		skipped=$((skipped + 1))
	else
		say "$(basename "$t") without a device: exit status $rc, not 4"
		other=$((other + 1))
	fi
done
if [ $((skipped + other)) -eq 0 ]; then
	result SKIP kselftests-skip-without-device
else
	say "$skipped test programs skipped without a device"
	check kselftests-skip-without-device test $other -eq 0
fi

ctl=${ARENA_BUILD:-$repo/build}/user/arenactl
if [ -x "$ctl" ]; then
	check arenactl-version \
		test "$("$ctl" --version | head -n1)" = "arenactl $version"
	check arenactl-help quiet "$ctl" --help
	check arenactl-command-help quiet "$ctl" run --help
	rc=0
	ARENA_DEVICE=/nonexistent/arena "$ctl" run 1X >/dev/null 2>&1 || rc=$?
	check arenactl-bad-number-is-an-error test $rc -eq 2
	msg=$(ARENA_DEVICE=/nonexistent/arena "$ctl" run 64K 2>&1 >/dev/null) || true
	check arenactl-error-names-device \
		eval 'case $msg in *"/nonexistent/arena: "*) true ;; *) false ;; esac'
else
	result SKIP arenactl
fi
