#!/usr/bin/env python3
"""Make the SPC/Fw benchmark box: a water frame replicated n x n x n, as a LAMMPS data file
(atom_style full, with bonds and angles) and, optionally, as extended XYZ for `ldyn water run`.

The default source is the first frame of the 64-molecule reference (data/water, CP2K xyz, cubic
cell 12.4297 A); --replicate 4 gives 64 * 4^3 = 4096 molecules in a 49.7188 A box. Molecules are
found by giving each H to its nearest O (minimum image); every O must get exactly two. Each
molecule is written whole: O wrapped into the box, its H atoms at the minimum image next to it.

Standard library only (lzma/gzip for compressed input)."""
import argparse
import gzip
import lzma
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MASS = {"O": 15.9994, "H": 1.008}
CHARGE = {"O": -0.82, "H": 0.41}  # SPC/Fw (Wu, Tepper, Voth 2006)


def open_text(path):
    if path.endswith(".xz"):
        return lzma.open(path, "rt")
    if path.endswith(".gz"):
        return gzip.open(path, "rt")
    return open(path)


def read_frame(path, index):
    """Frame `index` of an xyz file (CP2K or extended XYZ): list of (symbol, [x, y, z]) and, when
    the comment has Lattice=, the diagonal of the cell."""
    with open_text(path) as f:
        for k in range(index + 1):
            head = f.readline()
            if not head:
                sys.exit(f"make_spcfw_data: {path}: no frame {index}")
            n = int(head)
            comment = f.readline()
            lines = [f.readline() for _ in range(n)]
    cell = None
    if "Lattice=" in comment:
        values = comment.split('Lattice="')[1].split('"')[0].split()
        m = [float(v) for v in values]
        if any(abs(m[i]) > 1e-9 for i in (1, 2, 3, 5, 6, 7)):
            sys.exit(f"make_spcfw_data: {path}: the cell is not orthorhombic")
        cell = [m[0], m[4], m[8]]
    atoms = []
    for line in lines:
        p = line.split()
        atoms.append((p[0], [float(p[1]), float(p[2]), float(p[3])]))
    return atoms, cell


def minimum_image(d, box):
    return [d[a] - box[a] * round(d[a] / box[a]) for a in range(3)]


def molecules(atoms, box):
    """[(O position, H1 position, H2 position)] with H atoms next to their (wrapped) O."""
    oxygens = [i for i, (s, _) in enumerate(atoms) if s == "O"]
    hydrogens = [i for i, (s, _) in enumerate(atoms) if s == "H"]
    if len(oxygens) * 2 != len(hydrogens) or len(oxygens) + len(hydrogens) != len(atoms):
        sys.exit("make_spcfw_data: the frame is not water (O and H only, two H per O)")
    owner = {o: [] for o in oxygens}
    for h in hydrogens:
        best = min(oxygens, key=lambda o: sum(c * c for c in minimum_image(
            [atoms[h][1][a] - atoms[o][1][a] for a in range(3)], box)))
        owner[best].append(h)
    out = []
    for o in oxygens:
        if len(owner[o]) != 2:
            sys.exit(f"make_spcfw_data: oxygen {o + 1} has {len(owner[o])} nearest hydrogens, not 2")
        xo = [atoms[o][1][a] % box[a] for a in range(3)]
        hs = []
        for h in owner[o]:
            d = minimum_image([atoms[h][1][a] - atoms[o][1][a] for a in range(3)], box)
            if math.sqrt(sum(c * c for c in d)) > 1.3:
                sys.exit(f"make_spcfw_data: O-H distance {math.sqrt(sum(c * c for c in d)):.2f} A is not a bond")
            hs.append([xo[a] + d[a] for a in range(3)])
        out.append((xo, hs[0], hs[1]))
    return out


def replicate(mols, box, n):
    big = [box[a] * n for a in range(3)]
    out = []
    for i in range(n):
        for j in range(n):
            for k in range(n):
                shift = [i * box[0], j * box[1], k * box[2]]
                for m in mols:
                    out.append(tuple([p[a] + shift[a] for a in range(3)] for p in m))
    return out, big


def write_data(path, mols, box, source):
    natoms = 3 * len(mols)
    with open(path + ".part", "w") as f:
        f.write(f"SPC/Fw water, {len(mols)} molecules, from {source} (make_spcfw_data.py)\n\n")
        f.write(f"{natoms} atoms\n2 atom types\n{2 * len(mols)} bonds\n1 bond types\n")
        f.write(f"{len(mols)} angles\n1 angle types\n\n")
        for a, name in enumerate("xyz"):
            f.write(f"0 {box[a]:.10g} {name}lo {name}hi\n")
        f.write(f"\nMasses\n\n1 {MASS['O']}  # O\n2 {MASS['H']}  # H\n")
        # Columns of atom_style full: id molecule type charge x y z ix iy iz.
        f.write("\nAtoms  # full\n\n")
        for m, (o, h1, h2) in enumerate(mols):
            for k, (t, p) in enumerate(((1, o), (2, h1), (2, h2))):
                q = CHARGE["O"] if t == 1 else CHARGE["H"]
                # Wrapped into the box, with image flags that keep each molecule whole (LAMMPS
                # warns about "inconsistent image flags" for bonds that straddle the boundary
                # otherwise).
                image = [math.floor(p[a] / box[a]) for a in range(3)]
                x = [p[a] - image[a] * box[a] for a in range(3)]
                f.write(f"{3 * m + k + 1} {m + 1} {t} {q} {x[0]:.8f} {x[1]:.8f} {x[2]:.8f} "
                        f"{image[0]} {image[1]} {image[2]}\n")
        f.write("\nBonds\n\n")
        for m in range(len(mols)):
            f.write(f"{2 * m + 1} 1 {3 * m + 1} {3 * m + 2}\n{2 * m + 2} 1 {3 * m + 1} {3 * m + 3}\n")
        f.write("\nAngles\n\n")
        for m in range(len(mols)):
            f.write(f"{m + 1} 1 {3 * m + 2} {3 * m + 1} {3 * m + 3}\n")
    os.replace(path + ".part", path)


def write_extxyz(path, mols, box):
    with open(path + ".part", "w") as f:
        f.write(f"{3 * len(mols)}\n")
        f.write(f'Lattice="{box[0]!r} 0 0 0 {box[1]!r} 0 0 0 {box[2]!r}" '
                'Properties=species:S:1:pos:R:3 pbc="T T T"\n')
        for o, h1, h2 in mols:
            for s, p in (("O", o), ("H", h1), ("H", h2)):
                f.write(f"{s} {p[0]!r} {p[1]!r} {p[2]!r}\n")
    os.replace(path + ".part", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=os.path.join(REPO, "data/water/w64-300K-pos-1.xyz.xz"))
    ap.add_argument("--frame", type=int, default=0, help="0-based frame of --source")
    ap.add_argument("--cell", type=float, default=12.4297, help="cubic cell edge (A) when the file has no Lattice")
    ap.add_argument("--replicate", type=int, default=4, help="copies along each axis")
    ap.add_argument("--data", default="spcfw-4096.data", help="LAMMPS data file to write")
    ap.add_argument("--extxyz", help="also write the box as extended XYZ (for ldyn water run --start)")
    a = ap.parse_args()
    if a.replicate < 1:
        sys.exit("make_spcfw_data: --replicate must be >= 1")
    atoms, cell = read_frame(a.source, a.frame)
    box = cell or [a.cell] * 3
    mols, big = replicate(molecules(atoms, box), box, a.replicate)
    write_data(a.data, mols, big, os.path.basename(a.source))
    if a.extxyz:
        write_extxyz(a.extxyz, mols, big)
    print(f"{len(mols)} molecules ({3 * len(mols)} atoms) in a {big[0]:.4f} x {big[1]:.4f} x {big[2]:.4f} A box: "
          f"{a.data}" + (f", {a.extxyz}" if a.extxyz else ""))


if __name__ == "__main__":
    main()
