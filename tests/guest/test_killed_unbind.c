// SPDX-License-Identifier: GPL-2.0
/*
 * test_killed_unbind.c: a signal ends an unbind that waits on user space,
 * and the device comes back once the last user goes.
 *
 *   killed_unbind_heals: a process keeps what the policy waits for
 *       (coarse: a mapping; fine, busy: a pipe holding vmspliced pages of
 *       an unmapped range); an unbind waits for it and is killed (-9).  It
 *       must end within a second, the kernel must say it left the range
 *       in use, a rebind must fail cleanly and the holder must still read
 *       the data it wrote.  Once it exits, the kernel must finish the
 *       teardown by itself, and a plain rebind of the same instance (its
 *       pgmap reused) work, mapped and read, without a reboot.
 *   interrupted_unbind_heals: the same with SIGINT (a Ctrl-C, whose default
 *       action is fatal).
 *   namespace_reuse_refused: after a killed unbind, and while the holder
 *       lives, the kernel must refuse every probe of the namespace (raw,
 *       for "ndctl destroy-namespace -f", and a reconfiguration to raw,
 *       which must fail): nothing may reuse the media.  Once the holder
 *       exits, the namespace must be made devdax again, mapped and read.
 *
 * Where nothing holds the pgmap (baseline, none), unbind does not wait:
 * skipped there.  Runs in a boot of its own: it reconfigures the namespace.
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

/*
 * Start a holder (its pipes in @to, @from) and an unbind that waits for
 * it; end the unbind with @sig.  The holder is left running.
 */
static void interrupt_unbind(struct __test_metadata *_metadata, int kmsg,
			     int sig, int to[2], int from[2], pid_t *holder)
{
	pid_t unbinder;
	int status;
	double t;
	char c = 0;

	ASSERT_EQ(0, dax_bind());
	ASSERT_EQ(0, pipe(to));
	ASSERT_EQ(0, pipe(from));
	*holder = fork();
	if (*holder == 0)
		hold(to[0], from[1]);
	ASSERT_LT(0, *holder);
	ASSERT_EQ(1, read(from[0], &c, 1));
	ASSERT_EQ('r', c);

	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_FALSE(wait_child(unbinder, 1.5, &status)) {
		TH_LOG("unbind did not wait for the holder");
	}
	t = now();
	ASSERT_EQ(0, kill(unbinder, sig));
	ASSERT_TRUE(wait_child(unbinder, 5, &status)) {
		TH_LOG("the unbinder outlived signal %d by 5 s", sig);
	}
	t = now() - t;
	TH_LOG("the unbind ended %.3f s after signal %d", t, sig);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig);
	EXPECT_GT(1.0, t);
	EXPECT_TRUE(kmsg_wait(kmsg, "killed: left in use", 2));
	EXPECT_FALSE(dax_bound());

	/* the range serves the holder: no rebind while it lives */
	EXPECT_EQ(-EBUSY, dax_bind());
	EXPECT_TRUE(kmsg_wait(kmsg, "busy: an unbind left it in use", 2));
	EXPECT_FALSE(dax_bound());
}

/* The holder checks its data and exits; the teardown must then end. */
static void release_holder(struct __test_metadata *_metadata, int kmsg,
			   int to[2], int from[2], pid_t holder)
{
	int status;
	char c = 0;

	ASSERT_EQ(1, write(to[1], "c", 1));
	ASSERT_EQ(1, read(from[0], &c, 1));
	EXPECT_EQ('k', c) {
		TH_LOG("the holder's data changed after the interrupted unbind");
	}
	ASSERT_TRUE(wait_child(holder, 5, &status));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_TRUE(kmsg_wait(kmsg, "its last user went: torn down", 5)) {
		TH_LOG("the teardown did not end within 5 s of the last user");
	}
	for (int i = 0; i < 2; i++) {
		close(to[i]);
		close(from[i]);
	}
}

/* The device is usable again: map it, write a page, read it back. */
static void map_and_read(struct __test_metadata *_metadata)
{
	size_t len = dax_align();
	int fd = dax_open();
	char *p;

	ASSERT_LE(0, fd);
	p = dax_map(fd, len, 0);
	ASSERT_NE(MAP_FAILED, p);
	fill(p);
	EXPECT_TRUE(intact(p));
	munmap(p, len);
	close(fd);
}

/* A waiting unbind ended by @sig heals once its holder exits. */
static void signal_then_heal(struct __test_metadata *_metadata, int sig)
{
	int to[2], from[2], kmsg;
	pid_t holder;

	if (kernel()->holds == HOLDS_NOTHING)
		SKIP(return, "%s: nothing holds the pgmap, unbind does not wait", kernel()->name);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	interrupt_unbind(_metadata, kmsg, sig, to, from, &holder);
	release_holder(_metadata, kmsg, to, from, holder);
	ASSERT_EQ(0, dax_bind());
	EXPECT_TRUE(dax_bound());
	map_and_read(_metadata);
	close(kmsg);
}

TEST(killed_unbind_heals)
{
	signal_then_heal(_metadata, SIGKILL);
}

TEST(interrupted_unbind_heals)
{
	signal_then_heal(_metadata, SIGINT);
}

/* Runs last: it re-creates the namespace. */
TEST(namespace_reuse_refused)
{
	int to[2], from[2], kmsg, rc;
	size_t align = dax_align();
	char cmd[160];
	pid_t holder;

	if (kernel()->holds == HOLDS_NOTHING)
		SKIP(return, "%s: nothing holds the pgmap, unbind does not wait", kernel()->name);
	ASSERT_NE(0, align);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	interrupt_unbind(_metadata, kmsg, SIGKILL, to, from, &holder);

	/*
	 * The namespace's media may not serve anyone else meanwhile: the
	 * kernel refuses every probe of it.  ndctl 76's destroy-namespace
	 * still exits 0 when the raw-mode probe that would zero the info
	 * block is refused (it only disables an io namespace then), so its
	 * status is logged; a reconfiguration must fail.
	 */
	rc = system("ndctl destroy-namespace -f namespace0.0 >/dev/null 2>&1");
	TH_LOG("ndctl destroy-namespace -f: exit status %d", WEXITSTATUS(rc));
	EXPECT_TRUE(kmsg_wait(kmsg, "namespace0.0: [mem", 2)) {
		TH_LOG("no refused probe of namespace0.0 in the log");
	}
	rc = system("ndctl create-namespace -f -e namespace0.0 -m raw >/dev/null 2>&1");
	EXPECT_NE(0, rc) {
		TH_LOG("namespace0.0 reconfigured as raw under a live holder");
	}
	EXPECT_TRUE(kmsg_wait(kmsg, "namespace0.0: [mem", 2)) {
		TH_LOG("no refused probe of the reconfigured namespace0.0");
	}

	release_holder(_metadata, kmsg, to, from, holder);
	snprintf(cmd, sizeof(cmd),
		 "ndctl create-namespace -f -e namespace0.0 -m devdax -a %zu >/dev/null 2>&1",
		 align);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, dax_bind());
	map_and_read(_metadata);
	close(kmsg);
}

TEST_HARNESS_MAIN
