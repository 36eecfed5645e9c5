#!/bin/bash
# Print the kernel of a test lane as shell assignments on one line:
#   KDIR=<module build dir> KIMAGE=<bootable image> KVER=<uname -r>
# and, for generic-6.1 (the benchmark lane: Debian's generic kernel, which
# ships drm.ko as a module), DRM_KO=<drm.ko for the guest's insmod>
# installing (apt) or building (debug) what is missing. Messages go to stderr,
# so that `eval "$(lane.sh NAME)"` and $(shell ...) in make stay clean.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${ARENA_CACHE:-$HOME/.cache/arena}

die() { echo "lane.sh: $*" >&2; exit 1; }
say() { echo "lane.sh: $*" >&2; }

[ $# -eq 1 ] || die "usage: lane.sh stock-6.1|stock-6.12|generic-6.1|debug"

# apt must not run twice at once (lanes may be resolved in parallel).
# Only `make deps` installs (ARENA_NO_INSTALL=0); other targets say so.
apt_install() {
	if [ "${ARENA_NO_INSTALL:-0}" = 1 ]; then
		say "missing $*: run 'make deps' (as root) to install it"
		return 1
	fi
	mkdir -p "$cache"
	say "installing $*"
	flock "$cache/apt.lock" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q "$@" >&2
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# Newest version V matching the extended regex $1 with both
# /usr/src/linux-headers-V (and its Module.symvers) and /boot/vmlinuz-V.
newest_installed() {
	for d in /usr/src/linux-headers-*; do
		[ -d "$d" ] || continue
		v=${d#/usr/src/linux-headers-}
		echo "$v" | grep -Eqx "$1" || continue
		[ -f "$d/Module.symvers" ] && [ -f "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V | tail -n1
}

# The newest kernel apt offers as linux-image-V$2 (V matching the extended
# regex $1, e.g. 6\.1\.0-[0-9]+-amd64), installed with linux-headers-V when
# missing; prints the newest installed V matching $1, fails without one.
newest_from_apt() {
	local want v
	want=$(apt-cache search --names-only "^linux-image-$1$2\$" 2>/dev/null |
		awk '{ print $1 }' | sed "s/^linux-image-//; s/$2\$//" |
		sort -V | tail -n1) || want=
	if [ -n "$want" ] && ! { installed "linux-image-$want$2" &&
				 installed "linux-headers-$want"; }; then
		apt_install "linux-image-$want$2" "linux-headers-$want" ||
			say "could not install $want, using what is installed"
	fi
	v=$(newest_installed "$1")
	[ -n "$v" ] || { say "no $1 kernel with headers (apt offers: '${want:-none}')"; return 1; }
	echo "$v"
}

emit() {
	echo "KDIR=/usr/src/linux-headers-$1 KIMAGE=/boot/vmlinuz-$1 KVER=$1"
}

case $1 in
stock-6.1)
	re='6\.1\.[0-9]+-[0-9]+-cloud-amd64'
	v=$(newest_installed "$re")
	if [ -z "$v" ]; then
		apt_install linux-headers-cloud-amd64 linux-image-cloud-amd64
		v=$(newest_installed "$re")
	fi
	[ -n "$v" ] || die "no 6.1 cloud kernel with headers installed"
	emit "$v"
	;;
stock-6.12)
	v=$(newest_from_apt '6\.12\.[0-9]+\+deb12-cloud-amd64' -unsigned) || exit 1
	emit "$v"
	;;
generic-6.1)
	# The generic flavour of the same 6.1 kernel: unlike the cloud one it
	# has CONFIG_DRM=m, so bench/ can compare the arena with drm_mm.
	v=$(newest_from_apt '6\.1\.0-[0-9]+-amd64' '') || exit 1
	drm=
	for f in "/lib/modules/$v/kernel/drivers/gpu/drm/drm.ko"{,.xz}; do
		[ -f "$f" ] && { drm=$f; break; }
	done
	[ -n "$drm" ] || die "no drm.ko for $v under /lib/modules/$v"
	echo "$(emit "$v") DRM_KO=$drm"
	;;
debug)
	dir=$("$here/build-debug-kernel.sh")
	[ -f "$dir/arch/x86/boot/bzImage" ] || die "debug kernel missing in $dir"
	kver=$(cat "$dir/include/config/kernel.release")
	echo "KDIR=$dir KIMAGE=$dir/arch/x86/boot/bzImage KVER=$kver"
	;;
*)
	die "unknown lane '$1' (stock-6.1, stock-6.12, generic-6.1, debug)"
	;;
esac
