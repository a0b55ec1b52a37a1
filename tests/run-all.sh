#!/bin/bash
# tests/run-all.sh: what 'make test' runs.  Each step's output is printed;
# its TAP-style 'ok'/'not ok' lines are counted, a step that fails without
# saying which check failed counts as one failure, and the last line is
# 'N passed, N failed'.  Steps go on after a failure, so one broken part
# does not hide the state of the others.  Its time: see README.
set -u
. "$(dirname "$0")/../host/lib.sh"
cd "$TOP"

passed=0 failed=0 start=$SECONDS
tdir=$BUILD/test
mkdir -p "$tdir"

# step NAME CMD...: run, show, count.
step() {
	local name=$1 rc=0 p f t0=$SECONDS took
	shift
	echo "# === $name"
	"$@" >"$tdir/$name.log" 2>&1 || rc=$?
	cat "$tdir/$name.log"
	took="took $((SECONDS - t0)) s"
	# a step started by bg: the time it ran, in the background
	[ -f "$tdir/$name.bg-time" ] && took=$(awk '{print "took " $2 - $1 " s in the background"}' "$tdir/$name.bg-time")
	echo "# --- $name $took (total $((SECONDS - start)) s)"
	p=$(grep -cE '^ok( |$)' "$tdir/$name.log" || true)
	f=$(grep -cE '^not ok( |$)' "$tdir/$name.log" || true)
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited $rc: $(grep -m1 '^error' "$tdir/$name.log" || tail -1 "$tdir/$name.log")"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	return "$rc"
}

# bg NAME CMD...: queue a step to run in the background, after the steps
# queued before it; join NAME waits for it, then shows and counts it as step
# does.  For the single-threaded checks that need only the source tree,
# queued before the kernel builds, which leave a core idle while they link.
declare -A bg_pid
bg_last=
bg() {
	local name=$1 prev=$bg_last
	shift
	rm -f "$tdir/$name.bg-time"
	(
		while [ -n "$prev" ] && kill -0 "$prev" 2>/dev/null; do sleep 1; done
		t0=$SECONDS
		"$@" >"$tdir/$name.bg" 2>&1
		echo $? >"$tdir/$name.bg-rc"
		echo "$t0 $SECONDS" >"$tdir/$name.bg-time"
	) &
	bg_pid[$name]=$!
	bg_last=$!
}
replay() {
	cat "$tdir/$1.bg"
	return "$(cat "$tdir/$1.bg-rc" 2>/dev/null || echo 1)"
}
join() {
	wait "${bg_pid[$1]}"
	step "$1" replay "$1"
}

# A one-check step: ok when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; return 1; fi
}

host_units() {
	local f rc=0
	for f in host/*.sh guest/*.sh tests/*.sh bench/*.sh bench/host/*.sh .ci/run; do
		[ -f "$f" ] && { check "bash -n $f" bash -n "$f" || rc=1; }
	done
	python3 host/unittest_tap.py tests/host || rc=1
	return "$rc"
}

functional() {
	rm -rf "$tdir/functional"
	functional_tests "$tdir/functional" $VARIANTS
}

quick_bench() {
	local rc=0 run
	rm -rf "$tdir/runs"
	# two trials, one guest at a time then two side by side: the judge
	# (host/check-exact.py) holds them to the same counts
	check "quick benchmark matrix completes" env RUNS_DIR="$tdir/runs" TRIALS=2 JOBS="1 2" \
		bash bench/host/run-matrix.sh --quick --functional-from "$tdir/functional" || return 1
	run=$(python3 host/report.py --latest-run "$tdir/runs")
	check "every boot of the quick matrix ended ok" awk -F, \
		'NR > 1 && $5 != "ok" {bad = 1} END {exit bad}' "$run/cells.csv" || rc=1
	# the instrument resolves the hot-path question (host/check-exact.py)
	python3 host/check-exact.py "$run" || rc=1
	check "report generated from the quick run" python3 host/report.py "$run" \
		--out "$tdir/REPORT.md" --plots-dir "$tdir/plots" --cover "$tdir/cover.patch" || rc=1
	return "$rc"
}

step deps bash host/deps.sh
step source bash host/source.sh
# the distro config is built only on demand (make kernels CONFIG=distro):
# here only that it merges
bg configs bash host/check-configs.sh distro
bg host-units host_units
bg series bash host/check-series.sh
for v in $VARIANTS; do
	step "kernel-$v" check "kernel $v builds" bash host/build-kernel.sh "$v"
done
join configs
join host-units
join series
step kernels bash host/check-kernels.sh
# FULL=1 (make test-full): every patch builds on its own, the objects the
# series touches, built once per patch and policy (out of make test's time)
[ "${FULL:-0}" = 1 ] && step bisect bash host/check-bisect.sh --quick
step guest-bins check "guest tests and benchmarks build with -Wall -Wextra -Werror" make -s guest-bins
step functional functional
for v in $VARIANTS; do
	step "module-$v" check "bench module builds W=1 clean against $v" bash host/build-module.sh "$v"
done
cp kernel-patches/0000-cover-letter.patch "$tdir/cover.patch"
step bench quick_bench

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
