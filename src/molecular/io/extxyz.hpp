#pragma once
// Extended XYZ in ASE's convention (ase.io.extxyz):
//
//   3
//   Lattice="12.4 0 0 0 12.4 0 0 0 12.4" Properties=species:S:1:pos:R:3:vel:R:3:forces:R:3 energy=-1.5 step=10 time=5 pbc="T T T"
//   O 1.50 1.41 0.43 ...
//
// Units are ldyn's: Å, Å/fs, eV/Å, eV, fs. Reading: key=value pairs with "quoted" values; keys are
// case-insensitive; `Properties` defaults to species:S:1:pos:R:3; columns other than species,
// pos, vel (or velocities) and forces (or force) are skipped; `pbc` defaults to "T T T" when a
// Lattice is given and "F F F" otherwise; a periodic frame without a Lattice is an error.
// Writing: numbers in the shortest form that reads back to the same double (std::to_chars), so a
// write→read round trip is bit-exact; the file is written atomically.
#include <filesystem>
#include <iosfwd>
#include <span>
#include <vector>

#include "molecular/io/frame.hpp"

namespace ldyn::molecular::io {

/// Reads the frames in `range` of a plain, .xz or .gz extended XYZ file.
std::vector<Frame> read_extxyz(const std::filesystem::path& path, const FrameRange& range = {});

/// Writes `frames` to `path` atomically. Throws FileError naming `path` (and the frame) for a frame
/// that cannot be written faithfully: inconsistent sizes, non-finite numbers, blank or empty symbols.
void write_extxyz(const std::filesystem::path& path, std::span<const Frame> frames);

/// Writes one frame to a stream (no checks beyond those of write_extxyz).
void write_extxyz_frame(std::ostream& out, const Frame& frame);

}  // namespace ldyn::molecular::io
