#!/bin/bash
# Build the debug lane kernel (KASAN, UBSAN, lockdep, kmemleak, KUnit, fault
# injection; see debug.config) from Debian's linux-source-6.1, or reuse it.
# Prints the build directory on stdout: KDIR for out-of-tree modules (with
# Module.symvers) and arch/x86/boot/bzImage to boot. Progress goes to stderr,
# the build output to <build dir>/build.log (its tail is shown on failure).
# Cached in ${ARENA_CACHE:-$HOME/.cache/arena}/debug-<source version>-<fragment sha>.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${ARENA_CACHE:-$HOME/.cache/arena}
tarball=/usr/src/linux-source-6.1.tar.xz
fragment=$here/debug.config

say() { echo "build-debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$cache"
if [ ! -f "$tarball" ]; then
	say "installing linux-source-6.1"
	flock "$cache/apt.lock" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q linux-source-6.1 >&2
fi
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	srcver=$(stat -c %Y "$tarball")
sha=$(sha256sum "$fragment" | cut -c1-12)
out=$cache/debug-$srcver-$sha
stamp=$out/.arena-debug-built

# One build of a configuration at a time; a second caller waits for it and
# then reuses the result.
exec 9>"$out.lock"
flock 9
if [ -f "$stamp" ]; then
	echo "$out"
	exit 0
fi

srcdir=$cache/src-$srcver
src=$srcdir/linux-source-6.1
exec 8>"$srcdir.lock"
flock 8
if [ ! -f "$srcdir/.extracted" ]; then
	say "extracting $tarball into $srcdir"
	rm -rf "$srcdir"
	mkdir -p "$srcdir"
	tar -C "$srcdir" -xJf "$tarball"
	touch "$srcdir/.extracted"
fi
exec 8>&-

rm -rf "$out"
mkdir -p "$out"
log=$out/build.log
jobs=$(nproc)
fail() {
	tail -n 40 "$log" >&2
	die "$* (full log: $log)"
}
kmake() { make -C "$src" O="$out" "$@" >>"$log" 2>&1; }

say "configuring in $out (log: $log)"
kmake tinyconfig || fail "make tinyconfig failed"
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" \
	>>"$log" 2>&1 || fail "merge_config.sh failed"
kmake olddefconfig || fail "make olddefconfig failed"

# A fragment line can be dropped silently by an unmet dependency: check all.
missing=0
while read -r line; do
	case $line in
	CONFIG_*=*)
		if ! grep -qxF -- "$line" "$out/.config"; then
			got=$(grep "^${line%%=*}=" "$out/.config" || echo "not set")
			say "wanted $line, got $got"
			missing=1
		fi
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$out/.config"; then
			say "wanted $sym unset, got $(grep "^$sym=" "$out/.config")"
			missing=1
		fi
		;;
	esac
done <"$fragment"
[ $missing = 0 ] || die "the final .config lacks options of $fragment"

say "building with -j$jobs (several minutes)"
start=$(date +%s)
kmake -j"$jobs" all || fail "kernel build failed"
kmake modules_prepare || fail "make modules_prepare failed"
[ -f "$out/Module.symvers" ] || fail "no Module.symvers after the build"
[ -f "$out/arch/x86/boot/bzImage" ] || fail "no bzImage after the build"
say "built $(cat "$out/include/config/kernel.release") in $(($(date +%s) - start))s"
touch "$stamp"
echo "$out"
