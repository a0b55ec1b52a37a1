// SPDX-License-Identifier: GPL-2.0
/*
 * test_balance.c: the pin balance through fork, VMA split, mremap,
 * MAP_POPULATE and GUP get/pin, at the device's alignment (run once with
 * 4K and once with 2M, where the mappings are PMDs).  The balance is read
 * from /sys/kernel/debug/devmap_pins (patch 5):
 *   coarse: pins == open files of the device (each mapping holds its
 *           file, so fork, split and mremap leave it at 1);
 *   fine:   pins == page_refs == page references held;
 *   busy:   page_refs == page references held, pins == busy folios;
 * and both are 0 when nothing maps, opens or references the device.  baseline
 * has no readout: the same operations run and must not upset the kernel
 * (the host checks the console for warnings).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"
#include "gup_test.h"

FIXTURE(balance)
{
	int fd;
	size_t align;
};

/*
 * Assert the readout, where there is one, shows @refs page references, and
 * the pins of the policy: where mappings hold the pgmap (coarse) one per
 * open file of the device (every mapping holds its file), where page
 * references do (fine) one per page reference, where busy pages do (busy)
 * one per busy folio: at least one while any reference is held, at most
 * one per reference.
 */
#define ASSERT_PINS(files, refs) do {					\
	struct pins __p;						\
	int __r = read_pins(&__p);					\
	ASSERT_LE(0, __r);						\
	if (__r && kernel()->holds == HOLDS_MAPPING) {			\
		ASSERT_EQ((long long)(files), __p.pins);		\
		ASSERT_EQ((long long)(refs), __p.page_refs);		\
	} else if (__r && kernel()->holds == HOLDS_PAGE_REFERENCE) {	\
		ASSERT_EQ((long long)(refs), __p.pins);			\
		ASSERT_EQ((long long)(refs), __p.page_refs);		\
	} else if (__r && kernel()->holds == HOLDS_BUSY_PAGE) {	\
		ASSERT_LE((long long)!!(refs), __p.pins);		\
		ASSERT_LE(__p.pins, (long long)(refs));			\
		ASSERT_EQ((long long)(refs), __p.page_refs);		\
	}								\
} while (0)

FIXTURE_SETUP(balance)
{
	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->align = dax_align();
	ASSERT_LT(0UL, self->align);
	ASSERT_PINS(1, 0);
}

FIXTURE_TEARDOWN(balance)
{
	if (self->fd >= 0)
		close(self->fd);
	ASSERT_PINS(0, 0);
}

TEST_F(balance, fork)
{
	size_t len = 2 * self->align;
	char *p = dax_map(self->fd, len, 0);
	int go[2], status;
	pid_t child;

	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	ASSERT_EQ(0, pipe(go));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		char c;

		touch_pages(p, len);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	sleep_s(0.2);
	ASSERT_PINS(1, 0);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_TRUE(wait_child(child, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_PINS(1, 0);
	ASSERT_EQ(0, munmap(p, len));
}

TEST_F(balance, split)
{
	size_t len = 3 * self->align;
	char *p = dax_map(self->fd, len, 0);

	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	ASSERT_EQ(0, munmap(p + self->align, self->align));
	ASSERT_PINS(1, 0);
	touch_pages(p, self->align);
	touch_pages(p + 2 * self->align, self->align);
	ASSERT_EQ(0, munmap(p, self->align));
	ASSERT_PINS(1, 0);
	ASSERT_EQ(0, munmap(p + 2 * self->align, self->align));
}

TEST_F(balance, mremap)
{
	size_t len = 2 * self->align;
	char *p = dax_map(self->fd, len, 0);
	char *target, *q;

	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	p[0] = 42;
	/* an aligned free range to move to */
	target = dax_map(self->fd, len, 0);
	ASSERT_NE(MAP_FAILED, target);
	ASSERT_PINS(1, 0);
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	ASSERT_EQ(target, q);
	ASSERT_PINS(1, 0);
	ASSERT_EQ(42, q[0]);
	touch_pages(q, len);
	ASSERT_EQ(0, munmap(q, len));
}

/* The mapping holds its file: the pin goes with the last of the two. */
TEST_F(balance, close_then_munmap)
{
	size_t len = 2 * self->align;
	char *p = dax_map(self->fd, len, 0);

	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_PINS(1, 0);
	touch_pages(p, len);
	ASSERT_EQ(0, munmap(p, len));
	ASSERT_PINS(0, 0);
}

TEST_F(balance, populate)
{
	size_t len = 4 * self->align;
	char *p = dax_map(self->fd, len, MAP_POPULATE);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_PINS(1, 0);
	touch_pages(p, len);
	ASSERT_EQ(0, munmap(p, len));
}

TEST_F(balance, gup_get_vmsplice)
{
	size_t len = self->align > 65536 ? self->align : 65536;
	char *p = dax_map(self->fd, len, 0), buf[4096];
	struct iovec iov;
	int pfd[2], i;

	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	ASSERT_EQ(0, pipe(pfd));
	iov.iov_base = p;
	iov.iov_len = 16 * 4096;
	ASSERT_EQ(16 * 4096, vmsplice(pfd[1], &iov, 1, 0));
	/* one page reference per pipe buffer, whatever the folio size */
	ASSERT_PINS(1, 16);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(4096, read(pfd[0], buf, sizeof(buf)));
	ASSERT_PINS(1, 0);
	close(pfd[0]);
	close(pfd[1]);
	ASSERT_EQ(0, munmap(p, len));
}

TEST_F(balance, gup_pin_longterm)
{
	size_t len = self->align > 65536 ? self->align : 65536;
	char *p = dax_map(self->fd, len, 0);
	int gup = gup_test_open();
	struct pins pins;

	ASSERT_LE(0, gup);
	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	ASSERT_EQ(0, pin_longterm_start(gup, p, 65536));
	if (read_pins(&pins) == 1 && kernel()->holds == HOLDS_PAGE_REFERENCE) {
		/* a pin is GUP_PIN_COUNTING_BIAS refs on small folios */
		ASSERT_LE(16, pins.pins);
		ASSERT_EQ(pins.page_refs, pins.pins);
	}
	if (read_pins(&pins) == 1 && kernel()->holds == HOLDS_BUSY_PAGE) {
		/* every pinned folio is busy: 16 at 4K, one at 2M */
		ASSERT_EQ(self->align > 65536 ? 1 : 65536 / 4096, pins.pins);
		ASSERT_LE(pins.pins, pins.page_refs);
	}
	ASSERT_EQ(0, pin_longterm_stop(gup));
	ASSERT_PINS(1, 0);
	close(gup);
	ASSERT_EQ(0, munmap(p, len));
}

TEST_F(balance, gup_fast_get_and_pin)
{
	size_t len = 4 * self->align;
	char *p = dax_map(self->fd, len, 0);
	int gup = gup_test_open();
	struct gup_test g = { 0 };

	ASSERT_LE(0, gup);
	ASSERT_NE(MAP_FAILED, p);
	touch_pages(p, len);
	g.addr = (unsigned long)p;
	g.size = len;
	g.nr_pages_per_call = 64;
	g.gup_flags = 1;	/* FOLL_WRITE */
	ASSERT_EQ(0, ioctl(gup, GUP_FAST_BENCHMARK, &g));
	ASSERT_PINS(1, 0);
	ASSERT_EQ(0, ioctl(gup, PIN_FAST_BENCHMARK, &g));
	ASSERT_PINS(1, 0);
	ASSERT_EQ(0, ioctl(gup, GUP_BASIC_TEST, &g));
	ASSERT_PINS(1, 0);
	ASSERT_EQ(0, ioctl(gup, PIN_BASIC_TEST, &g));
	ASSERT_PINS(1, 0);
	close(gup);
	ASSERT_EQ(0, munmap(p, len));
}

TEST_HARNESS_MAIN
