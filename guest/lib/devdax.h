/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devdax.h: what the guest-side tests and benchmarks share about /dev/dax0.0: binding,
 * mapping, timing, and reading the pin balance the patches expose in
 * /sys/kernel/debug/devmap_pins; and the loopback TCP connection that the
 * tcp_loopback workload and test_skb_defer send through.  The policy under test comes from
 * DEVMAP_POLICY (baseline, coarse, fine or busy), set by tests/run-functional.sh.
 */
#ifndef DEVDAX_H
#define DEVDAX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define DAX_DEV "/dev/dax0.0"

enum policy { POLICY_BASELINE, POLICY_COARSE, POLICY_FINE, POLICY_BUSY };

/*
 * What /sys/kernel/debug/devmap_pins reads.  The policy holds one pin per
 * open file under coarse, one per page reference under fine, one per busy
 * folio (a folio with any reference) under busy.
 */
struct pins {
	long long pins;		/* references the policy holds */
	long long page_refs;	/* page references beyond the idle count */
};

enum policy policy(void);
const char *policy_name(void);
/* Whether unbind waits for page references in flight (fine, busy). */
bool policy_waits_for_refs(void);
double now(void);
/* A decimal count in 1..max, or 0 if @s is not one. */
unsigned long parse_count(const char *s, unsigned long max);
/* "ordinary" or "devdax" into *devdax; -1 for anything else. */
int parse_memory(const char *s, bool *devdax);
void sleep_s(double s);

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
 * The kernel log from now on (/dev/kmsg, positioned at its end): -1 on
 * error.  kmsg_wait() reads it for up to @timeout_s until a record holds
 * @needle; true if one did.
 */
int kmsg_open(void);
bool kmsg_wait(int kmsg_fd, const char *needle, double timeout_s);

/*
 * Child that runs dax_unbind(), holding none of the caller's files (a coarse
 * unbind waits for every open file of the device); exit status 0 on success.
 */
pid_t unbind_async(void);
/* Wait up to @timeout_s for @pid; true and *status set if it exited. */
bool wait_child(pid_t pid, double timeout_s, int *status);
/*
 * Unbind while *@fd, an open file of the device, is kept open.  A coarse
 * unbind waits for every open file: under coarse it must still be waiting
 * after @wait_s, and *@fd is then closed (and set to -1) to let it finish.
 * 0 once unbind succeeded within 10 s, -1 if any of that failed.
 */
int unbind_with_file_open(int *fd, double wait_s);

/*
 * Keep what the policy's unbind waits for, on the device's first HOLD_LEN
 * bytes once @data is copied into them: under fine and busy a pipe
 * holding those bytes vmspliced, their mapping gone (NULL returned, the
 * pipe's read end in *@pipe_rd); otherwise their mapping, which holds the
 * file (returned).
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
