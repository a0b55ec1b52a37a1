#!/bin/bash
# bench/guest-hotpath.sh: the hot-path cases of one boot, run inside the
# guest by bench/guest-bench.sh and bench/host/measure-before.sh.
#
# Environment: MODULE (devmap_bench.ko for this kernel), BIN (build/bin),
# REPS, ITERS.  Prints bench/hotpath's rows (group,case,rep,value,unit,status)
# on stdout for the caller to stamp; problems go to stderr.  Cases:
# <op>:ordinary and <op>:devdax with /dev/dax0.0 bound, then
# <op>:ordinary-nodev with it unbound (fine's static key off), and binds it
# again.
set -u
# QEMU's instruction clock counts the instructions of every vCPU: with the
# others offline (no tick, no kworker there), a case counts only the pairs
# it times, with interrupts off on this CPU.
others=$(ls -d /sys/devices/system/cpu/cpu[1-9]* 2>/dev/null || true)
for c in $others; do echo 0 >"$c/online" || echo "cannot offline ${c##*/}" >&2; done
insmod "$MODULE" || echo "insmod $MODULE failed" >&2
"$BIN/hotpath" --memory ordinary --reps "$REPS" --iters "$ITERS" || echo "hotpath ordinary failed" >&2
"$BIN/hotpath" --memory devdax --reps "$REPS" --iters "$ITERS" || echo "hotpath devdax failed" >&2
# with no device-dax pgmap the fine policy's static key is off, a second
# after the unbind (its decrement is deferred)
echo dax0.0 >/sys/bus/dax/drivers/device_dax/unbind
key=/sys/module/devmap_bench/parameters/pin_key
for _ in $(seq 50); do
	[ "$(cat $key 2>/dev/null)" != on ] && break
	sleep 0.1
done
[ "$(cat $key 2>/dev/null)" != on ] || echo "fine's static key still on 5 s after unbind" >&2
"$BIN/hotpath" --memory ordinary --label ordinary-nodev --reps "$REPS" --iters "$ITERS" ||
	echo "hotpath ordinary-nodev failed" >&2
echo dax0.0 >/sys/bus/dax/drivers/device_dax/bind
rmmod devmap_bench 2>/dev/null
for c in $others; do echo 1 >"$c/online" || echo "cannot online ${c##*/}" >&2; done
