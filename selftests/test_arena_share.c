// SPDX-License-Identifier: GPL-2.0
/*
 * One arena shared by several processes: through fork() (inherited fd and
 * mapping) and through an fd passed with SCM_RIGHTS to a process that did
 * not inherit it (arena_from_fd()).
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include "libarena.h"
#include "arena_test.h"

#include "kselftest_harness.h"

#define REGION	65536
#define ALIGN	16

/* Child exit codes: 0 is success, anything else names the failed step. */
enum {
	CHILD_OK,
	CHILD_ALLOC,
	CHILD_DATA,
	CHILD_FREE,
	CHILD_IO,
	CHILD_FD,
	CHILD_STATS,
};

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 13);
}

static bool check(const unsigned char *p, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 13))
			return false;
	return true;
}

static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int send_fd(int sock, int fd, __u64 offset)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &offset, .iov_len = sizeof(offset) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == sizeof(offset) ? 0 : -1;
}

static int recv_fd(int sock, __u64 *offset)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = offset, .iov_len = sizeof(*offset) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) != sizeof(*offset))
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

FIXTURE(share) {
	struct arena *a;
	unsigned char *base;
};

FIXTURE_SETUP(share)
{
	self->a = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, self->a);
	self->base = arena_base(self->a);
}

FIXTURE_TEARDOWN(share)
{
	arena_destroy(self->a);
}

TEST_F(share, fork_child_allocates)
{
	struct arena_stats st;
	int pipefd[2];
	__u64 off;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char *p = arena_alloc(self->a, 300);

		if (!p)
			_exit(CHILD_ALLOC);
		fill(p, 300, 0x31);
		off = arena_offset(self->a, p);
		if (write(pipefd[1], &off, sizeof(off)) != sizeof(off))
			_exit(CHILD_IO);
		_exit(CHILD_OK);
	}
	ASSERT_EQ(CHILD_OK, wait_child(pid));
	ASSERT_EQ(sizeof(off), read(pipefd[0], &off, sizeof(off)));
	close(pipefd[0]);
	close(pipefd[1]);

	ASSERT_EQ(0, arena_stats(self->a, &st));
	ASSERT_EQ(1, st.chunks_used);
	ASSERT_EQ(304, st.used);
	ASSERT_EQ(REGION - 304, off);
	ASSERT_TRUE(check(self->base + off, 300, 0x31));
	ASSERT_EQ(0, arena_free(self->a, self->base + off));
}

TEST_F(share, fork_parent_allocates_child_frees)
{
	struct arena_stats st;
	unsigned char *p;
	pid_t pid;

	p = arena_alloc(self->a, 5000);
	ASSERT_NE(NULL, p);
	fill(p, 5000, 0x77);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (!check(p, 5000, 0x77))
			_exit(CHILD_DATA);
		fill(p, 5000, 0x12);
		if (arena_free(self->a, p))
			_exit(CHILD_FREE);
		_exit(CHILD_OK);
	}
	ASSERT_EQ(CHILD_OK, wait_child(pid));
	ASSERT_TRUE(check(p, 5000, 0x12));
	ASSERT_EQ(0, arena_stats(self->a, &st));
	ASSERT_EQ(0, st.chunks_used);
	ASSERT_EQ(-1, arena_free(self->a, p));
}

/* The child never inherits the arena: it only gets the fd over the socket. */
TEST(scm_rights)
{
	unsigned char *p, *base;
	struct arena_stats st;
	struct arena *a;
	int sv[2], rc;
	ssize_t n;
	__u64 off;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct arena *b;
		int fd;

		close(sv[0]);
		fd = recv_fd(sv[1], &off);
		if (fd < 0)
			_exit(CHILD_FD);
		b = arena_from_fd(fd);
		if (!b || arena_size(b) != REGION)
			_exit(CHILD_FD);
		base = arena_base(b);
		if (!check(base + off, 1000, 0x55))
			_exit(CHILD_DATA);
		if (arena_stats(b, &st) || st.chunks_used != 1)
			_exit(CHILD_STATS);
		p = arena_alloc(b, 2000);
		if (!p)
			_exit(CHILD_ALLOC);
		fill(p, 2000, 0x66);
		off = arena_offset(b, p);
		if (write(sv[1], &off, sizeof(off)) != sizeof(off))
			_exit(CHILD_IO);
		arena_destroy(b);
		_exit(CHILD_OK);
	}
	close(sv[1]);
	a = arena_new(REGION, ALIGN);
	ASSERT_NE(NULL, a);
	base = arena_base(a);
	p = arena_alloc(a, 1000);
	ASSERT_NE(NULL, p);
	fill(p, 1000, 0x55);
	ASSERT_EQ(0, send_fd(sv[0], arena_fd(a), arena_offset(a, p)));
	n = read(sv[0], &off, sizeof(off));
	rc = wait_child(pid);
	ASSERT_EQ(CHILD_OK, rc);
	ASSERT_EQ(sizeof(off), n);
	ASSERT_EQ(REGION - 1008 - 2000, off);
	ASSERT_TRUE(check(base + off, 2000, 0x66));
	ASSERT_EQ(0, arena_stats(a, &st));
	ASSERT_EQ(2, st.chunks_used);
	ASSERT_EQ(1008 + 2000, st.used);
	ASSERT_EQ(0, arena_free(a, base + off));
	ASSERT_EQ(0, arena_free(a, p));
	arena_destroy(a);
	close(sv[0]);
}

TEST_HARNESS_MAIN
