#!/usr/bin/python3
"""Run ldyn's benchmarks and write docs/benchmarks.md.

    /usr/bin/python3 bench/run_benchmarks.py [--build-dir build/release] [--quick] [--out FILE]

One run does, in this order:
  1. the Google Benchmark binary <build-dir>/bench/ldyn_bench_optim (--benchmark_format=json):
     Adam (preset "adam", float, n = 1e6 and 1e7), reference kernels for the Adam roofline, full CGD
     (n = 100 ... 2000, double) and block CGD (1e6 floats, blocks of 256);
  2. bench/torch_adam.py: torch.optim.Adam(foreach=True), float32, one thread, same sizes and method;
  3. `ldyn optimize --compare ... --json FILE` on a few test problems (steps to target), when the CLI
     has that subcommand;
and writes the report atomically (temporary file + os.replace), so a failed or interrupted run never
leaves a half-written docs/benchmarks.md. Raw JSON results go to <build-dir>/bench/results/.

--quick: Adam and its reference kernels, full CGD up to n = 500, no block CGD, short torch and
comparison runs (about half a minute instead of several minutes).
Exit status: 0 on success (also when the Adam goal is missed, unless --check), 1 on any failure.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADAM_GOAL = 0.6          # ldyn ms/step must be <= this fraction of torch's at n = 1e7
NEVER = 1_000_000_000    # refresh_every that stands for "update only" in bench_optim.cpp
AMORTIZE = 100           # refresh_every of the amortized figures
STEPS_BEGIN, STEPS_END = "<!-- steps-to-target -->", "<!-- /steps-to-target -->"

QUICK_FILTER = r"^BM_(AdamStep[A-Za-z]*|Reference[A-Za-z]+)/|^BM_CgdFull/n:(100|200|500)/"
COMPARE_PRESETS = "sgd,momentum,adam,cgd-diag,cgd-full"
COMPARE_RUNS = [  # (label, arguments of `ldyn optimize`)
    ("rotated quadratic, exact gradients", ["--problem", "rotated-quadratic"]),
    ("rotated quadratic, gradient noise 1 (covariance H)", ["--problem", "rotated-quadratic", "--noise", "1"]),
    ("Rosenbrock", ["--problem", "rosenbrock"]),
]


class BenchError(RuntimeError):
    pass


def log(msg):
    print(f"run_benchmarks: {msg}", file=sys.stderr, flush=True)


def rel(path):
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------------------------------------
# Machine information

def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        pass
    return None


def compiler_of(build_dir, context):
    if context.get("compiler"):
        return context["compiler"]
    cache = Path(build_dir) / "CMakeCache.txt"
    try:
        m = re.search(r"^CMAKE_CXX_COMPILER:\w+=(.*)$", cache.read_text(), re.M)
        if m:
            out = subprocess.run([m.group(1), "--version"], capture_output=True, text=True, check=False)
            return out.stdout.splitlines()[0] if out.stdout else m.group(1)
    except OSError:
        pass
    return "unknown"


def build_flags(build_dir):
    cache = Path(build_dir) / "CMakeCache.txt"
    try:
        text = cache.read_text()
    except OSError:
        return "unknown (no CMakeCache.txt)"
    get = lambda key: (re.search(rf"^{key}:\w+=(.*)$", text, re.M) or [None, "?"])[1]  # noqa: E731
    return f"CMAKE_BUILD_TYPE={get('CMAKE_BUILD_TYPE')}, LDYN_NATIVE={get('LDYN_NATIVE')}"


# ------------------------------------------------------------------------------------------------
# Running things

def run_checked(cmd, what, timeout=None, cwd=None):
    log(f"{what}: {' '.join(shlex.quote(str(c)) for c in cmd)}")
    t0 = time.monotonic()
    try:
        proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                              cwd=cwd, check=False)
    except FileNotFoundError as e:
        raise BenchError(f"{what}: cannot run {cmd[0]}: {e}") from e
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"{what}: did not finish within {timeout} s") from e
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed with exit status {proc.returncode}:\n{tail}")
    log(f"{what}: done in {time.monotonic() - t0:.0f} s")
    return proc


def check_torch(python):
    proc = subprocess.run([python, "-c", "import torch; print(torch.__version__)"],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"PyTorch is not importable by {python}: install python3-torch "
                         "(sudo apt-get install python3-torch, or `make bench`, which installs it), "
                         "or pass --no-torch to skip the comparison")
    return proc.stdout.strip()


def run_cpp(binary, quick):
    cmd = [binary, "--benchmark_format=json"]
    if quick:
        cmd += [f"--benchmark_filter={QUICK_FILTER}", "--benchmark_min_time=0.2"]
    log("C++ benchmarks: " + ("quick selection, about 20 s" if quick else
                             "full run, about 2 to 5 minutes (n = 2000 and block CGD refresh for seconds per step)"))
    proc = run_checked(cmd, "C++ benchmarks")
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise BenchError(f"{binary} did not print JSON ({e}); is it a Google Benchmark binary?") from e
    failed = [b["name"] for b in data.get("benchmarks", []) if b.get("error_occurred")]
    if failed:
        raise BenchError("benchmarks reported errors: " + ", ".join(failed))
    return data


def run_torch(python, quick):
    cmd = [python, ROOT / "bench" / "torch_adam.py"]
    if quick:
        cmd += ["--steps", "15", "--warmup", "3"]
    proc = run_checked(cmd, "torch Adam")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise BenchError(f"torch_adam.py did not print JSON ({e})") from e


def probe_compare(cli):
    """True when `ldyn optimize` has --compare and --json; otherwise a reason string."""
    if not Path(cli).is_file():
        return f"`{rel(cli)}` is not built"
    try:
        proc = subprocess.run([str(cli), "optimize", "--help"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"`ldyn optimize --help` could not run ({e})"
    text = proc.stdout + proc.stderr
    if proc.returncode != 0:
        return f"`ldyn optimize --help` exited with status {proc.returncode} (no optimize subcommand)"
    missing = [flag for flag in ("--compare", "--json") if flag not in text]
    if missing:
        return "`ldyn optimize` has no " + " or ".join(f"`{m}`" for m in missing) + " option yet"
    return True


def run_compare(cli, results_dir, quick):
    out = []
    runs = COMPARE_RUNS[:1] if quick else COMPARE_RUNS
    presets = "sgd,adam,cgd-full" if quick else COMPARE_PRESETS
    steps = "1000" if quick else "2000"
    for i, (label, args) in enumerate(runs):
        json_path = Path(results_dir) / f"compare-{i}.json"
        cmd = [cli, "optimize", *args, "--compare", presets, "--lr-grid", "--steps", steps, "--quiet",
               "--json", json_path]
        proc = run_checked(cmd, f"steps to target ({label})", timeout=1800)
        try:
            summary = json.loads(json_path.read_text())
        except (OSError, json.JSONDecodeError) as e:
            summary = {"unreadable": str(e)}
        shown = [str(c) for c in cmd]
        shown[0] = "ldyn"
        shown[-1] = "FILE"
        out.append({"label": label, "command": " ".join(shown), "summary": summary, "stdout": proc.stdout})
    return out


# ------------------------------------------------------------------------------------------------
# Reading the results

def index_cpp(data):
    """{(family, n, refresh): benchmark} for the per-iteration entries (no aggregates)."""
    table = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration":
            continue
        family = b["name"].split("/", 1)[0]
        n = int(round(b.get("n", 0)))
        refresh = int(round(b.get("refresh_every", 0)))
        table[(family, n, refresh)] = b
    return table


def ms(b):
    """Mean real time per iteration of a benchmark entry, in milliseconds."""
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b["real_time"] * scale


def cpu_ms(b):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b["cpu_time"] * scale


def fmt_ms(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 1:
        return f"{v:.2f}"
    if v >= 0.01:
        return f"{v:.3f}"
    return f"{v:.4f}"


def fmt_spp(v):
    """State values per parameter: exact when it is a whole or half number, else one decimal."""
    return f"{v:g}" if abs(v * 2 - round(v * 2)) < 1e-9 else f"{v:.1f}"


def fmt_n(n):
    exp = len(str(n)) - 1
    return f"1e{exp}" if n == 10**exp and n >= 10**5 else f"{n:,}"


# ------------------------------------------------------------------------------------------------
# The report

def adam_section(cpp, torch_data, lines):
    goal_met = None
    lines += ["## Adam: ldyn's diagonal limit vs torch.optim.Adam", ""]
    sizes = sorted(n for (fam, n, _) in cpp if fam == "BM_AdamStep")
    if not sizes:
        lines += ["_Not run (filtered out)._", ""]
        return None
    torch_by_n = {}
    if torch_data:
        torch_by_n = {r["n"]: r for r in torch_data["results"] if r.get("foreach", True)}
    lines += [
        "One step of preset `adam` on one float32 tensor (`Optimizer<float>::step`), against "
        "`torch.optim.Adam(foreach=True)` with `torch.set_num_threads(1)`. Both: state allocated "
        "and warmed up first, a fixed random gradient, each step timed on its own, **median** "
        f"reported. Goal: ldyn/torch <= {ADAM_GOAL} at n = 1e7.",
        "",
        "| n | ldyn ms/step | torch ms/step | ldyn/torch | ldyn GB/s (28 B/param) | torch GB/s (same count) "
        "| ldyn CPU ms | torch CPU ms | ldyn/torch (CPU) | state values/param ldyn | torch |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        b = cpp[("BM_AdamStep", n, 0)]
        l_ms, l_cpu = b["median_ms"], b["median_cpu_ms"]
        gbs = 28 * n / (l_ms * 1e-3) / 1e9
        t = torch_by_n.get(n)
        if t:
            ratio = l_ms / t["median_ms"]
            ratio_cpu = l_cpu / t["median_cpu_ms"]
            ok = ratio <= ADAM_GOAL
            if n == max(sizes):
                goal_met = ok
            lines.append(
                f"| {fmt_n(n)} | {fmt_ms(l_ms)} | {fmt_ms(t['median_ms'])} | **{ratio:.2f}** "
                f"{'(goal met)' if ok else '(goal MISSED)'} | {gbs:.1f} | {28 * n / (t['median_ms'] * 1e-3) / 1e9:.1f} "
                f"| {fmt_ms(l_cpu)} | {fmt_ms(t['median_cpu_ms'])} | {ratio_cpu:.2f} "
                f"| {fmt_spp(b['state_per_param'])} | {fmt_spp(t['state_per_param'])} |")
        else:
            lines.append(f"| {fmt_n(n)} | {fmt_ms(l_ms)} | - | - | {gbs:.1f} | - | {fmt_ms(l_cpu)} | - | - "
                         f"| {fmt_spp(b['state_per_param'])} | - |")
    lines.append("")
    bad_state = [n for n in sizes if cpp[("BM_AdamStep", n, 0)]["state_per_param"] != 2]
    if bad_state:
        lines += [f"**Warning:** ldyn keeps {cpp[('BM_AdamStep', bad_state[0], 0)]['state_per_param']:g} "
                  "state values per parameter for Adam; it must be exactly 2.", ""]
    if torch_data:
        lines += [f"torch {torch_data['torch_version']} (Python {torch_data['python']}), "
                  f"{torch_data['threads']} thread, ATen CPU capability {torch_data.get('cpu_capability') or '?'}; "
                  f"{torch_by_n[sizes[0]]['steps'] if sizes[0] in torch_by_n else '?'} / "
                  f"{torch_by_n[sizes[-1]]['steps'] if sizes[-1] in torch_by_n else '?'} timed torch steps. "
                  "GB/s counts the 7 floats per parameter a fused step must move (read q, g, m, v; write "
                  "q, m, v) for both, whatever each actually moves.", ""]
    else:
        lines += ["_torch was not run (--no-torch)._", ""]

    # Where ldyn's time goes: the reference kernels.
    refs = [("BM_ReferenceTraffic", "bandwidth roofline: 4 streams read, 3 written, trivial arithmetic"),
            ("BM_ReferenceFusedAdam", "textbook fused Adam loop (torch semantics, no options, no norm pass)"),
            ("BM_ReferenceFusedAdamHugePages", "the same loop on 2 MiB transparent huge pages"),
            ("BM_ReferenceGradNorm", "`Optimizer::step`'s gradient-norm pre-pass alone (one more read of g)"),
            ("BM_AdamStep", "ldyn `Optimizer<float>::step`, preset adam"),
            ("BM_AdamStepMeasured", "the same with `measure_updates(true)` (update-norm reduction)")]
    if any((fam, sizes[0], 0) in cpp for fam, _ in refs[:3]):
        lines += ["### Where the Adam step's time goes", "",
                  "Reference kernels in `bench/bench_optim.cpp` (not ldyn code), same data, same method "
                  "(median **CPU** ms per step, which time-sharing with other processes disturbs less than wall "
                  "time; in parentheses: vs the bandwidth roofline).", "",
                  "| kernel | " + " | ".join(f"n = {fmt_n(n)}" for n in sizes) + " |",
                  "|---|" + "---:|" * len(sizes)]
        for fam, what in refs:
            cells = []
            for n in sizes:
                b = cpp.get((fam, n, 0))
                roof = cpp.get(("BM_ReferenceTraffic", n, 0))
                if not b:
                    cells.append("-")
                elif roof and fam not in ("BM_ReferenceTraffic", "BM_ReferenceGradNorm"):
                    # Ratio to the roofline of the same n.
                    cells.append(f"{fmt_ms(b['median_cpu_ms'])} ({b['median_cpu_ms'] / roof['median_cpu_ms']:.2f}x)")
                else:
                    cells.append(fmt_ms(b["median_cpu_ms"]))
            lines.append(f"| {what} | " + " | ".join(cells) + " |")
        lines.append("")
        lines += adam_observations(cpp, sizes)
    return goal_met


def adam_observations(cpp, sizes):
    """Bullets that read the reference table, computed from this run's numbers."""
    out = []
    for n in sizes:
        get = lambda fam: (cpp.get((fam, n, 0)) or {}).get("median_cpu_ms")  # noqa: E731
        step, roof, fused = get("BM_AdamStep"), get("BM_ReferenceTraffic"), get("BM_ReferenceFusedAdam")
        norm, measured, huge = get("BM_ReferenceGradNorm"), get("BM_AdamStepMeasured"), get("BM_ReferenceFusedAdamHugePages")
        parts = []
        if step and roof:
            parts.append(f"the step runs at {roof / step:.0%} of the bandwidth roofline")
        if step and norm:
            parts.append(f"the read-only gradient-norm pass is {norm:.3g} ms of it ({norm / step:.0%})")
        if fused and roof:
            parts.append(f"the fused arithmetic itself (sqrt and divide) costs {max(fused / roof - 1, 0):.0%} "
                         "over pure traffic")
        if measured and step:
            parts.append(f"`measure_updates(true)` makes the step {measured / step:.1f}x slower")
        if huge and fused:
            parts.append(f"huge pages make the textbook loop {fused / huge:.2f}x faster")
        if parts:
            out.append(f"- n = {fmt_n(n)} (CPU time): " + "; ".join(parts) + ".")
    if out:
        out.append("")
    return out


def cgd_full_section(cpp, lines):
    sizes = sorted({n for (fam, n, _) in cpp if fam == "BM_CgdFull"})
    lines += ["## Full CGD (`cgd-full`, double): cost per step", ""]
    if not sizes:
        lines += ["_Not run (filtered out)._", ""]
        return
    lines += [
        "One dense n x n metric. Every step: the O(n^2) update of kappa's lower triangle and "
        "g^-1 F = V diag(phi) V^T F (two matrix-vector products with the eigenvectors V); every "
        "`refresh_every` steps an O(n^3) symmetric eigendecomposition (Eigen's `SelfAdjointEigenSolver`), "
        "and on the steps between, kappa's eigenvalues followed in the kept basis (one more product, "
        "V^T d). Columns:",
        "",
        "- *update only*: refresh_every = 1e9 (only the untimed first step decomposes): the O(n^2) part;",
        "- *refresh every step*: refresh_every = 1;",
        f"- *amortized, measured*: refresh_every = {AMORTIZE}, timed over whole multiples of {AMORTIZE} "
        "steps, so exactly one refresh per 100 steps is included;",
        f"- *amortized, formula*: t(R) = t(update) + (t(refresh every step) - t(update)) / R with R = {AMORTIZE}.",
        "",
        "Gradients cycle through 8 fixed random vectors (the eigensolver's cost barely depends on "
        "kappa's rank: a 1000 x 1000 solve takes within 5 % of the same time at rank 4 and at full rank). "
        "Mean wall ms per step.",
        "",
        f"| n | state values/param | update only | refresh every step | amortized (R = {AMORTIZE}), measured "
        "| amortized, formula | refresh step - update step |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        upd = cpp.get(("BM_CgdFull", n, NEVER))
        every = cpp.get(("BM_CgdFull", n, 1))
        amort = cpp.get(("BM_CgdFull", n, AMORTIZE))
        spp = next((b["state_per_param"] for b in (upd, every, amort) if b), None)
        u, e = (ms(upd) if upd else None), (ms(every) if every else None)
        formula = u + (e - u) / AMORTIZE if u is not None and e is not None else None
        eig = e - u if u is not None and e is not None else None
        lines.append(f"| {n} | {fmt_spp(spp)} | {fmt_ms(u)} | {fmt_ms(e)} | {fmt_ms(ms(amort) if amort else None)} "
                     f"| {fmt_ms(formula)} | {fmt_ms(eig)} |")
    lines.append("")


def cgd_block_section(cpp, lines, quick):
    lines += ["## Block CGD (`cgd-block`, block_size 256, float)", ""]
    entries = {r: b for (fam, n, r), b in cpp.items() if fam == "BM_CgdBlock"}
    if not entries:
        lines += ["_Not run" + (" in --quick mode" if quick else " (filtered out)") + "._", ""]
        return
    n = next(int(round(b["n"])) for b in entries.values())
    every, upd = entries.get(1), entries.get(NEVER)
    blocks = -(-n // 256)
    lines += [
        f"n = {fmt_n(n)} parameters in {blocks} blocks (the last one smaller). State: kappa, the "
        "eigenvectors and the eigensolver's workspace, three 256 x 256 matrices per block, about "
        f"{3 * n * 256 * 4 / 2**30:.1f} GiB; one refresh is {blocks} eigendecompositions of 256 x 256. "
        f"Amortized figure by the formula above, R = {AMORTIZE}. Mean wall ms per step "
        f"({every['iterations'] if every else '?'} and {upd['iterations'] if upd else '?'} timed steps).",
        "",
        "| state values/param | update only | refresh every step | amortized (R = 100), formula | refresh step - update step |",
        "|---:|---:|---:|---:|---:|",
    ]
    spp = (every or upd)["state_per_param"]
    u, e = (ms(upd) if upd else None), (ms(every) if every else None)
    formula = u + (e - u) / AMORTIZE if u is not None and e is not None else None
    lines += [f"| {fmt_spp(spp)} | {fmt_ms(u)} | {fmt_ms(e)} | {fmt_ms(formula)} | "
              f"{fmt_ms(e - u if u is not None and e is not None else None)} |", ""]


def compare_section(compare, lines):
    lines += ["## Steps to target", "", STEPS_BEGIN]
    if isinstance(compare, str):
        lines += [f"_Skipped: {compare}. Rerun `bench/run_benchmarks.py` once `ldyn optimize --compare "
                  "... --json FILE` exists._"]
    else:
        lines += ["Each optimizer with its learning rate tuned on a log grid (`--lr-grid`), from `ldyn "
                  "optimize --compare` (a run that fails to reach the target in the step budget shows "
                  "\"not reached\").", ""]
        for run in compare:
            s = run["summary"]
            lines += [f"### {run['label']}", "", f"`{run['command']}`", ""]
            opts = s.get("optimizers") if isinstance(s, dict) else None
            if not isinstance(opts, list) or not opts:
                lines += ["```", run["stdout"].rstrip(), "```", ""]
                continue
            head = []
            if "dim" in s:
                head.append(f"dimension {s['dim']}")
            if "steps" in s:
                head.append(f"{s['steps']} steps")
            if "target" in s:
                head.append(f"target: excess loss {s['target']:g} of the initial")
            if s.get("noise"):
                head.append(f"gradient noise {s['noise']:g}")
            if head:
                lines += ["; ".join(head) + ".", ""]
            lines += ["| optimizer | best lr | steps to target | final relative loss |", "|---|---:|---:|---:|"]
            for o in opts:
                stt = o.get("steps_to_target")
                frl = o.get("final_relative_loss")
                lr = o.get("best_lr")
                lines.append(f"| {o.get('name', '?')} | {f'{lr:.3g}' if isinstance(lr, (int, float)) else '-'} "
                             f"| {stt if stt is not None else 'not reached'} "
                             f"| {f'{frl:.3g}' if isinstance(frl, (int, float)) else '-'} |")
            lines.append("")
    lines += [STEPS_END, ""]


def render(info, cpp_data, torch_data, compare, args):
    cpp = index_cpp(cpp_data)
    ctx = cpp_data.get("context", {})
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by bench/run_benchmarks.py (`make bench`); edits by hand are overwritten. -->",
        "",
        f"Generated {info['date']} by `{info['command']}`" + (" (**--quick**: reduced selection)" if args.quick else "") + ".",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {info['cpu']} ({os.cpu_count()} logical CPUs"
        + (f", {ctx['mhz_per_cpu']} MHz" if ctx.get("mhz_per_cpu") else "") + ") |",
        "| Caches | " + (", ".join(f"L{c['level']} {c['type'].lower()} {c['size'] // 1024} KiB"
                                   for c in ctx.get("caches", [])) or "?") + " |",
        f"| Memory | {info['memory']} |",
        f"| OS | {info['os']} |",
        f"| Compiler | {info['compiler']} ({info['flags']}; SIMD {ctx.get('simd', '?')}) |",
        f"| Google Benchmark | {ctx.get('library_build_type', '?')} build of the library (Debian's "
        "libbenchmark-dev; the timed code is ours and built Release) |",
        f"| Load average | {info['load_before']} before, {info['load_after']} after (more than ~1 means "
        "other processes shared the cores; CPU-time columns are less affected) |",
        "",
        "Everything single-threaded. Times are per optimizer step.",
        "",
    ]
    goal_met = adam_section(cpp, torch_data, lines)
    cgd_full_section(cpp, lines)
    cgd_block_section(cpp, lines, args.quick)
    compare_section(compare, lines)
    lines += ["## Reproduce", "",
              "```sh",
              "make bench                                   # builds the release preset, runs everything",
              "/usr/bin/python3 bench/run_benchmarks.py --quick --build-dir build/release",
              "build/release/bench/ldyn_bench_optim --benchmark_filter=Adam   # one family, console output",
              "/usr/bin/python3 bench/torch_adam.py --sizes 10000000",
              "```", ""]
    return "\n".join(lines), goal_met


def write_atomically(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def main():
    ap = argparse.ArgumentParser(description="Run ldyn's benchmarks and write docs/benchmarks.md.")
    ap.add_argument("--build-dir", default=str(ROOT / "build" / "release"),
                    help="CMake build directory holding bench/ldyn_bench_optim and apps/ldyn/ldyn "
                         "(default: build/release, the release preset)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="report to write")
    ap.add_argument("--quick", action="store_true", help="short run: fewer sizes, no block CGD")
    ap.add_argument("--python", default="/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable,
                    help="interpreter with PyTorch for bench/torch_adam.py (default: /usr/bin/python3)")
    ap.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    ap.add_argument("--no-compare", action="store_true", help="skip the steps-to-target section")
    ap.add_argument("--check", action="store_true",
                    help=f"exit with status 1 if ldyn's Adam step is not <= {ADAM_GOAL}x torch's at n = 1e7")
    args = ap.parse_args()

    build = Path(args.build_dir).resolve()
    binary = build / "bench" / "ldyn_bench_optim"
    cli = build / "apps" / "ldyn" / "ldyn"
    results_dir = build / "bench" / "results"
    try:
        if not binary.is_file():
            raise BenchError(f"{binary} does not exist: build it first (`cmake --preset release && "
                             "cmake --build --preset release`, or `make bench`), or pass --build-dir")
        torch_version = None if args.no_torch else check_torch(args.python)
        results_dir.mkdir(parents=True, exist_ok=True)
        info = {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": " ".join(["bench/run_benchmarks.py", *sys.argv[1:]]),
            "cpu": cpu_model(),
            "memory": f"{memory_gib():.0f} GiB" if memory_gib() else "unknown",
            "os": f"{platform.system()} {platform.release()}",
            "load_before": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        }
        cpp_data = run_cpp(binary, args.quick)
        (results_dir / "bench_optim.json").write_text(json.dumps(cpp_data, indent=1))
        torch_data = None
        if torch_version is not None:
            torch_data = run_torch(args.python, args.quick)
            (results_dir / "torch_adam.json").write_text(json.dumps(torch_data, indent=1))
        if args.no_compare:
            compare = "--no-compare was given"
        else:
            probe = probe_compare(cli)
            compare = run_compare(cli, results_dir, args.quick) if probe is True else probe
            if probe is not True:
                log(f"steps to target skipped: {probe}")
        info["load_after"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        info["compiler"] = compiler_of(build, cpp_data.get("context", {}))
        info["flags"] = build_flags(build)
        text, goal_met = render(info, cpp_data, torch_data, compare, args)
        write_atomically(args.out, text)
    except BenchError as e:
        log(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        log("interrupted; the report was not changed")
        return 1
    log(f"wrote {rel(args.out)} (raw results in {rel(results_dir)})")
    if goal_met is not None:
        log(f"Adam goal (ldyn <= {ADAM_GOAL} x torch at n = 1e7): {'met' if goal_met else 'MISSED'}")
        if args.check and not goal_met:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
