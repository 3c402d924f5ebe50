#!/usr/bin/python3
"""Issue #4 section 5: an epoch of a 784-256-10 ReLU MLP on Fashion-MNIST with Adam (lr 1e-3),
batch 128, in ldyn (`ldyn train`) and in PyTorch (bench/nn/torch_mlp.py), 1 and 2 threads, same run.

    /usr/bin/python3 bench/nn/run_nn_bench.py --ldyn LDYN --workdir DIR --json FILE
        [--seeds 5] [--epochs 10] [--netlib-epochs 3] [--openblas DIR] [--quick]

Peers. Debian's python3-torch links the reference (netlib) BLAS, libblas.so.3, through the
alternatives system; a matrix product there is several times slower than in an optimized BLAS, which
is unfair to torch. So torch runs twice: as installed, and with OpenBLAS put in front of it through
LD_LIBRARY_PATH (Debian's libopenblas0-pthread, `apt-get download` + `dpkg -x` into DIR/openblas
unless --openblas names a folder holding an OpenBLAS libblas.so.3). A 256x784 by 784x128 float
product is timed under both (the check that the swap took effect). The goal is judged against the
faster torch.

Runs (all at the same seeds, ldyn and torch alternating so that both see the same machine load):
  * threads 1: --seeds seeds x --epochs epochs of ldyn and of torch + OpenBLAS: the accuracy after
    the last epoch (mean and sd over seeds) and the time per epoch;
  * threads 2: seed 1, --epochs epochs of ldyn and torch + OpenBLAS, the latter also with
    OMP_WAIT_POLICY=PASSIVE (OpenMP's spinning threads make torch very slow on a loaded machine);
  * torch as installed (netlib BLAS), threads 1 and 2, seed 1, --netlib-epochs epochs (it is slow:
    about 15 to 20 s an epoch), for its time per epoch only.
The time per epoch of a configuration is the median, over its runs, of the epochs 2..E (the first
epoch pays for page faults and allocations); each run's load average is recorded.
The torch peer trains on ldyn's own split, initial parameters and minibatch order of each seed
(torch_mlp.py --init ldyn), so the accuracies compare the same runs in two engines.

Writes the results as JSON (--json); exit status 1 if a run failed (the others are still written).
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_DIR = "/usr/share/datasets/fashion-mnist"
MATMUL = """
import time, torch
torch.set_num_threads(1)
a = torch.randn(256, 784); b = torch.randn(784, 128)
for _ in range(5): a @ b
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 0.5:
    a @ b; n += 1
print((time.perf_counter() - t) / n * 1e3)
"""


def log(msg):
    print(f"run_nn_bench: {msg}", file=sys.stderr, flush=True)


def loadavg():
    return list(os.getloadavg())


def find_openblas(root):
    for p in sorted(Path(root).rglob("libblas.so.3")):
        if "openblas" in str(p):
            return p.parent
    return None


def setup_openblas(args, workdir):
    """The folder holding OpenBLAS's libblas.so.3, or (None, reason)."""
    if args.openblas:
        d = find_openblas(args.openblas) or (Path(args.openblas) if (Path(args.openblas) / "libblas.so.3").exists() else None)
        return (d, None) if d else (None, f"--openblas {args.openblas}: no libblas.so.3 there")
    dest = Path(workdir) / "openblas"
    d = find_openblas(dest) if dest.exists() else None
    if d:
        return d, None
    dest.mkdir(parents=True, exist_ok=True)
    for pkg in ("libopenblas0-pthread", "libopenblas0-openmp"):
        proc = subprocess.run(["apt-get", "download", pkg], cwd=dest, capture_output=True, text=True, check=False)
        debs = sorted(dest.glob(f"{pkg}_*.deb"))
        if proc.returncode == 0 and debs:
            subprocess.run(["dpkg", "-x", str(debs[-1]), str(dest / "root")], check=True)
            d = find_openblas(dest / "root")
            if d:
                return d, None
    return None, "could not apt-get download libopenblas0-pthread (or -openmp) and unpack it"


def matmul_ms(python, env):
    proc = subprocess.run([python, "-c", MATMUL], capture_output=True, text=True, env=env, timeout=120, check=False)
    try:
        return float(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def median_epoch(seconds, skip_first=True):
    s = seconds[1:] if skip_first and len(seconds) > 1 else seconds
    return statistics.median(s) if s else None


def run_ldyn(args, workdir, threads, seed, epochs):
    stem = Path(workdir) / f"ldyn-t{threads}-s{seed}"
    cmd = [str(args.ldyn), "train", "--data", "fashion-mnist", "--data-dir", args.data_dir, "--layers", "784,256,10",
           "--activation", "relu", "--optimizer", "adam", "--lr", "1e-3", "--epochs", str(epochs), "--batch", "128",
           "--seed", str(seed), "--threads", str(threads), "--out", f"{stem}.csv", "--json", f"{stem}.json", "--quiet"]
    before = loadavg()
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ldyn train exited with {proc.returncode}: {(proc.stderr or proc.stdout).strip()[-800:]}")
    with open(f"{stem}.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    summary = json.loads(Path(f"{stem}.json").read_text())
    seconds = [float(r["seconds"]) for r in rows]
    return {"engine": "ldyn", "threads": threads, "seed": seed, "epochs": len(rows), "seconds": seconds,
            "test_accuracy": [float(r["test_accuracy"]) for r in rows], "final_test_accuracy": summary["test_accuracy"],
            "wall_s": time.monotonic() - t0, "load_before": before, "load_after": loadavg(),
            "command": " ".join(cmd)}


def run_torch(args, workdir, threads, seed, epochs, blas_dir, label, extra_env=None):
    stem = Path(workdir) / f"torch-{label}-t{threads}-s{seed}"
    cmd = [args.python, str(HERE / "torch_mlp.py"), "--threads", str(threads), "--epochs", str(epochs),
           "--seed", str(seed), "--data-dir", args.data_dir, "--json", f"{stem}.json"]
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    env["OPENBLAS_NUM_THREADS"] = str(threads)  # torch.set_num_threads does not reach a swapped-in BLAS
    env.update(extra_env or {})
    if blas_dir:
        env["LD_LIBRARY_PATH"] = str(blas_dir) + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    before = loadavg()
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=args.timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"torch_mlp.py exited with {proc.returncode}: {(proc.stderr or proc.stdout).strip()[-800:]}")
    data = json.loads(Path(f"{stem}.json").read_text())
    return {"engine": f"torch-{label}", "threads": threads, "seed": seed, "epochs": len(data["epochs"]),
            "seconds": [e["seconds"] for e in data["epochs"]], "test_accuracy": [e["test_accuracy"] for e in data["epochs"]],
            "final_test_accuracy": data["test_accuracy"], "blas": data.get("blas"), "torch": data.get("torch"),
            "wall_s": time.monotonic() - t0, "load_before": before, "load_after": loadavg(),
            "command": "".join(f"{k}={v} " for k, v in (extra_env or {}).items())
            + ("LD_LIBRARY_PATH=OPENBLAS " if blas_dir else "") + " ".join(cmd)}


def summarize(runs):
    """Per (engine, threads): median s/epoch (epochs 2..E of every run), accuracy mean/sd over seeds."""
    out = {}
    for r in runs:
        out.setdefault(f"{r['engine']}/{r['threads']}", []).append(r)
    summary = {}
    for key, rs in out.items():
        pooled = [s for r in rs for s in (r["seconds"][1:] if len(r["seconds"]) > 1 else r["seconds"])]
        acc = [r["final_test_accuracy"] for r in rs if r["final_test_accuracy"] is not None]
        full = [r for r in rs if r["epochs"] == max(x["epochs"] for x in rs)]
        summary[key] = {
            "engine": rs[0]["engine"], "threads": rs[0]["threads"], "runs": len(rs),
            "seconds_per_epoch": statistics.median(pooled) if pooled else None,
            "seconds_min": min(pooled) if pooled else None, "seconds_max": max(pooled) if pooled else None,
            "epochs": max(r["epochs"] for r in rs), "seeds": [r["seed"] for r in full],
            "accuracy": [r["final_test_accuracy"] for r in full],
            "accuracy_mean": statistics.mean(acc) if acc else None,
            "accuracy_sd": statistics.stdev(acc) if len(acc) > 1 else None,
            "load": [r["load_before"][0] for r in rs] + [rs[-1]["load_after"][0]],
        }
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ldyn", required=True, help="the ldyn binary")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--seeds", type=int, default=5, help="seeds of the 1-thread accuracy runs (default 5)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--netlib-epochs", type=int, default=3, help="epochs of torch as installed (netlib BLAS)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--openblas", help="folder holding OpenBLAS (searched for libblas.so.3)")
    ap.add_argument("--no-netlib", action="store_true", help="skip torch as installed")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--data-dir", default=DATA_DIR)
    ap.add_argument("--timeout", type=int, default=900, help="seconds per run")
    ap.add_argument("--quick", action="store_true", help="2 seeds, 3 epochs, netlib 2 epochs (a smoke test)")
    args = ap.parse_args()
    if args.quick:
        args.seeds, args.epochs, args.netlib_epochs = 2, 3, 2
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    threads = [int(t) for t in args.threads.split(",")]
    t_start = time.monotonic()
    result = {"settings": {"seeds": args.seeds, "epochs": args.epochs, "netlib_epochs": args.netlib_epochs,
                           "threads": threads, "data_dir": args.data_dir, "network": "784-256-10 relu",
                           "optimizer": "adam", "lr": 1e-3, "batch": 128},
              "load_start": loadavg(), "runs": [], "failed": []}
    blas_dir, why = setup_openblas(args, workdir)
    result["openblas"] = {"dir": str(blas_dir) if blas_dir else None, "error": why}
    env_ob = dict(os.environ, LD_LIBRARY_PATH=str(blas_dir)) if blas_dir else None
    result["matmul_ms"] = {"installed": matmul_ms(args.python, dict(os.environ)),
                           "openblas": matmul_ms(args.python, env_ob) if env_ob else None}
    log(f"OpenBLAS: {blas_dir or why}; 256x784x128 matmul ms: {result['matmul_ms']}")

    def attempt(what, fn):
        log(what)
        try:
            r = fn()
            log(f"  {r['engine']} t{r['threads']} s{r['seed']}: median {median_epoch(r['seconds']):.3f} s/epoch, "
                f"test {100 * r['final_test_accuracy']:.2f}%, load {r['load_before'][0]:.2f}")
            result["runs"].append(r)
        except (RuntimeError, subprocess.TimeoutExpired, OSError, json.JSONDecodeError, KeyError) as e:
            log(f"  FAILED: {e}")
            result["failed"].append(f"{what}: {e}")

    seeds = list(range(1, args.seeds + 1))
    for t in threads:
        for seed in (seeds if t == 1 else seeds[:1]):
            attempt(f"ldyn threads {t} seed {seed}", lambda: run_ldyn(args, workdir, t, seed, args.epochs))
            if blas_dir:
                attempt(f"torch+OpenBLAS threads {t} seed {seed}",
                        lambda: run_torch(args, workdir, t, seed, args.epochs, blas_dir, "openblas"))
                if t > 1:
                    # OpenMP's threads spin ~300 000 times at each barrier by default: on a loaded machine
                    # that costs torch far more than its work. Passive waiting is its fairer setting there.
                    attempt(f"torch+OpenBLAS OMP_WAIT_POLICY=PASSIVE threads {t} seed {seed}",
                            lambda: run_torch(args, workdir, t, seed, args.epochs, blas_dir, "openblas-passive",
                                              {"OMP_WAIT_POLICY": "PASSIVE"}))
    if not args.no_netlib:
        for t in threads:
            attempt(f"torch as installed threads {t}",
                    lambda: run_torch(args, workdir, t, 1, args.netlib_epochs, None, "installed"))
    result["summary"] = summarize(result["runs"])
    result["load_end"] = loadavg()
    result["runtime_s"] = time.monotonic() - t_start
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    log(f"wrote {args.json} after {result['runtime_s']:.0f} s")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
