# scripts/lib.sh: paths and helpers shared by every host-side script.
# Sourced, not run.  Sets TOP, BUILD, SRC_* and defines die/log/variant_*.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SRC_PKG=linux-source-6.12
SRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC_PRISTINE=$BUILD/src/linux-pristine
SRC_PATCHED=$BUILD/src/linux-patched
KERNELS=$BUILD/kernels
VARIANTS="baseline coarse fine"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# variant_check NAME: die unless NAME is a known (optionally -debug) variant.
variant_check() {
	case "$1" in
	baseline | coarse | fine | coarse-debug | fine-debug) ;;
	*) die "unknown variant '$1' (known: baseline coarse fine coarse-debug fine-debug)" ;;
	esac
}

# variant_src NAME: the source tree a variant builds from.
variant_src() {
	case "$1" in
	baseline*) echo "$SRC_PRISTINE" ;;
	*) echo "$SRC_PATCHED" ;;
	esac
}

# variant_policy NAME: the Kconfig line that selects the variant's policy.
variant_policy() {
	case "$1" in
	coarse*) echo "CONFIG_DEVMAP_PIN_COARSE=y" ;;
	fine*) echo "CONFIG_DEVMAP_PIN_FINE=y" ;;
	*) echo "" ;;
	esac
}

# need_tools TOOL...: one-line error for the first tool that is missing.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || die "missing tool '$t' (run 'make deps')"
	done
}
