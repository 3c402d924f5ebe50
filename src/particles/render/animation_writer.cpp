#include "particles/render/animation_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/error.hpp"
#include "particles/render/png_writer.hpp"
#include "particles/render/run_program.hpp"

namespace ldyn::particles {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxFrames = 99999;  // frame_%05d.png
const char* const kNoFfmpeg =
    "ffmpeg not found: install Debian's ffmpeg, or write PNG frames with --out DIR/";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "out/" names the folder "out".
fs::path without_trailing_slash(const fs::path& p) { return p.has_filename() ? p : p.parent_path(); }

fs::path parent_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

// A name beside `target` that no other target or process uses; hidden, so that a reader of the
// folder does not take it for the output.
fs::path sibling(const fs::path& target, const std::string& what) {
  return parent_of(target) / ("." + target.filename().string() + "." + what + std::to_string(::getpid()));
}

std::string frame_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "frame_%05d.png", index);
  return name;
}

bool is_frame_name(const std::string& name) {
  if (name.size() != 15 || name.rfind("frame_", 0) != 0 || name.substr(11) != ".png") return false;
  return std::all_of(name.begin() + 6, name.begin() + 11, [](unsigned char c) { return std::isdigit(c); });
}

// ffmpeg's image sequence input reads '%' as the start of the frame number pattern.
std::string escape_percent(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '%') out += '%';
    out += c;
  }
  return out;
}

// The end of ffmpeg's messages on one line, for the error.
std::string log_tail(const fs::path& log) {
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  constexpr std::size_t kKeep = 400;
  return s.size() > kKeep ? "..." + s.substr(s.size() - kKeep) : s;
}

// The blank canvas frames are drawn on, after checking the size asked for.
Canvas blank_frame(const SceneGeometry& geometry, int width_px, AnimationFormat format, Rgb colour) {
  if (width_px < 16 || width_px > 8192)
    throw InvalidOption("--width", "must be 16 to 8192 pixels (got " + std::to_string(width_px) + ")");
  std::array<int, 2> size = canvas_size(geometry, width_px);
  // H.264 with 4:2:0 chroma needs even dimensions.
  if (format == AnimationFormat::mp4)
    for (int& s : size) s += s % 2;
  return Canvas(size[0], size[1], colour);
}

}  // namespace

AnimationFormat format_from_path(const fs::path& path) {
  const std::string text = path.string();
  if (text.empty()) throw InvalidOption("--out", "empty path");
  if (text.back() == '/' || !path.has_extension()) return AnimationFormat::png_frames;
  const std::string ext = lower(path.extension().string());
  if (ext == ".gif") return AnimationFormat::gif;
  if (ext == ".mp4") return AnimationFormat::mp4;
  throw InvalidOption("--out", "'" + text + "': unknown animation format '" + path.extension().string() +
                                   "' (use .gif, .mp4, or a folder DIR/ for PNG frames)");
}

AnimationWriter::AnimationWriter(fs::path target, AnimationFormat format, SceneGeometry geometry,
                                 int width_px, int fps, DrawStyle style)
    : target_(without_trailing_slash(target)),
      format_(format),
      geometry_(geometry),
      fps_(fps),
      style_(style),
      canvas_(blank_frame(geometry, width_px, format, style.margin)) {
  if (fps < 1 || fps > 240)
    throw InvalidOption("--fps", "must be 1 to 240 frames per second (got " + std::to_string(fps) + ")");
  const std::string where = target_.string();
  if (target_.empty()) throw InvalidOption("--out", "empty path");
  if (format_ != AnimationFormat::png_frames) {
    ffmpeg_ = find_on_path("ffmpeg");
    if (ffmpeg_.empty()) throw FileError(where, kNoFfmpeg);
  }

  std::error_code ec;
  const fs::path parent = parent_of(target_);
  fs::create_directories(parent, ec);
  if (!fs::is_directory(parent, ec))
    throw FileError(where, "cannot create the folder " + parent.string() + " (is a file in the way?)");
  if (format_ == AnimationFormat::png_frames) {
    if (fs::exists(target_, ec) && !fs::is_directory(target_, ec))
      throw FileError(where, "exists and is not a folder (PNG frames need a folder)");
    // An old folder of frames is replaced at finish(); a folder holding anything else is not ours.
    if (fs::is_directory(target_, ec))
      for (const fs::directory_entry& entry : fs::directory_iterator(target_, ec))
        if (!is_frame_name(entry.path().filename().string()))
          throw FileError(where, "holds files other than frame_NNNNN.png (" +
                                     entry.path().filename().string() + "): choose a new folder");
  } else if (fs::is_directory(target_, ec)) {
    throw FileError(where, "is a folder (for PNG frames write --out " + where + "/)");
  }

  const fs::path frames = sibling(target_, "frames.tmp");
  fs::remove_all(frames, ec);
  if (!fs::create_directory(frames, ec))
    throw FileError(where, "cannot create the temporary folder " + frames.string() + ": " + ec.message());
  frames_dir_ = TemporaryFolder(frames);
}

void AnimationWriter::add(const Frame& frame) {
  if (finished_) throw std::logic_error("AnimationWriter::add after finish()");
  if (frames_ >= kMaxFrames)
    throw FileError(target_.string(), "too many frames (at most " + std::to_string(kMaxFrames) + ")");
  draw_frame(canvas_, geometry_, frame, style_);
  // Frames for ffmpeg are read once: fast compression. PNG frames are the output: usual compression.
  const int level = format_ == AnimationFormat::png_frames ? 6 : 1;
  write_png(frames_dir_.path() / frame_name(frames_), canvas_, level);
  ++frames_;
}

void AnimationWriter::finish() {
  if (finished_) throw std::logic_error("AnimationWriter::finish called twice");
  if (frames_ == 0) throw FileError(target_.string(), "no frames to write");
  finished_ = true;
  try {
    if (format_ == AnimationFormat::png_frames)
      finish_png_frames();
    else
      finish_with_ffmpeg();
  } catch (...) {
    frames_dir_.remove();  // the writer takes no more frames: nothing to keep them for
    throw;
  }
}

void AnimationWriter::finish_png_frames() {
  const std::string where = target_.string();
  std::error_code ec;
  // The old frames are moved aside, not deleted first, so that a failed rename leaves them whole.
  TemporaryFolder old;
  if (fs::exists(target_, ec)) {
    const fs::path aside = sibling(target_, "old");
    fs::remove_all(aside, ec);
    fs::rename(target_, aside, ec);
    if (ec) throw FileError(where, "cannot move the old frames aside: " + ec.message());
    old = TemporaryFolder(aside);
  }
  fs::rename(frames_dir_.path(), target_, ec);
  if (ec) {
    const std::string why = ec.message();
    if (!old.path().empty()) {
      fs::rename(old.path(), target_, ec);
      if (!ec) old.release();
    }
    throw FileError(where, "cannot move the frames into place: " + why);
  }
  frames_dir_.release();
}

void AnimationWriter::finish_with_ffmpeg() {
  const std::string where = target_.string();
  // Absolute paths: ffmpeg would read "name:..." as a protocol, and "-..." as an option.
  const fs::path frames = fs::absolute(frames_dir_.path());
  const std::string ext = format_ == AnimationFormat::gif ? ".gif" : ".mp4";
  const fs::path out = fs::absolute(sibling(target_, "tmp")).concat(ext);

  std::vector<std::string> args = {"-nostdin", "-y", "-loglevel", "error", "-framerate",
                                   std::to_string(fps_), "-i",
                                   escape_percent(frames.string()) + "/frame_%05d.png"};
  if (format_ == AnimationFormat::gif) {
    // One palette for the whole animation, computed from all frames: few colours, chosen well.
    args.insert(args.end(), {"-vf",
                             "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a",
                             "-loop", "0", "-f", "gif"});
  } else {
    args.insert(args.end(), {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20", "-preset",
                             "medium", "-movflags", "+faststart", "-f", "mp4"});
  }
  args.push_back(out.string());

  const fs::path log = frames / "ffmpeg.log";
  const int status = run_program(ffmpeg_, args, log);
  std::error_code ec;
  if (status != 0) {
    fs::remove(out, ec);
    const std::string message = log_tail(log);
    throw FileError(where, "ffmpeg failed (exit status " + std::to_string(status) + ")" +
                               (message.empty() ? "" : ": " + message));
  }
  fs::rename(out, target_, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(out, ec);
    throw FileError(where, "cannot move the finished file into place: " + why);
  }
  frames_dir_.remove();
}

}  // namespace ldyn::particles
