#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make, make install and make uninstall on a clean copy of the tree, with
# the stock-6.1 lane's kernel headers:
#  - `make` with a failing apt-get first on PATH builds arena.ko, libarena
#    (.a, .so.1.M.P and its links) and arenactl, nothing else, and never
#    calls apt-get; without headers it stops with one line naming KDIR=;
#  - `make install DESTDIR PREFIX=/usr` puts every file in place;
#  - a program built with `pkg-config --cflags --libs libarena` links to the
#    shared library, its NEEDED soname is an installed file, and it runs;
#  - `make clean` leaves the tree as it was;
#  - `make uninstall`, on the clean tree, leaves nothing in DESTDIR.
. "$(dirname "$0")/lib.sh"

eval "$(lane_kernel stock-6.1)"
if [ -z "${KDIR:-}" ]; then
	result SKIP install
	exit 0
fi

tmp=$(mktemp -d /tmp/arena-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src D=$tmp/dest
copy_tree "$src"
(cd "$src" && find . | sort) >"$tmp/before"

mkdir -p "$tmp/bin"
for tool in apt-get apt; do
	printf '#!/bin/sh\ntouch %s/apt-called\nexit 1\n' "$tmp" >"$tmp/bin/$tool"
	chmod +x "$tmp/bin/$tool"
done

say "make with KDIR=$KDIR"
rc=0
PATH=$tmp/bin:$PATH make -C "$src" KDIR="$KDIR" >"$tmp/make.log" 2>&1 || rc=$?
[ $rc -eq 0 ] || tail -n 30 "$tmp/make.log"
check make-builds test $rc -eq 0
check make-never-calls-apt test ! -e "$tmp/apt-called"
u=$src/build/user
major_minor=$(cut -d. -f2,3 "$src/VERSION")
want="$src/arena.ko $u/libarena.a $u/libarena.so.1.$major_minor $u/libarena.so.1 $u/libarena.so $u/arenactl"
missing=
for f in $want; do [ -e "$f" ] || missing="$missing $f"; done
[ -z "$missing" ] || say "missing:$missing"
check make-builds-module-library-tool test -z "$missing"
check make-builds-no-tests test -z "$(find "$u" -name 'test_*' -o -name '*_m32')"
check module-version-is-release \
	test "$(modinfo -F version "$src/arena.ko")" = "$version"

msg=$(make -C "$src" KDIR=/nonexistent/kernel modules 2>&1) && rc=0 || rc=$?
say "without headers: $msg"
check make-without-headers-says-kdir \
	eval '[ $rc -ne 0 ] && [ "$(echo "$msg" | grep -c "KDIR=")" = 1 ]'

say "make install DESTDIR=$D PREFIX=/usr"
rc=0
make -C "$src" install DESTDIR="$D" PREFIX=/usr KDIR="$KDIR" >"$tmp/install.log" 2>&1 || rc=$?
[ $rc -eq 0 ] || tail -n 30 "$tmp/install.log"
check make-install test $rc -eq 0
missing=
for f in "lib/modules/$KVER/extra/arena.ko" usr/lib/libarena.so.1."$major_minor" \
	usr/lib/libarena.so.1 usr/lib/libarena.so usr/lib/libarena.a \
	usr/lib/pkgconfig/libarena.pc usr/include/linux/arena.h usr/include/libarena.h \
	usr/include/arena/arena_api.h "usr/share/arena/$KVER/Module.symvers" usr/bin/arenactl usr/share/man/man1/arenactl.1 \
	usr/share/man/man3/libarena.3 usr/share/man/man4/arena.4 \
	usr/share/man/man9/arena_alloc.9 usr/share/man/man9/bump_arena_create.9 \
	lib/udev/rules.d/60-arena.rules; do
	[ -e "$D/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || say "not installed:$missing"
check install-puts-every-file test -z "$missing"
check pkgconfig-prefix grep -qx 'prefix=/usr' "$D/usr/lib/pkgconfig/libarena.pc"
for page in "$D"/usr/share/man/man*/*; do
	groff -man -ww -z "$page" 2>>"$tmp/man.err" || echo "$page: groff failed" >>"$tmp/man.err"
done
[ ! -s "$tmp/man.err" ] || cat "$tmp/man.err"
check man-pages-render test ! -s "$tmp/man.err"
check man-pages-have-release grep -q "arena $version" "$D/usr/share/man/man4/arena.4"

cat >"$tmp/prog.c" <<'PROG'
#include <stdio.h>
#include <linux/arena.h>
#include <libarena.h>

int main(void)
{
	printf("%s %d\n", arena_version(), ARENA_ABI_MAJOR);
	return 0;
}
PROG
export PKG_CONFIG_PATH=$D/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
flags=$(pkg-config --cflags --libs libarena) || flags=
say "pkg-config --cflags --libs libarena: $flags"
rc=0
gcc -o "$tmp/prog" "$tmp/prog.c" $flags 2>"$tmp/cc.err" || rc=$?
[ $rc -eq 0 ] || cat "$tmp/cc.err"
check pkgconfig-program-builds test $rc -eq 0
needed=$(readelf -d "$tmp/prog" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(libarena[^]]*\)\].*/\1/p')
say "NEEDED $needed"
check needed-soname-installed eval '[ -n "$needed" ] && [ -f "$D/usr/lib/$needed" ]'
out=$(LD_LIBRARY_PATH=$D/usr/lib "$tmp/prog" 2>&1) || out="failed: $out"
say "program prints: $out"
check program-runs-with-installed-library test "$out" = "$version 1"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# Uninstall needs nothing built: clean first.
make -C "$src" clean KDIR="$KDIR" >/dev/null 2>&1 || true
(cd "$src" && find . | sort) >"$tmp/after"
rc=0
make -C "$src" uninstall DESTDIR="$D" PREFIX=/usr KDIR="$KDIR" >"$tmp/uninstall.log" 2>&1 || rc=$?
[ $rc -eq 0 ] || tail -n 30 "$tmp/uninstall.log"
check make-uninstall test $rc -eq 0
left=$(find "$D" -mindepth 1 ! -type d)
[ -z "$left" ] || say "left after uninstall: $left"
check uninstall-removes-every-file test -z "$left"
check uninstall-removes-created-dirs test -z "$(find "$D" -mindepth 1)"

diff "$tmp/before" "$tmp/after" || true
check make-clean-restores-tree cmp -s "$tmp/before" "$tmp/after"
