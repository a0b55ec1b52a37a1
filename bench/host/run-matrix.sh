#!/bin/bash
# bench/host/run-matrix.sh [--quick] [--functional-from DIR]: the benchmark matrix.
#
# Writes a run folder $RUNS_DIR/<time>/ (default build/runs) in the format
# of bench/FORMAT.md: manifest, static costs, the functional tests' outcome
# (run here, or copied from DIR), then TRIALS trials; each trial boots every
# variant once, in an order rotated by one per trial, and runs
# bench/guest-bench.sh in it.  A crashed or hung guest marks the cases it did
# not finish with its status and the matrix goes on.  JOBS guests boot side
# by side on the instruction clock (see the trials below).
# Default: 5 trials x 5 repetitions; --quick: 1 trial x 2 repetitions with
# shorter cases, a few minutes, for 'make test'.
# CLOCK=icount (default) boots every guest of the matrix on QEMU's
# instruction counter (guest ns = guest instructions, host/vm.sh -c);
# CLOCK=wall on the host's time.  Guests boot as production kernels (-P: no
# pin statistics), the functional tests with them.
set -eu
. "$(dirname "$0")/../../host/lib.sh"

quick=0 functional_from=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--functional-from) functional_from=$2; shift ;;
	*) die "usage: run-matrix.sh [--quick] [--functional-from DIR]" ;;
	esac
	shift
done
if [ "$quick" = 1 ]; then
	TRIALS=${TRIALS:-1} REPS=${REPS:-2} WL_REPS=1 WL_SECONDS=0.2 ITERS=50000 FIO_IOS=1000
else
	TRIALS=${TRIALS:-5} REPS=${REPS:-5} WL_REPS=3 WL_SECONDS=0.5 ITERS=200000 FIO_IOS=4000
fi
CLOCK=${CLOCK:-icount}
case "$CLOCK" in
icount) clock_desc="QEMU -icount shift=0,sleep=off: guest time advances 1 ns per guest instruction executed and skips idle time, so ns are instructions and code without I/O, timers or other CPUs' activity counts the same every time; nothing about the host's speed is in it" ;;
wall) clock_desc="guest CLOCK_MONOTONIC (userspace) and ktime_get_ns (module) under QEMU TCG: emulated time follows the host's wall clock, so host load and emulation overhead are in every number; no hardware counters in the guest" ;;
*) die "unknown CLOCK '$CLOCK' (known: icount wall)" ;;
esac
need_tools qemu-system-x86_64 objdump nm
for v in $VARIANTS; do
	[ -f "$KERNELS/$v/bzImage" ] || die "no kernel for '$v' (run 'make kernels')"
	[ -f "$KERNELS/$v/bench-module/devmap_bench.ko" ] || die "no bench module for '$v' (run 'make bench-module')"
done
for b in hotpath workloads gup_bench unbind_latency test_unbind; do
	[ -x "$BUILD/bin/$b" ] || die "missing build/bin/$b (run 'make guest-bins')"
done

run=${RUNS_DIR:-$BUILD/runs}/$(date +%Y%m%d-%H%M%S)
mkdir -p "$run/boots"
t_start=$(date +%s)
log "run folder $run"

# --- manifest -----------------------------------------------------------------
{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "git_commit=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$TOP" diff --quiet HEAD 2>/dev/null || echo -dirty)"
	echo "source_version=$(cat "$SRC_PRISTINE/SOURCE_VERSION")"
	echo "qemu_version=$(qemu-system-x86_64 --version | head -1)"
	echo "host_cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "host_cores=$(nproc)"
	for v in $VARIANTS; do echo "config_sha256_$v=$(sha256sum "$KERNELS/$v/.config" | cut -c1-16)"; done
	echo "clock=$CLOCK"
	echo "clock_desc=$clock_desc"
	echo "trials=$TRIALS"
	echo "reps=$REPS"
	echo "fio_ios=$FIO_IOS"
	echo "quick=$quick"
	echo "variants=$VARIANTS"
} >"$run/manifest.txt"

# --- static costs ---------------------------------------------------------------
python3 "$TOP/host/schema.py" header static.csv >"$run/static.csv"
ref=$(python3 "$EXPERIMENT" variants --reference ${CONFIG:+--config="$CONFIG"})
hooked=$(python3 "$EXPERIMENT" variants --hooked ${CONFIG:+--config="$CONFIG"})
for v in $VARIANTS; do
	vml=$KERNELS/$v/vmlinux
	# code size and build time as host/build-kernel.sh recorded them
	sed -n 's/^\(code_bytes\|hook_sites\|build_seconds\)=/'"$v"',\1,/p' \
		"$KERNELS/$v/build-info" >>"$run/static.csv"
	[ "$v" = "$ref" ] && continue
	python3 "$SRC_PRISTINE/scripts/bloat-o-meter" "$KERNELS/$ref/vmlinux" "$vml" \
		>"$run/bloat-$v.txt" 2>/dev/null || log "bloat-o-meter failed for $v"
done

# one inlined get_page()/put_page() site, the reference against the hooked
# variant, annotated, with llvm-mca's static estimate of its cycles
for h in $hooked; do
	python3 "$TOP/host/site-mca.py" "$KERNELS/$ref/bench-module/devmap_bench.ko" \
		"$KERNELS/$h/bench-module/devmap_bench.ko" >"$run/mca.txt" 2>"$run/mca.err" ||
		log "site-mca.py failed: $(cat "$run/mca.err")"
done

# --- functional tests -------------------------------------------------------------
if [ -n "$functional_from" ]; then
	cp "$functional_from/functional.csv" "$run/functional.csv"
else
	log "functional tests ($(host_jobs) guests at once)"
	functional_tests "$run/functional" $VARIANTS >"$run/functional.tap" 2>&1 || true
	cp "$run/functional/functional.csv" "$run/functional.csv"
fi

# host/vm.sh decided the accelerator at the first boot (build/accel)
echo "accel=$(cat "$BUILD/accel" 2>/dev/null || echo unknown)" >>"$run/manifest.txt"

# --- trials -----------------------------------------------------------------------
# Each trial boots every variant once, in an order rotated by one per trial.
# On the instruction clock a guest's counts do not depend on host load, so
# JOBS guests (default: one per core) boot side by side, started in that
# order; JOBS may be a list, one value per trial, the last repeated ("1 2":
# trial 1 one at a time, the rest two at a time; the quick matrix of 'make
# test' does this, so that host/check-exact.py can compare them).  Trials
# with different JOBS do not overlap.  On the wall clock host load is in
# every number: one guest at a time.  Rows land in boot order.
python3 "$TOP/host/schema.py" header samples.csv >"$run/samples.csv"
python3 "$TOP/host/schema.py" header cells.csv >"$run/cells.csv"
[ "$CLOCK" = icount ] || JOBS=1
read -ra jobs_list <<<"${JOBS:-$(nproc)}"
for j in "${jobs_list[@]}"; do
	case "$j" in '' | *[!0-9]* | 0) die "JOBS must be positive numbers, got '${JOBS}'" ;; esac
done
jobs_of() { local i=$(($1 - 1)); [ "$i" -lt "${#jobs_list[@]}" ] || i=$((${#jobs_list[@]} - 1)); echo "${jobs_list[$i]}"; }
echo "jobs=$(for t in $(seq "$TRIALS"); do jobs_of "$t"; done | tr '\n' ' ' | sed 's/ $//')" >>"$run/manifest.txt"
set -- $VARIANTS
nvar=$#
total=$((TRIALS * nvar))
boots=()   # "trial variant" in boot order
for t in $(seq "$TRIALS"); do
	order=""
	for i in $(seq 0 $((nvar - 1))); do
		idx=$(((i + t - 1) % nvar + 1))
		order="$order ${!idx}"
		boots+=("$t ${!idx}")
	done
	[ "$t" = 1 ] && sed -i "s/^variants=.*/variants=${order# }/" "$run/manifest.txt"
done

# boot N: boot number N (1-based) of $boots; leaves $dir.cell and
# $dir.samples, which land in the run's CSVs in boot order.
boot() {
	local n=$1 t v dir b0 secs status
	read -r t v <<<"${boots[$((n - 1))]}"
	dir=$run/boots/$t-$v
	mkdir -p "$dir"
	b0=$(date +%s)
	# the plan of the boot, which drives the guest (bench/guest-bench.sh)
	python3 "$EXPERIMENT" plan "$v" --kconfig="$KERNELS/$v/.config" >"$dir/plan.csv"
	bash "$TOP/host/vm.sh" -a 4K -c "$CLOCK" -P -t 1800 -i 300 -o "$dir" "$v" -- \
		"TRIAL=$t REPS=$REPS WL_REPS=$WL_REPS WL_SECONDS=$WL_SECONDS ITERS=$ITERS FIO_IOS=$FIO_IOS MODULE=$KERNELS/$v/bench-module/devmap_bench.ko BIN=$BUILD/bin bash bench/guest-bench.sh" \
		>/dev/null 2>"$dir.err" || true
	secs=$(($(date +%s) - b0))
	status=$(sed -n 's/^status=\([a-z]*\).*/\1/p' "$dir/vm-result" 2>/dev/null)
	status=${status:-failed}
	python3 "$TOP/bench/host/collect-boot.py" "$dir" "$v" "$t" "$status" >"$dir.samples"
	echo "$n,$t,$v,4K,$status,$secs" >"$dir.cell"
}

declare -A running=()   # pid -> boot number
declare -A started=()   # boot number -> start time
next=1 landed=0 done_n=0 failed_boots=0 boot_secs=0
# land: append finished boots to the CSVs, in boot order
land() {
	local t v dir
	while [ "$landed" -lt "$total" ]; do
		read -r t v <<<"${boots[$landed]}"
		dir=$run/boots/$t-$v
		[ -f "$dir.cell" ] || break
		cat "$dir.cell" >>"$run/cells.csv"
		cat "$dir.samples" >>"$run/samples.csv"
		rm -f "$dir.cell" "$dir.samples"
		landed=$((landed + 1))
	done
}
progress() {
	local now=$(date +%s) pid n t v line="" eta="?" jobs
	for pid in "${!running[@]}"; do
		n=${running[$pid]}
		read -r t v <<<"${boots[$((n - 1))]}"
		line="$line $t-$v $((now - started[$n]))s;"
	done
	jobs=$(jobs_of "$(echo "${boots[$((next > total ? total - 1 : next - 1))]}" | cut -d' ' -f1)")
	[ "$done_n" -gt 0 ] && eta="$((boot_secs / done_n * (total - done_n) / jobs))s"
	log "$done_n of $total boots done (elapsed $((now - t_start))s, about $eta left); running:${line:- none}"
}
while [ "$landed" -lt "$total" ]; do
	trial=$(echo "${boots[$((next - 1))]:-0}" | cut -d' ' -f1)
	limit=$(jobs_of "${trial:-1}")
	# the first boot of a machine decides the accelerator (host/vm.sh): alone
	[ -f "$BUILD/accel" ] || limit=1
	while [ "$next" -le "$total" ] && [ "${#running[@]}" -lt "$limit" ]; do
		t=${boots[$((next - 1))]%% *}
		# a trial with another JOBS starts when the boots before it ended
		if [ "${#running[@]}" -gt 0 ] && [ "$(jobs_of "$t")" != "$(jobs_of "${boots[$((next - 2))]%% *}")" ]; then
			break
		fi
		boot "$next" &
		running[$!]=$next
		started[$next]=$(date +%s)
		log "boot $next of $total: trial ${boots[$((next - 1))]/ / } starts"
		next=$((next + 1))
	done
	[ "${#running[@]}" -gt 0 ] || break
	wait -n -p pid "${!running[@]}" || true
	n=${running[$pid]}
	unset "running[$pid]"
	read -r t v <<<"${boots[$((n - 1))]}"
	done_n=$((done_n + 1))
	secs=$(($(date +%s) - started[$n]))
	boot_secs=$((boot_secs + secs))
	status=$(sed -n 's/^status=\([a-z]*\).*/\1/p' "$run/boots/$t-$v/vm-result" 2>/dev/null)
	[ "${status:-failed}" = ok ] || { failed_boots=$((failed_boots + 1)); log "  $t-$v: ${status:-failed}: $(cat "$run/boots/$t-$v.err")"; }
	land
	progress
done
# boots, and boots not ok, under their recorded names (host/schema.py)
{
	echo "cells_total=$total"
	echo "cells_failed=$failed_boots"
	echo "elapsed_s=$(($(date +%s) - t_start))"
} >>"$run/manifest.txt"
log "done: $run ($failed_boots of $total boots not ok)"
