#!/bin/bash
# host/check-bisect.sh [--quick]: every patch builds on its own.
# Applies the series one patch at a time to a worktree of the packaged
# source and, after each patch, builds it with every policy it has (as
# baseline while the policy choice is not there yet).  Full mode
# builds vmlinux.  --quick, which 'make test' uses to stay within its time
# budget, builds the objects of every .c file the series touches plus users
# of every header it touches (GUP, swap, pipe, skb, netdev), and vfio type1
# (every config here adds VFIO); not KVM, whose objects --quick would
# rebuild after every header change: patch 18, the last, touches it, and
# every lean kernel (KVM=y) builds it on top of the whole series.  Any
# compiler warning
# fails the check.  Prints TAP-style lines; exit 1 if any build failed.
set -eu
. "$(dirname "$0")/lib.sh"

targets=vmlinux
[ "${1:-}" = "--quick" ] && targets="mm/memremap.o mm/gup.o mm/mm_init.o mm/swap.o mm/huge_memory.o
	drivers/dax/device.o drivers/dax/bus.o drivers/dax/super.o fs/pipe.o
	net/core/skbuff.o net/core/dev.o drivers/vfio/vfio_iommu_type1.o
	drivers/nvdimm/namespace_devs.o"
targets=$(echo $targets)
[ -d "$SRC_PATCHED/.git" ] || die "no patched tree (run 'make source')"

wt=$BUILD/src/bisect-tree
# one at a time: a second run would remove the first one's work tree
mkdir -p "$BUILD"
exec 9>"$BUILD/bisect.lock"
flock -n 9 || die "another check-bisect is running (build/bisect.lock)"
rm -rf "$wt"
# configs are made afresh on each run, then kept while patches leave Kconfig alone
rm -f "$BUILD"/bisect/*/.config
git -C "$SRC_PATCHED" worktree prune
git -C "$SRC_PATCHED" worktree add -q --detach "$wt" base
# vfio type1 (patch 15) is in none of the measured configs: each config
# here adds it, so that every patch builds with it too.
with_vfio() {
	"$1/scripts/config" --file "$2/.config" --enable VFIO &&
		make -s -C "$1" O="$2" olddefconfig &&
		grep -qx 'CONFIG_VFIO_IOMMU_TYPE1=y' "$2/.config"
}
fail=0
n=0
for p in $(series_patches); do
	n=$((n + 1))
	git -C "$wt" am -q "$TOP/kernel-patches/$p" >/dev/null 2>&1 ||
		{ echo "not ok - patch $n ($p) does not apply"; fail=1; break; }
	# Each policy builds from the patch that adds its Kconfig entry on.  A
	# patch before the choice (a stand-alone fix) has no policy to build
	# with: it builds as baseline does.
	kconfig_changed=$(git -C "$wt" diff --name-only HEAD~1 HEAD | grep -E '(^|/)Kconfig' || true)
	policies=
	for v in $(python3 "$EXPERIMENT" variants --patched); do
		sym=$(variant_policy "$v" | sed 's/^CONFIG_//; s/=.*//')
		grep -q "^config $sym\$" "$wt/mm/Kconfig" && policies="$policies $v"
	done
	[ -n "$policies" ] || policies=$(python3 "$EXPERIMENT" variants --reference)
	for policy in $policies; do
		out=$BUILD/bisect/$policy
		log=$out/bisect-$n.log
		mkdir -p "$out"
		# a patch that touches no Kconfig leaves the policy's config as it was
		if { [ -f "$out/.config" ] && [ -z "$kconfig_changed" ] ||
			{ KSRC=$wt "$TOP/host/config-kernel.sh" "$policy" "$out" &&
				with_vfio "$wt" "$out"; } >"$out/config.log" 2>&1; } &&
			make -s -C "$wt" O="$out" -j"$(nproc)" CC="ccache gcc" $targets >"$log" 2>&1; then
			if grep -q "warning:" "$log"; then
				echo "not ok - patch $n builds with $policy but warns"
				grep "warning:" "$log" | head -5 | sed 's/^/# /'
				fail=1
			else
				echo "ok - patch $n builds on its own with $policy (${targets%% *}...)"
			fi
		else
			echo "not ok - patch $n does not build with $policy, see $log"
			grep -E "error" "$log" "$out/config.log" 2>/dev/null | head -5 | sed 's/^/# /'
			fail=1
		fi
	done
done
git -C "$SRC_PATCHED" worktree remove --force "$wt"
exit "$fail"
