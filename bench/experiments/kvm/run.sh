#!/bin/bash
# bench/experiments/kvm/run.sh VARIANT [build|boot]: KVM in the guest, with
# /dev/dax guest memory (issue 24, series v9 item 2), outside the matrix:
# VARIANT's lean kernel plus VIRTUALIZATION, KVM and KVM_AMD, built in
# build/kvm/VARIANT from a copy of VARIANT's object tree, then booted twice
# on QEMU TCG's SVM (-cpu qemu64,+svm,+npt), kvm_amd.npt=0 (the shadow MMU)
# and npt=1, each running test_kvm.  Results: build/kvm/VARIANT-npt{0,1}/.
set -eu
. "$(dirname "$0")/../../../host/lib.sh"
cd "$TOP"
v=${1:-}
phase=${2:-all}
variant_check "$v"
[ -f "$KERNELS/$v/vmlinux" ] || die "no kernel for '$v' (run 'make kernel VARIANT=$v')"
src=$(variant_src "$v")
k=$BUILD/kvm/$v
export CCACHE_DIR=$BUILD/ccache CCACHE_BASEDIR=$BUILD
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026" KBUILD_BUILD_USER=devmap KBUILD_BUILD_HOST=build
if [ "$phase" != boot ]; then
	mkdir -p "$k"
	rsync -a --delete --exclude=/bench-module "$KERNELS/$v/" "$k/"
	"$src/scripts/config" --file "$k/.config" --enable VIRTUALIZATION --enable KVM --enable KVM_AMD
	make -s -C "$src" O="$k" olddefconfig
	for o in KVM KVM_AMD; do
		grep -qx "CONFIG_$o=y" "$k/.config" || die "$v: CONFIG_$o did not survive olddefconfig"
	done
	t0=$SECONDS
	make -s -C "$src" O="$k" -j"$(nproc)" CC="ccache gcc" HOSTCC="ccache gcc" bzImage \
		>"$k/build.log" 2>&1 || die "$v+kvm: build failed (log: $k/build.log)"
	log "$v+kvm: built in $((SECONDS - t0)) s"
fi
[ "$phase" = build ] && exit 0
make -s "$BUILD/bin/test_kvm"
for npt in 0 1; do
	out=$BUILD/kvm/$v-npt$npt
	bash host/vm.sh -k "$k/arch/x86/boot/bzImage" -C qemu64,+svm,+npt -A "kvm_amd.npt=$npt" \
		-t 900 -o "$out" "$v" -- "build/bin/test_kvm" >/dev/null 2>&1 || true
	echo "$v npt=$npt: $(cat "$out/vm-result")"
	grep -E '^(ok|not ok)' "$out/cmd.out" || true
done
