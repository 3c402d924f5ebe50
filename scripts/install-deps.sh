#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those that are missing.
# Usage: scripts/install-deps.sh build|demo|bench
set -euo pipefail
build=(g++ make cmake libeigen3-dev libcli11-dev libgtest-dev libbenchmark-dev liblzma-dev zlib1g-dev)
case "${1:-build}" in
  build) want=("${build[@]}") ;;
  demo)  want=("${build[@]}" gnuplot-nox) ;;
  bench) want=("${build[@]}" gnuplot-nox python3-torch python3-numpy dataset-fashion-mnist) ;;
  *) echo "install-deps: unknown target '$1' (build|demo|bench)" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
