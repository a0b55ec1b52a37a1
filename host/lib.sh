# host/lib.sh: paths and helpers shared by every host-side script.
# Sourced, not run.  Sets TOP, BUILD, SRC_* and defines die/log/variant_*.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
SRC_PKG=linux-source-6.12
SRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC_PRISTINE=$BUILD/src/linux-pristine
SRC_PATCHED=$BUILD/src/linux-patched
KERNELS=$BUILD/kernels
# ccache: one per user, outside the clone, so that a fresh clone (CI's) or a
# second worktree compiles only what no earlier build on this machine did;
# CCACHE_BASEDIR makes the paths in its keys relative to build/.
CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/devmap-pin-ccache}
export CCACHE_DIR CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-25G}
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
# the variants and what each promises: host/experiment.py, declared once
EXPERIMENT=$TOP/host/experiment.py
# (python3 comes with 'make deps', which needs no variant)
# CONFIG: a kernel config of host/experiment.py CONFIGS (default: its default)
# ONLY: some of its variants, by variant name ("baseline fine")
VARIANTS=$(python3 "$EXPERIMENT" variants ${CONFIG:+--config="$CONFIG"} ${ONLY:+--only="$ONLY"} \
	2>/dev/null) || VARIANTS=""
[ -z "${ONLY:-}" ] || [ -n "$VARIANTS" ] ||
	{ python3 "$EXPERIMENT" variants ${CONFIG:+--config="$CONFIG"} --only="$ONLY" >/dev/null; exit 1; }

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

# config_distance A B: how many option lines two .config files do not share.
config_distance() {
	comm -3 <(grep -E '^(CONFIG_|# CONFIG_)' "$1" | sort) \
		<(grep -E '^(CONFIG_|# CONFIG_)' "$2" | sort) | wc -l
}

# seed_tree NAME CONFIG: the built kernel (same source tree) whose .config is
# nearest CONFIG, if at most 20 lines apart; nothing if none is.
seed_tree() {
	local k d best="" bestd=21 src
	src=$(variant_src "$1")
	for k in $VARIANTS $(python3 "$EXPERIMENT" variants --debug 2>/dev/null); do
		[ "$k" != "$1" ] && [ -f "$KERNELS/$k/vmlinux" ] && [ -f "$KERNELS/$k/.config" ] || continue
		[ "$(variant_src "$k")" = "$src" ] || continue
		d=$(config_distance "$KERNELS/$k/.config" "$2")
		[ "$d" -lt "$bestd" ] && { best=$k; bestd=$d; }
	done
	echo "$best"
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

# host_jobs: how many guests may run side by side: $JOBS (its first value
# if a list), else one per core.
host_jobs() {
	local j=${JOBS:-$(nproc)}
	echo "${j%% *}"
}

# pool JOBS LOGDIR FUNC ARG...: run FUNC ARG for every ARG, at most JOBS at
# once, each one's output in LOGDIR/ARG.log; the logs are printed in ARG
# order, each as soon as it and those before it have ended, so the output
# reads as a serial run's.  Status 1 if any FUNC failed.
pool() {
	local jobs=$1 logs=$2 func=$3 rc=0 i=0 printed=0 pid
	shift 3
	local args=("$@")
	local -A running=() status=()
	mkdir -p "$logs"
	while [ "$printed" -lt "${#args[@]}" ]; do
		while [ "$i" -lt "${#args[@]}" ] && [ "${#running[@]}" -lt "$jobs" ]; do
			"$func" "${args[$i]}" >"$logs/${args[$i]}.log" 2>&1 &
			running[$!]=$i
			i=$((i + 1))
		done
		if [ "${#running[@]}" -gt 0 ]; then
			wait -n -p pid "${!running[@]}"
			status[${running[$pid]}]=$?
			unset "running[$pid]"
		fi
		while [ -n "${status[$printed]:-}" ]; do
			cat "$logs/${args[$printed]}.log"
			[ "${status[$printed]}" = 0 ] || rc=1
			printed=$((printed + 1))
		done
	done
	return "$rc"
}

# functional_tests OUTDIR VARIANT...: tests/run-functional.sh on each
# variant, host_jobs of them at once (each guest is one host thread);
# OUTDIR/functional.csv gets their rows in VARIANT order.  Status 1 if any
# variant did not meet its promises.
functional_tests() {
	local out=$1 rc=0 v
	shift
	_functional_one() { bash "$TOP/tests/run-functional.sh" "$1" "$out"; }
	pool "$(host_jobs)" "$out/logs" _functional_one "$@" || rc=1
	python3 "$TOP/host/schema.py" header functional.csv >"$out/functional.csv"
	for v in "$@"; do
		tail -n +2 "$out/functional-$v.csv" >>"$out/functional.csv" 2>/dev/null || true
	done
	return "$rc"
}
