#!/bin/bash
# host/check-configs.sh CONFIG: every kernel of CONFIG (host/experiment.py
# CONFIGS) can be configured: its base, its fragments and its variant's
# policy line merge, and every requested line survives olddefconfig.  Makes
# the .config files only (in build/configs/<kernel>), builds nothing.
set -eu
. "$(dirname "$0")/lib.sh"

config=${1:-}
[ -n "$config" ] || die "usage: check-configs.sh CONFIG"
read -r _ base fragments < <(python3 "$EXPERIMENT" config \
	"$(python3 "$EXPERIMENT" variants --config="$config" | cut -d' ' -f1)")
_config_one() {
	local k=$1 err
	if err=$(bash "$TOP/host/config-kernel.sh" "$k" "$BUILD/configs/$k" 2>&1); then
		echo "ok - $k: $(basename "$base") + $fragments + its policy survive olddefconfig$( [ "$(python3 "$EXPERIMENT" modules "$k")" = yes ] || echo ", no =m left")"
	else
		echo "not ok - $k: $(echo "$err" | grep -m1 error || echo "$err" | tail -1)"
		return 1
	fi
}
# one kconfig run per core
pool "$(host_jobs)" "$BUILD/configs/logs" _config_one \
	$(python3 "$EXPERIMENT" variants --config="$config")
