// SPDX-License-Identifier: GPL-2.0
/*
 * devmap_bench.c: times page reference pairs where the pinning policies
 * differ: get_page()/put_page(), folio_get()/folio_put() and a fast-GUP
 * pin_user_pages_fast()/unpin_user_page(), on the page behind a user
 * address (ordinary anonymous memory or /dev/dax0.0).
 *
 * Input: ioctl DEVMAP_BENCH_RUN on /sys/kernel/debug/devmap_bench with a
 * struct devmap_bench_req (devmap_bench.h).  Output: req.ns, the total
 * ktime_get_raw_ns() time of req.iters pairs, and req.empty_ns, that of as
 * many turns of an empty loop, both with interrupts off, for the caller
 * to subtract.  DEVMAP_BENCH_STRAY makes the stray get/put pairs of
 * tests/guest/test_stray_ref.c, DEVMAP_BENCH_REFCOUNT reads a folio's
 * reference count for tests/guest/test_vfio.c.  Uses only exported or inline APIs, so one
 * source builds against every variant's kernel.
 */
#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#include "devmap_bench.h"

static struct dentry *devmap_bench_file;

/*
 * parameters/pin_key: "on" or "off", the fine policy's static key now;
 * "none" in a kernel without it (the key exists only where the Kconfig
 * choice is DEVMAP_PIN_FINE, hence the #ifdef).  Its decrement is deferred (by a second)
 * after the last device-dax pgmap goes, so a cell meant to run with the key
 * off polls this first.  The key is read through its first member, a
 * struct static_key, so that one source builds against a series whose key
 * is deferred and one whose key is not (bench/host/measure-before.sh).
 */
static int pin_key_get(char *buf, const struct kernel_param *kp)
{
#ifdef CONFIG_DEVMAP_PIN_FINE
	struct static_key *key = (struct static_key *)&devmap_pin_key;

	return sysfs_emit(buf, "%s\n", static_key_count(key) ? "on" : "off");
#else
	return sysfs_emit(buf, "none\n");
#endif
}

static const struct kernel_param_ops pin_key_ops = {
	.get	= pin_key_get,
};
module_param_cb(pin_key, &pin_key_ops, NULL, 0444);

/*
 * Each loop is timed with interrupts off, and so is an empty loop of the
 * same shape, whose time is subtracted: what is left is the pairs alone.
 * On QEMU's instruction counter (-icount shift=0) guest ns are guest
 * instructions, so the result is the same on every repetition, provided
 * no other CPU runs meanwhile: QEMU counts every vCPU's instructions, so
 * bench/guest-hotpath.sh takes the other CPUs offline first.  The clock is
 * CLOCK_MONOTONIC_RAW, which no frequency correction touches.  Each turn
 * loads the page or folio pointer from memory, as a real call site gets it
 * from a pipe buffer or a page table: nothing derived from it can be
 * hoisted out of the loop, and no register has to carry it from one turn
 * to the next, so that the compiler's register allocation around the
 * loop does not show up in the count.
 */
static noinline u64 time_empty(struct page **pagep, u32 iters)
{
	unsigned long flags;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_raw_ns();
	/* volatile: the loop must stay although nothing uses the page */
	for (i = 0; i < iters; i++) {
		struct page *page = READ_ONCE(*pagep);

		asm volatile("" : : "r" (page));
	}
	t1 = ktime_get_raw_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

static noinline u64 time_get_put_page(struct page **pagep, u32 iters)
{
	unsigned long flags;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_raw_ns();
	for (i = 0; i < iters; i++) {
		struct page *page = READ_ONCE(*pagep);

		get_page(page);
		put_page(page);
	}
	t1 = ktime_get_raw_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

static noinline u64 time_folio_get_put(struct folio **foliop, u32 iters)
{
	unsigned long flags;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_raw_ns();
	for (i = 0; i < iters; i++) {
		struct folio *folio = READ_ONCE(*foliop);

		folio_get(folio);
		folio_put(folio);
	}
	t1 = ktime_get_raw_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

/*
 * The page is present and writable (and, but for PIN_UNPIN_IDLE, pinned by
 * the caller), so the fast path never falls back to the slow one (which
 * could sleep): interrupts can stay off here too.
 */
static noinline long time_pin_unpin(unsigned long addr, u32 iters, u64 *ns)
{
	unsigned long flags;
	struct page *p;
	long ret = 0;
	u64 t0, t1;
	u32 i;

	local_irq_save(flags);
	t0 = ktime_get_raw_ns();
	for (i = 0; i < iters; i++) {
		ret = pin_user_pages_fast(addr, 1, FOLL_WRITE, &p);
		if (ret != 1)
			break;
		unpin_user_page(p);
	}
	t1 = ktime_get_raw_ns();
	local_irq_restore(flags);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	*ns = t1 - t0;
	return 0;
}

/*
 * DEVMAP_BENCH_STRAY: the pairs a walker outside GUP makes, folio_get() and
 * folio_put() on a page it found in a page table.  Under DEVMAP_PIN_BUSY,
 * where an idle device-dax page has count 0, each is a get from 0 that no
 * GUP made and a put back to 0, which must not drop a pgmap reference the
 * get never took.  folio_ref_inc() instead of folio_get(), whose DEBUG_VM
 * check would stop at the first get from 0.  get_dev_pagemap() holds the
 * pgmap (if any) meanwhile, as the walker's caller would not.
 */
static long stray_get_put(struct devmap_bench_req *req)
{
	struct dev_pagemap *pgmap;
	struct folio *folio;
	struct page *page;
	u32 i;
	int nr;

	nr = pin_user_pages_fast(req->addr, 1, FOLL_WRITE, &page);
	if (nr != 1)
		return nr < 0 ? nr : -EFAULT;
	pgmap = get_dev_pagemap(page_to_pfn(page), NULL);
	/* the caller's mapping keeps the page; nothing else holds it */
	unpin_user_page(page);
	folio = page_folio(page);
	for (i = 0; i < req->iters; i++) {
		folio_ref_inc(folio);
		folio_put(folio);
	}
	if (pgmap)
		put_dev_pagemap(pgmap);
	req->ns = 0;
	req->empty_ns = 0;
	return 0;
}

/* DEVMAP_BENCH_REFCOUNT: the folio's count, our own pin included. */
static long read_refcount(struct devmap_bench_req *req)
{
	struct page *page;
	int nr;

	nr = pin_user_pages_fast(req->addr, 1, 0, &page);
	if (nr != 1)
		return nr < 0 ? nr : -EFAULT;
	req->ns = folio_ref_count(page_folio(page));
	req->empty_ns = 0;
	unpin_user_page(page);
	return 0;
}

static long devmap_bench_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *ureq = (void __user *)arg;
	struct devmap_bench_req req;
	struct folio *folio;
	struct page *page;
	long ret = 0;
	int nr;

	if (cmd != DEVMAP_BENCH_RUN && cmd != DEVMAP_BENCH_STRAY &&
	    cmd != DEVMAP_BENCH_REFCOUNT)
		return -ENOTTY;
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (cmd == DEVMAP_BENCH_REFCOUNT) {
		ret = read_refcount(&req);
		goto out;
	}
	if (!req.iters || req.iters > DEVMAP_BENCH_MAX_ITERS)
		return -EINVAL;
	if (cmd == DEVMAP_BENCH_STRAY) {
		ret = stray_get_put(&req);
		goto out;
	}
	if (req.op >= DEVMAP_BENCH_NR_OPS)
		return -EINVAL;

	/* Our own pin keeps the page (and its pgmap) alive while we time. */
	nr = pin_user_pages_fast(req.addr, 1, FOLL_WRITE, &page);
	if (nr != 1)
		return nr < 0 ? nr : -EFAULT;

	switch (req.op) {
	case DEVMAP_BENCH_GET_PUT_PAGE:
		req.ns = time_get_put_page(&page, req.iters);
		break;
	case DEVMAP_BENCH_FOLIO_GET_PUT:
		folio = page_folio(page);
		req.ns = time_folio_get_put(&folio, req.iters);
		break;
	case DEVMAP_BENCH_PIN_UNPIN:
		ret = time_pin_unpin(req.addr, req.iters, &req.ns);
		break;
	case DEVMAP_BENCH_PIN_UNPIN_IDLE:
		/* the caller's mapping keeps the page; nothing else holds it */
		unpin_user_page(page);
		ret = time_pin_unpin(req.addr, req.iters, &req.ns);
		break;
	}
	req.empty_ns = time_empty(&page, req.iters);
	if (req.op != DEVMAP_BENCH_PIN_UNPIN_IDLE)
		unpin_user_page(page);
out:
	if (!ret && copy_to_user(ureq, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations devmap_bench_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= devmap_bench_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static int __init devmap_bench_init(void)
{
	devmap_bench_file = debugfs_create_file("devmap_bench", 0600, NULL,
						NULL, &devmap_bench_fops);
	return PTR_ERR_OR_ZERO(devmap_bench_file);
}

static void __exit devmap_bench_exit(void)
{
	debugfs_remove(devmap_bench_file);
}

module_init(devmap_bench_init);
module_exit(devmap_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Page reference microbenchmark for device-dax pinning policies");
