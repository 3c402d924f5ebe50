#include "particles/render/canvas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "particles/render/bitmap_font.hpp"

namespace ldyn::particles {

Canvas::Canvas(int width, int height, Rgb background)
    : width_(width), height_(height), clip_x1_(width), clip_y1_(height) {
  if (width < 1 || height < 1)
    throw std::invalid_argument("Canvas: size must be >= 1x1 (got " + std::to_string(width) + "x" +
                                std::to_string(height) + ")");
  pixels_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  fill(background);
}

Rgb Canvas::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_)
    throw std::out_of_range("Canvas::pixel: (" + std::to_string(x) + ", " + std::to_string(y) +
                            ") is outside the canvas");
  const std::size_t i = (static_cast<std::size_t>(y) * width_ + x) * 3;
  return {pixels_[i], pixels_[i + 1], pixels_[i + 2]};
}

void Canvas::set_clip(int x0, int y0, int x1, int y1) {
  clip_x0_ = std::clamp(x0, 0, width_);
  clip_y0_ = std::clamp(y0, 0, height_);
  clip_x1_ = std::clamp(x1, clip_x0_, width_);
  clip_y1_ = std::clamp(y1, clip_y0_, height_);
}

void Canvas::reset_clip() { set_clip(0, 0, width_, height_); }

void Canvas::set_pixel(int x, int y, Rgb colour) {
  if (x < clip_x0_ || y < clip_y0_ || x >= clip_x1_ || y >= clip_y1_) return;
  const std::size_t i = (static_cast<std::size_t>(y) * width_ + x) * 3;
  pixels_[i] = colour[0];
  pixels_[i + 1] = colour[1];
  pixels_[i + 2] = colour[2];
}

void Canvas::blend_pixel(int x, int y, Rgb colour, double alpha) {
  if (alpha >= 1.0) return set_pixel(x, y, colour);
  if (!(alpha > 0.0)) return;
  if (x < clip_x0_ || y < clip_y0_ || x >= clip_x1_ || y >= clip_y1_) return;
  const std::size_t i = (static_cast<std::size_t>(y) * width_ + x) * 3;
  for (int c = 0; c < 3; ++c) {
    const double mixed = pixels_[i + c] + alpha * (colour[c] - pixels_[i + c]);
    pixels_[i + c] = static_cast<std::uint8_t>(std::lround(mixed));
  }
}

void Canvas::fill(Rgb colour) {
  for (std::size_t i = 0; i < pixels_.size(); i += 3) {
    pixels_[i] = colour[0];
    pixels_[i + 1] = colour[1];
    pixels_[i + 2] = colour[2];
  }
}

void Canvas::fill_rect(int x0, int y0, int x1, int y1, Rgb colour) {
  x0 = std::max(x0, clip_x0_);
  y0 = std::max(y0, clip_y0_);
  x1 = std::min(x1, clip_x1_);
  y1 = std::min(y1, clip_y1_);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) set_pixel(x, y, colour);
}

template <class Coverage>
void Canvas::paint(double x0, double y0, double x1, double y1, Rgb colour, Coverage coverage) {
  // Non-finite coordinates (a diverged simulation) draw nothing rather than looping for ever.
  if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
  const int ix0 = std::max(clip_x0_, static_cast<int>(std::floor(std::max(x0, -1.0))));
  const int iy0 = std::max(clip_y0_, static_cast<int>(std::floor(std::max(y0, -1.0))));
  const int ix1 = std::min(clip_x1_, static_cast<int>(std::ceil(std::min(x1, width_ + 1.0))));
  const int iy1 = std::min(clip_y1_, static_cast<int>(std::ceil(std::min(y1, height_ + 1.0))));
  for (int y = iy0; y < iy1; ++y)
    for (int x = ix0; x < ix1; ++x) blend_pixel(x, y, colour, coverage(x + 0.5, y + 0.5));
}

void Canvas::fill_disc(double cx, double cy, double radius, Rgb colour, bool antialias) {
  if (!(radius > 0.0)) return;
  const double reach = radius + 0.5;
  if (!antialias) {
    const double r2 = radius * radius;
    paint(cx - reach, cy - reach, cx + reach, cy + reach, colour, [&](double px, double py) {
      const double dx = px - cx, dy = py - cy;
      return dx * dx + dy * dy <= r2 ? 1.0 : 0.0;
    });
    return;
  }
  // The square root is only needed on the one-pixel rim; inside and outside are decided on d^2.
  const double inner = std::max(0.0, radius - 0.5);
  const double inner2 = inner * inner, outer2 = reach * reach;
  paint(cx - reach, cy - reach, cx + reach, cy + reach, colour, [&](double px, double py) {
    const double dx = px - cx, dy = py - cy;
    const double d2 = dx * dx + dy * dy;
    if (d2 <= inner2) return 1.0;
    if (d2 >= outer2) return 0.0;
    return std::min(1.0, reach - std::sqrt(d2));
  });
}

void Canvas::draw_ring(double cx, double cy, double radius, double thickness, Rgb colour,
                       bool antialias) {
  if (!(thickness > 0.0) || !(radius >= 0.0)) return;
  const double half = thickness / 2;
  const double reach = radius + half + 0.5;
  paint(cx - reach, cy - reach, cx + reach, cy + reach, colour, [&](double px, double py) {
    const double off = std::abs(std::hypot(px - cx, py - cy) - radius);
    if (!antialias) return off <= std::max(half, 0.5) ? 1.0 : 0.0;
    return std::clamp(half + 0.5 - off, 0.0, 1.0);
  });
}

void Canvas::draw_line(double x0, double y0, double x1, double y1, Rgb colour, double thickness,
                       bool antialias) {
  if (!(thickness > 0.0)) return;
  const double half = thickness / 2, reach = half + 0.5;
  const double ux = x1 - x0, uy = y1 - y0, length2 = ux * ux + uy * uy;
  paint(std::min(x0, x1) - reach, std::min(y0, y1) - reach, std::max(x0, x1) + reach,
        std::max(y0, y1) + reach, colour, [&](double px, double py) {
          // Distance from the pixel centre to the nearest point of the segment.
          const double t =
              length2 > 0 ? std::clamp(((px - x0) * ux + (py - y0) * uy) / length2, 0.0, 1.0) : 0.0;
          const double d = std::hypot(px - (x0 + t * ux), py - (y0 + t * uy));
          if (!antialias) return d <= std::max(half, 0.5) ? 1.0 : 0.0;
          return std::clamp(reach - d, 0.0, 1.0);
        });
}

void Canvas::draw_text(int x, int y, std::string_view text, Rgb colour, int scale) {
  scale = std::max(scale, 1);
  int pen = x;
  for (const char ch : text) {
    const Glyph& glyph = glyph_for(ch);
    for (int row = 0; row < kGlyphHeight; ++row)
      for (int col = 0; col < kGlyphWidth; ++col)
        if (glyph[row] & (1u << (kGlyphWidth - 1 - col)))
          fill_rect(pen + col * scale, y + row * scale, pen + (col + 1) * scale,
                    y + (row + 1) * scale, colour);
    pen += kGlyphAdvance * scale;
  }
}

int Canvas::text_width(std::string_view text, int scale) {
  if (text.empty()) return 0;
  // The last glyph needs no spacing after it.
  return (static_cast<int>(text.size()) * kGlyphAdvance - (kGlyphAdvance - kGlyphWidth)) *
         std::max(scale, 1);
}

int Canvas::text_height(int scale) { return kGlyphHeight * std::max(scale, 1); }

}  // namespace ldyn::particles
