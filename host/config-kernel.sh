#!/bin/bash
# host/config-kernel.sh VARIANT OUTDIR: write OUTDIR/.config for VARIANT.
# The kernel's config (host/experiment.py CONFIGS: a base, tinyconfig or a
# config file, plus fragments) + the variant's policy line, then olddefconfig.  Fails, naming the option, if any requested
# line did not survive (a missing dependency or a rejected choice).
set -eu
. "$(dirname "$0")/lib.sh"

variant=$1
out=$(realpath -m "$2")
variant_check "$variant"
src=${KSRC:-$(variant_src "$variant")}
mkdir -p "$out"
want="$out/.config.want"
read -r _ base fragments < <(python3 "$EXPERIMENT" config "$variant")
(cd "$TOP" && cat $fragments) >"$want"
policy=$(variant_policy "$variant")
[ -n "$policy" ] && echo "$policy" >>"$want"
# EXTRA_CONFIG: extra lines, used by the test that asks for two policies.
[ -n "${EXTRA_CONFIG:-}" ] && printf '%s\n' "$EXTRA_CONFIG" >>"$want"

case "$base" in
tinyconfig) make -s -C "$src" O="$out" tinyconfig >/dev/null ;;
*.xz) [ -f "$base" ] || die "$variant: base config $base missing (make deps installs it)"
	xz -dc "$base" >"$out/.config" ;;
*) [ -f "$base" ] || die "$variant: base config $base missing"
	cp "$base" "$out/.config" ;;
esac
# A config built without its modules: every =m option unset (the
# fragments may then ask for one built in).
modules=$(python3 "$EXPERIMENT" modules "$variant")
[ "$modules" = yes ] ||
	sed -i 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' "$out/.config"
(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config "$want" >/dev/null)
make -s -C "$src" O="$out" olddefconfig >/dev/null

bad=0
while IFS= read -r line; do
	case "$line" in
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt% is not set}
		! grep -q "^$opt=" "$out/.config" || {
			echo "error: $variant: '$opt' still set after olddefconfig" >&2
			bad=1
		} ;;
	'' | '#'*) ;;
	*)
		grep -qxF "$line" "$out/.config" || {
			echo "error: $variant: '$line' not in .config after olddefconfig" >&2
			bad=1
		} ;;
	esac
done <"$want"
# without its modules: olddefconfig must not have made new ones
if [ "$modules" = no ] && grep -q '=m$' "$out/.config"; then
	echo "error: $variant: built without modules, but .config has $(grep -c '=m$' "$out/.config") =m options" >&2
	bad=1
fi
[ "$bad" = 0 ] || exit 1
