#!/usr/bin/env bash
# Cuts the shipped validation trajectory out of an independent CP2K run: positions only, every
# STRIDE-th frame (frames are 5 fs apart), xz-compressed. The shipped file was made from
#   data/water/regenerate.sh --seed 7 --steps 16000 --out DIR
# (same set-up as the training data: 64 H2O, 300 K, committee NNP; other random box and velocities,
# 1 ps CSVR equilibration, 8 ps Nose-Hoover production), with
#   data/water/validation/make_validation.sh DIR 2
# No fit in ldyn uses it: it is the fresh reference of the goals in docs/molecular.md.
#
# Usage: make_validation.sh SOURCE_DIR [STRIDE]
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:?usage: make_validation.sh SOURCE_DIR [STRIDE]}"
stride="${2:-2}"
atoms=192
in="$src/w64-300K-pos-1.xyz"
if [ -f "$in.xz" ]; then reader="xz -dc $in.xz"; elif [ -f "$in" ]; then reader="cat $in"; else echo "make_validation: missing $in[.xz]" >&2; exit 1; fi
out="$here/w64-300K-seed7-pos-1.xyz.xz"
$reader | awk -v n=$((atoms + 2)) -v s="$stride" '{ frame = int((NR - 1) / n); if (frame % s == 0) print }' | xz -9e -T1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "make_validation: wrote $out"
