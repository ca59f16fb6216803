#!/usr/bin/env bash
# Install the Debian packages listed in deps/debian-packages.txt that are
# missing.  As root: apt-get.  Otherwise: print the exact sudo line and stop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# The list: the first argument (e.g. deps/debian-docs-packages.txt), or the
# build list.
list="${1:-$here/deps/debian-packages.txt}"
missing=()
while read -r pkg; do
  pkg=${pkg%%#*}; pkg=$(echo "$pkg" | tr -d '[:space:]')
  [ -n "$pkg" ] || continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < "$list"
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all $(grep -cv '^\s*\(#\|$\)' "$list") Debian packages present"
  exit 0
fi
echo "deps: missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run this, then make again:"
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
