// SPDX-License-Identifier: GPL-2.0
/*
 * test_skb_defer.c: page references that nobody holds any more, parked on
 * another CPU's skb defer list, then unbind.
 *
 *   socket_then_unbind: 64 KiB of /dev/dax0.0 vmspliced into a pipe and
 *       spliced into a loopback TCP socket on CPU 0; the peer reads it all
 *       on CPU 1, where every file is then closed.  TCP frees a consumed
 *       skb on the CPU that allocated it (skb_attempt_defer_free()), so
 *       the page references of its frags wait on CPU 0's list for that
 *       CPU's next NET_RX softirq, which an idle network never brings.
 *
 * fine, busy: the references are still counted when unbind starts, and unbind
 * returns within a second all the same.  baseline and coarse: unbind does
 * not wait for them; a datagram sent on CPU 0 afterwards runs NET_RX there,
 * which frees the parked skb onto struct pages that are gone: the kernel
 * oopses, their expected outcome (see test_outliving.c).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

#define SPLICE_LEN (64 * 1024)

/* Run on @cpu only; 0 on success. */
static int run_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* A loopback socket bound to any port: its address in *addr. */
static int loopback_socket(int type, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, type, 0);

	if (s < 0)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(s, (struct sockaddr *)addr, &len)) {
		close(s);
		return -1;
	}
	return s;
}

/* One datagram through loopback on this CPU: its NET_RX softirq runs. */
static int kick_net_rx(void)
{
	struct sockaddr_in addr;
	int s = loopback_socket(SOCK_DGRAM, &addr);
	ssize_t n;

	if (s < 0)
		return -1;
	n = sendto(s, "x", 1, 0, (struct sockaddr *)&addr, sizeof(addr));
	close(s);
	return n == 1 ? 0 : -1;
}

FIXTURE(skb_defer)
{
	char *p;
	size_t len;
	int tx, rx;
};

FIXTURE_SETUP(skb_defer)
{
	int fd, one = 1;
	size_t i;

	self->tx = self->rx = -1;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, dax_bind());
	fd = dax_open();
	ASSERT_LE(0, fd);
	self->len = dax_align() > SPLICE_LEN ? dax_align() : SPLICE_LEN;
	self->p = dax_map(fd, self->len, 0);
	ASSERT_NE(MAP_FAILED, self->p);
	close(fd);
	for (i = 0; i < self->len; i++)
		self->p[i] = (char)(i * 7);

	ASSERT_EQ(0, tcp_loopback_pair(&self->tx, &self->rx));
	/* no delayed-ACK timer left armed on CPU 0 to run NET_RX there */
	ASSERT_EQ(0, setsockopt(self->rx, IPPROTO_TCP, TCP_QUICKACK, &one,
				sizeof(one)));
}

FIXTURE_TEARDOWN(skb_defer)
{
	run_on(0);
	kick_net_rx();
	if (self->p)
		EXPECT_EQ(0, dax_bind());
}

TEST_F(skb_defer, socket_then_unbind)
{
	struct iovec iov = { self->p, SPLICE_LEN };
	char *buf = malloc(SPLICE_LEN);
	struct pins pins;
	int pfd[2], status;
	pid_t unbinder;
	size_t i;

	ASSERT_NE(NULL, buf);
	/* the skbs are allocated, sent and acknowledged on CPU 0 */
	ASSERT_EQ(0, run_on(0));
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(SPLICE_LEN, vmsplice(pfd[1], &iov, 1, 0));
	ASSERT_EQ(SPLICE_LEN, splice(pfd[0], NULL, self->tx, NULL, SPLICE_LEN, 0));
	close(pfd[0]);
	close(pfd[1]);
	ASSERT_EQ(0, munmap(self->p, self->len));
	/* the ACKs free the sender's copies: the receiver's hold the frags */
	sleep_s(0.2);

	/* consumed on CPU 1, so freed onto CPU 0's defer list */
	ASSERT_EQ(0, run_on(1));
	for (i = 0; i < SPLICE_LEN;) {
		ssize_t n = read(self->rx, buf + i, SPLICE_LEN - i);

		ASSERT_LT(0, n);
		i += n;
	}
	for (i = 0; i < SPLICE_LEN; i++)
		ASSERT_EQ((char)(i * 7), buf[i]);
	free(buf);
	close(self->rx);
	close(self->tx);
	self->tx = self->rx = -1;
	sleep_s(0.2);

	if (kernel()->waits_for_refs) {
		/* nobody holds the pages, yet their references are counted */
		ASSERT_EQ(1, read_pins(&pins));
		TH_LOG("%lld references parked with every file closed", pins.pins);
		ASSERT_LT(0, pins.pins);
	}
	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	if (kernel()->waits_for_refs) {
		/* unbind must not wait on a CPU's idle cache */
		ASSERT_TRUE(wait_child(unbinder, 1, &status)) {
			TH_LOG("unbind still waiting after 1 s");
			run_on(0);
			kick_net_rx();
		}
		ASSERT_EQ(0, WEXITSTATUS(status));
		ASSERT_EQ(1, read_pins(&pins));
		ASSERT_EQ(0, pins.pins);
		return;
	}
	/* the hole: unbind did not wait; NET_RX on CPU 0 frees the skb */
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, run_on(0));
	ASSERT_EQ(0, kick_net_rx());
	sleep_s(1);
	ASSERT_TRUE(kernel()->waits_for_refs) {
		TH_LOG("%s survived a use-after-free it was expected to oops on",
		       kernel()->name);
	}
}

TEST_HARNESS_MAIN
