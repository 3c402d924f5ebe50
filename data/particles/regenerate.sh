#!/bin/sh
# Regenerates the shipped trained policy data/particles/invariant-policy.txt (used by `make demo`,
# examples/particles-run.toml, examples/particles-render.toml and bench/bench_particles.cpp):
# the invariant policy trained with the evolution strategy and every default of
# `ldyn particles train` (torus, N = 64, 300 iterations of 1000-step episodes, seed 1): about a
# minute on one core. Deterministic: the same build on the same kind of CPU gives the same file.
set -eu
cd "$(dirname "$0")/../.."
build/release/apps/ldyn/ldyn particles train --policy invariant --learner es --iterations 300 --seed 1 \
  --out build/invariant-policy-curve.csv --save data/particles/invariant-policy.txt --quiet
