// SPDX-License-Identifier: GPL-2.0
/*
 * test_open_race.c: unbind/bind cycles (DEVMAP_OPEN_CYCLES overrides,
 * default 20: ~2 s each here) while a child opens, maps, touches, unmaps and closes /dev/dax0.0
 * in a loop, at any time: also while unbind or bind is under way.
 *
 * Stock 6.12 lets an open() succeed between kill_dax() and cdev_del() on
 * unbind (and between cdev_add() and run_dax() on bind) with a NULL
 * private_data; the next mmap() oopses in check_vma().  The series'
 * first patch makes that open() fail with ENXIO.  Expected: pass on the
 * patched variants; on baseline tests/run-functional.sh runs it alone and
 * expects that oops.
 *
 * On baseline the parent binds only after the child has finished an
 * iteration that began after the unbind, so that no file spans an unbind
 * and the next bind: that is file_across_unbind_bind's race, whose
 * warning would preempt this test's oops.  The patched variants open and
 * close freely.
 *
 * file_across_unbind_bind: a file opened under one bind and closed under
 * the next.  Stock 6.12 re-initialises one cdev on every bind, so that
 * close drops a reference the new cdev never took: the next open() fails
 * with ENXIO and the next unbind underflows the cdev's refcount, a
 * warning that the guest's panic_on_warn makes fatal (baseline's expected
 * outcome, also run alone).  The series gives each bind a cdev of its
 * own.  coarse waits in unbind for the file, so the file is closed to let
 * it go on and the race cannot arise there.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

struct race_ctl {
	atomic_long iters;	/* open/map/close iterations finished */
	atomic_long opens;	/* opens that succeeded */
	atomic_long maps;	/* mmaps that succeeded */
	atomic_int stop;
};

static sigjmp_buf revoked;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(revoked, 1);
}

static void opener(struct race_ctl *ctl)
{
	size_t len = dax_align();

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGBUS, on_sigbus);
	while (!atomic_load(&ctl->stop)) {
		/*
		 * One open(), not dax_open()'s retries: while the device is
		 * unbound each failing open() runs modprobe for its char-major
		 * alias, which takes a while here.
		 */
		int fd = open(DAX_DEV, O_RDWR);

		if (fd >= 0) {
			char *p;

			atomic_fetch_add(&ctl->opens, 1);
			p = dax_map(fd, len, 0);
			if (p != MAP_FAILED) {
				atomic_fetch_add(&ctl->maps, 1);
				/* a mapping revoked by unbind raises SIGBUS */
				if (sigsetjmp(revoked, 1) == 0)
					p[0] = 1;
				munmap(p, len);
			}
			close(fd);
		}
		atomic_fetch_add(&ctl->iters, 1);
	}
	_exit(0);
}

/* Until the opener has begun and finished one more iteration. */
static bool opener_cycled(struct race_ctl *ctl, double timeout_s)
{
	long start = atomic_load(&ctl->iters);
	double t0 = now();

	while (atomic_load(&ctl->iters) < start + 2) {
		if (now() - t0 > timeout_s)
			return false;
		sleep_s(0.0005);
	}
	return true;
}

FIXTURE(open_race) {};
FIXTURE_SETUP(open_race) {}
FIXTURE_TEARDOWN(open_race) {}

TEST_F_TIMEOUT(open_race, open_during_unbind_bind, 600)
{
	const char *env = getenv("DEVMAP_OPEN_CYCLES");
	int cycles = env ? atoi(env) : 20, i, status;
	struct race_ctl *ctl;
	double t0 = now();
	pid_t child;

	ASSERT_EQ(0, dax_bind());
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ctl);
	if (!kernel()->open_race_fix)
		TH_LOG("%s: no open() race fix, expect the oops in check_vma()", kernel()->name);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		opener(ctl);

	for (i = 0; i < cycles; i++) {
		ASSERT_TRUE(opener_cycled(ctl, 30));
		ASSERT_EQ(0, dax_unbind());
		/* no fix: every file opened before the unbind is closed */
		if (!kernel()->open_race_fix)
			ASSERT_TRUE(opener_cycled(ctl, 30));
		ASSERT_EQ(0, dax_bind());
		/*
		 * Progress: a cycle can take 20 s on a KASAN kernel (each
		 * open() of the unbound device runs modprobe), and a guest
		 * silent for 120 s is taken for hung.
		 */
		TH_LOG("%d cycles in %.1f s", i + 1, now() - t0);
	}
	atomic_store(&ctl->stop, 1);
	ASSERT_TRUE(wait_child(child, 30, &status));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("%d cycles in %.1f s: %ld iterations, %ld opens, %ld mappings",
	       cycles, now() - t0, atomic_load(&ctl->iters),
	       atomic_load(&ctl->opens), atomic_load(&ctl->maps));
	ASSERT_LT(0, atomic_load(&ctl->maps));
}

TEST_F(open_race, file_across_unbind_bind)
{
	int fd;

	ASSERT_EQ(0, dax_bind());
	fd = dax_open();
	ASSERT_LE(0, fd);
	/* where the file holds the unbind (coarse), it is closed: no race there */
	ASSERT_EQ(0, unbind_with_file_open(&fd, 1));
	ASSERT_EQ(0, dax_bind());
	if (fd >= 0)
		close(fd);

	fd = open(DAX_DEV, O_RDWR);
	if (!kernel()->open_race_fix) {
		TH_LOG("open() after the cycle: %s; expect the refcount underflow",
		       fd < 0 ? strerror(errno) : "ok");
	} else {
		ASSERT_LE(0, fd) {
			TH_LOG("open() after the cycle: %s", strerror(errno));
		}
	}
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(0, dax_unbind());
	ASSERT_EQ(0, dax_bind());
	ASSERT_TRUE(kernel()->open_race_fix) {
		TH_LOG("%s survived the cdev race it was expected to warn on", kernel()->name);
	}
}

TEST_HARNESS_MAIN
