#!/bin/bash
# host/check-arch-busy.sh SRC: DEVMAP_PIN_BUSY only where its premise is
# proven.  Busy lets a device-dax page idle at count 0 and relies on GUP's
# devmap paths being the only code that takes the first reference of such a
# page; that holds only where devmap PMDs are not pmd_trans_huge() and devmap
# PTEs are special (x86-64), so the series offers it only where the
# architecture selects ARCH_HAS_DEVMAP_PIN_BUSY.  This checks that Kconfig
# does what the series says, on the tree SRC (the series applied):
#
# for each ARCH below, in one scratch O= directory: its defconfig with a
# fragment appended that asks for ZONE_DEVICE and device-dax (and what they
# depend on) plus CONFIG_DEVMAP_PIN_BUSY=y, then 'make olddefconfig'.  That
# is 'make defconfig' with the fragment merged in (merge_config.sh -m, as
# host/config-kernel.sh does, also lets the later line win), in one Kconfig
# run per architecture instead of two.  No cross compiler is needed:
# Kconfig runs with the host's gcc, and only the options that probe the
# compiler or assembler for the target come out off, none of which
# ZONE_DEVICE or the pinning choice depends on.
#
#   x86_64                  ZONE_DEVICE=y and DEVMAP_PIN_BUSY=y survive;
#   arm64 riscv loongarch   ZONE_DEVICE=y survives (else this would prove
#                           nothing) and DEVMAP_PIN_BUSY is dropped;
#   i386                    no ZONE_DEVICE at all (ARCH_HAS_PTE_DEVMAP is
#                           X86_64 only), so no DEVMAP_PIN_BUSY either.
#
# One 'ok'/'not ok' line per architecture (TAP-style, as check-series.sh
# prints), then how long it took; exit 1 if any failed.
set -eu
. "$(dirname "$0")/lib.sh"

src=$(realpath "${1:?usage: $0 SRC}")
[ -f "$src/mm/Kconfig" ] || die "$src: not a kernel tree"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-arch-busy.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

frag=$scratch/busy.config
cat >"$frag" <<'EOF'
CONFIG_SPARSEMEM_VMEMMAP=y
CONFIG_MEMORY_HOTPLUG=y
CONFIG_MEMORY_HOTREMOVE=y
CONFIG_TRANSPARENT_HUGEPAGE=y
CONFIG_ZONE_DEVICE=y
CONFIG_LIBNVDIMM=y
CONFIG_DEV_DAX=y
CONFIG_DEVMAP_PIN_BUSY=y
EOF

fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

out=$scratch/o
mkdir -p "$out"
# ARCH, its defconfig (KBUILD_DEFCONFIG of arch/*/Makefile), the symbol its
# .config must have (Kconfig really ran for it), what busy must do there
specs=(x86_64:x86/configs/x86_64_defconfig:X86_64:keep
	arm64:arm64/configs/defconfig:ARM64:drop
	riscv:riscv/configs/defconfig:RISCV:drop
	loongarch:loongarch/configs/loongson3_defconfig:LOONGARCH:drop
	i386:x86/configs/i386_defconfig:X86_32:none)
for spec in "${specs[@]}"; do
	IFS=: read -r arch defconfig sym want <<<"$spec"
	cat "$src/arch/$defconfig" "$frag" >"$out/.config"
	if ! make -s -C "$src" O="$out" ARCH="$arch" olddefconfig >"$out/log" 2>&1; then
		notok "kconfig $arch: olddefconfig failed: $(tail -n 1 "$out/log")"
		continue
	fi
	has() { grep -qx "CONFIG_$1=y" "$out/.config"; }
	if ! has "$sym"; then
		notok "kconfig $arch: no CONFIG_$sym=y in its .config: Kconfig did not run for $arch"
		continue
	fi
	policy=$(sed -n 's/^CONFIG_\(DEVMAP_PIN_[A-Z]*\)=y$/\1/p' "$out/.config")
	dax=$(sed -n 's/^CONFIG_DEV_DAX=//p' "$out/.config")
	case "$want" in
	keep)
		if ! has ZONE_DEVICE; then
			notok "kconfig $arch: ZONE_DEVICE=y did not survive olddefconfig"
		elif ! has ARCH_HAS_DEVMAP_PIN_BUSY; then
			notok "kconfig $arch: ARCH_HAS_DEVMAP_PIN_BUSY not selected: x86-64 must opt in to DEVMAP_PIN_BUSY"
		elif ! has DEVMAP_PIN_BUSY; then
			notok "kconfig $arch: DEVMAP_PIN_BUSY=y dropped (policy: ${policy:-none}) where the architecture opts in"
		else
			ok "kconfig $arch: ZONE_DEVICE=y, DEV_DAX=${dax:-n}, ARCH_HAS_DEVMAP_PIN_BUSY=y, DEVMAP_PIN_BUSY=y kept"
		fi ;;
	drop)
		if ! has ZONE_DEVICE; then
			notok "kconfig $arch: ZONE_DEVICE=y did not survive olddefconfig, so dropping DEVMAP_PIN_BUSY would prove nothing"
		elif has DEVMAP_PIN_BUSY || has ARCH_HAS_DEVMAP_PIN_BUSY; then
			notok "kconfig $arch: DEVMAP_PIN_BUSY=y survived olddefconfig, but busy's premise does not hold on $arch (only x86-64 may select ARCH_HAS_DEVMAP_PIN_BUSY)"
		else
			ok "kconfig $arch: ZONE_DEVICE=y, DEV_DAX=${dax:-n}, DEVMAP_PIN_BUSY dropped (policy: ${policy:-none})"
		fi ;;
	none)
		if has ZONE_DEVICE || has DEVMAP_PIN_BUSY || has ARCH_HAS_DEVMAP_PIN_BUSY; then
			notok "kconfig $arch: ZONE_DEVICE, DEVMAP_PIN_BUSY or ARCH_HAS_DEVMAP_PIN_BUSY set on 32-bit x86"
		else
			ok "kconfig $arch: no ZONE_DEVICE (ARCH_HAS_PTE_DEVMAP is X86_64 only), no ARCH_HAS_DEVMAP_PIN_BUSY"
		fi ;;
	esac
done
echo "# kconfig of ${#specs[@]} architectures took $SECONDS s"
exit "$fail"
