// SPDX-License-Identifier: GPL-2.0
/*
 * arenactl: try /dev/arena by hand.  `arenactl --help` lists the commands,
 * `arenactl help COMMAND` explains one; man page arenactl(1).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/*
 * A new arena after a random workload: [SIZE [ALIGN [OPS [SEED]]]] from
 * argv.  On failure *status is 2 for bad arguments, 1 otherwise.
 */
static struct arena *random_arena(int argc, char **argv, int *status)
{
	uint64_t size = 1 << 20, align = 16, ops = 10000, seed = 42, i;
	unsigned long failed = 0;
	struct arena *a;

	if (argc > 4 ||
	    (argc > 0 && parse_number("SIZE", argv[0], &size)) ||
	    (argc > 1 && parse_number("ALIGN", argv[1], &align)) ||
	    (argc > 2 && parse_number("OPS", argv[2], &ops)) ||
	    (argc > 3 && parse_number("SEED", argv[3], &seed))) {
		*status = 2;
		return NULL;
	}
	*status = 1;
	a = open_arena(size, align);
	if (!a)
		return NULL;
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
	return a;
}

static int cmd_run(int argc, char **argv)
{
	int status;
	struct arena *a = random_arena(argc, argv, &status);

	if (!a)
		return status;
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

#define PARAM_DIR	"/sys/module/arena/parameters/"

/* fdinfo keys, in the order of struct fdinfo_vals. */
static const char *const fdinfo_keys[] = {
	"arena-id", "arena-size", "arena-used", "arena-free", "arena-align",
	"arena-chunks-used", "arena-chunks-free", "arena-largest-free",
	"arena-metadata",
};

#define ARRAY_SIZE(x)	(sizeof(x) / sizeof((x)[0]))
#define NR_KEYS		ARRAY_SIZE(fdinfo_keys)

enum { K_ID, K_SIZE, K_USED, K_FREE, K_ALIGN, K_CUSED, K_CFREE, K_LARGEST, K_META };

/* Reads a small file into buf; returns its length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	return len;
}

/*
 * The arena-* values of one fdinfo file; 0 if it is an arena fd (every key
 * found), -1 if not or unreadable.
 */
static int read_fdinfo(const char *path, unsigned long long *v)
{
	char buf[4096];
	size_t i;

	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	for (i = 0; i < NR_KEYS; i++) {
		size_t klen = strlen(fdinfo_keys[i]);
		const char *p = buf;

		while ((p = strstr(p, fdinfo_keys[i])) &&
		       ((p != buf && p[-1] != '\n') || strncmp(p + klen, ":\t", 2)))
			p += klen;
		if (!p)
			return -1;
		v[i] = strtoull(p + klen + 2, NULL, 10);
	}
	return 0;
}

/* Fragmentation in percent: 1 - largest_free / free; 0 with one free chunk. */
static double fragmentation(unsigned long long largest, unsigned long long freeb)
{
	return freeb ? 100.0 * (1.0 - (double)largest / (double)freeb) : 0.0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Prints the arenas of one process; returns how many it printed. */
static unsigned int status_process(const char *pid)
{
	char path[300], comm[64] = "?";
	unsigned int n = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
	dir = opendir(path);
	if (!dir)
		return 0;	/* gone, or not ours to read */
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if (read_small(path, comm, sizeof(comm)) > 0)
		comm[strcspn(comm, "\n")] = '\0';
	while ((d = readdir(dir))) {
		unsigned long long v[NR_KEYS];

		if (!all_digits(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, d->d_name);
		if (read_fdinfo(path, v))
			continue;
		if (!v[K_ID]) {
			printf("%7s %-15s %4s %6s  (not set up)\n", pid, comm,
			       d->d_name, "-");
		} else {
			printf("%7s %-15s %4s %6llu %11llu %11llu %7llu/%-7llu %11llu %5.1f%%\n",
			       pid, comm, d->d_name, v[K_ID], v[K_SIZE], v[K_USED],
			       v[K_CUSED], v[K_CFREE], v[K_LARGEST],
			       fragmentation(v[K_LARGEST], v[K_FREE]));
		}
		n++;
	}
	closedir(dir);
	return n;
}

static long long read_param(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

static int cmd_status(void)
{
	long long total = read_param("total_bytes");
	long long arenas = read_param("arenas");
	long long cap = read_param("max_total_bytes");
	unsigned int n = 0;
	struct dirent *d;
	DIR *proc = opendir("/proc");

	if (!proc) {
		perror("/proc");
		return 1;
	}
	printf("%7s %-15s %4s %6s %11s %11s %15s %11s %6s\n", "PID", "COMMAND",
	       "FD", "ARENA", "SIZE", "USED", "CHUNKS U/F", "LARGEST", "FRAG");
	while ((d = readdir(proc)))
		if (all_digits(d->d_name))
			n += status_process(d->d_name);
	closedir(proc);
	if (!n)
		printf("(no arena fds in the processes we may read)\n");
	if (total < 0 || arenas < 0 || cap <= 0) {
		fprintf(stderr, "cannot read %s (is arena.ko loaded?)\n", PARAM_DIR);
		return 1;
	}
	printf("system: %lld bytes in %lld arenas, cap %lld (%.1f%% used)\n",
	       total, arenas, cap, 100.0 * (double)total / (double)cap);
	return 0;
}

/* --- arenactl map: the chunk map as an SVG picture --------------------- */

#define SVG_WIDTH	1024	/* pixels a row */
#define SVG_ROWS	16	/* rows the region is wrapped into */
#define SVG_ROW_H	24
#define SVG_ROW_GAP	4
#define SVG_TOP		40
#define SVG_TITLES	20000	/* chunks up to which each gets a tooltip */

struct svg_state {
	FILE *out;
	double bytes_per_px;
	unsigned int log_min, log_max;	/* log2 of the alignment and the size */
	unsigned long long chunks;
};

static unsigned int log2_floor(unsigned long long v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

/*
 * Colour by size: used chunks from blue (one granule) through green to
 * red (the whole region), free chunks grey, darker the smaller (holes).
 */
static void svg_colour(const struct svg_state *s, const struct arena_chunk_info *c,
		       char *buf, size_t size)
{
	unsigned int span = s->log_max > s->log_min ? s->log_max - s->log_min : 1;
	unsigned int l = log2_floor(c->size);
	double t = (double)(l > s->log_min ? l - s->log_min : 0) / span;

	if (t > 1)
		t = 1;
	if (c->used)
		snprintf(buf, size, "hsl(%d,75%%,50%%)", (int)(240 * (1 - t)));
	else
		snprintf(buf, size, "hsl(0,0%%,%d%%)", 62 + (int)(30 * t));
}

/* One chunk: a rectangle per row it spans. */
static int svg_chunk(void *priv, const struct arena_chunk_info *c)
{
	struct svg_state *s = priv;
	double x0 = c->offset / s->bytes_per_px;
	double x1 = (c->offset + c->size) / s->bytes_per_px;
	char colour[32];

	svg_colour(s, c, colour, sizeof(colour));
	while (x1 > x0 + 0.001) {	/* less is invisible */
		unsigned int row = (unsigned int)(x0 / SVG_WIDTH);
		double end = (row + 1.0) * SVG_WIDTH;
		double to = x1 < end ? x1 : end;

		if (row >= SVG_ROWS)
			break;
		fprintf(s->out,
			"<rect x=\"%.3f\" y=\"%u\" width=\"%.3f\" height=\"%u\" fill=\"%s\"%s>",
			x0 - row * SVG_WIDTH, SVG_TOP + row * (SVG_ROW_H + SVG_ROW_GAP),
			to - x0, SVG_ROW_H, colour,
			to - x0 > 3 ? " stroke=\"#fff\" stroke-width=\"0.5\"" : "");
		if (s->chunks < SVG_TITLES)
			fprintf(s->out, "<title>%s offset %llu size %llu</title>",
				c->used ? "used" : "free",
				(unsigned long long)c->offset, (unsigned long long)c->size);
		fprintf(s->out, "</rect>\n");
		x0 = to;
	}
	s->chunks++;
	return 0;
}

static int write_svg(struct arena *a, const char *path)
{
	unsigned int height = SVG_TOP + SVG_ROWS * (SVG_ROW_H + SVG_ROW_GAP) + 30;
	struct svg_state s = { .bytes_per_px = (double)arena_size(a) / (SVG_WIDTH * SVG_ROWS) };
	struct arena_stats_args st;
	int ret;

	if (ioctl(arena_fd(a), ARENA_IOC_STATS, &st))
		return -1;
	s.out = fopen(path, "w");
	if (!s.out)
		return -1;
	/* Sizes run from one granule to the whole region. */
	s.log_min = log2_floor(st.align);
	s.log_max = log2_floor(st.total);
	fprintf(s.out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" font-family=\"monospace\" font-size=\"12\">\n",
		SVG_WIDTH + 20, height);
	fprintf(s.out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	fprintf(s.out, "<g transform=\"translate(10,0)\">\n");
	fprintf(s.out,
		"<text x=\"0\" y=\"16\">arena: %llu bytes, used %llu in %llu chunks, free %llu in %llu chunks, largest free %llu, fragmentation %.1f%%</text>\n",
		(unsigned long long)st.total, (unsigned long long)st.used,
		(unsigned long long)st.chunks_used, (unsigned long long)st.free,
		(unsigned long long)st.chunks_free, (unsigned long long)st.largest_free,
		fragmentation(st.largest_free, st.free));
	fprintf(s.out,
		"<text x=\"0\" y=\"32\">offset 0 at top left, %.1f bytes a pixel, %u rows; used: blue (small) to red (large); free: grey, darker for smaller holes</text>\n",
		s.bytes_per_px, SVG_ROWS);
	ret = arena_walk(a, svg_chunk, &s);
	fprintf(s.out, "<text x=\"0\" y=\"%u\">%llu chunks</text>\n</g>\n</svg>\n",
		height - 10, s.chunks);
	if (fclose(s.out) || ret)
		return -1;
	return 0;
}

/* PID's fd FD, through pidfd_getfd() (the same permission as ptrace). */
static struct arena *arena_of_pid(const char *pid, const char *fd)
{
	char path[128];
	unsigned long long v[NR_KEYS];
	int pidfd, mine;
	struct arena *a;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	if (read_fdinfo(path, v)) {
		fprintf(stderr, "%s: not an arena fd we may read\n", path);
		return NULL;
	}
	if (!v[K_ID]) {
		fprintf(stderr, "%s: not set up (nothing to map)\n", path);
		return NULL;
	}
	pidfd = syscall(SYS_pidfd_open, atoi(pid), 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return NULL;
	}
	mine = syscall(SYS_pidfd_getfd, pidfd, atoi(fd), 0);
	close(pidfd);
	if (mine < 0) {
		perror("pidfd_getfd");
		return NULL;
	}
	a = arena_from_fd(mine);
	if (!a) {
		perror("arena_from_fd");
		close(mine);
	}
	return a;
}

static int cmd_map(int argc, char **argv)
{
	const char *svg = NULL, *pid = NULL, *fd = NULL;
	struct arena *a;
	int ret = 0, status;

	while (argc >= 2 && argv[0][0] == '-') {
		if (!strcmp(argv[0], "--svg"))
			svg = argv[1];
		else if (!strcmp(argv[0], "--pid"))
			pid = argv[1];
		else if (!strcmp(argv[0], "--fd"))
			fd = argv[1];
		else
			break;
		argc -= 2;
		argv += 2;
	}
	if (!pid != !fd) {
		fprintf(stderr, "map: --pid and --fd go together\n");
		return 2;
	}
	status = 1;
	a = pid ? arena_of_pid(pid, fd) : random_arena(argc, argv, &status);
	if (!a)
		return status;
	print_stats(a);
	print_walk(a);
	if (svg) {
		if (write_svg(a, svg)) {
			perror(svg);
			ret = 1;
		} else {
			printf("SVG map written to %s\n", svg);
		}
	}
	arena_destroy(a);
	return ret;
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
	{ "status", "",
	  "Every arena on the system this user may see (/proc/*/fdinfo): pid,\n"
	  "command, fd, size, used, chunks, largest free, fragmentation\n"
	  "(1 - largest free / free), and the total against max_total_bytes." },
	{ "map", "[--svg FILE] [--pid PID --fd FD | SIZE [ALIGN [OPS [SEED]]]]",
	  "The chunk map of another process's arena (PID's FD, through\n"
	  "pidfd_getfd) or of a random one as `run` makes it; --svg also draws it\n"
	  "as an SVG picture (used by offset, coloured by size; free in grey)." },
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
	if (!strcmp(cmd, "demo") || !strcmp(cmd, "info") || !strcmp(cmd, "status")) {
		if (argc > 2) {
			fprintf(stderr, "arenactl: %s takes no arguments\n", cmd);
			return 2;
		}
		if (!strcmp(cmd, "status"))
			return cmd_status();
		return !strcmp(cmd, "demo") ? cmd_demo() : cmd_info();
	}
	if (!strcmp(cmd, "map"))
		return cmd_map(argc - 2, argv + 2);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	return cmd_shell(argc - 2, argv + 2);
}
