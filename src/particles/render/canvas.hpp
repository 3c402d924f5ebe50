#pragma once
// An RGB8 raster to draw the particle pictures on, before they are written as PNG. Shapes take
// pixel coordinates as doubles: pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is at
// (i + 0.5, j + 0.5). Drawing outside the clip rectangle (the whole canvas unless set) is ignored,
// which lets a caller draw a disc half off the picture without checking.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ldyn::particles {

using Rgb = std::array<std::uint8_t, 3>;

class Canvas {
 public:
  /// A width x height canvas filled with `background`; both sizes must be >= 1.
  Canvas(int width, int height, Rgb background);

  int width() const { return width_; }
  int height() const { return height_; }
  /// Row-major, top row first, three bytes (R, G, B) per pixel.
  const std::vector<std::uint8_t>& pixels() const { return pixels_; }
  Rgb pixel(int x, int y) const;

  /// Later drawing only touches pixels with x0 <= x < x1 and y0 <= y < y1 (clamped to the canvas).
  void set_clip(int x0, int y0, int x1, int y1);
  void reset_clip();

  void set_pixel(int x, int y, Rgb colour);
  /// Mixes `colour` into the pixel with weight `alpha` in [0, 1] (the coverage of a shape's edge).
  void blend_pixel(int x, int y, Rgb colour, double alpha);

  void fill(Rgb colour);
  /// Pixels with x0 <= x < x1, y0 <= y < y1.
  void fill_rect(int x0, int y0, int x1, int y1, Rgb colour);
  /// Pixels whose centre lies within `radius` of (cx, cy); with `antialias` the edge pixels are
  /// blended by their approximate coverage instead.
  void fill_disc(double cx, double cy, double radius, Rgb colour, bool antialias = true);
  /// A circle of `thickness` pixels centred on the circle of `radius`.
  void draw_ring(double cx, double cy, double radius, double thickness, Rgb colour,
                 bool antialias = true);
  /// A segment `thickness` pixels wide with round ends.
  void draw_line(double x0, double y0, double x1, double y1, Rgb colour, double thickness = 1.0,
                 bool antialias = true);
  /// Text in the built-in 5x7 font, its top-left corner at (x, y), each font pixel drawn as a
  /// scale x scale block. Characters the font lacks are drawn as '?'.
  void draw_text(int x, int y, std::string_view text, Rgb colour, int scale = 1);
  /// Pixel width and height of `text` drawn at `scale`.
  static int text_width(std::string_view text, int scale = 1);
  static int text_height(int scale = 1);

 private:
  // Blends `colour` into each pixel of the box [x0, x1) x [y0, y1) (clipped) by coverage(cx, cy),
  // the fraction in [0, 1] of the shape covering the pixel with centre (cx, cy).
  template <class Coverage>
  void paint(double x0, double y0, double x1, double y1, Rgb colour, Coverage coverage);

  int width_, height_;
  int clip_x0_ = 0, clip_y0_ = 0, clip_x1_, clip_y1_;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace ldyn::particles
