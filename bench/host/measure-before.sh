#!/bin/bash
# bench/host/measure-before.sh REV RUN_DIR: the fine kernel of the series as it
# was at git revision REV, measured into RUN_DIR/before/ (bench/FORMAT.md),
# so that the report can show fine before and after this series version.
#
# Builds the packaged source with REV's kernel-patches/ under
# build/before-<rev>/ (patch(1), from build-essential; sharing the
# ccache, host/lib.sh), the bench module against it,
# and boots it on the instruction clock with the same hot-path cases as the
# matrix (bench/guest-hotpath.sh), REPS (default 5) repetitions.  Writes
# RUN_DIR/before/{manifest.txt,samples.csv,static.csv}; LABEL names the
# version in the report (default "the series at <rev>").  About 8 min here.
set -eu
. "$(dirname "$0")/../../host/lib.sh"

rev=${1:-} run=${2:-}
[ -n "$rev" ] && [ -d "$run" ] || die "usage: measure-before.sh REV RUN_DIR"
short=$(git -C "$TOP" rev-parse --short "$rev^{commit}" 2>/dev/null) || die "unknown revision '$rev'"
b=$BUILD/before-$short
mkdir -p "$b/patches" "$b/src"
git -C "$TOP" show "$rev:kernel-patches/series" >"$b/patches/series" 2>/dev/null ||
	die "no kernel-patches/series at $rev"
if [ ! -f "$b/src/linux-patched.stamp" ]; then
	log "before $short: patched tree"
	rm -rf "$b/src/linux-patched"
	cp -a "$SRC_PRISTINE" "$b/src/linux-patched"
	for p in $(series_patches "$b/patches/series"); do
		git -C "$TOP" show "$rev:kernel-patches/$p" |
			patch -d "$b/src/linux-patched" -p1 -s -f >/dev/null ||
			die "patch $p of $rev does not apply to $SRC_PKG"
	done
	echo "$short" >"$b/src/linux-patched.stamp"
fi
ln -sfn "$SRC_PRISTINE" "$b/src/linux-pristine"
[ -f "$BUILD/accel" ] && cp "$BUILD/accel" "$b/accel"
BUILD=$b bash "$TOP/host/build-kernel.sh" fine
BUILD=$b bash "$TOP/host/build-module.sh" fine
[ -x "$BUILD/bin/hotpath" ] || die "missing build/bin/hotpath (run 'make guest-bins')"

reps=${REPS:-5}
# the boot's plan (bench/FORMAT.md), which bench/guest-hotpath.sh runs: the
# matrix's hot-path cases
mkdir -p "$b/vm"
python3 "$EXPERIMENT" plan fine | grep '^hotpath,' >"$b/vm/plan.csv"
BUILD=$b bash "$TOP/host/vm.sh" -a 4K -c icount -P -t 900 -o "$b/vm" fine -- \
	"MODULE=$b/kernels/fine/bench-module/devmap_bench.ko BIN=$BUILD/bin REPS=$reps ITERS=200000 bash bench/guest-hotpath.sh" ||
	die "the guest of $short did not end ok (see $b/vm)"
out=$run/before
mkdir -p "$out"
printf 'clock=icount\nseries=%s\nrev=%s\nreps=%s\n' "${LABEL:-the series at $short} ($short)" \
	"$short" "$reps" >"$out/manifest.txt"
python3 "$TOP/host/schema.py" header samples.csv >"$out/samples.csv"
# the guest's rows, stamped on the host as the matrix's are
grep '^hotpath,' "$b/vm/cmd.out" >"$b/vm/samples.part.csv" || true
python3 "$TOP/bench/host/collect-boot.py" "$b/vm" fine 1 ok >>"$out/samples.csv"
python3 "$TOP/host/schema.py" header static.csv >"$out/static.csv"
# the code size build-kernel.sh recorded, as run-matrix.sh reads it
sed -n 's/^\(code_bytes\|hook_sites\)=/fine,\1,/p' "$b/kernels/fine/build-info" >>"$out/static.csv"
log "before $short: $(($(wc -l <"$out/samples.csv") - 1)) samples in $out"
