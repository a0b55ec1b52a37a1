#!/bin/sh
# guest/init.sh: PID 1 of every guest.  The root is the host's, read
# only, over 9p; /mnt is the run's read-write results share.  Mounts what
# the tests and probes need, turns the legacy pmem range into /dev/dax0.0
# with the alignment asked for, runs /mnt/cmd (or a shell), records its exit
# status in /mnt/exit-status and reboots, which ends QEMU (-no-reboot).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=${TERM:-linux}
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /mnt
# every input from the host (host/vm.sh, bench/FORMAT.md), exported to
# /mnt/cmd and the shell: the boot's options and the variant's behaviour
set -a
. /mnt/guest.env
set +a
mount -t tmpfs run /run
# A project checked out under /tmp would vanish under the guest's own /tmp:
# keep a view of it and put it back in place on the tmpfs.
case "$TOP/" in
/tmp/*)
	mkdir -p /run/top
	mount --bind "$TOP" /run/top
	mount -t tmpfs tmp /tmp
	mkdir -p "$TOP"
	mount --bind /run/top "$TOP" ;;
*)	mount -t tmpfs tmp /tmp ;;
esac
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ip link set lo up	# the loopback TCP workload

finish() {
	echo "$1" >/mnt/exit-status
	sync
	# vm.sh -R: reboot(2), through device_shutdown(); else at once
	[ "${REBOOT:-}" = clean ] && reboot -ff
	echo b >/proc/sysrq-trigger
}

if [ -n "$DEVDAX_ALIGN" ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax -a "$DEVDAX_ALIGN" \
		>/mnt/ndctl.log 2>&1 || { echo "guest: ndctl create-namespace failed" >/dev/console; finish 125; }
fi
echo "guest: ready $(uname -r) devdax=${DEVDAX_ALIGN:-none}" >/dev/console

if [ -f /mnt/cmd ]; then
	# Output goes both to the results share and to the console, where the
	# host watches for progress and for kernel messages.
	bash /mnt/cmd 2>&1 | tee /mnt/cmd.out >/dev/console
	finish "$(cat /mnt/cmd.rc 2>/dev/null || echo 126)"
else
	setsid sh -c 'exec sh -i </dev/ttyS0 >/dev/ttyS0 2>&1'
	finish 0
fi
