# host/lib.sh: paths and helpers shared by every host-side script.
# Sourced, not run.  Sets TOP, BUILD, SRC_* and defines die/log/variant_*.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SRC_PKG=linux-source-6.12
SRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC_PRISTINE=$BUILD/src/linux-pristine
SRC_PATCHED=$BUILD/src/linux-patched
KERNELS=$BUILD/kernels
# the variants and what each promises: host/experiment.py, declared once
EXPERIMENT=$TOP/host/experiment.py
# (python3 comes with 'make deps', which needs no variant)
VARIANTS=$(python3 "$EXPERIMENT" variants 2>/dev/null) || VARIANTS=""

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# variant_check NAME: die unless NAME is a known variant or a debug build of one.
variant_check() {
	python3 "$EXPERIMENT" check "$1" || exit 1
}

# variant_src NAME: the source tree a variant builds from.
variant_src() {
	case "$(python3 "$EXPERIMENT" source "$1")" in
	pristine) echo "$SRC_PRISTINE" ;;
	*) echo "$SRC_PATCHED" ;;
	esac
}

# variant_policy NAME: the Kconfig line that selects the variant's policy.
variant_policy() {
	python3 "$EXPERIMENT" kconfig "$1"
}

# series_patches [SERIES]: the patch files a series file (default
# kernel-patches/series) lists, in order: no comments, no blank lines.
series_patches() {
	grep -v -e '^#' -e '^[[:space:]]*$' "${1:-$TOP/kernel-patches/series}"
}

# need_tools TOOL...: one-line error for the first tool that is missing.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || die "missing tool '$t' (run 'make deps')"
	done
}
