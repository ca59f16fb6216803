#!/usr/bin/env bash
# Install the Debian packages of the given lists that are missing.
#   scripts/install-deps.sh [LIST...]
# LIST: a name under deps/ without "debian-" and ".txt" (packages, test,
# notebook, bench) or a path; default: packages, what `make build` needs.
# A line PACKAGE:COMMAND is skipped when COMMAND is on PATH.
# As root: apt-get.  Otherwise: print the exact sudo line and stop.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- packages
missing=()
total=0
for name in "$@"; do
  case $name in
    */*|*.txt) list=$name ;;
    *) list="$here/deps/debian-$name.txt" ;;
  esac
  [ -f "$list" ] || { echo "deps: no package list $list" >&2; exit 2; }
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=$(echo "$pkg" | tr -d '[:space:]')
    [ -n "$pkg" ] || continue
    total=$((total + 1))
    if [ "${pkg#*:}" != "$pkg" ]; then
      cmd=${pkg#*:}; pkg=${pkg%%:*}
      command -v "$cmd" >/dev/null && continue
    fi
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
  done < "$list"
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps ($*): all $total Debian packages present"
  exit 0
fi
echo "deps ($*): missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run this, then make again:"
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
