#!/usr/bin/python3
"""The PyTorch peer of `ldyn train` for issue #4 section 5: a 784-256-10 ReLU MLP on Fashion-MNIST,
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), batch 128, cross-entropy, float32, on the CPU.

    /usr/bin/python3 bench/nn/torch_mlp.py [--threads T] [--epochs 10] [--seed S] [--data-dir DIR]
                                           [--json FILE]

What it trains on, and how that matches ldyn (`ldyn train --data fashion-mnist --seed S`):
  * the same IDX files (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist),
    pixels / 255 as float32;
  * the same split, image for image: ldyn's seeded permutation of the 60 000 training images
    (stream "data-split" of seed S, recomputed by bench/nn/ldyn_streams.py), its first 6 000 held out
    for validation (ldyn's default --validation 0.1), the other 54 000 trained on; the 10 000 test
    images for the test accuracy;
  * the same preprocessing: per-feature standardization fitted on the 54 000 training images
    (population standard deviation, features with sd < 1e-3 left unscaled), applied to all three;
  * the same network, 784-256-10, ReLU, linear output, cross-entropy (mean over the batch);
  * --init ldyn (default): the very initial parameters of ldyn's --init torch for seed S (stream
    "init": U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, drawn in ldyn's order), and
    ldyn's minibatch order (stream "minibatch-epoch-k" of epoch k); the two runs then differ only in
    floating-point rounding. --init torch: nn.Linear's own default initialization (the same family:
    kaiming_uniform(a = sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in))) and torch.randperm orders;
  * minibatches of 128, the last one short (54 000 = 421 x 128 + 112).

Timing: the wall time of each epoch's training loop (the minibatch gather, forward, backward and
Adam step of all batches), the evaluation excluded, as ldyn's per-epoch `seconds`. Prints (and with
--json writes) one JSON object: per-epoch seconds and accuracies, torch's version and BLAS.
Exit status 2 with a one-line message when PyTorch is missing.
"""
import argparse
import gzip
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ldyn_streams  # noqa: E402


def import_torch():
    try:
        import torch  # noqa: PLC0415
    except ImportError as e:
        sys.stderr.write(f"torch_mlp.py: PyTorch is not importable by {sys.executable} ({e}); "
                         "install python3-torch (Debian: apt-get install python3-torch)\n")
        sys.exit(2)
    return torch


def read_idx(path):
    """An IDX file (optionally .gz) as a numpy array of its declared shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(dir_, stem):
    for name in (stem, stem + ".gz"):
        if (Path(dir_) / name).is_file():
            return Path(dir_) / name
    raise FileNotFoundError(f"{dir_}/{stem}[.gz] not found (Debian: apt-get install dataset-fashion-mnist)")


def load(dir_, seed, validation=6000):
    xtr = read_idx(find(dir_, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / np.float32(255)
    ytr = read_idx(find(dir_, "train-labels-idx1-ubyte")).astype(np.int64)
    xte = read_idx(find(dir_, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / np.float32(255)
    yte = read_idx(find(dir_, "t10k-labels-idx1-ubyte")).astype(np.int64)
    val, tr = (np.array(v) for v in ldyn_streams.fashion_split(seed, len(xtr), validation / len(xtr)))
    x_train, y_train = xtr[tr], ytr[tr]
    x_val, y_val = xtr[val], ytr[val]
    mean = x_train.astype(np.float64).mean(axis=0)
    sd = x_train.astype(np.float64).std(axis=0)
    scale = np.where(sd < 1e-3, 1.0, sd)
    std = lambda x: ((x - mean.astype(np.float32)) / scale.astype(np.float32)).astype(np.float32)  # noqa: E731
    return std(x_train), y_train, std(x_val), y_val, std(xte), yte


def ldyn_init(torch, model, seed):
    """ldyn's --init torch (src/nn/layered_network.cpp): stream "init" of the seed; per layer W_l
    column by column (ldyn stores W as n_l x n_{l-1}, column-major), then b_l; each value
    (2 u - 1) / sqrt(fan_in) with u = (rng() >> 11) 2^-53, rounded to float."""
    rng = ldyn_streams.make_stream(seed, "init")
    u = lambda: (rng() >> 11) * 2.0**-53  # noqa: E731
    with torch.no_grad():
        for layer in (m for m in model if isinstance(m, torch.nn.Linear)):
            out_f, in_f = layer.weight.shape
            r = math.sqrt(float(in_f))
            w = np.array([(2 * u() - 1) / r for _ in range(out_f * in_f)]).reshape(in_f, out_f).T
            b = np.array([(2 * u() - 1) / r for _ in range(out_f)])
            layer.weight.copy_(torch.from_numpy(w.astype(np.float32)))
            layer.bias.copy_(torch.from_numpy(b.astype(np.float32)))


def blas_of(torch):
    """The BLAS library the process actually loaded (from /proc/self/maps), e.g. openblas or netlib."""
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            if "libblas.so" in line or "libopenblas" in line or "libmkl" in line:
                return line.split()[-1]
    except OSError:
        pass
    return None


def set_openblas_threads(threads):
    """torch.set_num_threads does not reach a BLAS swapped in under a generic libblas.so.3 (Debian's
    torch is built against the reference BLAS interface): an OpenBLAS found in the process gets the
    same thread count directly (OPENBLAS_NUM_THREADS is also set by run_nn_bench.py). Returns
    OpenBLAS's thread count afterwards, or None without OpenBLAS."""
    blas = blas_of(None)
    if not blas or "openblas" not in blas:
        return None
    import ctypes  # noqa: PLC0415
    lib = ctypes.CDLL(blas)
    lib.openblas_set_num_threads(int(threads))
    return int(lib.openblas_get_num_threads())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train-samples", type=int, default=0, help="smoke tests: train on only the first this many of the 54 000 (0: all)")
    ap.add_argument("--init", choices=["ldyn", "torch"], default="ldyn",
                    help="ldyn: ldyn's initial parameters and minibatch order for --seed; torch: torch's own")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--json", help="also write the result here")
    args = ap.parse_args()

    torch = import_torch()
    torch.set_num_threads(args.threads)
    openblas_threads = set_openblas_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train, x_val, y_val, x_test, y_test = load(args.data_dir, args.seed)
    if args.train_samples:
        x_train, y_train = x_train[:args.train_samples], y_train[:args.train_samples]
    X, Y = torch.from_numpy(x_train), torch.from_numpy(y_train)
    sets = {"validation": (torch.from_numpy(x_val), torch.from_numpy(y_val)),
            "test": (torch.from_numpy(x_test), torch.from_numpy(y_test))}
    model = torch.nn.Sequential(torch.nn.Linear(784, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    if args.init == "ldyn":
        ldyn_init(torch, model, args.seed)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = torch.nn.CrossEntropyLoss()

    def evaluate(x, y):
        with torch.no_grad():
            out = model(x)
            return float(loss_fn(out, y)), float((out.argmax(1) == y).float().mean())

    epochs = []
    n = len(X)
    for epoch in range(1, args.epochs + 1):
        order = (torch.tensor(ldyn_streams.minibatch_order(args.seed, epoch, n)) if args.init == "ldyn"
                 else torch.randperm(n))
        t0 = time.perf_counter()
        loss_sum = 0.0
        for s in range(0, n, args.batch):
            idx = order[s:s + args.batch]
            xb, yb = X[idx], Y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        seconds = time.perf_counter() - t0
        row = {"epoch": epoch, "seconds": seconds, "train_loss": loss_sum / n}
        for name, (x, y) in sets.items():
            row[f"{name}_loss"], row[f"{name}_accuracy"] = evaluate(x, y)
        epochs.append(row)
        print(f"torch_mlp: epoch {epoch}/{args.epochs} {seconds:.3f} s test {100 * row['test_accuracy']:.2f}%",
              file=sys.stderr, flush=True)
    result = {
        "peer": "torch", "torch": torch.__version__, "blas": blas_of(torch),
        "ld_library_path": os.environ.get("LD_LIBRARY_PATH", ""), "python": platform.python_version(),
        "threads": torch.get_num_threads(), "openblas_threads": openblas_threads, "seed": args.seed, "init": args.init, "network": f"784-{args.hidden}-10 relu",
        "batch": args.batch, "lr": args.lr, "train": len(X), "epochs": epochs,
        "test_accuracy": epochs[-1]["test_accuracy"] if epochs else None,
    }
    text = json.dumps(result, indent=1)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
