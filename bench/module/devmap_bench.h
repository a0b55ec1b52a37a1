/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * devmap_bench.h: ioctl ABI of devmap_bench.ko, shared by the module and
 * bench/hotpath.c.  Input: a user address of a mapped, touched page, an op
 * and an iteration count.  Output: the total ns the iterations took and
 * the ns of as many turns of an empty loop, both timed with interrupts off.
 */
#ifndef DEVMAP_BENCH_H
#define DEVMAP_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DEVMAP_BENCH_PATH	"/sys/kernel/debug/devmap_bench"

enum devmap_bench_op {
	DEVMAP_BENCH_GET_PUT_PAGE = 0,	/* get_page() + put_page() */
	DEVMAP_BENCH_FOLIO_GET_PUT = 1,	/* folio_get() + folio_put() */
	DEVMAP_BENCH_PIN_UNPIN = 2,	/* pin_user_pages_fast() + unpin_user_page() */
	/*
	 * The same with no other pin on the page while timed: the only pair
	 * that takes a device-dax page from idle to busy and back under
	 * DEVMAP_PIN_BUSY.  The other ops time a page the module has pinned.
	 */
	DEVMAP_BENCH_PIN_UNPIN_IDLE = 3,
	DEVMAP_BENCH_NR_OPS
};

/* Keeps one call well below the soft lockup threshold, even under TCG. */
#define DEVMAP_BENCH_MAX_ITERS	(1U << 22)

struct devmap_bench_req {
	__u64 addr;	/* in: user address of the page */
	__u32 op;	/* in: enum devmap_bench_op */
	__u32 iters;	/* in: pairs to time, 1..DEVMAP_BENCH_MAX_ITERS */
	__u64 ns;	/* out: ns the iters pairs took in total */
	__u64 empty_ns;	/* out: ns as many turns of an empty loop took */
};

#define DEVMAP_BENCH_RUN	_IOWR('D', 0xb0, struct devmap_bench_req)

/*
 * A test aid, not a timing: req.iters get/put pairs on the page at
 * req.addr while nothing but its mapping holds it, as a page table walker
 * outside GUP makes them (madvise(MADV_COLD) on a devmap PMD on arm64,
 * riscv or loongarch).  req.op is ignored; req.ns and req.empty_ns are 0.
 */
#define DEVMAP_BENCH_STRAY	_IOWR('D', 0xb1, struct devmap_bench_req)

/*
 * A test aid, not a timing: req.ns is the reference count of the folio at
 * req.addr, read while the module holds one pin of it, so two reads of a
 * folio whose references did not change give the same value under every
 * policy (tests/guest/test_vfio.c looks for a pin vfio leaked).  req.op and
 * req.iters are ignored; req.empty_ns is 0.
 */
#define DEVMAP_BENCH_REFCOUNT	_IOWR('D', 0xb2, struct devmap_bench_req)

#endif /* DEVMAP_BENCH_H */
