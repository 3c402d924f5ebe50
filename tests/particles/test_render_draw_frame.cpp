#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "particles/render/draw_frame.hpp"

using namespace ldyn::particles;

namespace {

const Rgb kDisc{0, 0, 200};

DrawStyle hard_style() {
  DrawStyle s;
  s.antialias = false;
  s.arrow_time = 0;
  return s;
}

DiscView disc_at(float x, float y, float vx = 0, float vy = 0, bool flash = false) {
  return {x, y, vx, vy, kDisc[0], kDisc[1], kDisc[2], flash};
}

// A 10 x 10 torus, radius 1, on a 100 px wide canvas: 10 px per unit under an 11 px caption band.
struct TorusScene {
  SceneGeometry geometry{10, 10, 1.0};
  std::array<int, 2> size = canvas_size(geometry, 100);
  Canvas canvas{size[0], size[1], {0, 0, 0}};
};

}  // namespace

TEST(RenderDrawFrame, LayoutKeepsTheAspectRatioBelowTheCaption) {
  TorusScene s;
  EXPECT_EQ(s.size[0], 100);
  const SceneLayout layout = scene_layout(s.geometry, s.size[0], s.size[1]);
  EXPECT_DOUBLE_EQ(layout.scale, 10.0);
  EXPECT_EQ(layout.scene_y1 - layout.scene_y0, 100);
  EXPECT_EQ(s.size[1], layout.scene_y1);
  // y points up: the world's origin is the scene's bottom-left corner.
  EXPECT_DOUBLE_EQ(layout.to_pixel(0, 0)[0], 0.0);
  EXPECT_DOUBLE_EQ(layout.to_pixel(0, 0)[1], layout.scene_y1);
  // A wide canvas letterboxes the square world in the middle.
  const SceneLayout wide = scene_layout(s.geometry, 300, s.size[1]);
  EXPECT_DOUBLE_EQ(wide.scale, 10.0);
  EXPECT_EQ(wide.scene_x0, 100);
}

TEST(RenderDrawFrame, DiscLandsAtItsWorldPosition) {
  TorusScene s;
  draw_frame(s.canvas, s.geometry, {0.0, {disc_at(3, 4)}, ""}, hard_style());
  const auto [px, py] = scene_layout(s.geometry, s.size[0], s.size[1]).to_pixel(3, 4);
  const int cx = static_cast<int>(px), cy = static_cast<int>(py);
  EXPECT_EQ(s.canvas.pixel(cx, cy), kDisc);
  EXPECT_EQ(s.canvas.pixel(cx + 9, cy), kDisc);
  EXPECT_EQ(s.canvas.pixel(cx, cy - 9), kDisc);
  EXPECT_EQ(s.canvas.pixel(cx + 12, cy), DrawStyle{}.scene);
  EXPECT_EQ(s.canvas.pixel(cx, cy + 12), DrawStyle{}.scene);
}

TEST(RenderDrawFrame, DiscCrossingAPeriodicEdgeShowsOnBothSides) {
  TorusScene s;
  const SceneLayout layout = scene_layout(s.geometry, s.size[0], s.size[1]);
  // Centre 0.3 from the left edge and 0.2 from the top: parts show at the right and bottom too.
  draw_frame(s.canvas, s.geometry, {0.0, {disc_at(0.3f, 9.8f)}, ""}, hard_style());
  const int top = layout.scene_y0, bottom = layout.scene_y1 - 1;
  EXPECT_EQ(s.canvas.pixel(1, top + 2), kDisc);         // the disc itself
  EXPECT_EQ(s.canvas.pixel(98, top + 2), kDisc);        // wrapped in x
  EXPECT_EQ(s.canvas.pixel(1, bottom - 2), kDisc);      // wrapped in y
  EXPECT_EQ(s.canvas.pixel(98, bottom - 2), kDisc);     // wrapped in both
  EXPECT_EQ(s.canvas.pixel(50, top + 2), DrawStyle{}.scene);
  // Coordinates outside the box are wrapped into it first.
  Canvas again(s.size[0], s.size[1], {0, 0, 0});
  draw_frame(again, s.geometry, {0.0, {disc_at(10.3f, -0.2f)}, ""}, hard_style());
  EXPECT_EQ(again.pixels(), s.canvas.pixels());
}

TEST(RenderDrawFrame, LaneHasRoadEdgesAndWrapsOnlyAlongTheRoad) {
  const SceneGeometry lane{40, 4, 0.5, true, 0.0, 4.0};
  const auto size = canvas_size(lane, 200);
  Canvas canvas(size[0], size[1], {0, 0, 0});
  draw_frame(canvas, lane, {0.0, {disc_at(20, 3.9f), disc_at(0.1f, 2)}, ""}, hard_style());
  const SceneLayout layout = scene_layout(lane, size[0], size[1]);
  const auto above = layout.to_pixel(10, 4.1), below = layout.to_pixel(10, -0.1);
  EXPECT_EQ(canvas.pixel(static_cast<int>(above[0]), static_cast<int>(above[1])), DrawStyle{}.road_edge);
  EXPECT_EQ(canvas.pixel(static_cast<int>(below[0]), static_cast<int>(below[1])), DrawStyle{}.road_edge);
  const auto wrapped = layout.to_pixel(39.9, 2);  // the second disc's copy at the right end
  EXPECT_EQ(canvas.pixel(static_cast<int>(wrapped[0]), static_cast<int>(wrapped[1])), kDisc);
  const auto not_wrapped = layout.to_pixel(20, 0.1);  // no copy of the first disc at the bottom
  EXPECT_NE(canvas.pixel(static_cast<int>(not_wrapped[0]), static_cast<int>(not_wrapped[1])), kDisc);
}

TEST(RenderDrawFrame, ArrowShowsVelocityAndFlashShowsARedRing) {
  TorusScene s;
  DrawStyle style = hard_style();
  style.arrow_time = 1.0;
  draw_frame(s.canvas, s.geometry, {0.0, {disc_at(3, 5, 2.0f, 0.0f, true)}, ""}, style);
  const auto [px, py] = scene_layout(s.geometry, s.size[0], s.size[1]).to_pixel(3, 5);
  const int cx = static_cast<int>(px), cy = static_cast<int>(py);
  EXPECT_EQ(s.canvas.pixel(cx + 15, cy), style.arrow);   // 2 units/time x 1 time = 20 px long
  EXPECT_EQ(s.canvas.pixel(cx + 25, cy), style.scene);
  EXPECT_EQ(s.canvas.pixel(cx - 11, cy), style.flash);   // the ring just outside the disc
  EXPECT_EQ(s.canvas.pixel(cx, cy + 5), kDisc);
}

TEST(RenderDrawFrame, CaptionIsDrawnInTheBandAbove) {
  TorusScene s;
  draw_frame(s.canvas, s.geometry, {1.5, {}, ""}, hard_style());
  const SceneLayout layout = scene_layout(s.geometry, s.size[0], s.size[1]);
  int ink = 0;
  for (int y = 0; y < layout.scene_y0; ++y)
    for (int x = 0; x < s.size[0]; ++x) ink += s.canvas.pixel(x, y) == DrawStyle{}.text;
  EXPECT_GT(ink, 20);  // "t = 1.50"
}

TEST(RenderDrawFrame, ImpossibleGeometryIsRefused) {
  Canvas c(50, 50, {0, 0, 0});
  EXPECT_THROW(draw_frame(c, {0, 10, 1}, {0.0, {}, ""}), ldyn::Error);
  EXPECT_THROW(draw_frame(c, {10, 10, 1, true, 5, 5}, {0.0, {}, ""}), ldyn::Error);
}

TEST(RenderDrawFrame, HeadingColourDependsOnlyOnTheDirection) {
  EXPECT_EQ(heading_colour(0.7), heading_colour(0.7 + 2 * std::numbers::pi));
  EXPECT_EQ(heading_colour(-0.7), heading_colour(2 * std::numbers::pi - 0.7));
  const auto east = heading_colour(0.0), west = heading_colour(std::numbers::pi);
  EXPECT_NE(east, west);
  EXPECT_GT(east[2], east[0]);  // east is blue
  EXPECT_GT(west[0], west[2]);  // west is orange
  // Nearby headings get nearby colours.
  const auto a = heading_colour(1.0), b = heading_colour(1.01);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(a[c], b[c], 3);
}
