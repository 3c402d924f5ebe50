#pragma once
// What an agent senses (docs/particles.md, "Invariants"). The sensors belong to the policy: a
// trained policy file records the ones it was trained with.
//
// Pairwise Galilean invariants of a neighbour j relative to agent i, from r = x_j - x_i and
// v = v_j - v_i (unchanged by translations and boosts; the scalars also by rotations):
//   distance |r|, closing speed -r.v/|r|, time to closest approach tau = clamp(-r.v/|v|^2, 0, T),
//   miss gap m = |r + v tau| - contact distance (2R for two discs, R for a disc and a road edge).
// Threat s = max(clamp(1 - g/margin, 0, 1), (1 - tau/T) clamp(1 - m/margin, 0, 1)), g = |r| - contact
// the gap now: close now, or close at the closest approach soon. 1 for a contact, 0 for anything
// that stays more than `margin` away over the horizon T. The most threatening neighbour (largest s,
// ties to the lower index) is one permutation-invariant aggregate, the threat-weighted sum over all
// neighbours the other (the default; see Aggregate).
//
// The four invariants a policy gets are a neighbour's relative position and velocity in the
// agent's road frame (e_par = desired heading d_i, e_perp = d_i turned left by 90 degrees),
// weighted by the threat:  s r.e_par/|r|,  s r.e_perp/|r|,  s v.e_par/c,  s v.e_perp/c
// (summed over the neighbours, or of the most threatening one).
// For a pair of discs in 2D given the agent's heading they are a complete set: 9 numbers
// (x_i, v_i, x_j, v_j, d_i) less the 5 of the proper Galilean group (2 translations, 2 boosts,
// 1 rotation) leave 4.
#include <cstddef>
#include <string>
#include <string_view>

namespace ldyn::particles {

/// How the neighbours' invariants are combined into the four inputs (permutation invariant):
/// max: those of the most threatening neighbour; sum: the threat-weighted sum over all neighbours
/// (smooth where max switches from one neighbour to another, and it sees several threats at once).
enum class Aggregate { max, sum };
Aggregate parse_aggregate(std::string_view name);  ///< InvalidOption("--aggregate")
std::string to_string(Aggregate a);

struct Sensing {
  double sensing_radius = 6;  ///< neighbours farther than this are not seen
  double horizon = 5;         ///< T: look-ahead time of the threat
  double margin = 2;          ///< predicted gaps below this are threatening (length)
  long neighbours = 8;        ///< K: neighbours the raw policy sees
  Aggregate aggregate = Aggregate::sum;
};

/// Throws InvalidOption for impossible sensors (radius <= 0, horizon <= 0, K outside [1, 32]).
void validate(const Sensing& s);

struct PairInvariants {
  double distance = 0;
  double closing_speed = 0;       ///< > 0 when approaching
  double time_to_closest = 0;     ///< tau, in [0, T]
  double miss_gap = 0;            ///< gap at closest approach within the horizon
  double threat = 0;              ///< s in [0, 1]
};

/// The scalar invariants of a neighbour at relative position (rx, ry) moving at relative velocity
/// (vx, vy); `contact` is the distance at which the two touch.
PairInvariants pair_invariants(double rx, double ry, double vx, double vy, double contact, const Sensing& s);

}  // namespace ldyn::particles
