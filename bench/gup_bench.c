// SPDX-License-Identifier: GPL-2.0
/*
 * gup_bench.c: GUP throughput through CONFIG_GUP_TEST: GUP_FAST_BENCHMARK
 * (get_user_pages_fast + put_page) and PIN_FAST_BENCHMARK
 * (pin_user_pages_fast + unpin_user_pages) over a touched region.
 *
 * Usage: gup_bench --memory ordinary|devdax [--label L] [--reps R] [--size-mb M]
 * Input: M MiB (default 32; rounded up to the device alignment for devdax)
 * of anonymous memory (4 KiB pages) or of /dev/dax0.0; the debugfs gup_test.
 * Output: per rep `gup,gup_fast:<label>,<rep>,<pages/s>,pages/s,ok` and the
 * same for pin_fast (`failed` with an empty value if a call failed or came
 * up short).  Exit 1 on setup failure or if a measurement failed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devdax.h"
#include "gup_test.h"

static void usage(void)
{
	fprintf(stderr, "usage: gup_bench --memory ordinary|devdax [--label L] [--reps R]"
		" [--size-mb M]\n");
	exit(2);
}

/* One benchmark call; pages/s into *rate, or -1 if it failed. */
static int gup_rate(int gup_fd, unsigned long cmd, void *p, size_t len, double *rate)
{
	struct gup_test gup = {
		.addr = (unsigned long)p,
		.size = len,
		.nr_pages_per_call = 512,
		.gup_flags = 1,		/* FOLL_WRITE */
	};
	double usec;

	if (ioctl(gup_fd, cmd, &gup)) {
		fprintf(stderr, "gup_bench: ioctl: %s\n", strerror(errno));
		return -1;
	}
	/* gup_test stops quietly at the first page it cannot get */
	if (gup.size != len) {
		fprintf(stderr, "gup_bench: got %llu of %zu bytes\n",
			(unsigned long long)gup.size, len);
		return -1;
	}
	/* Counts both halves: a page is done once it is got and put back. */
	usec = (double)gup.get_delta_usec + (double)gup.put_delta_usec;
	if (usec <= 0) {
		fprintf(stderr, "gup_bench: too fast to time, use a larger --size-mb\n");
		return -1;
	}
	*rate = (double)(len / 4096) / usec * 1e6;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "memory", required_argument, NULL, 'm' },
		{ "label", required_argument, NULL, 'l' },
		{ "reps", required_argument, NULL, 'r' },
		{ "size-mb", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct {
		const char *name;
		unsigned long cmd;
	} ops[] = {
		{ "gup_fast", GUP_FAST_BENCHMARK },
		{ "pin_fast", PIN_FAST_BENCHMARK },
	};
	const char *memory = NULL, *label = NULL;
	unsigned long reps = 5, rep, size_mb = 32;
	int c, gup_fd, failed = 0;
	size_t len, align, i;
	bool devdax;
	void *p;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			memory = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'r':
			reps = parse_count(optarg, 1000000);
			if (!reps)
				usage();
			break;
		case 's':
			size_mb = parse_count(optarg, 1UL << 20);
			if (!size_mb)
				usage();
			break;
		default:
			usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* rows survive a crash */
	if (optind != argc || !memory)
		usage();
	if (parse_memory(memory, &devdax))
		usage();
	if (!label)
		label = memory;

	len = size_mb << 20;
	if (devdax) {
		align = dax_align();
		if (!align) {
			fprintf(stderr, "gup_bench: %s: cannot read its alignment (no device?)\n",
				DAX_DEV);
			return 1;
		}
		len = (len + align - 1) / align * align;
	}
	p = map_touched(devdax, len);
	if (p == MAP_FAILED) {
		fprintf(stderr, "gup_bench: mapping %zu bytes of %s: %s\n", len,
			devdax ? DAX_DEV : "anonymous memory", strerror(errno));
		return 1;
	}
	gup_fd = gup_test_open();
	if (gup_fd < 0) {
		fprintf(stderr, "gup_bench: /sys/kernel/debug/gup_test: %s\n", strerror(errno));
		return 1;
	}

	/* Alternate the two ops so that drift affects both alike. */
	for (rep = 1; rep <= reps; rep++) {
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			double rate = 0;
			bool ok = !gup_rate(gup_fd, ops[i].cmd, p, len, &rate);

			if (!ok)
				failed = 1;
			print_row("gup", ops[i].name, label, rep, ok, rate, 0, "pages/s");
		}
	}
	close(gup_fd);
	munmap(p, len);
	return failed;
}
