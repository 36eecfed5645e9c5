# SPDX-License-Identifier: GPL-2.0
# Shared by the host tests (selftests/host/test-*.sh), sourced.  Each test
# prints one "@@RESULT PASS|FAIL|SKIP host/<script>/<name>" line per check,
# which selftests/check.sh counts.
set -eu

host_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$host_here/../.." && pwd)
version=$(cat "$repo/VERSION")
script=$(basename "$0" .sh)

say() { echo "$script: $*"; }
result() { echo "@@RESULT $1 host/$script/$2"; }
# check NAME COMMAND...: PASS when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then result PASS "$name"; else result FAIL "$name"; fi
}

quiet() { "$@" >/dev/null; }

# KDIR and KVER of a lane's kernel (stock-6.1 or stock-6.12), as the VM
# lanes resolve it; prints nothing when it has none.
lane_kernel() {
	local vars
	vars=$("$repo/selftests/vm/lane.sh" "$1" 2>/dev/null) || return 0
	echo "$vars"
}

# The tracked files of the tree into directory $1 (a clean checkout).
copy_tree() {
	mkdir -p "$1"
	if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$repo" && git ls-files -z | xargs -0 cp --parents -t "$1")
	else
		(cd "$repo" && tar --exclude=./build -cf - .) | tar -xf - -C "$1"
	fi
}
