#!/bin/bash
# bench/guest-bench.sh: one boot's share of the benchmark matrix, run
# inside the guest by bench/host/run-matrix.sh (through host/vm.sh): the
# cases planned for its variant, each once in this trial.
#
# Environment: VARIANT, TRIAL (for the console), REPS (repetitions per case), WL_REPS and
# WL_SECONDS (workloads), ITERS (hot-path pairs per repetition), MODULE
# (path of devmap_bench.ko for this kernel), BIN (build/bin).
# Reads the host's plan of this boot (bench/host/run-matrix.sh, from
# host/experiment.py), /mnt/plan.csv: group,case,run|skip:WHY per case.
# Writes to the results share (/mnt):
#   samples.part.csv the programs' own rows, group,case,rep,value,unit,status,
#                    appended as cases finish (the host adds variant and trial)
#   phases.out, pins.out   raw bpftrace output
#   perf/<workload>.<rep>.csv   raw perf stat -x, output
# all parsed on the host, by bench/host/collect-boot.py.
# A case whose program fails is logged in bench.err and the boot goes on;
# the host marks planned cases that have no row.  The working directory is
# the project's top (host/vm.sh runs commands there).
set -u
export DEVMAP_POLICY=$VARIANT
out=/mnt/samples.part.csv
: >"$out"
[ -s /mnt/plan.csv ] || { echo "bench: no /mnt/plan.csv from the host" >/dev/console; exit 1; }

# planned GROUP: a file of the planned cases of GROUP, "case action" per line
# (a file: the guest has no /dev/fd for process substitution)
planned() { awk -F, -v g="$1" '$1 == g {print $2 " " $3}' /mnt/plan.csv >"/tmp/plan.$1"; echo "/tmp/plan.$1"; }
# emit: keep a program's group,case,rep,value,unit,status rows.
emit() { awk -F, 'NF == 6' >>"$out"; }
failrow() { echo "$1,$2,,,,$3" >>"$out"; }
# run GROUP CASE CMD...: run a program that prints rows.  Planned cases
# it left without a row are marked failed by the host afterwards.
run() {
	local g=$1 c=$2
	shift 2
	"$@" 2>>/mnt/bench.err | emit
	[ "${PIPESTATUS[0]}" = 0 ] || echo "case $g $c failed: $*" >>/mnt/bench.err
}
progress() { echo "bench: $VARIANT trial $TRIAL: $*" >/dev/console; }

# stop_bpftrace PID...: SIGINT makes bpftrace print its maps and exit.  One
# that is still there 60 s later is reported on the console with its kernel
# stacks and the blocked tasks (sysrq w), then killed, and the boot goes on
# without its output, so that the cases after it are not lost too.
stop_bpftrace() {
	local p t i
	kill -INT "$@" 2>/dev/null
	for p in "$@"; do
		for i in $(seq 120); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$p" 2>/dev/null; then
			echo "bench: bpftrace $p did not exit 60 s after SIGINT: $(tr '\0' ' ' </proc/"$p"/cmdline)" >/dev/console
			for t in /proc/"$p"/task/*; do
				echo "bench: stack of ${t##*/}:" >/dev/console
				cat "$t/stack" >/dev/console 2>&1
			done
			echo w >/proc/sysrq-trigger
			echo "bpftrace $p killed: no exit 60 s after SIGINT" >>/mnt/bench.err
			kill -KILL "$p" 2>/dev/null
		else
			wait "$p" 2>/dev/null
		fi
	done
}

# --- hot path: in-kernel get/put pairs (bench/guest-hotpath.sh) -----------
progress hotpath
MODULE=$MODULE BIN=$BIN REPS=$REPS ITERS=$ITERS bash bench/guest-hotpath.sh \
	2>>/mnt/bench.err | emit

# --- workloads on ordinary memory, under perf stat ---------------------------
progress workloads
perf=$(command -v perf || true)
EVENTS=task-clock,context-switches,page-faults,cycles,instructions
mkdir -p /mnt/perf
# (the plan is read on fd 3: the programs may read stdin)
while read -r w _ <&3; do
	for r in $(seq "$WL_REPS"); do
		if [ -n "$perf" ]; then
			run workload "$w" "$perf" stat -x, -e "$EVENTS" -o "/mnt/perf/$w.$r.csv" -- \
				"$BIN/workloads" "$w" --seconds "$WL_SECONDS" --rep "$r"
		else
			run workload "$w" "$BIN/workloads" "$w" --seconds "$WL_SECONDS" --rep "$r"
		fi
	done
done 3<"$(planned workload)"

# --- GUP throughput, ordinary and 4K device-dax --------------------------------
progress gup
run gup ordinary "$BIN/gup_bench" --memory ordinary --label ordinary --reps "$REPS"
run gup devdax-4K "$BIN/gup_bench" --memory devdax --label devdax-4K --reps "$REPS"

# --- unbind latency, split into phases by bpftrace ---------------------------
progress unbind
bpftrace "bpf/unbind_phases.bt" >/mnt/phases.out 2>&1 &
bt1=$!
bt2=""
# a kernel without the series has no devmap tracepoints
if [ -d /sys/kernel/debug/tracing/events/devmap ]; then
	bpftrace "bpf/pin_callers.bt" >/mnt/pins.out 2>&1 &
	bt2=$!
fi
# bpftrace prints 'Attaching' once its probes are in (about 7 s under TCG)
for i in $(seq 120); do
	grep -q Attaching /mnt/phases.out 2>/dev/null &&
		{ [ -z "$bt2" ] || grep -q Attaching /mnt/pins.out 2>/dev/null; } && break
	sleep 0.5
done
sleep 1
# gup_race runs last, below: on baseline it may hit the use-after-free
while read -r s action <&3; do
	[ "$s" = gup_race ] && continue
	case "$action" in
	skip:*)	failrow unbind "$s" "skipped:${action#skip:}"
		continue ;;
	esac
	for r in $(seq "$REPS"); do
		run unbind "$s" "$BIN/unbind_latency" --scenario "$s" --rep "$r"
	done
done 3<"$(planned unbind)"
stop_bpftrace $bt1 $bt2

# --- GUP throughput on 2M (PMD) device-dax --------------------------------------
progress gup-2M
if ndctl create-namespace -f -e namespace0.0 -m devdax -a 2M >/mnt/ndctl-2M.log 2>&1; then
	run gup devdax-2M "$BIN/gup_bench" --memory devdax --label devdax-2M --reps "$REPS"
	ndctl create-namespace -f -e namespace0.0 -m devdax -a 4K >>/mnt/ndctl-2M.log 2>&1
fi

# --- last, since on baseline it may hit the use-after-free ------------------------
progress gup_race
for r in $(seq "$REPS"); do
	run unbind gup_race "$BIN/unbind_latency" --scenario gup_race --rep "$r"
done
progress done
