// SPDX-License-Identifier: GPL-2.0
/*
 * test_stray_ref.c: a stray get/put pair on an idle device-dax page, the
 * pair madvise(MADV_COLD) makes on a devmap PMD on arm64, riscv and
 * loongarch (issue 24, series v9 patch 13).  No x86-64 path makes it, so
 * devmap_bench.ko makes it here (DEVMAP_BENCH_STRAY: folio_ref_inc() and
 * folio_put() on a page nothing but its mapping holds).
 *
 *   stray_pairs_keep_balance: 1000 pairs on an idle page, twice.  The
 *       readout is still 0 pins and 0 page references.  busy, where the
 *       idle count is 0, reports the first stray put once in the kernel log
 *       and drops no pgmap reference; every other variant sees a 1 -> 2 -> 1
 *       pair and says nothing.
 *   unbind_still_waits: after the stray pairs, a vmspliced page reference
 *       held across munmap and unbind: fine and busy wait for it until the
 *       pipe is drained (a pgmap count left short by the pairs would end
 *       the wait at once, or warn when unbind kills the ref).  Variants
 *       whose unbind does not wait skip it (test_outliving shows their oops).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"
#include "devmap_bench.h"

#define PAIRS 1000
#define REPORT "went idle without a GUP reference from idle"

static int stray_pairs(void *p)
{
	struct devmap_bench_req req = { .addr = (unsigned long)p, .iters = PAIRS };

	return bench_ioctl(DEVMAP_BENCH_STRAY, &req);
}

FIXTURE(stray)
{
	int fd;
	size_t len;
	char *p;
};

FIXTURE_SETUP(stray)
{
	ASSERT_EQ(0, bench_module_load()) {
		TH_LOG("devmap_bench.ko of %s: %s (tests/run-functional.sh builds it)",
		       kernel()->dir, strerror(errno));
	}
	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->len = dax_align();
	ASSERT_LT(0UL, self->len);
	self->p = dax_map(self->fd, self->len, 0);
	ASSERT_NE(MAP_FAILED, self->p);
	/* the mapping alone holds the device: gone at munmap, under coarse too */
	close(self->fd);
	self->fd = -1;
	touch_pages(self->p, self->len);
}

FIXTURE_TEARDOWN(stray)
{
	EXPECT_EQ(0, dax_bind());
}

/*
 * The readout, where there is one, of a device that nothing references but
 * its mapping: no page reference, and no pin but coarse's for the mapping's
 * file.
 */
static void assert_idle(struct __test_metadata *_metadata)
{
	struct pins pins;
	int r = read_pins(&pins);

	ASSERT_LE(0, r);
	if (r) {
		ASSERT_EQ(kernel()->holds == HOLDS_MAPPING ? 1 : 0, pins.pins);
		ASSERT_EQ(0, pins.page_refs);
	}
}

TEST_F(stray, stray_pairs_keep_balance)
{
	bool busy = kernel()->holds == HOLDS_BUSY_PAGE;
	int kmsg = kmsg_open();

	ASSERT_LE(0, kmsg);
	assert_idle(_metadata);
	ASSERT_EQ(0, stray_pairs(self->p));
	assert_idle(_metadata);
	/* busy: the first stray put is reported; nothing elsewhere */
	ASSERT_EQ(busy, kmsg_wait(kmsg, REPORT, busy ? 5 : 1));
	/* once: the second batch says nothing more */
	ASSERT_EQ(0, stray_pairs(self->p));
	assert_idle(_metadata);
	ASSERT_FALSE(kmsg_wait(kmsg, REPORT, 1));
	close(kmsg);
	ASSERT_EQ(0, munmap(self->p, self->len));
	ASSERT_EQ(0, dax_unbind());
}

TEST_F(stray, unbind_still_waits)
{
	struct iovec iov = { self->p, 4096 };
	char buf[4096];
	struct pins pins;
	int pfd[2], status;
	pid_t unbinder;
	size_t i;

	if (!kernel()->waits_for_refs)
		SKIP(return, "%s's unbind does not wait for page references",
		     kernel()->name);
	ASSERT_EQ(0, stray_pairs(self->p));
	for (i = 0; i < sizeof(buf); i++)
		self->p[i] = (char)(i * 3);
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ((ssize_t)sizeof(buf), vmsplice(pfd[1], &iov, 1, 0));
	ASSERT_EQ(0, munmap(self->p, self->len));

	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_FALSE(wait_child(unbinder, 1.5, &status)) {
		TH_LOG("unbind returned with a page reference in a pipe");
	}
	ASSERT_EQ(1, read_pins(&pins));
	ASSERT_LT(0, pins.pins);

	ASSERT_EQ((ssize_t)sizeof(buf), read(pfd[0], buf, sizeof(buf)));
	close(pfd[0]);
	close(pfd[1]);
	for (i = 0; i < sizeof(buf); i++)
		ASSERT_EQ((char)(i * 3), buf[i]);
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
