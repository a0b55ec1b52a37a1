#!/bin/bash
# bench/guest-hotpath.sh [CASES]: the runner of the hotpath group, inside
# the guest: run by bench/guest-bench.sh with the boot's planned hotpath
# cases, and by bench/host/measure-before.sh.
#
# CASES: a file of planned cases, one <op>:<memory> per line (default: the
# hotpath cases that /mnt/plan.csv runs).  Environment: MODULE
# (devmap_bench.ko for this kernel), BIN (build/bin), REPS, ITERS.  Prints
# bench/hotpath's rows (group,case,rep,value,unit,status) of the planned
# cases on stdout for the caller to stamp; problems go to stderr.  Each
# planned memory is measured once, for every op (bench/hotpath times them
# all), in the plan's order: ordinary and devdax with /dev/dax0.0 bound,
# ordinary-nodev with it unbound (no device-dax pgmap: a static key that
# exists only while one does, as fine's, is off), bound again after it.
set -eu -o pipefail
cases=${1:-}
if [ -z "$cases" ]; then
	[ -s /mnt/plan.csv ] || { echo "guest-hotpath: no /mnt/plan.csv from the host" >&2; exit 1; }
	cases=/tmp/plan.hotpath
	awk -F, '$1 == "hotpath" && $3 == "run" {print $2}' /mnt/plan.csv >"$cases"
fi
# the planned memories, in the plan's order
memories=$(awk -F: '!seen[$2]++ {print $2}' "$cases")

# keep: only the rows of planned cases (bench/hotpath prints every op)
keep() { awk -F, 'NR == FNR {want["hotpath," $0] = 1; next} ($1 "," $2) in want' "$cases" -; }
hotpath() { "$BIN/hotpath" --reps "$REPS" --iters "$ITERS" "$@" | keep; }

# QEMU's instruction clock counts the instructions of every vCPU: with the
# others offline (no tick, no kworker there), a case counts only the pairs
# it times, with interrupts off on this CPU.
others=$(ls -d /sys/devices/system/cpu/cpu[1-9]* 2>/dev/null || true)
for c in $others; do echo 0 >"$c/online" || echo "cannot offline ${c##*/}" >&2; done
insmod "$MODULE" || echo "insmod $MODULE failed" >&2
drv=/sys/bus/dax/drivers/device_dax
key=/sys/module/devmap_bench/parameters/pin_key
for m in $memories; do
	case "$m" in
	ordinary | devdax)
		hotpath --memory "$m" || echo "hotpath $m failed" >&2 ;;
	ordinary-nodev)
		# with no device-dax pgmap the static key is off, a second after
		# the unbind (its decrement is deferred); "none" without a key
		echo dax0.0 >"$drv/unbind" || echo "unbind dax0.0 failed" >&2
		for _ in $(seq 50); do
			[ "$(cat $key 2>/dev/null)" != on ] && break
			sleep 0.1
		done
		[ "$(cat $key 2>/dev/null)" != on ] || echo "the static key still on 5 s after unbind" >&2
		hotpath --memory ordinary --label ordinary-nodev || echo "hotpath $m failed" >&2
		echo dax0.0 >"$drv/bind" || echo "bind dax0.0 failed" >&2 ;;
	*)
		echo "guest-hotpath: no runner for memory '$m'" >&2 ;;
	esac
done
rmmod devmap_bench 2>/dev/null || true
for c in $others; do echo 1 >"$c/online" || echo "cannot online ${c##*/}" >&2; done
