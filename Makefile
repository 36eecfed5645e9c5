# SPDX-License-Identifier: GPL-2.0
#
# arena: build, install, run and test the module.  `make help` lists the
# targets.  Only `make deps` installs packages.

REPO        := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ARENA_CACHE ?= $(HOME)/.cache/arena
LANE        ?= stock-6.1
KDIR        ?= /lib/modules/$(shell uname -r)/build
BUILD       := $(REPO)/build
USER_OUT    := $(BUILD)/user
MAN_OUT     := $(BUILD)/man

# One release number for everything: module, library, tool, dkms.conf.
VERSION     := $(strip $(file <$(REPO)/VERSION))
VERSION_WORDS := $(subst ., ,$(VERSION))
# libarena's soname changes only when its ABI breaks; the real name carries
# the release's minor and patch numbers: libarena.so.1 -> libarena.so.1.M.P.
LIB_SOMAJOR := 1
LIB_SONAME  := libarena.so.$(LIB_SOMAJOR)
LIB_REAL    := $(LIB_SONAME).$(word 2,$(VERSION_WORDS)).$(word 3,$(VERSION_WORDS))

# The kselftest harness comes from the kernel source package, never copied here.
KSRC_TAR    := /usr/src/linux-source-6.1.tar.xz
KSRC        := $(ARENA_CACHE)/linux-source-6.1
HARNESS     := $(KSRC)/tools/testing/selftests

CC          ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -I$(REPO)/uapi -I$(REPO)/userlib \
	       -DARENA_PKG_VERSION='"$(VERSION)"'
STATIC      := -static

BENCH_SRCS  := $(wildcard $(REPO)/bench/user/*.c)
BENCH_BINS  := $(patsubst $(REPO)/bench/user/%.c,$(USER_OUT)/%,$(BENCH_SRCS))

# Installation (contract names: DESTDIR, PREFIX).
PREFIX      ?= /usr/local
DESTDIR     ?=
# The kernel release KDIR builds for, as `uname -r` prints it.
KVER        ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# Section 9 pages: kernel-doc of the exported functions.
KERNEL_DOC  ?= $(firstword $(wildcard $(KSRC)/scripts/kernel-doc \
		/usr/src/linux-headers-*-common/scripts/kernel-doc))
EXPORT_SRCS := $(shell grep -l EXPORT_SYMBOL $(REPO)/kmod/*.c)

.PHONY: all modules lib user tests lane lane-build deps deps-check run check bench \
	bench-publish checkpatch sparse man install uninstall clean help

all: modules lib $(USER_OUT)/arenactl

help:
	@echo "make            arena.ko for the running kernel (or KDIR=...), libarena (.a, .so), arenactl"
	@echo "make tests      the kselftest programs (32-bit ones included) and the bench programs"
	@echo "make man        the man pages into build/man (section 9 from kernel-doc)"
	@echo "make install    module, library, headers, pkg-config, arenactl, man pages, udev rule"
	@echo "                (DESTDIR=, PREFIX=$(PREFIX), KDIR=); make uninstall removes them"
	@echo "make deps       install what the project needs from Debian (as root)"
	@echo "make run        boot a VM, load arena.ko, run the arenactl demo"
	@echo "make check      host tests, then every test on every kernel lane in VMs (ARENA_LANES=...)"
	@echo "make bench      benchmarks against the kernel's allocators; writes build/bench/results.md"
	@echo "make bench-publish  copies build/bench/results.md to bench/results.md"
	@echo "make lane LANE=stock-6.1|stock-6.12|debug   build modules for a VM lane into build/LANE"
	@echo "make checkpatch run checkpatch --strict on the sources"
	@echo "make sparse     build the module for LANE with sparse (C=2); fails on any report"

# arena.ko for the running kernel or KDIR, built in place.
modules:
	$(if $(wildcard $(KDIR)/Makefile),,$(error no kernel headers in $(KDIR): \
	install linux-headers-$(shell uname -r) or pass KDIR=/path/to/kernel/build))
	$(MAKE) -C $(KDIR) M=$(REPO) modules

# Everything a VM lane needs, built out of tree in build/$(LANE).
lane:
	@vars="$$($(REPO)/selftests/vm/lane.sh $(LANE))" || exit 1; eval "$$vars"; \
	$(MAKE) --no-print-directory -f $(REPO)/Makefile lane-build LANE=$(LANE) KDIR="$$KDIR"

LANE_OUT := $(BUILD)/$(LANE)
# The kernel's W=1 set, with any warning an error: no warnings is the rule.
KMAKE    := $(MAKE) -C $(KDIR) W=1 KCFLAGS=-Werror
# What Kbuild needs of the tree to build arena.ko.
KMOD_TREE := $(REPO)/Kbuild $(REPO)/VERSION $(REPO)/kmod $(REPO)/uapi

# Sources are copied with fresh timestamps, so every lane build is a full
# one: an object kept from an older copy (or modversion CRCs of an older
# arena.ko in a test module) would otherwise go unnoticed.
lane-build:
	@rm -rf $(LANE_OUT)/kmod $(LANE_OUT)/selftests $(LANE_OUT)/bench
	@mkdir -p $(LANE_OUT)
	@cp -r $(KMOD_TREE) $(LANE_OUT)/
	$(KMAKE) M=$(LANE_OUT) modules
	@for dir in selftests/kmod bench/kmod; do \
		[ -f $(REPO)/$$dir/Kbuild ] || continue; \
		mkdir -p $(LANE_OUT)/$$dir && cp -r $(REPO)/$$dir/. $(LANE_OUT)/$$dir/ && \
		$(KMAKE) M=$(LANE_OUT)/$$dir \
			KBUILD_EXTRA_SYMBOLS=$(LANE_OUT)/Module.symvers modules || exit 1; \
	done

lib: $(USER_OUT)/libarena.a $(USER_OUT)/$(LIB_REAL) $(USER_OUT)/libarena.pc

# Everything user space, tests included (bench/run.sh builds with this).
user: lib $(USER_OUT)/arenactl tests

# The test programs are built by selftests/Makefile, the kernel's way.
tests: lib $(HARNESS)/kselftest_harness.h $(BENCH_BINS)
	$(MAKE) --no-print-directory -C $(REPO)/selftests OUTPUT=$(USER_OUT) \
		HARNESS=$(HARNESS) CC=$(CC)

$(USER_OUT)/libarena.o: userlib/libarena.c userlib/libarena.h uapi/linux/arena.h VERSION
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -c -o $@ $<

$(USER_OUT)/libarena.a: $(USER_OUT)/libarena.o
	rm -f $@
	$(AR) rcs $@ $^

# The real name, and the soname and development links next to it.
$(USER_OUT)/$(LIB_REAL): $(USER_OUT)/libarena.o
	$(CC) -shared -Wl,-soname,$(LIB_SONAME) -o $@ $^
	ln -sf $(LIB_REAL) $(USER_OUT)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(USER_OUT)/libarena.so

# pkg-config file for the PREFIX given (make install regenerates it).
$(USER_OUT)/libarena.pc: userlib/libarena.pc.in VERSION FORCE
	@mkdir -p $(@D)
	@sed 's|@PREFIX@|$(PREFIX)|g; s|@VERSION@|$(VERSION)|g' $< >$@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

FORCE:

$(USER_OUT)/arenactl: userlib/arenactl.c $(USER_OUT)/libarena.a
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $^

$(HARNESS)/kselftest_harness.h:
	@[ -f $(KSRC_TAR) ] || { echo "missing $(KSRC_TAR) (the kselftest harness and checkpatch come from it): run 'make deps'" >&2; exit 1; }
	@mkdir -p $(ARENA_CACHE)
	@echo "extracting the kernel source (for the kselftest harness) into $(KSRC)"
	tar -xf $(KSRC_TAR) -C $(ARENA_CACHE)
	@touch $@

$(USER_OUT)/%: bench/user/%.c $(USER_OUT)/libarena.a
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $< $(USER_OUT)/libarena.a -lm

# Man pages: sections 1, 3 and 4 written by hand (man/, with the release
# filled in), section 9 generated from the kernel-doc comments of the
# exported functions.
MAN_SRCS  := $(wildcard $(REPO)/man/*.[0-9])
MAN_PAGES := $(foreach p,$(MAN_SRCS),$(MAN_OUT)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
man: $(MAN_PAGES) $(MAN_OUT)/man9/.stamp

define man_rule
$(MAN_OUT)/man$(subst .,,$(suffix $(1)))/$(notdir $(1)): $(1) $(REPO)/VERSION
	@mkdir -p $$(@D)
	sed 's/@VERSION@/$(VERSION)/g' $$< >$$@
endef
$(foreach p,$(MAN_SRCS),$(eval $(call man_rule,$(p))))

$(MAN_OUT)/man9/.stamp: $(EXPORT_SRCS)
	@[ -n "$(KERNEL_DOC)" ] || { echo "no scripts/kernel-doc (linux-source-6.1 or linux-headers-*-common): run 'make deps'" >&2; exit 1; }
	@rm -rf $(@D) && mkdir -p $(@D)
	KBUILD_BUILD_TIMESTAMP="$$(git -C $(REPO) log -1 --format=%cI 2>/dev/null)" \
		$(KERNEL_DOC) -man -export $(EXPORT_SRCS) | \
		awk -v dir=$(@D) '/^\.TH "[^"]*" 9 / { split($$0, f, "\""); \
			if (out) close(out); out = dir "/" f[2] ".9" } out { print > out }'
	@touch $@

# make install / uninstall: scripts/install.sh holds the list of files, so
# uninstall removes exactly what install put there.
INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" KVER="$(KVER)" \
	      REPO="$(REPO)" USER_OUT="$(USER_OUT)" MAN_OUT="$(MAN_OUT)" \
	      LIB_REAL="$(LIB_REAL)" LIB_SONAME="$(LIB_SONAME)"

install: all man
	$(if $(KVER),,$(error cannot tell the kernel release of $(KDIR): pass KDIR= or KVER=))
	$(INSTALL_ENV) $(REPO)/scripts/install.sh install

uninstall:
	$(if $(KVER),,$(error cannot tell the kernel release of $(KDIR): pass KDIR= or KVER=))
	$(INSTALL_ENV) $(REPO)/scripts/install.sh uninstall

# Only `make deps` installs packages; lane.sh and the targets below ask
# for `make deps` when something is missing.
export ARENA_NO_INSTALL := 1
deps:
	ARENA_NO_INSTALL=0 $(REPO)/scripts/deps.sh

deps-check:
	@$(REPO)/scripts/deps.sh --check

# The developer's entry points install what is missing first (make deps
# only asks dpkg when everything is there); plain `make` never installs.
run: deps
	$(MAKE) -f $(REPO)/Makefile lib $(USER_OUT)/arenactl
	$(REPO)/selftests/vm/vm-run --kernel $(LANE) --put $(USER_OUT)/arenactl -- ./arenactl demo

check: deps
	$(REPO)/selftests/check.sh $(ARENA_LANES)

bench: deps
	@mkdir -p $(BUILD)/bench
	$(REPO)/bench/run.sh

# The committed results change only on purpose.
bench-publish:
	@[ -f $(BUILD)/bench/results.md ] || { echo "no $(BUILD)/bench/results.md: run 'make bench' first" >&2; exit 1; }
	cp $(BUILD)/bench/results.md $(REPO)/bench/results.md
	cp $(BUILD)/bench/*.svg $(REPO)/bench/

# User-space files use <stdint.h> types, as the kernel's own tools/ do; an
# out-of-tree module must test LINUX_VERSION_CODE (kmod/compat.h).
# bench/callgrind/shim stands in for kernel headers (typedefs such as gfp_t
# and for-each macros included) and is left out, like the kernel's own.
CHECKPATCH := $(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,PREFER_KERNEL_TYPES,LINUX_VERSION_CODE -f
checkpatch: $(HARNESS)/kselftest_harness.h
	@fail=0; for f in $$(git -C $(REPO) ls-files '*.c' '*.h' ':!bench/callgrind/shim'); do \
		$(CHECKPATCH) $(REPO)/$$f || fail=1; done; exit $$fail

sparse:
	@vars="$$($(REPO)/selftests/vm/lane.sh $(LANE))" || exit 1; eval "$$vars"; \
	out=$(BUILD)/sparse-$(LANE); rm -rf $$out; mkdir -p $$out; \
	cp -a $(KMOD_TREE) $$out/; \
	$(MAKE) -s -C "$$KDIR" M=$$out C=2 modules 2>&1 | grep -v BTF | tee $$out/report; \
	! grep -q 'warning\|error' $$out/report

# Kbuild's in-place outputs are removed by name: `make clean` must work
# without kernel headers too.
clean:
	rm -rf $(BUILD)
	rm -f $(REPO)/arena.ko $(REPO)/arena.o $(REPO)/arena.mod $(REPO)/arena.mod.c \
		$(REPO)/arena.mod.o $(REPO)/Module.symvers $(REPO)/modules.order \
		$(REPO)/.*.cmd $(REPO)/.module-common.o $(REPO)/kmod/*.o \
		$(REPO)/kmod/.*.cmd $(REPO)/kmod/.*.o.d
	rm -rf $(REPO)/.tmp_versions
