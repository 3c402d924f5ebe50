#!/bin/bash
# Part 1 check of docs/lammps.md: the same fitted model run by ldyn's own MD (`ldyn water run`) and
# by LAMMPS over 2 MPI ranks (`ldyn-lammps`), both compared with the CP2K reference and with each
# other by `ldyn water compare`; a second ldyn run with another seed gives the sampling noise.
#
#   bench/lammps/compare_md.sh BUILD_DIR MODEL WORKDIR [STEPS]
#
# BUILD_DIR holds apps/ldyn/ldyn and apps/ldyn_lammps/ldyn-lammps; STEPS defaults to 20000
# (10 ps at 0.5 fs). Runs one thing at a time: at most 2 processes.
set -euo pipefail
if [ $# -lt 3 ]; then sed -n 2,10p "$0"; exit 2; fi
build=$(realpath "$1"); model=$(realpath "$2"); work=$3; steps=${4:-20000}
here=$(dirname "$(realpath "$0")")
ref=$(realpath "$here/../../data/water/w64-300K-pos-1.xyz.xz")
ldyn=$build/apps/ldyn/ldyn
mkdir -p "$work" && cd "$work"
# Open MPI refuses to run as root without these (harmless otherwise).
export OMP_NUM_THREADS=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
common=(--model "$model" --start "$ref" --cell 12.4297 --steps "$steps" --dt 0.5 --temperature 300 --tau 100 --every 20)

"$ldyn" water run "${common[@]}" --seed 1 --threads 1 --out ldyn.extxyz | grep "^done"
"$ldyn" water run "${common[@]}" --seed 2 --threads 1 --out ldyn-seed2.extxyz | grep "^done"
mpirun -np 2 "$build/apps/ldyn_lammps/ldyn-lammps" "${common[@]}" --seed 1 --quiet --out lammps.extxyz | grep '^done'

compare() {  # REFERENCE TRAJECTORY NAME [--cell L]
  "$ldyn" water compare --reference "$1" --trajectory "$2" --skip 1 --no-plots --json "$3.json" "${@:4}" > "$3.txt"
  printf '%-22s' "$3"; grep 'intermolecular MAE' "$3.txt" | awk '{printf "  %s %s", $1, $NF}'; echo
}
echo "g(r) intermolecular MAE, 0-6 A, first ps of each file skipped:"
compare "$ref" ldyn.extxyz ldyn-vs-ref --cell 12.4297
compare "$ref" ldyn-seed2.extxyz ldyn-seed2-vs-ref --cell 12.4297
compare "$ref" lammps.extxyz lammps-vs-ref --cell 12.4297
compare ldyn.extxyz lammps.extxyz lammps-vs-ldyn
compare ldyn.extxyz ldyn-seed2.extxyz ldyn-seed2-vs-ldyn
