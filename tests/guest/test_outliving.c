// SPDX-License-Identifier: GPL-2.0
/*
 * test_outliving.c: page references that outlive their mapping, then
 * unbind (design.md, "The hole").
 *
 *   vmsplice_then_unbind: 64 KiB of /dev/dax0.0 vmspliced into a pipe,
 *       munmap, unbind; the pipe still holds GUP page references.
 *   pin_then_unbind: a long-term FOLL_PIN held through CONFIG_GUP_TEST's
 *       PIN_LONGTERM_TEST_START (the named stand-in for an RDMA or
 *       io_uring registration), munmap, unbind.
 *
 * fine, busy: unbind waits until the pipe is drained or the pin dropped, and the
 * data read back is intact; a pin kept 10 s gets the wait into the kernel
 * log.  baseline and coarse: unbind does not wait;
 * dropping the reference then touches freed struct pages and the kernel
 * oopses.  That oops is their expected outcome, so tests/run-functional.sh
 * runs each of these tests on those variants in a VM of its own and checks
 * the console for it; reaching the end of the test there is a failure.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

#define SPLICE_LEN (64 * 1024)

FIXTURE(outliving)
{
	int fd;
	size_t len;
	char *p;
};

FIXTURE_SETUP(outliving)
{
	size_t i;

	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->len = dax_align() > SPLICE_LEN ? dax_align() : SPLICE_LEN;
	self->p = dax_map(self->fd, self->len, 0);
	ASSERT_NE(MAP_FAILED, self->p);
	/* the mapping alone holds the device: gone at munmap, under coarse too */
	close(self->fd);
	self->fd = -1;
	for (i = 0; i < self->len; i++)
		self->p[i] = (char)(i * 7);
}

FIXTURE_TEARDOWN(outliving)
{
	EXPECT_EQ(0, dax_bind());
}

/*
 * The reference is held and the mapping gone: unbind now.  Returns the
 * unbinder, which under fine and busy must still be waiting.
 */
static pid_t unbind_with_reference_held(struct __test_metadata *_metadata)
{
	struct pins pins;
	int status;
	pid_t unbinder = unbind_async();

	ASSERT_LE(0, unbinder);
	if (kernel()->waits_for_refs) {
		ASSERT_FALSE(wait_child(unbinder, 1.5, &status));
		ASSERT_EQ(1, read_pins(&pins));
		ASSERT_LT(0, pins.pins);
		if (kernel()->holds == HOLDS_PAGE_REFERENCE)
			ASSERT_EQ(pins.page_refs, pins.pins);
		ASSERT_LE(pins.pins, pins.page_refs);
		TH_LOG("unbind waiting on %lld pins", pins.pins);
	} else {
		/* the hole: unbind does not wait for the reference */
		ASSERT_TRUE(wait_child(unbinder, 10, &status));
		ASSERT_EQ(0, WEXITSTATUS(status));
		TH_LOG("unbind returned with a reference in flight; expect an oops");
	}
	return unbinder;
}

TEST_F(outliving, vmsplice_then_unbind)
{
	struct iovec iov = { self->p, SPLICE_LEN };
	char *buf = malloc(SPLICE_LEN);
	int pfd[2], status;
	pid_t unbinder;
	size_t i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(SPLICE_LEN, vmsplice(pfd[1], &iov, 1, 0));
	ASSERT_EQ(0, munmap(self->p, self->len));

	unbinder = unbind_with_reference_held(_metadata);

	/* drain the pipe: the reads drop the page references */
	for (i = 0; i < SPLICE_LEN;) {
		ssize_t n = read(pfd[0], buf + i, SPLICE_LEN - i);

		ASSERT_LT(0, n);
		i += n;
	}
	close(pfd[0]);
	close(pfd[1]);
	ASSERT_TRUE(kernel()->waits_for_refs) {
		TH_LOG("%s survived a use-after-free it was expected to oops on",
		       kernel()->name);
	}
	for (i = 0; i < SPLICE_LEN; i++)
		ASSERT_EQ((char)(i * 7), buf[i]);
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	free(buf);
}

TEST_F(outliving, pin_then_unbind)
{
	int gup = gup_test_open(), status, kmsg;
	pid_t unbinder;

	ASSERT_LE(0, gup);
	ASSERT_EQ(0, pin_longterm_start(gup, self->p, SPLICE_LEN));
	ASSERT_EQ(0, munmap(self->p, self->len));

	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	unbinder = unbind_with_reference_held(_metadata);
	if (kernel()->waits_for_refs) {
		/* a wait on user space says so in the kernel log */
		ASSERT_TRUE(kmsg_wait(kmsg, "waiting 10 s for its page references", 15));
	}
	close(kmsg);

	ASSERT_EQ(0, pin_longterm_stop(gup));
	close(gup);
	ASSERT_TRUE(kernel()->waits_for_refs) {
		TH_LOG("%s survived a use-after-free it was expected to oops on",
		       kernel()->name);
	}
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
