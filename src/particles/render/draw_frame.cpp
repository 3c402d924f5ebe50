#include "particles/render/draw_frame.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace ldyn::particles {
namespace {

// The caption font grows with the picture so that it stays readable on a large video.
int text_scale_for(int canvas_width) { return std::max(1, canvas_width / 400); }
int caption_band_height(int text_scale) { return Canvas::text_height(text_scale) + 4 * text_scale; }

// A lane shows a strip of road edge beyond each wall, wide enough to be seen but a small part of
// the picture.
double road_edge_width(const SceneGeometry& g) {
  return std::max(2 * g.radius, 0.04 * (g.wall_hi - g.wall_lo));
}

struct View {
  double x0, y0, x1, y1;
};

View view_of(const SceneGeometry& g) {
  if (!g.lane) return {0, 0, g.box_x, g.box_y};
  const double edge = road_edge_width(g);
  return {0, g.wall_lo - edge, g.box_x, g.wall_hi + edge};
}

double wrap(double v, double period) {
  const double w = std::fmod(v, period);
  return w < 0 ? w + period : w;
}

Rgb hsv(double hue, double saturation, double value) {
  const double h = wrap(hue, 1.0) * 6;
  const int sector = std::min(5, static_cast<int>(h));
  const double f = h - sector;
  const double p = value * (1 - saturation), q = value * (1 - saturation * f),
               t = value * (1 - saturation * (1 - f));
  double r = 0, g = 0, b = 0;
  switch (sector) {
    case 0: r = value, g = t, b = p; break;
    case 1: r = q, g = value, b = p; break;
    case 2: r = p, g = value, b = t; break;
    case 3: r = p, g = q, b = value; break;
    case 4: r = t, g = p, b = value; break;
    default: r = value, g = p, b = q; break;
  }
  auto byte = [](double c) { return static_cast<std::uint8_t>(std::lround(std::clamp(c, 0.0, 1.0) * 255)); };
  return {byte(r), byte(g), byte(b)};
}

}  // namespace

void check_geometry(const SceneGeometry& g) {
  if (!(g.box_x > 0) || !std::isfinite(g.box_x))
    throw Error("scene geometry: box_x must be > 0 (got " + std::to_string(g.box_x) + ")");
  if (!g.lane && (!(g.box_y > 0) || !std::isfinite(g.box_y)))
    throw Error("scene geometry: box_y must be > 0 (got " + std::to_string(g.box_y) + ")");
  if (!(g.radius >= 0) || !std::isfinite(g.radius))
    throw Error("scene geometry: radius must be >= 0 (got " + std::to_string(g.radius) + ")");
  if (g.lane && !(g.wall_lo < g.wall_hi && std::isfinite(g.wall_lo) && std::isfinite(g.wall_hi)))
    throw Error("scene geometry: a lane needs wall_lo < wall_hi (got " + std::to_string(g.wall_lo) +
                ", " + std::to_string(g.wall_hi) + ")");
}

SceneLayout scene_layout(const SceneGeometry& geometry, int canvas_width, int canvas_height) {
  check_geometry(geometry);
  const View v = view_of(geometry);
  SceneLayout layout{};
  layout.text_scale = text_scale_for(canvas_width);
  const int band = std::min(caption_band_height(layout.text_scale), canvas_height - 1);
  layout.caption_x = 2 * layout.text_scale;
  layout.caption_y = 2 * layout.text_scale;
  const double area_w = canvas_width, area_h = std::max(1, canvas_height - band);
  const double view_w = v.x1 - v.x0, view_h = v.y1 - v.y0;
  layout.scale = std::min(area_w / view_w, area_h / view_h);
  layout.view_x0 = v.x0;
  layout.view_y0 = v.y0;
  layout.view_x1 = v.x1;
  layout.view_y1 = v.y1;
  layout.origin_x = (area_w - view_w * layout.scale) / 2;
  layout.origin_y = band + (area_h - view_h * layout.scale) / 2;
  layout.scene_x0 = static_cast<int>(std::lround(layout.origin_x));
  layout.scene_y0 = static_cast<int>(std::lround(layout.origin_y));
  layout.scene_x1 = static_cast<int>(std::lround(layout.origin_x + view_w * layout.scale));
  layout.scene_y1 = static_cast<int>(std::lround(layout.origin_y + view_h * layout.scale));
  return layout;
}

std::array<int, 2> canvas_size(const SceneGeometry& geometry, int width_px) {
  check_geometry(geometry);
  const View v = view_of(geometry);
  const int band = caption_band_height(text_scale_for(width_px));
  const double scene_h = width_px * (v.y1 - v.y0) / (v.x1 - v.x0);
  return {width_px, band + std::max(1, static_cast<int>(std::lround(scene_h)))};
}

void draw_frame(Canvas& canvas, const SceneGeometry& geometry, const Frame& frame,
                const DrawStyle& style) {
  const SceneLayout layout = scene_layout(geometry, canvas.width(), canvas.height());
  canvas.reset_clip();
  canvas.fill(style.margin);
  canvas.fill_rect(layout.scene_x0, layout.scene_y0, layout.scene_x1, layout.scene_y1, style.scene);
  canvas.set_clip(layout.scene_x0, layout.scene_y0, layout.scene_x1, layout.scene_y1);

  if (geometry.lane) {
    const int wall_hi_px = static_cast<int>(std::lround(layout.to_pixel(0, geometry.wall_hi)[1]));
    const int wall_lo_px = static_cast<int>(std::lround(layout.to_pixel(0, geometry.wall_lo)[1]));
    canvas.fill_rect(layout.scene_x0, layout.scene_y0, layout.scene_x1, wall_hi_px, style.road_edge);
    canvas.fill_rect(layout.scene_x0, wall_lo_px, layout.scene_x1, layout.scene_y1, style.road_edge);
  }

  const double s = layout.scale;
  const double radius_px = geometry.radius * s;
  const double ring_px = std::clamp(0.3 * radius_px, 1.0, 4.0);
  const double arrow_px = std::clamp(radius_px / 4, 1.0, 3.0);
  const double box_y = geometry.lane ? 0.0 : geometry.box_y;

  // Calls draw(x, y) for each periodic image of a disc at (x, y) that may show in the view: the
  // disc itself and, where it or its arrow reaches over a periodic edge, its copy on the far side.
  auto for_each_image = [&](const DiscView& d, auto&& draw) {
    if (!std::isfinite(d.x) || !std::isfinite(d.y)) return;
    const double x = wrap(d.x, geometry.box_x);
    const double y = geometry.lane ? static_cast<double>(d.y) : wrap(d.y, box_y);
    const double reach_x = geometry.radius + std::abs(d.vx * style.arrow_time);
    const double reach_y = geometry.radius + std::abs(d.vy * style.arrow_time);
    const int ky_max = geometry.lane ? 0 : 1;
    for (int kx = -1; kx <= 1; ++kx)
      for (int ky = -ky_max; ky <= ky_max; ++ky) {
        const double ix = x + kx * geometry.box_x, iy = y + ky * box_y;
        if (ix + reach_x < layout.view_x0 || ix - reach_x > layout.view_x1) continue;
        if (iy + reach_y < layout.view_y0 || iy - reach_y > layout.view_y1) continue;
        draw(ix, iy);
      }
  };

  for (const DiscView& d : frame.discs)
    for_each_image(d, [&](double x, double y) {
      const auto [px, py] = layout.to_pixel(x, y);
      canvas.fill_disc(px, py, radius_px, {d.r, d.g, d.b}, style.antialias);
      if (d.flash)
        canvas.draw_ring(px, py, radius_px + ring_px / 2 - 0.5, ring_px, style.flash, style.antialias);
    });
  // Arrows go on top of all discs, or a neighbour drawn later would hide them.
  if (style.arrow_time > 0)
    for (const DiscView& d : frame.discs)
      for_each_image(d, [&](double x, double y) {
        const auto [px, py] = layout.to_pixel(x, y);
        const double ex = px + d.vx * style.arrow_time * s, ey = py - d.vy * style.arrow_time * s;
        canvas.draw_line(px, py, ex, ey, style.arrow, arrow_px, style.antialias);
      });

  canvas.reset_clip();
  std::string caption = frame.caption;
  if (caption.empty()) {
    char text[64];
    std::snprintf(text, sizeof text, "t = %.2f", frame.time);
    caption = text;
  }
  canvas.draw_text(layout.caption_x, layout.caption_y, caption, style.text, layout.text_scale);
}

std::array<std::uint8_t, 3> heading_colour(double angle) {
  if (!std::isfinite(angle)) return {128, 128, 128};
  // The hue is turned so that east (+x) is blue and west orange, the two directions of a lane, and
  // red, the colour of a collision, falls on a diagonal.
  const double hue = 0.6 + angle / (2 * std::numbers::pi);
  return hsv(hue, 0.75, 0.9);
}

}  // namespace ldyn::particles
