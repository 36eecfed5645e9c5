#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS: the tree as /usr/src/arena-<VERSION>, `dkms add`, then `dkms build`
# for both stock lane kernels (Debian's 6.1 cloud kernel and the newest 6.12
# cloud kernel installed); the built module's `modinfo -F version` must be
# dkms.conf's PACKAGE_VERSION.  Removes everything it added (dkms remove
# --all, the source copy), also on failure, so that it can run again.
. "$(dirname "$0")/lib.sh"

if ! command -v dkms >/dev/null; then
	say "dkms is not installed: make deps installs it"
	result SKIP dkms
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	say "dkms needs root"
	result SKIP dkms
	exit 0
fi

pkgver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/dkms.conf")
srcdir=/usr/src/arena-$pkgver
tmo=${ARENA_DKMS_TIMEOUT:-600}

cleanup() {
	dkms remove -m arena -v "$pkgver" --all >/dev/null 2>&1 || true
	rm -rf "$srcdir" "/var/lib/dkms/arena/$pkgver"
	rmdir /var/lib/dkms/arena 2>/dev/null || true
}
cleanup
trap cleanup EXIT

copy_tree "$srcdir"
say "dkms add -m arena -v $pkgver ($srcdir)"
check dkms-add dkms add -m arena -v "$pkgver"

for lane in stock-6.1 stock-6.12; do
	KDIR= KVER=
	eval "$(lane_kernel "$lane")"
	if [ -z "$KVER" ]; then
		say "$lane: no kernel headers"
		result SKIP "$lane/build"
		continue
	fi
	if [ ! -e "/lib/modules/$KVER/build" ]; then
		say "$lane: no /lib/modules/$KVER/build (the image package makes it)"
		result SKIP "$lane/build"
		continue
	fi
	say "$lane: dkms build -k $KVER (timeout ${tmo}s)"
	rc=0
	timeout "$tmo" dkms build -m arena -v "$pkgver" -k "$KVER" >"/tmp/arena-dkms-$$.log" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		tail -n 40 "/tmp/arena-dkms-$$.log"
		find "/var/lib/dkms/arena/$pkgver" -name make.log -exec tail -n 40 {} \; 2>/dev/null || true
	fi
	rm -f "/tmp/arena-dkms-$$.log"
	check "$lane/build" test $rc -eq 0
	ko=$(find "/var/lib/dkms/arena/$pkgver/$KVER" -name 'arena.ko*' 2>/dev/null | head -n1)
	got=
	[ -z "$ko" ] || got=$(modinfo -F version "$ko" 2>/dev/null)
	say "$lane: built ${ko:-nothing}, version '${got}', PACKAGE_VERSION '$pkgver'"
	check "$lane/modinfo-version" test -n "$got" -a "$got" = "$pkgver"
done
