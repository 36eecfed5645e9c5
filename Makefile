# SPDX-License-Identifier: GPL-2.0
#
# arena: build, run and test the module.  `make help` lists the targets.

REPO        := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ARENA_CACHE ?= $(HOME)/.cache/arena
LANE        ?= stock-6.1
KDIR        ?= /lib/modules/$(shell uname -r)/build
BUILD       := $(REPO)/build
USER_OUT    := $(BUILD)/user

# The kselftest harness comes from the kernel source package, never copied here.
KSRC_TAR    := /usr/src/linux-source-6.1.tar.xz
KSRC        := $(ARENA_CACHE)/linux-source-6.1
HARNESS     := $(KSRC)/tools/testing/selftests

CC          ?= gcc
USER_CFLAGS := -O2 -g -Wall -Wextra -Werror -I$(REPO)/uapi -I$(REPO)/userlib
# Tests build like the kernel's own selftests: the 6.1 harness is not -Wextra clean.
TEST_CFLAGS := -O2 -g -Wall -Werror -I$(REPO)/uapi -I$(REPO)/userlib
STATIC      := -static

TEST_SRCS   := $(wildcard $(REPO)/selftests/test_*.c)
TEST_BINS   := $(patsubst $(REPO)/selftests/%.c,$(USER_OUT)/%,$(TEST_SRCS))
# The same ioctl tests as 32-bit programs: the compat ioctl path.  The 6.1
# harness casts pointers to intmax_t in ASSERT_*, which warns on 32-bit.
COMPAT_TESTS := alloc_free batch fuzz lib mmap setup walk
TEST32_BINS := $(patsubst %,$(USER_OUT)/test_arena_%_m32,$(COMPAT_TESTS))
BENCH_SRCS  := $(wildcard $(REPO)/bench/user/*.c)
BENCH_BINS  := $(patsubst $(REPO)/bench/user/%.c,$(USER_OUT)/%,$(BENCH_SRCS))

.PHONY: all modules user lane lane-build deps run check bench checkpatch sparse clean help

all: modules user

help:
	@echo "make            build arena.ko for the running kernel (or KDIR=...) and user space"
	@echo "make deps       install what the project needs from Debian (as root)"
	@echo "make run        boot a VM, load arena.ko, run the arenactl demo"
	@echo "make check      run every test on every kernel lane in VMs (ARENA_LANES=... to pick)"
	@echo "make bench      benchmarks against the kernel's allocators; writes bench/results.md"
	@echo "make lane LANE=stock-6.1|stock-6.12|debug   build modules for a VM lane into build/LANE"
	@echo "make checkpatch run checkpatch --strict on the sources"
	@echo "make sparse     build the module for LANE with sparse (C=2); fails on any report"

# arena.ko for the running kernel or KDIR, built in place.
modules:
	$(MAKE) -C $(KDIR) M=$(REPO) modules

# Everything a VM lane needs, built out of tree in build/$(LANE).
lane:
	@vars="$$($(REPO)/selftests/vm/lane.sh $(LANE))" || exit 1; eval "$$vars"; \
	$(MAKE) --no-print-directory -f $(REPO)/Makefile lane-build LANE=$(LANE) KDIR="$$KDIR"

LANE_OUT := $(BUILD)/$(LANE)
# The kernel's W=1 set, with any warning an error: no warnings is the rule.
KMAKE    := $(MAKE) -C $(KDIR) W=1 KCFLAGS=-Werror

# Sources are copied with fresh timestamps, so every lane build is a full
# one: an object kept from an older copy (or modversion CRCs of an older
# arena.ko in a test module) would otherwise go unnoticed.
lane-build:
	@rm -rf $(LANE_OUT)/kmod $(LANE_OUT)/selftests $(LANE_OUT)/bench
	@mkdir -p $(LANE_OUT)
	@cp -r $(REPO)/Kbuild $(REPO)/kmod $(REPO)/uapi $(LANE_OUT)/
	$(KMAKE) M=$(LANE_OUT) modules
	@for dir in selftests/kmod bench/kmod; do \
		[ -f $(REPO)/$$dir/Kbuild ] || continue; \
		mkdir -p $(LANE_OUT)/$$dir && cp -r $(REPO)/$$dir/. $(LANE_OUT)/$$dir/ && \
		$(KMAKE) M=$(LANE_OUT)/$$dir \
			KBUILD_EXTRA_SYMBOLS=$(LANE_OUT)/Module.symvers modules || exit 1; \
	done

user: $(USER_OUT)/libarena.a $(USER_OUT)/libarena.so $(USER_OUT)/arenactl \
      $(TEST_BINS) $(TEST32_BINS) $(BENCH_BINS)

$(USER_OUT)/libarena.o: userlib/libarena.c userlib/libarena.h uapi/linux/arena.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -fPIC -c -o $@ $<

$(USER_OUT)/libarena.a: $(USER_OUT)/libarena.o
	$(AR) rcs $@ $^

$(USER_OUT)/libarena.so: $(USER_OUT)/libarena.o
	$(CC) -shared -Wl,-soname,libarena.so.1 -o $@ $^

$(USER_OUT)/arenactl: userlib/arenactl.c $(USER_OUT)/libarena.a
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $^

$(HARNESS)/kselftest_harness.h:
	@mkdir -p $(ARENA_CACHE)
	@[ -f $(KSRC_TAR) ] || $(REPO)/scripts/deps.sh
	@echo "extracting the kernel source (for the kselftest harness) into $(KSRC)"
	tar -xf $(KSRC_TAR) -C $(ARENA_CACHE)
	@touch $@

$(USER_OUT)/test_%: selftests/test_%.c $(wildcard selftests/*.h) $(USER_OUT)/libarena.a $(HARNESS)/kselftest_harness.h
	$(CC) $(TEST_CFLAGS) -I$(HARNESS) $(STATIC) -o $@ $< $(USER_OUT)/libarena.a

$(USER_OUT)/test_%_m32: selftests/test_%.c $(wildcard selftests/*.h) userlib/libarena.c $(HARNESS)/kselftest_harness.h
	$(CC) -m32 $(TEST_CFLAGS) -Wno-pointer-to-int-cast -I$(HARNESS) $(STATIC) \
		-o $@ $< userlib/libarena.c

$(USER_OUT)/%: bench/user/%.c $(USER_OUT)/libarena.a
	$(CC) $(USER_CFLAGS) $(STATIC) -o $@ $< $(USER_OUT)/libarena.a -lm

deps:
	$(REPO)/scripts/deps.sh

run: deps
	$(MAKE) -f $(REPO)/Makefile user
	$(REPO)/selftests/vm/vm-run --kernel $(LANE) --put $(USER_OUT)/arenactl -- ./arenactl demo

check: deps
	$(REPO)/selftests/check.sh $(ARENA_LANES)

bench: deps
	$(REPO)/bench/run.sh

# User-space files use <stdint.h> types, as the kernel's own tools/ do.
# bench/callgrind/shim stands in for kernel headers (typedefs such as gfp_t
# and for-each macros included) and is left out, like the kernel's own.
CHECKPATCH := $(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,PREFER_KERNEL_TYPES -f
checkpatch: $(HARNESS)/kselftest_harness.h
	@fail=0; for f in $$(git -C $(REPO) ls-files '*.c' '*.h' ':!bench/callgrind/shim'); do \
		$(CHECKPATCH) $(REPO)/$$f || fail=1; done; exit $$fail

sparse:
	@vars="$$($(REPO)/selftests/vm/lane.sh $(LANE))" || exit 1; eval "$$vars"; \
	out=$(BUILD)/sparse-$(LANE); rm -rf $$out; mkdir -p $$out; \
	cp -a $(REPO)/Kbuild $(REPO)/kmod $(REPO)/uapi $$out/; \
	$(MAKE) -s -C "$$KDIR" M=$$out C=2 modules 2>&1 | grep -v BTF | tee $$out/report; \
	! grep -q 'warning\|error' $$out/report

clean:
	rm -rf $(BUILD)
	$(MAKE) -C $(KDIR) M=$(REPO) clean 2>/dev/null || true
