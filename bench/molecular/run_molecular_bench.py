#!/usr/bin/env python3
"""Molecular-dynamics performance of ldyn's learning-based water (issue 3), with its peers, as JSON.

    bench/molecular/run_molecular_bench.py --ldyn build/release/apps/ldyn/ldyn --workdir DIR --json FILE
        [--quick] [--model MODEL] [--no-cp2k] [--no-cp2k-dft] [--cp2k-dft-steps 2] [--no-lammps]

Parts, run one after the other (never two timed things at once):
  1. ldyn: `ldyn water fit` once (symmetric dynamics, lambda 1e-4 chosen by CV; the step's cost
     depends only on the basis, not on the coefficients), then `ldyn water run` (NVT, 0.5 fs) from
     the first reference frame replicated 1x, 2x, 4x along each axis (64, 512, 4096 molecules),
     --threads 1 and 2; ms/step is ldyn's own "X ms/step" (mean over the whole run loop), CPU time
     from getrusage (the whole process, setup included).
  2. CP2K on the same 64-molecule frame, OMP_NUM_THREADS=2, one MPI rank: the NNP reference
     (the FORCE_EVAL of data/water/cp2k/production.inp) and PBE-D3 / DZVP-MOLOPT-SR-GTH / 400 Ry
     (the `dft` method of data/water/regenerate.sh), both with the production MD settings (NVT
     Nose-Hoover chain, 0.5 fs). Seconds per step: mean of the "UsedTime[s]" column of CP2K's .ener
     over MD steps 2..N (step 1's UsedTime also holds the initial force evaluation: CP2K's setup and,
     for DFT, the first SCF from an atomic guess).
  3. LAMMPS SPC/Fw + PPPM at 4096 molecules: bench/lammps/run_lammps_bench.py (same box).

Every part that fails or is not available is recorded as {"skipped": reason} or {"error": message}
and the others still run; the exit status is 1 when any part failed. Standard library only.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench", "lammps"))
import make_spcfw_data  # noqa: E402  (the replication code of the LAMMPS peer benchmark)

POS = os.path.join(REPO, "data", "water", "w64-300K-pos-1.xyz.xz")
FRC = os.path.join(REPO, "data", "water", "w64-300K-frc-1.xyz.xz")
CELL = 12.4297
MS_PER_STEP = re.compile(r"([0-9.eE+-]+) ms/step")

def force_eval_of(method):
    """The FORCE_EVAL body and &KIND blocks of a method, as data/water/regenerate.sh writes them
    (one source for the reference runs and this benchmark)."""
    script = os.path.join(REPO, "data", "water", "regenerate.sh")
    text = subprocess.run(["bash", script, "--method", method, "--print-force-eval"], check=True,
                          capture_output=True, text=True).stdout
    force_eval, kinds = text.split("#KINDS\n")
    return force_eval.rstrip("\n"), kinds.rstrip("\n")


def cp2k_input(project, steps, force_eval, kinds, coords, cell):
    """An MD input with production.inp's &MOTION (NVT, Nose-Hoover chain of 3, 100 fs, 0.5 fs, 300 K),
    but no trajectory, velocity, force or restart output (they would only cost time)."""
    return f"""&GLOBAL
  PROJECT {project}
  RUN_TYPE MD
  PRINT_LEVEL LOW
  SEED 1
&END GLOBAL
&MOTION
  &MD
    ENSEMBLE NVT
    STEPS {steps}
    TIMESTEP 0.5
    TEMPERATURE 300
    &THERMOSTAT
      TYPE NOSE
      REGION GLOBAL
      &NOSE
        LENGTH 3
        TIMECON 100
      &END NOSE
    &END THERMOSTAT
  &END MD
  &PRINT
    &TRAJECTORY OFF
    &END TRAJECTORY
    &RESTART OFF
    &END RESTART
    &RESTART_HISTORY OFF
    &END RESTART_HISTORY
  &END PRINT
&END MOTION
&FORCE_EVAL
{force_eval}
  &SUBSYS
    &CELL
      ABC {cell} {cell} {cell}
    &END CELL
    &TOPOLOGY
      COORD_FILE_NAME {coords}
      COORD_FILE_FORMAT XYZ
    &END TOPOLOGY
{kinds}
  &END SUBSYS
&END FORCE_EVAL
"""


class PartError(RuntimeError):
    pass


def log(msg):
    print(f"run_molecular_bench: {msg}", file=sys.stderr, flush=True)


def load():
    return [round(x, 2) for x in os.getloadavg()]


def shown(cmd, env=None):
    text = " ".join(str(c) for c in cmd)
    if env:
        text = " ".join(f"{k}={v}" for k, v in env.items()) + " " + text
    return text


def run_timed(cmd, what, logfile, env_extra=None, timeout=None, cwd=None):
    """Runs cmd (output to logfile); returns (stdout+stderr, wall s, CPU s of the process)."""
    env = dict(os.environ, **(env_extra or {}))
    log(f"{what}: {shown(cmd, env_extra)}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    try:
        p = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    except FileNotFoundError as e:
        raise PartError(f"{what}: cannot run {cmd[0]}: {e}") from e
    except subprocess.TimeoutExpired as e:
        raise PartError(f"{what}: did not finish within {timeout} s") from e
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(logfile, "w") as f:
        f.write(shown(cmd, env_extra) + "\n" + p.stdout)
    if p.returncode != 0:
        tail = "\n".join(p.stdout.strip().splitlines()[-12:])
        raise PartError(f"{what} failed with exit status {p.returncode} (log: {logfile}):\n{tail}")
    log(f"{what}: done in {wall:.1f} s")
    return p.stdout, wall, cpu


# ------------------------------------------------------------------------------------------------
# ldyn

def start_frames(workdir, reps):
    """{k: path} of the first reference frame replicated k x k x k, as extended XYZ."""
    atoms, _ = make_spcfw_data.read_frame(POS, 0)
    box = [CELL] * 3
    mols = make_spcfw_data.molecules(atoms, box)
    out = {}
    for k in reps:
        big_mols, big = make_spcfw_data.replicate(mols, box, k)
        path = os.path.join(workdir, f"water-{len(big_mols)}.extxyz")
        make_spcfw_data.write_extxyz(path, big_mols, big)
        out[k] = path
    return out


def fit_model(ldyn, workdir, quick):
    model = os.path.join(workdir, "model.txt")
    cmd = [ldyn, "water", "fit", "--data", POS, FRC, "--cell", str(CELL), "--dynamics", "symmetric",
           "--select", "cv", "--lambdas", "1e-4", "--out", model, "--no-plots"]
    if quick:
        cmd += ["--stride", "10"]  # same basis (same cost per step), a tenth of the frames
    _, wall, _ = run_timed(cmd, "ldyn water fit", os.path.join(workdir, "fit.log"))
    return model, {"command": shown(cmd), "seconds": wall}


def run_ldyn(ldyn, model, frame, molecules, steps, threads, workdir):
    out = os.path.join(workdir, f"ldyn-{molecules}-t{threads}.extxyz")
    cmd = [ldyn, "water", "run", "--model", model, "--start", frame, "--steps", steps, "--every", steps,
           "--log-every", steps, "--threads", threads, "--out", out]
    load_before = load()
    text, wall, cpu = run_timed(cmd, f"ldyn {molecules} molecules, {threads} thread(s)",
                                os.path.join(workdir, f"ldyn-{molecules}-t{threads}.log"),
                                {"OMP_NUM_THREADS": str(threads)})
    m = MS_PER_STEP.findall(text)
    if not m:
        raise PartError(f"ldyn water run printed no 'ms/step' (log: ldyn-{molecules}-t{threads}.log)")
    return {"molecules": molecules, "atoms": 3 * molecules, "threads": threads, "steps": steps,
            "ms_per_step": float(m[-1]), "wall_s": wall, "cpu_s": cpu, "cpu_ms_per_step": 1e3 * cpu / steps,
            "command": shown(cmd), "load_before": load_before, "load_after": load()}


# ------------------------------------------------------------------------------------------------
# CP2K

def find_cp2k():
    for name in ("cp2k.psmp", "cp2k.ssmp", "cp2k"):
        path = shutil.which(name)
        if path:
            return path
    return None


def cp2k_version(cp2k):
    try:
        out = subprocess.run([cp2k, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"CP2K version ([^\s]+)", out)
    return m.group(1) if m else None


def read_ener(path):
    """[(step, used_time_s)] from a CP2K .ener file."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.split()
            rows.append((int(p[0]), float(p[-1])))
    return rows


def run_cp2k(cp2k, method, steps, threads, workdir, coords, timeout):
    d = os.path.join(workdir, f"cp2k-{method}")
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):  # never read a previous run's .ener
        if f.endswith(".ener"):
            os.unlink(os.path.join(d, f))
    shutil.copy(coords, os.path.join(d, "start.xyz"))
    fe, kinds = force_eval_of(method)
    with open(os.path.join(d, f"{method}.inp"), "w") as f:
        f.write(cp2k_input(method, steps, fe, kinds, "start.xyz", CELL))
    cmd = [cp2k, "-i", f"{method}.inp", "-o", f"{method}.out"]
    env = {"OMP_NUM_THREADS": str(threads), "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
    load_before = load()
    _, wall, cpu = run_timed(cmd, f"CP2K {method}, {steps} MD steps", os.path.join(d, "run.log"), env,
                             timeout=timeout, cwd=d)
    ener = os.path.join(d, f"{method}-1.ener")
    if not os.path.exists(ener):
        raise PartError(f"CP2K {method}: no {ener}; see {d}/{method}.out")
    used = [t for s, t in read_ener(ener) if s >= 1]
    if len(used) != steps:
        raise PartError(f"CP2K {method}: {ener} has {len(used)} MD steps, expected {steps}")
    scf = None
    if method == "dft":
        try:
            text = open(os.path.join(d, f"{method}.out")).read()
            # Total SCF iterations per force evaluation (inner OT steps summed over outer loops).
            scf = [int(x) for x in re.findall(r"outer SCF loop converged in\s+\d+ iterations or\s+(\d+) steps", text)]
        except OSError:
            pass
    # CP2K's UsedTime of step 1 also holds the initial force evaluation (step 0: setup and, for DFT,
    # the first SCF from an atomic guess); the per-step figure is over steps 2..N when there are any.
    timed = used[1:] if len(used) >= 2 else used
    return {"method": method, "steps": steps, "threads": threads, "s_per_step": statistics.mean(timed),
            "s_per_step_median": statistics.median(timed), "timed_steps": len(timed), "used_time_s": used, "wall_s": wall, "cpu_s": cpu,
            "cores_used": cpu / wall if wall > 0 else None, "scf_iterations": scf,
            "command": f"cd {d} && " + shown(["cp2k" if os.path.basename(cp2k) == "cp2k" else os.path.basename(cp2k),
                                                     "-i", f"{method}.inp", "-o", f"{method}.out"],
                                                    {"OMP_NUM_THREADS": str(threads)}),
            "input": os.path.join(d, f"{method}.inp"), "load_before": load_before, "load_after": load()}


# ------------------------------------------------------------------------------------------------
# LAMMPS

def run_lammps(workdir, a):
    lmp = shutil.which(a.lmp)
    if not lmp:
        return {"skipped": f"LAMMPS (`{a.lmp}`) is not installed (Debian: apt-get install lammps)"}
    d = os.path.join(workdir, "lammps")
    out = os.path.join(d, "spcfw-bench.json")
    if os.path.exists(out):
        os.unlink(out)
    cmd = [sys.executable, os.path.join(REPO, "bench", "lammps", "run_lammps_bench.py"), "--lmp", lmp,
           "--workdir", d, "--replicate", "4", "--warmup", str(a.lammps_warmup), "--steps", str(a.lammps_steps),
           "--minimize", str(a.lammps_minimize), "--configs", a.lammps_configs, "--json", out]
    os.makedirs(d, exist_ok=True)
    text, wall, _ = run_timed(cmd, "LAMMPS SPC/Fw + PPPM, 4096 molecules", os.path.join(d, "run.log"),
                              timeout=a.lammps_timeout)
    with open(out) as f:
        res = json.load(f)
    res["command"] = shown(["bench/lammps/run_lammps_bench.py", *cmd[2:]])
    res["wall_s"] = wall
    return res


# ------------------------------------------------------------------------------------------------

def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ldyn", required=True, help="the ldyn CLI")
    ap.add_argument("--workdir", required=True, help="inputs, logs and outputs of every run go here")
    ap.add_argument("--json", required=True, help="write the results here (atomically)")
    ap.add_argument("--quick", action="store_true",
                    help="seconds instead of minutes: fit on every 10th frame, 200/40/10 steps, CP2K NNP 5 "
                         "steps, no DFT, LAMMPS 20 steps")
    ap.add_argument("--model", help="use this model file instead of fitting one")
    ap.add_argument("--replicate", default="1,2,4", help="copies of the 64-molecule frame per axis")
    ap.add_argument("--steps", help="ldyn steps per size (default 2000,400,100; --quick 200,40,10)")
    ap.add_argument("--threads", default="1,2", help="ldyn --threads values")
    ap.add_argument("--no-cp2k", action="store_true", help="skip CP2K (NNP and DFT)")
    ap.add_argument("--no-cp2k-dft", action="store_true", help="skip the PBE DFT run")
    ap.add_argument("--cp2k-threads", type=int, default=2, help="OMP_NUM_THREADS of CP2K")
    ap.add_argument("--cp2k-nnp-steps", type=int, help="MD steps of the NNP run (default 40; --quick 5)")
    ap.add_argument("--cp2k-dft-steps", type=int, default=2, help="MD steps of the DFT run (default 2)")
    ap.add_argument("--cp2k-dft-timeout", type=int, default=None,
                    help="seconds (default: 1800 per step plus 1800 for the initial evaluation)")
    ap.add_argument("--no-lammps", action="store_true", help="skip the LAMMPS SPC/Fw peer")
    ap.add_argument("--lmp", default="lmp", help="LAMMPS executable")
    ap.add_argument("--lammps-configs", default="serial,mpi2", help="run_lammps_bench.py --configs")
    ap.add_argument("--lammps-steps", type=int, help="timed LAMMPS steps (default 200; --quick 20)")
    ap.add_argument("--lammps-warmup", type=int, help="LAMMPS warm-up steps (default 50; --quick 5)")
    ap.add_argument("--lammps-minimize", type=int, help="LAMMPS minimizer iterations (default 100; --quick 20)")
    ap.add_argument("--lammps-timeout", type=int, default=1800)
    a = ap.parse_args()
    q = a.quick
    reps = [int(x) for x in a.replicate.split(",")]
    steps = [int(x) for x in (a.steps or ("200,40,10" if q else "2000,400,100")).split(",")]
    if len(steps) != len(reps):
        sys.exit("run_molecular_bench: --steps needs one value per --replicate value")
    threads = [int(x) for x in a.threads.split(",")]
    nnp_steps = a.cp2k_nnp_steps or (5 if q else 40)
    a.lammps_steps = a.lammps_steps or (20 if q else 200)
    a.lammps_warmup = a.lammps_warmup if a.lammps_warmup is not None else (5 if q else 50)
    a.lammps_minimize = a.lammps_minimize if a.lammps_minimize is not None else (20 if q else 100)
    ldyn = os.path.abspath(a.ldyn)
    work = os.path.abspath(a.workdir)
    os.makedirs(work, exist_ok=True)

    t0 = time.monotonic()
    res = {"quick": q, "workdir": work, "host": {"cpu": cpu_model(), "cpus": os.cpu_count(), "machine": platform.machine(),
                                "load_start": load()},
           "ldyn": {"cli": ldyn}, "cp2k": {}, "lammps": {}}
    failed = []

    # 1. ldyn
    try:
        if a.model:
            model = os.path.abspath(a.model)
            res["ldyn"]["fit"] = {"model": model}
        else:
            model, res["ldyn"]["fit"] = fit_model(ldyn, work, q)
        frames = start_frames(work, reps)
        runs = []
        for k, n in zip(reps, steps):
            for t in threads:
                runs.append(run_ldyn(ldyn, model, frames[k], 64 * k ** 3, n, t, work))
        res["ldyn"]["runs"] = runs
    except (PartError, OSError, SystemExit) as e:
        res["ldyn"]["error"] = str(e)
        failed.append("ldyn")
        log(f"error: {e}")

    # 2. CP2K
    cp2k = find_cp2k()
    coords = os.path.join(work, "cp2k-start.xyz")
    if a.no_cp2k:
        res["cp2k"]["skipped"] = "--no-cp2k"
    elif not cp2k:
        res["cp2k"]["skipped"] = "CP2K is not installed (`command -v cp2k.psmp cp2k` finds nothing; apt-get install cp2k cp2k-data)"
    else:
        res["cp2k"].update(executable=cp2k, version=cp2k_version(cp2k), threads=a.cp2k_threads)
        try:
            # The same 64 molecules as ldyn's start frame (molecules whole, O wrapped), plain XYZ.
            atoms, _ = make_spcfw_data.read_frame(POS, 0)
            mols = make_spcfw_data.molecules(atoms, [CELL] * 3)
            with open(coords, "w") as f:
                f.write(f"{3 * len(mols)}\nfirst frame of {os.path.basename(POS)}\n")
                for o, h1, h2 in mols:
                    for s, p in (("O", o), ("H", h1), ("H", h2)):
                        f.write(f"{s} {p[0]!r} {p[1]!r} {p[2]!r}\n")
        except (OSError, SystemExit) as e:
            res["cp2k"]["error"] = str(e)
            failed.append("cp2k")
        if "error" not in res["cp2k"]:
            try:
                res["cp2k"]["nnp"] = run_cp2k(cp2k, "nnp", nnp_steps, a.cp2k_threads, work, coords, 600)
            except (PartError, OSError) as e:
                res["cp2k"]["nnp"] = {"error": str(e)}
                failed.append("cp2k nnp")
                log(f"error: {e}")

    # 3. LAMMPS
    if a.no_lammps:
        res["lammps"] = {"skipped": "--no-lammps"}
    else:
        try:
            res["lammps"] = run_lammps(work, a)
        except (PartError, OSError, json.JSONDecodeError) as e:
            res["lammps"] = {"error": str(e)}
            failed.append("lammps")
            log(f"error: {e}")

    # 4. CP2K DFT last: by far the longest; everything above is kept if it fails.
    if cp2k and not a.no_cp2k and "error" not in res["cp2k"]:
        if a.no_cp2k_dft or q:
            res["cp2k"]["dft"] = {"skipped": "--no-cp2k-dft" if a.no_cp2k_dft else "--quick"}
        else:
            timeout = a.cp2k_dft_timeout or 1800 * (a.cp2k_dft_steps + 1)
            log(f"CP2K PBE-D3 DFT, 64 molecules, {a.cp2k_dft_steps} MD steps: expect several minutes per step")
            try:
                res["cp2k"]["dft"] = run_cp2k(cp2k, "dft", a.cp2k_dft_steps, a.cp2k_threads, work, coords, timeout)
            except (PartError, OSError) as e:
                res["cp2k"]["dft"] = {"error": str(e)}
                failed.append("cp2k dft")
                log(f"error: {e}")

    res["host"]["load_end"] = load()
    res["seconds"] = time.monotonic() - t0
    res["failed"] = failed
    tmp = a.json + ".part"
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, a.json)
    log(f"results: {a.json} ({res['seconds']:.0f} s)" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
