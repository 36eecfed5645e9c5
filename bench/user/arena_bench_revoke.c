// SPDX-License-Identifier: GPL-2.0
/*
 * What revoking mappings and ARENA_SETUP_ZERO_ON_FREE cost FREE:
 *  - FREE of allocations never mapped on their own, in an arena with no
 *    chunk mappings and in one where other allocations are mapped (the
 *    two must match: only mapped allocations take the revoking path);
 *  - FREE of allocations that were mapped and touched (revocation);
 *  - FREE with ZERO_ON_FREE, per KiB zeroed.
 * Prints one "@@BENCH-REVOKE key value" line per figure (ns, median of
 * the runs) for bench/report.awk, and a readable summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/arena.h>

#define PAGE	4096UL
#define N	2048	/* frees timed per run */
#define RUNS	7
#define OTHERS	64	/* mapped allocations elsewhere */
#define BIG	(64 * 1024UL)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int open_arena(uint64_t size, uint32_t flags)
{
	struct arena_setup_args s = { .size = size, .align = PAGE, .flags = flags };
	int fd = open("/dev/arena", O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, ARENA_IOC_SETUP, &s)) {
		perror("arena setup");
		exit(1);
	}
	return fd;
}

static uint64_t alloc(int fd, uint64_t size)
{
	struct arena_alloc_args a = { .size = size };

	if (ioctl(fd, ARENA_IOC_ALLOC, &a)) {
		perror("ARENA_IOC_ALLOC");
		exit(1);
	}
	return a.offset;
}

static void free_off(int fd, uint64_t off)
{
	struct arena_free_args f = { .offset = off };

	if (ioctl(fd, ARENA_IOC_FREE, &f)) {
		perror("ARENA_IOC_FREE");
		exit(1);
	}
}

enum kind { PLAIN, WITH_OTHERS, MAPPED, ZEROED, BIG_PLAIN };

/* ns per FREE of N allocations of @size, prepared as @kind says. */
static double one_run(enum kind kind, uint64_t size)
{
	static uint64_t off[N];
	static void *maps[N + OTHERS];
	uint32_t flags = kind == ZEROED ? ARENA_SETUP_ZERO_ON_FREE : 0;
	int fd = open_arena((N + OTHERS) * size + PAGE, flags), i, nmaps = 0;
	uint64_t t0, t;

	for (i = 0; i < N; i++)
		off[i] = alloc(fd, size);
	if (kind == WITH_OTHERS || kind == MAPPED) {
		for (i = 0; i < (kind == MAPPED ? N : OTHERS); i++) {
			uint64_t o = kind == MAPPED ? off[i] : alloc(fd, size);
			char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, o);

			if (p == MAP_FAILED) {
				perror("mmap");
				exit(1);
			}
			p[0] = 1;	/* fault it in: revocation has a page to zap */
			maps[nmaps++] = p;
		}
	}
	t0 = now_ns();
	for (i = 0; i < N; i++)
		free_off(fd, off[i]);
	t = now_ns() - t0;
	for (i = 0; i < nmaps; i++)
		munmap(maps[i], size);
	close(fd);
	return (double)t / N;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Runs interleaved round-robin so that host noise hits every kind alike. */
int main(void)
{
	static const struct { enum kind kind; uint64_t size; const char *name; } k[] = {
		{ PLAIN, PAGE, "free_unmapped" },
		{ WITH_OTHERS, PAGE, "free_unmapped_others_mapped" },
		{ MAPPED, PAGE, "free_mapped_revoked" },
		{ BIG_PLAIN, BIG, "free_64k_plain" },
		{ ZEROED, BIG, "free_64k_zero_on_free" },
	};
	double r[5][RUNS], med[5];
	int i, j;

	for (j = 0; j < RUNS; j++)
		for (i = 0; i < 5; i++)
			r[i][j] = one_run(k[i].kind, k[i].size);
	for (i = 0; i < 5; i++) {
		qsort(r[i], RUNS, sizeof(double), cmp);
		med[i] = r[i][RUNS / 2];
		printf("@@BENCH-REVOKE %s %.0f\n", k[i].name, med[i]);
	}
	printf("@@BENCH-REVOKE zero_per_kib %.1f\n", (med[4] - med[3]) / (BIG / 1024));
	printf("FREE, ns per op (median of %d runs of %d):\n", RUNS, N);
	printf("  never mapped, no mappings in the arena:   %8.0f\n", med[0]);
	printf("  never mapped, %d others mapped:           %8.0f (%+.1f%%)\n",
	       OTHERS, med[1], 100.0 * (med[1] - med[0]) / med[0]);
	printf("  mapped and touched (revoked):             %8.0f (+%.0f ns to revoke)\n",
	       med[2], med[2] - med[0]);
	printf("  64 KiB, plain / ZERO_ON_FREE:             %8.0f / %.0f",
	       med[3], med[4]);
	printf(" (%.1f ns per KiB zeroed)\n", (med[4] - med[3]) / (BIG / 1024));
	return 0;
}
