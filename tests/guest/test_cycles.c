// SPDX-License-Identifier: GPL-2.0
/*
 * test_cycles.c: 100 unbind/bind cycles (DEVMAP_CYCLES overrides) while a
 * child maps, touches, GUPs, forks and partially unmaps the device in a
 * loop, so that unbind races with GUP, with VMA copies (fork) and with VMA
 * splits (munmap of one half).  Afterwards the pin balance must be back to
 * idle and the load must have run throughout.
 * Where nothing holds the pgmap (baseline) the load does not GUP: a GUP
 * reference held across such an unbind is the known use-after-free
 * (test_outliving), which this test is not about.  Where mappings hold it
 * (coarse) the GUP runs while unbind waits for the load's VMAs, so it must
 * keep working then (see patch 4).
 *
 * The load opens /dev/dax0.0 once each bind has finished (an open() of
 * the unbound device runs modprobe, slow on a KASAN kernel; opens during
 * unbind and bind are test_open_race's) and closes it once unbind has
 * revoked its mappings.  With the open() race fix (the patched variants)
 * the next bind does not wait for that close, so files span unbind and
 * bind freely.  Without it (baseline) it does: a file opened before an
 * unbind/bind and closed after it drops a reference on the cdev the bind
 * re-initialised, a race of stock 6.12 that the series' second patch fixes
 * and test_open_race shows.
 */
#include <setjmp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"
#include "gup_test.h"

struct load_ctl {
	atomic_long maps;	/* successful mappings */
	atomic_long gups;	/* GUP rounds completed */
	atomic_long forks;	/* children that inherited a mapping */
	atomic_int bound_gen;	/* bumped by the parent after each bind */
	atomic_int closed_gen;	/* the load closed its fd for this bind */
	atomic_int stop;
};

static sigjmp_buf revoked;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(revoked, 1);
}

/* A copy of the VMA (->open under coarse) that touches it and goes away. */
static void fork_toucher(struct load_ctl *ctl, char *p)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* a revoked mapping kills this child, not the load */
		signal(SIGBUS, SIG_DFL);
		p[0] = 2;
		_exit(0);
	}
	if (pid > 0 && waitpid(pid, NULL, 0) == pid)
		atomic_fetch_add(&ctl->forks, 1);
}

/*
 * Map two alignment units, touch (and GUP), fork, unmap the first unit
 * (a VMA split) and then the rest, until mmap fails, the device being
 * unbound, or stop.
 */
static void load_one_bind(struct load_ctl *ctl, int fd, int gup)
{
	size_t unit = dax_align(), len = 2 * unit;
	char buf[4096];

	while (!atomic_load(&ctl->stop)) {
		char *p = dax_map(fd, len, 0);

		if (p == MAP_FAILED)
			return;
		atomic_fetch_add(&ctl->maps, 1);
		if (sigsetjmp(revoked, 1) == 0) {
			struct gup_test g = {
				.addr = (unsigned long)p, .size = len,
				.nr_pages_per_call = 64, .gup_flags = 1,
			};
			struct iovec iov = { p, sizeof(buf) };
			int pfd[2];

			memset(p, 1, 4096);
			memset(p + unit, 1, 4096);
			if (gup >= 0 && !ioctl(gup, PIN_FAST_BENCHMARK, &g) && !pipe(pfd)) {
				if (vmsplice(pfd[1], &iov, 1, 0) > 0 &&
				    read(pfd[0], buf, sizeof(buf)) > 0)
					atomic_fetch_add(&ctl->gups, 1);
				close(pfd[0]);
				close(pfd[1]);
			}
			fork_toucher(ctl, p);
		}
		munmap(p, unit);
		munmap(p + unit, unit);
	}
}

static void load(struct load_ctl *ctl, bool gup_too)
{
	int gup = gup_too ? gup_test_open() : -1, seen = 0;

	/* a load left behind would block a coarse unbind forever */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGBUS, on_sigbus);
	while (!atomic_load(&ctl->stop)) {
		int fd;

		if (atomic_load(&ctl->bound_gen) == seen) {
			sleep_s(0.001);
			continue;
		}
		seen = atomic_load(&ctl->bound_gen);
		fd = dax_open();
		if (fd < 0)
			_exit(3);
		load_one_bind(ctl, fd, gup);
		close(fd);
		atomic_store(&ctl->closed_gen, seen);
	}
	_exit(0);
}

/*
 * A fixture only for its timeout: the harness' 30 s is too short for 200
 * cycles on a KASAN kernel under TCG (make test-debug).
 */
FIXTURE(cycles) {};
FIXTURE_SETUP(cycles) {}
FIXTURE_TEARDOWN(cycles) {}

TEST_F_TIMEOUT(cycles, unbind_bind_under_load, 600)
{
	const char *env = getenv("DEVMAP_CYCLES");
	int cycles = env ? atoi(env) : 100, i, status;
	struct load_ctl *ctl;
	struct pins pins;
	bool gated = !kernel()->open_race_fix;
	/* the load GUPs, unless that is the known use-after-free */
	bool gup = kernel()->holds != HOLDS_NOTHING;
	double t0 = now();
	long maps_before;
	pid_t child;

	ASSERT_EQ(0, dax_bind());
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ctl);
	atomic_store(&ctl->bound_gen, 1);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		load(ctl, gup);

	for (i = 0; i < cycles; i++) {
		maps_before = atomic_load(&ctl->maps);
		/* let the load get a mapping in before each unbind */
		while (atomic_load(&ctl->maps) == maps_before)
			sleep_s(0.001);
		ASSERT_EQ(0, dax_unbind());
		/* no open() race fix: the load closes its fd before the next bind */
		while (gated && atomic_load(&ctl->closed_gen) != atomic_load(&ctl->bound_gen))
			sleep_s(0.001);
		ASSERT_EQ(0, dax_bind());
		atomic_fetch_add(&ctl->bound_gen, 1);
	}
	atomic_store(&ctl->stop, 1);
	ASSERT_TRUE(wait_child(child, 30, &status));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("%d cycles in %.1f s, load: %ld mappings, %ld forks, %ld GUP rounds",
	       cycles, now() - t0, atomic_load(&ctl->maps),
	       atomic_load(&ctl->forks), atomic_load(&ctl->gups));
	ASSERT_LT(0, atomic_load(&ctl->forks));
	if (gup)
		ASSERT_LT(0, atomic_load(&ctl->gups));
	ASSERT_LE(0, read_pins(&pins));
	if (read_pins(&pins) == 1 && kernel()->holds != HOLDS_NOTHING) {
		ASSERT_EQ(0, pins.pins);
		ASSERT_EQ(0, pins.page_refs);
	}
}

TEST_HARNESS_MAIN
