// SPDX-License-Identifier: GPL-2.0
/* devdax.c: helpers for the guest-side tests; see devdax.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "devdax.h"
#include "gup_test.h"	/* mm/gup_test.h of the kernel tree */

#define DRV "/sys/bus/dax/drivers/device_dax"

enum policy policy(void)
{
	const char *p = getenv("DEVMAP_POLICY");

	if (p && !strcmp(p, "coarse"))
		return POLICY_COARSE;
	if (p && !strcmp(p, "fine"))
		return POLICY_FINE;
	if (p && !strcmp(p, "baseline"))
		return POLICY_BASELINE;
	fprintf(stderr, "DEVMAP_POLICY must be baseline, coarse or fine\n");
	exit(2);
}

const char *policy_name(void)
{
	static const char *const names[] = { "baseline", "coarse", "fine" };

	return names[policy()];
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int write_str(const char *path, const char *s)
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

size_t dax_align(void)
{
	FILE *f = fopen("/sys/bus/dax/devices/dax0.0/align", "r");
	unsigned long a = 0;

	if (f) {
		if (fscanf(f, "%lu", &a) != 1)
			a = 0;
		fclose(f);
	}
	return a;
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

	if (pid == 0)
		_exit(dax_unbind() ? 1 : 0);
	return pid;
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
