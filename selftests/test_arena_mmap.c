// SPDX-License-Identifier: GPL-2.0
/*
 * mmap() of /dev/arena: the whole region at offset 0, one live page-aligned
 * allocation at its own offset, the same memory through both views, the
 * mappings that must be refused, and a mapping outliving close().
 */
#include <sys/mman.h>

#include "arena_test.h"

#include "kselftest_harness.h"

#define PAGES	16

FIXTURE(map) {
	int fd;
	size_t page;
	size_t size;
};

FIXTURE_SETUP(map)
{
	self->page = sysconf(_SC_PAGESIZE);
	self->size = PAGES * self->page;
	self->fd = arena_test_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioc_setup(self->fd, self->size, self->page));
}

FIXTURE_TEARDOWN(map)
{
	if (self->fd >= 0)
		close(self->fd);
}

static void *map(int fd, size_t len, __u64 offset, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, offset);
}

/* mmap() must fail with EINVAL and leave no mapping behind. */
static int map_einval(int fd, size_t len, __u64 offset, int flags)
{
	void *p = map(fd, len, offset, flags);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno == EINVAL;
}

TEST_F(map, whole_region_zeroed_and_shared)
{
	unsigned char *a, *b;
	size_t i;

	a = map(self->fd, self->size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, a) TH_LOG("mmap: %s", strerror(errno));
	for (i = 0; i < self->size; i++)
		ASSERT_EQ(0, a[i]) TH_LOG("byte %zu", i);
	b = map(self->fd, self->size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, b);
	ASSERT_NE(a, b);
	for (i = 0; i < self->size; i += 8)
		a[i] = (unsigned char)(i / 8 + 1);
	for (i = 0; i < self->size; i += 8)
		ASSERT_EQ((unsigned char)(i / 8 + 1), b[i]);
	munmap(a, self->size);
	munmap(b, self->size);
}

TEST_F(map, allocation_and_region_views)
{
	unsigned char *whole, *part;
	__u64 off;
	size_t i;

	ASSERT_EQ(0, ioc_alloc(self->fd, 2 * self->page, &off));
	ASSERT_EQ(0, off % self->page);
	whole = map(self->fd, self->size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, whole);
	part = map(self->fd, 2 * self->page, off, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, part)
		TH_LOG("mmap at %llu: %s", (unsigned long long)off,
		       strerror(errno));
	for (i = 0; i < 2 * self->page; i++)
		part[i] = (unsigned char)(i * 7 + 3);
	for (i = 0; i < 2 * self->page; i++)
		ASSERT_EQ((unsigned char)(i * 7 + 3), whole[off + i]);
	memset(whole + off, 0x5c, self->page);
	ASSERT_EQ(0x5c, part[0]);
	ASSERT_EQ(0x5c, part[self->page - 1]);
	ASSERT_EQ((unsigned char)(self->page * 7 + 3), part[self->page]);
	/* The byte below the allocation was never written. */
	ASSERT_EQ(0, whole[off - 1]);
	munmap(part, 2 * self->page);

	/* A shorter view of the same allocation is fine too. */
	part = map(self->fd, self->page, off, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, part);
	ASSERT_EQ(0x5c, part[7]);
	munmap(part, self->page);
	munmap(whole, self->size);
}

TEST_F(map, allocation_smaller_than_page)
{
	unsigned char *part, *whole;
	__u64 pad, off;
	int fd;

	/* Byte granules: pad the tail so the next allocation is page aligned. */
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioc_setup(fd, self->size, 16));
	ASSERT_EQ(0, ioc_alloc(fd, self->page - 112, &pad));
	ASSERT_EQ(0, ioc_alloc(fd, 100, &off));
	ASSERT_EQ(self->size - self->page, off);
	ASSERT_TRUE(map_einval(fd, 2 * self->page, off, MAP_SHARED));
	part = map(fd, self->page, off, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, part);
	whole = map(fd, self->size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, whole);
	memset(part, 0xab, 100);
	ASSERT_EQ(0xab, whole[off + 99]);
	munmap(part, self->page);
	munmap(whole, self->size);
	close(fd);
}

TEST_F(map, refused)
{
	__u64 off, off1;

	ASSERT_EQ(0, ioc_alloc(self->fd, 2 * self->page, &off));
	ASSERT_EQ(0, ioc_alloc(self->fd, self->page, &off1));
	ASSERT_EQ(0, ioc_free(self->fd, off1));

	/* Inside a live allocation, in a free chunk, a freed allocation. */
	EXPECT_TRUE(map_einval(self->fd, self->page, off + self->page,
			       MAP_SHARED));
	EXPECT_TRUE(map_einval(self->fd, self->page, self->page, MAP_SHARED));
	EXPECT_TRUE(map_einval(self->fd, self->page, off1, MAP_SHARED));
	/* Longer than the allocation or the region. */
	EXPECT_TRUE(map_einval(self->fd, 3 * self->page, off, MAP_SHARED));
	EXPECT_TRUE(map_einval(self->fd, self->size + self->page, 0,
			       MAP_SHARED));
	/* Beyond the region. */
	EXPECT_TRUE(map_einval(self->fd, self->page, self->size, MAP_SHARED));
	EXPECT_TRUE(map_einval(self->fd, self->page, 4 * self->size,
			       MAP_SHARED));
	/* Private mappings of the region or of an allocation. */
	EXPECT_TRUE(map_einval(self->fd, self->size, 0, MAP_PRIVATE));
	EXPECT_TRUE(map_einval(self->fd, 2 * self->page, off, MAP_PRIVATE));
}

/* Part of the region at offset 0, with no allocation there. */
TEST_F(map, partial_region_refused)
{
	EXPECT_TRUE(map_einval(self->fd, self->page, 0, MAP_SHARED));
	EXPECT_TRUE(map_einval(self->fd, self->size - self->page, 0,
			       MAP_SHARED));
}

TEST_F(map, outlives_close)
{
	unsigned char *whole;
	__u64 off;
	size_t i;

	ASSERT_EQ(0, ioc_alloc(self->fd, self->page, &off));
	whole = map(self->fd, self->size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, whole);
	memset(whole + off, 0x42, self->page);
	close(self->fd);
	self->fd = -1;

	for (i = 0; i < self->page; i++)
		ASSERT_EQ(0x42, whole[off + i]);
	memset(whole, 0x17, self->size);
	for (i = 0; i < self->size; i += 64)
		ASSERT_EQ(0x17, whole[i]);
	ASSERT_EQ(0, munmap(whole, self->size));
}

TEST(implicit_setup_by_mmap)
{
	__u64 size = 0;
	unsigned char *p;
	int fd;

	ASSERT_EQ(0, param_read("default_size", &size));
	fd = arena_test_open();
	ASSERT_LE(0, fd);
	p = map(fd, size, 0, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	p[size - 1] = 1;
	ASSERT_EQ(-EBUSY, ioc_setup(fd, 4096, 16));
	munmap(p, size);
	close(fd);
}

TEST_HARNESS_MAIN
