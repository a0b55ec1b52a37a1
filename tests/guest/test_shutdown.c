// SPDX-License-Identifier: GPL-2.0
/*
 * test_shutdown.c: a reboot while unbind waits on user space.
 *
 *   reboot_while_unbind_waits: a process keeps what the policy waits for
 *       (coarse: a mapping; fine, busy: a pipe holding vmspliced pages of an
 *       unmapped range) and stays alive; unbind then waits, holding the
 *       device lock.  The test passes once that wait is in place and
 *       leaves both running; its boot ends with reboot(2) (vm.sh -R),
 *       whose device_shutdown() takes that device lock too, and that
 *       reboot must finish: the series gives the wait up at shutdown.
 *
 * Where nothing holds the pgmap (baseline), unbind does not wait: skipped
 * there, its reboot aside.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

/*
 * Children left running must not hold the output, which the guest's init
 * reads through a pipe until every writer is gone.
 */
static void quiet(void)
{
	int null = open("/dev/null", O_WRONLY);

	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
}

/* A child that keeps a reference unbind waits for; writes 'r' when it does. */
static pid_t holder(int ready)
{
	pid_t pid = fork();

	if (pid == 0) {
		static const char data[HOLD_LEN] = { 1 };
		int pipe_rd;

		if (hold_for_unbind(data, &pipe_rd) == MAP_FAILED)
			_exit(1);
		if (write(ready, "r", 1) != 1)
			_exit(1);
		quiet();
		for (;;)
			pause();
	}
	return pid;
}

TEST(reboot_while_unbind_waits)
{
	int pfd[2], status, out, err;
	pid_t unbinder;
	char c = 0;

	if (kernel()->holds == HOLDS_NOTHING)
		SKIP(return, "%s: nothing holds the pgmap, unbind does not wait", kernel()->name);
	ASSERT_EQ(0, dax_bind());
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_LT(0, holder(pfd[1]));
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	ASSERT_EQ('r', c);
	close(pfd[0]);
	close(pfd[1]);

	/* the unbinder inherits a quiet output */
	out = dup(STDOUT_FILENO);
	err = dup(STDERR_FILENO);
	quiet();
	unbinder = unbind_async();
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close(out);
	close(err);
	ASSERT_LE(0, unbinder);
	ASSERT_FALSE(wait_child(unbinder, 1.5, &status));
	TH_LOG("unbind waits; the holder and the unbinder are left to the reboot");
}

TEST_HARNESS_MAIN
