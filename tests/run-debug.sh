#!/bin/bash
# tests/run-debug.sh: 'make test-debug'.  Builds each debug variant
# (coarse-debug, fine-debug, busy-debug: Kconfig.fragment + Kconfig.debug:
# KASAN, lockdep, DEBUG_VM) and runs the functional suite on them at 4K and
# 2M, whose race scenario is test_cycles:
# 200 unbind/bind cycles here, racing a load that maps, GUPs, forks and
# unmaps half of each mapping (a VMA split) before the rest.  Any KASAN,
# lockdep or WARN report fails the boot (host/console-verdict.sh).
# The known-oops cases are left to 'make test': under KASAN their report
# is not the plain page fault that run-functional.sh recognises.  One more
# boot per variant puts the memmap in RAM (map_mem below): what a reference
# that outlives the unbind does when its struct pages were ordinary pages.
set -u
. "$(dirname "$0")/../host/lib.sh"

out=$BUILD/test/debug
rm -rf "$out"
rc=0
# map_mem VARIANT: test_outliving's vmsplice case with the memmap in RAM
# (ndctl --map=mem), whose pages unbind gives back to the page allocator.
# A variant whose policy does not wait for that reference (its case is an
# expected oops in host/experiment.py) must crash or report, not pass; the
# others must pass.  Writes $out/counts-VARIANT-map-mem.
map_mem() {
	local v=$1 base=${1%-debug} dir=$out/$1-map-mem rc=0 expect=pass res
	python3 "$EXPERIMENT" oopses "$base" | grep -q ' outliving.vmsplice_then_unbind ' &&
		expect=crash
	echo "# $v/map-mem: booting, memmap in RAM, expecting $expect"
	bash "$TOP/host/vm.sh" -a 4K -t 600 -i 120 -o "$dir" "$v" -- \
		"ndctl create-namespace -f -e namespace0.0 -m devdax -M mem -a 4K >/dev/null &&
		 build/bin/test_outliving -r outliving.vmsplice_then_unbind" \
		>/dev/null 2>"$dir.err" || rc=$?
	res=$(cat "$dir/vm-result" 2>/dev/null || echo "status=none")
	if { [ "$expect" = pass ] && [ "$rc" = 0 ]; } ||
		{ [ "$expect" = crash ] && { [ "$rc" = 2 ] || [ "$rc" = 3 ]; }; }; then
		echo "ok - $v/map-mem: $res"
		echo "1 0" >"$out/counts-$v-map-mem"
		return 0
	fi
	echo "not ok - $v/map-mem: expected $expect, got: $res"
	echo "0 1" >"$out/counts-$v-map-mem"
	return 1
}

for v in $(python3 "$EXPERIMENT" variants --debug); do
	bash "$TOP/host/build-kernel.sh" "$v" || { echo "not ok - $v builds"; rc=1; continue; }
	DEVMAP_CYCLES=200 VM_TIMEOUT=2400 bash "$TOP/tests/run-functional.sh" "$v" "$out" || rc=1
	map_mem "$v" || rc=1
done
read -r p f < <(cat "$out"/counts-* 2>/dev/null | awk '{p += $1; f += $2} END {print p + 0, f + 0}')
echo "$p passed, $f failed"
exit "$rc"
