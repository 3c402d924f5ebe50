#pragma once
// Which molecule each atom belongs to, decided frame by frame from distances alone (no bond list):
// every H belongs to its nearest O in the same frame (minimum image). This is the usual
// definition for water analyses; it follows a proton that hops to another oxygen and never needs a
// topology file. A molecule's id is the atom index of its oxygen. An atom that is neither O nor H,
// and an H in a frame without any O, is a molecule by itself (its id is its own index).
#include <span>
#include <vector>

#include "molecular/io/frame.hpp"
#include "molecular/system.hpp"

namespace ldyn::molecular::analysis {

/// Writes the molecule id of every atom into `molecule` (size N) without allocating. `type` holds
/// a species index per atom; `oxygen` and `hydrogen` are the indices of O and H (-1 when absent).
void assign_molecules(const io::AtomVectors& positions, const Box& box, std::span<const int> type, int oxygen,
                      int hydrogen, std::span<int> molecule);

/// The molecule id of every atom of `frame` in `box` (symbols "O" and "H").
std::vector<int> molecule_ids(const io::Frame& frame, const Box& box);

}  // namespace ldyn::molecular::analysis
