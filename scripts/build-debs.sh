#!/usr/bin/env bash
# make package: the Debian packages (debian/) of this tree into OUT_DIR:
# the tree is copied to OUT_DIR/src (tracked and untracked files, not the
# ignored ones nor build directories), built there with
# `dpkg-buildpackage -us -uc -b`, so the .debs, .buildinfo and .changes land
# in OUT_DIR and the working tree stays clean.
#   scripts/build-debs.sh OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$1
case $out in /*) ;; *) out=$here/$out ;; esac
rm -rf "$out"
mkdir -p "$out/src"
if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # (a tracked file deleted in the tree is skipped: --ignore-failed-read)
  (cd "$here" && git ls-files -z --cached --others --exclude-standard |
     tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
    tar -C "$out/src" -xf -
else
  tar -C "$here" --exclude='./build*' --exclude='./obj-*' -cf - . | tar -C "$out/src" -xf -
fi
cd "$out/src"
dpkg-buildpackage -us -uc -b
ls -1 "$out"/*.deb
