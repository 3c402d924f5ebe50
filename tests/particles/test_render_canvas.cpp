#include <gtest/gtest.h>

#include "particles/render/bitmap_font.hpp"
#include "particles/render/canvas.hpp"

using ldyn::particles::Canvas;
using ldyn::particles::Rgb;

namespace {
const Rgb kWhite{255, 255, 255}, kBlack{0, 0, 0}, kRed{255, 0, 0};

int count_not(const Canvas& c, Rgb colour) {
  int n = 0;
  for (int y = 0; y < c.height(); ++y)
    for (int x = 0; x < c.width(); ++x) n += c.pixel(x, y) != colour;
  return n;
}
}  // namespace

TEST(Canvas, HardDiscCoversThePixelsWhoseCentresAreInside) {
  Canvas c(20, 20, kWhite);
  c.fill_disc(10.0, 10.0, 3.0, kRed, /*antialias=*/false);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 20; ++x) {
      const double dx = x + 0.5 - 10, dy = y + 0.5 - 10;
      EXPECT_EQ(c.pixel(x, y), dx * dx + dy * dy <= 9 ? kRed : kWhite) << x << "," << y;
    }
}

TEST(Canvas, AntialiasedDiscHasFullCentreBlendedRimAndAboutItsArea) {
  Canvas c(40, 40, kBlack);
  c.fill_disc(20.0, 20.0, 8.0, kWhite);
  EXPECT_EQ(c.pixel(20, 20), kWhite);
  EXPECT_EQ(c.pixel(0, 0), kBlack);
  double ink = 0;
  bool some_partial = false;
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 40; ++x) {
      const int v = c.pixel(x, y)[0];
      ink += v / 255.0;
      some_partial = some_partial || (v > 0 && v < 255);
    }
  EXPECT_TRUE(some_partial);
  EXPECT_NEAR(ink, 3.14159265 * 64, 3.0);
}

TEST(Canvas, ShapesOffTheCanvasOrOutsideTheClipDrawNothing) {
  Canvas c(10, 10, kWhite);
  c.fill_disc(-50, 5, 3, kRed);
  c.draw_line(-10, -10, -5, -5, kRed);
  c.fill_disc(5, 5, 1e300, kRed);  // huge: clipped to the canvas, not an endless loop
  EXPECT_EQ(count_not(c, kRed), 0);
  Canvas d(10, 10, kWhite);
  d.set_clip(0, 0, 5, 10);
  d.fill_rect(0, 0, 10, 10, kRed);
  EXPECT_EQ(d.pixel(4, 4), kRed);
  EXPECT_EQ(d.pixel(5, 4), kWhite);
}

TEST(Canvas, LineRunsBetweenItsEnds) {
  Canvas c(20, 10, kWhite);
  c.draw_line(2.5, 5.5, 17.5, 5.5, kBlack, 1.0, /*antialias=*/false);
  for (int x = 2; x <= 17; ++x) EXPECT_EQ(c.pixel(x, 5), kBlack) << x;
  EXPECT_EQ(c.pixel(19, 5), kWhite);
  EXPECT_EQ(c.pixel(10, 3), kWhite);
}

TEST(Canvas, RingLeavesItsInsideAlone) {
  Canvas c(30, 30, kWhite);
  c.draw_ring(15, 15, 8, 2, kRed, /*antialias=*/false);
  EXPECT_EQ(c.pixel(15, 15), kWhite);
  EXPECT_EQ(c.pixel(15 + 8, 15), kRed);
}

TEST(Canvas, TextUsesTheFontAtItsScale) {
  Canvas c(40, 20, kWhite);
  c.draw_text(1, 1, "1", kBlack, 2);
  // '1' is "..#.." on its first row: font column 2 -> pixels 1 + 4, 1 + 5.
  EXPECT_EQ(c.pixel(5, 1), kBlack);
  EXPECT_EQ(c.pixel(6, 2), kBlack);
  EXPECT_EQ(c.pixel(1, 1), kWhite);
  EXPECT_EQ(Canvas::text_width("ab", 2), 22);
  EXPECT_EQ(Canvas::text_height(3), 21);
  for (char ch : std::string("0123456789 .:=-/%,()abcxyzABCXYZ")) EXPECT_TRUE(ldyn::particles::font_has(ch)) << ch;
  EXPECT_FALSE(ldyn::particles::font_has('~'));
}
