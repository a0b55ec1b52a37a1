// SPDX-License-Identifier: GPL-2.0
/*
 * test_kvm.c: KVM as a client of device-dax.  A VM whose memory is an
 * mmap of /dev/dax0.0 runs five real-mode instructions: a store into its
 * memory, an OUT and HLT.  KVM maps guest memory without holding a page
 * reference, so under busy a device-dax page idles at count 0 while KVM
 * maps it, and a zap of the shadow MMU (kvm_amd.npt=0) reaches
 * WARN_ON_ONCE(!page_count(page)) in kvm_is_zone_device_page(), fatal with
 * the guest's panic_on_warn, unless KVM treats such a page as not
 * refcounted (series patch 18).
 *
 *   vm_runs_then_exits_then_unbind: the VM runs to HLT, its store lands in
 *       the device; the VM is destroyed (every spte zapped); unbind then
 *       returns and the readout is idle.
 *   unbind_while_vm_lives: the VM runs to HLT, its memory is unmapped,
 *       then the device is unbound with the VM alive; KVM_RUN after that
 *       must not run on the old memory, and the VM is destroyed.
 *   unbind_while_vm_maps: where unbind revokes the mappings, the same
 *       with the memory still mapped: the revoke zaps KVM's sptes through
 *       the MMU notifier while the unbind runs.
 *
 * Booted on QEMU's emulated SVM (-cpu qemu64,+svm,+npt) with kvm_amd.npt=0
 * (the shadow MMU) and with npt=1 (tests/run-functional.sh, own boot
 * "kvm").  Without /dev/kvm the test fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "devdax.h"

#define CODE_GPA	0x1000
#define DATA_GPA	0x2000
#define OUT_PORT	0x10

/* movb $0x5a, (DATA_GPA); mov $0x42, %al; out %al, $OUT_PORT; hlt */
static const unsigned char code[] = {
	0xc6, 0x06, DATA_GPA & 0xff, DATA_GPA >> 8, 0x5a,
	0xb0, 0x42,
	0xe6, OUT_PORT,
	0xf4,
};

FIXTURE(kvm)
{
	int kvm, vm, vcpu, fd;
	size_t len;
	char *mem;
	struct kvm_run *run;
	size_t run_len;
};

static void vm_destroy(FIXTURE_DATA(kvm) *self)
{
	if (self->run && self->run != MAP_FAILED)
		munmap(self->run, self->run_len);
	self->run = NULL;
	if (self->vcpu >= 0)
		close(self->vcpu);
	if (self->vm >= 0)
		close(self->vm);
	self->vcpu = self->vm = -1;
}

FIXTURE_SETUP(kvm)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 2 };
	int n;

	self->vm = self->vcpu = self->fd = -1;
	self->run = NULL;
	self->mem = MAP_FAILED;
	self->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->kvm) {
		TH_LOG("/dev/kvm: %s (KVM, KVM_AMD and QEMU's svm needed)", strerror(errno));
	}
	ASSERT_EQ(KVM_API_VERSION, ioctl(self->kvm, KVM_GET_API_VERSION, 0));
	ASSERT_EQ(0, dax_bind());
	self->fd = dax_open();
	ASSERT_LE(0, self->fd);
	self->len = dax_align() > 0x10000 ? dax_align() : 0x10000;
	self->mem = dax_map(self->fd, self->len, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	/* the mapping alone holds the device (coarse) */
	close(self->fd);
	self->fd = -1;
	memset(self->mem, 0, self->len);
	memcpy(self->mem + CODE_GPA, code, sizeof(code));

	self->vm = ioctl(self->kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	region.memory_size = self->len;
	region.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_USER_MEMORY_REGION, &region));
	self->vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, self->vcpu);
	n = ioctl(self->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	ASSERT_LT(0, n);
	self->run_len = n;
	self->run = mmap(NULL, self->run_len, PROT_READ | PROT_WRITE, MAP_SHARED, self->vcpu, 0);
	ASSERT_NE(MAP_FAILED, self->run);
	ASSERT_EQ(0, ioctl(self->vcpu, KVM_GET_SREGS, &sregs));
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ASSERT_EQ(0, ioctl(self->vcpu, KVM_SET_SREGS, &sregs));
	ASSERT_EQ(0, ioctl(self->vcpu, KVM_SET_REGS, &regs));
}

FIXTURE_TEARDOWN(kvm)
{
	vm_destroy(self);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->len);
	if (self->kvm >= 0)
		close(self->kvm);
	EXPECT_EQ(0, dax_bind());
}

/* Run the vCPU to its HLT: one OUT of 0x42 on the way. */
static void run_to_hlt(struct __test_metadata *_metadata, FIXTURE_DATA(kvm) *self)
{
	int outs = 0;

	for (;;) {
		ASSERT_EQ(0, ioctl(self->vcpu, KVM_RUN, 0)) {
			TH_LOG("KVM_RUN: %s", strerror(errno));
		}
		if (self->run->exit_reason == KVM_EXIT_HLT)
			break;
		ASSERT_EQ(KVM_EXIT_IO, self->run->exit_reason) {
			TH_LOG("exit reason %u", self->run->exit_reason);
		}
		ASSERT_EQ(OUT_PORT, self->run->io.port);
		ASSERT_EQ(0x42, *((unsigned char *)self->run + self->run->io.data_offset));
		outs++;
	}
	ASSERT_EQ(1, outs);
	/* the store went to the device through KVM's mapping */
	ASSERT_EQ(0x5a, (unsigned char)self->mem[DATA_GPA]);
}

static void assert_idle(struct __test_metadata *_metadata)
{
	struct pins pins;
	int r = read_pins(&pins);

	ASSERT_LE(0, r);
	if (r) {
		ASSERT_EQ(0, pins.pins);
		ASSERT_EQ(0, pins.page_refs);
	}
}

TEST_F(kvm, vm_runs_then_exits_then_unbind)
{
	run_to_hlt(_metadata, self);
	vm_destroy(self);
	ASSERT_EQ(0, munmap(self->mem, self->len));
	self->mem = MAP_FAILED;
	assert_idle(_metadata);
	ASSERT_EQ(0, dax_unbind());
}

TEST_F(kvm, unbind_while_vm_lives)
{
	pid_t unbinder;
	int status;

	run_to_hlt(_metadata, self);
	ASSERT_EQ(0, munmap(self->mem, self->len));
	self->mem = MAP_FAILED;
	/* KVM holds no page reference: nothing for unbind to wait for */
	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* the memory is gone: the vCPU must not run on it again */
	self->run->exit_reason = KVM_EXIT_UNKNOWN;
	if (ioctl(self->vcpu, KVM_RUN, 0) == 0)
		ASSERT_NE(KVM_EXIT_HLT, self->run->exit_reason);
	vm_destroy(self);
	assert_idle(_metadata);
}

TEST_F(kvm, unbind_while_vm_maps)
{
	pid_t unbinder;
	int status;

	if (!kernel()->revokes)
		SKIP(return, "%s: unbind waits for the mapping", kernel()->name);
	run_to_hlt(_metadata, self);
	unbinder = unbind_async();
	ASSERT_LE(0, unbinder);
	ASSERT_TRUE(wait_child(unbinder, 10, &status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	self->run->exit_reason = KVM_EXIT_UNKNOWN;
	if (ioctl(self->vcpu, KVM_RUN, 0) == 0)
		ASSERT_NE(KVM_EXIT_HLT, self->run->exit_reason);
	vm_destroy(self);
	assert_idle(_metadata);
}

TEST_HARNESS_MAIN
