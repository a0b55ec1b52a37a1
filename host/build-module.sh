#!/bin/bash
# host/build-module.sh VARIANT: build bench/module (the in-kernel
# hot-path microbenchmark) against build/kernels/VARIANT.
# Output: build/kernels/VARIANT/bench-module/devmap_bench.ko.  The sources
# are copied there first, since kbuild writes its objects next to them.
set -eu
. "$(dirname "$0")/lib.sh"

variant=${1:-}
variant_check "$variant"
kdir=$KERNELS/$variant
[ -f "$kdir/vmlinux" ] || die "no kernel for '$variant' (run 'make kernel VARIANT=$variant')"
mdir=$kdir/bench-module
mkdir -p "$mdir"
cp "$TOP"/bench/module/* "$mdir/"
make -s -C "$kdir" M="$mdir" W=1 modules >"$mdir/build.log" 2>&1 || {
	grep -E "error|warning" "$mdir/build.log" | head -5 >&2
	die "$variant: bench module build failed (log: $mdir/build.log)"
}
! grep -q "warning:" "$mdir/build.log" || die "$variant: bench module build warns (log: $mdir/build.log)"
