#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make install` / `make uninstall`: one list of files, so that uninstall
# removes exactly what install put there.
# Usage: install.sh install|uninstall, with DESTDIR, PREFIX, KVER, REPO,
# USER_OUT, MAN_OUT, LIB_REAL and LIB_SONAME in the environment (the
# Makefile passes them).
set -eu

: "${PREFIX:?}" "${KVER:?}" "${REPO:?}" "${USER_OUT:?}" "${MAN_OUT:?}"
: "${LIB_REAL:?}" "${LIB_SONAME:?}"
DESTDIR=${DESTDIR:-}
P=$DESTDIR$PREFIX

# "file MODE SOURCE DEST" and "link TARGET DEST" lines, DEST absolute.
manifest() {
	echo "file 644 $REPO/arena.ko $DESTDIR/lib/modules/$KVER/extra/arena.ko"
	echo "file 755 $USER_OUT/$LIB_REAL $P/lib/$LIB_REAL"
	echo "link $LIB_REAL $P/lib/$LIB_SONAME"
	echo "link $LIB_SONAME $P/lib/libarena.so"
	echo "file 644 $USER_OUT/libarena.a $P/lib/libarena.a"
	echo "file 644 $USER_OUT/libarena.pc $P/lib/pkgconfig/libarena.pc"
	echo "file 644 $REPO/uapi/linux/arena.h $P/include/linux/arena.h"
	echo "file 644 $REPO/userlib/libarena.h $P/include/libarena.h"
	# For modules built against arena's exports: the header, and the
	# symbol versions of this build of arena.ko (KBUILD_EXTRA_SYMBOLS).
	echo "file 644 $REPO/kmod/arena_api.h $P/include/arena/arena_api.h"
	echo "file 644 $REPO/Module.symvers $P/share/arena/$KVER/Module.symvers"
	echo "file 755 $USER_OUT/arenactl $P/bin/arenactl"
	# Pages by name (the sources in man/, one per exported function), so
	# that uninstall needs none of them built.
	for page in "$REPO"/man/*.[0-9]; do
		s=${page##*.}
		echo "file 644 $MAN_OUT/man$s/${page##*/} $P/share/man/man$s/${page##*/}"
	done
	sed -n 's/^EXPORT_SYMBOL\(_GPL\)\{0,1\}(\(.*\));$/\2/p' "$REPO"/kmod/*.c |
	while read -r fn; do
		echo "file 644 $MAN_OUT/man9/$fn.9 $P/share/man/man9/$fn.9"
	done
	echo "file 644 $REPO/udev/60-arena.rules $DESTDIR/lib/udev/rules.d/60-arena.rules"
}

# Removes the empty directories from $1 up to, not including, DESTDIR (or,
# without DESTDIR, only the directories that are arena's own).
prune() {
	local d=$1
	if [ -z "$DESTDIR" ]; then
		case $d in
		"$PREFIX"/include/arena) rmdir "$d" 2>/dev/null || true ;;
		"$PREFIX"/share/arena/*) rmdir "$d" "${d%/*}" 2>/dev/null || true ;;
		esac
		return
	fi
	while [ "$d" != "$DESTDIR" ] && [ "${d#"$DESTDIR"/}" != "$d" ]; do
		rmdir "$d" 2>/dev/null || return 0
		d=$(dirname "$d")
	done
}

case ${1:-} in
install)
	manifest | while read -r kind a b c; do
		if [ "$kind" = file ]; then
			echo "install $c"
			install -D -m "$a" "$b" "$c"
		else
			echo "install $b -> $a"
			mkdir -p "$(dirname "$b")"
			ln -sfn "$a" "$b"
		fi
	done
	if [ -z "$DESTDIR" ]; then
		depmod -a "$KVER"
		command -v ldconfig >/dev/null && ldconfig || true
	fi
	;;
uninstall)
	manifest | while read -r kind a b c; do
		dest=$c
		[ "$kind" = file ] || dest=$b
		if [ -e "$dest" ] || [ -L "$dest" ]; then
			echo "remove $dest"
			rm -f "$dest"
		fi
		prune "$(dirname "$dest")"
	done
	[ -n "$DESTDIR" ] || depmod -a "$KVER"
	;;
*)
	echo "usage: $0 install|uninstall" >&2
	exit 2
	;;
esac
