#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "particles/render/animation_writer.hpp"
#include "particles/render/run_program.hpp"
#include "png_decode.hpp"

namespace fs = std::filesystem;
using namespace ldyn::particles;

namespace {

const SceneGeometry kTorus{8, 6, 0.5};

// A fresh, empty folder for one test, removed afterwards.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name) : dir(fs::temp_directory_path() / ("ldyn_render_" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  int entries() const {
    return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
  }
};

// Sets PATH for the scope of one test.
struct PathOverride {
  std::optional<std::string> saved;
  explicit PathOverride(const std::string& path) {
    if (const char* old = std::getenv("PATH")) saved = old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathOverride() {
    if (saved) ::setenv("PATH", saved->c_str(), 1);
    else ::unsetenv("PATH");
  }
};

void add_frames(AnimationWriter& writer, int n) {
  for (int i = 0; i < n; ++i) {
    const float x = 1.0f + static_cast<float>(i);
    writer.add({0.1 * i, {{x, 3.0f, 1.0f, 0.0f, 40, 90, 220, i == 2}, {8.0f - x, 2.0f, -1.0f, 0.0f, 230, 150, 40, false}}, ""});
  }
}

std::string head(const fs::path& file, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  return s;
}

}  // namespace

TEST(RenderFormat, FromPath) {
  EXPECT_EQ(format_from_path("out.gif"), AnimationFormat::gif);
  EXPECT_EQ(format_from_path("a/b/Traffic.GIF"), AnimationFormat::gif);
  EXPECT_EQ(format_from_path("movie.mp4"), AnimationFormat::mp4);
  EXPECT_EQ(format_from_path("frames/"), AnimationFormat::png_frames);
  EXPECT_EQ(format_from_path("runs/frames"), AnimationFormat::png_frames);
  EXPECT_EQ(format_from_path("runs/x.gif/"), AnimationFormat::png_frames);
  EXPECT_THROW(format_from_path("movie.avi"), ldyn::InvalidOption);
  EXPECT_THROW(format_from_path(""), ldyn::InvalidOption);
  try {
    format_from_path("movie.webm");
    FAIL();
  } catch (const ldyn::InvalidOption& e) {
    EXPECT_EQ(e.option(), "--out");
  }
}

TEST(RenderAnimation, PngFramesGoIntoTheFolderWithNothingLeftBeside) {
  Scratch s("png_frames");
  const fs::path out = s.dir / "frames";
  {
    AnimationWriter writer(s.dir / "frames/", AnimationFormat::png_frames, kTorus, 64, 10);
    add_frames(writer, 3);
    EXPECT_FALSE(fs::exists(out));  // nothing in place before finish()
    writer.finish();
  }
  EXPECT_EQ(s.entries(), 1);
  for (const char* name : {"frame_00000.png", "frame_00001.png", "frame_00002.png"})
    EXPECT_TRUE(fs::is_regular_file(out / name)) << name;
  const auto png = ldyn_test::decode_png(ldyn_test::read_bytes(out / "frame_00001.png"));
  EXPECT_EQ(png.width, 64);
  EXPECT_EQ(png.height, canvas_size(kTorus, 64)[1]);

  // A second render into the same folder replaces the old frames.
  AnimationWriter again(out, AnimationFormat::png_frames, kTorus, 64, 10);
  add_frames(again, 2);
  again.finish();
  EXPECT_FALSE(fs::exists(out / "frame_00002.png"));
  EXPECT_TRUE(fs::exists(out / "frame_00001.png"));
  EXPECT_EQ(s.entries(), 1);
}

TEST(RenderAnimation, FolderWithOtherFilesIsNotOverwritten) {
  Scratch s("png_foreign");
  std::ofstream(s.dir / "notes.txt") << "mine";
  EXPECT_THROW(AnimationWriter(s.dir, AnimationFormat::png_frames, kTorus, 64, 10), ldyn::FileError);
  EXPECT_TRUE(fs::exists(s.dir / "notes.txt"));
}

TEST(RenderAnimation, AbandonedWriterLeavesNoTemporaries) {
  Scratch s("abandoned");
  {
    AnimationWriter writer(s.dir / "frames/", AnimationFormat::png_frames, kTorus, 64, 10);
    add_frames(writer, 2);
  }
  EXPECT_EQ(s.entries(), 0);
}

TEST(RenderAnimation, UnwritableTargetIsAFileError) {
  Scratch s("unwritable");
  const fs::path blocker = s.dir / "a_file";
  std::ofstream(blocker) << "x";
  // A regular file where the target's folder should be: refused whoever runs the test.
  EXPECT_THROW(AnimationWriter(blocker / "frames/", AnimationFormat::png_frames, kTorus, 64, 10),
               ldyn::FileError);
  if (!find_on_path("ffmpeg").empty()) {
    EXPECT_THROW(AnimationWriter(blocker / "out.gif", AnimationFormat::gif, kTorus, 64, 10),
                 ldyn::FileError);
  }
  // The target itself being a file is refused for a folder of frames.
  EXPECT_THROW(AnimationWriter(blocker, AnimationFormat::png_frames, kTorus, 64, 10), ldyn::FileError);
}

TEST(RenderAnimation, BadSizesAreOptionErrors) {
  Scratch s("bad_sizes");
  EXPECT_THROW(AnimationWriter(s.dir / "f/", AnimationFormat::png_frames, kTorus, 4, 10), ldyn::InvalidOption);
  EXPECT_THROW(AnimationWriter(s.dir / "f/", AnimationFormat::png_frames, kTorus, 64, 0), ldyn::InvalidOption);
  AnimationWriter empty(s.dir / "f/", AnimationFormat::png_frames, kTorus, 64, 10);
  EXPECT_THROW(empty.finish(), ldyn::FileError);  // no frames
}

TEST(RenderAnimation, MissingFfmpegIsAClearFileError) {
  Scratch s("no_ffmpeg");
  PathOverride path(s.dir.string());  // a PATH without ffmpeg
  try {
    AnimationWriter writer(s.dir / "out.gif", AnimationFormat::gif, kTorus, 64, 10);
    FAIL() << "no error without ffmpeg";
  } catch (const ldyn::FileError& e) {
    EXPECT_NE(std::string(e.what()).find("ffmpeg not found"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--out DIR/"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.entries(), 0);
}

TEST(RenderAnimation, FailingFfmpegReportsItsExitStatusAndCleansUp) {
  Scratch s("failing_ffmpeg");
  const fs::path bin = s.dir / "bin";
  fs::create_directories(bin);
  std::ofstream(bin / "ffmpeg") << "#!/bin/sh\necho 'simulated encoder failure' >&2\nexit 3\n";
  fs::permissions(bin / "ffmpeg", fs::perms::owner_all);
  PathOverride path(bin.string());
  AnimationWriter writer(s.dir / "out.mp4", AnimationFormat::mp4, kTorus, 64, 10);
  add_frames(writer, 2);
  try {
    writer.finish();
    FAIL() << "no error from a failing ffmpeg";
  } catch (const ldyn::FileError& e) {
    EXPECT_NE(std::string(e.what()).find("exit status 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("simulated encoder failure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.entries(), 1);  // only bin/: no output, no frames
}

TEST(RenderAnimation, GifAndMp4ViaFfmpeg) {
  if (find_on_path("ffmpeg").empty()) GTEST_SKIP() << "ffmpeg is not installed";
  Scratch s("ffmpeg out");  // a space in the path: arguments are passed without a shell
  const fs::path gif = s.dir / "traffic.gif", mp4 = s.dir / "traffic.mp4";
  {
    AnimationWriter writer(gif, AnimationFormat::gif, kTorus, 48, 10);
    add_frames(writer, 5);
    writer.finish();
  }
  {
    AnimationWriter writer(mp4, AnimationFormat::mp4, kTorus, 47, 10);  // odd width: made even
    EXPECT_EQ(writer.width() % 2, 0);
    EXPECT_EQ(writer.height() % 2, 0);
    add_frames(writer, 5);
    writer.finish();
  }
  EXPECT_EQ(head(gif, 6), "GIF89a");
  EXPECT_EQ(head(mp4, 8).substr(4), "ftyp");
  EXPECT_EQ(s.entries(), 2);  // the two outputs, no temporaries
}
