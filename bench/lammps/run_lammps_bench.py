#!/usr/bin/env python3
"""Time LAMMPS's SPC/Fw water (spcfw.in) per MD step, and optionally ldyn's own MD step on the same
box, and write the numbers as JSON.

LAMMPS configurations (each: a warm-up run, then N timed steps; seconds/step = the timed run's
"Loop time" / N):
  serial   1 MPI rank, 1 thread
  mpi2     2 MPI ranks (mpirun -np 2), 1 thread each
  opt      1 rank with -sf opt (the OPT package's lj/cut/coul/long/opt), when installed
  omp2     1 rank, 2 OpenMP threads (-sf omp -pk omp 2), only when the OPENMP package is installed
ldyn (with --ldyn and --model): `ldyn water run` from the same box as extended XYZ, --threads 1
and 2; seconds/step from its "ms/step" line (the whole run loop, no separate warm-up).

Standard library only. Example:
  bench/lammps/run_lammps_bench.py --workdir /tmp/spcfw --steps 200 \
      --ldyn build/release/apps/ldyn/ldyn --model model.txt --json spcfw-bench.json
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

LOOP = re.compile(r"Loop time of ([0-9.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms")
CPU_USE = re.compile(r"([0-9.]+)% CPU use with (\d+) MPI tasks x (\d+) OpenMP threads")
BREAKDOWN = re.compile(r"^(Pair|Bond|Kspace|Neigh|Comm|Output|Modify|Other)\s*\|(.*)$", re.M)
VERSION = re.compile(r"LAMMPS \(([^)]*)\)")


def run(cmd, env, log):
    """Runs `cmd`, keeps its output in `log`, returns (stdout, seconds); exits on failure."""
    t0 = time.time()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.time() - t0
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + p.stdout)
    if p.returncode != 0:
        sys.exit(f"run_lammps_bench: '{' '.join(cmd)}' failed (exit {p.returncode}); see {log}")
    return p.stdout, seconds


def lammps_packages(lmp):
    out = subprocess.run([lmp, "-h"], stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r"Installed packages:\s*\n(.*?)\n\s*\n", out, re.S)
    return set(m.group(1).split()) if m else set()


def parse_lammps(text, steps):
    loops = LOOP.findall(text)
    if len(loops) < 2:
        sys.exit("run_lammps_bench: LAMMPS printed fewer than two 'Loop time' lines")
    loop, procs, nsteps, atoms = loops[-1]
    if int(nsteps) != steps:
        sys.exit(f"run_lammps_bench: timed run has {nsteps} steps, expected {steps}")
    # The timed run's breakdown is the last block: percentages of the loop time by task.
    tail = text[text.rfind("Loop time of"):]
    breakdown = {}
    for name, row in BREAKDOWN.findall(tail):
        cols = [c.strip() for c in row.split("|")]
        if len(cols) >= 5 and cols[-1]:
            breakdown[name] = float(cols[-1])
    version = VERSION.search(text)
    # LAMMPS's "% CPU use" is CPU time / wall time per rank, averaged over ranks: on a shared
    # machine it says how much of a core each rank really had, and CPU seconds per step
    # (summed over ranks) is the number that load from other processes disturbs least.
    cpu = CPU_USE.findall(tail)
    cpu_percent = float(cpu[-1][0]) if cpu else None
    return {
        "cpu_use_percent_per_rank": cpu_percent,
        "cpu_seconds_per_step": (cpu_percent / 100.0 * float(loop) * int(procs) / int(nsteps)) if cpu else None,
        "loop_time_s": float(loop),
        "ranks": int(procs),
        "steps": int(nsteps),
        "atoms": int(atoms),
        "seconds_per_step": float(loop) / int(nsteps),
        "percent_of_loop": breakdown,
        "lammps_version": version.group(1) if version else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lmp", default="lmp", help="LAMMPS executable")
    ap.add_argument("--mpirun", default="mpirun", help="MPI launcher for the 2-rank run")
    ap.add_argument("--workdir", default="spcfw-bench", help="data file, logs and JSON go here")
    ap.add_argument("--replicate", type=int, default=4, help="copies of the 64-molecule box per axis")
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--steps", type=int, default=200, help="timed steps")
    ap.add_argument("--cutoff", type=float, default=9.0)
    ap.add_argument("--accuracy", default="1.0e-4", help="PPPM relative force accuracy")
    ap.add_argument("--minimize", type=int, default=100, help="minimizer iterations before the runs (0: none)")
    ap.add_argument("--configs", default="serial,mpi2,opt,omp2", help="LAMMPS configurations to run")
    ap.add_argument("--ldyn", help="ldyn executable: also time `ldyn water run` on the same box")
    ap.add_argument("--model", help="model file for ldyn")
    ap.add_argument("--ldyn-steps", type=int, default=100)
    ap.add_argument("--ldyn-threads", default="1,2")
    ap.add_argument("--json", help="write the results here (default: WORKDIR/spcfw-bench.json)")
    a = ap.parse_args()
    if a.ldyn and not a.model:
        sys.exit("run_lammps_bench: --ldyn needs --model")
    lmp = shutil.which(a.lmp)
    if not lmp:
        sys.exit(f"run_lammps_bench: LAMMPS executable '{a.lmp}' not found (Debian: apt-get install lammps)")

    os.makedirs(a.workdir, exist_ok=True)
    n = 64 * a.replicate ** 3
    data = os.path.join(a.workdir, f"spcfw-{n}.data")
    xyz = os.path.join(a.workdir, f"water-{n}.extxyz")
    if not os.path.exists(data) or (a.ldyn and not os.path.exists(xyz)):
        subprocess.run([sys.executable, os.path.join(HERE, "make_spcfw_data.py"), "--replicate", str(a.replicate),
                        "--data", data, "--extxyz", xyz], check=True)

    # One thread per rank unless a configuration asks for more; Open MPI needs these as root.
    env = dict(os.environ, OMP_NUM_THREADS="1", OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    packages = lammps_packages(lmp)
    base = [lmp, "-in", os.path.join(HERE, "spcfw.in"), "-log", "none", "-nocite",
            "-var", "data", data, "-var", "warmup", str(a.warmup), "-var", "steps", str(a.steps),
            "-var", "cutoff", str(a.cutoff), "-var", "accuracy", a.accuracy, "-var", "minimize", str(a.minimize)]
    configs = {
        "serial": (base, 1, 1),
        "mpi2": ([a.mpirun, "-np", "2"] + base, 2, 1),
        "opt": (base + ["-sf", "opt"], 1, 1) if "OPT" in packages else None,
        "omp2": (base + ["-sf", "omp", "-pk", "omp", "2"], 1, 2) if "OPENMP" in packages or "USER-OMP" in packages
        else None,
    }
    results = {"lammps": {}, "ldyn": {}, "molecules": n,
               "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "load_before": os.getloadavg()}}
    for name in a.configs.split(","):
        if name not in configs:
            sys.exit(f"run_lammps_bench: unknown configuration '{name}' (serial, mpi2, opt, omp2)")
        if configs[name] is None:
            print(f"{name}: skipped (this LAMMPS lacks the package)")
            results["lammps"][name] = {"skipped": "package not installed"}
            continue
        cmd, ranks, threads = configs[name]
        run_env = dict(env, OMP_NUM_THREADS=str(threads))
        text, _ = run(cmd, run_env, os.path.join(a.workdir, f"lammps-{name}.log"))
        r = parse_lammps(text, a.steps)
        r.update(threads=threads, command=" ".join(cmd), load_after=os.getloadavg())
        results["lammps"][name] = r
        print(f"LAMMPS {name:7s} {r['ranks']} rank(s) x {threads} thread(s): "
              f"{1e3 * r['seconds_per_step']:8.2f} ms/step, {r['cpu_use_percent_per_rank']}% CPU per rank "
              f"({r['atoms']} atoms; % of loop {r['percent_of_loop']})")

    if a.ldyn:
        for threads in a.ldyn_threads.split(","):
            out = os.path.join(a.workdir, f"ldyn-t{threads}.extxyz")
            cmd = [a.ldyn, "water", "run", "--model", a.model, "--start", xyz, "--steps", str(a.ldyn_steps),
                   "--every", str(a.ldyn_steps), "--log-every", str(a.ldyn_steps), "--threads", threads,
                   "--out", out]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            text, wall = run(cmd, dict(env, OMP_NUM_THREADS=threads), os.path.join(a.workdir, f"ldyn-t{threads}.log"))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU time of the whole process (setup included, a small part of it) over its steps.
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            m = re.search(r"([0-9.]+) ms/step", text)
            if not m:
                sys.exit("run_lammps_bench: no 'ms/step' in ldyn's output")
            r = {"threads": int(threads), "steps": a.ldyn_steps, "seconds_per_step": float(m.group(1)) / 1e3,
                 "wall_s": wall, "cpu_s": cpu, "cpu_seconds_per_step": cpu / a.ldyn_steps,
                 "command": " ".join(cmd), "load_after": os.getloadavg()}
            results["ldyn"][f"t{threads}"] = r
            print(f"ldyn   threads {threads}: {1e3 * r['seconds_per_step']:8.2f} ms/step, "
                  f"{1e3 * r['cpu_seconds_per_step']:.1f} CPU ms/step")

    serial = results["lammps"].get("serial", {})
    for key, r in results["ldyn"].items():
        if serial.get("seconds_per_step"):
            r["ratio_to_lammps_serial"] = r["seconds_per_step"] / serial["seconds_per_step"]
            print(f"ldyn {key} / LAMMPS serial (wall per step) = {r['ratio_to_lammps_serial']:.2f}")
        if serial.get("cpu_seconds_per_step"):
            r["cpu_ratio_to_lammps_serial"] = r["cpu_seconds_per_step"] / serial["cpu_seconds_per_step"]
            print(f"ldyn {key} / LAMMPS serial (CPU per step)  = {r['cpu_ratio_to_lammps_serial']:.2f}")
    path = a.json or os.path.join(a.workdir, "spcfw-bench.json")
    with open(path + ".part", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".part", path)
    print(f"results: {path}")


if __name__ == "__main__":
    main()
