// SPDX-License-Identifier: GPL-2.0
/*
 * arenactl: try /dev/arena by hand.
 *
 *   arenactl demo                       a short tour: allocations, stats, the map
 *   arenactl run [SIZE [ALIGN [OPS [SEED]]]]   a random workload, then stats and map
 *   arenactl shell [SIZE [ALIGN]]       read commands from stdin:
 *                                       alloc BYTES | free ID | stats | walk | quit
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libarena.h"

#define MAX_LIVE	4096
#define MAP_WIDTH	64

static void *live[MAX_LIVE];

static void print_stats(struct arena *a)
{
	struct arena_stats st;

	if (arena_stats(a, &st)) {
		perror("arena_stats");
		return;
	}
	printf("stats: used %llu free %llu total %llu\n", (unsigned long long)st.used,
	       (unsigned long long)st.free, (unsigned long long)st.total);
	printf("       chunks_used %llu chunks_free %llu largest_free %llu\n",
	       (unsigned long long)st.chunks_used,
	       (unsigned long long)st.chunks_free, (unsigned long long)st.largest_free);
}

struct map_state {
	char bar[MAP_WIDTH + 1];
	size_t region;
	unsigned int listed;
};

static int map_chunk(void *priv, const struct arena_chunk_info *c)
{
	struct map_state *m = priv;
	size_t from = c->offset * MAP_WIDTH / m->region;
	size_t to = (c->offset + c->size) * MAP_WIDTH / m->region;
	size_t i;

	/* A used chunk marks every cell it touches; free cells stay '.'. */
	for (i = from; c->used && i < MAP_WIDTH && (i < to || i == from); i++)
		m->bar[i] = '#';
	if (m->listed++ < 32)
		printf("  %-4s offset %8llu size %8llu\n", c->used ? "used" : "free",
		       (unsigned long long)c->offset, (unsigned long long)c->size);
	return 0;
}

static void print_walk(struct arena *a)
{
	struct map_state m = { .region = arena_size(a) };

	memset(m.bar, '.', MAP_WIDTH);
	m.bar[MAP_WIDTH] = '\0';
	printf("chunks in offset order:\n");
	if (arena_walk(a, map_chunk, &m)) {
		perror("arena_walk");
		return;
	}
	if (m.listed > 32)
		printf("  ... %u chunks in all\n", m.listed);
	printf("map: [%s]  (# used, . free; %zu bytes a cell)\n", m.bar,
	       m.region / MAP_WIDTH);
}

static int add_live(void *p)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++) {
		if (!live[i]) {
			live[i] = p;
			return i;
		}
	}
	return -1;
}

static int cmd_demo(void)
{
	struct arena *a = arena_new(64 * 1024, 16);
	void *p[6];
	int i;

	if (!a) {
		perror("arena_new (is arena.ko loaded?)");
		return 1;
	}
	printf("new arena: 65536 bytes, alignment 16, mapped at %p\n", arena_base(a));
	for (i = 0; i < 6; i++) {
		size_t size = 1000 * (i + 1);

		p[i] = arena_alloc(a, size);
		printf("alloc %5zu -> offset %llu\n", size,
		       (unsigned long long)arena_offset(a, p[i]));
		if (p[i])
			memset(p[i], 'a' + i, size);
	}
	print_stats(a);
	printf("free the 2nd and 4th allocation (no merge: neighbours are used)\n");
	arena_free(a, p[1]);
	arena_free(a, p[3]);
	print_walk(a);
	printf("free the 3rd: it merges with both free neighbours\n");
	arena_free(a, p[2]);
	print_stats(a);
	printf("alloc 2000 takes the smallest hole that fits, from its tail\n");
	p[1] = arena_alloc(a, 2000);
	printf("  -> offset %llu\n", (unsigned long long)arena_offset(a, p[1]));
	print_walk(a);
	printf("double free is refused: ");
	printf("%s\n", arena_free(a, p[3]) ? strerror(errno) : "accepted (bug!)");
	arena_destroy(a);
	return 0;
}

static unsigned long long xorshift(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmd_run(int argc, char **argv)
{
	size_t size = argc > 0 ? strtoull(argv[0], NULL, 0) : 1 << 20;
	size_t align = argc > 1 ? strtoull(argv[1], NULL, 0) : 16;
	long ops = argc > 2 ? strtol(argv[2], NULL, 0) : 10000;
	unsigned long long seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 42;
	unsigned long failed = 0;
	struct arena *a;
	long i;

	a = arena_new(size, align);
	if (!a) {
		perror("arena_new");
		return 1;
	}
	seed = seed ? seed : 1;
	for (i = 0; i < ops; i++) {
		int slot = xorshift(&seed) % MAX_LIVE;

		if (live[slot]) {
			arena_free(a, live[slot]);
			live[slot] = NULL;
		} else {
			live[slot] = arena_alloc(a, 1 + xorshift(&seed) % 2048);
			failed += !live[slot];
		}
	}
	printf("%ld random operations, %lu allocations found no space\n", ops, failed);
	print_stats(a);
	print_walk(a);
	arena_destroy(a);
	return 0;
}

static int cmd_shell(int argc, char **argv)
{
	size_t size = argc > 0 ? strtoull(argv[0], NULL, 0) : 1 << 16;
	size_t align = argc > 1 ? strtoull(argv[1], NULL, 0) : 16;
	char line[128], word[16];
	unsigned long long n;
	struct arena *a;

	a = arena_new(size, align);
	if (!a) {
		perror("arena_new");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		int fields = sscanf(line, "%15s %llu", word, &n);

		if (fields < 1)
			continue;
		if (!strcmp(word, "alloc") && fields == 2) {
			void *p = arena_alloc(a, n);

			if (p)
				printf("id %d offset %llu\n", add_live(p),
				       (unsigned long long)arena_offset(a, p));
			else
				printf("alloc failed: %s\n", strerror(errno));
		} else if (!strcmp(word, "free") && fields == 2 && n < MAX_LIVE) {
			if (arena_free(a, live[n]))
				printf("free failed: %s\n", strerror(errno));
			live[n] = NULL;
		} else if (!strcmp(word, "stats")) {
			print_stats(a);
		} else if (!strcmp(word, "walk")) {
			print_walk(a);
		} else if (strcmp(word, "quit")) {
			printf("commands: alloc BYTES | free ID | stats | walk | quit\n");
		} else {
			break;
		}
		fflush(stdout);
	}
	arena_destroy(a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "demo"))
		return cmd_demo();
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "shell"))
		return cmd_shell(argc - 2, argv + 2);
	fprintf(stderr, "usage: %s demo | run [SIZE [ALIGN [OPS [SEED]]]] | shell [SIZE [ALIGN]]\n",
		argv[0]);
	return 2;
}
