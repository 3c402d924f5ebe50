#!/usr/bin/python3
"""Record PyTorch optimizer trajectories into a plain-text fixture for ldyn's C++ tests.

What it does
------------
Runs a handful of ``torch.optim`` optimizers (SGD, SGD+momentum, RMSprop, Adam,
AdamW) plus a hand-written AdaBelief (torch has none) on a single float64 tensor
of n = 8 parameters for 200 steps, feeding every case the *same* fixed,
parameter-independent gradient sequence G (200 x 8), and writes the parameter
values after every step to a whitespace-separated text file.  The C++ tests read
that file and replay the same gradients through ldyn's optimizers; they never
need torch.

Everything is float64 and deterministic (fixed numpy seeds, no dates in the
output), so regenerating with the same torch/numpy produces a byte-identical
file.  Floats are written with Python's repr(), the shortest string that
round-trips to the identical IEEE-754 double (strtod in C++ reads it back
exactly).

Setup
-----
* init   = numpy.random.default_rng(seed=20250407).normal(size=8)
* rng    = numpy.random.default_rng(seed=7)
  mean   = rng.normal(size=8) * 0.5          (drawn first)
  scale  = 10 ** numpy.linspace(-3, 1, 8)     (coordinates span 4 decades)
  z      = rng.normal(size=(200, 8))          (drawn second)
  G[t,i] = mean[i] + scale[i] * z[t,i]        (nothing rounded)
* For each case: parameter reset to ``init``, fresh optimizer on that single
  tensor; at step t: ``p.grad = torch.tensor(G[t])`` (a copy), ``opt.step()``,
  record ``p`` (values AFTER step t, t = 1..200).

Format: see tests/reference/README.md (header "ldyn-optim-fixture 1").

Regenerate (from the repository root; needs Debian's interpreter, which has
torch 1.13 + numpy -- the pyenv ``python3`` on PATH has no torch)::

    /usr/bin/python3 tests/reference/make_torch_fixture.py > tests/reference/torch_optim_fixture.txt
    # or, written atomically (temp file in the same directory, then os.replace):
    /usr/bin/python3 tests/reference/make_torch_fixture.py --out tests/reference/torch_optim_fixture.txt

Self-check::

    /usr/bin/python3 tests/reference/make_torch_fixture.py --check

re-implements Adam (required) and also SGD / RMSprop / AdamW by hand in numpy
float64 and asserts each matches torch's trajectory to 1e-12 relative; it also
checks that the generated text parses back to exactly the same doubles, that two
generations are byte-identical, and (if present) that the committed fixture
file is identical to a fresh generation.
"""

import argparse
import math
import os
import sys
import tempfile

import numpy as np
import torch

N = 8
STEPS = 200
INIT_SEED = 20250407
GRAD_SEED = 7
FORMAT_HEADER = "ldyn-optim-fixture 1"
DEFAULT_FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "torch_optim_fixture.txt")


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
def make_init():
    return np.random.default_rng(seed=INIT_SEED).normal(size=N).astype(np.float64)


def make_grads():
    rng = np.random.default_rng(seed=GRAD_SEED)
    mean = rng.normal(size=N) * 0.5
    scale = 10.0 ** np.linspace(-3.0, 1.0, N)
    z = rng.normal(size=(STEPS, N))
    g = mean[None, :] + scale[None, :] * z
    return np.ascontiguousarray(g, dtype=np.float64)


# --------------------------------------------------------------------------
# Cases.  (name, optimizer kind, constructor, kwargs)
# --------------------------------------------------------------------------
TORCH_CASES = [
    ("sgd", "sgd", torch.optim.SGD, dict(lr=0.05)),
    ("sgd_wd", "sgd", torch.optim.SGD, dict(lr=0.05, weight_decay=0.1)),
    ("sgd_maximize", "sgd", torch.optim.SGD, dict(lr=0.05, maximize=True)),
    ("momentum", "sgd", torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ("momentum_dampening", "sgd", torch.optim.SGD,
     dict(lr=0.05, momentum=0.9, dampening=0.3)),
    ("momentum_wd", "sgd", torch.optim.SGD,
     dict(lr=0.05, momentum=0.9, weight_decay=0.01)),
    ("rmsprop", "rmsprop", torch.optim.RMSprop, dict(lr=0.01, alpha=0.99, eps=1e-8)),
    ("rmsprop_wd", "rmsprop", torch.optim.RMSprop,
     dict(lr=0.01, alpha=0.95, eps=1e-6, weight_decay=0.05)),
    ("adam", "adam", torch.optim.Adam, dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ("adam_wd", "adam", torch.optim.Adam,
     dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adam_maximize", "adam", torch.optim.Adam, dict(lr=0.01, maximize=True)),
    ("adamw", "adamw", torch.optim.AdamW,
     dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
]

ADABELIEF_CASES = [
    ("adabelief", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0)),
    ("adabelief_wd", dict(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.1)),
]


def fmt(x):
    """Shortest round-trip decimal for a double (Python repr)."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("non-finite value in fixture: %r" % x)
    return repr(x)


def fmt_row(row):
    return " ".join(fmt(v) for v in row)


def torch_header(kind, group):
    """key=value pairs, taken from the optimizer's own param_group so that
    defaults torch filled in (e.g. adam_maximize's betas/eps) are recorded."""
    b = lambda v: "1" if v else "0"
    if kind == "sgd":
        assert not group["nesterov"]
        kv = [("lr", group["lr"]), ("momentum", group["momentum"]),
              ("dampening", group["dampening"]),
              ("weight_decay", group["weight_decay"])]
    elif kind == "rmsprop":
        assert not group["centered"]
        kv = [("lr", group["lr"]), ("alpha", group["alpha"]), ("eps", group["eps"]),
              ("weight_decay", group["weight_decay"]), ("momentum", group["momentum"])]
    elif kind in ("adam", "adamw"):
        assert not group["amsgrad"]
        kv = [("lr", group["lr"]), ("beta1", group["betas"][0]),
              ("beta2", group["betas"][1]), ("eps", group["eps"]),
              ("weight_decay", group["weight_decay"])]
    else:
        raise ValueError(kind)
    parts = ["optimizer=" + kind] + ["%s=%s" % (k, fmt(v)) for k, v in kv]
    parts.append("maximize=" + b(group["maximize"]))
    return " ".join(parts)


def run_torch_case(ctor, kwargs, init, grads):
    p = torch.tensor(init, dtype=torch.float64, requires_grad=True)
    opt = ctor([p], **kwargs)
    traj = np.empty((STEPS, N), dtype=np.float64)
    for t in range(STEPS):
        p.grad = torch.tensor(grads[t], dtype=torch.float64)  # fresh copy
        opt.step()
        traj[t] = p.detach().numpy()
    assert p.dtype == torch.float64
    return traj, opt.param_groups[0]


# --------------------------------------------------------------------------
# AdaBelief (not in torch).  Zhuang et al., NeurIPS 2020, Algorithm 2, as in
# the authors' adabelief-pytorch reference package (AdaBelief.step) with
# weight_decouple=False, rectify=False, amsgrad=False, fixed_decay=False.
# Rules, verbatim, per step t = 1, 2, ... (state m = s = 0 initially):
#
#     g   = g + wd*p                                  # L2 weight decay (only if wd != 0)
#     m_t = b1*m + (1-b1)*g
#     s_t = b2*s + (1-b2)*(g - m_t)**2 + eps          # eps INSIDE the second moment accumulator, stored
#     bc1 = 1 - b1**t ; bc2 = 1 - b2**t
#     denom = sqrt(s_t) / sqrt(bc2) + eps             # (the reference code: (s.add_(eps).sqrt()/sqrt(bc2)).add_(eps))
#     p = p - (lr / bc1) * m_t / denom
#
# The reference code adds eps to the state IN PLACE before the sqrt
# (exp_avg_var.add_(eps)), so the stored s carries that +eps into the next
# step; we do exactly the same.  Operation order mirrors the reference
# (exp_avg_var.mul_(b2).addcmul_(r, r, value=1-b2) then .add_(eps)).
# --------------------------------------------------------------------------
def run_adabelief(hp, init, grads):
    lr, b1, b2, eps, wd = hp["lr"], hp["beta1"], hp["beta2"], hp["eps"], hp["weight_decay"]
    p = init.astype(np.float64).copy()
    m = np.zeros(N, dtype=np.float64)
    s = np.zeros(N, dtype=np.float64)
    traj = np.empty((STEPS, N), dtype=np.float64)
    for t in range(1, STEPS + 1):
        g = grads[t - 1].copy()
        if wd != 0:
            g = g + wd * p                      # grad.add_(p, alpha=wd)
        bc1 = 1 - b1 ** t
        bc2 = 1 - b2 ** t
        m = m * b1 + (1 - b1) * g               # exp_avg.mul_(b1).add_(g, alpha=1-b1)
        r = g - m                               # grad_residual = grad - exp_avg
        s = s * b2 + (1 - b2) * (r * r)         # exp_avg_var.mul_(b2).addcmul_(r, r, value=1-b2)
        s = s + eps                             # exp_avg_var.add_(eps)   (stored!)
        denom = np.sqrt(s) / math.sqrt(bc2) + eps
        step_size = lr / bc1
        p = p + (-step_size) * (m / denom)      # p.addcdiv_(m, denom, value=-step_size)
        traj[t - 1] = p
    return traj


def adabelief_header(hp):
    kv = [("lr", hp["lr"]), ("beta1", hp["beta1"]), ("beta2", hp["beta2"]),
          ("eps", hp["eps"]), ("weight_decay", hp["weight_decay"])]
    return " ".join(["optimizer=adabelief"] + ["%s=%s" % (k, fmt(v)) for k, v in kv])


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------
def compute_all():
    torch.set_num_threads(1)
    init = make_init()
    grads = make_grads()
    cases = []  # (name, header_kv, trajectory)
    for name, kind, ctor, kwargs in TORCH_CASES:
        traj, group = run_torch_case(ctor, kwargs, init, grads)
        cases.append((name, torch_header(kind, group), traj))
    for name, hp in ADABELIEF_CASES:
        cases.append((name, adabelief_header(hp), run_adabelief(hp, init, grads)))
    return init, grads, cases


def render(init, grads, cases):
    out = []
    out.append("# PyTorch optimizer trajectories for ldyn's C++ tests (float64).")
    out.append("# Generated by tests/reference/make_torch_fixture.py -- do not edit by hand.")
    out.append("# Regenerate: /usr/bin/python3 tests/reference/make_torch_fixture.py"
               " --out tests/reference/torch_optim_fixture.txt")
    out.append("# torch %s, numpy %s" % (torch.__version__, np.__version__))
    out.append("# init = numpy default_rng(%d).normal(size=%d)" % (INIT_SEED, N))
    out.append("# grads: rng = default_rng(%d); mean = rng.normal(size=%d)*0.5;"
               " scale = 10**linspace(-3,1,%d); z = rng.normal(size=(%d,%d));"
               " G = mean + scale*z" % (GRAD_SEED, N, N, STEPS, N))
    out.append("# Each case: params reset to init, fresh optimizer, at step t grad = G[t];"
               " rows = params AFTER steps 1..%d." % STEPS)
    out.append("# adabelief* cases are not torch: hand-written AdaBelief (adabelief-pytorch"
               " rules, weight_decouple=False, rectify=False, amsgrad=False), eps added to"
               " the stored second moment every step.")
    out.append(FORMAT_HEADER)
    out.append("n %d" % N)
    out.append("steps %d" % STEPS)
    out.append("init " + fmt_row(init))
    out.append("grads")
    out.extend(fmt_row(row) for row in grads)
    for name, header, traj in cases:
        out.append("case %s %s" % (name, header))
        out.extend(fmt_row(row) for row in traj)
    out.append("end")
    return "\n".join(out) + "\n"


def write_atomic(path, text):
    path = os.path.abspath(path)
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp_fixture_", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------
# Self-check
# --------------------------------------------------------------------------
def ref_adam(init, grads, lr, b1, b2, eps, wd=0.0, maximize=False, decoupled=False):
    """Adam / AdamW (torch 1.13 _single_tensor_adam[w]) by hand, numpy float64."""
    p = init.copy()
    m = np.zeros(N)
    v = np.zeros(N)
    traj = np.empty((STEPS, N))
    for t in range(1, STEPS + 1):
        g = grads[t - 1].copy()
        if maximize:
            g = -g
        if decoupled:
            p = p * (1 - lr * wd)
        elif wd != 0:
            g = g + wd * p
        m = m * b1 + (1 - b1) * g
        v = v * b2 + (1 - b2) * (g * g)
        bc1 = 1 - b1 ** t
        bc2 = 1 - b2 ** t
        step_size = lr / bc1
        denom = np.sqrt(v) / math.sqrt(bc2) + eps
        p = p + (-step_size) * (m / denom)
        traj[t - 1] = p
    return traj


def ref_sgd(init, grads, lr, momentum=0.0, dampening=0.0, wd=0.0, maximize=False):
    p = init.copy()
    buf = None
    traj = np.empty((STEPS, N))
    for t in range(STEPS):
        d = grads[t].copy()
        if maximize:
            d = -d
        if wd != 0:
            d = d + wd * p
        if momentum != 0:
            buf = d.copy() if buf is None else buf * momentum + (1 - dampening) * d
            d = buf
        p = p + (-lr) * d
        traj[t] = p
    return traj


def ref_rmsprop(init, grads, lr, alpha, eps, wd=0.0):
    p = init.copy()
    sq = np.zeros(N)
    traj = np.empty((STEPS, N))
    for t in range(STEPS):
        g = grads[t].copy()
        if wd != 0:
            g = g + wd * p
        sq = sq * alpha + (1 - alpha) * (g * g)
        avg = np.sqrt(sq) + eps
        p = p + (-lr) * (g / avg)
        traj[t] = p
    return traj


def max_rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-300)))


def parse_fixture(text):
    """Minimal parser (what the C++ side does), returns init, grads, {name: traj}."""
    lines = [l for l in text.splitlines() if l and not l.startswith("#")]
    it = iter(lines)
    assert next(it) == FORMAT_HEADER
    n = int(next(it).split()[1])
    steps = int(next(it).split()[1])
    tok = next(it).split()
    assert tok[0] == "init"
    init = np.array([float(x) for x in tok[1:]])
    assert next(it) == "grads"
    rows = lambda: np.array([[float(x) for x in next(it).split()] for _ in range(steps)])
    grads = rows()
    cases = {}
    while True:
        tok = next(it).split()
        if tok[0] == "end":
            break
        assert tok[0] == "case"
        cases[tok[1]] = rows()
    assert init.shape == (n,) and grads.shape == (steps, n)
    return init, grads, cases


def self_check():
    init, grads, cases = compute_all()
    traj = {name: tr for name, _, tr in cases}
    tol = 1e-12
    ok = True

    def report(label, got, want):
        nonlocal ok
        r = max_rel(got, want)
        a = float(np.max(np.abs(got - want)))
        good = r <= tol
        ok = ok and good
        print("  %-20s max_rel=%.3e max_abs=%.3e  %s" % (label, r, a, "OK" if good else "FAIL"))

    print("torch %s, numpy %s" % (torch.__version__, np.__version__))
    print("hand-written numpy float64 references vs torch trajectories (tol %.0e relative):" % tol)
    report("adam", ref_adam(init, grads, 0.01, 0.9, 0.999, 1e-8), traj["adam"])
    report("adam_wd", ref_adam(init, grads, 0.01, 0.8, 0.99, 1e-6, wd=0.1), traj["adam_wd"])
    report("adam_maximize", ref_adam(init, grads, 0.01, 0.9, 0.999, 1e-8, maximize=True),
           traj["adam_maximize"])
    report("adamw", ref_adam(init, grads, 0.01, 0.9, 0.999, 1e-8, wd=0.1, decoupled=True),
           traj["adamw"])
    report("sgd", ref_sgd(init, grads, 0.05), traj["sgd"])
    report("sgd_wd", ref_sgd(init, grads, 0.05, wd=0.1), traj["sgd_wd"])
    report("sgd_maximize", ref_sgd(init, grads, 0.05, maximize=True), traj["sgd_maximize"])
    report("momentum", ref_sgd(init, grads, 0.05, momentum=0.9), traj["momentum"])
    report("momentum_dampening", ref_sgd(init, grads, 0.05, momentum=0.9, dampening=0.3),
           traj["momentum_dampening"])
    report("momentum_wd", ref_sgd(init, grads, 0.05, momentum=0.9, wd=0.01), traj["momentum_wd"])
    report("rmsprop", ref_rmsprop(init, grads, 0.01, 0.99, 1e-8), traj["rmsprop"])
    report("rmsprop_wd", ref_rmsprop(init, grads, 0.01, 0.95, 1e-6, wd=0.05), traj["rmsprop_wd"])

    # Sanity: trajectories actually move and cases differ from each other.
    for name, tr in traj.items():
        assert np.all(np.isfinite(tr)), name
        assert np.max(np.abs(tr[-1] - init)) > 1e-3, name
    assert np.max(np.abs(traj["adabelief"] - traj["adam"])) > 1e-6

    text = render(init, grads, cases)
    text2 = render(*compute_all())
    det = text == text2
    print("two generations byte-identical: %s" % ("OK" if det else "FAIL"))
    ok = ok and det

    pi, pg, pc = parse_fixture(text)
    rt = (np.array_equal(pi, init) and np.array_equal(pg, grads)
          and list(pc) == list(traj)
          and all(np.array_equal(pc[k], traj[k]) for k in traj))
    print("text round-trips to identical doubles (%d cases): %s" % (len(pc), "OK" if rt else "FAIL"))
    ok = ok and rt

    if os.path.exists(DEFAULT_FIXTURE):
        with open(DEFAULT_FIXTURE, encoding="ascii") as f:
            same = f.read() == text
        print("committed %s identical to fresh generation: %s"
              % (os.path.relpath(DEFAULT_FIXTURE), "OK" if same else "FAIL (regenerate it)"))
        ok = ok and same
    else:
        print("committed fixture not found at %s (skipped comparison)" % DEFAULT_FIXTURE)

    print("SELF-CHECK %s" % ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", metavar="PATH",
                    help="write the fixture to PATH atomically (default: stdout)")
    ap.add_argument("--check", action="store_true",
                    help="run the self-check instead of writing the fixture")
    args = ap.parse_args(argv)
    if args.check:
        return self_check()
    text = render(*compute_all())
    if args.out:
        write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
