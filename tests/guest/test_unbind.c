// SPDX-License-Identifier: GPL-2.0
/*
 * test_unbind.c: unbind /dev/dax0.0 while a process has it mapped and is
 * writing to it.  baseline, fine and busy promise "storage": unbind revokes the
 * mapping, returns promptly and the holder gets SIGBUS.  coarse promises
 * "memory": unbind blocks until the holder unmaps and closes, the holder's
 * accesses keep working meanwhile, GUP on its mapping included, no new
 * open() can start, and after 10 s the kernel log says what unbind is
 * waiting for.  open_file_then_unbind: an open file with no mapping holds
 * a coarse unbind too (the file is what coarse pins), and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

/* Shared with the holder child. */
struct holder_ctl {
	atomic_long progress;	/* accesses done */
	unsigned long addr;	/* the holder's mapping, set before ready */
	atomic_int stop;	/* parent asks the holder to unmap and exit */
	atomic_int ready;
};

FIXTURE(mapped)
{
	int fd;
	size_t len;
	struct holder_ctl *ctl;
	pid_t holder;
};

FIXTURE_SETUP(mapped)
{
	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->len = 2 * dax_align();
	ASSERT_LT(0UL, self->len);
	self->ctl = mmap(NULL, sizeof(*self->ctl), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->ctl);

	self->holder = fork();
	ASSERT_LE(0, self->holder);
	if (self->holder == 0) {
		volatile char *p;

		/* a holder left behind would block a coarse unbind forever */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		p = dax_map(self->fd, self->len, 0);
		size_t i = 0;

		if (p == MAP_FAILED)
			_exit(3);
		memset((char *)p, 0x5a, self->len);
		self->ctl->addr = (unsigned long)p;
		atomic_store(&self->ctl->ready, 1);
		while (!atomic_load(&self->ctl->stop)) {
			p[i] = (char)i;
			if (p[i] != (char)i)
				_exit(4);
			i = (i + 4096) % self->len;
			atomic_fetch_add(&self->ctl->progress, 1);
		}
		munmap((void *)p, self->len);
		_exit(0);
	}
	while (!atomic_load(&self->ctl->ready))
		sleep_s(0.01);
	/* the holder's mapping and inherited fd alone hold the device */
	close(self->fd);
	self->fd = -1;
}

FIXTURE_TEARDOWN(mapped)
{
	int status;

	atomic_store(&self->ctl->stop, 1);
	if (!wait_child(self->holder, 30, &status))
		kill(self->holder, SIGKILL);
	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, dax_bind());
}

TEST_F(mapped, unbind_while_mapped)
{
	struct iovec local, remote;
	struct pins pins;
	int status, kmsg;
	char buf[4096];
	pid_t unbinder;
	double t0 = now();
	long before;

	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);

	if (kernel()->revokes) {
		/* storage: unbind revokes and returns, the holder faults */
		ASSERT_TRUE(wait_child(unbinder, 10, &status));
		ASSERT_EQ(0, WEXITSTATUS(status));
		TH_LOG("unbind returned after %.3f s", now() - t0);
		ASSERT_TRUE(wait_child(self->holder, 10, &status));
		ASSERT_TRUE(WIFSIGNALED(status));
		ASSERT_EQ(SIGBUS, WTERMSIG(status));
		return;
	}

	/* memory: unbind waits for the mapping, which keeps working */
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_FALSE(wait_child(unbinder, 1.5, &status));
	before = atomic_load(&self->ctl->progress);
	sleep_s(0.3);
	ASSERT_LT(before, atomic_load(&self->ctl->progress));
	/* GUP too: process_vm_readv() pins the holder's pages remotely */
	local.iov_base = buf;
	local.iov_len = sizeof(buf);
	remote.iov_base = (void *)(self->ctl->addr + dax_align());
	remote.iov_len = sizeof(buf);
	ASSERT_EQ((ssize_t)sizeof(buf),
		  process_vm_readv(self->holder, &local, 1, &remote, 1, 0));
	ASSERT_EQ(0x5a, buf[sizeof(buf) - 1]);
	ASSERT_FALSE(wait_child(unbinder, 0, &status));
	ASSERT_EQ(1, read_pins(&pins));
	ASSERT_EQ(1, pins.pins);
	/* no new file, and so no new mapping, once unbind is waiting */
	ASSERT_EQ(-1, open(DAX_DEV, O_RDWR));
	ASSERT_EQ(ENXIO, errno);

	/* and it says so in the kernel log, not as a silent D state */
	ASSERT_TRUE(kmsg_wait(kmsg, "waiting 10 s for its mappings and open files",
			      15));
	close(kmsg);

	atomic_store(&self->ctl->stop, 1);
	ASSERT_TRUE(wait_child(self->holder, 10, &status));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("unbind returned %.3f s after it started, once the holder unmapped",
	       now() - t0);
}

TEST(open_file_then_unbind)
{
	int fd;

	ASSERT_EQ(0, dax_bind());
	fd = dax_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, unbind_with_file_open(&fd, 1.5));
	if (fd >= 0)
		ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, dax_bind());
}

TEST_HARNESS_MAIN
