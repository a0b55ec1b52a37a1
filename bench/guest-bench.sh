#!/bin/bash
# bench/guest-bench.sh: one boot's share of the benchmark matrix, run
# inside the guest by bench/host/run-matrix.sh (through host/vm.sh): the
# cases planned for its variant, each once in this trial.
#
# The plan drives it: /mnt/plan.csv, the host's plan of this boot
# (host/experiment.py plan, group,case,run|skip:WHY per case, in the order
# of its groups and cases).  One loop goes over the plan's groups in that
# order and hands each group's cases to its runner, run_<group> below; a
# case the plan skips gets its skipped:WHY row there, and nowhere else
# (which cases are skipped on which kernels is declared once, in
# host/experiment.py).  A runner keeps only its programs' rows of planned
# cases.
#
# Environment: guest.env (DEVMAP_VARIANT, for the console; DEVDAX_ALIGN,
# the boot's alignment, which the gup runner restores); from the command:
# TRIAL (for the console), REPS (repetitions per case), WL_REPS and
# WL_SECONDS (workloads), ITERS (hot-path pairs per repetition), FIO_IOS
# (fio reads per sample), MODULE
# (path of devmap_bench.ko for this kernel), BIN (build/bin).
# Writes to the results share (/mnt, bench/FORMAT.md):
#   samples.part.csv the programs' own rows, group,case,rep,value,unit,status,
#                    appended as cases finish (the host adds variant and trial)
#   phases.out, pins.out   raw bpftrace output
#   perf/<workload>.<rep>.csv   raw perf stat -x, output
#   bench.err        the programs' stderr and the cases that failed
# all parsed on the host, by bench/host/collect-boot.py.
# A case whose program fails is logged in bench.err and the boot goes on;
# the host marks planned cases that have no row.  The working directory is
# the project's top (host/vm.sh runs commands there).
set -eu -o pipefail
plan=/mnt/plan.csv
out=/mnt/samples.part.csv
: >"$out"
[ -s "$plan" ] || { echo "bench: no $plan from the host" >/dev/console; exit 1; }

progress() { echo "bench: $DEVMAP_VARIANT trial $TRIAL: $*" >/dev/console; }
# emit: keep the rows (group,case,rep,value,unit,status) of cases the plan
# runs; the rest (a program measures more than one case) are dropped.
emit() {
	awk -F, 'NR == FNR {if ($3 == "run") want[$1 "," $2] = 1; next}
		 NF == 6 && ($1 "," $2) in want' "$plan" - >>"$out"
}
# run GROUP CASE CMD...: run a program that prints rows.  Planned cases
# it left without a row are marked failed by the host afterwards.
run() {
	local g=$1 c=$2
	shift 2
	"$@" 2>>/mnt/bench.err | emit || echo "case $g $c failed: $*" >>/mnt/bench.err
}

# stop_bpftrace PID...: SIGINT makes bpftrace print its maps and exit.  One
# that is still there 60 s later is reported on the console with its kernel
# stacks and the blocked tasks (sysrq w), then killed, and the boot goes on
# without its output, so that the cases after it are not lost too.
stop_bpftrace() {
	local p t
	kill -INT "$@" 2>/dev/null || true
	for p in "$@"; do
		for _ in $(seq 120); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$p" 2>/dev/null; then
			echo "bench: bpftrace $p did not exit 60 s after SIGINT: $(tr '\0' ' ' </proc/"$p"/cmdline)" >/dev/console
			for t in /proc/"$p"/task/*; do
				echo "bench: stack of ${t##*/}:" >/dev/console
				cat "$t/stack" >/dev/console 2>&1 || true
			done
			echo w >/proc/sysrq-trigger
			echo "bpftrace $p killed: no exit 60 s after SIGINT" >>/mnt/bench.err
			kill -KILL "$p" 2>/dev/null || true
		else
			wait "$p" 2>/dev/null || true
		fi
	done
}

# align A: /dev/dax0.0 with alignment A (4K, 2M), made anew if it has
# another; 1 if that failed.
align() {
	local want
	case "$1" in 4K) want=4096 ;; 2M) want=2097152 ;; *) return 1 ;; esac
	[ "$(cat /sys/bus/dax/devices/dax0.0/align 2>/dev/null)" != "$want" ] || return 0
	ndctl create-namespace -f -e namespace0.0 -m devdax -a "$1" >>/mnt/ndctl-align.log 2>&1
}

# --- the runners: run_GROUP CASES, CASES a file of the group's planned
# cases, one per line, in the plan's order.

# hotpath: in-kernel get/put pairs
run_hotpath() {
	MODULE=$MODULE BIN=$BIN REPS=$REPS ITERS=$ITERS bash bench/guest-hotpath.sh "$1" \
		2>>/mnt/bench.err | emit || echo "group hotpath failed" >>/mnt/bench.err
}

# workload: userspace workloads on ordinary memory, under perf stat; a
# case <workload>:ordinary-nodev runs with dax0.0 unbound, after the get/put
# hooks' static key went off (the plan puts those cases last), and the
# device is bound again after them.
run_workload() {
	local c w label r perf events=task-clock,context-switches,page-faults,cycles,instructions
	perf=$(command -v perf || true)
	mkdir -p /mnt/perf
	# (the cases are read on fd 3: the programs may read stdin)
	while read -r c <&3; do
		w=${c%%:*} label=
		case "$c" in
		*:ordinary-nodev)
			label=ordinary-nodev
			nodev workload "$c" || continue ;;
		*:*)	echo "case workload $c failed: no runner for '${c#*:}'" >>/mnt/bench.err; continue ;;
		esac
		for r in $(seq "$WL_REPS"); do
			if [ -n "$perf" ]; then
				run workload "$c" "$perf" stat -x, -e "$events" -o "/mnt/perf/$c.$r.csv" -- \
					"$BIN/workloads" "$w" --seconds "$WL_SECONDS" --rep "$r" ${label:+--label "$label"}
			else
				run workload "$c" "$BIN/workloads" "$w" --seconds "$WL_SECONDS" --rep "$r" \
					${label:+--label "$label"}
			fi
		done
	done 3<"$1"
	bound_again workload
}

# key_off: unbind dax0.0 and wait until the get/put hooks' static key is off
# (its decrement is deferred a second after the last device-dax pgmap), read
# through the bench module's pin_key ("none" in a kernel without the key).
key_off() {
	local key=/sys/module/devmap_bench/parameters/pin_key ok=1
	echo dax0.0 >/sys/bus/dax/drivers/device_dax/unbind || return 1
	insmod "$MODULE" || return 1
	for _ in $(seq 50); do
		[ "$(cat $key)" != on ] && { ok=0; break; }
		sleep 0.1
	done
	rmmod devmap_bench
	return $ok
}

# nodev GROUP CASE: dax0.0 unbound and the key off for a :ordinary-nodev
# case, done the first time a runner asks (bound_again undoes it); 1,
# logged as the case's failure, if the key did not go off.
key_is_off=0
nodev() {
	[ "$key_is_off" = 0 ] || return 0
	key_off || { echo "case $1 $2 failed: the key did not go off" >>/mnt/bench.err; return 1; }
	key_is_off=1
}

# bound_again GROUP: dax0.0 bound again after a runner's nodev cases.
bound_again() {
	[ "$key_is_off" = 1 ] || return 0
	key_is_off=0
	echo dax0.0 >/sys/bus/dax/drivers/device_dax/bind || echo "$1: bind dax0.0 failed" >>/mnt/bench.err
}

# fio: psync 4K random reads of /dev/ram0 (fio's own code, a real client),
# "<odirect|buffered>:<memory>": buffers on /dev/dax0.0 (devdax: fio maps
# it with --mem=mmapshared, so every O_DIRECT read pins a device-dax page)
# or ordinary; :ordinary-nodev cases with dax0.0 unbound and the key off
# (the plan puts them last).  A row's value is fio's mean completion
# latency of one read in ns (clock_gettime around the pread(): under
# clock=icount its instructions, two clock reads included), over FIO_IOS
# reads after FIO_IOS/4 unmeasured ones (--ramp_time counts time, not
# reads, so the warm-up is a first fio run of its own).
run_fio() {
	local c op mem r args lat ios=$FIO_IOS
	# brd pages exist once written: read real pages, not holes
	dd if=/dev/zero of=/dev/ram0 bs=1M count=4 oflag=direct status=none ||
		{ echo "group fio failed: cannot write /dev/ram0" >>/mnt/bench.err; return 0; }
	while read -r c <&3; do
		op=${c%%:*} mem=${c#*:}
		args="--name=$c --filename=/dev/ram0 --size=4M --rw=randread --norandommap --bs=4k"
		args="$args --ioengine=psync"
		args="$args --clocksource=clock_gettime --output-format=terse --terse-version=3"
		case "$op" in
		odirect) args="$args --direct=1" ;;
		buffered) args="$args --direct=0 --invalidate=0" ;;
		*) echo "case fio $c failed: no runner for '$op'" >>/mnt/bench.err; continue ;;
		esac
		case "$mem" in
		devdax) args="$args --mem=mmapshared:/dev/dax0.0" ;;
		ordinary) args="$args --mem=malloc" ;;
		ordinary-nodev)
			args="$args --mem=malloc"
			nodev fio "$c" || continue ;;
		*) echo "case fio $c failed: no runner for memory '$mem'" >>/mnt/bench.err; continue ;;
		esac
		for r in $(seq "$REPS"); do
			# shellcheck disable=SC2086
			fio $args --io_size=$((ios))k >/dev/null 2>>/mnt/bench.err &&
				lat=$(fio $args --io_size=$((ios * 4))k 2>>/mnt/bench.err |
					awk -F';' '$1 == 3 && $5 == 0 && $6 > 0 {printf "%.3f", $40 * 1000}') &&
				[ -n "$lat" ] && echo "fio,$c,$r,$lat,ns/io,ok" | emit ||
				echo "case fio $c failed: fio $args" >>/mnt/bench.err
		done
	done 3<"$1"
	bound_again fio
}

# gup: GUP throughput, per memory (<op>:<memory>; gup_bench times every
# op): ordinary, or device-dax at the alignment its name says
# (devdax-4K, devdax-2M); the boot's alignment afterwards.
run_gup() {
	local m
	for m in $(awk -F: '!seen[$2]++ {print $2}' "$1"); do
		case "$m" in
		ordinary)
			run gup "$m" "$BIN/gup_bench" --memory ordinary --label "$m" --reps "$REPS" ;;
		devdax-*)
			if align "${m#devdax-}"; then
				run gup "$m" "$BIN/gup_bench" --memory devdax --label "$m" --reps "$REPS"
			else
				echo "case gup $m failed: no device at ${m#devdax-}" >>/mnt/bench.err
			fi ;;
		*)	echo "case gup $m failed: no runner for memory '$m'" >>/mnt/bench.err ;;
		esac
	done
	[ -z "$DEVDAX_ALIGN" ] || align "$DEVDAX_ALIGN" ||
		echo "gup: cannot restore the $DEVDAX_ALIGN device" >>/mnt/bench.err
}

# unbind: unbind latency, split into phases by bpftrace; gup_race last and
# without bpftrace, since where unbind waits for nothing it may hit the
# use-after-free
run_unbind() {
	local s r bt1 bt2=""
	bpftrace "bpf/unbind_phases.bt" >/mnt/phases.out 2>&1 &
	bt1=$!
	# a kernel without the series has no devmap tracepoints
	if [ -d /sys/kernel/debug/tracing/events/devmap ]; then
		bpftrace "bpf/pin_callers.bt" >/mnt/pins.out 2>&1 &
		bt2=$!
	fi
	# bpftrace prints 'Attaching' once its probes are in (about 7 s under TCG)
	for _ in $(seq 120); do
		grep -q Attaching /mnt/phases.out 2>/dev/null &&
			{ [ -z "$bt2" ] || grep -q Attaching /mnt/pins.out 2>/dev/null; } && break
		sleep 0.5
	done
	sleep 1
	while read -r s <&3; do
		[ "$s" != gup_race ] || continue
		for r in $(seq "$REPS"); do
			run unbind "$s" "$BIN/unbind_latency" --scenario "$s" --rep "$r"
		done
	done 3<"$1"
	stop_bpftrace $bt1 $bt2
	if grep -qx gup_race "$1"; then
		progress gup_race
		for r in $(seq "$REPS"); do
			run unbind gup_race "$BIN/unbind_latency" --scenario gup_race --rep "$r"
		done
	fi
}

# --- the plan's groups, in its order ----------------------------------------
for g in $(awk -F, '!seen[$1]++ {print $1}' "$plan"); do
	cases=/tmp/plan.$g
	: >"$cases"
	while IFS=, read -r pg c action; do
		[ "$pg" = "$g" ] || continue
		case "$action" in
		run)	echo "$c" >>"$cases" ;;
		skip:*)	echo "$g,$c,,,,skipped:${action#skip:}" >>"$out" ;;
		*)	echo "plan: $g,$c: unknown action '$action'" >>/mnt/bench.err ;;
		esac
	done <"$plan"
	[ -s "$cases" ] || continue
	if ! declare -F "run_$g" >/dev/null; then
		echo "plan: no runner for group $g (its cases get no row)" >>/mnt/bench.err
		continue
	fi
	progress "$g"
	"run_$g" "$cases" || echo "group $g: its runner failed" >>/mnt/bench.err
done
progress "done"
