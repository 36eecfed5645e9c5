#!/bin/bash
# Install every Debian package the project needs (`make deps`). Idempotent:
# when everything is installed already it only asks dpkg, and apt-cache for
# the newest 6.12 and generic 6.1 kernels (see selftests/vm/lane.sh).
# `deps.sh --check` (make check/run/bench) installs nothing: it lists what is
# missing and fails, telling to run `make deps`.
set -eu

check_only=0
[ "${1:-}" != --check ] || check_only=1
export ARENA_NO_INSTALL=$check_only

repo=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(
	gcc make libc6-dev			# build the module and user space
	gcc-multilib				# 32-bit tests of the compat ioctls
	linux-headers-cloud-amd64 linux-image-cloud-amd64	# stock-6.1 lane
	linux-source-6.1 xz-utils bc bison flex libelf-dev libssl-dev # debug kernel
	qemu-system-x86 busybox-static cpio kmod	# the test VM
	sparse					# static checks
	valgrind				# bench/callgrind profiles
	dkms pkg-config				# make check: the DKMS and install tests
	gnuplot-nox				# bench plots (SVG)
)

say() { echo "deps: $*" >&2; }

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ] && [ $check_only = 1 ]; then
	say "missing ${missing[*]}: run 'make deps' (as root) to install them"
	exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# An old or empty package list makes install fail: refresh once, retry.
	if ! $sudo apt-get install -y -q "${missing[@]}"; then
		$sudo apt-get update -q
		$sudo apt-get install -y -q "${missing[@]}"
	fi
fi

# The stock kernels of the test lanes (lane.sh installs what is missing).
"$repo/selftests/vm/lane.sh" stock-6.1 >/dev/null
"$repo/selftests/vm/lane.sh" stock-6.12 >/dev/null
"$repo/selftests/vm/lane.sh" generic-6.1 >/dev/null	# bench: drm.ko for drm_mm
say "all dependencies installed"
