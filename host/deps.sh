#!/bin/bash
# host/deps.sh: install the Debian packages the project needs, if missing.
# Idempotent; one apt-get call for whatever is absent.
set -eu
. "$(dirname "$0")/lib.sh"

PKGS="linux-source-6.12 linux-config-6.12 build-essential bc bison flex libelf-dev libssl-dev
dwarves python3 cpio kmod rsync xz-utils git ccache qemu-system-x86 bpftrace
ndctl linux-perf gnuplot-nox procps iproute2 python3-ply python3-git llvm fio"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || die "packages missing ($missing) and not root to install them"
log "apt-get install$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || die "apt-get update failed"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	die "apt-get install failed for:$missing"
