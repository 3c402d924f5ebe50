#pragma once
// What the renderer is given to draw: a snapshot of the discs at one time and the shape of the
// world they live in. These types are plain data so that the renderer does not depend on the
// simulation's code; the simulation fills them in.
#include <cstdint>
#include <string>
#include <vector>

namespace ldyn::particles {

/// One disc as it should be drawn.
struct DiscView {
  float x, y;    // centre, world units
  float vx, vy;  // velocity, world units per time unit (drawn as an arrow)
  std::uint8_t r, g, b;  // fill colour, usually heading_colour(desired heading)
  bool flash;    // the disc collided at this step: drawn with a red ring
};

/// A snapshot: the discs at `time`, and the line of text shown at the top-left.
struct Frame {
  double time;
  std::vector<DiscView> discs;
  std::string caption;  // empty: "t = <time>" is shown
};

/// The world: a box_x x box_y torus, or (lane) a road periodic in x with walls at
/// y = wall_lo and y = wall_hi. All discs have the same radius.
struct SceneGeometry {
  double box_x, box_y, radius;
  bool lane = false;
  double wall_lo = 0, wall_hi = 0;
};

}  // namespace ldyn::particles
