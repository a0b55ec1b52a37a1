// SPDX-License-Identifier: GPL-2.0
/*
 * workloads.c: userspace workloads on ordinary memory whose page refcount
 * paths a user feels (splice, tee, vmsplice, TCP, fork, process_vm_readv,
 * O_DIRECT); the fine policy adds its static-key test to every page_ref
 * change on them.
 *
 * Usage: workloads <name> [--seconds S] [--rep R] [--dev D] [--label L]
 *        workloads --list
 * Input: the workload name; S seconds to run (default 1.0); R the rep
 * number to print (default 1); D the block device of odirect (default
 * /dev/ram0); L a label for the case, the state the caller ran it in
 * (ordinary-nodev: no device-dax pgmap).
 * Output: `workload,<name>[:<L>],<R>,<ops/s>,ops/s,ok` (or `failed` with an empty
 * value, and exit 1, if the workload could not run); --list prints the
 * names, one a line.  Each op is defined in the comment of its function.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/fs.h>

#include "devdax.h"

#define CHUNK		(64UL << 10)
#define FORK_MEM	(64UL << 20)
#define VM_READ_LEN	(1UL << 20)
#define ODIRECT_FILE	(4UL << 20)

static const char *odirect_dev = "/dev/ram0";

static int fail(const char *what)
{
	fprintf(stderr, "workloads: %s: %s\n", what, strerror(errno));
	return -1;
}

/* Move exactly @len bytes with splice(2); a pipe end may take less per call. */
static int splice_all(int in, loff_t *off, int out, size_t len)
{
	while (len) {
		ssize_t n = splice(in, off, out, NULL, len, 0);

		if (n <= 0) {
			if (!n)
				errno = EPIPE;
			return -1;
		}
		len -= n;
	}
	return 0;
}

/* A pipe that holds exactly CHUNK, so one op fills it without blocking. */
static int chunk_pipe(int p[2])
{
	if (pipe(p))
		return -1;
	return fcntl(p[1], F_SETPIPE_SZ, CHUNK) < 0 ? -1 : 0;
}

/*
 * pipe_splice op: splice 64 KiB of a memfd's page cache into a pipe (the
 * pipe takes page references), then splice the pipe to /dev/null (they are
 * dropped).
 */
static int wl_pipe_splice(double seconds, double *rate)
{
	int mfd, null, p[2];
	unsigned long ops = 0;
	char *buf;
	double t0;

	mfd = memfd_create("workloads", 0);
	null = open("/dev/null", O_WRONLY);
	if (mfd < 0 || null < 0 || chunk_pipe(p))
		return fail("pipe_splice setup");
	buf = calloc(1, CHUNK);
	if (!buf || write(mfd, buf, CHUNK) != (ssize_t)CHUNK)
		return fail("memfd write");
	free(buf);

	t0 = now();
	while (now() < t0 + seconds) {
		loff_t off = 0;

		if (splice_all(mfd, &off, p[1], CHUNK) ||
		    splice_all(p[0], NULL, null, CHUNK))
			return fail("splice");
		ops++;
	}
	*rate = ops / (now() - t0);
	return 0;
}

/*
 * tee op: tee(2) the 64 KiB a pipe holds into a second pipe (one page
 * reference per buffer), then splice the second pipe to /dev/null.
 */
static int wl_tee(double seconds, double *rate)
{
	int a[2], b[2], null;
	unsigned long ops = 0;
	char *buf;
	double t0;

	null = open("/dev/null", O_WRONLY);
	if (null < 0 || chunk_pipe(a) || chunk_pipe(b))
		return fail("tee setup");
	buf = calloc(1, CHUNK);
	if (!buf || write(a[1], buf, CHUNK) != (ssize_t)CHUNK)
		return fail("pipe write");
	free(buf);

	t0 = now();
	while (now() < t0 + seconds) {
		/* tee() does not consume: a retry would copy the start again */
		ssize_t n = tee(a[0], b[1], CHUNK, 0);

		if (n != (ssize_t)CHUNK) {
			if (n >= 0)
				errno = EAGAIN;
			return fail("tee");
		}
		if (splice_all(b[0], NULL, null, CHUNK))
			return fail("splice");
		ops++;
	}
	*rate = ops / (now() - t0);
	return 0;
}

/*
 * vmsplice op: vmsplice(2) 64 KiB of anonymous memory into a pipe (GUP
 * takes the page references) and read(2) it back out (they are dropped).
 */
static int wl_vmsplice(double seconds, double *rate)
{
	unsigned long ops = 0;
	char *src, *dst;
	double t0;
	int p[2];

	src = map_touched(false, CHUNK);
	dst = map_touched(false, CHUNK);
	if (src == MAP_FAILED || dst == MAP_FAILED || chunk_pipe(p))
		return fail("vmsplice setup");

	t0 = now();
	while (now() < t0 + seconds) {
		size_t done = 0;

		while (done < CHUNK) {
			struct iovec iov = { src + done, CHUNK - done };
			ssize_t n = vmsplice(p[1], &iov, 1, 0);
			ssize_t got = 0;

			if (n <= 0)
				return fail("vmsplice");
			while (got < n) {
				ssize_t r = read(p[0], dst + done + got, n - got);

				if (r <= 0)
					return fail("read");
				got += r;
			}
			done += n;
		}
		ops++;
	}
	*rate = ops / (now() - t0);
	return 0;
}

struct tcp_sink {
	int fd;
	unsigned long long total;	/* bytes received before EOF */
};

/* The receiving side of tcp_loopback: reads to EOF. */
static void *tcp_sink(void *arg)
{
	struct tcp_sink *sink = arg;
	char *buf = malloc(CHUNK);
	ssize_t n;

	while (buf && (n = recv(sink->fd, buf, CHUNK, 0)) > 0)
		sink->total += n;
	free(buf);
	return NULL;
}

/*
 * tcp_loopback op: 64 KiB sent over a connected 127.0.0.1 TCP socket and
 * received by a thread on the other end (skb page fragments carry page
 * references).  Counted from the bytes the receiver got, after it saw EOF.
 */
static int wl_tcp_loopback(double seconds, double *rate)
{
	struct tcp_sink sink = { .total = 0 };
	pthread_t th;
	char *buf;
	double t0;
	int cfd;

	if (tcp_loopback_pair(&cfd, &sink.fd))
		return fail("tcp setup");
	buf = calloc(1, CHUNK);
	if (!buf)
		return fail("calloc");
	errno = pthread_create(&th, NULL, tcp_sink, &sink);
	if (errno)
		return fail("pthread_create");

	t0 = now();
	while (now() < t0 + seconds) {
		size_t done = 0;

		while (done < CHUNK) {
			ssize_t n = send(cfd, buf + done, CHUNK - done, 0);

			if (n <= 0)
				return fail("send");
			done += n;
		}
	}
	shutdown(cfd, SHUT_WR);
	pthread_join(th, NULL);
	free(buf);
	*rate = (double)(sink.total / CHUNK) / (now() - t0);
	return 0;
}

/*
 * fork_populated op: fork(2) a process holding 64 MiB of populated 4 KiB
 * anonymous pages (fork takes a reference per page), the child exits at
 * once (they are dropped), the parent waits for it.
 */
static int wl_fork_populated(double seconds, double *rate)
{
	unsigned long ops = 0;
	double t0;

	if (map_touched(false, FORK_MEM) == MAP_FAILED)
		return fail("fork_populated setup");

	t0 = now();
	while (now() < t0 + seconds) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return fail("fork");
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return fail("waitpid");
		ops++;
	}
	*rate = ops / (now() - t0);
	return 0;
}

/*
 * process_vm_readv op: process_vm_readv(2) of 1 MiB of a child's populated
 * anonymous memory (remote GUP, a reference per page while copying).
 */
static int wl_process_vm_readv(double seconds, double *rate)
{
	int ready[2], hold[2], status;
	unsigned long ops = 0;
	char *remote, *local;
	double t0;
	pid_t pid;
	char c;

	remote = map_touched(false, VM_READ_LEN);
	local = map_touched(false, VM_READ_LEN);
	if (remote == MAP_FAILED || local == MAP_FAILED || pipe(ready) || pipe(hold))
		return fail("process_vm_readv setup");
	pid = fork();
	if (pid < 0)
		return fail("fork");
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(hold[1]);
		touch_pages(remote, VM_READ_LEN);	/* its own copies */
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		/* live until the parent closes its end */
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	if (read(ready[0], &c, 1) != 1)
		return fail("child setup");

	t0 = now();
	while (now() < t0 + seconds) {
		struct iovec l = { local, VM_READ_LEN }, r = { remote, VM_READ_LEN };

		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != (ssize_t)VM_READ_LEN)
			return fail("process_vm_readv");
		ops++;
	}
	*rate = ops / (now() - t0);
	close(hold[1]);
	waitpid(pid, &status, 0);
	return 0;
}

/* A 4 MiB file under /tmp opened with O_DIRECT, for when there is no device. */
static int open_direct_tmpfile(void)
{
	char path[] = "/tmp/workloads-odirect-XXXXXX";
	char *buf = calloc(1, CHUNK);
	unsigned long i;
	int fd, dfd;

	fd = mkstemp(path);
	if (fd < 0 || !buf)
		return -1;
	for (i = 0; i < ODIRECT_FILE / CHUNK; i++)
		if (write(fd, buf, CHUNK) != (ssize_t)CHUNK)
			break;
	free(buf);
	dfd = i == ODIRECT_FILE / CHUNK && !fsync(fd) ?
	      open(path, O_RDONLY | O_DIRECT) : -1;
	unlink(path);
	close(fd);
	return dfd;
}

/*
 * odirect op: one O_DIRECT pread(2) of 64 KiB into anonymous memory (the
 * block layer pins the user pages), at offsets that cycle through the
 * device (or the 4 MiB fallback file).
 */
static int wl_odirect(double seconds, double *rate)
{
	unsigned long ops = 0, nr;
	unsigned long long size;
	struct stat st;
	double t0;
	char *buf;
	int fd;

	fd = open(odirect_dev, O_RDONLY | O_DIRECT);
	if (fd < 0 && errno == ENOENT) {
		fprintf(stderr, "workloads: %s missing, reading a file in /tmp\n",
			odirect_dev);
		fd = open_direct_tmpfile();
	}
	if (fd < 0)
		return fail("O_DIRECT open");
	if (fstat(fd, &st))
		return fail("fstat");
	size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size))
		return fail("BLKGETSIZE64");
	nr = size / CHUNK;
	buf = map_touched(false, CHUNK);
	if (!nr || buf == MAP_FAILED) {
		errno = nr ? errno : ENOSPC;
		return fail("odirect setup");
	}

	t0 = now();
	while (now() < t0 + seconds) {
		off_t off = (off_t)(ops % nr) * CHUNK;

		if (pread(fd, buf, CHUNK, off) != (ssize_t)CHUNK)
			return fail("O_DIRECT pread");
		ops++;
	}
	*rate = ops / (now() - t0);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(double seconds, double *rate);
} workloads[] = {
	{ "pipe_splice", wl_pipe_splice },
	{ "tee", wl_tee },
	{ "vmsplice", wl_vmsplice },
	{ "tcp_loopback", wl_tcp_loopback },
	{ "fork_populated", wl_fork_populated },
	{ "process_vm_readv", wl_process_vm_readv },
	{ "odirect", wl_odirect },
};

#define NR_WORKLOADS	(sizeof(workloads) / sizeof(workloads[0]))

static void usage(void)
{
	fprintf(stderr, "usage: workloads <name> [--seconds S] [--rep R] [--dev D] [--label L]\n"
		"       workloads --list\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "rep", required_argument, NULL, 'r' },
		{ "dev", required_argument, NULL, 'd' },
		{ "label", required_argument, NULL, 'L' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	double seconds = 1.0, rate = 0;
	unsigned long rep = 1;
	const char *label = NULL;
	bool list = false;
	size_t i;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seconds = strtod(optarg, &end);
			if (end == optarg || *end || !(seconds > 0 && seconds <= 3600))
				usage();
			break;
		case 'r':
			errno = 0;
			rep = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !rep)
				usage();
			break;
		case 'd':
			odirect_dev = optarg;
			break;
		case 'L':
			label = optarg;
			break;
		case 'l':
			list = true;
			break;
		default:
			usage();
		}
	}
	if (list) {
		for (i = 0; i < NR_WORKLOADS; i++)
			printf("%s\n", workloads[i].name);
		return 0;
	}
	if (optind != argc - 1)
		usage();
	for (i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(argv[optind], workloads[i].name))
			break;
	if (i == NR_WORKLOADS)
		usage();

	/* A sink that goes away must fail a send, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (workloads[i].run(seconds, &rate)) {
		print_row("workload", workloads[i].name, label, rep, false, 0, 1, "ops/s");
		return 1;
	}
	print_row("workload", workloads[i].name, label, rep, true, rate, 1, "ops/s");
	return 0;
}
