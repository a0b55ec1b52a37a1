// SPDX-License-Identifier: GPL-2.0
/*
 * test_vfio.c: vfio type1 as a client of device-dax.  A vfio container
 * maps part of /dev/dax0.0 for DMA (VFIO_IOMMU_MAP_DMA pins each page
 * long-term) and gives it back; vfio_iommu_type1's put_pfn() must then
 * unpin every page.  Stock 6.12 does not: device-dax pages are
 * PageReserved (__init_zone_device_page()), which put_pfn() skips, so each
 * pin leaks, and under fine and busy a leaked pin holds the pgmap: unbind
 * would wait until killed.  Series patch 15 unpins them.
 *
 *   unmap_dma_unpins: MAP_DMA, then UNMAP_DMA: every folio's count is what
 *       it was before (devmap_bench.ko reads it), the readout is idle, and
 *       after munmap the unbind returns.
 *   close_unpins: MAP_DMA, then the container and group closed without an
 *       unmap, as when a VM exits: the same.
 *
 * A kernel built without the series (baseline) must show the leak: there
 * each case checks that the count grew by the pin and skips, so the test
 * is seen to detect what it checks.  Booted on q35 with QEMU's emulated
 * Intel IOMMU and a pci-testdev, which no driver claims and which is bound
 * here to vfio-pci (tests/run-functional.sh, own boot "vfio", host/vm.sh -I).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vfio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"
#include "devmap_bench.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
/* QEMU's pci-testdev */
#define TESTDEV_VENDOR	"0x1b36"
#define TESTDEV_DEVICE	"0x0005"
#define MAP_LEN		0x10000UL
#define IOVA		0x100000UL

static bool attr_is(const char *dev, const char *attr, const char *want)
{
	char path[PATH_MAX], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", dev, attr);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strncmp(buf, want, strlen(want)) == 0;
}

/*
 * The pci-testdev, bound to vfio-pci; its IOMMU group's /dev/vfio/N in
 * @group.  0, or -1 with errno set.
 */
static int testdev_to_vfio(char *group, size_t len)
{
	struct dirent *d;
	char path[PATH_MAX], link[PATH_MAX], bdf[sizeof(d->d_name)] = "";
	DIR *dir = opendir(PCI_DEVICES);
	ssize_t n;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (attr_is(d->d_name, "vendor", TESTDEV_VENDOR) &&
		    attr_is(d->d_name, "device", TESTDEV_DEVICE))
			snprintf(bdf, sizeof(bdf), "%s", d->d_name);
	closedir(dir);
	if (!bdf[0]) {
		errno = ENODEV;
		return -1;
	}
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0 || strcmp(basename((link[n] = 0, link)), "vfio-pci")) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", bdf);
		if (write_str(path, "vfio-pci") ||
		    write_str("/sys/bus/pci/drivers_probe", bdf))
			return -1;
	}
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	snprintf(group, len, "/dev/vfio/%s", basename(link));
	return 0;
}

/* The count of the folio behind @p, devmap_bench.ko's pin included. */
static long long folio_count(void *p)
{
	struct devmap_bench_req req = { .addr = (unsigned long)p };

	return bench_ioctl(DEVMAP_BENCH_REFCOUNT, &req) ? -1 : (long long)req.ns;
}

FIXTURE(vfio)
{
	int container, group;
	char *p;
	long long before[MAP_LEN / 4096];
};

FIXTURE_SETUP(vfio)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char group[PATH_MAX];
	unsigned long off;
	int fd;

	self->container = self->group = -1;
	self->p = MAP_FAILED;
	ASSERT_EQ(0, bench_module_load()) {
		TH_LOG("devmap_bench.ko of %s: %s", kernel()->dir, strerror(errno));
	}
	ASSERT_EQ(0, testdev_to_vfio(group, sizeof(group))) {
		TH_LOG("pci-testdev to vfio-pci: %s (VFIO_PCI, an IOMMU, QEMU's -I boot)",
		       strerror(errno));
	}
	self->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->container);
	ASSERT_EQ(VFIO_API_VERSION, ioctl(self->container, VFIO_GET_API_VERSION));
	ASSERT_EQ(1, ioctl(self->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	self->group = open(group, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->group) {
		TH_LOG("%s: %s", group, strerror(errno));
	}
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &status));
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));

	ASSERT_EQ(0, dax_bind());
	fd = dax_open();
	ASSERT_LE(0, fd);
	ASSERT_GE(MAP_LEN, dax_align());
	self->p = dax_map(fd, MAP_LEN, 0);
	ASSERT_NE(MAP_FAILED, self->p);
	/* the mapping alone holds the device: gone at munmap, under coarse too */
	close(fd);
	touch_pages(self->p, MAP_LEN);
	for (off = 0; off < MAP_LEN; off += 4096) {
		self->before[off / 4096] = folio_count(self->p + off);
		ASSERT_LT(0, self->before[off / 4096]);
	}
}

FIXTURE_TEARDOWN(vfio)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, MAP_LEN);
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
	EXPECT_EQ(0, dax_bind());
}

static void map_dma(struct __test_metadata *_metadata, FIXTURE_DATA(vfio) *self)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (unsigned long)self->p,
		.iova = IOVA,
		.size = MAP_LEN,
	};
	struct pins pins;
	int r;

	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_MAP_DMA, &map)) {
		TH_LOG("VFIO_IOMMU_MAP_DMA: %s", strerror(errno));
	}
	/* pinned: the first page's count grew */
	ASSERT_LT(self->before[0], folio_count(self->p));
	r = read_pins(&pins);
	ASSERT_LE(0, r);
	if (r && kernel()->waits_for_refs)
		ASSERT_LT(0, pins.pins);
}

/*
 * Every page's count is back where it was, the readout is idle; then
 * munmap and unbind, which must not wait.  A kernel without the series
 * must have leaked instead: checked, then skipped.
 */
static void assert_unpinned(struct __test_metadata *_metadata, FIXTURE_DATA(vfio) *self)
{
	unsigned long off, leaked = 0;
	long long after = 0;
	struct pins pins;
	pid_t unbinder;
	int r, status;

	for (off = 0; off < MAP_LEN; off += 4096) {
		after = folio_count(self->p + off);
		ASSERT_LT(0, after);
		if (after != self->before[off / 4096])
			leaked++;
	}
	if (!kernel()->patched) {
		ASSERT_EQ(MAP_LEN / 4096, leaked) {
			TH_LOG("stock 6.12 was expected to leak every pin: %lu of %lu leaked",
			       leaked, MAP_LEN / 4096);
		}
		SKIP(return, "%s leaks vfio's pins of device-dax pages (%lu pages, count %lld -> %lld)",
		     kernel()->name, leaked, self->before[MAP_LEN / 4096 - 1], after);
	}
	ASSERT_EQ(0, leaked) {
		TH_LOG("%lu pages still pinned: last count %lld, was %lld", leaked, after,
		       self->before[MAP_LEN / 4096 - 1]);
	}
	r = read_pins(&pins);
	ASSERT_LE(0, r);
	if (r) {
		ASSERT_EQ(kernel()->holds == HOLDS_MAPPING ? 1 : 0, pins.pins);
		ASSERT_EQ(0, pins.page_refs);
	}
	ASSERT_EQ(0, munmap(self->p, MAP_LEN));
	self->p = MAP_FAILED;
	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_TRUE(wait_child(unbinder, 10, &status)) {
		TH_LOG("unbind still waits 10 s after vfio gave the pages back");
		kill(unbinder, SIGKILL);
		wait_child(unbinder, 10, &status);
	}
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_F(vfio, unmap_dma_unpins)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = IOVA,
		.size = MAP_LEN,
	};

	map_dma(_metadata, self);
	ASSERT_EQ(0, ioctl(self->container, VFIO_IOMMU_UNMAP_DMA, &unmap));
	ASSERT_EQ(MAP_LEN, unmap.size);
	assert_unpinned(_metadata, self);
}

TEST_F(vfio, close_unpins)
{
	map_dma(_metadata, self);
	/* the group's last file goes first: the container then has no user */
	ASSERT_EQ(0, close(self->group));
	self->group = -1;
	ASSERT_EQ(0, close(self->container));
	self->container = -1;
	assert_unpinned(_metadata, self);
}

TEST_HARNESS_MAIN
