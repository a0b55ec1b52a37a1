// SPDX-License-Identifier: GPL-2.0
/*
 * hotpath.c: userspace driver of bench/module (devmap_bench.ko): times
 * get_page/put_page, folio_get/folio_put and pin/unpin pairs on one page.
 *
 * Usage: hotpath --memory ordinary|devdax [--label L] [--reps R] [--iters N]
 * Input: one touched page, anonymous (ordinary) or of /dev/dax0.0 (devdax);
 * the module's /sys/kernel/debug/devmap_bench.  pin_unpin and pin_unpin_idle
 * (the same with no other pin on the page) run N/10 pairs, as each one walks
 * the page tables.
 * Output: per op and rep `hotpath,<op>:<label>,<rep>,<ns/pair>,ns/pair,ok`,
 * the module's time for N pairs less that of N turns of an empty loop,
 * divided by N (on the instruction clock, ns are instructions)
 * (or `failed` with an empty value).  Exit 1 on setup failure or if a
 * measurement failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devdax.h"
#include "module/devmap_bench.h"

static const char *const op_names[DEVMAP_BENCH_NR_OPS] = {
	[DEVMAP_BENCH_GET_PUT_PAGE] = "get_put_page",
	[DEVMAP_BENCH_FOLIO_GET_PUT] = "folio_get_put",
	[DEVMAP_BENCH_PIN_UNPIN] = "pin_unpin",
	[DEVMAP_BENCH_PIN_UNPIN_IDLE] = "pin_unpin_idle",
};

static void usage(void)
{
	fprintf(stderr, "usage: hotpath --memory ordinary|devdax [--label L] [--reps R]"
		" [--iters N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "memory", required_argument, NULL, 'm' },
		{ "label", required_argument, NULL, 'l' },
		{ "reps", required_argument, NULL, 'r' },
		{ "iters", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *memory = NULL, *label = NULL;
	unsigned long reps = 5, iters = 200000;
	unsigned long rep;
	int c, fd, op, failed = 0;
	bool devdax;
	size_t len;
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
		case 'n':
			iters = parse_count(optarg, DEVMAP_BENCH_MAX_ITERS);
			if (!iters)
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

	len = devdax ? dax_align() : 4096;
	if (!len) {
		fprintf(stderr, "hotpath: %s: cannot read its alignment (no device?)\n",
			DAX_DEV);
		return 1;
	}
	p = map_touched(devdax, len);
	if (p == MAP_FAILED) {
		fprintf(stderr, "hotpath: mapping %s: %s\n",
			devdax ? DAX_DEV : "anonymous memory", strerror(errno));
		return 1;
	}
	fd = open(DEVMAP_BENCH_PATH, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "hotpath: %s: %s (is devmap_bench.ko loaded?)\n",
			DEVMAP_BENCH_PATH, strerror(errno));
		return 1;
	}

	for (op = 0; op < DEVMAP_BENCH_NR_OPS; op++) {
		unsigned long n = iters;

		if (op == DEVMAP_BENCH_PIN_UNPIN || op == DEVMAP_BENCH_PIN_UNPIN_IDLE)
			n = iters / 10 ? iters / 10 : 1;
		for (rep = 1; rep <= reps; rep++) {
			struct devmap_bench_req req = {
				.addr = (unsigned long)p,
				.op = op,
				.iters = n,
			};

			if (ioctl(fd, DEVMAP_BENCH_RUN, &req)) {
				fprintf(stderr, "hotpath: %s: %s\n", op_names[op],
					strerror(errno));
				print_row("hotpath", op_names[op], label, rep, false, 0, 2,
					  "ns/pair");
				failed = 1;
				continue;
			}
			/* the module's empty loop of as many turns is overhead */
			print_row("hotpath", op_names[op], label, rep, true,
				  ((double)req.ns - (double)req.empty_ns) / n, 2, "ns/pair");
		}
	}
	close(fd);
	munmap(p, len);
	return failed;
}
