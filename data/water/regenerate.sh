#!/usr/bin/env bash
# Makes a CP2K reference trajectory of liquid water like the one shipped in this folder: a box of
# N molecules at 0.997 g/cm^3, equilibrated with a CSVR thermostat, then a Nose-Hoover-chain NVT
# production run that prints positions (A), velocities (A/fs) and forces (eV/A) every 10 steps.
#
#   data/water/regenerate.sh [--molecules 64] [--temperature 300] [--method nnp|xtb|dft]
#                            [--eq-steps 2000] [--steps 16000] [--seed 1] [--out DIR] [--print-force-eval]
#
# Methods (each a FORCE_EVAL section; everything else is identical):
#   nnp  CP2K's committee neural-network potential for bulk water (Schran, Brezina, Marsalek,
#        J. Chem. Phys. 153, 104105, 2020; Debian's cp2k-data), ~ revPBE0-D3. ~0.1 s/step for 64 H2O.
#   xtb  GFN1-xTB tight binding.
#   dft  PBE-D3 / DZVP-MOLOPT-SR-GTH / GTH pseudopotentials, 400 Ry. ~1 min/step for 32 H2O on 2 cores.
# Needs: apt-get install cp2k cp2k-data python3 xz-utils. Output files in DIR (default
# ./w<N>-<T>K-<method>): <name>-pos-1.xyz.xz, -vel-1.xyz.xz, -frc-1.xyz.xz, <name>-1.ener.xz, and the
# CP2K inputs and logs. The shipped data/water files were made with the defaults (method nnp); the
# exact inputs are in cp2k/.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
molecules=64 temperature=300 method=nnp eq_steps=2000 steps=16000 seed=1 out="" print_force_eval=0
die() { echo "regenerate: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --molecules) molecules="$2"; shift 2 ;;
    --temperature) temperature="$2"; shift 2 ;;
    --method) method="$2"; shift 2 ;;
    --eq-steps) eq_steps="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --print-force-eval) print_force_eval=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$molecules" =~ ^[1-9][0-9]*$ ]] || die "--molecules must be a positive integer (got '$molecules')"
[[ "$temperature" =~ ^[0-9]+([.][0-9]+)?$ ]] && [ "${temperature%.*}" -gt 0 ] ||
  die "--temperature must be a positive number of kelvin (got '$temperature')"
[[ "$eq_steps" =~ ^[0-9]+$ ]] || die "--eq-steps must be an integer >= 0 (got '$eq_steps')"
[[ "$steps" =~ ^[1-9][0-9]*$ ]] || die "--steps must be a positive integer (got '$steps')"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be an integer >= 0 (got '$seed')"
case "$method" in nnp|xtb|dft) ;; *) die "--method must be nnp, xtb or dft (got '$method')" ;; esac
# The SCF settings the two electronic-structure methods share (orbital transformation, restarts).
scf() {
  cat <<EOF
    &SCF
      SCF_GUESS RESTART
      EPS_SCF 1.0E-6
      MAX_SCF 50
      &OT
        MINIMIZER DIIS
        PRECONDITIONER FULL_SINGLE_INVERSE
      &END OT
      &OUTER_SCF
        MAX_SCF 10
        EPS_SCF 1.0E-6
      &END OUTER_SCF
    &END SCF
EOF
}

force_eval() {
  case "$method" in
    nnp) cat <<EOF
  METHOD NNP
  &NNP
    NNP_INPUT_FILE_NAME NNP/bulkH2O-jcp2020-cnnp/nnp-1/input.nn
    SCALE_FILE_NAME NNP/bulkH2O-jcp2020-cnnp/nnp-1/scaling.data
    &MODEL
      WEIGHTS NNP/bulkH2O-jcp2020-cnnp/nnp-1/weights
    &END MODEL
  &END NNP
EOF
    ;;
    xtb) cat <<EOF
  METHOD QS
  &DFT
    &QS
      METHOD xTB
      &xTB
        DO_EWALD T
        CHECK_ATOMIC_CHARGES F
      &END xTB
    &END QS
$(scf)
  &END DFT
EOF
    ;;
    dft) cat <<EOF
  METHOD QS
  &DFT
    BASIS_SET_FILE_NAME BASIS_MOLOPT
    POTENTIAL_FILE_NAME GTH_POTENTIALS
    &MGRID
      CUTOFF 400
      REL_CUTOFF 50
    &END MGRID
$(scf)
    &XC
      &XC_FUNCTIONAL PBE
      &END XC_FUNCTIONAL
      &VDW_POTENTIAL
        POTENTIAL_TYPE PAIR_POTENTIAL
        &PAIR_POTENTIAL
          TYPE DFTD3
          PARAMETER_FILE_NAME dftd3.dat
          REFERENCE_FUNCTIONAL PBE
        &END PAIR_POTENTIAL
      &END VDW_POTENTIAL
    &END XC
  &END DFT
EOF
    ;;
  esac
}

kinds() {
  [ "$method" = dft ] || return 0
  cat <<EOF
    &KIND H
      BASIS_SET DZVP-MOLOPT-SR-GTH
      POTENTIAL GTH-PBE-q1
    &END KIND
    &KIND O
      BASIS_SET DZVP-MOLOPT-SR-GTH
      POTENTIAL GTH-PBE-q6
    &END KIND
EOF
}

# --print-force-eval: the FORCE_EVAL body of the method, a line '#KINDS', then its &KIND blocks
# (for other tools, e.g. bench/molecular, that build CP2K inputs of their own with this method).
if [ "$print_force_eval" = 1 ]; then force_eval; echo "#KINDS"; kinds; exit 0; fi

cp2k=$(command -v cp2k.psmp || command -v cp2k.ssmp || command -v cp2k || true)
[ -n "$cp2k" ] || die "cp2k not found (apt-get install cp2k cp2k-data)"
command -v python3 >/dev/null || die "python3 not found"

name="w${molecules}-${temperature}K"
out="${out:-$PWD/$name-$method}"
mkdir -p "$out"
cd "$out"

# The box: molecules on a cubic lattice, random orientations (make_box.py prints N, L=..., atoms).
python3 "$here/cp2k/make_box.py" "$molecules" "$seed" > box.xyz
box=$(sed -n '2s/^L=//p' box.xyz)
sed -i "2s/.*/$name water box, seed $seed/" box.xyz

# One CP2K input: $1 project, $2 steps, $3 thermostat block, $4 print stride, $5 restart section.
write_input() {
  cat <<EOF
&GLOBAL
  PROJECT $1
  RUN_TYPE MD
  PRINT_LEVEL LOW
  SEED $seed
&END GLOBAL
$5
&MOTION
  &MD
    ENSEMBLE NVT
    STEPS $2
    TIMESTEP 0.5
    TEMPERATURE $temperature
$3
  &END MD
  &PRINT
    &TRAJECTORY
      &EACH
        MD $4
      &END EACH
    &END TRAJECTORY
    &VELOCITIES
      UNIT angstrom*fs^-1
      &EACH
        MD $4
      &END EACH
    &END VELOCITIES
    &FORCES
      UNIT eV*angstrom^-1
      &EACH
        MD $4
      &END EACH
    &END FORCES
    &RESTART
      &EACH
        MD 1000
      &END EACH
    &END RESTART
  &END PRINT
&END MOTION
&FORCE_EVAL
$(force_eval)
  &SUBSYS
    &CELL
      ABC $box $box $box
    &END CELL
    &TOPOLOGY
      COORD_FILE_NAME box.xyz
      COORD_FILE_FORMAT XYZ
    &END TOPOLOGY
$(kinds)
  &END SUBSYS
&END FORCE_EVAL
EOF
}

csvr='    &THERMOSTAT
      TYPE CSVR
      REGION GLOBAL
      &CSVR
        TIMECON 20
      &END CSVR
    &END THERMOSTAT'
nose='    &THERMOSTAT
      TYPE NOSE
      REGION GLOBAL
      &NOSE
        LENGTH 3
        TIMECON 100
      &END NOSE
    &END THERMOSTAT'
restart='&EXT_RESTART
  RESTART_FILE_NAME eq-1.restart
  RESTART_COUNTERS F
  RESTART_THERMOSTAT F
&END EXT_RESTART'

if [ "$eq_steps" -gt 0 ]; then
  write_input eq "$eq_steps" "$csvr" 100 "" > equilibrate.inp
  echo "regenerate: equilibrating $molecules molecules at $temperature K ($method, $eq_steps steps) in $out"
  "$cp2k" -i equilibrate.inp -o equilibrate.out || die "CP2K failed in equilibration; see $out/equilibrate.out"
  write_input "$name" "$steps" "$nose" 10 "$restart" > production.inp
else
  write_input "$name" "$steps" "$nose" 10 "" > production.inp
fi
echo "regenerate: production, $steps steps of 0.5 fs"
"$cp2k" -i production.inp -o production.out || die "CP2K failed in production; see $out/production.out"
for f in "$name-pos-1.xyz" "$name-vel-1.xyz" "$name-frc-1.xyz" "$name-1.ener"; do
  [ -f "$f" ] || die "CP2K did not write $f; see $out/production.out"
  xz -9 -f "$f"
done
echo "regenerate: done: $out/$name-{pos,vel,frc}-1.xyz.xz and $name-1.ener.xz"
