#!/bin/bash
# tests/run-debug.sh: 'make test-debug'.  Builds coarse-debug and fine-debug
# (Kconfig.fragment + Kconfig.debug: KASAN, lockdep, DEBUG_VM) and runs the
# functional suite on them at 4K and 2M, whose race scenario is test_cycles:
# 200 unbind/bind cycles here, racing a load that maps, GUPs, forks and
# unmaps half of each mapping (a VMA split) before the rest.  Any KASAN,
# lockdep or WARN report fails the boot (scripts/console-verdict.sh).
# The known-oops cases are left to 'make test': under KASAN their report
# is not the plain page fault that run-functional.sh recognises.
set -u
. "$(dirname "$0")/../scripts/lib.sh"

out=$BUILD/test/debug
rm -rf "$out"
rc=0
for v in $(python3 "$EXPERIMENT" variants --debug); do
	bash "$TOP/scripts/build-kernel.sh" "$v" || { echo "not ok - $v builds"; rc=1; continue; }
	DEVMAP_CYCLES=200 VM_TIMEOUT=2400 bash "$TOP/tests/run-functional.sh" "$v" "$out" || rc=1
done
read -r p f < <(cat "$out"/counts-* 2>/dev/null | awk '{p += $1; f += $2} END {print p + 0, f + 0}')
echo "$p passed, $f failed"
exit "$rc"
