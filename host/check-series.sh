#!/bin/bash
# host/check-series.sh: the patch series on its own.
#   - every patch in kernel-patches/series applies with 'git am', in order,
#     to a git tree of the packaged source (a fresh worktree of its 'base');
#   - scripts/checkpatch.pl --strict from that tree is clean on each patch;
#   - DEVMAP_PIN_BUSY only where the architecture opts in: Kconfig of the
#     applied series for x86_64, arm64, riscv, loongarch and i386
#     (host/check-arch-busy.sh; no cross compiler needed).
# Prints one TAP-style 'ok'/'not ok' line per check; exit 1 if any failed.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$SRC_PATCHED/.git" ] || die "no patched tree (run 'make source')"
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

wt=$BUILD/src/series-check
rm -rf "$wt"
git -C "$SRC_PATCHED" worktree prune
git -C "$SRC_PATCHED" worktree add -q --detach "$wt" base
applied=1
for p in $(series_patches); do
	if git -C "$wt" am -q "$TOP/kernel-patches/$p" >/dev/null 2>&1; then
		ok "applies: $p"
	else
		git -C "$wt" am --abort >/dev/null 2>&1 || true
		notok "applies: $p does not apply to $(cat "$SRC_PRISTINE/SOURCE_VERSION")"
		applied=0
		break
	fi
done
if [ "$applied" = 1 ]; then
	ok "series applies with git am to $SRC_PKG $(cat "$SRC_PRISTINE/SOURCE_VERSION")"
	# on the tree just applied, not on build/src/linux-patched, which a
	# developer may be editing
	bash "$TOP/host/check-arch-busy.sh" "$wt" || fail=1
fi
git -C "$SRC_PATCHED" worktree remove --force "$wt"

# checkpatch's SPDX check runs spdxcheck.py, which needs Debian's python3-ply
# and python3-git: put /usr/bin first in case another python3 is on PATH.
# The packaged source has no upstream history, so checkpatch cannot look up
# the commit a Fixes: tag names (UNKNOWN_COMMIT_ID); its format is still
# checked (GIT_COMMIT_ID).
for p in $(series_patches); do
	res=$(cd "$SRC_PATCHED" && PATH=/usr/bin:/bin:$PATH \
		perl scripts/checkpatch.pl --strict --quiet --ignore UNKNOWN_COMMIT_ID \
		"$TOP/kernel-patches/$p" 2>&1) || true
	if [ -z "$res" ]; then
		ok "checkpatch --strict clean: $p"
	else
		notok "checkpatch --strict: $p"
		echo "$res" | sed 's/^/# /'
	fi
done
exit "$fail"
