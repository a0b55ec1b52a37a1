// SPDX-License-Identifier: GPL-2.0
/* devdax.c: helpers for the guest-side tests; see devdax.h. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "devdax.h"
#include "devmap_bench.h"
#include "gup_test.h"	/* mm/gup_test.h of the kernel tree */

#define DRV "/sys/bus/dax/drivers/device_dax"

/* A 0 or 1 of the environment: exit 2 if it is anything else. */
static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	if (v && (!strcmp(v, "0") || !strcmp(v, "1")))
		return v[0] == '1';
	fprintf(stderr, "%s must be 0 or 1 (guest.env, from host/experiment.py env)\n", name);
	exit(2);
}

const struct kernel *kernel(void)
{
	static const char *const holders[] = {
		[HOLDS_NOTHING] = "nothing",
		[HOLDS_MAPPING] = "mapping",
		[HOLDS_PAGE_REFERENCE] = "page-reference",
		[HOLDS_BUSY_PAGE] = "busy-page",
	};
	static struct kernel v;
	static bool known;
	const char *holds = getenv("DEVMAP_HOLDS");
	size_t i;

	if (known)
		return &v;
	for (i = 0; i < sizeof(holders) / sizeof(holders[0]); i++)
		if (holds && !strcmp(holds, holders[i]))
			break;
	if (i == sizeof(holders) / sizeof(holders[0])) {
		fprintf(stderr, "DEVMAP_HOLDS must be nothing, mapping, page-reference or busy-page"
			" (guest.env, from host/experiment.py env)\n");
		exit(2);
	}
	v.holds = i;
	v.name = getenv("DEVMAP_VARIANT") ? getenv("DEVMAP_VARIANT") : "?";
	v.dir = getenv("DEVMAP_KERNEL") ? getenv("DEVMAP_KERNEL") : "?";
	v.revokes = env_flag("DEVMAP_REVOKES");
	v.waits_for_refs = env_flag("DEVMAP_WAITS_FOR_REFS");
	v.open_race_fix = env_flag("DEVMAP_OPEN_RACE_FIX");
	v.patched = env_flag("DEVMAP_PATCHED");
	known = true;
	return &v;
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned long parse_count(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return 0;
	return v;
}

int parse_memory(const char *s, bool *devdax)
{
	if (!strcmp(s, "ordinary"))
		*devdax = false;
	else if (!strcmp(s, "devdax"))
		*devdax = true;
	else
		return -1;
	return 0;
}

void print_row(const char *group, const char *op, const char *memory,
	       unsigned long rep, bool ok, double value, int decimals,
	       const char *unit)
{
	printf("%s,%s%s%s,%lu,", group, op, memory ? ":" : "", memory ? memory : "", rep);
	if (ok)
		printf("%.*f,%s,ok\n", decimals, value, unit);
	else
		printf(",%s,failed\n", unit);
}

void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

int dax_bind(void)
{
	return dax_bound() ? 0 : write_str(DRV "/bind", "dax0.0");
}

int dax_unbind(void)
{
	return write_str(DRV "/unbind", "dax0.0");
}

bool dax_bound(void)
{
	return access(DRV "/dax0.0", F_OK) == 0;
}

/* An unsigned number from the device's sysfs directory, 0 if unreadable. */
static size_t dax_attr(const char *name)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/dax0.0/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

size_t dax_align(void)
{
	return dax_attr("align");
}

size_t dax_size(void)
{
	return dax_attr("size");
}

int dax_open(void)
{
	int i, fd = -1;

	/* devtmpfs creates the node asynchronously after bind */
	for (i = 0; i < 200 && fd < 0; i++) {
		fd = open(DAX_DEV, O_RDWR);
		if (fd < 0)
			sleep_s(0.01);
	}
	return fd;
}

void *dax_map(int fd, size_t len, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | flags, fd, 0);
}

void touch_pages(void *p, size_t len)
{
	volatile char *c = p;
	size_t i;

	for (i = 0; i < len; i += 4096)
		c[i] = 1;
}

void *map_touched(bool devdax, size_t len)
{
	void *p;
	int fd, err;

	if (!devdax) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		/* 4 KiB pages, as devdax-4K, whatever the THP setting */
		if (p != MAP_FAILED && madvise(p, len, MADV_NOHUGEPAGE)) {
			err = errno;
			munmap(p, len);
			errno = err;
			return MAP_FAILED;
		}
	} else {
		fd = dax_open();
		if (fd < 0)
			return MAP_FAILED;
		p = dax_map(fd, len, 0);
		err = errno;
		close(fd);	/* the mapping keeps the file */
		errno = err;
	}
	if (p != MAP_FAILED)
		touch_pages(p, len);
	return p;
}

int read_pins(struct pins *pins)
{
	FILE *f = fopen("/sys/kernel/debug/devmap_pins", "r");
	char line[256];
	int found = 0;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	pins->pins = pins->page_refs = 0;
	while (fgets(line, sizeof(line), f)) {
		long long p, r;
		char *s = strstr(line, "type=generic ");

		if (s && sscanf(s, "type=generic pins=%lld page_refs=%lld", &p, &r) == 2) {
			pins->pins += p;
			pins->page_refs += r;
			found = 1;
		}
	}
	fclose(f);
	/* An unbound device has no pgmap: nothing is held. */
	return found || !dax_bound() ? 1 : -1;
}

pid_t unbind_async(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		/*
		 * Not with the parent's files: where mappings hold the pgmap
		 * an open file of the device holds it too, and unbind would
		 * wait for its own.
		 */
		close_range(3, ~0U, 0);
		_exit(dax_unbind() ? 1 : 0);
	}
	return pid;
}

int bench_module_load(void)
{
	char path[256];
	int fd, ret;

	if (access(DEVMAP_BENCH_PATH, F_OK) == 0)
		return 0;
	snprintf(path, sizeof(path), "build/kernels/%s/bench-module/devmap_bench.ko",
		 kernel()->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret && errno != EEXIST ? -1 : 0;
}

int bench_ioctl(unsigned long cmd, struct devmap_bench_req *req)
{
	int fd = open(DEVMAP_BENCH_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, cmd, req);
	close(fd);
	return ret ? -1 : 0;
}

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

bool kmsg_wait(int kmsg_fd, const char *needle, double timeout_s)
{
	double end = now() + timeout_s;
	char rec[1024];

	do {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec) - 1);

		if (n > 0) {
			rec[n] = '\0';
			if (strstr(rec, needle))
				return true;
			continue;
		}
		/* EPIPE: records were overwritten; read on from the next */
		if (n < 0 && errno != EAGAIN && errno != EPIPE)
			return false;
		sleep_s(0.1);
	} while (now() < end);
	return false;
}

bool wait_child(pid_t pid, double timeout_s, int *status)
{
	double end = now() + timeout_s;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		if (r < 0)
			return false;
		sleep_s(0.01);
	} while (now() < end);
	return false;
}

int unbind_with_file_open(int *fd, double wait_s)
{
	pid_t unbinder = unbind_async();
	int status;

	if (unbinder < 0)
		return -1;
	if (kernel()->holds == HOLDS_MAPPING) {
		if (wait_child(unbinder, wait_s, &status) || close(*fd))
			return -1;
		*fd = -1;
	}
	if (!wait_child(unbinder, 10, &status))
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

char *hold_for_unbind(const char data[HOLD_LEN], int *pipe_rd)
{
	size_t len = dax_align();
	int fd = dax_open(), pfd[2];
	char *p = fd < 0 ? MAP_FAILED : dax_map(fd, len, 0);
	struct iovec iov = { p, HOLD_LEN };

	if (p == MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		return MAP_FAILED;
	}
	memcpy(p, data, HOLD_LEN);
	if (kernel()->waits_for_refs) {
		if (pipe(pfd) || vmsplice(pfd[1], &iov, 1, 0) != HOLD_LEN) {
			close(fd);
			return MAP_FAILED;
		}
		munmap(p, len);
		*pipe_rd = pfd[0];
		p = NULL;
	}
	/* otherwise the mapping holds the file */
	close(fd);
	return p;
}

int tcp_loopback_pair(int *tx, int *rx)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int err;

	*tx = *rx = -1;
	if (lfd < 0)
		return -1;
	if (!bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(lfd, 1) &&
	    !getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		*tx = socket(AF_INET, SOCK_STREAM, 0);
		if (*tx >= 0 && !connect(*tx, (struct sockaddr *)&sa, sizeof(sa)))
			*rx = accept(lfd, NULL, NULL);
	}
	err = errno;
	close(lfd);
	if (*rx < 0 && *tx >= 0) {
		close(*tx);
		*tx = -1;
	}
	errno = err;
	return *rx < 0 ? -1 : 0;
}

int gup_test_open(void)
{
	return open("/sys/kernel/debug/gup_test", O_RDWR);
}

int pin_longterm_start(int gup_fd, void *addr, size_t len)
{
	struct pin_longterm_test t = {
		.addr = (unsigned long)addr,
		.size = len,
		.flags = PIN_LONGTERM_TEST_FLAG_USE_WRITE,
	};

	return ioctl(gup_fd, PIN_LONGTERM_TEST_START, &t) ? -errno : 0;
}

int pin_longterm_stop(int gup_fd)
{
	return ioctl(gup_fd, PIN_LONGTERM_TEST_STOP) ? -errno : 0;
}
