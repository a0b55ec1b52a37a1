// SPDX-License-Identifier: GPL-2.0
/*
 * unbind_latency.c: one timed unbind of /dev/dax0.0 per invocation, in a
 * given scenario; the device is bound again before exit.
 *
 * Usage: unbind_latency --scenario S [--rep R], S one of
 *   idle          bound, nothing mapped
 *   maps=N        a holder maps N regions of the device's alignment (at
 *                 offsets wrapping around the device), unmaps them 200 ms
 *                 after the unbind starts or at its first SIGBUS
 *   inflight=D    a holder pins 64 KiB of its mapping long-term, drops the
 *                 pin D ms after the unbind starts, then unmaps (a known
 *                 use-after-free where unbind waits for nothing: the plan,
 *                 host/experiment.py, skips it there; this program does
 *                 not check)
 *   gup_race      a holder loops PIN_FAST_BENCHMARK over 2 MiB of its
 *                 mapping, until a call fails or 200 ms after the unbind
 *                 starts, then unmaps
 * Holders unmap on their own because where mappings hold the pgmap (coarse)
 * unbind waits for the last mapping.  Input: /dev/dax0.0 and, for inflight
 * and gup_race, /sys/kernel/debug/gup_test.
 * Output: `unbind,<S>,<R>,<ms>,ms,ok`, the CLOCK_MONOTONIC time of the
 * unbind write, or `failed` with an empty value (then exit 1).  The
 * unbinding thread is named u:<S> (15 chars at most) for bpftrace.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "devdax.h"
#include "gup_test.h"

#define HOLD_AFTER_START	0.2		/* s a holder keeps mappings */
#define PIN_LEN			(64UL << 10)
#define RACE_LEN		(2UL << 20)
#define SETUP_TIMEOUT		30.0		/* s */
#define UNBIND_TIMEOUT		30.0		/* s, beyond inflight's delay */

enum kind { IDLE, MAPS, INFLIGHT, GUP_RACE };

struct scenario {
	enum kind kind;
	unsigned long arg;		/* N of maps=N, D of inflight=D */
	char name[32];			/* as printed, normalised */
};

/* Shared between the unbinding thread and the holder child. */
struct ctl {
	atomic_int ready;		/* holder: 1 set up, -1 failed */
	atomic_int started;		/* unbinder: the unbind write starts */
	atomic_llong start_ns;		/* unbinder: now() then, in ns */
	atomic_int stop;		/* parent: clean up and exit now */
	atomic_long race_calls;		/* gup_race calls after the start */
};

struct unbinder {
	struct ctl *ctl;
	char comm[16];
	int err;
	double ms;
};

static sigjmp_buf bus_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_env, 1);
}

static void usage(void)
{
	fprintf(stderr, "usage: unbind_latency --scenario idle|maps=N|inflight=D|gup_race"
		" [--rep R]\n");
	exit(2);
}

static unsigned long parse_ul(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

static void parse_scenario(const char *s, struct scenario *sc)
{
	if (!strcmp(s, "idle")) {
		sc->kind = IDLE;
		snprintf(sc->name, sizeof(sc->name), "idle");
	} else if (!strncmp(s, "maps=", 5)) {
		sc->kind = MAPS;
		/* stay well below vm.max_map_count */
		sc->arg = parse_ul(s + 5, 1, 60000);
		snprintf(sc->name, sizeof(sc->name), "maps=%lu", sc->arg);
	} else if (!strncmp(s, "inflight=", 9)) {
		sc->kind = INFLIGHT;
		sc->arg = parse_ul(s + 9, 0, 600000);
		snprintf(sc->name, sizeof(sc->name), "inflight=%lu", sc->arg);
	} else if (!strcmp(s, "gup_race")) {
		sc->kind = GUP_RACE;
		snprintf(sc->name, sizeof(sc->name), "gup_race");
	} else {
		usage();
	}
}

static size_t round_up(size_t x, size_t align)
{
	return (x + align - 1) / align * align;
}

/* Start time of the unbind once it starts, or -1 if told to stop first. */
static double wait_started(struct ctl *ctl)
{
	while (!atomic_load(&ctl->started)) {
		if (atomic_load(&ctl->stop))
			return -1;
		sleep_s(0.001);
	}
	return atomic_load(&ctl->start_ns) / 1e9;
}

/* One region of @len bytes at @off, from its own open file: no two merge. */
static void *map_region(size_t len, off_t off)
{
	int fd = dax_open();
	void *p;

	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	close(fd);
	if (p != MAP_FAILED)
		touch_pages(p, len);
	return p;
}

static int holder_maps(struct ctl *ctl, unsigned long n, size_t align)
{
	size_t span = dax_size() / align * align;
	struct sigaction sa = { .sa_handler = on_sigbus };
	char **maps = calloc(n, sizeof(*maps));
	unsigned long i;
	double t0;

	if (!maps || !span)
		return -1;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++) {
		maps[i] = map_region(align, (off_t)((i * align) % span));
		if (maps[i] == MAP_FAILED) {
			fprintf(stderr, "unbind_latency: map %lu: %s\n", i, strerror(errno));
			return -1;
		}
	}
	if (sigaction(SIGBUS, &sa, NULL))
		return -1;
	atomic_store(&ctl->ready, 1);

	t0 = wait_started(ctl);
	/* Probe until revoked (SIGBUS) or the hold time is over. */
	if (t0 >= 0) {
		if (!sigsetjmp(bus_env, 1)) {
			while (!atomic_load(&ctl->stop) && now() < t0 + HOLD_AFTER_START) {
				(void)*(volatile char *)maps[0];
				sleep_s(0.001);
			}
			fprintf(stderr, "unbind_latency: holder unmaps, no SIGBUS\n");
		} else {
			fprintf(stderr, "unbind_latency: holder unmaps on SIGBUS, %.1f ms in\n",
				(now() - t0) * 1e3);
		}
	}
	for (i = 0; i < n; i++)
		munmap(maps[i], align);
	return 0;
}

static int holder_inflight(struct ctl *ctl, unsigned long delay_ms, size_t align)
{
	size_t len = round_up(PIN_LEN, align);
	int gup_fd = gup_test_open(), err;
	char *p = map_region(len, 0);
	double t0;

	if (gup_fd < 0 || p == MAP_FAILED) {
		fprintf(stderr, "unbind_latency: inflight setup: %s\n", strerror(errno));
		return -1;
	}
	err = pin_longterm_start(gup_fd, p, PIN_LEN);
	if (err) {
		fprintf(stderr, "unbind_latency: long-term pin: %s\n", strerror(-err));
		return -1;
	}
	atomic_store(&ctl->ready, 1);

	t0 = wait_started(ctl);
	if (t0 >= 0)
		while (!atomic_load(&ctl->stop) && now() < t0 + delay_ms / 1e3)
			sleep_s(0.001);
	pin_longterm_stop(gup_fd);
	munmap(p, len);
	close(gup_fd);
	return 0;
}

/* One PIN_FAST_BENCHMARK over [p, p + len); gup_test stops quietly if short. */
static bool pin_fast(int gup_fd, void *p, size_t len)
{
	struct gup_test g = {
		.addr = (unsigned long)p,
		.size = len,
		.nr_pages_per_call = 512,
		.gup_flags = 1,		/* FOLL_WRITE */
	};

	return !ioctl(gup_fd, PIN_FAST_BENCHMARK, &g) && g.size == len;
}

static int holder_gup_race(struct ctl *ctl, size_t align)
{
	size_t len = round_up(RACE_LEN, align);
	int gup_fd = gup_test_open();
	char *p = map_region(len, 0);

	if (gup_fd < 0 || p == MAP_FAILED) {
		fprintf(stderr, "unbind_latency: gup_race setup: %s\n", strerror(errno));
		return -1;
	}
	if (!pin_fast(gup_fd, p, len)) {
		fprintf(stderr, "unbind_latency: gup_race: PIN_FAST_BENCHMARK failed\n");
		return -1;
	}
	atomic_store(&ctl->ready, 1);

	while (!atomic_load(&ctl->stop)) {
		bool ok = pin_fast(gup_fd, p, len);

		/* failures are expected once the mapping is revoked */
		if (atomic_load(&ctl->started)) {
			atomic_fetch_add(&ctl->race_calls, 1);
			if (!ok || now() >= atomic_load(&ctl->start_ns) / 1e9 +
					    HOLD_AFTER_START)
				break;
		}
	}
	munmap(p, len);
	close(gup_fd);
	return 0;
}

static pid_t start_holder(const struct scenario *sc, struct ctl *ctl, size_t align)
{
	pid_t pid = fork();
	int ret = -1;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	switch (sc->kind) {
	case MAPS:
		ret = holder_maps(ctl, sc->arg, align);
		break;
	case INFLIGHT:
		ret = holder_inflight(ctl, sc->arg, align);
		break;
	case GUP_RACE:
		ret = holder_gup_race(ctl, align);
		break;
	case IDLE:
		break;
	}
	if (ret)
		atomic_store(&ctl->ready, -1);
	_exit(ret ? 1 : 0);
}

static bool holder_ready(struct ctl *ctl, pid_t holder)
{
	double end = now() + SETUP_TIMEOUT;
	int status;

	while (!atomic_load(&ctl->ready) && now() < end) {
		if (waitpid(holder, &status, WNOHANG) == holder) {
			atomic_store(&ctl->ready, -1);
			break;
		}
		sleep_s(0.01);
	}
	return atomic_load(&ctl->ready) == 1;
}

static void *unbind_thread(void *arg)
{
	struct unbinder *u = arg;
	double t0;

	/* bpftrace tells the phases of this unbind apart by this name */
	prctl(PR_SET_NAME, u->comm);
	t0 = now();
	atomic_store(&u->ctl->start_ns, (long long)(t0 * 1e9));
	atomic_store(&u->ctl->started, 1);
	u->err = dax_unbind();
	u->ms = (now() - t0) * 1e3;
	return NULL;
}

/* Bound again, and the node opens: the next run starts where this one did. */
static int rebind(void)
{
	int fd, err = dax_bind();

	if (err) {
		fprintf(stderr, "unbind_latency: bind: %s\n", strerror(-err));
		return -1;
	}
	fd = dax_open();
	if (fd < 0) {
		fprintf(stderr, "unbind_latency: %s after bind: %s\n", DAX_DEV,
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct scenario sc = { .kind = IDLE };
	const char *scenario = NULL;
	struct unbinder u = { .err = 0 };
	bool measured = false;
	unsigned long rep = 1;
	struct timespec deadline;
	struct ctl *ctl;
	pid_t holder = 0;
	pthread_t th;
	int i, status, fd, err, ret = 0;
	size_t align;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scenario") && i + 1 < argc)
			scenario = argv[++i];
		else if (!strcmp(argv[i], "--rep") && i + 1 < argc)
			rep = parse_ul(argv[++i], 1, ~0UL);
		else
			usage();
	}
	if (!scenario)
		usage();
	parse_scenario(scenario, &sc);
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = dax_bind();
	if (err) {
		fprintf(stderr, "unbind_latency: binding dax0.0: %s\n", strerror(-err));
		return 1;
	}
	fd = dax_open();
	if (fd < 0) {
		fprintf(stderr, "unbind_latency: %s: %s\n", DAX_DEV, strerror(errno));
		return 1;
	}
	close(fd);		/* only mappings are to hold the device */
	align = dax_align();
	if (!align) {
		fprintf(stderr, "unbind_latency: %s: cannot read its alignment\n", DAX_DEV);
		return 1;
	}

	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctl == MAP_FAILED) {
		perror("unbind_latency: mmap");
		return 1;
	}
	if (sc.kind != IDLE) {
		holder = start_holder(&sc, ctl, align);
		if (holder < 0 || !holder_ready(ctl, holder)) {
			fprintf(stderr, "unbind_latency: %s: holder setup failed\n", sc.name);
			ret = 1;
			goto reap;
		}
	}

	u.ctl = ctl;
	/* comm holds 15 chars: "u:" and 13 of the name (inflight=1000) */
	snprintf(u.comm, sizeof(u.comm), "u:%.13s", sc.name);
	err = pthread_create(&th, NULL, unbind_thread, &u);
	if (err) {
		fprintf(stderr, "unbind_latency: pthread_create: %s\n", strerror(err));
		ret = 1;
		goto reap;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)UNBIND_TIMEOUT +
			   (sc.kind == INFLIGHT ? (time_t)(sc.arg / 1000 + 1) : 0);
	if (pthread_clockjoin_np(th, NULL, CLOCK_MONOTONIC, &deadline)) {
		/* A holder that never lets go: kill it, so that unbind ends. */
		fprintf(stderr, "unbind_latency: %s: unbind still blocked, killing the holder\n",
			sc.name);
		if (holder > 0)
			kill(holder, SIGKILL);
		pthread_join(th, NULL);
		u.err = -ETIMEDOUT;
	}
	measured = true;
	if (u.err)
		fprintf(stderr, "unbind_latency: %s: unbind: %s\n", sc.name,
			strerror(-u.err));
	if (sc.kind == GUP_RACE)
		fprintf(stderr, "unbind_latency: gup_race: %ld pin calls after the start\n",
			atomic_load(&ctl->race_calls));

reap:
	atomic_store(&ctl->stop, 1);
	if (holder > 0 && !wait_child(holder, SETUP_TIMEOUT, &status)) {
		kill(holder, SIGKILL);
		waitpid(holder, &status, 0);
	}
	if (rebind())
		ret = 1;
	if (measured)
		print_row("unbind", sc.name, NULL, rep, !u.err, u.ms, 3, "ms");
	return ret || u.err ? 1 : 0;
}
