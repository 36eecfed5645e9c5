// SPDX-License-Identifier: GPL-2.0
/*
 * arenactl: try /dev/arena by hand.  `arenactl --help` lists the commands,
 * `arenactl help COMMAND` explains one; man page arenactl(1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/arena.h>

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

/*
 * Parses a whole decimal, 0x hex or 0 octal number with an optional K, M or
 * G suffix (powers of 1024).  Anything else, or overflow, is an error.
 */
static int parse_number(const char *what, const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end != s && *end && !end[1]) {
		switch (*end) {
		case 'k': case 'K':
			shift = 10;
			break;
		case 'm': case 'M':
			shift = 20;
			break;
		case 'g': case 'G':
			shift = 30;
			break;
		default:
			shift = 64;
		}
		if (shift < 64)
			end++;
	}
	if (end == s || *end || *s == '-' || errno ||
	    (shift && v > (UINT64_MAX >> shift))) {
		fprintf(stderr, "arenactl: bad %s '%s': want a number, optionally with K, M or G\n",
			what, s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

/* arena_new() with an error message that names the device. */
static struct arena *open_arena(uint64_t size, uint64_t align)
{
	struct arena *a = arena_new(size, align);

	if (!a)
		fprintf(stderr, "arenactl: %s: %s (size %llu, alignment %llu)%s\n",
			arena_device(), strerror(errno), (unsigned long long)size,
			(unsigned long long)align,
			errno == ENOENT ? ": is arena.ko loaded?" : "");
	return a;
}

static int cmd_demo(void)
{
	struct arena *a = open_arena(64 * 1024, 16);
	void *p[6];
	int i;

	if (!a)
		return 1;
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

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmd_run(int argc, char **argv)
{
	uint64_t size = 1 << 20, align = 16, ops = 10000, seed = 42, i;
	unsigned long failed = 0;
	struct arena *a;

	if (argc > 4 ||
	    (argc > 0 && parse_number("SIZE", argv[0], &size)) ||
	    (argc > 1 && parse_number("ALIGN", argv[1], &align)) ||
	    (argc > 2 && parse_number("OPS", argv[2], &ops)) ||
	    (argc > 3 && parse_number("SEED", argv[3], &seed)))
		return 2;
	a = open_arena(size, align);
	if (!a)
		return 1;
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
	printf("%llu random operations, %lu allocations found no space\n",
	       (unsigned long long)ops, failed);
	print_stats(a);
	print_walk(a);
	arena_destroy(a);
	return 0;
}

static int cmd_shell(int argc, char **argv)
{
	uint64_t size = 1 << 16, align = 16;
	char line[128], word[16];
	unsigned long long n;
	struct arena *a;

	if (argc > 2 ||
	    (argc > 0 && parse_number("SIZE", argv[0], &size)) ||
	    (argc > 1 && parse_number("ALIGN", argv[1], &align)))
		return 2;
	a = open_arena(size, align);
	if (!a)
		return 1;
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

static int cmd_info(void)
{
	struct arena_module_info mi;

	if (arena_module_info(&mi)) {
		fprintf(stderr, "arenactl: %s: %s%s\n", arena_device(), strerror(errno),
			errno == ENOENT ? ": is arena.ko loaded?" : "");
		return 1;
	}
	printf("module version   %s\n", mi.version);
	printf("ABI              %u.%u (this tool: %u.%u)\n", mi.abi_major,
	       mi.abi_minor, ARENA_ABI_MAJOR, ARENA_ABI_MINOR);
	printf("features         0x%llx%s%s%s%s\n", (unsigned long long)mi.features,
	       mi.features & ARENA_FEATURE_BATCH ? " batch" : "",
	       mi.features & ARENA_FEATURE_WALK ? " walk" : "",
	       mi.features & ARENA_FEATURE_COMPAT32 ? " compat32" : "",
	       mi.features & ARENA_FEATURE_MMAP_CHUNK ? " mmap-chunk" : "");
	printf("max_align        %llu\n", (unsigned long long)mi.max_align);
	printf("batch_max        %llu\n", (unsigned long long)mi.batch_max);
	printf("walk_max         %llu\n", (unsigned long long)mi.walk_max);
	printf("max_total_bytes  %llu\n", (unsigned long long)mi.max_total_bytes);
	return 0;
}

static int print_version(void)
{
	struct arena_module_info mi;

	printf("arenactl %s\n", ARENA_PKG_VERSION);
	printf("libarena %s\n", arena_version());
	if (arena_module_info(&mi))
		printf("arena.ko unknown (%s: %s)\n", arena_device(), strerror(errno));
	else
		printf("arena.ko %s (ABI %u.%u)\n", mi.version, mi.abi_major,
		       mi.abi_minor);
	return 0;
}

struct command {
	const char *name;
	const char *args;
	const char *help;
};

static const struct command commands[] = {
	{ "demo", "",
	  "A short tour on a 64 KiB arena: allocations, stats, frees that merge\n"
	  "and the chunk map." },
	{ "run", "[SIZE [ALIGN [OPS [SEED]]]]",
	  "OPS random allocations (1 to 2048 bytes) and frees on a SIZE-byte arena\n"
	  "of alignment ALIGN, then its stats and chunk map.  Defaults: 1M 16\n"
	  "10000 42." },
	{ "shell", "[SIZE [ALIGN]]",
	  "Reads commands from stdin on a SIZE-byte arena (default 64K, alignment\n"
	  "16): alloc BYTES | free ID | stats | walk | quit." },
	{ "info", "",
	  "The loaded module's version, ABI, features and limits (ARENA_IOC_INFO)." },
	{ "help", "[COMMAND]", "This help, or a command's." },
	{ NULL },
};

static void print_usage(FILE *out)
{
	const struct command *c;

	fprintf(out, "usage: arenactl [--help | --version] COMMAND [ARG]...\n\n");
	for (c = commands; c->name; c++)
		fprintf(out, "  %s%s%s\n", c->name, *c->args ? " " : "", c->args);
	fprintf(out, "\nSIZE, ALIGN, OPS and SEED take K, M and G suffixes (1024^n).\n"
		"The device is $ARENA_DEVICE, else /dev/arena.  Also: arenactl help COMMAND.\n");
}

static const struct command *find_command(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int help(const char *name)
{
	const struct command *c;

	if (!name) {
		print_usage(stdout);
		return 0;
	}
	c = find_command(name);
	if (!c) {
		fprintf(stderr, "arenactl: no command '%s'\n", name);
		print_usage(stderr);
		return 2;
	}
	printf("usage: arenactl %s%s%s\n\n%s\n", c->name, *c->args ? " " : "",
	       c->args, c->help);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		print_usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return help(NULL);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
		return print_version();
	if (!strcmp(cmd, "help"))
		return help(argc > 2 ? argv[2] : NULL);
	if (!find_command(cmd)) {
		fprintf(stderr, "arenactl: no command '%s'\n", cmd);
		print_usage(stderr);
		return 2;
	}
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		return help(cmd);
	if (!strcmp(cmd, "demo") || !strcmp(cmd, "info")) {
		if (argc > 2) {
			fprintf(stderr, "arenactl: %s takes no arguments\n", cmd);
			return 2;
		}
		return !strcmp(cmd, "demo") ? cmd_demo() : cmd_info();
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	return cmd_shell(argc - 2, argv + 2);
}
