"""ldyn's seeded random streams in Python, so that a peer can train on exactly ldyn's data split and
minibatch order: make_stream(seed, name) (src/core/random.hpp: std::mt19937_64 seeded through
std::seed_seq with the seed and the 64-bit FNV-1a hash of the name) and random_permutation
(src/nn/data/shuffle.cpp: Fisher-Yates with rejection sampling). Pure Python; tests/ and
bench/nn/run_nn_bench.py check it against ldyn (the printed split of `ldyn train`)."""

M32, M64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def stable_hash(name):
    h = 1469598103934665603
    for c in name.encode():
        h ^= c
        h = (h * 1099511628211) & M64
    return h


def seed_seq_generate(v, n):
    """std::seed_seq(v).generate() of n 32-bit words ([rand.util.seedseq])."""
    b = [0x8B8B8B8B] * n
    s = len(v)
    t = 11 if n >= 623 else 7 if n >= 68 else 5 if n >= 39 else 3 if n >= 7 else (n - 1) // 2
    p = (n - t) // 2
    q = p + t
    m = max(s + 1, n)
    T = lambda x: x ^ (x >> 27)  # noqa: E731
    for k in range(m):
        r1 = (1664525 * T(b[k % n] ^ b[(k + p) % n] ^ b[(k - 1) % n])) & M32
        r2 = (r1 + (s if k == 0 else (k % n + v[k - 1]) if k <= s else k % n)) & M32
        b[(k + p) % n] = (b[(k + p) % n] + r1) & M32
        b[(k + q) % n] = (b[(k + q) % n] + r2) & M32
        b[k % n] = r2
    for k in range(m, m + n):
        r3 = (1566083941 * T((b[k % n] + b[(k + p) % n] + b[(k - 1) % n]) & M32)) & M32
        r4 = (r3 - k % n) & M32
        b[(k + p) % n] ^= r3
        b[(k + q) % n] ^= r4
        b[k % n] = r4
    return b


class MT19937_64:
    N, M, MATRIX_A, UPPER, LOWER = 312, 156, 0xB5026F5AA96619E9, 0xFFFFFFFF80000000, 0x7FFFFFFF

    def __init__(self, seq):
        w = seed_seq_generate(seq, 2 * self.N)
        self.mt = [w[2 * i] | (w[2 * i + 1] << 32) for i in range(self.N)]
        self.i = self.N

    def _twist(self):
        mt, N, M = self.mt, self.N, self.M
        for k in range(N):
            x = (mt[k] & self.UPPER) | (mt[(k + 1) % N] & self.LOWER)
            mt[k] = mt[(k + M) % N] ^ (x >> 1) ^ (self.MATRIX_A if x & 1 else 0)
        self.i = 0

    def __call__(self):
        if self.i >= self.N:
            self._twist()
        y = self.mt[self.i]
        self.i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & M64


def make_stream(seed, name):
    h = stable_hash(name)
    return MT19937_64([seed & M32, (seed >> 32) & M32, h & M32, h >> 32])


def uniform_below(rng, n):
    threshold = ((1 << 64) - n) % n
    while True:
        x = rng()
        if x >= threshold:
            return x % n


def random_permutation(n, rng):
    v = list(range(n))
    for i in range(n, 1, -1):
        j = uniform_below(rng, i)
        v[i - 1], v[j] = v[j], v[i - 1]
    return v


def fashion_split(seed, samples=60000, validation=0.1):
    """ldyn's (validation, train) index lists of the 60 000 Fashion-MNIST training images
    (load_data.cpp: one permutation of stream "data-split", the first round(0.1 n) for validation)."""
    perm = random_permutation(samples, make_stream(seed, "data-split"))
    n_val = int(validation * samples + 0.5)
    return perm[:n_val], perm[n_val:]


def minibatch_order(seed, epoch, n):
    """The sample order of epoch `epoch` (1-based) of ldyn's Trainer: stream "minibatch-epoch-k"."""
    return random_permutation(n, make_stream(seed, f"minibatch-epoch-{epoch}"))
