// SPDX-License-Identifier: GPL-2.0
/*
 * arenactl status and map --svg, run as a user would (./arenactl, put
 * next to the tests by make check), against an arena of known layout held
 * by a child process.  Skipped when arenactl is not there.
 */
#include <signal.h>
#include <sys/wait.h>

#include "arena_observe.h"

#include "kselftest_harness.h"

#define ARENACTL	"./arenactl"

/*
 * The layout: 1000, 2000 and 3000 bytes taken from the tail of 64 KiB
 * (align 16: 1008 at 64528, 2000 at 62528, 3008 at 59520), then the 2000
 * freed: used 4016 in 2 chunks, free [0, 59520) and [62528, 64528).
 */
#define USED		4016ULL
#define LARGEST		59520ULL
#define FREE_BYTES	(65536ULL - USED)

FIXTURE(ctl) {
	pid_t child;
	int fd;		/* the child's arena fd (the same number in the child) */
};

FIXTURE_SETUP(ctl)
{
	int ready[2], hold[2];
	char c;

	self->child = -1;
	if (access(ARENACTL, X_OK))
		return;
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(hold));
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		__u64 o1, o2, o3;

		close(ready[0]);
		close(hold[1]);
		if (ioc_setup(self->fd, 65536, 16) || ioc_alloc(self->fd, 1000, &o1) ||
		    ioc_alloc(self->fd, 2000, &o2) || ioc_alloc(self->fd, 3000, &o3) ||
		    ioc_free(self->fd, o2) || o3 != 59520)
			_exit(1);
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		/* Hold the arena until the parent closes its end. */
		_exit(read(hold[0], &c, 1) < 0);
	}
	close(self->fd);	/* the child's copy is the only one */
	close(ready[1]);
	close(hold[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
}

FIXTURE_TEARDOWN(ctl)
{
	int status;

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, &status, 0);
	}
}

/* Runs cmd; its output into buf.  Returns the exit status. */
static int run(const char *cmd, char *buf, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t len;

	if (!p)
		return -1;
	len = fread(buf, 1, size - 1, p);
	buf[len] = '\0';
	return pclose(p);
}

TEST_F(ctl, status_shows_the_child)
{
	unsigned long long id, size, used, cu, cf, largest, total, arenas, cap;
	char out[8192], comm[32], *line;
	int pid = 0, fd = -1, found = 0;
	double frag;

	if (self->child < 0)
		SKIP(return, "no %s", ARENACTL);
	ASSERT_EQ(0, run(ARENACTL " status", out, sizeof(out))) TH_LOG("%s", out);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%d %31s %d %llu %llu %llu %llu/%llu %llu %lf%%",
			   &pid, comm, &fd, &id, &size, &used, &cu, &cf, &largest,
			   &frag) == 10 && pid == self->child) {
			found++;
			EXPECT_EQ(self->fd, fd);
			EXPECT_EQ(65536, size);
			EXPECT_EQ(USED, used);
			EXPECT_EQ(2, cu);
			EXPECT_EQ(2, cf);
			EXPECT_EQ(LARGEST, largest);
			/* 1 - 59520 / 61520 = 3.25% */
			EXPECT_LT(3.19, frag);
			EXPECT_GT(3.31, frag);
		}
		if (sscanf(line, "system: %llu bytes in %llu arenas, cap %llu",
			   &total, &arenas, &cap) == 3) {
			/* The region and a page of bookkeeping. */
			EXPECT_EQ(65536 + 4096, total);
			EXPECT_EQ(1, arenas);
			EXPECT_NE(0, cap);
			found += 10;
		}
	}
	EXPECT_EQ(11, found);
}

/* Counts non-overlapping occurrences of needle. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

TEST_F(ctl, map_svg_of_the_child)
{
	static char svg[1 << 16];
	char cmd[256], out[8192];
	int fd, a, b, c, d;
	ssize_t len;

	if (self->child < 0)
		SKIP(return, "no %s", ARENACTL);
	snprintf(cmd, sizeof(cmd),
		 ARENACTL " map --svg /tmp/arena-map-test.svg --pid %d --fd %d",
		 self->child, self->fd);
	ASSERT_EQ(0, run(cmd, out, sizeof(out))) TH_LOG("%s", out);
	fd = open("/tmp/arena-map-test.svg", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, svg, sizeof(svg) - 1);
	close(fd);
	unlink("/tmp/arena-map-test.svg");
	ASSERT_LT(0, len);
	svg[len] = '\0';
	EXPECT_EQ(0, strncmp(svg, "<svg ", 5));
	EXPECT_NE(NULL, strstr(svg, "</svg>\n"));
	/* The four chunks, each drawn as a rectangle per row it spans. */
	a = count(svg, "<title>free offset 0 size 59520</title>");
	b = count(svg, "<title>used offset 59520 size 3008</title>");
	c = count(svg, "<title>free offset 62528 size 2000</title>");
	d = count(svg, "<title>used offset 64528 size 1008</title>");
	EXPECT_LT(0, a);
	EXPECT_LT(0, b);
	EXPECT_LT(0, c);
	EXPECT_LT(0, d);
	EXPECT_EQ(a + b + c + d, count(svg, "<title>"));
	EXPECT_EQ(a + b + c + d + 1, count(svg, "<rect "));	/* + background */
	/* Looking did not change it. */
	EXPECT_NE(NULL, strstr(out, "used 4016 free 61520 total 65536"));
}

TEST_HARNESS_MAIN
