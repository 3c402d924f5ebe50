#pragma once
// One frame of the particle animation: the world scaled into the canvas with its aspect ratio
// kept (y up), discs coloured by the caller (normally by desired heading), discs that cross a
// periodic edge drawn on both sides, velocity arrows, the road edges of a lane as grey bands, and
// a caption line in a band above the scene.
#include <array>
#include <cstdint>

#include "particles/render/canvas.hpp"
#include "particles/render/frame.hpp"

namespace ldyn::particles {

/// How a frame looks. The defaults suit a white picture of a few thousand discs.
struct DrawStyle {
  /// Velocity arrows show the displacement over this much time (length = speed x arrow_time);
  /// 0 hides them.
  double arrow_time = 1.0;
  bool antialias = true;
  Rgb margin{225, 225, 225};      // the caption band and any letterbox around the scene
  Rgb scene{255, 255, 255};       // the world's floor
  Rgb road_edge{150, 150, 150};   // the bands beyond a lane's walls
  Rgb arrow{40, 40, 40};
  Rgb flash{230, 0, 0};           // the ring of a disc that collided at this step
  Rgb text{20, 20, 20};
};

/// Where the world lands on a canvas: world (x, y) -> pixel
/// (origin_x + (x - view_x0) * scale, origin_y + (view_y1 - y) * scale).
struct SceneLayout {
  double scale;                     // pixels per world unit
  double origin_x, origin_y;        // pixel of the view's top-left corner (view_x0, view_y1)
  double view_x0, view_y0, view_x1, view_y1;  // the world rectangle shown
  int scene_x0, scene_y0, scene_x1, scene_y1; // its pixels (drawing is clipped to them)
  int text_scale;                   // size of a caption font pixel, in canvas pixels
  int caption_x, caption_y;         // top-left of the caption text

  std::array<double, 2> to_pixel(double x, double y) const {
    return {origin_x + (x - view_x0) * scale, origin_y + (view_y1 - y) * scale};
  }
};

/// Throws ldyn::Error when `geometry` cannot be drawn (non-positive sizes, a lane whose walls are
/// not wall_lo < wall_hi).
void check_geometry(const SceneGeometry& geometry);

/// The layout of `geometry` on a canvas_width x canvas_height canvas: a caption band on top, the
/// world below it as large as fits, centred.
SceneLayout scene_layout(const SceneGeometry& geometry, int canvas_width, int canvas_height);

/// The canvas size that shows `geometry` width_px wide with nothing to spare: {width, height}.
std::array<int, 2> canvas_size(const SceneGeometry& geometry, int width_px);

/// Draws `frame` over the whole of `canvas`.
void draw_frame(Canvas& canvas, const SceneGeometry& geometry, const Frame& frame,
                const DrawStyle& style = {});

/// A colour for a heading: hue from the angle (radians, as from atan2) of a unit vector, so that
/// discs with the same desired direction share a colour and opposite ones are complementary.
std::array<std::uint8_t, 3> heading_colour(double angle);

}  // namespace ldyn::particles
