/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devdax.h: what the guest-side tests and benchmarks share about /dev/dax0.0: binding,
 * mapping, timing, and reading the pin balance the patches expose in
 * /sys/kernel/debug/devmap_pins; the loopback TCP connection that the
 * tcp_loopback workload and test_skb_defer send through; and the benchmarks'
 * row writer.  What the kernel under test does comes from the DEVMAP_*
 * names of guest.env (host/vm.sh, from host/experiment.py env; see
 * bench/FORMAT.md), which guest/init.sh exports: a program branches on that
 * behaviour, never on the variant's name.
 */
#ifndef DEVDAX_H
#define DEVDAX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define DAX_DEV "/dev/dax0.0"

/* What holds a device-dax pgmap while its pages are in use: DEVMAP_HOLDS. */
enum holder {
	HOLDS_NOTHING,		/* "nothing": unbind waits for nothing */
	HOLDS_MAPPING,		/* "mapping": every mapping and open file */
	HOLDS_PAGE_REFERENCE,	/* "page-reference": every page reference */
	HOLDS_BUSY_PAGE,	/* "busy-page": every page with any reference */
};

/* The kernel under test, by what its policy does (guest.env). */
struct kernel {
	const char *name;	/* DEVMAP_VARIANT: for messages only */
	const char *dir;	/* DEVMAP_KERNEL: build/kernels/<dir>, its module */
	enum holder holds;	/* DEVMAP_HOLDS */
	bool revokes;		/* DEVMAP_REVOKES: unbind revokes the mappings */
	/* DEVMAP_WAITS_FOR_REFS: unbind waits for references that outlived them */
	bool waits_for_refs;
	/* DEVMAP_OPEN_RACE_FIX: open() and a file across unbind/bind are safe */
	bool open_race_fix;
	bool patched;		/* DEVMAP_PATCHED: built from the series */
};

/*
 * The kernel under test, read from the environment once; a missing or
 * unknown DEVMAP_* value ends the program (exit 2).  (Not "variant": the
 * kselftest harness names its fixture variants so.)
 */
const struct kernel *kernel(void);

/*
 * What /sys/kernel/debug/devmap_pins reads.  The policy holds one pin per
 * open file where mappings hold the pgmap, one per page reference where
 * page references do, one per busy folio (a folio with any reference)
 * where busy pages do.
 */
struct pins {
	long long pins;		/* references the policy holds */
	long long page_refs;	/* page references beyond the idle count */
};

double now(void);
/* A decimal count in 1..max, or 0 if @s is not one. */
unsigned long parse_count(const char *s, unsigned long max);
/* "ordinary" or "devdax" into *devdax; -1 for anything else. */
int parse_memory(const char *s, bool *devdax);

/*
 * One row of a benchmark's output on stdout, as bench/FORMAT.md has it
 * (group,case,rep,value,unit,status; the host adds variant and trial):
 * @value with @decimals decimals and status ok, or, unless @ok, an empty
 * value and status failed.  The case is @op, or @op:@memory if @memory.
 */
void print_row(const char *group, const char *op, const char *memory,
	       unsigned long rep, bool ok, double value, int decimals,
	       const char *unit);
void sleep_s(double s);

/* Write @s to the file at @path (sysfs): 0, or -errno with errno set. */
int write_str(const char *path, const char *s);
int dax_bind(void);
int dax_unbind(void);
bool dax_bound(void);
size_t dax_align(void);
size_t dax_size(void);
int dax_open(void);
void *dax_map(int fd, size_t len, int flags);

/* Write one byte per 4 KiB of [p, p + len), so every page is mapped. */
void touch_pages(void *p, size_t len);
/*
 * @len bytes of private anonymous memory in 4 KiB pages, or of DAX_DEV if
 * @devdax, with every page touched; MAP_FAILED and errno set on error.
 */
void *map_touched(bool devdax, size_t len);

/* 1 and *pins filled if the kernel exposes them, 0 if not, -1 on error. */
int read_pins(struct pins *pins);

/*
 * devmap_bench.ko of the kernel under test
 * (build/kernels/<variant>/bench-module, which tests/run-functional.sh
 * builds), loaded once: 0, or -1 with errno set.
 */
int bench_module_load(void);
struct devmap_bench_req;
/* ioctl @cmd of devmap_bench.h on @req: 0, or -1 with errno set. */
int bench_ioctl(unsigned long cmd, struct devmap_bench_req *req);

/*
 * The kernel log from now on (/dev/kmsg, positioned at its end): -1 on
 * error.  kmsg_wait() reads it for up to @timeout_s until a record holds
 * @needle; true if one did.
 */
int kmsg_open(void);
bool kmsg_wait(int kmsg_fd, const char *needle, double timeout_s);

/*
 * Child that runs dax_unbind(), holding none of the caller's files (where
 * mappings hold the pgmap, unbind waits for every open file of the device);
 * exit status 0 on success.
 */
pid_t unbind_async(void);
/* Wait up to @timeout_s for @pid; true and *status set if it exited. */
bool wait_child(pid_t pid, double timeout_s, int *status);
/*
 * Unbind while *@fd, an open file of the device, is kept open.  Where
 * mappings (and so open files) hold the pgmap, unbind waits for every open
 * file: it must still be waiting after @wait_s, and *@fd is then closed (and
 * set to -1) to let it finish.  0 once unbind succeeded within 10 s, -1 if
 * any of that failed.
 */
int unbind_with_file_open(int *fd, double wait_s);

/*
 * Keep what the policy's unbind waits for, on the device's first HOLD_LEN
 * bytes once @data is copied into them: where unbind waits for page
 * references, a pipe holding those bytes vmspliced, their mapping gone
 * (NULL returned, the pipe's read end in *@pipe_rd); otherwise their
 * mapping, which holds the file (returned).
 * MAP_FAILED on error.  For a process that then stays alive.
 */
#define HOLD_LEN 4096
char *hold_for_unbind(const char data[HOLD_LEN], int *pipe_rd);

/*
 * A TCP connection over 127.0.0.1: *tx is the connecting end, *rx the
 * accepted one (the listener is closed).  0, or -1 with errno set and
 * neither open.
 */
int tcp_loopback_pair(int *tx, int *rx);

/* The pgmap GUP test interface (CONFIG_GUP_TEST), as in mm/gup_test.h. */
int gup_test_open(void);
int pin_longterm_start(int gup_fd, void *addr, size_t len);
int pin_longterm_stop(int gup_fd);

#endif
