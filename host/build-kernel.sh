#!/bin/bash
# host/build-kernel.sh VARIANT: build one kernel variant out of tree.
# Output: build/kernels/VARIANT/{bzImage,vmlinux,.config,build-info}
# build-info records the source version, series stamp, config hash, the
# wall time of the build and its code size (host/code-size.py).
# ccache: host/lib.sh (one per user, shared by every clone).
set -eu
. "$(dirname "$0")/lib.sh"

variant=${1:-}
[ -n "$variant" ] || die "usage: build-kernel.sh VARIANT"
variant_check "$variant"
need_tools make gcc ccache bison flex bc rsync
src=$(variant_src "$variant")
out=$KERNELS/$variant
[ -d "$src" ] || die "no source tree $src (run 'make source')"

export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=devmap KBUILD_BUILD_HOST=build
JOBS=${JOBS:-$(nproc)}

mkdir -p "$out"
start=$(date +%s)
# Reconfigure only when the inputs changed, so a no-change rebuild is cheap.
read -r _ base fragments < <(python3 "$EXPERIMENT" config "$variant")
inputs=$( (cd "$TOP" && cat $fragments; echo "$base"; python3 "$EXPERIMENT" modules "$variant"
	cat "$src/SOURCE_VERSION" "$src.stamp") 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config-inputs" 2>/dev/null)" != "$inputs" ]; then
	log "$variant: configuring"
	"$TOP/host/config-kernel.sh" "$variant" "$out"
	echo "$inputs" >"$out/.config-inputs"
fi
# A first build starts from the object tree of the kernel built from the
# same source whose .config differs least from ours, so kbuild recompiles
# only what the differing options reach (coarse -> busy: the files that
# spell their symbols; fine's hook is in page_ref.h, which reaches nearly
# everything).  The result is that of an incremental build, which kbuild
# keeps correct through include/config/ and the .cmd files.
if [ ! -f "$out/vmlinux" ] && [ "${SEED:-1}" = 1 ]; then
	seed=$(seed_tree "$variant" "$out/.config")
	if [ -n "$seed" ]; then
		log "$variant: starting from $seed's objects ($(config_distance \
			"$KERNELS/$seed/.config" "$out/.config") .config lines differ)"
		rsync -a --exclude=/.config --exclude=/.config-inputs --exclude=/.config.want \
			--exclude=/build-info --exclude=/build.log --exclude=/bench-module \
			--exclude=/bzImage "$KERNELS/$seed/" "$out/"
		echo "$seed" >"$out/seeded-from"
	fi
fi
log "$variant: building in $out"
before=$(stat -c %Y "$out/vmlinux" 2>/dev/null || echo none)
last=$(sed -n 's/^build_seconds=//p' "$out/build-info" 2>/dev/null || true)
make -s -C "$src" O="$out" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" \
	bzImage modules >"$out/build.log" 2>&1 || {
	grep -E "error|Error" "$out/build.log" | head -5 >&2
	die "$variant: kernel build failed (log: $out/build.log)"
}
cp "$out/arch/x86/boot/bzImage" "$out/bzImage"
end=$(date +%s)
{
	echo "variant=$variant"
	echo "source_version=$(cat "$src/SOURCE_VERSION")"
	echo "series=$(cat "$src.stamp" 2>/dev/null || echo none)"
	echo "config_sha256=$(sha256sum "$out/.config" | cut -c1-16)"
	echo "seeded_from=$(cat "$out/seeded-from" 2>/dev/null || echo none)"
	# a rebuild that changed nothing keeps the time of the build that did
	if [ "$(stat -c %Y "$out/vmlinux")" = "$before" ] && [ -n "$last" ]; then
		echo "build_seconds=$last"
	else
		echo "build_seconds=$((end - start))"
	fi
	python3 "$TOP/host/code-size.py" "$out/vmlinux"
} >"$out/build-info"
# Compiler warnings are collected per variant over its builds (a no-change
# rebuild compiles nothing); host/check-kernels.sh compares them to
# baseline's.  Cleared with the build dir.
touch "$out/warnings.txt"
grep -E "warning:" "$out/build.log" | sort -u - "$out/warnings.txt" -o "$out/warnings.txt" || true
log "$variant: done in $((end - start)) s, $(grep code_bytes "$out/build-info")"
