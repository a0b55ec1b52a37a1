#!/bin/bash
# host/check-kernels.sh: checks on the built kernels.
#   - the policy is a real Kconfig choice: each variant's .config holds
#     exactly its own policy (baseline: none), and a fragment that asks for
#     two policies fails to configure;
#   - what the report says the config leaves unset is unset;
#   - no new compiler warnings in a patched variant against baseline;
#   - the code size of each variant (from build-info, host/code-size.py),
#     printed as a TAP comment.
# Prints TAP-style 'ok'/'not ok' lines; exit 1 if any failed.
set -eu
. "$(dirname "$0")/lib.sh"

fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

for v in $VARIANTS; do
	cfg=$KERNELS/$v/.config
	[ -f "$cfg" ] || { notok "$v: no .config (run 'make kernels')"; continue; }
	got=$(grep -E '^CONFIG_DEVMAP_PIN_[A-Z]+=y' "$cfg" | tr '\n' ' ')
	want=$(variant_policy "$v")
	if [ "$got" = "${want:+$want }" ]; then
		ok "$v: .config has exactly its policy (${want:-none})"
	else
		notok "$v: .config policy lines are '$got', want '${want:-none}'"
	fi
done

# The report says what the config leaves out (experiment.py Config.unset):
# hold it to the built .config.
for v in $VARIANTS; do
	cfg=$KERNELS/$v/.config
	[ -f "$cfg" ] || continue
	set_now=""
	for o in $(python3 "$EXPERIMENT" unset "$v"); do
		grep -q "^CONFIG_$o=" "$cfg" && set_now="$set_now $o"
	done
	if [ -z "$set_now" ]; then
		ok "$v: .config leaves unset what the report says ($(python3 "$EXPERIMENT" unset "$v"))"
	else
		notok "$v: .config sets$set_now, which the report says its config leaves unset"
	fi
done

tmp=$(mktemp -d)
if EXTRA_CONFIG="CONFIG_DEVMAP_PIN_COARSE=y" "$TOP/host/config-kernel.sh" fine "$tmp" \
	>"$tmp/log" 2>&1; then
	notok "a fragment asking for two policies configured without error"
else
	ok "a fragment asking for two policies fails: $(grep -m1 error "$tmp/log")"
fi
rm -rf "$tmp"

# Warnings are compared without line numbers or build paths.
norm() { sed -E 's|^.*/linux-[a-z]+/||; s|:[0-9]+:[0-9]+:|:|' "$1" | sort -u; }
for v in $(python3 "$EXPERIMENT" variants --patched); do
	w=$KERNELS/$v/warnings.txt
	[ -f "$w" ] || { notok "$v: no build warnings record"; continue; }
	new=$(comm -13 <(norm "$KERNELS/baseline/warnings.txt") <(norm "$w"))
	if [ -z "$new" ]; then
		ok "$v: no new compiler warnings against baseline"
	else
		notok "$v: new compiler warnings"
		echo "$new" | sed 's/^/# /'
	fi
done

for v in $VARIANTS; do
	[ -f "$KERNELS/$v/vmlinux" ] &&
		echo "# $v: $(grep -E '^(code_bytes|hook_sites)=' "$KERNELS/$v/build-info" | tr '\n' ' ')"
done
exit "$fail"
