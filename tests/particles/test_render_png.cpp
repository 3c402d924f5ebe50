#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "particles/render/canvas.hpp"
#include "particles/render/png_writer.hpp"
#include "png_decode.hpp"

namespace fs = std::filesystem;
using ldyn::particles::Canvas;

namespace {

Canvas gradient(int w, int h) {
  Canvas c(w, h, {0, 0, 0});
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      c.set_pixel(x, y, {static_cast<std::uint8_t>(x * 7), static_cast<std::uint8_t>(y * 11),
                         static_cast<std::uint8_t>((x + y) * 3)});
  return c;
}

}  // namespace

TEST(PngWriter, RoundTripKeepsEveryPixelAndChunkCrcsHold) {
  const Canvas canvas = gradient(37, 23);  // odd sizes: no row padding assumptions
  const fs::path path = fs::temp_directory_path() / "ldyn_render_png_test" / "g.png";
  fs::remove_all(path.parent_path());
  ldyn::particles::write_png(path, canvas);
  const ldyn_test::DecodedPng png = ldyn_test::decode_png(ldyn_test::read_bytes(path));  // checks CRCs
  EXPECT_EQ(png.width, 37);
  EXPECT_EQ(png.height, 23);
  EXPECT_EQ(png.rgb, canvas.pixels());
  ASSERT_GE(png.chunk_types.size(), 3u);
  EXPECT_EQ(png.chunk_types.front(), "IHDR");
  EXPECT_EQ(png.chunk_types.back(), "IEND");
  // Only the finished file is left: no temporary beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator{}), 1);
  fs::remove_all(path.parent_path());
}

TEST(PngWriter, EveryCompressionLevelDecodesToTheSamePixels) {
  const Canvas canvas = gradient(8, 5);
  for (int level : {0, 1, 9})
    EXPECT_EQ(ldyn_test::decode_png(ldyn::particles::encode_png(canvas, level)).rgb, canvas.pixels());
}

TEST(PngWriter, CorruptedByteFailsTheCrcCheck) {
  std::vector<std::uint8_t> bytes = ldyn::particles::encode_png(gradient(4, 4));
  bytes[20] ^= 0x01;  // inside IHDR's data
  EXPECT_THROW(ldyn_test::decode_png(bytes), std::runtime_error);
}

TEST(PngWriter, UnwritablePathIsAFileError) {
  const fs::path file = fs::temp_directory_path() / "ldyn_render_png_blocker";
  ldyn::particles::write_png(file, gradient(2, 2));
  // A regular file where a folder should be: cannot be created, whoever runs the test.
  EXPECT_THROW(ldyn::particles::write_png(file / "x.png", gradient(2, 2)), ldyn::FileError);
  fs::remove(file);
}
