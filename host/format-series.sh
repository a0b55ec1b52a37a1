#!/bin/bash
# host/format-series.sh: developer tool.  After editing commits in
# build/src/linux-patched (on top of its 'base' tag), write them back to
# kernel-patches/ as a git format-patch series with 'series' listing them.
# The cover letter (0000-cover-letter.patch) is kept as it is.  Index lines
# abbreviate to 9 digits, whatever the size of the tree.
set -eu
. "$(dirname "$0")/lib.sh"

[ -d "$SRC_PATCHED/.git" ] || die "no patched tree (run 'make source')"
dst=$TOP/kernel-patches
find "$dst" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name 0000-cover-letter.patch -delete
git -C "$SRC_PATCHED" -c core.abbrev=9 format-patch -q --no-signature --zero-commit \
	--numbered -o "$dst" base..HEAD
(cd "$dst" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') >"$dst/series"
# The tree now matches the series; record that so it is not remade.
"$TOP/host/source.sh"
