#!/usr/bin/env bash
# Cuts the shipped subset out of a full CP2K water run (the one ../shared/data/water/ holds, or one
# made anew with the inputs in cp2k/, see README.md): the first FRAMES trajectory frames (every
# frame is 5 fs) and the matching rows of the .ener file, xz-compressed.
#
# Usage: data/water/make_subset.sh [SOURCE_DIR] [FRAMES]
#   SOURCE_DIR  folder with w64-300K-{pos,vel,frc}-1.xyz[.xz] and w64-300K-1.ener[.xz]
#               (default: ../shared/data/water next to the repository)
#   FRAMES      number of frames to keep (default 401: 2 ps)
set -eu
# No pipefail: `head` closes the pipe early on purpose, which stops the decompressor with SIGPIPE.
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:-$here/../../../shared/data/water}"
frames="${2:-401}"
atoms=192
stride=10   # MD steps per trajectory frame (production.inp: EACH MD 10)
cat_any() { if [ -f "$1.xz" ]; then xz -dc "$1.xz"; elif [ -f "$1" ]; then cat "$1"; else echo "make_subset: missing $1[.xz]" >&2; exit 1; fi; }
for kind in pos vel frc; do
  out="$here/w64-300K-$kind-1.xyz.xz"
  cat_any "$src/w64-300K-$kind-1.xyz" | head -n $(( frames * (atoms + 2) )) | xz -9e -T1 > "$out.tmp"
  mv "$out.tmp" "$out"
done
# .ener: one header line, then one row per MD step (0.5 fs).
out="$here/w64-300K-1.ener.xz"
cat_any "$src/w64-300K-1.ener" | head -n $(( 1 + (frames - 1) * stride + 1 )) | xz -9e -T1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "make_subset: wrote $frames frames to $here"
