// SPDX-License-Identifier: GPL-2.0
/*
 * test_mapping_abi.c: what user space sees of a device-dax mapping must be
 * the same under every policy.  A policy that marks the VMA (coarse in
 * series v4 set VM_DONTEXPAND, to keep a per-VMA reference from being
 * merged away) changes it: mremap() can no longer grow a mapping,
 * MADV_DODUMP is refused, and adjacent mappings of consecutive offsets no
 * longer merge, so that mapping a device piece by piece ends at
 * max_map_count.  Expected: pass on every variant, at 4K and at 2M.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

#define PIECES	8

FIXTURE(abi)
{
	int fd;
	size_t unit;
};

FIXTURE_SETUP(abi)
{
	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->unit = dax_align();
	ASSERT_LT(0UL, self->unit);
	ASSERT_LE((PIECES + 1) * self->unit, dax_size());
}

FIXTURE_TEARDOWN(abi)
{
	close(self->fd);
}

/* VMAs in /proc/self/maps that overlap [@start, @end). */
static int vmas_in(unsigned long start, unsigned long end)
{
	unsigned long s, e;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < end && e > start)
			n++;
	fclose(f);
	return n;
}

TEST_F(abi, mremap_grows)
{
	char *p = dax_map(self->fd, self->unit, 0), *q;

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 7;
	q = mremap(p, self->unit, 2 * self->unit, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, q);
	ASSERT_EQ(7, q[0]);
	/* the grown part maps the next offset of the device */
	q[self->unit] = 9;
	ASSERT_EQ(9, q[self->unit]);
	ASSERT_EQ(0, munmap(q, 2 * self->unit));
}

TEST_F(abi, madv_dodump)
{
	char *p = dax_map(self->fd, self->unit, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, madvise(p, self->unit, MADV_DONTDUMP));
	ASSERT_EQ(0, madvise(p, self->unit, MADV_DODUMP));
	ASSERT_EQ(0, munmap(p, self->unit));
}

/* PIECES adjacent mappings of consecutive offsets make one VMA. */
TEST_F(abi, adjacent_maps_merge)
{
	size_t len = PIECES * self->unit;
	unsigned long base;
	char *r, *p;
	int i;

	/* an aligned hole for the pieces, reserved, then mapped over */
	r = mmap(NULL, len + self->unit, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	base = ((unsigned long)r + self->unit - 1) & ~(self->unit - 1);
	for (i = 0; i < PIECES; i++) {
		p = mmap((char *)base + i * self->unit, self->unit,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 self->fd, i * self->unit);
		ASSERT_EQ((char *)base + i * self->unit, p);
		p[0] = (char)i;
	}
	EXPECT_EQ(1, vmas_in(base, base + len));
	for (i = 0; i < PIECES; i++)
		ASSERT_EQ((char)i, ((char *)base)[i * self->unit]);
	ASSERT_EQ(0, munmap(r, len + self->unit));
}

TEST_HARNESS_MAIN
