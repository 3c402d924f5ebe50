#!/usr/bin/python3
"""Time one torch.optim.Adam step on the CPU, single thread, the way bench_optim.cpp times ldyn.

    /usr/bin/python3 bench/torch_adam.py [--sizes 1000000 10000000] [--steps N] [--warmup N]

Method (the same as BM_AdamStep): one float32 parameter tensor of n values and a fixed random
gradient, Adam(foreach=True) with the defaults of ldyn's "adam" preset (lr 1e-3, betas 0.9/0.999,
eps 1e-8), torch.set_num_threads(1); `warmup` untimed steps (the state is allocated by the first),
then `steps` individually timed steps; the median is the figure compared. Prints one JSON object.

Exit status 2 with a one-line message when PyTorch is missing (Debian: apt-get install python3-torch).
"""
import argparse
import json
import platform
import statistics
import sys
import time


def import_torch():
    try:
        import torch  # noqa: PLC0415 (a missing torch must give a clear message, not a traceback)
    except ImportError as e:
        sys.stderr.write(f"torch_adam.py: PyTorch is not importable by {sys.executable} ({e}); "
                         "install python3-torch (Debian: apt-get install python3-torch)\n")
        sys.exit(2)
    return torch


def cpu_capability(torch):
    """The SIMD level ATen dispatches to ("AVX512", "AVX2", ...), from torch's build summary."""
    try:
        for line in torch.__config__.show().splitlines():
            if "CPU capability usage" in line:
                return line.split(":", 1)[1].strip()
    except Exception:  # noqa: BLE001 (informational only)
        pass
    return None


def time_adam(torch, n, warmup, steps, foreach):
    gen = torch.Generator().manual_seed(20240601)
    param = torch.nn.Parameter(torch.randn(n, generator=gen, dtype=torch.float32))
    param.grad = torch.randn(n, generator=gen, dtype=torch.float32) * 1e-2
    opt = torch.optim.Adam([param], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=foreach)
    for _ in range(warmup):
        opt.step()
    wall, cpu = [], []
    for _ in range(steps):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        opt.step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    state = opt.state[param]
    # Values kept per parameter: exp_avg and exp_avg_sq (the step count is one scalar per tensor).
    per_param = sum(v.numel() for v in state.values() if torch.is_tensor(v) and v.numel() == n) / n
    if not torch.isfinite(param).all():
        raise RuntimeError(f"Adam produced non-finite parameters at n = {n}")
    return {
        "n": n,
        "foreach": foreach,
        "warmup": warmup,
        "steps": steps,
        "median_ms": statistics.median(wall) * 1e3,
        "mean_ms": statistics.fmean(wall) * 1e3,
        "min_ms": min(wall) * 1e3,
        "median_cpu_ms": statistics.median(cpu) * 1e3,
        "state_per_param": per_param,
        # Same convention as ldyn's bytes_per_second: the 7 floats per parameter a fused step must
        # move, whatever torch actually moves.
        "bytes_per_second_7floats": 7 * 4 * n / statistics.median(wall),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--steps", type=int, default=0,
                    help="timed steps per size (default: about 1 s of steps, at least 25)")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--no-foreach", action="store_true",
                    help="also time the single-tensor implementation (foreach=False)")
    args = ap.parse_args()

    torch = import_torch()
    torch.set_num_threads(1)
    results = []
    for n in args.sizes:
        for foreach in ([True, False] if args.no_foreach else [True]):
            steps = args.steps
            if steps <= 0:
                probe = time_adam(torch, n, warmup=2, steps=3, foreach=foreach)
                steps = max(25, min(500, int(1.0 / (probe["median_ms"] * 1e-3))))
            results.append(time_adam(torch, n, args.warmup, steps, foreach))
    json.dump({
        "torch_version": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "cpu_capability": cpu_capability(torch),
        "results": results,
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
