// SPDX-License-Identifier: GPL-2.0
/*
 * test_killed_unbind.c: kill -9 ends an unbind that waits on user space.
 *
 *   killed_unbind_leaves_range_in_use: a process keeps what the policy
 *       waits for (coarse: a mapping; fine, busy: a pipe holding vmspliced
 *       pages of an unmapped range); an unbind waits for it and is then
 *       killed.  It must end within a second, the kernel must say it
 *       left the range in use, a rebind must fail cleanly (the range is
 *       busy until the next boot), and the holder must still read the
 *       data it wrote, then exit with nothing left to crash on.
 *
 * The device stays unusable for the rest of the boot: this runs in a boot
 * of its own.  Where nothing holds the pgmap (baseline), unbind does not
 * wait: skipped there.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

static void fill(char *p)
{
	for (int i = 0; i < HOLD_LEN; i++)
		p[i] = (char)(i * 7 + 3);
}

static bool intact(const char *p)
{
	for (int i = 0; i < HOLD_LEN; i++)
		if (p[i] != (char)(i * 7 + 3))
			return false;
	return true;
}

/*
 * The holder: keeps a reference unbind waits for and writes 'r' to @out;
 * on a byte from @in, checks its data and answers 'k' (intact) or 'x',
 * then exits, dropping what it kept.
 */
static void __attribute__((noreturn)) hold(int in, int out)
{
	char data[HOLD_LEN], buf[HOLD_LEN], *p, c;
	int pipe_rd;

	fill(data);
	p = hold_for_unbind(data, &pipe_rd);
	if (p == MAP_FAILED)
		_exit(1);
	if (write(out, "r", 1) != 1 || read(in, &c, 1) != 1)
		_exit(1);
	if (p)
		c = intact(p) ? 'k' : 'x';
	else
		c = read(pipe_rd, buf, HOLD_LEN) == HOLD_LEN && intact(buf) ? 'k' : 'x';
	_exit(write(out, &c, 1) == 1 ? 0 : 1);
}

TEST(killed_unbind_leaves_range_in_use)
{
	int to[2], from[2], kmsg, status;
	pid_t holder, unbinder;
	double t;
	char c = 0;

	if (kernel()->holds == HOLDS_NOTHING)
		SKIP(return, "%s: nothing holds the pgmap, unbind does not wait", kernel()->name);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, dax_bind());
	ASSERT_EQ(0, pipe(to));
	ASSERT_EQ(0, pipe(from));
	holder = fork();
	if (holder == 0)
		hold(to[0], from[1]);
	ASSERT_LT(0, holder);
	ASSERT_EQ(1, read(from[0], &c, 1));
	ASSERT_EQ('r', c);

	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_FALSE(wait_child(unbinder, 1.5, &status)) {
		TH_LOG("unbind did not wait for the holder");
	}
	t = now();
	ASSERT_EQ(0, kill(unbinder, SIGKILL));
	ASSERT_TRUE(wait_child(unbinder, 5, &status)) {
		TH_LOG("the unbinder outlived kill -9 by 5 s");
	}
	t = now() - t;
	TH_LOG("the killed unbind ended %.3f s after kill -9", t);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_GT(1.0, t);
	EXPECT_TRUE(kmsg_wait(kmsg, "killed: left in use", 2));
	EXPECT_FALSE(dax_bound());

	/* the range serves the holder until the next boot: no rebind */
	EXPECT_EQ(-EBUSY, dax_bind());
	EXPECT_TRUE(kmsg_wait(kmsg, "busy: an unbind left it in use", 2));
	EXPECT_FALSE(dax_bound());

	ASSERT_EQ(1, write(to[1], "c", 1));
	ASSERT_EQ(1, read(from[0], &c, 1));
	EXPECT_EQ('k', c) {
		TH_LOG("the holder's data changed after the killed unbind");
	}
	ASSERT_TRUE(wait_child(holder, 5, &status));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* its last references are gone: a bad put would oops meanwhile */
	sleep_s(1);
	close(kmsg);
}

TEST_HARNESS_MAIN
