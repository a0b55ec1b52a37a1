#!/bin/bash
# host/vm.sh: boot one kernel variant under QEMU with emulated pmem.
#
#   vm.sh [-a 4K|2M|none] [-c wall|icount] [-A KERNEL-ARGS] [-C QEMU-CPU]
#         [-k BZIMAGE] [-I] [-P] [-R] [-t SECONDS] [-i SECONDS] [-o DIR] VARIANT
#         [-- CMD...]
# -A adds to the kernel command line, -C names QEMU's CPU model (e.g.
# qemu64,+svm,+npt for KVM in the guest; default: QEMU's), -k boots another
# build of VARIANT's kernel (a bzImage built outside build/kernels), -I
# boots QEMU's q35 with its emulated Intel IOMMU (DMA remapping) and a
# pci-testdev that no guest driver claims, for vfio-pci (test_vfio).
#
# The guest root is the host root, read only, over 9p; DIR (default
# build/vm/VARIANT-TIME) is shared read-write at /mnt.  memmap=256M!1G makes
# a legacy pmem range that the guest turns into /dev/dax0.0 (-a, default
# 4K).  With CMD the run is non-interactive: CMD runs under sh in the guest
# and vm.sh returns its status; without it you get a shell on the console.
#
# The guest reads DIR/guest.env (written here: the boot's options and the
# variant's behaviour, exported to CMD) and DIR/cmd; bench/FORMAT.md lists
# every file of DIR.  Every boot keeps DIR/console.log and writes
# DIR/vm-result, one line:
#   status=ok|failed|crash|warning|hang|timeout exit=N seconds=S reason=...
# Exit: 0 ok, 1 CMD failed, 2 kernel crash, 3 kernel warning, 4 hang/timeout.
# oops=panic and panic_on_warn make a crashing guest exit at once; -i is the
# longest the console may stay silent (default 120 s), -t the hard limit.
# The guest ends with sysrq's immediate reboot; -R makes it reboot(2), which
# shuts the devices down first (device_shutdown()).
#
# -c icount runs the guest on QEMU's instruction counter (-icount
# shift=0,sleep=off): guest time advances 1 ns per instruction executed and
# jumps over idle periods, so code without I/O or timers takes the same
# guest time on every run.  About twice as slow as -c wall (the default),
# where guest time follows the host's.  Patched variants boot with
# "devmap_pin_stats" (the pin counts that tests read in
# /sys/kernel/debug/devmap_pins); -P boots them as a production kernel,
# without it, as the benchmark does.
set -eu
. "$(dirname "$0")/lib.sh"

align=4K timeout=900 idle=120 out="" clock=wall stats=1 reboot=sysrq cpu="" extra="" kernel="" iommu=0
while getopts "a:c:A:C:k:IPRt:i:o:" o; do
	case "$o" in
	a) align=$OPTARG ;;
	c) clock=$OPTARG ;;
	A) extra=$OPTARG ;;
	C) cpu=$OPTARG ;;
	k) kernel=$OPTARG ;;
	I) iommu=1 ;;
	P) stats=0 ;;
	R) reboot=clean ;;
	t) timeout=$OPTARG ;;
	i) idle=$OPTARG ;;
	o) out=$OPTARG ;;
	*) die "usage: vm.sh [-a 4K|2M|none] [-c wall|icount] [-A kernel-args] [-C qemu-cpu] [-k bzImage] [-I] [-P] [-R] [-t s] [-i s] [-o dir] VARIANT [-- CMD...]" ;;
	esac
done
shift $((OPTIND - 1))
variant=${1:-}
[ -n "$variant" ] || die "usage: vm.sh [options] VARIANT [-- CMD...]"
variant_check "$variant"
shift
[ "${1:-}" = "--" ] && shift
case "$align" in 4K | 2M) ;; none) align="" ;; *) die "alignment must be 4K, 2M or none" ;; esac
case "$clock" in wall | icount) ;; *) die "unknown clock '$clock' (known: wall icount)" ;; esac
need_tools qemu-system-x86_64
[ -n "$kernel" ] || kernel=$KERNELS/$variant/bzImage
[ -f "$kernel" ] || die "no kernel for '$variant' (run 'make kernel VARIANT=$variant')"

[ -n "$out" ] || out=$BUILD/vm/$variant-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/exit-status" "$out/cmd" "$out/cmd.rc" "$out/cmd.out" "$out/vm-result"
# guest.env: every input of the guest (bench/FORMAT.md): the boot's
# options, and what the variant's policy does (host/experiment.py env),
# which the guest's programs branch on.
{
	printf 'DEVDAX_ALIGN=%s\nTOP=%s\nCLOCK=%s\nREBOOT=%s\n' "$align" "$TOP" "$clock" "$reboot"
	python3 "$EXPERIMENT" env "$variant"
} >"$out/guest.env.tmp"
mv "$out/guest.env.tmp" "$out/guest.env"
if [ $# -gt 0 ]; then
	# The command's status is written by the guest-side wrapper, since
	# init pipes its output through tee.
	printf '%s\n' "cd '$TOP'" "( $* )" 'echo $? >/mnt/cmd.rc' >"$out/cmd"
fi

# accel: KVM only if a guest really boots with it here; decided once per
# machine (build/accel) by a short probe boot, else TCG.
accel() {
	if [ -n "${ACCEL:-}" ]; then echo "$ACCEL"; return; fi
	# guests booting side by side probe once: the first takes the lock
	mkdir -p "$BUILD"
	(
		flock 9
		if [ ! -f "$BUILD/accel" ]; then
			a=tcg
			if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
				ACCEL=kvm "$0" -a none -t 30 -i 30 -o "$BUILD/accel-probe" "$variant" -- true \
					>/dev/null 2>&1 && a=kvm
			fi
			echo "$a" >"$BUILD/accel"
		fi
	) 9>"$BUILD/accel.lock"
	cat "$BUILD/accel"
}
acc=$(accel)
# Multi-threaded TCG lets a vCPU run stale translated code after the other
# patched it: seen here as a random "Oops: int3" when a static key flipped
# (text_poke_bp), which kprobes and the fine policy's key do all the time.
# Single-threaded TCG runs the vCPUs round-robin and does not do that.
[ "$acc" = tcg ] && acc=tcg,thread=single

append="console=ttyS0 root=hostroot rootfstype=9p ro"
append="$append rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=none"
append="$append init=$TOP/guest/init.sh memmap=256M!1G"
append="$append oops=panic panic=-1 panic_on_warn=1 nokaslr${extra:+ $extra}"
# only a policy that holds the pgmap has the counter (none builds as baseline)
[ "$stats" = 1 ] && ! grep -qx 'DEVMAP_HOLDS=nothing' "$out/guest.env" &&
	append="$append devmap_pin_stats"
icount=()
[ "$clock" = icount ] && icount=(-icount shift=0,sleep=off)
cpuopt=()
[ -n "$cpu" ] && cpuopt=(-cpu "$cpu")
machine=()
if [ "$iommu" = 1 ]; then
	machine=(-machine q35 -device intel-iommu,intremap=off -device pci-testdev)
	# without interrupt remapping (intremap=off) vfio type1 refuses the
	# group unless told that MSIs need no isolation: the test device
	# raises none
	append="$append intel_iommu=on iommu=pt vfio_iommu_type1.allow_unsafe_interrupts=1"
fi
qemu=(qemu-system-x86_64 -accel "$acc" "${icount[@]}" "${cpuopt[@]}" "${machine[@]}" -m 2G -smp 2 -no-reboot
	-kernel "$kernel" -append "$append"
	-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
	-fsdev "local,id=res,path=$out,security_model=none"
	-device virtio-9p-pci,fsdev=res,mount_tag=results)

if [ ! -f "$out/cmd" ]; then
	exec "${qemu[@]}" -nographic
fi

start=$(date +%s)
: >"$out/console.log"
"${qemu[@]}" -display none -monitor none -serial "file:$out/console.log" &
pid=$!
status="" reason="" last_size=-1 last_change=$start
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	now=$(date +%s)
	size=$(stat -c %s "$out/console.log")
	[ "$size" != "$last_size" ] && last_size=$size last_change=$now
	if [ $((now - start)) -ge "$timeout" ]; then status=timeout; fi
	if [ $((now - last_change)) -ge "$idle" ]; then status=hang; fi
	if [ -n "$status" ]; then
		kill "$pid" 2>/dev/null || true
		break
	fi
done
wait "$pid" 2>/dev/null || true
seconds=$(($(date +%s) - start))

# The console's verdict on the kernel wins over the command's exit status.
verdict=$(bash "$TOP/host/console-verdict.sh" "$out/console.log")
[ -z "$verdict" ] || status=${verdict%% *} reason=${verdict#* }
exit_code=$(cat "$out/exit-status" 2>/dev/null || echo none)
if [ -z "$status" ]; then
	if [ "$exit_code" = 0 ]; then status=ok
	elif [ "$exit_code" = none ]; then status=crash reason="guest stopped without an exit status"
	else status=failed
	fi
fi
echo "status=$status exit=$exit_code seconds=$seconds reason=$reason" >"$out/vm-result"
case "$status" in
ok) exit 0 ;;
failed) echo "error: $variant: guest command failed (exit $exit_code), see $out" >&2; exit 1 ;;
crash) echo "error: $variant: kernel crashed: $reason ($out/console.log)" >&2; exit 2 ;;
warning) echo "error: $variant: kernel warning: $reason ($out/console.log)" >&2; exit 3 ;;
*) echo "error: $variant: guest $status after ${seconds}s ($out/console.log)" >&2; exit 4 ;;
esac
