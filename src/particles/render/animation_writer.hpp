#pragma once
// The animation of `ldyn particles render`: frames are drawn and written as PNGs into a temporary
// folder beside the target; finish() then moves that folder into place (PNG frames) or has ffmpeg
// turn it into an animated GIF or an MP4. Until finish() succeeds the target is untouched, and the
// temporaries are removed whatever happens.
#include <filesystem>

#include "particles/render/canvas.hpp"
#include "particles/render/draw_frame.hpp"
#include "particles/render/frame.hpp"
#include "particles/render/temporary_folder.hpp"

namespace ldyn::particles {

enum class AnimationFormat { gif, mp4, png_frames };

/// The format --out asks for: ".gif", ".mp4" (any case), or a path ending in '/' or without an
/// extension (a folder of PNG frames). Anything else throws InvalidOption("--out", ...).
AnimationFormat format_from_path(const std::filesystem::path& path);

class AnimationWriter {
 public:
  /// Checks everything that can be checked before the first frame, so that a long simulation does
  /// not end in a failure it could have had at the start: width_px (16..8192) and fps (1..240)
  /// throw InvalidOption("--width" / "--fps", ...); a missing ffmpeg (GIF, MP4) or a target whose
  /// folder cannot be written throws FileError.
  AnimationWriter(std::filesystem::path target, AnimationFormat format, SceneGeometry geometry,
                  int width_px, int fps, DrawStyle style = {});
  AnimationWriter(const AnimationWriter&) = delete;
  AnimationWriter& operator=(const AnimationWriter&) = delete;
  ~AnimationWriter() = default;

  /// Draws `frame` and stores it as the next PNG frame.
  void add(const Frame& frame);
  /// Writes the target (at least one frame needed). Throws FileError when ffmpeg fails, with its
  /// exit status and last message. The writer takes no frames afterwards.
  void finish();

  int frames() const { return frames_; }
  int width() const { return canvas_.width(); }
  int height() const { return canvas_.height(); }
  const std::filesystem::path& target() const { return target_; }

 private:
  void finish_png_frames();
  void finish_with_ffmpeg();

  std::filesystem::path target_;
  AnimationFormat format_;
  SceneGeometry geometry_;
  int fps_;
  DrawStyle style_;
  std::filesystem::path ffmpeg_;
  Canvas canvas_;
  TemporaryFolder frames_dir_;
  int frames_ = 0;
  bool finished_ = false;
};

}  // namespace ldyn::particles
